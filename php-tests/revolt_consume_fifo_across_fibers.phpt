--TEST--
Revolt: consume() waiters in several Revolt fibers on one consumer are served in the order they called, each message to exactly one of them, partition order kept
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/loops.php';
require_revolt();
use Revolt\EventLoop;

$topic = unique_topic('fifo');
create_topic($topic, 1);
$c = earliest_consumer($topic);
$got = [];
foreach (['A', 'B', 'C'] as $name) {
    EventLoop::queue(function () use ($c, $name, &$got) {   // they call consume() in order A, B, C
        for ($k = 0; $k < 2; $k++) {
            $m = $c->consume(20000)->wait();
            $got[$name][] = $m === null ? "null" : $m->val;
        }
    });
}
EventLoop::delay(0.5, function () use ($topic) {    // all three wait by now
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    for ($i = 0; $i < 6; $i++) {
        $p->produce("m$i");
    }
    $p->flush()->wait();
});
EventLoop::run();
ksort($got);
foreach ($got as $name => $vals) {
    echo "$name: ", implode(" ", $vals), "\n";
}
$c->close()->wait();
?>
--EXPECT--
A: m0 m3
B: m1 m4
C: m2 m5
