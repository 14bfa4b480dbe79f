--TEST--
admin: describe_group and group_offsets of a KIP-848 group (group.protocol=consumer): Stable, the "uniform" assignor, one member holding all partitions, lag after a commit
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic('adm');
$group = unique_group('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
run_co(function () use ($admin, $topic, $group) {
    yield $admin->create_topic($topic, 3);
    $p = new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => fn($k, $n) => 2], $topic);
    for ($i = 0; $i < 4; $i++) {
        $p->produce("m$i");
    }
    yield $p->flush();
    $c = earliest_consumer($topic, $group, ['group.protocol' => 'consumer', 'client.id' => 'kip848-member', 'enable.auto.commit' => false]);
    $msgs = yield consume_all($c, 4);
    echo "consumed ", count($msgs), "\n";
    yield $c->commit($msgs[0]);
    $d = yield $admin->describe_group($group);
    $parts = array_map(fn($tp) => $tp->partition, $d['members'][0]['assignment']);
    sort($parts);
    echo "state {$d['state']}, protocol {$d['protocol']}, members ", count($d['members']),
        ", client_id {$d['members'][0]['client_id']}, assignment ", implode(',', $parts), "\n";
    foreach (yield $admin->group_offsets($group) as $o) {
        echo "partition {$o['partition']}: committed {$o['committed']}, high {$o['high']}, lag {$o['lag']}\n";
    }
    yield $c->close();
    yield $admin->delete_group($group);
    yield $admin->delete_topic($topic);
});
?>
--EXPECT--
consumed 4
state Stable, protocol uniform, members 1, client_id kip848-member, assignment 0,1,2
partition 2: committed 1, high 4, lag 3
