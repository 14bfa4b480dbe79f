--TEST--
examples: the event-loop examples (Revolt, React promises, stream_select) run against the real broker and the real Revolt 1.0.9 / react/promise 3.x packages
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/loops.php';

function example(string $script, array $args, array $env = []): string {
    $cmd = escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg(flame_kafka_so())
        . ' ' . escapeshellarg(flame_kafka_root() . "/examples/$script");
    foreach ($args as $a) $cmd .= ' ' . escapeshellarg((string)$a);
    $vars = 'KAFKA_BROKERS=' . escapeshellarg(brokers());
    foreach ($env as $k => $v) $vars .= " $k=" . escapeshellarg($v);
    exec("timeout 60 env $vars $cmd 2>&1", $out, $rc);
    return implode("\n", $out) . "\n(exit $rc)\n";
}
$libs = php_libs_root() . '/usr/share/php';
$revolt_topic = unique_topic('revolt');
create_topic($revolt_topic, 3);
echo "== revolt.php\n", example('revolt.php', [$revolt_topic, 10, 10], ['REVOLT_AUTOLOAD' => "$libs/Revolt/EventLoop/autoload.php"]);
// One partition: the example checks that the 5 offsets are distinct (an
// auto-created topic has 3, where offsets repeat across partitions).
$react_topic = unique_topic('react');
create_topic($react_topic, 1);
echo "== react_promise.php\n", example('react_promise.php', [$react_topic, 5], ['REACT_PROMISE_AUTOLOAD' => "$libs/React/Promise/autoload.php"]);
echo "== stream_select.php\n", example('stream_select.php', [unique_topic('select'), 5]);
?>
--EXPECTF--
== revolt.php
10 fibers: 100 messages acknowledged; the timer kept ticking: yes
read back while producing: a message from partition %d
(exit 0)
== react_promise.php
5 messages acknowledged, partition@offset: distinct
(exit 0)
== stream_select.php
fiber: acknowledged at offset %d
5 messages acknowledged through stream_select() + flame\poll()
(exit 0)
