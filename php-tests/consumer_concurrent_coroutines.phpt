--TEST--
consumer: 5 coroutines consuming one consumer at once get 300 messages, each exactly once, in partition order
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

const N = 300;
$topic = unique_topic();
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
for ($i = 0; $i < N; $i++) {
    $p->produce("m$i", "key-" . ($i % 10));
}
$p->flush()->wait();

$c = earliest_consumer($topic);
$log = [];          // every message in the order the coroutines received it
$per = [];          // count per coroutine
$t0 = microtime(true);
for ($w = 0; $w < 5; $w++) {
    flame\go(function () use ($c, $w, &$log, &$per, $t0) {
        $per[$w] = 0;
        while (microtime(true) - $t0 < 15) {
            $m = yield $c->consume(count($log) >= N ? 1500 : 1000);
            if ($m === null) {
                if (count($log) >= N) {
                    break;
                }
                continue;
            }
            $log[] = $m;
            $per[$w]++;
        }
    });
}
flame\run();

$vals = array_map(fn($m) => $m->val, $log);
$distinct = count(array_unique($vals));
$missing = 0;
for ($i = 0; $i < N; $i++) {
    $missing += in_array("m$i", $vals, true) ? 0 : 1;
}
echo "received: ", count($log), ", distinct: $distinct, missing: $missing\n";

$order_ok = true;
$last = [];
foreach ($log as $m) {
    if (isset($last[$m->partition]) && $m->offset !== $last[$m->partition] + 1) {
        $order_ok = false;
        echo "partition {$m->partition}: offset {$m->offset} after {$last[$m->partition]}\n";
    }
    $last[$m->partition] = $m->offset;
}
echo "order within each partition kept: ", $order_ok ? "yes" : "no", "\n";
echo "coroutines that received something: ", count(array_filter($per)), "/5\n";
$c->close()->wait();
?>
--EXPECT--
received: 300, distinct: 300, missing: 0
order within each partition kept: yes
coroutines that received something: 5/5
