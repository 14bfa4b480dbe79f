<?php
/*
 * Cluster scenario c1 (CLUSTER.md): 100,000 awaited produces (200 coroutines,
 * acks=all, enable.idempotence=true) to a 3-partition topic with replication
 * factor 3 and min.insync.replicas=2 on the 3-node cluster.
 *   - at 30 % acknowledged: the leader of partition 0 is killed with -9;
 *   - at 60 % acknowledged: a second node is killed with -9: one node is left,
 *     below min.insync.replicas (and without a controller quorum);
 *     the outage is held for HOLD seconds;
 *   - both are restarted on their data; every pending produce goes through.
 * Then the topic is read back.
 * PASS iff every acknowledged message is found, none is duplicated, nothing was
 * acknowledged while only one node was up (acks there could not be on two),
 * every failure (if any) was retriable, and all produces resolved.
 */
declare(strict_types=1);
require __DIR__ . '/cluster_lib.php';

$total = (int)($argv[1] ?? 100000);
$hold_s = (float)($argv[2] ?? 15);
$coroutines = 200;
$topic = unique_name('c1');
cluster_topic_create($topic, 3);
$first = cluster_leader($topic, 0);
echo "  topic $topic: 3 partitions, RF 3, min.insync.replicas 2; leader of partition 0: node $first\n";

$p = new flame\db\kafka\producer(cluster_producer_conf(['message.timeout.ms' => 300000]), [], $topic);

$acked = str_repeat("\0", $total);
$ack_time = [];                   // second => acks in it (relative to start)
$n_acked = $n_failed = $n_sent = 0;
$fail_codes = [];
$non_retriable = 0;
$t0 = microtime(true);
$ev = [];                         // event => time (s since start)
$stall = 0.0;
$last_ack = $t0;
$one_node_from = $one_node_to = null;
$acked_one_node = 0;              // acks while only one node was up (after a 1 s grace)
$resume_after = null;             // event name while waiting for the first ack after it
$resumed = [];                    // event name => time of that first ack

for ($c = 0; $c < $coroutines; $c++) {
    flame\go(function () use ($c, $coroutines, $total, $p, &$acked, &$n_acked, &$n_failed, &$n_sent, &$fail_codes,
        &$non_retriable, &$stall, &$last_ack, &$one_node_from, &$one_node_to, &$acked_one_node, &$resume_after, &$resumed) {
        for ($i = $c; $i < $total; $i += $coroutines) {
            $n_sent++;
            try {
                yield $p->produce("m$i", (string)$i);
                $acked[$i] = "\1";
                $n_acked++;
                $now = microtime(true);
                $stall = max($stall, $now - $last_ack);
                if ($resume_after !== null) {   // the first ack after a kill / after the restarts began
                    $resumed[$resume_after] = $now;
                    $resume_after = null;
                }
                $last_ack = $now;
                if ($one_node_from !== null && $now > $one_node_from + 1.0 && ($one_node_to === null || $now < $one_node_to)) {
                    $acked_one_node++;
                }
            } catch (flame\db\kafka\exception $e) {
                $n_failed++;
                $k = $e->getCode() . ' ' . $e->getMessage();
                $fail_codes[$k] = ($fail_codes[$k] ?? 0) + 1;
                // librdkafka's retriable errors: broker-side NOT_ENOUGH_REPLICAS(19),
                // NOT_ENOUGH_REPLICAS_AFTER_APPEND(20), REQUEST_TIMED_OUT(7), local timeouts
                if (!in_array($e->getCode(), [19, 20, 7, 6, -192, -185], true)) {
                    $non_retriable++;
                }
            }
        }
    });
}

