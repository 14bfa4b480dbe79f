--TEST--
consumer: an array of topics subscribes to all of them
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$t1 = unique_topic();
$t2 = unique_topic();
flame\go(function () use ($t1, $t2) {
    foreach ([$t1, $t2] as $i => $t) {
        $p = new flame\db\kafka\producer(producer_conf(), [], $t);
        yield $p->produce("from topic " . ($i + 1) . " #1");
        yield $p->produce("from topic " . ($i + 1) . " #2");
    }
    $c = earliest_consumer([$t1, $t2]);
    $msgs = yield consume_all($c, 4);
    $got = array_map(fn($m) => ($m->topic === $t1 ? 't1' : ($m->topic === $t2 ? 't2' : $m->topic)) . ": $m", $msgs);
    sort($got);
    echo implode("\n", $got), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
t1: from topic 1 #1
t1: from topic 1 #2
t2: from topic 2 #1
t2: from topic 2 #2
