--TEST--
producer: builtin partitioners (consistent, murmur2, fnv1a, their _random forms, random, default) pick librdkafka's partitions
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();   // auto-created: 3 partitions
$keys = [];
for ($i = 0; $i < 20; $i++) {
    $keys[] = "key-$i-" . chr($i * 13 % 256) . "\xff";
}
$keys[] = "kafka";
$keys[] = "PreAmbleWillBeRemoved,ThePrePartThatIs";

flame\go(function () use ($topic, $keys) {
    $names = ['consistent', 'consistent_random', 'murmur2', 'murmur2_random', 'fnv1a', 'fnv1a_random', 'random', null];
    foreach ($names as $name) {
        $topt = $name === null ? [] : ['partitioner_cb' => $name];
        $label = $name ?? '(default: consistent_random)';
        $p = new flame\db\kafka\producer(producer_conf(), $topt, $topic);
        $pending = [];
        foreach ($keys as $k) {
            $pending[] = [$k, $p->produce("v", $k)];
        }
        $match = $mismatch = $inrange = 0;
        $expected_set = [];
        foreach ($pending as [$k, $aw]) {
            $m = yield $aw;
            if ($m->partition >= 0 && $m->partition < 3) {
                $inrange++;
            }
            $want = expected_partition($name ?? 'consistent_random', $k, 3);
            if ($want === null) {
                continue;
            }
            $expected_set[$want] = true;
            if ($m->partition === $want) {
                $match++;
            } else {
                $mismatch++;
                echo "  $label: key ", bin2hex($k), " went to {$m->partition}, expected $want\n";
            }
        }
        printf("%s: %d in range, %d match, %d mismatch, expected partitions used: %d\n",
            $label, $inrange, $match, $mismatch, count($expected_set));

        // null keys: random (sticky) for every builtin partitioner, always within range
        $ok = 0;
        for ($i = 0; $i < 5; $i++) {
            $m = yield $p->produce("null-key");
            $ok += ($m->key === null && $m->partition >= 0 && $m->partition < 3) ? 1 : 0;
        }
        echo "  null keys in range: $ok/5\n";
    }
});
flame\run();
?>
--EXPECT--
consistent: 22 in range, 22 match, 0 mismatch, expected partitions used: 3
  null keys in range: 5/5
consistent_random: 22 in range, 22 match, 0 mismatch, expected partitions used: 3
  null keys in range: 5/5
murmur2: 22 in range, 22 match, 0 mismatch, expected partitions used: 3
  null keys in range: 5/5
murmur2_random: 22 in range, 22 match, 0 mismatch, expected partitions used: 3
  null keys in range: 5/5
fnv1a: 22 in range, 22 match, 0 mismatch, expected partitions used: 3
  null keys in range: 5/5
fnv1a_random: 22 in range, 22 match, 0 mismatch, expected partitions used: 3
  null keys in range: 5/5
random: 22 in range, 0 match, 0 mismatch, expected partitions used: 0
  null keys in range: 5/5
(default: consistent_random): 22 in range, 22 match, 0 mismatch, expected partitions used: 3
  null keys in range: 5/5
