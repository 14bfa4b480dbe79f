--TEST--
producer: 200 coroutines producing 20 messages each on one producer all get distinct stored records, in order per key
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$records = [];
$order_ok = true;
for ($w = 0; $w < 200; $w++) {
    flame\go(function () use ($p, $w, &$records, &$order_ok) {
        $last = null;
        for ($i = 0; $i < 20; $i++) {
            $m = yield $p->produce("w$w-$i", "key-" . ($w % 13));
            $records["{$m->partition}:{$m->offset}"] = $m->val;
            if ($m->val !== "w$w-$i" || ($last !== null && ($m->partition !== $last->partition || $m->offset <= $last->offset))) {
                $order_ok = false;
            }
            $last = $m;
        }
    });
}
flame\run();
echo "distinct (partition, offset): ", count($records), "\n";
echo "each coroutine's messages in order on one partition: ", var_export($order_ok, true), "\n";
$per = [];
foreach (array_keys($records) as $po) {
    [$part, $off] = explode(':', $po);
    $per[$part][] = (int)$off;
}
$contiguous = true;
foreach ($per as $offs) {
    sort($offs);
    $contiguous = $contiguous && $offs === range(0, count($offs) - 1);
}
echo "offsets contiguous from 0 in every partition: ", var_export($contiguous, true), "\n";
?>
--EXPECT--
distinct (partition, offset): 4000
each coroutine's messages in order on one partition: true
offsets contiguous from 0 in every partition: true
