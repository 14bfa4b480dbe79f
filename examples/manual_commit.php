<?php
// A consumer that commits each message itself, after processing it
// (at-least-once). Usage: php manual_commit.php topic [N]
$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'orders';
$limit   = (int)($argv[2] ?? 10);

$consumer = new flame\db\kafka\consumer(
    ["bootstrap.servers" => $brokers, "group.id" => "manual_commit_$topic", "enable.auto.commit" => false],
    ["auto.offset.reset" => "earliest"],
    $topic
);
flame\go(function () use ($consumer, $limit) {
    $done = 0;
    while ($done < $limit) {
        $msg = yield $consumer->consume(10000);
        if ($msg === null) {
            echo "idle for 10 s, stopping\n";
            break;
        }
        // ... process $msg ...
        yield $consumer->commit($msg);           // resolves once the coordinator accepted it
        $done++;
        echo "processed and committed {$msg->topic}[{$msg->partition}]@{$msg->offset}\n";
    }
    yield $consumer->close();
    echo "committed $done message(s)\n";
});
flame\run();
