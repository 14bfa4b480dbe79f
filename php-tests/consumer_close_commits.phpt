--TEST--
consumer: close() with auto-commit on makes a final commit, so the next member of the group starts after the consumed messages
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
$group = unique_group();
// a periodic auto-commit would not happen within the test: only close() can commit
$conf = ['enable.auto.commit' => 'true', 'auto.commit.interval.ms' => 600000];

flame\go(function () use ($topic, $group, $conf) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    for ($i = 0; $i < 5; $i++) {
        $p->produce("m$i");
    }
    yield $p->flush();

    $c = earliest_consumer($topic, $group, $conf);
    $msgs = yield consume_all($c, 5, 500);
    echo "first member: ", implode(",", array_map('strval', $msgs)), "\n";
    echo "close: ", var_export(yield $c->close(), true), "\n";

    yield $p->produce("m5");
    $c2 = earliest_consumer($topic, $group, $conf);
    $rest = yield consume_all($c2, 1, 1500);
    echo "second member: ", implode(",", array_map('strval', $rest)), "\n";
    yield $c2->close();
});
flame\run();
?>
--EXPECT--
first member: m0,m1,m2,m3,m4
close: NULL
second member: m5
