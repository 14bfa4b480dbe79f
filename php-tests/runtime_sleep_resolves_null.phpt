--TEST--
flame\time\sleep(ms) resolves with null after ms milliseconds; sleeps in several coroutines overlap
--FILE--
<?php
$order = [];
$t0 = hrtime(true);
foreach ([300, 100, 200, 0] as $ms) {
    flame\go(function () use ($ms, $t0, &$order) {
        $x = yield flame\time\sleep($ms);
        $elapsed = (hrtime(true) - $t0) / 1e6;
        $order[] = "$ms ms: " . var_export($x, true) . ($elapsed >= $ms ? "" : " (too early: $elapsed ms)");
    });
}
flame\run();
$total = (hrtime(true) - $t0) / 1e6;
echo implode("\n", $order), "\n";
echo $total < 550 ? "overlapping, not one after the other\n" : "took $total ms\n";
?>
--EXPECT--
0 ms: NULL
100 ms: NULL
200 ms: NULL
300 ms: NULL
overlapping, not one after the other
