<?php
// Driver of `make bench`: flame_kafka against raw librdkafka (bench/raw,
// `bench-raw`) and against php-rdkafka 6.0.4 (bench/rdkafka.php, the PHP
// extension its users have today; built by bench/peer.php from ../shared/peers
// when available, otherwise the table says so), same broker, same run, same
// topic settings.
//
//   php -n -d extension=modules/flame_kafka.so bench/run.php [flags]
//
// flags:
//   --messages N     base size (default 1000000): produce-ff, consume and
//                    produce-await at 1000 coroutines use N; produce-await at
//                    100 uses N/10, at 1 uses N/1000 (min 200); latency N/100 (min 1000);
//                    sync N/1000 (min 500); per-request N/5000 (min 100)
//   --runs R         runs of every workload and client (default 3); medians are reported
//   --quick          --messages 100000 --runs 1 --no-svg-copy (a few seconds to a minute)
//   --ff N, --consume N, --await1 N, --await100 N, --await1000 N, --latency N,
//   --sync N, --per-request N
//                    the size of one workload
//   --concurrency L  comma list of awaited-produce concurrencies (default 1,100,1000)
//   --only W         comma list of workloads: produce-ff,produce-await,sync,per-request,consume,consume-batch,latency
//
// Workloads (bench/kafka.php = flame_kafka, bench-raw = raw, bench/rdkafka.php = php-rdkafka):
//   produce-ff     fire-and-forget N, then one flush (php-rdkafka: produce + poll(0), flush)
//   produce-await  C in flight (flame: C coroutines yielding produce(); raw and php-rdkafka:
//                  a window of C, the next sent when a delivery report frees a slot)
//   sync           one at a time, acknowledged before the next (flame: produce()->wait();
//                  php-rdkafka: produce() + flush(); raw: send + wait, linger.ms=0)
//   per-request    N times: new producer, one message acknowledged, destroy
//   consume        one message per call (flame: yield consume(); php-rdkafka: consume())
//   consume-batch  flame: yield consume_batch(500); raw: the same one-message-per-poll consumer
//                  as consume (php-rdkafka: not run, KafkaConsumer has no batch call)
//   latency        one coroutine, linger.ms=0 (php-rdkafka: not run; see sync)
//   --size B         payload bytes (default 100)
//   --set K=V        an extra librdkafka property for both clients in every workload
//                    (repeatable; e.g. --set fetch.queue.backoff.ms=10)
//   --out DIR        where results.json / results.md / throughput.svg go (default bench/out)
//   --no-svg-copy    do not copy the chart to bench/throughput.svg (the one bench/README.md shows)
//
// RSS (VmRSS) is sampled by both programs before the measured part, once 20%
// of its messages are done ("warm", runs of >= 10,000 messages) and after it;
// the RSS target uses the growth after warm-up (after - warm).
//
// env: KAFKA_BROKERS (else the local broker of scripts/kafka.sh is started),
//      FLAME_SO (default modules/flame_kafka.so, copied at the start), BENCH_RAW (default
//      target/release/bench-raw), PHP_RDKAFKA_SO / PHP_RDKAFKA_BUILD / PHP_RDKAFKA=off (bench/peer.php).

define('ROOT', dirname(__DIR__));
require __DIR__ . '/peer.php';

function out(string $s): void { fwrite(STDOUT, $s); }
function note(string $s): void { fwrite(STDERR, $s . "\n"); }
function die_msg(string $s): never { fwrite(STDERR, "run.php: $s\n"); exit(1); }

