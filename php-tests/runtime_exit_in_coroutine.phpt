--TEST--
exit() inside a coroutine ends the script like anywhere else: no more coroutines, no code after run(), shutdown functions run
--FILE--
<?php
register_shutdown_function(function () { echo "shutdown function runs\n"; });
flame\go(function () {
    yield flame\time\sleep(5);
    echo "exiting\n";
    exit(0);
});
flame\go(function () {
    yield flame\time\sleep(300);
    echo "other coroutine: not reached\n";
});
flame\run();
echo "after run(): not reached\n";
?>
--EXPECT--
exiting
shutdown function runs
