--TEST--
flame\go does not run before the scheduler; coroutines started by coroutines run; run() returns when all are done
--FILE--
<?php
$log = [];
$t0 = hrtime(true);
flame\go(function () use (&$log) {
    $log[] = "A starts";
    flame\go(function () use (&$log) {
        $log[] = "B (started by A) starts";
        yield flame\time\sleep(40);
        flame\go(function () use (&$log) {
            $log[] = "C (started by B after A ended) starts";
            yield flame\time\sleep(10);
            $log[] = "C ends";
        });
        $log[] = "B ends";
    });
    yield flame\time\sleep(10);
    $log[] = "A ends";
});
echo "after go(): ", count($log), " entries\n";
usleep(20000);
echo "still nothing after 20 ms of plain PHP: ", count($log), " entries\n";
var_dump(flame\run());
$ms = (hrtime(true) - $t0) / 1e6;
echo implode("\n", $log), "\n";
echo $ms >= 50 ? "run() returned after the last coroutine\n" : "run() returned after only $ms ms\n";

// run() with nothing scheduled returns at once.
$t0 = hrtime(true);
flame\run();
$ms = (hrtime(true) - $t0) / 1e6;
echo $ms < 100 ? "empty run() returned at once\n" : "empty run() took $ms ms\n";

// run() can be used again for new coroutines.
flame\go(function () { yield flame\time\sleep(5); echo "second round ran\n"; });
echo "second round scheduled\n";
flame\run();
echo "done\n";
?>
--EXPECT--
after go(): 0 entries
still nothing after 20 ms of plain PHP: 0 entries
NULL
A starts
B (started by A) starts
A ends
B ends
C (started by B after A ended) starts
C ends
run() returned after the last coroutine
empty run() returned at once
second round scheduled
second round ran
done
