<?php
/*
 * Loads the real event-loop libraries for the loop tests: Revolt's event
 * loop 1.0.9 and ReactPHP's promises 3.x, unpacked from Debian's packages by
 * scripts/php-libs.sh (a cache; FLAME_KAFKA_PHP_LIBS may point elsewhere). A
 * missing library fails the test, never skips it.
 */

function php_libs_root(): string
{
    $root = getenv('FLAME_KAFKA_PHP_LIBS');
    if ($root === false || $root === '') {
        // Cached after the first fetch (make test-php fetches it up front).
        $script = (getenv('FLAME_KAFKA_ROOT') ?: dirname(__DIR__, 2)) . '/scripts/php-libs.sh';
        $root = trim((string)shell_exec(escapeshellarg($script) . ' 2>/dev/null'));
    }
    if ($root === false || $root === '' || !is_dir("$root/usr/share/php")) {
        throw new RuntimeException('Revolt / react-promise not found: scripts/php-libs.sh failed (run it to see why) and FLAME_KAFKA_PHP_LIBS is not set');
    }
    return $root;
}

function require_revolt(): void
{
    require_once php_libs_root() . '/usr/share/php/Revolt/EventLoop/autoload.php';
}

function require_react_promise(): void
{
    require_once php_libs_root() . '/usr/share/php/React/Promise/autoload.php';
}

/** CPU seconds (user + system) of this process so far, all threads. */
function cpu_seconds(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}
