<?php
// php-flame's own producer example (flame\db\kafka, from its documentation),
// pointed at KAFKA_BROKERS. Usage: php seed_producer.php [topic]
$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'test_topic';

flame\go(function () use ($brokers, $topic) {
    $producer = new flame\db\kafka\producer([
        "bootstrap.servers"  => $brokers,
        "compression.codec"  => "snappy",
        "batch.num.messages" => "1000",
    ], [
        "partitioner_cb" => function ($key, $count) {
            return crc32($key) % $count;
        },
    ], $topic); // one producer, one topic
    $m = yield $producer->produce("this is a message", "this is the key");
    echo "produced to partition {$m->partition} at offset {$m->offset}\n";
    $m = yield $producer->produce("this is a message", "this is the key");
    echo "produced to partition {$m->partition} at offset {$m->offset}\n";
});
// No flame\run(): the coroutines run when the script ends (auto-run).
