<?php
/*
 * Scenario 6: configuration fuzzer. Thousands of random producer/consumer
 * constructions with random keys (real librdkafka property names from
 * rdkafka_properties.txt, plus garbage) and random values and types (ints,
 * floats, bools, null, arrays, objects, resources, binary, huge strings);
 * a construction that succeeds also gets a quick method call
 * (producer: flush(0), consumer: consume(1)) and is destroyed.
 * One worker does 5,000 in a single process, then ten workers of 500 each
 * run as separate processes (two at a time).
 * PASS iff no worker is killed by a signal, hangs or dies of a fatal error,
 * and every failure is a Throwable.
 *
 *   php s6_config_fuzz.php [single_count] [workers] [per_worker]
 *   php s6_config_fuzz.php worker SEED COUNT PROGRESS_FILE   (one worker)
 *   php s6_config_fuzz.php case SEED INDEX                   (replays one case, prints its config)
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

/*
 * Never set at random (each is a feature that loads code or runs a command,
 * or a finding already reported by scenario 5; see README.md):
 */
const EXCLUDED = [
    'plugin.library.paths',         // dlopen()s the given libraries
    'ssl.engine.location',          // dlopen()s an OpenSSL engine
    'ssl.providers',                // loads OpenSSL providers
    'sasl.kerberos.kinit.cmd',      // runs a shell command
    'internal.termination.signal',  // known finding: 9 kills the process, 19 stops it (scenario 5)
];

