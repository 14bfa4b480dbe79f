<?php
// Any event loop drives flame_kafka with two calls: watch flame\stream() for
// readability, call flame\poll() when it is readable. Here the loop is a bare
// stream_select() that also watches STDIN-like streams of its own; Swoole is
// the same: Swoole\Event::add(flame\stream(), fn() => flame\poll());
// Usage: php stream_select.php topic [messages]
$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'select_example';
$n       = (int)($argv[2] ?? 5);

$producer = new flame\db\kafka\producer(["bootstrap.servers" => $brokers], [], $topic);
$acked = 0;
for ($i = 0; $i < $n; $i++) {
    $producer->produce("message $i")->then(
        function (flame\db\kafka\message $m) use (&$acked) { $acked++; },
        function (Throwable $e) { echo "failed: ", $e->getMessage(), "\n"; }
    );
}
// Fiber coroutines work under poll() too.
flame\go(function () use ($producer) {
    $m = $producer->produce("from a fiber")->wait();
    echo "fiber: acknowledged at offset {$m->offset}\n";
});
$wakeups = 0;
while ($acked < $n) {
    $r = [flame\stream()];
    $w = $e = null;
    if (stream_select($r, $w, $e, 10) > 0) {
        $wakeups++;
        flame\poll();
    }
}
flame\run();   // whatever is left (the fiber)
echo "$acked messages acknowledged through stream_select() + flame\\poll()\n";
