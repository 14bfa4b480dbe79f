--TEST--
consumer: consume_batch($max) resolves with up to $max messages at hand, in partition order, each exactly once
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

$topic = unique_topic();
create_topic($topic, 1);

flame\go(function () use ($topic) {
    $vals = [];
    for ($i = 0; $i < 25; $i++) {
        $vals[] = "m$i";
    }
    yield produce_to($topic, [0 => $vals]);
    $c = earliest_consumer($topic);
    $first = yield $c->consume_batch(1, 15000);
    echo "first batch: ", msgs_str($first), "\n";
    // librdkafka prefetches the whole (small) partition meanwhile: the next
    // batches take as much as is at hand, never more than $max.
    yield flame\time\sleep(1000);
    $sizes = [];
    $all = $first;
    while (count($all) < 25) {
        $batch = yield $c->consume_batch(10, 5000);
        if ($batch === []) {
            break;
        }
        echo "is a list: ", var_export(array_is_list($batch), true), "\n";
        $sizes[] = count($batch);
        $all = array_merge($all, $batch);
    }
    echo "batch sizes: ", implode(',', $sizes), "\n";
    echo "values: ", implode(',', array_map('strval', $all)), "\n";
    echo "offsets: ", implode(',', array_map(fn ($m) => $m->offset, $all)), "\n";
    echo "after the last: ", var_export(yield $c->consume_batch(10, 500), true), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
first batch: m0@p0/0
is a list: true
is a list: true
is a list: true
batch sizes: 10,10,4
values: m0,m1,m2,m3,m4,m5,m6,m7,m8,m9,m10,m11,m12,m13,m14,m15,m16,m17,m18,m19,m20,m21,m22,m23,m24
offsets: 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24
after the last: array (
)
