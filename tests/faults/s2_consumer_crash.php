<?php
/*
 * Scenario 2: a consumer that commits after processing (enable.auto.commit =
 * false) is killed with SIGKILL mid-stream, twice (at 1,500 and 3,000
 * processed); a restarted consumer of the same group reads the rest. PASS iff no message is missed (at-least-once); the
 * number of messages processed twice (redelivered) is printed.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$total = (int)($argv[1] ?? 4500);
$kills = array_map('intval', explode(',', $argv[2] ?? '1500,3000'));   // processed counts at which a consumer is killed
$topic = unique_name('crash');
$group = unique_name('crashgroup');
create_topic($topic, 3);

// produce the stream
$p = new flame\db\kafka\producer(pconf(['linger.ms' => 5]), [], $topic);
for ($i = 0; $i < $total; $i++) {
    $p->produce("v$i", "k$i");
}
$p->flush(60000)->wait();
unset($p);

$lines = static fn(string $f): int => is_file($f) ? substr_count((string)file_get_contents($f), "\n") : 0;
$logs = [];
$processed_total = 0;
// consumers of the same group, each killed with SIGKILL once the group has
// processed the next kill point
foreach ($kills as $k => $kill_at) {
    $log = faults_tmp() . "/s2_consumer$k.$group.log";
    @unlink($log);
    $logs[] = $log;
    $cmd = php_cmd(__DIR__ . '/s2_consumer_child.php', [$topic, $group, $log, 0]);
    $proc = proc_open('exec ' . $cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', faults_tmp() . "/s2_consumer$k.out", 'w'], 2 => ['file', faults_tmp() . "/s2_consumer$k.err", 'w']], $pipes);
    $t0 = microtime(true);
    while ($processed_total + $lines($log) < $kill_at && microtime(true) - $t0 < 120 && proc_get_status($proc)['running']) {
        usleep(5000);
    }
    proc_terminate($proc, 9);
    do {
        usleep(10000);
        $st = proc_get_status($proc);
    } while ($st['running']);
    proc_close($proc);
    $processed_total += $lines($log);
    printf("  consumer %d killed (%s) after %d processed messages (%.1f s)\n", $k + 1,
        $st['signaled'] ? signal_name($st['termsig']) : 'exit ' . $st['exitcode'], $lines($log), microtime(true) - $t0);
}

// the last consumer of the same group reads the rest
$log = faults_tmp() . "/s2_last.$group.log";
@unlink($log);
$logs[] = $log;
$t1 = microtime(true);
$r = run_child(__DIR__ . '/s2_consumer_child.php', [$topic, $group, $log, 8], [], 240.0);
$last_secs = microtime(true) - $t1;

$read = static function (string $f): array {
    $out = [];
    foreach (file($f, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $l) {
        [, , $v] = explode(':', $l, 3);
        $out[] = (int)substr($v, 1);
    }
    return $out;
};
$seen = array_fill(0, $total, 0);
$per = [];
foreach ($logs as $l) {
    $ids = $read($l);
    $per[] = count($ids);
    foreach ($ids as $i) {
        $seen[$i]++;
    }
}
$missed = $redelivered = 0;
for ($i = 0; $i < $total; $i++) {
    if ($seen[$i] === 0) {
        $missed++;
    } else {
        $redelivered += $seen[$i] - 1;
    }
}
figure('produced', $total);
figure('processed per consumer', implode(' + ', $per) . ' = ' . array_sum($per));
figure('consumers killed (SIGKILL)', count($kills));
figure('redelivered (processed twice)', $redelivered);
figure('missed', $missed);
figure('last consumer ended', child_end($r));
figure('last consumer wall time (s)', $last_secs);
if (trim($r['err']) !== '') {
    echo "  second consumer stderr:\n    ", str_replace("\n", "\n    ", trim($r['err'])), "\n";
}
$ok = $missed === 0 && !$r['signal'] && $r['status'] === 0 && min(array_slice($per, 0, -1)) > 0;
result($ok, $ok ? "nothing missed after " . count($kills) . " kills, $redelivered redelivered" : "missed=$missed per-consumer=" . implode('+', $per) . ' last: ' . child_end($r));
foreach ($logs as $l) {
    @unlink($l);
}
