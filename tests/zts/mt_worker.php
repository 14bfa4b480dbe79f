<?php
/*
 * One PHP thread's request in tests/zts/mt_embed (scripts/test-zts-threads.sh).
 * Produces MT_MESSAGES messages to a topic of its own from MT_COROUTINES
 * coroutines, each awaiting every ack (so completions of all threads are in
 * flight at once), with a timer coroutine beside them; then reads the topic
 * back. Prints one JSON line of figures; exit status 1 when anything
 * crossed from another thread, was lost or was duplicated.
 */
declare(strict_types=1);
require __DIR__ . '/../../php-tests/inc/kafka.php';

$thread = $GLOBALS['flame_kafka_thread'];
$n = (int)(getenv('MT_MESSAGES') ?: 400);
$cos = (int)(getenv('MT_COROUTINES') ?: 8);
$topic = getenv('MT_TOPIC') . "_$thread";
create_topic($topic, 2);

$t0 = microtime(true);
$acked = 0;
$ack_mismatch = 0;
$ticks = 0;
$producer = new flame\db\kafka\producer(producer_conf(['linger.ms' => '1']), [], $topic);
for ($c = 0; $c < $cos; $c++) {
    flame\go(function () use ($producer, $thread, $topic, $c, $cos, $n, &$acked, &$ack_mismatch) {
        for ($i = $c; $i < $n; $i += $cos) {
            $val = "t$thread-m$i";
            $rec = yield $producer->produce($val, "k$i");
            if ($rec instanceof flame\db\kafka\message && $rec->topic === $topic && $rec->val === $val && $rec->key === "k$i") {
                $acked++;
            } else {
                $ack_mismatch++;
            }
        }
    });
}
flame\go(function () use (&$ticks, &$acked, $n, &$ack_mismatch) {
    while ($acked + $ack_mismatch < $n) {
        yield flame\time\sleep(5);
        $ticks++;
    }
});
flame\run();
$produce_ms = (microtime(true) - $t0) * 1000;

$msgs = run_co(fn () => read_topic($topic, $n));
$seen = [];
$foreign = 0;
foreach ($msgs as $m) {
    if (!str_starts_with($m->val, "t$thread-m") || $m->topic !== $topic) {
        $foreign++;
        continue;
    }
    $seen[$m->val] = ($seen[$m->val] ?? 0) + 1;
}
$missing = 0;
for ($i = 0; $i < $n; $i++) {
    if (!isset($seen["t$thread-m$i"])) {
        $missing++;
    }
}
$duplicated = array_sum($seen) - count($seen);
$ok = $acked === $n && $ack_mismatch === 0 && count($seen) === $n && $foreign === 0 && $missing === 0 && $duplicated === 0 && $ticks > 0;
echo json_encode([
    'thread' => $thread, 'sent' => $n, 'acked' => $acked, 'ack_mismatch' => $ack_mismatch,
    'consumed' => count($seen), 'foreign' => $foreign, 'missing' => $missing, 'duplicated' => $duplicated,
    'timer_ticks' => $ticks, 'produce_ms' => (int)$produce_ms, 'ok' => $ok,
]), "\n";
exit($ok ? 0 : 1);
