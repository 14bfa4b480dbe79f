<?php
// flame_kafka under Revolt (AMPHP v3 runs on it): wait() inside Revolt fibers
// suspends only that fiber; Revolt's timers keep running; nothing to wire up.
// Usage: php revolt.php topic [fibers] [messages-each]
// Needs Revolt's autoloader: REVOLT_AUTOLOAD (default: Composer's
// vendor/autoload.php next to this script, else Debian's php-revolt-event-loop).
use Revolt\EventLoop;

$autoload = getenv('REVOLT_AUTOLOAD') ?: (is_file(__DIR__ . '/vendor/autoload.php')
    ? __DIR__ . '/vendor/autoload.php' : '/usr/share/php/Revolt/EventLoop/autoload.php');
require $autoload;

$brokers = getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092';
$topic   = $argv[1] ?? 'revolt_example';
$fibers  = (int)($argv[2] ?? 10);
$each    = (int)($argv[3] ?? 10);

$producer = new flame\db\kafka\producer(["bootstrap.servers" => $brokers], [], $topic);
$acked = 0;
for ($f = 0; $f < $fibers; $f++) {
    // With AMPHP: Amp\async(function () { ... }) — the same thing.
    EventLoop::queue(function () use ($producer, $f, $each, &$acked) {
        for ($i = 0; $i < $each; $i++) {
            $producer->produce("event $i of fiber $f", "fiber-$f")->wait();
            $acked++;
        }
    });
}
$ticks = 0;
$timer = EventLoop::repeat(0.001, function () use (&$ticks) { $ticks++; });
EventLoop::unreference($timer);   // the loop ends when the Kafka work does

// {main} may wait too: the loop runs the fibers and timers meanwhile.
$consumer = new flame\db\kafka\consumer(
    ["bootstrap.servers" => $brokers, "group.id" => "revolt_$topic"],
    ["auto.offset.reset" => "earliest"],
    $topic
);
$first = $consumer->consume(15000)->wait();
EventLoop::run();
echo "$fibers fibers: $acked messages acknowledged; the timer kept ticking: ", $ticks > 0 ? "yes" : "no", "\n";
echo $first === null ? "read nothing within 15 s\n" : "read back while producing: a message from partition {$first->partition}\n";
$consumer->close()->wait();
