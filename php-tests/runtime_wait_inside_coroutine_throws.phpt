--TEST--
flame\awaitable::wait() inside a running Generator coroutine throws \LogicException (in a Fiber coroutine it suspends, SPEC §5)
--FILE--
<?php
flame\go(function () {
    $a = flame\time\sleep(10);
    try {
        $a->wait();
        echo "wait() returned\n";
    } catch (LogicException $e) {
        echo get_class($e), " in a generator coroutine\n";
    }
    var_dump($a->ready());
    echo "the awaitable still works with yield: ", var_export(yield $a, true), "\n";
    try {
        yield (function () {
            yield 1;
            flame\time\sleep(1)->wait();
            echo "wait() returned\n";
        })();
    } catch (LogicException $e) {
        echo get_class($e), " in a nested generator\n";
    }
    // Even an awaitable that is already resolved: the call is refused.
    try {
        $a->wait();
        echo "wait() returned\n";
    } catch (LogicException $e) {
        echo get_class($e), " for a resolved awaitable\n";
    }
});
flame\run();

// A plain callable runs in a Fiber: there wait() suspends only that coroutine.
flame\go(function () {
    var_dump(flame\time\sleep(1)->wait());
    echo "wait() returned in a plain-callable (Fiber) coroutine\n";
});
try {
    flame\run();
    echo "run() returned normally\n";
} catch (LogicException $e) {
    echo "run() rethrew ", get_class($e), " from a plain-callable coroutine\n";
}
?>
--EXPECT--
LogicException in a generator coroutine
bool(false)
the awaitable still works with yield: NULL
LogicException in a nested generator
LogicException for a resolved awaitable
NULL
wait() returned in a plain-callable (Fiber) coroutine
run() returned normally
