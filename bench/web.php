<?php
// Driver of `make bench-web`: a web benchmark a PHP developer recognises. nginx + php-fpm
// (scripts/web.sh; Debian's nginx-light and php8.2-fpm) on loopback, wrk as the load, an
// endpoint that produces one message per request and answers with its offset (bench/web/*.php):
//
//   flame              flame_kafka, a new producer per request, produce()->wait()
//   flame-persistent   flame_kafka, `flame.persistent` => true (SPEC §4): prints "not available
//                      in this build" while the option is refused
//   php-rdkafka        php-rdkafka 6.0.4, a new producer per request, produce() + flush()
//
// Each mode runs in its own php-fpm (only its own extension loaded), --workers static workers,
// one wrk warm-up second, then --seconds measured. Afterwards the topic of the run is read from
// the beginning: every request whose answer was 200 must be in it exactly once (the payload is
// nginx's $request_id, matched against the access log) -- nothing lost, nothing duplicated.
//
//   php -n -d extension=modules/flame_kafka.so bench/web.php [flags]
// flags:
//   --runs R          runs of every mode (default 3; medians, ratios per run)
//   --seconds S       measured seconds per run and mode (default 10)
//   --connections C   wrk connections (default 8), --threads T wrk threads (default 2)
//   --workers W       php-fpm workers (default 4)
//   --modes LIST      comma list (default flame,flame-persistent,php-rdkafka)
//   --port P          nginx port (default 29500; loopback only)
//   --out DIR         results.json / results.md (default bench/out/web)
// env: KAFKA_BROKERS (else scripts/kafka.sh start), FLAME_SO, PHP_RDKAFKA_SO, BENCH_RAW.

require __DIR__ . '/peer.php';
define('ROOT', dirname(__DIR__));

use flame\db\kafka\consumer;

function note(string $s): void { fwrite(STDERR, $s . "\n"); }
function die_msg(string $s): never { fwrite(STDERR, "web.php: $s\n"); exit(1); }
function median(array $xs): ?float
{
    $xs = array_values(array_filter($xs, fn ($x) => $x !== null));
    if (!$xs) return null;
    sort($xs);
    $n = count($xs);
    return $n % 2 ? (float)$xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2;
}

$opt = ['runs' => 3, 'seconds' => 10, 'connections' => 8, 'threads' => 2, 'workers' => 4,
        'modes' => 'flame,flame-persistent,php-rdkafka', 'port' => 29500, 'out' => ROOT . '/bench/out/web'];
$args = array_slice($argv, 1);
for ($i = 0; $i < count($args); $i++) {
    if ($args[$i] === '-h' || $args[$i] === '--help') {
        foreach (array_slice(file(__FILE__), 1) as $l) { if (!str_starts_with($l, '//')) break; echo substr($l, 3) ?: "\n"; }
        exit(0);
    }
    [$name, $val] = str_contains($args[$i], '=') ? explode('=', $args[$i], 2) : [$args[$i], $args[++$i] ?? die_msg("{$args[$i - 1]} needs a value")];
    $k = substr($name, 2);
    if (!str_starts_with($name, '--') || !array_key_exists($k, $opt)) die_msg("unknown flag $name (see --help)");
    $opt[$k] = is_int($opt[$k]) ? (int)$val : $val;
}
$modes = array_values(array_filter(explode(',', $opt['modes'])));
$known = ['flame' => 'flame.php', 'flame-persistent' => 'flame_persistent.php', 'php-rdkafka' => 'rdkafka.php'];
foreach ($modes as $m) if (!isset($known[$m])) die_msg("unknown mode $m (one of " . implode(', ', array_keys($known)) . ')');
if ($opt['port'] < 29500 || $opt['port'] > 29520) die_msg('--port must be in 29500-29520 (the range of this benchmark)');

