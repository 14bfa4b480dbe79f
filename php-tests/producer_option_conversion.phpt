--TEST--
producer/consumer: int, float and bool option values are converted to librdkafka strings (true/false, decimal) and take effect
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
// One partition: the test reads m0,m1 back in order, and Kafka orders records
// only within a partition. On an auto-created topic (num.partitions=3) the
// sticky partitioner put m1 on another partition than m0 in 3 of 20 runs,
// and the consumer then returned "m1,m0" (the flake of issue 18).
create_topic($topic, 1);
flame\go(function () use ($topic) {
    // int message.timeout.ms, float linger.ms, bool false
    $p = new flame\db\kafka\producer(['bootstrap.servers' => '127.0.0.1:1', 'message.timeout.ms' => 800,
        'linger.ms' => 0.5, 'enable.idempotence' => false], [], unique_topic());
    $t0 = microtime(true);
    try {
        yield $p->produce("x");
        echo "unreachable: delivered?!\n";
    } catch (flame\db\kafka\exception $e) {
        $dt = microtime(true) - $t0;
        echo "int message.timeout.ms => 800: failed with ", $e->getCode(), ", ", ($dt > 0.6 && $dt < 2.5) ? "after about 0.8 s" : sprintf("after %.2f s", $dt), "\n";
    }

    // bool true, int in the topic options
    $p = new flame\db\kafka\producer(producer_conf(['enable.idempotence' => true, 'batch.num.messages' => 100]),
        ['request.required.acks' => -1], $topic);
    $m = yield $p->produce("m0");
    yield $p->produce("m1");
    echo "enable.idempotence => true: delivered ", $m->val, "\n";

    // bool false on the consumer: nothing is committed, the group re-reads
    $group = unique_group();
    $c = earliest_consumer($topic, $group, ['enable.auto.commit' => false, 'auto.commit.interval.ms' => 100]);
    $msgs = yield consume_all($c, 2, 500);
    echo "first read: ", implode(",", array_map('strval', $msgs)), "\n";
    yield flame\time\sleep(300);
    yield $c->close();
    $c = earliest_consumer($topic, $group, ['enable.auto.commit' => false]);
    $msgs = yield consume_all($c, 2, 500);
    echo "re-read after enable.auto.commit => false: ", implode(",", array_map('strval', $msgs)), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
int message.timeout.ms => 800: failed with -192, after about 0.8 s
enable.idempotence => true: delivered m0
first read: m0,m1
re-read after enable.auto.commit => false: m0,m1
