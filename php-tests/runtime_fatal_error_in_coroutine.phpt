--TEST--
a fatal error inside a coroutine ends the request with PHP's fatal error message, no crash
--FILE--
<?php
flame\go(function () {
    yield flame\time\sleep(5);
    trigger_error("fatal inside a coroutine", E_USER_ERROR);
    echo "not reached\n";
});
flame\go(function () {
    yield flame\time\sleep(300);
    echo "other coroutine: not reached\n";
});
flame\run();
echo "after run(): not reached\n";
?>
--EXPECTF--
Fatal error: fatal inside a coroutine in %s on line %d
