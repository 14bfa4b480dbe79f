<?php
/*
 * Scenario 10: php-fpm soak (issue 19). nginx + php-fpm (2 static workers, pm.max_requests 0:
 * never recycled) + wrk, launched by scripts/web.sh, the flame_kafka.so under test in the
 * workers. Three runs, each in a fresh php-fpm:
 *   producer     a new producer per request: one awaited + one fire-and-forget produce
 *   consumer     a new consumer per request: join the worker's group, consume one, commit, close
 *   persistent   the producer run with `flame.persistent` => true (lights up when the build has it;
 *                until then "not available in this build", which is not a failure)
 * Each run: a warm phase of SOAK_WARM requests (default 10% of the run), then each worker's RSS
 * (VmRSS), threads and open fds are sampled; then the rest of the run, and the same sample.
 * Samples are taken with the workers idle: the access log has stopped moving, then 12 s more
 * (the runtime's blocking-pool threads end after 10 s idle; the threads that stay are counted).
 * FAIL when, for any worker, RSS grows by more than 1 MB between the samples, or threads or fds
 * grow at all, or a worker was replaced, or PHP logged an error, or a message is missing:
 *   producer runs: both messages ("a"/"f" + nginx's request id) of every 200 answer are in the
 *                  topic, exactly once;
 *   consumer run:  per worker (one group per worker, one partition), the answered offsets are
 *                  0, 1, 2, ... with no gap and no repeat (each commit seen by the next consumer).
 * Sizes: SOAK_REQUESTS (100000) for the producer runs; SOAK_CONSUMER_REQUESTS (5000) for the
 * consumer run, whose group join + leave costs ~0.35 s per request here (100,000 would take
 * hours); SOAK_RUNS (producer,consumer,persistent). Ports 29510-29512 on loopback.
 * Docs: tests/faults/SOAK.md.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$root = faults_root();
$web = "$root/scripts/web.sh";
$total = (int)env_or('SOAK_REQUESTS', '100000');
$ctotal = (int)env_or('SOAK_CONSUMER_REQUESTS', '5000');
$runs = array_filter(explode(',', env_or('SOAK_RUNS', 'producer,consumer,persistent')));
$workers = 2;
$connections = 4;
$limitKb = 1024;

function sh(string $cmd): array
{
    exec($cmd . ' 2>&1', $out, $rc);
    return [$rc, implode("\n", $out)];
}

[$rc, $o] = sh(escapeshellarg($web) . ' deps');
if ($rc !== 0) {
    result(false, "nginx / php-fpm / wrk not available: $o");
    exit(0);
}

/** [pid => [rss_kb, threads, fds]] of the run's workers. */
function sample(string $dir): array
{
    global $web;
    [, $o] = sh(escapeshellarg($web) . ' sample --dir ' . escapeshellarg($dir));
    $s = [];
    foreach (array_filter(explode("\n", trim($o))) as $l) {
        [$pid, $rss, $thr, $fds] = array_map('intval', explode(' ', $l));
        $s[$pid] = [$rss, $thr, $fds];
    }
    ksort($s);
    return $s;
}

/** Waits until the access log stops growing (the requests still in flight when wrk stopped are done). */
function settle(string $dir): int
{
    $last = -1;
    for ($i = 0; $i < 100; $i++) {
        clearstatcache();
        $n = count(file("$dir/access.log") ?: []);
        if ($n === $last) return $n;
        $last = $n;
        usleep(500000);
    }
    return $last;
}

/** wrk until $n responses (-t1, so the Lua counter is the run's); returns requests per second. */
function wrk_n(string $url, int $n, int $connections): float
{
    if ($n <= 0) return 0.0;
    $cmd = 'WRK_REQUESTS=' . $n . ' wrk -t1 -c' . $connections . ' -d3600s --timeout 60s -s '
        . escapeshellarg(__DIR__ . '/s10_wrk_stop.lua') . ' ' . escapeshellarg($url);
    $t = microtime(true);
    sh($cmd);
    return $n / (microtime(true) - $t);
}

/** The access log: list of [status, request_id, answer]. */
function access_log(string $dir): array
{
    $rows = [];
    foreach (file("$dir/access.log", FILE_IGNORE_NEW_LINES) ?: [] as $l) {
        $f = explode(' ', $l);
        $rows[] = [$f[0], $f[1], $f[3] ?? '-'];
    }
    return $rows;
}