// ------------------------------------------------------------------ environment
$web = ROOT . '/scripts/web.sh';
passthru(escapeshellarg($web) . ' deps', $rc);
if ($rc !== 0) die_msg('nginx / php-fpm / wrk missing (scripts/web.sh deps)');
$brokers = getenv('KAFKA_BROKERS') ?: trim((string)shell_exec(escapeshellarg(ROOT . '/scripts/kafka.sh') . ' start 2>/dev/null | tail -n 1'));
if ($brokers === '') die_msg('could not start the local broker (scripts/kafka.sh start)');
$raw = getenv('BENCH_RAW') ?: ROOT . '/target/release/bench-raw';
if (!is_executable($raw)) die_msg("no $raw (cargo build --release -p flame-kafka-bench-raw)");
$tmp = rtrim(sys_get_temp_dir(), '/') . '/flame_bench_web.' . getmypid();
@mkdir($tmp, 0777, true);
// The extension under test is a copy: other builds replace modules/flame_kafka.so while we run.
$soSrc = realpath(getenv('FLAME_SO') ?: ROOT . '/modules/flame_kafka.so') ?: die_msg('no modules/flame_kafka.so (make build)');
$flameSo = "$tmp/flame_kafka.so";
copy($soSrc, $flameSo);
$peer = in_array('php-rdkafka', $modes) ? php_rdkafka_peer(ROOT) : ['so' => null, 'why' => 'not selected'];
if ($peer['so'] === null && in_array('php-rdkafka', $modes)) note("php-rdkafka: {$peer['why']}");
$commit = measured_commit(ROOT);
$flameVersion = trim((string)shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg($flameSo)
    . ' -r \'echo phpversion("flame_kafka");\''));

function sh(string $cmd): array
{
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $o = stream_get_contents($pipes[1]);
    $e = stream_get_contents($pipes[2]);
    fclose($pipes[1]); fclose($pipes[2]);
    return [proc_close($p), $o, $e];
}

/** wrk's "Requests/sec" and latency percentiles (ms). */
function wrk(string $url, int $secs): array
{
    global $opt;
    [$rc, $o, $e] = sh(sprintf('wrk -t%d -c%d -d%ds --timeout 30s --latency %s', $opt['threads'], $opt['connections'], $secs, escapeshellarg($url)));
    if ($rc !== 0) die_msg("wrk failed: $e");
    $ms = function (string $v, string $u): float {
        return (float)$v * ['us' => 0.001, 'ms' => 1.0, 's' => 1000.0, 'm' => 60000.0][$u];
    };
    preg_match('/Requests\/sec:\s+([\d.]+)/', $o, $rps);
    preg_match('/^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m', $o, $p50);
    preg_match('/^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m', $o, $p99);
    preg_match('/Socket errors: (.*)$/m', $o, $serr);
    return ['rps' => (float)($rps[1] ?? 0), 'p50_ms' => $p50 ? $ms($p50[1], $p50[2]) : null,
            'p99_ms' => $p99 ? $ms($p99[1], $p99[2]) : null, 'socket_errors' => $serr[1] ?? null, 'raw' => $o];
}

/** payload => count of the whole topic, read from the beginning with a fresh group. */
function read_topic(string $topic, int $expect): array
{
    global $brokers;
    $c = new consumer(['bootstrap.servers' => $brokers, 'group.id' => "bench-web-count-" . bin2hex(random_bytes(4)),
        'enable.auto.commit' => 'false'], ['auto.offset.reset' => 'earliest'], $topic);
    $seen = [];
    $n = 0;
    $t0 = microtime(true);
    while (microtime(true) - $t0 < 120) {
        $m = $c->consume($n >= $expect ? 2000 : 5000)->wait();
        if ($m === null) { if ($n >= $expect || microtime(true) - $t0 > 30) break; continue; }
        $seen[$m->val] = ($seen[$m->val] ?? 0) + 1;
        $n++;
    }
    $c->close()->wait();
    return $seen;
}

