--TEST--
consumer: subscribing to a topic that does not exist yet is not an error; the first message produced to it arrives
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$c = earliest_consumer($topic);
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
flame\go(function () use ($c) {
    $m = yield $c->consume(20000);
    echo $m === null ? "nothing\n" : "consumed: $m\n";
});
flame\go(function () use ($p) {
    yield flame\time\sleep(500);
    $m = yield $p->produce("born later", "k");
    echo "produced: {$m->val}\n";
});
flame\run();
?>
--EXPECT--
produced: born later
consumed: born later
