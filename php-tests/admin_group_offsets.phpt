--TEST--
admin: group_offsets gives per partition the committed offset, the high watermark and lag = produced - committed
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic('adm');
$group = unique_group('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
run_co(function () use ($admin, $topic, $group) {
    yield $admin->create_topic($topic, 2);
    echo "before any commit: ", json_encode(yield $admin->group_offsets($group)), "\n";
    // 10 records in partition 0, 5 in partition 1.
    $p = new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => fn($key, $n) => (int)$key], $topic);
    for ($i = 0; $i < 15; $i++) {
        $p->produce("m$i", $i < 10 ? '0' : '1');
    }
    yield $p->flush();
    $c = earliest_consumer($topic, $group, ['enable.auto.commit' => false]);
    $msgs = yield consume_all($c, 15);
    echo "consumed ", count($msgs), "\n";
    foreach ($msgs as $m) {
        // Commit the 4th record of partition 0 and the 2nd of partition 1.
        if (($m->partition === 0 && $m->offset === 3) || ($m->partition === 1 && $m->offset === 1)) {
            yield $c->commit($m);
        }
    }
    foreach (yield $admin->group_offsets($group) as $o) {
        echo str_replace($topic, 'TOPIC', json_encode($o)), "\n";
    }
    yield $c->close();
    yield $admin->delete_group($group);
    yield $admin->delete_topic($topic);
});
?>
--EXPECT--
before any commit: []
consumed 15
{"topic":"TOPIC","partition":0,"committed":4,"high":10,"lag":6}
{"topic":"TOPIC","partition":1,"committed":2,"high":5,"lag":3}
