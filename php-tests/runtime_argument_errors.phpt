--TEST--
wrong arguments to the runtime functions: \ValueError for sleep(-1), \TypeError for a non-callable go(), nothing scheduled
--FILE--
<?php
function attempt(string $label, callable $f): void
{
    try {
        $f();
        echo "$label: accepted\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), "\n";
    }
}
attempt('sleep(-1)', fn() => flame\time\sleep(-1));
try {
    flame\time\sleep(-1);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
attempt('sleep(PHP_INT_MIN)', fn() => flame\time\sleep(PHP_INT_MIN));
attempt('sleep("abc")', fn() => flame\time\sleep("abc"));
attempt('sleep([])', fn() => flame\time\sleep([]));
attempt('sleep()', fn() => flame\time\sleep());
attempt('go("not callable")', fn() => flame\go("not callable"));
attempt('go(123)', fn() => flame\go(123));
attempt('go(null)', fn() => flame\go(null));
attempt('go(["NoSuchClass", "m"])', fn() => flame\go(["NoSuchClass", "m"]));
attempt('go(a Generator object)', fn() => flame\go((function () { yield 1; })()));
attempt('go()', fn() => flame\go());
attempt('go(fn, extra)', fn() => flame\go(fn() => 1, 2));
attempt('run(1)', fn() => flame\run(1));
attempt('init()', fn() => flame\init());
attempt('init("x", "not an array")', fn() => flame\init("x", "not an array"));
$t0 = hrtime(true);
flame\run();
$ms = (hrtime(true) - $t0) / 1e6;
echo $ms < 100 ? "nothing was scheduled by the refused calls\n" : "run() took $ms ms\n";
?>
--EXPECT--
sleep(-1): ValueError
flame\time\sleep(): Argument #1 ($ms) must be greater than or equal to 0
sleep(PHP_INT_MIN): ValueError
sleep("abc"): TypeError
sleep([]): TypeError
sleep(): ArgumentCountError
go("not callable"): TypeError
go(123): TypeError
go(null): TypeError
go(["NoSuchClass", "m"]): TypeError
go(a Generator object): TypeError
go(): ArgumentCountError
go(fn, extra): ArgumentCountError
run(1): ArgumentCountError
init(): ArgumentCountError
init("x", "not an array"): TypeError
nothing was scheduled by the refused calls
