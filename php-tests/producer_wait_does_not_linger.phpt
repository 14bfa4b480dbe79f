--TEST--
producer: with linger.ms=2000, a message that the PHP thread only waits for (wait(), flush(), run() with every coroutine waiting) is sent at once, not after linger.ms
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
$p = new flame\db\kafka\producer(producer_conf(['linger.ms' => 2000]), [], $topic);
$p->produce('warm-up')->wait();   // connection and metadata

// well under linger.ms: 2000 ms held back would be >= 2.0 s; generous margin for a loaded machine
$under = fn(float $s) => $s < 1.0 ? 'well under linger.ms' : sprintf('%.3f s (linger.ms is 2 s)', $s);

$t0 = microtime(true);
$m = $p->produce('sync')->wait();
echo "wait(): {$m->val} acknowledged ", $under(microtime(true) - $t0), "\n";

$t0 = microtime(true);
for ($i = 0; $i < 5; $i++) {
    $p->produce("sync $i")->wait();
}
echo "5 x wait(): ", $under(microtime(true) - $t0), "\n";

$t0 = microtime(true);
$p->produce('statement');
$p->flush()->wait();
echo "flush()->wait(): ", $under(microtime(true) - $t0), "\n";

flame\go(function () use ($p, $under) {
    $t0 = microtime(true);
    $m = yield $p->produce('coroutine');
    echo "yield in the only coroutine: {$m->val} acknowledged ", $under(microtime(true) - $t0), "\n";
});
flame\go(function () {
    yield flame\time\sleep(100);   // another coroutine that is waiting too (a timer)
});
flame\run();

// nothing is left behind for the end of the script
$t0 = microtime(true);
$p->produce('last');
unset($p);
echo "destroy: ", $under(microtime(true) - $t0), "\n";
?>
--EXPECT--
wait(): sync acknowledged well under linger.ms
5 x wait(): well under linger.ms
flush()->wait(): well under linger.ms
yield in the only coroutine: coroutine acknowledged well under linger.ms
destroy: well under linger.ms
