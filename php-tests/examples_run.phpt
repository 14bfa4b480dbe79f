--TEST--
examples: every script in examples/ runs against the real broker and prints what it promises
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

function example(string $script, array $args): string {
    $cmd = escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg(flame_kafka_so())
        . ' ' . escapeshellarg(flame_kafka_root() . "/examples/$script");
    foreach ($args as $a) $cmd .= ' ' . escapeshellarg((string)$a);
    $env = 'KAFKA_BROKERS=' . escapeshellarg(brokers()) . ' ';
    exec('timeout 60 env ' . $env . $cmd . ' 2>&1', $out, $rc);
    return implode("\n", $out) . "\n(exit $rc)\n";
}

// the demo's producer and consumer coroutines interleave: compare its lines sorted
$demo = explode("\n", trim(example('demo.php', [])));
sort($demo);
echo "== demo.php (lines sorted)\n", implode("\n", $demo), "\n";
$seed = unique_topic('seed');
create_topic($seed, 3);
echo "== seed_producer.php\n", example('seed_producer.php', [$seed]);
echo "== seed_consumer.php\n", example('seed_consumer.php', [$seed, 2]);
$orders = unique_topic('orders');
echo "== concurrent_producers.php\n", example('concurrent_producers.php', [$orders, 10, 3]);
echo "== manual_commit.php\n", example('manual_commit.php', [$orders, 30]);
echo "== sync_wait.php\n", example('sync_wait.php', [unique_topic('sync')]);
?>
--EXPECTF--
== demo.php (lines sorted)
(exit 0)
consumed  fruit #0: apple  (key key-0, partition %d, offset %d, header source=demo)
consumed  fruit #1: banana  (key key-1, partition %d, offset %d, header source=demo)
consumed  fruit #2: cherry  (key key-2, partition %d, offset %d, header source=demo)
demo done: 3 messages went through %s
produced  fruit #0: apple  -> %s[%d] @ offset %d
produced  fruit #1: banana  -> %s[%d] @ offset %d
produced  fruit #2: cherry  -> %s[%d] @ offset %d
== seed_producer.php
produced to partition %d at offset 0
produced to partition %d at offset 1
(exit 0)
== seed_consumer.php
consumed 'this is a message' with key 'this is the key' from partition %d
consumed 'this is a message' with key 'this is the key' from partition %d
(exit 0)
== concurrent_producers.php
10 coroutines: 30 messages acknowledged in %f s
(exit 0)
== manual_commit.php
%Aprocessed and committed %s[%d]@%d
committed 30 message(s)
(exit 0)
== sync_wait.php
stored at %s[%d]@0
read back: hello, synchronous world (key greeting)
(exit 0)
