--TEST--
fibers: flame\go() of a non-generator callable runs in a Fiber; wait() inside it suspends only that coroutine, Fiber and Generator coroutines interleave in one run()
--FILE--
<?php
$log = [];
function deep_wait(int $ms): mixed { return flame\time\sleep($ms)->wait(); }   // wait() far down the stack
flame\go(function () use (&$log) {
    $log[] = "fiber A: start, in a Fiber: " . var_export(Fiber::getCurrent() !== null, true);
    $v = flame\time\sleep(150)->wait();
    $log[] = "fiber A: after 150 ms, got " . var_export($v, true);
});
flame\go(function () use (&$log) {
    $log[] = "fiber B: start";
    deep_wait(50);
    $log[] = "fiber B: after 50 ms (nested call)";
    flame\go(function () use (&$log) {        // a coroutine started by a coroutine
        flame\time\sleep(10)->wait();
        $log[] = "fiber C (started by B): after 10 ms";
    });
    return "ignored";
});
flame\go(function () use (&$log) {
    $log[] = "generator: start, in a Fiber: " . var_export(Fiber::getCurrent() !== null, true);
    $x = yield flame\time\sleep(100);
    $log[] = "generator: after 100 ms, got " . var_export($x, true);
    try {
        flame\time\sleep(1)->wait();
    } catch (LogicException $e) {
        $log[] = "generator: wait() refused: " . $e->getMessage();
    }
});
// A plain callable returning a generator: the generator is driven.
function gen_after_fiber() { yield flame\time\sleep(20); $GLOBALS['log'][] = "generator returned by a fiber callable: after 20 ms"; }
flame\go(fn() => gen_after_fiber());
$t = hrtime(true);
flame\run();
$ms = (hrtime(true) - $t) / 1e6;
echo implode("\n", $log), "\n";
echo $ms < 400 ? "concurrent: run() took about 150 ms\n" : "serial? run() took $ms ms\n";
echo "wait() outside any coroutine still blocks: ", var_export(flame\time\sleep(5)->wait(), true), "\n";
?>
--EXPECT--
fiber A: start, in a Fiber: true
fiber B: start
generator: start, in a Fiber: false
generator returned by a fiber callable: after 20 ms
fiber B: after 50 ms (nested call)
fiber C (started by B): after 10 ms
generator: after 100 ms, got NULL
generator: wait() refused: flame\awaitable::wait() cannot be called inside a running coroutine (it would stall every other coroutine): use yield
fiber A: after 150 ms, got NULL
concurrent: run() took about 150 ms
wait() outside any coroutine still blocks: NULL
