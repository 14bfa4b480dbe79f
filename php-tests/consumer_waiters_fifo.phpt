--TEST--
consumer: concurrent consume() waiters are served in the order they called
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
$c = earliest_consumer($topic);
$result = [];
for ($w = 0; $w < 5; $w++) {
    flame\go(function () use ($c, $w, &$result) {
        $m = yield $c->consume(15000);   // called in order w = 0, 1, 2, 3, 4
        $result[$w] = $m === null ? 'null' : $m->val;
    });
}
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    yield flame\time\sleep(500);   // all five are waiting by now
    for ($i = 0; $i < 5; $i++) {
        $p->produce("m$i");
    }
    yield $p->flush();
});
flame\run();
ksort($result);
foreach ($result as $w => $v) {
    echo "waiter $w: $v\n";
}
$c->close()->wait();
?>
--EXPECT--
waiter 0: m0
waiter 1: m1
waiter 2: m2
waiter 3: m3
waiter 4: m4
