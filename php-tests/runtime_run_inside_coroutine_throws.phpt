--TEST--
flame\run() called inside a coroutine throws \LogicException; the scheduler goes on
--FILE--
<?php
$log = [];
flame\go(function () use (&$log) {
    try {
        flame\run();
        $log[] = "nested run() returned";
    } catch (LogicException $e) {
        $log[] = get_class($e) . " from run() in a generator coroutine";
    }
    yield flame\time\sleep(5);
    try {
        yield (function () { yield 1; flame\run(); })();
    } catch (LogicException $e) {
        $log[] = get_class($e) . " from run() in a nested generator";
    }
    $log[] = "coroutine 1 still runs";
});
// Its own log: under load both sleeps can end in the same timer tick, so
// the order between the two coroutines is not part of what is tested.
$other = [];
flame\go(function () use (&$other) {
    yield flame\time\sleep(20);
    $other[] = "coroutine 2 unaffected";
});
flame\run();
echo implode("\n", $log), "\n", implode("\n", $other), "\n";

flame\go(function () { flame\run(); });
try {
    flame\run();
    echo "run() returned normally\n";
} catch (LogicException $e) {
    echo "run() rethrew ", get_class($e), " from a plain-callable coroutine\n";
}
?>
--EXPECT--
LogicException from run() in a generator coroutine
LogicException from run() in a nested generator
coroutine 1 still runs
coroutine 2 unaffected
run() rethrew LogicException from a plain-callable coroutine