function props(): array
{
    static $p = null;
    if ($p === null) {
        $p = ['global' => [], 'topic' => []];
        foreach (file(__DIR__ . '/rdkafka_properties.txt', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $l) {
            if ($l[0] === '#') {
                continue;
            }
            [$scope, $name, $cp, $range, $type] = explode(' ', $l);
            if (!in_array($name, EXCLUDED, true)) {
                $p[$scope][] = [$name, $cp, $range, $type];
            }
        }
    }
    return $p;
}

function rint(int $a, int $b): int { return mt_rand($a, $b); }
function chance(int $pct): bool { return mt_rand(1, 100) <= $pct; }
function pick(array $a) { return $a[mt_rand(0, count($a) - 1)]; }
function rbytes(int $n): string
{
    $s = '';
    for ($i = 0; $i < $n; $i++) {
        $s .= chr(mt_rand(0, 255));
    }
    return $s;
}
function rword(int $n): string
{
    $s = '';
    for ($i = 0; $i < $n; $i++) {
        $s .= chr(pick([mt_rand(97, 122), mt_rand(48, 57), 46, 95, 45]));
    }
    return $s;
}

enum FuzzEnum: string { case A = 'a'; }
class FuzzStringable { public function __toString(): string { return '100'; } }

/** A value that makes sense for the property's type (often valid). */
function plausible(array $prop)
{
    [, , $range, $type] = $prop;
    switch ($type) {
        case 'integer':
        case 'float':
            if (preg_match('/^(-?\d+)\.\.(-?\d+)$/', $range, $m)) {
                [$lo, $hi] = [(int)$m[1], (int)$m[2]];
                return pick([$lo, $hi, $lo - 1, $hi + 1, rint(max($lo, -1000000), min($hi, 1000000)), (string)rint(max($lo, 0), min($hi, 100000))]);
            }
            return rint(-10, 100000);
        case 'boolean':
            return pick([true, false, 'true', 'false', 0, 1, 'yes', 'no', 'TRUE']);
        case 'enum_value':
        case 'CSV_flags':
            $opts = $range === '-' ? ['x'] : explode(',', $range);
            return chance(80) ? pick($opts) : implode(',', [pick($opts), pick($opts)]);
        default:
            return pick([rword(rint(0, 20)), '127.0.0.1:1', 'localhost:1,127.0.0.1:2', '', 'none', '0']);
    }
}

/** A value of any kind. */
function garbage()
{
    switch (mt_rand(0, 15)) {
        case 0: return pick([PHP_INT_MAX, PHP_INT_MIN, 0, -1, 2147483647, 2147483648, -2147483649, mt_rand()]);
        case 1: return pick([NAN, INF, -INF, -0.0, 1e308, 1.5, 0.1, -1e-300, mt_rand() / 7]);
        case 2: return chance(50);
        case 3: return null;
        case 4: return pick([[], [1], ['a' => ['b' => []]], [null]]);
        case 5: return pick([new stdClass, fn() => 1, new ArrayObject([1]), new FuzzStringable, FuzzEnum::A, new DateTime('@0')]);
        case 6: return STDIN;
        case 7: return rbytes(rint(0, 64));
        case 8: return rword(rint(0, 8)) . "\0" . rword(rint(0, 8));
        case 9: return str_repeat(chr(rint(32, 126)), pick([1024, 65536, 300000, chance(10) ? 1 << 20 : 4096]));
        case 10: return pick(['  5', '0x10', '1e3', '5abc', '-0', '+7', "5\n", '٣', 'ñ', "\xff\xfe", '🙂']);
        case 11: return pick(['true', 'false', 'all', 'earliest', 'latest', 'none', 'gzip', 'zstd', 'plaintext', 'ssl', 'PLAIN', 'consumer', 'range,roundrobin']);
        case 12: return (string)mt_rand(-5, 5000000);
        case 13: return pick(['127.0.0.1:1', 'localhost', ':', ',,,', 'a:b:c', str_repeat('h,', 200)]);
        default: return rword(rint(1, 30));
    }
}

function garbage_key()
{
    switch (mt_rand(0, 9)) {
        case 0: return '';
        case 1: return rbytes(rint(1, 16));
        case 2: return mt_rand(-5, 100);
        case 3: return rword(rint(1, 40));
        case 4: return ' ' . pick(props()['global'])[0];
        case 5: return strtoupper(pick(props()['global'])[0]);
        case 6: return pick(props()['global'])[0] . "\0x";
        case 7: return str_repeat('k', pick([256, 4096, 100000]));
        case 8: return pick(['ñ', '🙂.ms', "\xc3\x28", "\xff"]);
        default: return pick(props()['topic'])[0] . '.x';
    }
}

/** One random construction: [class, global_opt, topic_opt, topic(s)]. */
function gen_case(): array
{
    $props = props();
    $consumer = chance(40);
    $global = [];
    if (!chance(8)) {
        $global['bootstrap.servers'] = chance(90) ? '127.0.0.1:1' : garbage();
    }
    if ($consumer && !chance(8)) {
        $global['group.id'] = chance(90) ? 'fuzz_' . rword(6) : garbage();
    }
    $topic = [];
    for ($i = rint(0, 6); $i > 0; $i--) {
        $scope = chance(75) ? 'global' : 'topic';
        $key = chance(75) ? pick($props[chance(85) ? $scope : ($scope === 'global' ? 'topic' : 'global')])[0] : garbage_key();
        $prop = null;
        foreach ($props['global'] as $p) {
            if ($p[0] === $key) { $prop = $p; }
        }
        foreach ($props['topic'] as $p) {
            if ($p[0] === $key) { $prop = $p; }
        }
        $val = ($prop !== null && chance(45)) ? plausible($prop) : garbage();
        if ($scope === 'global') {
            $global[$key] = $val;
        } else {
            $topic[$key] = $val;
        }
    }
    if (!$consumer && chance(10)) {
        $topic['partitioner_cb'] = pick(['murmur2', 'nope', fn($k, $n) => 0, 42, null, 'strlen']);
    }
    $name = chance(92) ? 'fuzz_' . rword(8) : garbage();
    if ($consumer && chance(30)) {
        $name = [$name, chance(80) ? 'fuzz_' . rword(5) : garbage()];
    }
    return [$consumer ? 'consumer' : 'producer', $global, $topic, $name];
}

function run_case(array $case, array &$stats): void
{
    [$class, $global, $topic, $name] = $case;
    $stats['constructions']++;
    try {
        $o = $class === 'consumer'
            ? new flame\db\kafka\consumer($global, $topic, $name)
            : new flame\db\kafka\producer($global, $topic, $name);
        $stats['constructed']++;
        if ($o instanceof flame\db\kafka\producer) {
            $o->flush(0)->wait();
        } else {
            $o->consume(1)->wait();
        }
        unset($o);
    } catch (Throwable $e) {
        $stats['exceptions']++;
        $cls = get_class($e) . (str_contains($e->getMessage(), 'Rust panic') ? ' (from a Rust panic)' : '');
        $stats['classes'][$cls] = ($stats['classes'][$cls] ?? 0) + 1;
        $stats['samples'][$cls] ??= substr(preg_replace('/\s+/', ' ', $e->getMessage()), 0, 160);
        if (str_contains($e->getMessage(), 'panic')) {
            $stats['panics']++;
            $stats['panic_messages'][$e->getMessage()] = true;
        }
    }
}

function export_case(array $case): string
{
    $s = var_export($case, true);
    return preg_replace_callback('/[^\x20-\x7e\n]/', fn($m) => sprintf('\\x%02x', ord($m[0])), strlen($s) > 3000 ? substr($s, 0, 3000) . '...' : $s);
}

$mode = $argv[1] ?? 'main';
if ($mode === 'worker') {
    [, , $seed, $count, $progress] = $argv;
    mt_srand((int)$seed);
    $stats = ['constructions' => 0, 'constructed' => 0, 'exceptions' => 0, 'panics' => 0, 'classes' => [], 'panic_messages' => []];
    $pf = fopen($progress, 'c');
    for ($i = 0; $i < (int)$count; $i++) {
        ftruncate($pf, 0);
        fseek($pf, 0);
        fwrite($pf, "$seed $i");
        $case = gen_case();
        run_case($case, $stats);
    }
    echo 'FUZZ ', json_encode($stats), "\n";
    exit(0);
}
if ($mode === 'case') {
    [, , $seed, $index] = $argv;
    mt_srand((int)$seed);
    for ($i = 0; $i <= (int)$index; $i++) {
        $case = gen_case();
    }
    echo export_case($case), "\n";
    $stats = ['constructions' => 0, 'constructed' => 0, 'exceptions' => 0, 'panics' => 0, 'classes' => [], 'panic_messages' => []];
    run_case($case, $stats);
    echo json_encode($stats), "\n";
    exit(0);
}

// ---- main
$single = (int)($argv[1] ?? 5000);
$workers = (int)($argv[2] ?? 10);
$per = (int)($argv[3] ?? 500);
$base_seed = (int)(getenv('FAULTS_SEED') ?: 20261126);
$jobs = [[$base_seed, $single]];
for ($w = 1; $w <= $workers; $w++) {
    $jobs[] = [$base_seed + $w, $per];
}
$total = ['constructions' => 0, 'constructed' => 0, 'exceptions' => 0, 'panics' => 0, 'classes' => [], 'panic_messages' => []];
$crashes = $fatals = $hangs = 0;
$problems = [];
$ini = ['flame_kafka.shutdown_timeout_ms' => 0, 'display_errors' => 0];
$t0 = microtime(true);
$finish = function (array $job, array $r) use (&$total, &$crashes, &$fatals, &$hangs, &$problems, $ini) {
    [$seed, $count, $progress] = $job;
    $where = trim((string)@file_get_contents($progress));
    @unlink($progress);
    if (preg_match('/^FUZZ (.*)$/m', $r['out'], $m)) {
        $s = json_decode($m[1], true);
        foreach (['constructions', 'constructed', 'exceptions', 'panics'] as $k) {
            $total[$k] += $s[$k];
        }
        foreach ($s['classes'] as $c => $n) {
            $total['classes'][$c] = ($total['classes'][$c] ?? 0) + $n;
        }
        $total['panic_messages'] += $s['panic_messages'];
        $total['samples'] = ($total['samples'] ?? []) + ($s['samples'] ?? []);
        printf("  worker seed %d: %d constructions, %s, %.1f s\n", $seed, $s['constructions'], child_end($r), $r['secs']);
        return;
    }
    if ($r['timed_out']) {
        $hangs++;
    } elseif ($r['signal']) {
        $crashes++;
    } else {
        $fatals++;
    }
    printf("  worker seed %d: %s at case \"%s\"; %s\n", $seed, child_end($r), $where, strtok(trim($r['err'] . ' ' . $r['out']) ?: '-', "\n"));
    [$s, $i] = explode(' ', $where . ' 0');
    $total['constructions'] += (int)$i + 1;   // the ones done before it
    $rep = run_cmd(php_cmd(__FILE__, ['case', $s, $i], $ini), 30.0);
    echo "    replay (php s6_config_fuzz.php case $s $i): ", child_end($rep), "\n      ", str_replace("\n", "\n      ", trim($rep['out'])), "\n";
    $problems[] = "seed $s case $i: " . child_end($r);
};
$start_job = function (array $job) use ($ini) {
    [$seed, $count] = $job;
    $progress = faults_tmp() . "/s6_progress.$seed";
    $cmd = php_cmd(__FILE__, ['worker', $seed, $count, $progress], $ini);
    $pipes = [];
    $p = proc_open('exec ' . $cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$progress.out", 'w'], 2 => ['file', "$progress.err", 'w']], $pipes);
    return [$p, [$seed, $count, $progress], microtime(true)];
};
$reap = function (array $run, bool $wait) use ($finish): bool {
    [$p, $job, $start] = $run;
    $st = proc_get_status($p);
    $timed_out = $st['running'] && microtime(true) - $start > 600;
    if ($st['running'] && !$timed_out) {
        return false;
    }
    if ($timed_out) {
        proc_terminate($p, 9);
        while (proc_get_status($p)['running']) {
            usleep(10000);
        }
    }
    proc_close($p);
    $r = ['out' => (string)@file_get_contents("$job[2].out"), 'err' => (string)@file_get_contents("$job[2].err"),
        'status' => $st['signaled'] ? -1 : $st['exitcode'], 'signal' => $timed_out ? 9 : ($st['signaled'] ? $st['termsig'] : 0),
        'timed_out' => $timed_out, 'secs' => microtime(true) - $start];
    @unlink("$job[2].out");
    @unlink("$job[2].err");
    $finish($job, $r);
    return true;
};
// the single-process run alone, then the workers two at a time
$queue = $jobs;
$running = [];
$parallel = 1;
while ($queue || $running) {
    while ($queue && count($running) < $parallel) {
        $running[] = $start_job(array_shift($queue));
    }
    usleep(50000);
    foreach ($running as $k => $run) {
        if ($reap($run, false)) {
            unset($running[$k]);
            $parallel = 2;
        }
    }
}
figure('constructions', $total['constructions']);
figure('constructed (valid configs)', $total['constructed']);
figure('exceptions', $total['exceptions']);
arsort($total['classes']);
foreach ($total['classes'] as $c => $n) {
    figure("  $c", "$n  e.g. " . preg_replace_callback('/[^\x20-\x7e]/', fn($m) => sprintf('\\x%02x', ord($m[0])), $total['samples'][$c] ?? ''));
}
figure('exceptions from a Rust panic', $total['panics'] . ($total['panic_messages'] ? ' (' . implode(' | ', array_keys($total['panic_messages'])) . ')' : ''));
figure('crashes (killed by a signal)', $crashes);
figure('fatal errors (not a Throwable)', $fatals);
figure('hangs', $hangs);
figure('wall time (s)', microtime(true) - $t0);
figure('excluded properties', implode(', ', EXCLUDED));
$ok = $crashes === 0 && $fatals === 0 && $hangs === 0;
result($ok, $ok ? "{$total['constructions']} constructions, 0 crashes, every failure a Throwable" : implode('; ', $problems));
