<?php
/*
 * Scenario 1: the broker is killed (kill -9) and restarted on the same data in
 * the middle of a 100,000-message awaited produce (200 coroutines, each
 * yielding produce()), with acks=all and enable.idempotence=true.
 * Afterwards the topic is read back.
 * PASS iff every acknowledged message is found and none is duplicated
 * (and every produce() resolved one way or the other).
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$total = (int)($argv[1] ?? 100000);
$coroutines = 200;
$kill_at = (int)($total * 0.3);
$topic = unique_name('kill');
create_topic($topic, 3);

$p = new flame\db\kafka\producer(pconf([
    'acks' => 'all',
    'enable.idempotence' => true,
    'message.timeout.ms' => 60000,
    'linger.ms' => 5,
]), [], $topic);

$acked = str_repeat("\0", $total);
$n_acked = $n_failed = $n_sent = 0;
$fail_codes = [];
$killed_at = null;
$restarted_after = null;
$stall = 0.0;
$last_ack = microtime(true);

$marker = faults_tmp() . '/s1_restart.' . getmypid();
@unlink($marker);

for ($c = 0; $c < $coroutines; $c++) {
    flame\go(function () use ($c, $coroutines, $total, $p, &$acked, &$n_acked, &$n_failed, &$n_sent, &$fail_codes, &$stall, &$last_ack) {
        for ($i = $c; $i < $total; $i += $coroutines) {
            $n_sent++;
            try {
                $m = yield $p->produce("m$i", (string)$i);
                $acked[$i] = "\1";
                $n_acked++;
                $now = microtime(true);
                $stall = max($stall, $now - $last_ack);
                $last_ack = $now;
            } catch (flame\db\kafka\exception $e) {
                $n_failed++;
                $fail_codes[$e->getCode() . ' ' . $e->getMessage()] = ($fail_codes[$e->getCode() . ' ' . $e->getMessage()] ?? 0) + 1;
            }
        }
    });
}

// The chaos monkey: kill -9 at 30 % acknowledged, restart in the background.
flame\go(function () use ($kill_at, $total, $marker, &$n_acked, &$n_failed, &$killed_at, &$restarted_after) {
    while ($n_acked < $kill_at && $n_acked + $n_failed < $total) {
        yield flame\time\sleep(5);
    }
    $pidfile = faults_state_dir() . '/broker.pid';
    $pid = (int)trim((string)@file_get_contents($pidfile));
    if ($pid <= 0) {
        echo "  no broker pid in $pidfile\n";
        return;
    }
    exec("kill -9 " . $pid);
    $killed_at = microtime(true);
    echo "  broker pid $pid killed (SIGKILL) after $n_acked acknowledgements\n";
    // wait until every thread of the process is gone (the listening socket
    // closes with the last one), then restart on the same data
    while (file_exists("/proc/$pid")) {
        yield flame\time\sleep(10);
    }
    for ($attempt = 1; ; $attempt++) {
        @unlink($marker);
        $cmd = '(env ' . faults_kafka_env() . ' ' . escapeshellarg(faults_root() . '/scripts/kafka.sh') . ' start >'
            . escapeshellarg($marker . '.log') . ' 2>&1; echo $? >' . escapeshellarg($marker . '.tmp') . '; mv '
            . escapeshellarg($marker . '.tmp') . ' ' . escapeshellarg($marker) . ') >/dev/null 2>&1 &';
        exec($cmd);
        while (!file_exists($marker)) {
            yield flame\time\sleep(50);
        }
        if (trim((string)file_get_contents($marker)) === '0') {
            break;
        }
        echo "  restart attempt $attempt failed: ", trim((string)@file_get_contents($marker . '.log')), "\n";
        if ($attempt >= 3) {
            result(false, 'the broker could not be restarted');
            exit(1);
        }
        yield flame\time\sleep(2000);
    }
    $restarted_after = microtime(true) - $killed_at;
    echo sprintf("  broker restarted on the same data %.1f s after the kill\n", $restarted_after);
});

$t0 = microtime(true);
flame\run();
$produce_secs = microtime(true) - $t0;
@unlink($marker);
@unlink($marker . '.log');

// read everything back
$seen = array_fill(0, $total, 0);
$foreign = 0;
drain_topic_sync($topic, $n_acked, function ($m) use (&$seen, &$foreign, $total) {
    $i = (int)substr($m->val, 1);
    if ($m->val !== "m$i" || $i < 0 || $i >= $total) {
        $foreign++;
        return;
    }
    $seen[$i]++;
}, 5000, 180.0);

$found = $dup = $missing_acked = $found_failed = 0;
for ($i = 0; $i < $total; $i++) {
    if ($seen[$i] > 0) {
        $found++;
        $dup += $seen[$i] - 1;
        if ($acked[$i] === "\0") {
            $found_failed++;
        }
    } elseif ($acked[$i] === "\1") {
        $missing_acked++;
    }
}
figure('sent', $n_sent);
figure('acknowledged', $n_acked);
figure('failed', $n_failed);
foreach ($fail_codes as $k => $n) {
    figure('  failure', "$n x $k");
}
figure('found (distinct)', $found);
figure('duplicated', $dup);
figure('acknowledged but missing', $missing_acked);
figure('failed but found anyway', $found_failed);
figure('unexpected records', $foreign);
figure('produce wall time (s)', $produce_secs);
figure('longest ack stall (s)', $stall);
figure('broker down->up (s)', $restarted_after === null ? 'n/a' : sprintf('%.1f', $restarted_after));
$ok = $killed_at !== null && $restarted_after !== null && $missing_acked === 0 && $dup === 0
    && $n_acked + $n_failed === $total && $foreign === 0;
result($ok, $ok ? "all $n_acked acknowledged found, 0 duplicates"
    : ($killed_at === null ? 'the broker was never killed' : "missing=$missing_acked dup=$dup resolved=" . ($n_acked + $n_failed) . "/$total foreign=$foreign"));
