<?php
/*
 * Shared helpers of the fault-injection suite (tests/faults, `make test-faults`).
 * Every scenario script prints its figures and ends with exactly one line
 *     RESULT PASS <summary>     or     RESULT FAIL <why>
 * which tests/faults/run.sh counts.
 *
 * Environment (set by run.sh):
 *   FAULTS_BROKERS   bootstrap address of the suite's OWN broker (never the shared one)
 *   FAULTS_EXT       the flame_kafka.so under test (a copy taken at the start of the run)
 *   FAULTS_ROOT      repository root
 *   FAULTS_KAFKA_ENV "KAFKA_PORT=.. KAFKA_CONTROLLER_PORT=.. FLAME_KAFKA_STATE=.." for scripts/kafka.sh
 *   FAULTS_TMP       scratch directory of this run
 */
declare(strict_types=1);

function env_or(string $name, string $default): string
{
    $v = getenv($name);
    return ($v === false || $v === '') ? $default : $v;
}

function faults_brokers(): string { return env_or('FAULTS_BROKERS', '127.0.0.1:29192'); }
function faults_root(): string { return env_or('FAULTS_ROOT', dirname(__DIR__, 2)); }
function faults_ext(): string { return env_or('FAULTS_EXT', faults_root() . '/modules/flame_kafka.so'); }
function faults_tmp(): string
{
    $d = env_or('FAULTS_TMP', sys_get_temp_dir() . '/flame_faults');
    @mkdir($d, 0777, true);
    return $d;
}
function faults_kafka_env(): string
{
    return env_or('FAULTS_KAFKA_ENV', 'KAFKA_PORT=29192 KAFKA_CONTROLLER_PORT=29193 FLAME_KAFKA_STATE=/tmp/flame_kafka_faults');
}
function faults_state_dir(): string
{
    return preg_match('/FLAME_KAFKA_STATE=(\S+)/', faults_kafka_env(), $m) ? $m[1] : '/tmp/flame_kafka_faults';
}

/** Runs scripts/kafka.sh with the suite's broker environment; returns [output, rc]. */
function kafka_sh(string $args): array
{
    $cmd = 'env ' . faults_kafka_env() . ' ' . escapeshellarg(faults_root() . '/scripts/kafka.sh') . ' ' . $args . ' 2>&1';
    exec($cmd, $out, $rc);
    return [implode("\n", $out), $rc];
}

function unique_name(string $prefix): string { return 'faults_' . $prefix . '_' . bin2hex(random_bytes(4)); }

function create_topic(string $name, int $partitions): void
{
    [$out, $rc] = kafka_sh('topic-create ' . escapeshellarg($name) . ' ' . $partitions);
    if ($rc !== 0) {
        throw new RuntimeException("topic-create $name failed: $out");
    }
}

function result(bool $pass, string $summary): void
{
    echo 'RESULT ', $pass ? 'PASS' : 'FAIL', ' ', $summary, "\n";
}

function figure(string $name, $value): void
{
    printf("  %-34s %s\n", $name, is_float($value) ? sprintf('%.2f', $value) : (string)$value);
}

/**
 * Command line of a child PHP with the extension under test (-n: no ini files),
 * running $file with $args. $ini: extra -d settings.
 */
function php_cmd(string $file, array $args = [], array $ini = []): string
{
    $cmd = escapeshellarg(PHP_BINARY) . ' -n -d display_errors=stderr -d error_reporting=-1'
        . ' -d memory_limit=1G -d extension=' . escapeshellarg(faults_ext());
    foreach ($ini as $k => $v) {
        $cmd .= ' -d ' . escapeshellarg("$k=$v");
    }
    $cmd .= ' ' . escapeshellarg($file);
    foreach ($args as $a) {
        $cmd .= ' ' . escapeshellarg((string)$a);
    }
    return $cmd;
}

/**
 * Runs a child PHP (bounded by $timeout_s, then SIGKILL). Returns
 * ['out' => stdout, 'err' => stderr, 'status' => exit code or -1,
 *  'signal' => terminating signal or 0, 'timed_out' => bool, 'secs' => wall time].
 */
function run_child(string $file, array $args = [], array $ini = [], float $timeout_s = 60.0, array $env = []): array
{
    $cmd = php_cmd($file, $args, $ini);
    return run_cmd($cmd, $timeout_s, $env);
}

