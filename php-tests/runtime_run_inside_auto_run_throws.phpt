--TEST--
flame\run() called inside a coroutine during auto-run throws \LogicException
--FILE--
<?php
flame\go(function () {
    yield flame\time\sleep(5);
    try {
        flame\run();
        echo "run() returned\n";
    } catch (LogicException $e) {
        echo get_class($e), " from run() during auto-run\n";
    }
    try {
        flame\time\sleep(1)->wait();
        echo "wait() returned\n";
    } catch (LogicException $e) {
        echo get_class($e), " from wait() during auto-run\n";
    }
    echo "coroutine ends\n";
});
echo "main script ends\n";
?>
--EXPECT--
main script ends
LogicException from run() during auto-run
LogicException from wait() during auto-run
coroutine ends
