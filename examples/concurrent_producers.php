<?php
// Many coroutines producing through one producer, each awaiting its acks.
// Usage: php concurrent_producers.php topic [coroutines] [messages-each]
$brokers    = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic      = $argv[1] ?? 'events';
$coroutines = (int)($argv[2] ?? 50);
$each       = (int)($argv[3] ?? 20);

$producer = new flame\db\kafka\producer(["bootstrap.servers" => $brokers, "linger.ms" => 5], [], $topic);
$acked = 0;
$t = microtime(true);
for ($c = 0; $c < $coroutines; $c++) {
    flame\go(function () use ($producer, $c, $each, &$acked) {
        for ($i = 0; $i < $each; $i++) {
            yield $producer->produce("event $i of worker $c", "worker-$c");
            $acked++;
        }
    });
}
flame\run();
printf("%d coroutines: %d messages acknowledged in %.2f s\n", $coroutines, $acked, microtime(true) - $t);
