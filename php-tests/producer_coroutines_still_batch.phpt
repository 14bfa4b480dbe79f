--TEST--
producer: while coroutines keep producing (the PHP thread never idle), linger.ms batches as configured: ten messages produced over ~300 ms go out in one Produce request, sent only once every coroutine waits
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
// librdkafka's debug log names every Produce request with its message count
$sets = [];
flame\db\kafka\logger(function (int $level, string $facility, string $msg) use (&$sets) {
    if (preg_match('/Produce MessageSet with (\d+) message\(s\)/', $msg, $m)) {
        $sets[] = (int)$m[1];
    }
});
$p = new flame\db\kafka\producer(producer_conf(['linger.ms' => 1000, 'debug' => 'msg', 'log_level' => 7]), [], $topic);
$p->produce('warm-up')->wait();
$sets = [];

flame\go(function () use ($p) {
    $t0 = microtime(true);
    $aw = [];
    for ($i = 0; $i < 10; $i++) {
        $aw[] = $p->produce("m$i");
        usleep(30000);
        yield null;            // runnable at once: the scheduler never idles
    }
    $busy = microtime(true) - $t0;
    $offsets = [];
    foreach ($aw as $a) {
        $offsets[] = (yield $a)->offset;
    }
    $acked = microtime(true) - $t0;
    echo "produced for ", $busy >= 0.3 ? "at least 300 ms" : sprintf("%.3f s", $busy), "\n";
    echo "consecutive offsets: ", var_export($offsets === range($offsets[0], $offsets[0] + 9), true), "\n";
    // sent once the coroutine waits, not held back until linger.ms (1 s after the first produce)
    echo "all acknowledged before linger.ms ran out: ", $acked < 0.95 ? "yes" : sprintf("no (%.3f s)", $acked), "\n";
});
flame\run();
echo "Produce requests: ", json_encode($sets), "\n";
?>
--EXPECT--
produced for at least 300 ms
consecutive offsets: true
all acknowledged before linger.ms ran out: yes
Produce requests: [10]
