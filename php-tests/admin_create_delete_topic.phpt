--TEST--
admin: create_topic with partitions and config, the metadata shows what was created; delete_topic removes it; an existing topic is refused with code 36, a missing one with code 3
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
run_co(function () use ($admin, $topic) {
    var_dump(yield $admin->create_topic($topic, 3, 1, ['retention.ms' => 3600000, 'cleanup.policy' => 'compact']));
    $md = yield $admin->metadata($topic);
    $t = $md['topics'][$topic];
    echo "topics in answer: ", count($md['topics']), ", error ", $t['error'], ", partitions ", count($t['partitions']), "\n";
    [$host, $port] = explode(':', brokers());
    $broker = $md['brokers'][0];
    echo "brokers: ", count($md['brokers']), ", ", $broker['host'] === $host ? 'host ok' : "host {$broker['host']}",
        ", ", $broker['port'] === (int)$port ? 'port ok' : "port {$broker['port']}", "\n";
    echo "controller is that broker: ", var_export($md['controller_id'] === $broker['id'], true), "\n";
    foreach ($t['partitions'] as $p) {
        echo "partition {$p['id']}: leader is the broker ", var_export($p['leader'] === $broker['id'], true),
            ", replicas ", json_encode($p['replicas']) === json_encode([$broker['id']]) ? '[broker]' : json_encode($p['replicas']),
            ", isrs ", json_encode($p['isrs']) === json_encode([$broker['id']]) ? '[broker]' : json_encode($p['isrs']), "\n";
    }
    $cfg = yield $admin->describe_config($topic);
    echo "config: retention.ms={$cfg['retention.ms']} cleanup.policy={$cfg['cleanup.policy']}\n";

    // Exists already: the broker's code 36.
    try {
        yield $admin->create_topic($topic, 3);
        echo "created twice?\n";
    } catch (flame\db\kafka\exception $e) {
        echo "again: code ", $e->getCode(), ": ", str_replace($topic, 'TOPIC', $e->getMessage()), "\n";
    }

    var_dump(yield $admin->delete_topic($topic));
    $deadline = microtime(true) + 15;
    do {
        $md = yield $admin->metadata($topic);
        $err = $md['topics'][$topic]['error'] ?? null;
    } while ($err !== 3 && microtime(true) < $deadline && (yield flame\time\sleep(200)) === null);
    echo "after delete: error ", $err, ", partitions ", count($md['topics'][$topic]['partitions']), "\n";

    try {
        yield $admin->delete_topic($topic);
        echo "deleted twice?\n";
    } catch (flame\db\kafka\exception $e) {
        echo "delete missing: code ", $e->getCode(), ": ", str_replace($topic, 'TOPIC', $e->getMessage()), "\n";
    }
    // The default: 1 partition, the broker's replication factor.
    $again = $topic . '_b';
    yield $admin->create_topic($again);
    $md = yield $admin->metadata($again);
    echo "default partitions: ", count($md['topics'][$again]['partitions']), "\n";
    yield $admin->delete_topic($again);
});
?>
--EXPECT--
NULL
topics in answer: 1, error 0, partitions 3
brokers: 1, host ok, port ok
controller is that broker: true
partition 0: leader is the broker true, replicas [broker], isrs [broker]
partition 1: leader is the broker true, replicas [broker], isrs [broker]
partition 2: leader is the broker true, replicas [broker], isrs [broker]
config: retention.ms=3600000 cleanup.policy=compact
again: code 36: flame\db\kafka\admin::create_topic(TOPIC): Broker: Topic already exists: Topic 'TOPIC' already exists.
NULL
after delete: error 3, partitions 0
delete missing: code 3: flame\db\kafka\admin::delete_topic(TOPIC): Broker: Unknown topic or partition
default partitions: 1