function median(array $xs): ?float
{
    $xs = array_values(array_filter($xs, fn ($x) => $x !== null));
    $n = count($xs);
    if ($n === 0) return null;
    sort($xs);
    return $n % 2 ? (float)$xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

// ------------------------------------------------------------------ flags
$opt = [
    'messages' => 1000000, 'runs' => 3, 'size' => 100,
    'ff' => null, 'consume' => null, 'await1' => null, 'await100' => null, 'await1000' => null, 'latency' => null,
    'sync' => null, 'per-request' => null,
    'concurrency' => '1,100,1000', 'only' => 'produce-ff,produce-await,sync,per-request,consume,consume-batch,latency',
    'out' => ROOT . '/bench/out', 'svg-copy' => true, 'set' => [],
];
$args = array_slice($argv, 1);
for ($i = 0; $i < count($args); $i++) {
    $a = $args[$i];
    if ($a === '--quick') { $opt['messages'] = 100000; $opt['runs'] = 1; $opt['svg-copy'] = false; continue; }
    if ($a === '--no-svg-copy') { $opt['svg-copy'] = false; continue; }
    if ($a === '-h' || $a === '--help') {
        foreach (array_slice(file(__FILE__), 1) as $l) {
            if (!str_starts_with($l, '//')) break;
            out(substr($l, 3) ?: "\n");
        }
        exit(0);
    }
    [$name, $val] = str_contains($a, '=') ? explode('=', $a, 2) : [$a, $args[++$i] ?? die_msg("$a needs a value")];
    $key = substr($name, 2);
    if (!str_starts_with($name, '--') || !array_key_exists($key, $opt)) die_msg("unknown flag $name (see --help)");
    if ($key === 'set') {
        if (!str_contains($val, '=')) die_msg("--set $val: expected key=value");
        $opt['set'][] = $val;
        continue;
    }
    $opt[$key] = is_int($opt[$key]) || $opt[$key] === null ? (int)str_replace('_', '', $val) : $val;
}
$N = max(1, $opt['messages']);
$R = max(1, $opt['runs']);
$size = $opt['size'];
$concs = array_map('intval', array_filter(explode(',', $opt['concurrency'])));
$only = array_filter(explode(',', $opt['only']));
$sizes = [
    'produce-ff' => $opt['ff'] ?? $N,
    'consume' => $opt['consume'] ?? $N,
    'latency' => $opt['latency'] ?? max(1000, intdiv($N, 100)),
    'sync' => $opt['sync'] ?? max(500, intdiv($N, 1000)),
    'per-request' => $opt['per-request'] ?? max(100, intdiv($N, 5000)),
];
$awaitSize = function (int $c) use ($opt, $N): int {
    $explicit = $opt["await$c"] ?? null;
    if ($explicit) return $explicit;
    if ($c >= 1000) return $N;
    if ($c >= 100) return max(1000, intdiv($N, 10));
    return max(200, intdiv($N, 1000));
};

// ------------------------------------------------------------------ environment
$so = getenv('FLAME_SO') ?: ROOT . '/modules/flame_kafka.so';
$raw = getenv('BENCH_RAW') ?: ROOT . '/target/release/bench-raw';
$so = realpath($so) ?: die_msg("no extension at $so (make build)");
// A copy: other builds replace modules/flame_kafka.so while a benchmark runs.
$soCopy = sys_get_temp_dir() . '/flame_bench_' . getmypid() . '.so';
copy($so, $soCopy) || die_msg("cannot copy $so");
register_shutdown_function(fn () => @unlink($soCopy));
$so = $soCopy;
$peer = php_rdkafka_peer(ROOT);
$commit = measured_commit(ROOT);
if (!is_executable($raw)) {
    note("building bench-raw ...");
    passthru('cd ' . escapeshellarg(ROOT) . ' && cargo build --release -q -p flame-kafka-bench-raw', $rc);
    if ($rc !== 0 || !is_executable($raw)) die_msg("no bench-raw binary at $raw");
}
$brokers = getenv('KAFKA_BROKERS');
if (!$brokers) {
    $brokers = trim((string)shell_exec(escapeshellarg(ROOT . '/scripts/kafka.sh') . ' start 2>/dev/null | tail -n 1'));
    if ($brokers === '') die_msg('could not start the local broker (scripts/kafka.sh start)');
}
$php = PHP_BINARY;

function sh(string $cmd, ?string &$err = null): array
{
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $stdout = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]); fclose($pipes[2]);
    return [proc_close($p), $stdout];
}

function flags_str(array $flags, bool $withSet): string
{
    global $opt;
    $s = '';
    foreach ($flags as $k => $v) $s .= " --$k " . escapeshellarg((string)$v);
    if ($withSet) foreach ($opt['set'] as $kv) $s .= ' --set ' . escapeshellarg($kv);
    return $s;
}

function raw_cmd(string $sub, array $flags, bool $withSet = true): string
{
    global $raw, $brokers;
    return escapeshellarg($raw) . ' ' . $sub . ' --brokers ' . escapeshellarg($brokers) . flags_str($flags, $withSet);
}

function peer_cmd(string $sub, array $flags): string
{
    global $php, $peer, $brokers;
    return escapeshellarg($php) . ' -n -d ' . escapeshellarg("extension={$peer['so']}") . ' -d memory_limit=-1 '
        . escapeshellarg(ROOT . '/bench/rdkafka.php') . ' ' . $sub . ' --brokers ' . escapeshellarg($brokers)
        . flags_str($flags, true);
}

