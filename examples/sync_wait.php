<?php
// A plain synchronous script: no coroutines, every call waits with ->wait().
// Usage: php sync_wait.php topic
$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'sync_example';

$producer = new flame\db\kafka\producer(["bootstrap.servers" => $brokers], [], $topic);
$stored = $producer->produce("hello, synchronous world", "greeting")->wait();
echo "stored at {$stored->topic}[{$stored->partition}]@{$stored->offset}\n";

$consumer = new flame\db\kafka\consumer(
    ["bootstrap.servers" => $brokers, "group.id" => "sync_$topic"],
    ["auto.offset.reset" => "earliest"],
    $topic
);
$msg = $consumer->consume(15000)->wait();
echo $msg === null ? "nothing within 15 s\n" : "read back: {$msg} (key {$msg->key})\n";
$consumer->close()->wait();
