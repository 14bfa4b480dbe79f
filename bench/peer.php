<?php
// Where the benchmarks find php-rdkafka (arnaud-lb/php-rdkafka 6.0.4), the peer of `make bench`
// and `make bench-web`. It is never vendored into this project: it is built, once and cached, by
// the shared peer script against the same librdkafka our release build bundles
// (../shared/peers/build-php-rdkafka.sh PROJECT_ROOT, cache ~/.cache/flame_kafka/peers).
//
// env: PHP_RDKAFKA_SO     a ready rdkafka.so (skips the build)
//      PHP_RDKAFKA_BUILD  the build script (default ROOT/../shared/peers/build-php-rdkafka.sh)
//      PHP_RDKAFKA=off    run without the peer

/**
 * Returns ['so' => path, 'version' => '6.0.4 (librdkafka 2.12.1)'] or ['so' => null, 'why' => reason].
 * Never fails: a machine without the peer gets a reason to print in the table.
 */
function php_rdkafka_peer(string $root): array
{
    if (getenv('PHP_RDKAFKA') === 'off') return ['so' => null, 'why' => 'disabled (PHP_RDKAFKA=off)'];
    $so = getenv('PHP_RDKAFKA_SO') ?: null;
    if ($so === null) {
        $script = getenv('PHP_RDKAFKA_BUILD') ?: dirname($root) . '/shared/peers/build-php-rdkafka.sh';
        if (!is_file($script)) return ['so' => null, 'why' => "not available on this machine (no $script)"];
        $p = proc_open(['bash', $script, $root], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]); fclose($pipes[2]);
        $rc = proc_close($p);
        $lines = array_values(array_filter(explode("\n", trim($out))));
        $so = $lines ? end($lines) : '';
        if ($rc !== 0 || !is_file($so)) {
            $why = trim((string)strtok(trim($err) ?: "exit $rc", "\n"));
            return ['so' => null, 'why' => "could not be built ($why)"];
        }
    }
    if (!is_file($so)) return ['so' => null, 'why' => "no file $so"];
    $cmd = escapeshellarg(PHP_BINARY) . ' -n -d ' . escapeshellarg("extension=$so")
        . ' -r ' . escapeshellarg('echo phpversion("rdkafka"), " ", RD_KAFKA_VERSION;');
    $v = trim((string)shell_exec($cmd . ' 2>/dev/null'));
    if (!preg_match('/^(\S+) (\d+)$/', $v, $m)) return ['so' => null, 'why' => "$so does not load"];
    $lib = sprintf('%d.%d.%d', ($m[2] >> 24) & 0xff, ($m[2] >> 16) & 0xff, ($m[2] >> 8) & 0xff);
    return ['so' => $so, 'version' => "$m[1] (librdkafka $lib)"];
}

/** "abc1234" (+ " + uncommitted changes in src/" when the working tree differs there). */
function measured_commit(string $root): string
{
    $head = trim((string)shell_exec('git -C ' . escapeshellarg($root) . ' rev-parse --short HEAD 2>/dev/null')) ?: '?';
    $dirty = trim((string)shell_exec('git -C ' . escapeshellarg($root) . ' status --porcelain -- src Cargo.toml Cargo.lock build.rs 2>/dev/null'));
    return $head . ($dirty !== '' ? ' + uncommitted changes in src/' : '');
}