function flame_cmd(string $sub, array $flags): string
{
    global $php, $so, $brokers;
    return escapeshellarg($php) . ' -n -d ' . escapeshellarg("extension=$so") . ' -d memory_limit=-1 '
        . escapeshellarg(ROOT . '/bench/kafka.php') . ' ' . $sub . ' --brokers ' . escapeshellarg($brokers)
        . flags_str($flags, true);
}

function topics(string $what, array $names): void
{
    if (!$names) return;
    [$rc, $o] = sh(raw_cmd("$what-topic", ['topic' => implode(',', $names), 'partitions' => 3], false), $err);
    if ($rc !== 0) die_msg("$what topics failed: $err");
}

/** Runs one workload for one client; returns the decoded JSON line. */
function bench_one(string $client, string $workload, array $flags, bool $withSet = true): array
{
    $cmd = match ($client) {
        'raw' => raw_cmd($workload, $flags, $withSet),
        'flame' => flame_cmd($workload, $flags),
        'php-rdkafka' => peer_cmd($workload, $flags),
    };
    $t = microtime(true);
    [$rc, $o] = sh($cmd, $err);
    $lines = array_values(array_filter(explode("\n", trim($o))));
    $j = $lines ? json_decode(end($lines), true) : null;
    if ($rc !== 0 || !is_array($j)) die_msg("$client $workload failed (exit $rc): " . trim($err) . "\n  $cmd");
    if (trim($err) !== '') note("  ($client $workload stderr: " . trim($err) . ')');
    $j['wall_s'] = round(microtime(true) - $t, 2);
    return $j;
}

// ------------------------------------------------------------------ machine
function machine(): array
{
    global $raw, $php, $so;
    $cpu = preg_match('/^model name\s*:\s*(.+)$/m', (string)@file_get_contents('/proc/cpuinfo'), $m) ? trim($m[1]) : '?';
    $mem = preg_match('/^MemTotal:\s+(\d+)/m', (string)@file_get_contents('/proc/meminfo'), $m) ? round($m[1] / 1048576) . ' GB' : '?';
    $ri = (string)shell_exec(escapeshellarg($php) . ' -n -d ' . escapeshellarg("extension=$so") . ' --ri flame_kafka 2>/dev/null');
    $flameLib = preg_match('/librdkafka version => (\S+)/', $ri, $m) ? $m[1] : '?';
    $rawLib = json_decode((string)shell_exec(escapeshellarg($raw) . ' version'), true)['librdkafka'] ?? '?';
    $os = preg_match('/^PRETTY_NAME="?([^"\n]+)/m', (string)@file_get_contents('/etc/os-release'), $m) ? $m[1] : php_uname('s');
    return [
        'nproc' => (int)trim((string)shell_exec('nproc')),
        'cpu' => $cpu,
        'memory' => $mem,
        'os' => $os . ', kernel ' . php_uname('r'),
        'php' => PHP_VERSION,
        'librdkafka_flame' => $flameLib,
        'librdkafka_raw' => $rawLib,
        'kafka' => getenv('KAFKA_BROKERS') ? 'external (' . getenv('KAFKA_BROKERS') . ')' : 'local single-node KRaft broker, Kafka ' . (getenv('KAFKA_VERSION') ?: '4.1.1'),
        'date' => gmdate('Y-m-d H:i') . ' UTC',
    ];
}

// ------------------------------------------------------------------ plan
$plan = [];   // [key, workload, concurrency, messages]
if (in_array('produce-ff', $only)) $plan[] = ['produce-ff', 'produce-ff', 0, $sizes['produce-ff']];
if (in_array('produce-await', $only)) foreach ($concs as $c) $plan[] = ["produce-await-$c", 'produce-await', $c, $awaitSize($c)];
if (in_array('sync', $only)) $plan[] = ['sync', 'sync', 1, $sizes['sync']];
if (in_array('per-request', $only)) $plan[] = ['per-request', 'per-request', 1, $sizes['per-request']];
if (in_array('consume', $only)) $plan[] = ['consume', 'consume', 0, $sizes['consume']];
if (in_array('consume-batch', $only)) $plan[] = ['consume-batch', 'consume-batch', 500, $sizes['consume']];
if (in_array('latency', $only)) $plan[] = ['latency', 'latency', 1, $sizes['latency']];
if (!$plan) die_msg('nothing to run (--only?)');

