<?php
/*
 * Cluster scenario c2 (CLUSTER.md): a rolling restart of nodes 1, 2, 3 (each:
 * TERM, controlled shutdown, start on its data, then wait until no partition
 * is under-replicated before the next one) while
 *   - a producer runs continuously: 50 coroutines, each awaiting its produce()
 *     (acks=all, enable.idempotence=true) before the next;
 *   - a consumer group of two consumers (in this process) reads the topic,
 *     committing after processing (enable.auto.commit=false): the latest
 *     message of a partition after every 20 of it, and everything when idle.
 * Production goes on for a few seconds after the last restart, then stops;
 * the group drains what is left, then the topic is read back.
 * PASS iff no acknowledged message is missing from the topic, the topic holds
 * no duplicate, the group processed every acknowledged message, and per
 * partition the offsets the group processed have no gap.
 */
declare(strict_types=1);
require __DIR__ . '/cluster_lib.php';

$coroutines = 50;
$topic = unique_name('c2');
$group = unique_name('c2g');
cluster_topic_create($topic, 3);
echo "  topic $topic: 3 partitions, RF 3, min.insync.replicas 2; group $group (2 members)\n";

$p = new flame\db\kafka\producer(cluster_producer_conf(['message.timeout.ms' => 300000]), [], $topic);
$t0 = microtime(true);
$stop_producing = false;
$stop_consuming = false;
$next = 0;
$acked = [];                    // i => true
$n_failed = 0;
$fail_codes = [];
$stall = 0.0;
$last_ack = microtime(true);

for ($c = 0; $c < $coroutines; $c++) {
    flame\go(function () use ($p, &$stop_producing, &$next, &$acked, &$n_failed, &$fail_codes, &$stall, &$last_ack) {
        while (!$stop_producing) {
            $i = $next++;
            try {
                yield $p->produce("m$i", (string)$i);
                $acked[$i] = true;
                $now = microtime(true);
                $stall = max($stall, $now - $last_ack);
                $last_ack = $now;
            } catch (flame\db\kafka\exception $e) {
                $n_failed++;
                $k = $e->getCode() . ' ' . $e->getMessage();
                $fail_codes[$k] = ($fail_codes[$k] ?? 0) + 1;
            }
        }
    });
}

// the group: per partition, the offsets processed in order (both members)
$processed = [];                // partition => [offset => times]
$max_off = [];                  // partition => highest offset processed so far
$gaps = 0;
$gap_list = [];
$consumed_vals = [];            // i => times processed
$n_processed = 0;
$commit_failures = 0;
$last_processed_at = microtime(true);
for ($member = 1; $member <= 2; $member++) {
    flame\go(function () use ($member, $topic, $group, &$stop_consuming, &$processed, &$max_off, &$gaps, &$gap_list,
        &$consumed_vals, &$n_processed, &$commit_failures, &$last_processed_at) {
        $c = new flame\db\kafka\consumer(cconf($group, ['enable.auto.commit' => false, 'session.timeout.ms' => 6000,
            'heartbeat.interval.ms' => 1000, 'client.id' => "c2-member-$member"]), ['auto.offset.reset' => 'earliest'], $topic);
        $latest = [];     // partition => last processed message not yet committed
        $since = [];      // partition => processed since the last commit
        $commit = function (flame\db\kafka\message $m) use ($c, &$commit_failures): Generator {
            try {
                yield $c->commit($m);
            } catch (flame\db\kafka\exception $e) {
                $commit_failures++;   // redelivered later: a duplicate, never a gap
            }
        };
        while (!$stop_consuming) {
            try {
                $m = yield $c->consume(500);
            } catch (flame\db\kafka\exception $e) {
                echo "  member $member: consume error {$e->getCode()} {$e->getMessage()}\n";
                continue;
            }
            if ($m === null) {     // idle: commit what was processed
                foreach ($latest as $lm) {
                    yield $commit($lm);
                }
                $latest = $since = [];
                continue;
            }
            // "processing": record it
            $pt = $m->partition;
            if (isset($max_off[$pt]) && $m->offset > $max_off[$pt] + 1) {
                $gaps++;
                $gap_list[] = "p$pt: " . ($max_off[$pt] + 1) . '..' . ($m->offset - 1);
            }
            if (!isset($max_off[$pt]) && $m->offset > 0) {
                $gaps++;
                $gap_list[] = "p$pt: 0.." . ($m->offset - 1);
            }
            $max_off[$pt] = max($max_off[$pt] ?? -1, $m->offset);
            $processed[$pt][$m->offset] = ($processed[$pt][$m->offset] ?? 0) + 1;
            $i = (int)substr($m->val, 1);
            $consumed_vals[$i] = ($consumed_vals[$i] ?? 0) + 1;
            $n_processed++;
            $last_processed_at = microtime(true);
            // commit after processing: every 20 messages of a partition (and when idle)
            $latest[$pt] = $m;
            $since[$pt] = ($since[$pt] ?? 0) + 1;
            if ($since[$pt] >= 20) {
                yield $commit($m);
                unset($latest[$pt], $since[$pt]);
            }
        }
        foreach ($latest as $lm) {
            yield $commit($lm);
        }
        yield $c->close();
    });
}

