--TEST--
a fatal error inside a coroutine ends the request with PHP's fatal error message, no crash
--FILE--
<?php
flame\go(function () {
    yield flame\time\sleep(5);
    // A real E_ERROR (zend_bailout) that every PHP version raises alike
    // (trigger_error(..., E_USER_ERROR) is deprecated since PHP 8.4).
    set_time_limit(1);
    while (true) {
    }
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
Fatal error: Maximum execution time of 1 second exceeded in %s on line %d
