--TEST--
consumer: consume(0) (and consume()) wait without limit until a message arrives
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
$t0 = microtime(true);

flame\go(function () use ($topic, $t0) {
    $c = earliest_consumer($topic);
    $m = yield $c->consume(0);
    printf("consume(0) got %s after >= 2 s: %s\n", $m, microtime(true) - $t0 >= 1.9 ? "yes" : "no");
    $m = yield $c->consume();
    printf("consume() got %s after >= 3 s: %s\n", $m, microtime(true) - $t0 >= 2.9 ? "yes" : "no");
    yield $c->close();
});
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    yield flame\time\sleep(2000);
    yield $p->produce("late");
    yield flame\time\sleep(1000);
    yield $p->produce("later");
});
flame\run();
?>
--EXPECT--
consume(0) got late after >= 2 s: yes
consume() got later after >= 3 s: yes
