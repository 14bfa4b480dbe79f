<?php
// flame_kafka demo: produce three messages and consume them back through a
// real broker, inside coroutines. Run with `make demo`.
$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = 'flame_demo_' . getmypid() . '_' . bin2hex(random_bytes(3));

$producer = new flame\db\kafka\producer(
    ['bootstrap.servers' => $brokers, 'linger.ms' => 5],
    ['partitioner_cb' => 'consistent_random'],
    $topic
);
$consumer = new flame\db\kafka\consumer(
    ['bootstrap.servers' => $brokers, 'group.id' => "demo-$topic"],
    ['auto.offset.reset' => 'earliest'],
    $topic
);

flame\go(function () use ($producer) {
    foreach (['apple', 'banana', 'cherry'] as $i => $fruit) {
        $m = yield $producer->produce("fruit #$i: $fruit", "key-$i", ['source' => 'demo']);
        echo "produced  {$m->val}  -> {$m->topic}[{$m->partition}] @ offset {$m->offset}\n";
    }
});

flame\go(function () use ($consumer) {
    for ($n = 0; $n < 3; ) {
        $m = yield $consumer->consume(15000);
        if ($m === null) {
            echo "no message within 15 s\n";
            break;
        }
        $n++;
        echo "consumed  {$m->val}  (key {$m->key}, partition {$m->partition}, offset {$m->offset}, header source={$m->headers['source']})\n";
    }
    yield $consumer->close();
});

flame\run();
echo "demo done: 3 messages went through $brokers\n";
