--TEST--
consumer: two members of one group on a 3-partition topic receive every message exactly once between them
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

const N = 300;
$topic = unique_topic();
create_topic($topic, 3);
$group = unique_group();
$conf = ['heartbeat.interval.ms' => 500, 'session.timeout.ms' => 6000];
$members = [earliest_consumer($topic, $group, $conf), earliest_consumer($topic, $group, $conf)];
$p = new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => 'murmur2'], $topic);

$got = [[], []];          // real messages per member
$warm = [0, 0];           // warm-up messages per member
$phase = 'warmup';
$t0 = microtime(true);

foreach ($members as $i => $c) {
    flame\go(function () use ($i, $c, &$got, &$warm, &$phase, $t0) {
        while (microtime(true) - $t0 < 18) {
            $m = yield $c->consume(1500);
            if ($m === null) {
                if ($phase === 'done') {
                    break;
                }
                continue;
            }
            if (str_starts_with($m->val, 'warmup')) {
                $warm[$i]++;
            } else {
                $got[$i][] = $m->val;
            }
        }
    });
}

// Warm-up: keep producing to every partition until both members have
// received something, i.e. the group has settled with both members
// (redeliveries during the rebalance only concern warm-up messages).
flame\go(function () use ($p, &$warm, &$got, &$phase, $t0) {
    $round = 0;
    while (($warm[0] === 0 || $warm[1] === 0) && microtime(true) - $t0 < 12) {
        foreach (['a', 'b', 'c', 'd', 'e', 'f'] as $k) {
            $p->produce("warmup $round", $k);
        }
        $round++;
        yield flame\time\sleep(300);
    }
    echo "group settled: ", ($warm[0] > 0 && $warm[1] > 0) ? "yes" : "no", "\n";
    $phase = 'real';
    for ($i = 0; $i < N; $i++) {
        $p->produce("m$i", "key-$i");
    }
    yield $p->flush();
    while (count($got[0]) + count($got[1]) < N && microtime(true) - $t0 < 16) {
        yield flame\time\sleep(100);
    }
    $phase = 'done';
});
flame\run();

$all = array_merge($got[0], $got[1]);
$missing = 0;
for ($i = 0; $i < N; $i++) {
    $missing += in_array("m$i", $all, true) ? 0 : 1;
}
echo "total: ", count($all), ", distinct: ", count(array_unique($all)), ", missing: $missing\n";
echo "in both members: ", count(array_intersect($got[0], $got[1])), "\n";
echo "both members got messages: ", (count($got[0]) > 0 && count($got[1]) > 0) ? "yes" : "no", "\n";
foreach ($members as $c) {
    $c->close()->wait();
}
?>
--EXPECT--
group settled: yes
total: 300, distinct: 300, missing: 0
in both members: 0
both members got messages: yes