$table = [];
$failures = [];
$na = [];
$port = 29510;
foreach ($runs as $run) {
    $consumerRun = $run === 'consumer';
    $n = $consumerRun ? $ctotal : $total;
    $warm = (int)env_or('SOAK_WARM', (string)intdiv($n, 10));
    $topic = unique_name("fpm_$run");
    create_topic($topic, $consumerRun ? 1 : 3);
    if ($consumerRun) {
        // enough for every request of both workers (each worker's group reads the partition from 0)
        $p = new flame\db\kafka\producer(pconf(['linger.ms' => 20]), [], $topic);
        for ($i = 0; $i < $n + 1000; $i++) {
            $p->produce("c$i");
        }
        $p->flush(60000)->wait();
        unset($p);
    }
    $dir = faults_tmp() . "/s10-$run";
    $env = ['SOAK_BROKERS=' . faults_brokers(), "SOAK_TOPIC=$topic", 'SOAK_GROUP=' . unique_name('fpmgroup'),
            'SOAK_PERSISTENT=' . ($run === 'persistent' ? '1' : '0')];
    $cmd = escapeshellarg($web) . ' start --dir ' . escapeshellarg($dir) . " --port $port --workers $workers --root "
        . escapeshellarg(__DIR__ . '/s10_web') . ' --ext ' . escapeshellarg(faults_ext())
        . ' --ini error_reporting=-1 --ini flame_kafka.shutdown_timeout_ms=10000';
    foreach ($env as $e) $cmd .= ' --env ' . escapeshellarg($e);
    $port++;
    [$rc, $o] = sh($cmd);
    if ($rc !== 0) {
        $failures[] = "$run: web.sh start failed: $o";
        continue;
    }
    $url = trim($o) . '/' . ($consumerRun ? 'consumer.php' : 'producer.php');
    $stop = fn () => sh(escapeshellarg($web) . ' stop --dir ' . escapeshellarg($dir));
    $probe = (string)@file_get_contents($url, false, stream_context_create(['http' => ['ignore_errors' => true, 'timeout' => 60]]));
    $status = isset($http_response_header[0]) && preg_match('/ (\d{3})/', $http_response_header[0], $mm) ? (int)$mm[1] : 0;
    if ($status === 501) {
        $stop();
        $na[$run] = 'not available in this build';
        echo "  $run: not available in this build (", trim(preg_replace('/^not available in this build: /', '', $probe)), ")\n";
        continue;
    }
    if ($status !== 200) {
        $stop();
        $failures[] = "$run: the first request answered $status: " . trim($probe);
        continue;
    }
    $t0 = microtime(true);
    wrk_n($url, $warm - 1, $connections);
    $done1 = settle($dir);
    sleep(12);      // tokio's blocking-pool threads end after 10 s idle: count the threads that stay
    $s1 = sample($dir);
    $rps2 = wrk_n($url, $n - $done1, $connections);
    $done2 = settle($dir);
    sleep(12);
    $s2 = sample($dir);
    $secs = microtime(true) - $t0;
    $stop();

    // ---- what the workers answered
    $log = access_log($dir);
    $ok = [];
    $statuses = [];
    $perPid = [];      // pid => list of answers (consumer: offsets)
    foreach ($log as [$st, $id, $ans]) {
        $statuses[$st] = ($statuses[$st] ?? 0) + 1;
        if ($ans !== '-') {
            $f = explode(':', $ans);
            $perPid[(int)$f[0]][] = (int)end($f);
        }
        if ($st === '200') $ok[$id] = true;
    }
    $found = '';
    $msgOk = true;
    if ($consumerRun) {
        $bad = [];
        foreach ($perPid as $pid => $offs) {
            $sorted = $offs;
            sort($sorted);
            if ($sorted && $sorted !== range(0, count($sorted) - 1)) {
                $dups = count($sorted) - count(array_unique($sorted));
                $bad[] = "worker $pid: " . count($sorted) . " offsets, $dups repeated, highest " . end($sorted);
            }
        }
        $msgOk = !$bad && array_sum(array_map('count', $perPid)) >= count($ok);
        $found = sprintf('%s consumed, offsets 0..n-1 per worker %s', number_format(array_sum(array_map('count', $perPid))), $bad ? '✗ ' . implode('; ', $bad) : '✓');
    } else {
        $seen = [];
        $nread = drain_topic_sync($topic, 2 * count($log), function ($m) use (&$seen) {
            $seen[$m->val] = ($seen[$m->val] ?? 0) + 1;
        }, 3000, 300.0);
        $missing = 0;
        foreach ($ok as $id => $_) {
            if (($seen["a$id"] ?? 0) !== 1) $missing++;
            if (($seen["f$id"] ?? 0) !== 1) $missing++;
        }
        $dups = count(array_filter($seen, fn ($c) => $c > 1));
        $msgOk = $missing === 0 && $dups === 0;
        $found = sprintf('%s in topic for %s answers × 2: %d missing, %d duplicated %s', number_format($nread), number_format(count($ok)), $missing, $dups, $msgOk ? '✓' : '✗');
    }
    if (!$msgOk) $failures[] = "$run: messages: $found";
    $errLog = is_file("$dir/php-errors.log") ? trim((string)file_get_contents("$dir/php-errors.log")) : '';
    if ($errLog !== '') $failures[] = "$run: PHP logged: " . strtok($errLog, "\n");
    $fpmLog = (string)@file_get_contents("$dir/php-fpm.log");
    if (preg_match('/exited on signal|exited with code [1-9]|WARNING: \[pool/', $fpmLog, $m)) $failures[] = "$run: php-fpm log: " . $m[0];
    if (array_keys($s1) !== array_keys($s2) || count($s1) !== $workers) {
        $failures[] = "$run: workers changed between the samples (" . implode(',', array_keys($s1)) . ' -> ' . implode(',', array_keys($s2)) . ')';
    }
    foreach ($s2 as $pid => [$rss2, $thr2, $fds2]) {
        [$rss1, $thr1, $fds1] = $s1[$pid] ?? [0, 0, 0];
        $answered = count($perPid[$pid] ?? []);
        $growth = $rss2 - $rss1;
        $verdict = [];
        if ($growth > $limitKb) $verdict[] = sprintf('RSS +%d kB > 1 MB', $growth);
        if ($thr2 > $thr1) $verdict[] = "threads $thr1 -> $thr2";
        if ($fds2 > $fds1) $verdict[] = "fds $fds1 -> $fds2";
        foreach ($verdict as $v) $failures[] = "$run, worker $pid: $v";
        $table[] = [$run, $pid, $answered, $rss1, $rss2, $growth, "$thr1 → $thr2", "$fds1 → $fds2", $verdict ? '✗' : '✓'];
    }
    $req = count($log);
    printf("  %s: %s requests (%s) in %.0f s, %.0f req/s after warm-up; samples after %s and %s requests; %s\n",
        $run, number_format($req), implode(', ', array_map(fn ($k, $v) => "$v × $k", array_keys($statuses), $statuses)),
        $secs, $rps2, number_format($done1), number_format($done2), $found);
    // bytes per request between the samples, per worker: the figure a per-client leak shows as
    $perReq = [];
    foreach ($s2 as $pid => [$rss2]) {
        $share = $req ? count($perPid[$pid] ?? []) * ($done2 - $done1) / $req : 0;   // its share of the 2nd phase
        if ($share > 0 && isset($s1[$pid])) {
            $b = ($rss2 - $s1[$pid][0]) * 1024 / $share;
            // at that rate, what 100,000 requests (half of them this worker's) would add
            $perReq[] = sprintf('worker %d %+.0f B/request (%+.1f MB per 100,000 requests)', $pid, $b, $b * 50000 / 1048576);
        }
    }
    echo '    RSS growth between the samples: ', implode(', ', $perReq), "\n";
}

printf("\n  %-10s %7s %9s %12s %12s %10s %10s %10s %s\n", 'run', 'worker', 'answered', 'RSS 1st kB', 'RSS end kB', 'growth kB', 'threads', 'fds', 'ok');
foreach ($table as [$run, $pid, $ans, $r1, $r2, $g, $t, $f, $v]) {
    printf("  %-10s %7d %9s %12s %12s %+10d %10s %10s %s\n", $run, $pid, number_format($ans), number_format($r1), number_format($r2), $g, $t, $f, $v);
}
foreach ($na as $run => $why) printf("  %-10s %s\n", $run, $why);
if ($failures) {
    foreach ($failures as $f) echo "  FAIL: $f\n";
    result(false, count($failures) . ' problem(s): ' . $failures[0]);
} else {
    result(true, 'workers flat (RSS ≤ 1 MB, threads and fds equal) and every message accounted for' . ($na ? '; ' . implode(', ', array_keys($na)) . ' not available in this build' : ''));
}
