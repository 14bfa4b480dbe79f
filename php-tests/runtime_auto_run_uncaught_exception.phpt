--TEST--
auto-run: an exception no coroutine catches ends the request as an uncaught exception; other coroutines are not completed
--FILE--
<?php
flame\go(function () {
    yield flame\time\sleep(10);
    throw new RuntimeException("boom during auto-run");
});
flame\go(function () {
    yield flame\time\sleep(1000);
    echo "slow coroutine completed\n";
});
echo "main script ends\n";
?>
--EXPECTF--
main script ends

Fatal error: Uncaught RuntimeException: boom during auto-run in %s:%d
Stack trace:
%A
  thrown in %s on line %d