function run_cmd(string $cmd, float $timeout_s = 60.0, array $env = []): array
{
    $t0 = microtime(true);
    $penv = getenv();
    foreach ($env as $k => $v) {
        $penv[$k] = $v;
    }
    $p = proc_open('exec ' . $cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $penv);
    if (!is_resource($p)) {
        throw new RuntimeException("cannot start: $cmd");
    }
    stream_set_blocking($pipes[1], false);
    stream_set_blocking($pipes[2], false);
    $out = $err = '';
    $timed_out = false;
    $status = -1;
    $signal = 0;
    while (true) {
        $r = [$pipes[1], $pipes[2]];
        $w = $e = null;
        @stream_select($r, $w, $e, 0, 100000);
        $out .= (string)stream_get_contents($pipes[1]);
        $err .= (string)stream_get_contents($pipes[2]);
        $st = proc_get_status($p);
        if (!$st['running']) {
            $status = $st['signaled'] ? -1 : $st['exitcode'];
            $signal = $st['signaled'] ? $st['termsig'] : 0;
            break;
        }
        if (microtime(true) - $t0 > $timeout_s) {
            $timed_out = true;
            proc_terminate($p, 9);
        }
    }
    // drain what is left
    stream_set_blocking($pipes[1], true);
    stream_set_blocking($pipes[2], true);
    $out .= (string)stream_get_contents($pipes[1]);
    $err .= (string)stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($p);
    if ($timed_out) {
        $signal = 9;
    }
    return ['out' => $out, 'err' => $err, 'status' => $status, 'signal' => $signal,
        'timed_out' => $timed_out, 'secs' => microtime(true) - $t0];
}

/** Human description of how a child ended. */
function child_end(array $r): string
{
    if ($r['timed_out']) {
        return sprintf('TIMED OUT after %.1f s (killed)', $r['secs']);
    }
    if ($r['signal']) {
        return 'killed by signal ' . $r['signal'] . ' (' . signal_name($r['signal']) . ')';
    }
    return 'exit ' . $r['status'];
}

function signal_name(int $sig): string
{
    static $names = [4 => 'SIGILL', 6 => 'SIGABRT', 7 => 'SIGBUS', 8 => 'SIGFPE', 9 => 'SIGKILL', 11 => 'SIGSEGV', 13 => 'SIGPIPE', 15 => 'SIGTERM'];
    return $names[$sig] ?? "signal $sig";
}

/** Producer global options against the suite's broker. */
function pconf(array $extra = []): array { return ['bootstrap.servers' => faults_brokers()] + $extra; }
function cconf(string $group, array $extra = []): array
{
    return ['bootstrap.servers' => faults_brokers(), 'group.id' => $group] + $extra;
}

/**
 * Generator: reads $topic from the beginning with a fresh group until
 * $expect messages arrived and then nothing for $idle_ms (or nothing at all
 * for $idle_ms once $expect is reached / $max_s passed). Calls $each($msg)
 * for every message; returns the count.
 */
function drain_topic(string $topic, int $expect, callable $each, int $idle_ms = 3000, float $max_s = 120.0): Generator
{
    $c = new flame\db\kafka\consumer(cconf(unique_name('reader'), ['enable.auto.commit' => 'false']),
        ['auto.offset.reset' => 'earliest'], $topic);
    $n = 0;
    $t0 = microtime(true);
    $last = microtime(true);
    while (microtime(true) - $t0 < $max_s) {
        $m = yield $c->consume($n >= $expect ? $idle_ms : 1000);
        if ($m === null) {
            if ($n >= $expect || microtime(true) - $last > 20) {
                break;
            }
            continue;
        }
        $last = microtime(true);
        $n++;
        $each($m);
    }
    yield $c->close();
    return $n;
}

/** Synchronous drain_topic. */
function drain_topic_sync(string $topic, int $expect, callable $each, int $idle_ms = 3000, float $max_s = 120.0): int
{
    $n = 0;
    flame\go(function () use ($topic, $expect, $each, $idle_ms, $max_s, &$n) {
        $n = yield drain_topic($topic, $expect, $each, $idle_ms, $max_s);
    });
    flame\run();
    return $n;
}

function rss_kb(): int
{
    return preg_match('/^VmRSS:\s+(\d+)/m', (string)file_get_contents('/proc/self/status'), $m) ? (int)$m[1] : -1;
}
