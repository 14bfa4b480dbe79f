--TEST--
auto-run: coroutines still scheduled when the main script ends (run() never called) run at shutdown
--FILE--
<?php
flame\go(function () {
    echo "coroutine 1 starts\n";
    $x = yield flame\time\sleep(20);
    echo "coroutine 1 resumed with ", var_export($x, true), "\n";
    flame\go(function () {
        echo "coroutine 2, started during auto-run, starts\n";
        yield flame\time\sleep(10);
        echo "coroutine 2 ends\n";
    });
    echo "coroutine 1 ends\n";
});
echo "main script: last echo\n";
?>
--EXPECT--
main script: last echo
coroutine 1 starts
coroutine 1 resumed with NULL
coroutine 1 ends
coroutine 2, started during auto-run, starts
coroutine 2 ends
