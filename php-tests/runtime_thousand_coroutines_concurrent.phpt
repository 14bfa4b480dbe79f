--TEST--
1000 coroutines each sleeping 200 ms run concurrently: all finish in well under a second
--FILE--
<?php
$finished = 0;
$t0 = hrtime(true);
for ($i = 0; $i < 1000; $i++) {
    flame\go(function () use (&$finished) {
        $x = yield flame\time\sleep(200);
        if ($x === null) {
            $finished++;
        }
    });
}
flame\run();
$ms = (hrtime(true) - $t0) / 1e6;
echo "$finished coroutines finished\n";
echo $ms >= 200 ? "not before 200 ms\n" : "too early: $ms ms\n";
echo $ms < 900 ? "in well under a second\n" : "took $ms ms\n";
?>
--EXPECT--
1000 coroutines finished
not before 200 ms
in well under a second
