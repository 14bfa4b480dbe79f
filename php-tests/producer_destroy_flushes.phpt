--TEST--
producer: destroying a producer with messages in flight flushes them first
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$p = new flame\db\kafka\producer(producer_conf(['linger.ms' => 200]), [], $topic);
for ($i = 0; $i < 500; $i++) {
    $p->produce("m$i", "k$i");
}
unset($p);   // nothing awaited: the destructor must deliver them
echo "destroyed\n";
$msgs = run_co(fn() => read_topic($topic, 500));
echo "in topic: ", count($msgs), ", distinct: ", count(array_unique(array_map('strval', $msgs))), "\n";
?>
--EXPECT--
destroyed
in topic: 500, distinct: 500
