--TEST--
kafka: flame\db\kafka\logger() receives librdkafka's log lines and error events on the PHP thread; null removes it
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$events = [];
flame\db\kafka\logger(function (int $level, string $facility, string $message, string $client) use (&$events) {
    $events[] = [$level, $facility, $message, $client];
});
$p = new flame\db\kafka\producer(["bootstrap.servers" => "127.0.0.1:1", "message.timeout.ms" => 1500], [], "logger_topic");
try {
    $p->produce("x")->wait();
} catch (flame\db\kafka\exception $e) {
    echo "delivery failed: ", $e->getCode(), "\n";
}
$errors = array_filter($events, fn($e) => $e[0] <= 3);
echo "error-level events: ", count($errors) > 0 ? "yes" : "no", "\n";
echo "client named: ", count(array_filter($events, fn($e) => $e[3] === "logger_topic")) === count($events) ? "yes" : "no", "\n";
echo "mentions the broker: ", count(array_filter($events, fn($e) => str_contains($e[2], "127.0.0.1:1"))) > 0 ? "yes" : "no", "\n";

// a healthy client with debug on logs at level 7
$events = [];
$q = new flame\db\kafka\producer(producer_conf(["debug" => "metadata"]), [], unique_topic());
$q->produce("y")->wait();
echo "debug lines: ", count(array_filter($events, fn($e) => $e[0] === 7)) > 0 ? "yes" : "no", "\n";

// removed: nothing more arrives
flame\db\kafka\logger(null);
$events = [];
$r = new flame\db\kafka\producer(["bootstrap.servers" => "127.0.0.1:1", "message.timeout.ms" => 500], [], "logger_topic2");
try { $r->produce("z")->wait(); } catch (flame\db\kafka\exception $e) {}
echo "after removal: ", count($events), "\n";

try { flame\db\kafka\logger("nope"); } catch (TypeError $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
?>
--EXPECT--
delivery failed: -192
error-level events: yes
client named: yes
mentions the broker: yes
debug lines: yes
after removal: 0
TypeError: flame\db\kafka\logger(): Argument #1 ($fn) must be a valid callback, string given
