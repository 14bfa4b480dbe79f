<?php
// flame_kafka under Swoole / OpenSwoole: its reactor watches flame\stream()
// and calls flame\poll(); then() callbacks (or flame Fiber coroutines) carry
// the results. Needs the swoole or openswoole extension.
// Usage: php -d extension=swoole.so swoole.php topic [messages]
if (!class_exists('Swoole\Event') && !class_exists('OpenSwoole\Event')) {
    fwrite(STDERR, "swoole.php: needs the swoole (or openswoole) extension\n");
    exit(1);
}
$event = class_exists('Swoole\Event') ? 'Swoole\Event' : 'OpenSwoole\Event';
$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'swoole_example';
$n       = (int)($argv[2] ?? 5);

$producer = new flame\db\kafka\producer(["bootstrap.servers" => $brokers], [], $topic);
$acked = 0;
$event::add(flame\stream(), function () use (&$acked, $n, $event) {
    flame\poll();
    if ($acked === $n) {
        $event::del(flame\stream());   // let the reactor end
    }
});
for ($i = 0; $i < $n; $i++) {
    $producer->produce("message $i")->then(function () use (&$acked) { $acked++; });
}
$event::wait();
echo "$acked messages acknowledged under $event\n";
