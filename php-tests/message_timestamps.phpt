--TEST--
message: timestamp_ms() lies between the clock just before and just after produce, timestamp() is its seconds, (string)$msg is $msg->val
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    $check = function (string $what, flame\db\kafka\message $m, int $before, int $after) {
        $ms = $m->timestamp_ms();
        $s = $m->timestamp();
        echo "$what: ints: ", var_export(is_int($ms) && is_int($s), true),
            ", in [before, after]: ", var_export($ms >= $before && $ms <= $after, true),
            ", seconds: ", var_export($s === intdiv($ms, 1000), true),
            ", string: ", var_export((string)$m === $m->val && "$m" === $m->val, true), "\n";
        if ($ms < $before || $ms > $after) {
            echo "  timestamp_ms $ms, before $before, after $after\n";
        }
    };
    $stamps = [];
    foreach (["first", "", str_repeat("x", 1000)] as $i => $payload) {
        $before = (int)floor(microtime(true) * 1000);
        $m = yield $p->produce($payload, "k$i");
        $after = (int)ceil(microtime(true) * 1000);
        $check("produced #$i", $m, $before, $after);
        $stamps[$m->val] = [$m->timestamp_ms(), $before, $after];
        yield flame\time\sleep(20);
    }
    $msgs = yield read_topic($topic, 3);
    foreach ($msgs as $m) {
        [$ms, $before, $after] = $stamps[$m->val];
        $check("consumed " . strlen($m->val) . " bytes", $m, $before, $after);
        echo "  same timestamp as produced: ", var_export($m->timestamp_ms() === $ms, true), "\n";
    }
});
flame\run();
?>
--EXPECTF--
produced #0: ints: true, in [before, after]: true, seconds: true, string: true
produced #1: ints: true, in [before, after]: true, seconds: true, string: true
produced #2: ints: true, in [before, after]: true, seconds: true, string: true
consumed %d bytes: ints: true, in [before, after]: true, seconds: true, string: true
  same timestamp as produced: true
consumed %d bytes: ints: true, in [before, after]: true, seconds: true, string: true
  same timestamp as produced: true
consumed %d bytes: ints: true, in [before, after]: true, seconds: true, string: true
  same timestamp as produced: true
