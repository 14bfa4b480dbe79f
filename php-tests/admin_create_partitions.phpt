--TEST--
admin: create_partitions grows a topic (metadata and a producer see the new partitions); shrinking or keeping the count is refused with the broker's code
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
run_co(function () use ($admin, $topic) {
    yield $admin->create_topic($topic, 2);
    var_dump(yield $admin->create_partitions($topic, 5));
    $md = yield $admin->metadata($topic);
    echo "partitions: ", implode(',', array_column($md['topics'][$topic]['partitions'], 'id')), "\n";
    // A record in the newest partition.
    $p = new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => fn($k, $n) => $n - 1], $topic);
    $m = yield $p->produce('x');
    echo "produced to partition {$m->partition}\n";
    foreach ([5, 3] as $n) {
        try {
            yield $admin->create_partitions($topic, $n);
            echo "$n accepted?\n";
        } catch (flame\db\kafka\exception $e) {
            echo "to $n: code ", $e->getCode(), ": ", preg_replace('/: [^:]*$/', ': ...', str_replace($topic, 'TOPIC', $e->getMessage())), "\n";
        }
    }
    try {
        yield $admin->create_partitions($topic . '_missing', 4);
    } catch (flame\db\kafka\exception $e) {
        echo "missing topic: code ", $e->getCode(), "\n";
    }
    yield $admin->delete_topic($topic);
});
?>
--EXPECT--
NULL
partitions: 0,1,2,3,4
produced to partition 4
to 5: code 37: flame\db\kafka\admin::create_partitions(TOPIC, 5): Broker: Invalid number of partitions: ...
to 3: code 37: flame\db\kafka\admin::create_partitions(TOPIC, 3): Broker: Invalid number of partitions: ...
missing topic: code 3