$machine = machine();
$t0 = microtime(true);
$stamp = 'bench-' . getmypid() . '-' . time();
note(sprintf("flame_kafka vs raw librdkafka%s: %d run(s), brokers %s, %d-byte payloads", $peer['so'] ? ' and php-rdkafka' : '', $R, $brokers, $size));
if (!$peer['so']) note("php-rdkafka: {$peer['why']}; its columns say so");
/** The clients that run workload $wl: php-rdkafka has no coroutine latency workload (see sync). */
function clients_for(string $wl): array
{
    global $peer;
    return $peer['so'] && $wl !== 'latency' && $wl !== 'consume-batch' ? ['raw', 'flame', 'php-rdkafka'] : ['raw', 'flame'];
}

// The consume source topic, filled once (by bench-raw, fast) for every run and both clients.
$consumeTopic = null;
if (in_array('consume', $only) || in_array('consume-batch', $only)) {
    $consumeTopic = "$stamp-consume-src";
    topics('create', [$consumeTopic]);
    $fill = $sizes['consume'] + 1000;   // + the warm-up message each consumer reads first
    note("prefilling $consumeTopic with $fill messages ...");
    bench_one('raw', 'produce-ff', ['topic' => $consumeTopic, 'messages' => $fill, 'size' => $size], false);
}

$results = [];   // key => client => list of runs
for ($r = 1; $r <= $R; $r++) {
    // Rotate which client goes first, so slow drift of the machine hits all alike.
    $rot = fn (array $cs) => array_merge(array_slice($cs, ($r - 1) % count($cs)), array_slice($cs, 0, ($r - 1) % count($cs)));
    $runTopics = [];
    foreach ($plan as [$key, $wl]) {
        if (str_starts_with($wl, 'consume')) continue;
        foreach (clients_for($wl) as $client) $runTopics[$key][$client] = "$stamp-r$r-$key-$client";
    }
    topics('create', array_merge(...array_map('array_values', array_values($runTopics))));
    foreach ($plan as [$key, $wl, $c, $n]) {
        foreach ($rot(clients_for($wl)) as $client) {
            $flags = ['topic' => str_starts_with($wl, 'consume') ? $consumeTopic : $runTopics[$key][$client], 'messages' => $n, 'size' => $size];
            if ($wl === 'produce-await') $flags['concurrency'] = $c;
            // The raw side of consume-batch is the raw consume (one message per poll).
            $j = bench_one($client, $client === 'raw' && $wl === 'consume-batch' ? 'consume' : $wl, $flags);
            $j['run'] = $r;
            $results[$key][$client][] = $j;
            note(sprintf("  run %d/%d  %-19s %-11s %9d msgs  %11s msg/s%s  RSS %s -> %s -> %s MB",
                $r, $R, $key, $client, $n, number_format($j['msg_per_s']),
                $j['p50_us'] !== null ? sprintf('  p50 %.0f us p99 %.0f us', $j['p50_us'], $j['p99_us']) : '',
                number_format($j['rss_before_kb'] / 1024, 1),
                ($j['rss_warm_kb'] ?? null) !== null ? number_format($j['rss_warm_kb'] / 1024, 1) : '-',
                number_format($j['rss_after_kb'] / 1024, 1)));
        }
    }
    topics('delete', array_merge(...array_map('array_values', array_values($runTopics))));
}
if ($consumeTopic) topics('delete', [$consumeTopic]);
$elapsed = microtime(true) - $t0;

