--TEST--
consumer: consume() and consume_batch() waiters on one consumer are served in the order they called, each message to exactly one of them
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

$topic = unique_topic();
create_topic($topic, 1);
$c = earliest_consumer($topic);
$got = [];
// Called in this order, all waiting before anything is produced.
$calls = [['batch', 3], ['one', 1], ['batch', 2], ['one', 1], ['batch', 4]];
foreach ($calls as $w => [$kind, $max]) {
    flame\go(function () use ($c, $w, $kind, $max, &$got) {
        if ($kind === 'batch') {
            $got[$w] = yield $c->consume_batch($max, 15000);
        } else {
            $m = yield $c->consume(15000);
            $got[$w] = $m === null ? [] : [$m];
        }
    });
}
flame\go(function () use ($topic, $c, &$got, $calls) {
    yield flame\time\sleep(500);   // every waiter is waiting by now
    $vals = [];
    for ($i = 0; $i < 12; $i++) {
        $vals[] = "m$i";
    }
    yield produce_to($topic, [0 => $vals]);
    while (count($got) < count($calls)) {
        yield flame\time\sleep(50);
    }
    ksort($got);
    $order = [];
    $ok = true;
    foreach ($got as $w => $msgs) {
        $n = count($msgs);
        $ok = $ok && $n >= 1 && $n <= $calls[$w][1];
        foreach ($msgs as $m) {
            $order[] = $m->val;
        }
    }
    echo "every waiter got 1..max: ", var_export($ok, true), "\n";
    // The rest of the 12, read after the waiters.
    while (count($order) < 12) {
        $batch = yield $c->consume_batch(12, 3000);
        if ($batch === []) {
            break;
        }
        foreach ($batch as $m) {
            $order[] = $m->val;
        }
    }
    echo "in waiter order, then the rest: ", implode(',', $order), "\n";
    echo "nothing more: ", var_export(yield $c->consume(500), true), "\n";
});
flame\run();
$c->close()->wait();
?>
--EXPECT--
every waiter got 1..max: true
in waiter order, then the rest: m0,m1,m2,m3,m4,m5,m6,m7,m8,m9,m10,m11
nothing more: NULL
