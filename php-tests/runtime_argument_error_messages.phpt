--TEST--
wrong argument types to the runtime functions give PHP's usual \TypeError messages
--FILE--
<?php
function attempt(callable $f): void
{
    try {
        $f();
        echo "accepted\n";
    } catch (TypeError $e) {
        echo $e->getMessage(), "\n";
    }
}
attempt(fn() => flame\go("not callable"));
attempt(fn() => flame\go(123));
attempt(fn() => flame\time\sleep("abc"));
attempt(fn() => flame\time\sleep([]));
attempt(fn() => flame\init([]));
attempt(fn() => flame\init("x", "not an array"));
?>
--EXPECTF--
flame\go(): Argument #1 ($fn) must be a valid callback, %s
flame\go(): Argument #1 ($fn) must be a valid callback, %s
flame\time\sleep(): Argument #1 ($ms) must be of type int, string given
flame\time\sleep(): Argument #1 ($ms) must be of type int, array given
flame\init(): Argument #1 ($name) must be of type string, array given
flame\init(): Argument #2 ($options) must be of type ?array, string given
