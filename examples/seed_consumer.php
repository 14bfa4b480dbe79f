<?php
// php-flame's own consumer example, with the group.id a consumer group needs.
// Stops after N messages (default: forever). Usage: php seed_consumer.php [topic] [N]
$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'test_topic';
$limit   = (int)($argv[2] ?? 0);

flame\go(function () use ($brokers, $topic, $limit) {
    $consumer = new flame\db\kafka\consumer([
        "bootstrap.servers" => $brokers,
        "group.id"          => "seed_example_" . $topic,
    ], [
        "auto.offset.reset" => "earliest",
        // the seed passes a partitioner to consumers too; consumers ignore it
        "partitioner_cb" => function ($key, $count) {
            return crc32($key) % $count;
        },
    ], $topic); // or ["test_topic"]: a consumer may subscribe to several topics
    for ($n = 0; $limit === 0 || $n < $limit; $n++) {
        $msg = yield $consumer->consume();
        echo "consumed '{$msg}' with key '{$msg->key}' from partition {$msg->partition}\n";
    }
    yield $consumer->close();
});
flame\run();
