<?php
// flame_kafka awaitables are thenables: React\Promise\resolve() (and Guzzle)
// assimilate them. With ReactPHP's event loop, one line drives flame_kafka:
//     React\EventLoop\Loop::addReadStream(flame\stream(), fn() => flame\poll());
// Without it (this script), flame\run() drives the callbacks.
// Usage: php react_promise.php topic [messages]
// Needs react/promise: REACT_PROMISE_AUTOLOAD (default: Composer's
// vendor/autoload.php next to this script, else Debian's php-react-promise).
$autoload = getenv('REACT_PROMISE_AUTOLOAD') ?: (is_file(__DIR__ . '/vendor/autoload.php')
    ? __DIR__ . '/vendor/autoload.php' : '/usr/share/php/React/Promise/autoload.php');
require $autoload;

$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'react_example';
$n       = (int)($argv[2] ?? 5);

$producer = new flame\db\kafka\producer(["bootstrap.servers" => $brokers], [], $topic);
$promises = [];
for ($i = 0; $i < $n; $i++) {
    $promises[] = React\Promise\resolve($producer->produce("message $i"))
        ->then(fn(flame\db\kafka\message $m) => "{$m->partition}@{$m->offset}");
}
React\Promise\all($promises)->then(
    function (array $offsets) { echo count($offsets), " messages acknowledged, partition@offset: ", count(array_unique($offsets)) === count($offsets) ? "distinct" : "duplicates!", "\n"; },
    function (Throwable $e) { echo "failed: ", $e->getMessage(), "\n"; }
);
flame\run();