// ------------------------------------------------------------------ medians and ratios
$targets = [
    'produce-ff' => ['ratio', 0.9, 'msg/s ≥ 0.9× raw'],
    'produce-await-1000' => ['ratio', 0.7, 'msg/s ≥ 0.7× raw'],
    'consume' => ['ratio', 0.8, 'msg/s ≥ 0.8× raw'],
    'consume-batch' => ['ratio', 0.8, 'msg/s ≥ 0.8× raw'],
    'latency' => ['p50', 50.0, 'p50 ≤ raw + 50 µs'],
];
// against php-rdkafka (issue 12): msg/s ratio flame / php-rdkafka of the same run
$peerTargets = [
    'produce-ff' => [1.2, 'msg/s ≥ 1.2× php-rdkafka'],
    'sync' => [1.0, 'msg/s ≥ 1.0× php-rdkafka'],
    'per-request' => [1.0, 'cycles/s ≥ 1.0× php-rdkafka'],
    'consume' => [1.0, 'msg/s ≥ 1.0× php-rdkafka'],
];
$summary = [];
foreach ($plan as [$key, $wl, $c, $n]) {
    $row = ['workload' => $wl, 'concurrency' => $c, 'messages' => $n];
    foreach (clients_for($wl) as $client) {
        $runs = $results[$key][$client];
        $row[$client] = [
            'msg_per_s' => median(array_column($runs, 'msg_per_s')),
            'mb_per_s' => median(array_column($runs, 'mb_per_s')),
            'p50_us' => median(array_column($runs, 'p50_us')),
            'p99_us' => median(array_column($runs, 'p99_us')),
            'rss_before_kb' => median(array_column($runs, 'rss_before_kb')),
            'rss_after_kb' => median(array_column($runs, 'rss_after_kb')),
            'rss_growth_kb' => median(array_map(fn ($j) => $j['rss_after_kb'] - $j['rss_before_kb'], $runs)),
            'rss_warm_kb' => median(array_column($runs, 'rss_warm_kb')),
            // after - warm (the sample at 20% of the messages): growth once the
            // one-time working set has filled up; null for runs < 10,000 messages.
            'rss_growth_warm_kb' => median(array_map(
                fn ($j) => ($j['rss_warm_kb'] ?? null) === null ? null : $j['rss_after_kb'] - $j['rss_warm_kb'], $runs)),
        ];
    }
    // Ratio per run (flame / raw of the same run), then the median of those.
    $ratios = [];
    $p50d = [];
    foreach ($results[$key]['flame'] as $i => $f) {
        $rw = $results[$key]['raw'][$i];
        $ratios[] = $f['msg_per_s'] / $rw['msg_per_s'];
        if ($f['p50_us'] !== null && $rw['p50_us'] !== null) $p50d[] = $f['p50_us'] - $rw['p50_us'];
    }
    $row['ratio'] = median($ratios);
    $row['p50_delta_us'] = median($p50d);
    $row['ratios'] = $ratios;
    // Ratio to php-rdkafka, per run too; null when the peer did not run this workload.
    $pr = [];
    foreach ($results[$key]['php-rdkafka'] ?? [] as $i => $pj) $pr[] = $results[$key]['flame'][$i]['msg_per_s'] / $pj['msg_per_s'];
    $row['ratio_peer'] = median($pr);
    $row['ratios_peer'] = $pr;
    if (isset($peerTargets[$key]) && $row['ratio_peer'] !== null) {
        $row['target_peer'] = ['text' => $peerTargets[$key][1], 'met' => $row['ratio_peer'] >= $peerTargets[$key][0]];
    }
    if (isset($targets[$key])) {
        [$kind, $limit, $text] = $targets[$key];
        $met = $kind === 'ratio' ? $row['ratio'] >= $limit : $row['p50_delta_us'] <= $limit;
        $row['target'] = ['text' => $text, 'met' => $met];
    }
    // RSS target: < 5 MB growth over 1,000,000 messages, after warm-up (checked where a run had 1M messages).
    $row['rss_target_met'] = $n >= 1000000 && $row['flame']['rss_growth_warm_kb'] !== null
        ? $row['flame']['rss_growth_warm_kb'] < 5 * 1024 : null;
    $summary[$key] = $row;
}

// ------------------------------------------------------------------ table
function fmt_num(?float $x, int $dec = 0): string { return $x === null ? '–' : number_format($x, $dec); }
/** kB as signed MB with one decimal: "+0.4", "-1.2" (no "-0.0"). */
function signed_mb(float $kb): string
{
    $s = sprintf('%+.1f', round($kb / 1024, 1));
    return $s === '-0.0' ? '+0.0' : $s;
}
function width(string $s): int { return preg_match_all('/./su', $s); }
function label(array $row): string
{
    if ($row['workload'] === 'consume-batch') return "consume_batch({$row['concurrency']})";
    return $row['workload'] === 'produce-await' ? "produce-await ×{$row['concurrency']}" : $row['workload'];
}

