--TEST--
consumer: destroying a consumer closes it (leaves the group and commits), so a new member takes over at once, not after session.timeout.ms
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
$group = unique_group();
$conf = ['session.timeout.ms' => 45000, 'auto.commit.interval.ms' => 600000];

flame\go(function () use ($topic, $group, $conf) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    yield $p->produce("m0");
    yield $p->produce("m1");

    $c = earliest_consumer($topic, $group, $conf);
    $m = yield $c->consume(15000);
    $m2 = yield $c->consume(15000);
    echo "first member got $m,$m2\n";
    unset($c, $m, $m2);           // destroyed without close()

    yield $p->produce("m2");
    $t0 = microtime(true);
    $c2 = earliest_consumer($topic, $group, $conf);
    $m = yield $c2->consume(15000);
    $dt = microtime(true) - $t0;
    echo "second member got ", $m === null ? 'nothing' : $m, ", ", $dt < 10 ? "well before session.timeout.ms" : sprintf("after %.1f s", $dt), "\n";
    yield $c2->close();
});
flame\run();
?>
--EXPECT--
first member got m0,m1
second member got m2, well before session.timeout.ms
