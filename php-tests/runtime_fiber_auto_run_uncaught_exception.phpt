--TEST--
fibers: during auto-run, an exception a Fiber coroutine does not catch ends the request as an uncaught exception; other coroutines are not completed
--FILE--
<?php
flame\go(function () {
    flame\time\sleep(10)->wait();
    throw new RuntimeException("boom from a fiber during auto-run");
});
flame\go(function () {
    flame\time\sleep(1000)->wait();
    echo "slow fiber completed\n";
});
echo "main script ends\n";
?>
--EXPECTF--
main script ends

Fatal error: Uncaught RuntimeException: boom from a fiber during auto-run in %s:%d
Stack trace:
%A
  thrown in %s on line %d