function one_run(string $mode, int $r): array
{
    global $opt, $web, $tmp, $flameSo, $peer, $brokers, $raw, $known;
    if ($mode === 'php-rdkafka' && $peer['so'] === null) return ['na' => "php-rdkafka {$peer['why']}"];
    $topic = "bench-web-" . getmypid() . "-r$r-$mode";
    [$rc, , $e] = sh(escapeshellarg($raw) . ' create-topic --brokers ' . escapeshellarg($brokers) . ' --topic ' . escapeshellarg($topic) . ' --partitions 3');
    if ($rc !== 0) die_msg("create-topic $topic: $e");
    $dir = "$tmp/$mode-r$r";
    $ext = $mode === 'php-rdkafka' ? $peer['so'] : $flameSo;
    $cmd = escapeshellarg($web) . " start --dir " . escapeshellarg($dir) . " --port {$opt['port']} --root " . escapeshellarg(ROOT . '/bench/web')
        . " --workers {$opt['workers']} --ext " . escapeshellarg($ext)
        . ' --env ' . escapeshellarg("BENCH_BROKERS=$brokers") . ' --env ' . escapeshellarg("BENCH_TOPIC=$topic");
    [$rc, $o, $e] = sh($cmd);
    if ($rc !== 0) die_msg("web.sh start: $e");
    $url = trim($o) . '/' . $known[$mode];
    $stop = fn () => sh(escapeshellarg($web) . ' stop --dir ' . escapeshellarg($dir));
    // probe: the answer must be an offset (or the 501 of a build without the feature)
    $probe = @file_get_contents($url, false, stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 30]]));
    $status = isset($http_response_header[0]) && preg_match('/ (\d{3})/', $http_response_header[0], $mm) ? (int)$mm[1] : 0;
    if ($status === 501) {
        $stop();
        return ['na' => 'not available in this build (' . preg_replace('/^not available in this build: /', '', trim((string)$probe)) . ')'];
    }
    if ($status !== 200 || !preg_match('/^\d+$/', trim((string)$probe))) {
        $stop();
        die_msg("$mode: the probe answered $status: " . trim((string)$probe) . " (see $dir)");
    }
    wrk($url, 1);                       // warm-up (OPcache, and the persistent client of each worker)
    $w = wrk($url, $opt['seconds']);
    $rss = array_map(fn ($l) => (int)explode(' ', $l)[1], array_filter(explode("\n", trim(sh(escapeshellarg($web) . ' sample --dir ' . escapeshellarg($dir))[1]))));
    $stop();                            // graceful: each worker flushes what it still holds
    // Every request's fate from the access log: status => ids.
    $ok = [];
    $other = [];
    foreach (file("$dir/access.log", FILE_IGNORE_NEW_LINES) as $line) {
        [$st, $id] = explode(' ', $line);
        if ($st === '200') $ok[$id] = true; else $other[$st] = ($other[$st] ?? 0) + 1;
    }
    $seen = read_topic($topic, count($ok));
    $lost = count(array_diff_key($ok, $seen));
    $dup = count(array_filter($seen, fn ($c) => $c > 1));
    $extra = count(array_diff_key($seen, $ok));     // produced by a request whose answer was not a 200
    sh(escapeshellarg($raw) . ' delete-topic --brokers ' . escapeshellarg($brokers) . ' --topic ' . escapeshellarg($topic));
    $res = ['rps' => $w['rps'], 'p50_ms' => $w['p50_ms'], 'p99_ms' => $w['p99_ms'], 'socket_errors' => $w['socket_errors'],
            'answers_200' => count($ok), 'other_answers' => $other, 'in_topic' => array_sum($seen),
            'lost' => $lost, 'duplicated' => $dup, 'unanswered_in_topic' => $extra,
            'worker_rss_kb' => $rss];
    note(sprintf('  run %d/%d  %-16s %7.1f req/s  p50 %6.1f ms  p99 %6.1f ms  200: %d, in topic: %d (lost %d, duplicated %d, not answered 200: %d)%s',
        $r, $opt['runs'], $mode, $res['rps'], $res['p50_ms'], $res['p99_ms'], $res['answers_200'], $res['in_topic'],
        $lost, $dup, $extra, $other ? ' other answers: ' . json_encode($other) : ''));
    return $res;
}

note(sprintf('bench-web: nginx + php-fpm (%d workers) + wrk (%d threads, %d connections), %d s per run, %d run(s), brokers %s',
    $opt['workers'], $opt['threads'], $opt['connections'], $opt['seconds'], $opt['runs'], $brokers));
$t0 = microtime(true);
$results = [];
for ($r = 1; $r <= $opt['runs']; $r++) {
    // rotate the order, so that the drift of a shared machine hits every mode alike
    $order = array_merge(array_slice($modes, ($r - 1) % count($modes)), array_slice($modes, 0, ($r - 1) % count($modes)));
    foreach ($order as $mode) $results[$mode][$r] = one_run($mode, $r);
}
$elapsed = microtime(true) - $t0;

