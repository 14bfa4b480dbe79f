--TEST--
flame\awaitable::wait() inside a running coroutine throws \LogicException
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

flame\go(function () {
    flame\time\sleep(1)->wait();
    echo "wait() returned\n";
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
run() rethrew LogicException from a plain-callable coroutine