$second = null;
$acked_at = [];
flame\go(function () use ($total, $first, $hold_s, $t0, &$n_acked, &$n_failed, &$ev, &$second, &$acked_at,
    &$one_node_from, &$one_node_to, &$resume_after) {
    $wait_for = function (int $n) use ($total, &$n_acked, &$n_failed): Generator {
        while ($n_acked < $n && $n_acked + $n_failed < $total) {
            yield flame\time\sleep(5);
        }
    };
    yield $wait_for((int)($total * 0.3));
    [$out, $rc] = yield cluster_sh_async("kill $first");
    $ev['kill1'] = microtime(true) - $t0;
    $resume_after = 'kill1';
    $acked_at['kill1'] = $n_acked;
    printf("  %6.1f s  node %d (leader of partition 0) killed with -9 after %d acks%s\n", $ev['kill1'], $first,
        $n_acked, $rc ? " (kill failed: $out)" : '');

    yield $wait_for((int)($total * 0.6));
    $ev['resumed1'] = microtime(true) - $t0;
    $others = array_values(array_diff([1, 2, 3], [$first]));
    $second = $others[0];
    [$out, $rc] = yield cluster_sh_async("kill $second");
    $ev['kill2'] = microtime(true) - $t0;
    $acked_at['kill2'] = $n_acked;
    $one_node_from = microtime(true);
    printf("  %6.1f s  node %d killed with -9 after %d acks: only node %d is up%s\n", $ev['kill2'], $second,
        $n_acked, $others[1], $rc ? " (kill failed: $out)" : '');
    yield flame\time\sleep((int)($hold_s * 1000));
    $acked_at['hold_end'] = $n_acked;
    printf("  %6.1f s  after %.0f s with one node: %d more acks, %d failures so far\n", microtime(true) - $t0,
        $hold_s, $n_acked - $acked_at['kill2'], $n_failed);

    // both back, in parallel; the one-node window ends when they start
    $one_node_to = microtime(true);
    $ev['restart'] = microtime(true) - $t0;
    $resume_after = 'restart';
    $a = cluster_sh_async("restart $first");
    $b = cluster_sh_async("restart $second");
    $ra = $rb = null;
    flame\go(function () use ($a, &$ra) { $ra = yield $a; });
    flame\go(function () use ($b, &$rb) { $rb = yield $b; });
    while ($ra === null || $rb === null) {
        yield flame\time\sleep(50);
    }
    $ev['back'] = microtime(true) - $t0;
    printf("  %6.1f s  nodes %d and %d restarted on their data (%s, %s)\n", $ev['back'], $first, $second,
        $ra[1] === 0 ? 'ok' : 'FAILED: ' . $ra[0], $rb[1] === 0 ? 'ok' : 'FAILED: ' . $rb[0]);
});

flame\run();
$produce_secs = microtime(true) - $t0;
printf("  %6.1f s  all %d produces resolved\n", $produce_secs, $n_acked + $n_failed);

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
figure('nodes killed (-9)', "$first (leader of p0), then $second");
figure('sent', $n_sent);
figure('acknowledged', $n_acked);
figure('  before the first kill', $acked_at['kill1'] ?? 'n/a');
figure('  before the second kill', $acked_at['kill2'] ?? 'n/a');
figure('  while one node was up (>1 s)', $acked_one_node);
figure('  after the restart', $n_acked - ($acked_at['hold_end'] ?? 0));
figure('failed', $n_failed);
foreach ($fail_codes as $k => $n) {
    figure('  failure', "$n x $k");
}
figure('failed with a non-retriable error', $non_retriable);
figure('found (distinct)', $found);
figure('duplicated', $dup);
figure('acknowledged but missing', $missing_acked);
figure('failed but found anyway', $found_failed);
figure('unexpected records', $foreign);
figure('acks resumed after kill 1 (s)', isset($resumed['kill1']) ? sprintf('%.1f', $resumed['kill1'] - $t0 - $ev['kill1']) : 'n/a');
figure('acks resumed after restart (s)', isset($resumed['restart']) ? sprintf('%.1f', $resumed['restart'] - $t0 - $ev['restart']) : 'n/a');
figure('node restarts took (s)', isset($ev['back']) ? sprintf('%.1f', $ev['back'] - $ev['restart']) : 'n/a');
figure('longest ack stall (s)', $stall);
figure('produce wall time (s)', $produce_secs);
$ok = isset($ev['back']) && $missing_acked === 0 && $dup === 0 && $foreign === 0 && $acked_one_node === 0
    && $non_retriable === 0 && $n_acked + $n_failed === $total;
verdict($ok, "all $n_acked acknowledged found, 0 duplicates, 0 acks with one node up",
    "missing=$missing_acked dup=$dup acked_one_node=$acked_one_node non_retriable=$non_retriable resolved="
    . ($n_acked + $n_failed) . "/$total foreign=$foreign" . (isset($ev['back']) ? '' : ' (nodes not restarted)'));