/** A markdown table with aligned columns; $right: which columns are numbers. */
function md_table(array $hdr, array $lines, array $right): string
{
    $widths = array_map(fn ($i) => max(width($hdr[$i]), ...array_map(fn ($l) => width($l[$i]), $lines ?: [$hdr])), array_keys($hdr));
    $pad = fn (string $s, int $w, bool $r) => $r ? str_repeat(' ', $w - width($s)) . $s : $s . str_repeat(' ', $w - width($s));
    $md = '| ' . implode(' | ', array_map(fn ($i) => $pad($hdr[$i], $widths[$i], $right[$i]), array_keys($hdr))) . " |\n";
    $md .= '|' . implode('|', array_map(fn ($i) => $right[$i] ? str_repeat('-', $widths[$i] + 1) . ':' : ':' . str_repeat('-', $widths[$i] + 1), array_keys($hdr))) . "|\n";
    foreach ($lines as $l) {
        $md .= '| ' . implode(' | ', array_map(fn ($i) => $pad($l[$i], $widths[$i], $right[$i]), array_keys($hdr))) . " |\n";
    }
    return $md;
}
$peerNa = $peer['so'] ? null : 'not available';

// 1. The summary: one line per workload, the three clients side by side.
$shdr = ['workload', 'messages', 'raw librdkafka msg/s', 'flame_kafka msg/s', 'php-rdkafka msg/s', 'ratio to raw', 'ratio to php-rdkafka', 'target'];
$slines = [];
foreach ($summary as $key => $row) {
    $bits = [];
    if (isset($row['target'])) $bits[] = ($row['target']['met'] ? '✓ ' : '✗ ') . $row['target']['text'];
    if (isset($row['target_peer'])) $bits[] = ($row['target_peer']['met'] ? '✓ ' : '✗ ') . $row['target_peer']['text'];
    $ratio = sprintf('%.2f×', $row['ratio']);
    if ($row['workload'] === 'latency' && $row['p50_delta_us'] !== null) $ratio .= sprintf(' (p50 %+.0f µs)', $row['p50_delta_us']);
    $slines[] = [label($row), number_format($row['messages']), fmt_num($row['raw']['msg_per_s']), fmt_num($row['flame']['msg_per_s']),
        isset($row['php-rdkafka']) ? fmt_num($row['php-rdkafka']['msg_per_s']) : ($peerNa ?? 'not run'),
        $ratio, $row['ratio_peer'] !== null ? sprintf('%.2f×', $row['ratio_peer']) : ($peerNa ?? '–'), implode('; ', $bits)];
}
$summaryMd = md_table($shdr, $slines, [false, true, true, true, true, true, true, false]);

// 2. The details: one line per workload and client.
$hdr = ['workload', 'client', 'messages', 'msg/s', 'MB/s', 'p50 µs', 'p99 µs', 'RSS before→after MB', 'RSS growth after warm-up MB', 'ratio to raw', 'ratio to php-rdkafka', 'target'];
$lines = [];
foreach ($summary as $key => $row) {
    foreach (['raw', 'flame', 'php-rdkafka'] as $client) {
        if (!isset($row[$client])) continue;
        $s = $row[$client];
        $ratio = $client === 'raw' ? '1' : sprintf('%.2f×', $client === 'flame' ? $row['ratio'] : median(array_map(
            fn ($pj, $rj) => $pj['msg_per_s'] / $rj['msg_per_s'], $results[$key]['php-rdkafka'], $results[$key]['raw'])));
        if ($client === 'flame' && $row['p50_delta_us'] !== null && $row['workload'] === 'latency') {
            $ratio .= sprintf(' (p50 %+.0f µs)', $row['p50_delta_us']);
        }
        $ratioPeer = $client === 'php-rdkafka' ? '1' : ($client === 'flame' && $row['ratio_peer'] !== null ? sprintf('%.2f×', $row['ratio_peer']) : '');
        $target = '';
        if ($client === 'flame') {
            $bits = [];
            if (isset($row['target'])) $bits[] = ($row['target']['met'] ? '✓ ' : '✗ ') . $row['target']['text'];
            if (isset($row['target_peer'])) $bits[] = ($row['target_peer']['met'] ? '✓ ' : '✗ ') . $row['target_peer']['text'];
            if ($row['rss_target_met'] !== null) {
                $bits[] = ($row['rss_target_met'] ? '✓' : '✗') . ' RSS ' . signed_mb($s['rss_growth_warm_kb']) . ' MB after warm-up (< 5 MB)';
            }
            $target = implode('; ', $bits);
        }
        $lines[] = [
            label($row), $client, number_format($row['messages']), fmt_num($s['msg_per_s']), fmt_num($s['mb_per_s'], 2),
            fmt_num($s['p50_us']), fmt_num($s['p99_us']),
            sprintf('%.1f → %.1f', $s['rss_before_kb'] / 1024, $s['rss_after_kb'] / 1024),
            $s['rss_growth_warm_kb'] === null ? '–' : signed_mb($s['rss_growth_warm_kb']), $ratio, $ratioPeer, $target,
        ];
    }
}
$md = md_table($hdr, $lines, [false, false, true, true, true, true, true, true, true, true, true, false]);
$mline = sprintf('Machine: %d cores, %s, %s RAM, %s; PHP %s; librdkafka %s (flame_kafka) / %s (bench-raw); php-rdkafka %s; %s. flame_kafka at commit %s. %d run(s), medians, ratios per run; %d-byte payloads; %s; %s.',
    $machine['nproc'], $machine['cpu'], $machine['memory'], $machine['os'], $machine['php'],
    $machine['librdkafka_flame'], $machine['librdkafka_raw'], $peer['so'] ? $peer['version'] : $peer['why'], $machine['kafka'], $commit, $R, $size,
    $opt['set'] ? 'extra settings ' . implode(', ', $opt['set']) : 'librdkafka defaults', $machine['date']);