$restarts = [];
flame\go(function () use ($t0, &$acked, &$stop_producing, &$stop_consuming, &$restarts, &$next, &$n_processed,
    &$consumed_vals, &$last_processed_at) {
    while (count($acked) < 5000) {
        yield flame\time\sleep(50);
    }
    foreach ([1, 2, 3] as $node) {
        $ts = microtime(true);
        printf("  %6.1f s  restarting node %d (%d acked, %d processed so far)\n", $ts - $t0, $node, count($acked), $n_processed);
        [$out, $rc] = yield cluster_sh_async("restart $node");
        $up = microtime(true) - $ts;
        $rep = yield cluster_wait_replicated(120.0);
        $restarts[] = sprintf('node %d: back in %.1f s, fully replicated %.1f s later%s', $node, $up, $rep,
            $rc === 0 ? '' : " (restart FAILED: $out)");
        printf("  %6.1f s  node %d back in %.1f s, ISRs full %.1f s later\n", microtime(true) - $t0, $node, $up, $rep);
    }
    yield flame\time\sleep(5000);
    $stop_producing = true;
    printf("  %6.1f s  producer stopped after %d produces\n", microtime(true) - $t0, $next);
    // drain: until the group has processed every acknowledged message, or 30 s without progress
    while (true) {
        yield flame\time\sleep(200);
        $pending = 0;
        foreach ($acked as $i => $_) {
            if (!isset($consumed_vals[$i])) {
                $pending++;
            }
        }
        if ($pending === 0 || microtime(true) - $last_processed_at > 30) {
            break;
        }
    }
    $stop_consuming = true;
});

flame\run();
$secs = microtime(true) - $t0;
$n_acked = count($acked);

// read the topic back
$in_topic = [];
$foreign = 0;
drain_topic_sync($topic, $n_acked, function ($m) use (&$in_topic, &$foreign) {
    if (!preg_match('/^m(\d+)$/', $m->val, $mm)) {
        $foreign++;
        return;
    }
    $in_topic[(int)$mm[1]] = ($in_topic[(int)$mm[1]] ?? 0) + 1;
}, 5000, 180.0);
$lost = $dup_topic = $not_consumed = $dup_consumed = 0;
foreach ($acked as $i => $_) {
    if (!isset($in_topic[$i])) {
        $lost++;
    }
    if (!isset($consumed_vals[$i])) {
        $not_consumed++;
    }
}
foreach ($in_topic as $n) {
    $dup_topic += $n - 1;
}
foreach ($consumed_vals as $n) {
    $dup_consumed += $n - 1;
}

figure('nodes restarted (rolling)', '1, 2, 3');
foreach ($restarts as $r) {
    figure('  restart', $r);
}
figure('produces sent', $next);
figure('acknowledged', $n_acked);
figure('failed', $n_failed);
foreach ($fail_codes as $k => $n) {
    figure('  failure', "$n x $k");
}
figure('acknowledged but not in the topic', $lost);
figure('duplicates in the topic', $dup_topic);
figure('unexpected records', $foreign);
figure('group: processed', $n_processed);
figure('group: acknowledged not processed', $not_consumed);
figure('group: duplicates processed', $dup_consumed);
figure('group: commit failures', $commit_failures);
figure('group: gaps in offsets', $gaps . ($gap_list ? ' (' . implode(', ', array_slice($gap_list, 0, 5)) . ')' : ''));
figure('longest ack stall (s)', $stall);
figure('wall time (s)', $secs);
$ok = count($restarts) === 3 && $lost === 0 && $dup_topic === 0 && $foreign === 0 && $not_consumed === 0 && $gaps === 0
    && $n_acked > 0;
verdict($ok, "3 rolling restarts: $n_acked acknowledged, 0 lost, 0 duplicated, group: 0 gaps, $dup_consumed duplicates processed",
    "restarts=" . count($restarts) . " lost=$lost dup_topic=$dup_topic not_consumed=$not_consumed gaps=$gaps foreign=$foreign");
