--TEST--
consumer: consume_batch() with a timeout resolves with [] when nothing arrives in time, and loses nothing that comes later
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

$topic = unique_topic();
create_topic($topic, 1);
$c = earliest_consumer($topic);

flame\go(function () use ($c, $topic) {
    $t = microtime(true);
    $r = yield $c->consume_batch(5, 700);
    $ms = (microtime(true) - $t) * 1000;
    echo "empty topic: ", var_export($r, true), "\n";
    echo "waited at least 600 ms: ", var_export($ms >= 600, true), "\n";
    yield produce_to($topic, [0 => ['a', 'b', 'c']]);
    $got = [];
    $t = microtime(true);
    while (count($got) < 3 && microtime(true) - $t < 15) {
        $got = array_merge($got, yield $c->consume_batch(5, 1000));
    }
    echo "after producing: ", msgs_str($got), "\n";
    echo "then: ", var_export(yield $c->consume_batch(5, 300), true), "\n";
    // The sync way, outside a coroutine, is below.
});
flame\run();
echo "wait(): ", var_export($c->consume_batch(3, 200)->wait(), true), "\n";
$c->close()->wait();
?>
--EXPECT--
empty topic: array (
)
waited at least 600 ms: true
after producing: a@p0/0,b@p0/1,c@p0/2
then: array (
)
wait(): array (
)