$peerline = 'sync: flame `produce()->wait()` per message, php-rdkafka `produce()` + `flush()` per message, raw send + wait with linger.ms=0 (what flush achieves); '
    . 'per-request: new producer, one message acknowledged, destroy (raw with linger.ms=0); php-rdkafka fire-and-forget: `produce()` + `poll(0)` per message as in its README, '
    . 'awaited: a window of C messages served by poll(); consume: `KafkaConsumer::consume()` per message, librdkafka defaults.';

$rssline = 'RSS: VmRSS in MB, median over runs; before → after the measured part; growth after warm-up = after − the sample taken once 20% of the messages were done (runs of ≥ 10,000 messages), median of the per-run differences.';

out("\n" . $summaryMd . "\n" . $md . "\n" . $rssline . "\n\n" . $peerline . "\n\n" . $mline . "\n");
out(sprintf("Benchmark time: %.0f s.\n", $elapsed));

// ------------------------------------------------------------------ files
@mkdir($opt['out'], 0777, true);
file_put_contents($opt['out'] . '/results.json', json_encode([
    'machine' => $machine, 'commit' => $commit, 'php_rdkafka' => $peer, 'runs' => $R, 'size' => $size, 'set' => $opt['set'], 'elapsed_s' => round($elapsed, 1),
    'summary' => $summary, 'results' => $results,
], JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n");
file_put_contents($opt['out'] . '/results.md', $summaryMd . "\n" . $md . "\n" . $rssline . "\n\n" . $peerline . "\n\n" . $mline . "\n");

// ------------------------------------------------------------------ chart
$await = array_values(array_filter($summary, fn ($r) => $r['workload'] === 'produce-await'));
if ($await) {
    $svg = chart($await, $machine, $R);
    file_put_contents($opt['out'] . '/throughput.svg', $svg);
    if ($opt['svg-copy']) file_put_contents(ROOT . '/bench/throughput.svg', $svg);
    note('wrote ' . $opt['out'] . '/results.json, results.md, throughput.svg' . ($opt['svg-copy'] ? ' (+ bench/throughput.svg)' : ''));
}

/** Grouped bars, log-scale y: msg/s of awaited produce against concurrency, both clients. */
function chart(array $rows, array $machine, int $runs): string
{
    $W = 720; $H = 440; $L = 90; $Rm = 20; $T = 60; $B = 70;
    $pw = $W - $L - $Rm; $ph = $H - $T - $B;
    $vals = [];
    foreach ($rows as $r) { $vals[] = $r['raw']['msg_per_s']; $vals[] = $r['flame']['msg_per_s']; }
    $lo = 10 ** floor(log10(max(1, min($vals))));
    $hi = 10 ** ceil(log10(max($vals) * 1.05));
    $y = fn (float $v) => $T + $ph - (log10(max($v, $lo)) - log10($lo)) / (log10($hi) - log10($lo)) * $ph;
    $e = fn (string $s) => htmlspecialchars($s, ENT_XML1);
    $col = ['raw' => '#7f8c8d', 'flame' => '#e67e22'];
    $s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"$W\" height=\"$H\" viewBox=\"0 0 $W $H\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n";
    $s .= "<rect width=\"$W\" height=\"$H\" fill=\"#ffffff\"/>\n";
    $s .= "<text x=\"" . ($W / 2) . "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">Awaited produce: msg/s against concurrency</text>\n";
    $s .= "<text x=\"" . ($W / 2) . "\" y=\"42\" text-anchor=\"middle\" fill=\"#555\">" . $e(sprintf('%d-byte payloads, %s, median of %d run(s); %d cores, PHP %s, librdkafka %s',
        $GLOBALS['size'], $GLOBALS['opt']['set'] ? implode(', ', $GLOBALS['opt']['set']) : 'librdkafka defaults (linger.ms 5)', $runs, $machine['nproc'], $machine['php'], $machine['librdkafka_raw'])) . "</text>\n";
    // grid + y labels (log decades)
    for ($d = $lo; $d <= $hi * 1.0001; $d *= 10) {
        $yy = round($y($d), 1);
        $s .= "<line x1=\"$L\" x2=\"" . ($L + $pw) . "\" y1=\"$yy\" y2=\"$yy\" stroke=\"#ddd\"/>\n";
        $lab = $d >= 1e6 ? ($d / 1e6) . 'M' : ($d >= 1e3 ? ($d / 1e3) . 'k' : (string)$d);
        $s .= "<text x=\"" . ($L - 8) . "\" y=\"" . ($yy + 4) . "\" text-anchor=\"end\">$lab</text>\n";
    }
    $s .= "<line x1=\"$L\" x2=\"$L\" y1=\"$T\" y2=\"" . ($T + $ph) . "\" stroke=\"#333\"/>\n";
    $s .= "<line x1=\"$L\" x2=\"" . ($L + $pw) . "\" y1=\"" . ($T + $ph) . "\" y2=\"" . ($T + $ph) . "\" stroke=\"#333\"/>\n";
    $s .= "<text transform=\"translate(24," . ($T + $ph / 2) . ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">messages per second (log scale)</text>\n";
    $s .= "<text x=\"" . ($L + $pw / 2) . "\" y=\"" . ($H - 18) . "\" text-anchor=\"middle\" font-size=\"13\">concurrent coroutines (flame_kafka) / messages in flight (raw librdkafka)</text>\n";
    $g = $pw / count($rows); $bw = min(70, $g / 3);
    foreach ($rows as $i => $r) {
        $cx = $L + $g * ($i + 0.5);
        foreach (['raw' => -1, 'flame' => 0] as $client => $off) {
            $v = $r[$client]['msg_per_s'];
            $x = round($cx + $off * $bw + ($off === 0 ? 2 : -2), 1);
            $yy = round($y($v), 1);
            $h = round($T + $ph - $yy, 1);
            $s .= "<rect x=\"$x\" y=\"$yy\" width=\"" . round($bw, 1) . "\" height=\"$h\" fill=\"{$col[$client]}\"><title>" . $e("$client, {$r['concurrency']}: " . number_format($v) . ' msg/s') . "</title></rect>\n";
            $lab = $v >= 1e4 ? round($v / 1e3) . 'k' : ($v >= 1e3 ? round($v / 1e3, 1) . 'k' : (string)round($v));
            $s .= "<text x=\"" . round($x + $bw / 2, 1) . "\" y=\"" . ($yy - 5) . "\" text-anchor=\"middle\" font-size=\"11\">$lab</text>\n";
        }
        $s .= "<text x=\"" . round($cx, 1) . "\" y=\"" . ($T + $ph + 18) . "\" text-anchor=\"middle\" font-size=\"13\">{$r['concurrency']}</text>\n";
        $s .= "<text x=\"" . round($cx, 1) . "\" y=\"" . ($T + $ph + 34) . "\" text-anchor=\"middle\" fill=\"#555\" font-size=\"11\">" . sprintf('%.2f×', $r['ratio']) . " of raw</text>\n";
    }
    // legend
    $lx = $L + 14; $ly = $T + 8;
    $s .= "<rect x=\"" . ($lx - 6) . "\" y=\"" . ($ly - 4) . "\" width=\"200\" height=\"44\" fill=\"#fff\" stroke=\"#ccc\"/>\n";
    foreach (['raw' => 'raw librdkafka (BaseProducer)', 'flame' => 'flame_kafka (PHP coroutines)'] as $client => $text) {
        $s .= "<rect x=\"$lx\" y=\"$ly\" width=\"14\" height=\"14\" fill=\"{$col[$client]}\"/>";
        $s .= "<text x=\"" . ($lx + 20) . "\" y=\"" . ($ly + 11) . "\">" . $e($text) . "</text>\n";
        $ly += 20;
    }
    return $s . "</svg>\n";
}
