--TEST--
consumer: subscribing to a topic that does not exist yet is not an error; the first message produced to it arrives
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$c = earliest_consumer($topic);
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$out = [];
flame\go(function () use ($c, &$out) {
    $m = yield $c->consume(20000);
    $out[1] = $m === null ? "nothing" : "consumed: $m";
});
flame\go(function () use ($p, &$out) {
    yield flame\time\sleep(500);
    $m = yield $p->produce("born later", "k");
    // The message may reach the consumer before its delivery report reaches
    // the producer: print in a fixed order.
    $out[0] = "produced: {$m->val}";
});
flame\run();
ksort($out);
echo implode("\n", $out), "\n";
?>
--EXPECT--
produced: born later
consumed: born later
