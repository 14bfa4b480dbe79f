--TEST--
consumer: with enable.auto.commit=false, commit() of the 5th of 10 messages makes the next member of the group start at the 6th
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
$group = unique_group();

flame\go(function () use ($topic, $group) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    for ($i = 0; $i < 10; $i++) {
        $p->produce("m$i", "k$i");
    }
    yield $p->flush();

    $conf = ['enable.auto.commit' => 'false'];
    $c = earliest_consumer($topic, $group, $conf);
    $msgs = yield consume_all($c, 10, 500);
    echo "first consumer got: ", implode(",", array_map('strval', $msgs)), "\n";
    $r = yield $c->commit($msgs[4]);
    echo "commit(", $msgs[4], " @ offset ", $msgs[4]->offset, ") resolved with ", var_export($r, true), "\n";
    echo "close: ", var_export(yield $c->close(), true), "\n";

    $c2 = earliest_consumer($topic, $group, $conf);
    $rest = yield consume_all($c2, 5, 1500);
    echo "second consumer got: ", implode(",", array_map(fn($m) => "$m@$m->offset", $rest)), "\n";
    yield $c2->close();
});
flame\run();
?>
--EXPECT--
first consumer got: m0,m1,m2,m3,m4,m5,m6,m7,m8,m9
commit(m4 @ offset 4) resolved with NULL
close: NULL
second consumer got: m5@5,m6@6,m7@7,m8@8,m9@9