// ------------------------------------------------------------------ table
$base = 'php-rdkafka';
$rows = [];
$allOk = true;
foreach ($modes as $mode) {
    $runs = $results[$mode];
    $na = array_values(array_filter(array_column($runs, 'na')));
    if ($na) { $rows[] = [$mode, $na[0]]; continue; }
    $ratio = $p50r = [];
    foreach ($runs as $r => $x) {
        $b = $results[$base][$r] ?? null;
        if ($mode !== $base && $b && !isset($b['na'])) { $ratio[] = $x['rps'] / $b['rps']; $p50r[] = $x['p50_ms'] / $b['p50_ms']; }
    }
    $sum = fn ($k) => array_sum(array_column($runs, $k));
    $lost = $sum('lost'); $dup = $sum('duplicated');
    $allOk = $allOk && $lost === 0 && $dup === 0;
    $target = '';
    if ($mode === 'flame' && $ratio) $target = (median($ratio) >= 1.0 ? '✓' : '✗') . ' req/s ≥ 1.0× php-rdkafka';
    if ($mode === 'flame-persistent' && $ratio) $target = (median($ratio) >= 3.0 && median($p50r) <= 1 / 3 ? '✓' : '✗') . ' req/s ≥ 3× php-rdkafka, p50 ≤ ⅓';
    $rows[] = [$mode, number_format(median(array_column($runs, 'rps')), 1), sprintf('%.1f', median(array_column($runs, 'p50_ms'))),
        sprintf('%.1f', median(array_column($runs, 'p99_ms'))),
        $mode === $base ? '1' : ($ratio ? sprintf('%.2f×', median($ratio)) : '–'),
        $mode === $base ? '1' : ($p50r ? sprintf('%.2f×', median($p50r)) : '–'),
        number_format($sum('answers_200')), number_format($sum('in_topic')),
        ($lost === 0 && $dup === 0 ? '✓ ' : '✗ ') . "lost $lost, duplicated $dup" . ($sum('unanswered_in_topic') ? ', +' . $sum('unanswered_in_topic') . ' not answered 200' : ''),
        $target];
}
$hdr = ['mode', 'req/s', 'p50 ms', 'p99 ms', 'req/s ratio to php-rdkafka', 'p50 ratio to php-rdkafka', '200 answers', 'messages in topic', 'topic = 200 answers', 'target'];
$w = fn (string $s) => preg_match_all('/./su', $s);
$md = '| ' . implode(' | ', $hdr) . " |\n|" . implode('|', array_map(fn ($i) => $i === 0 || $i >= 8 ? ':--' : '--:', array_keys($hdr))) . "|\n";
foreach ($rows as $row) {
    if (count($row) === 2) { $md .= "| {$row[0]} | {$row[1]} |" . str_repeat(' |', count($hdr) - 2) . "\n"; continue; }
    $md .= '| ' . implode(' | ', $row) . " |\n";
}
$cpu = preg_match('/^model name\s*:\s*(.+)$/m', (string)@file_get_contents('/proc/cpuinfo'), $m) ? trim($m[1]) : '?';
$os = preg_match('/^PRETTY_NAME="?([^"\n]+)/m', (string)@file_get_contents('/etc/os-release'), $m) ? $m[1] : PHP_OS;
$nginxV = trim((string)shell_exec('nginx -v 2>&1 | sed "s/.*\///"'));
$mline = sprintf('Machine: %d cores, %s, %s; PHP %s (php-fpm, OPcache on), nginx %s (1 worker process), wrk %d threads × %d connections; '
    . '%d php-fpm workers (pm static); flame_kafka %s at commit %s; php-rdkafka %s; broker %s; %d run(s) of %d s (+1 s warm-up), medians, ratios per run; %s.',
    (int)trim((string)shell_exec('nproc')), $cpu, $os, PHP_VERSION, $nginxV, $opt['threads'], $opt['connections'], $opt['workers'],
    $flameVersion, $commit, $peer['so'] ? $peer['version'] : $peer['why'], $brokers, $opt['runs'], $opt['seconds'], gmdate('Y-m-d H:i') . ' UTC');
echo "\n", $md, "\n", $mline, "\n";
printf("Benchmark time: %.0f s.\n", $elapsed);
@mkdir($opt['out'], 0777, true);
file_put_contents($opt['out'] . '/results.md', $md . "\n" . $mline . "\n");
file_put_contents($opt['out'] . '/results.json', json_encode(['options' => $opt, 'commit' => $commit, 'machine' => $mline,
    'results' => array_map(fn ($runs) => array_map(fn ($x) => array_diff_key($x, ['raw' => 1]), $runs), $results)],
    JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
exec('rm -rf ' . escapeshellarg($tmp));
exit($allOk ? 0 : 1);
