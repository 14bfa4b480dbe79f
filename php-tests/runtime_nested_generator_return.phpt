--TEST--
yield of a Generator runs it as a nested coroutine and gives its return value (3 levels deep)
--FILE--
<?php
function level3($v)
{
    $slept = yield flame\time\sleep(5);
    $plain = yield "plain";
    return "L3($v, slept=" . var_export($slept, true) . ", plain=$plain)";
}
function level2($v)
{
    $r = yield level3($v + 1);
    return "L2($r)";
}
function level1($v)
{
    $r = yield level2($v + 1);
    return "L1($r)";
}
function returns_before_yielding() { return "returned without yielding"; yield; }
function returns_nothing() { yield flame\time\sleep(1); }
function returns_object() { yield 1; return new ArrayObject([7]); }

flame\go(function () {
    echo yield level1(1), "\n";
    echo yield returns_before_yielding(), "\n";
    var_dump(yield returns_nothing());
    $o = yield returns_object();
    echo get_class($o), " ", $o[0], "\n";
    // A generator already advanced by hand continues where it stands.
    $g = level1(10);
    $g->current();
    echo yield $g, "\n";
    return "the coroutine's own return value is ignored";
});
$other = null;
flame\go(function () use (&$other) {
    $other = yield level2(100);
});
flame\run();
echo "other coroutine: $other\n";
echo "done\n";
?>
--EXPECT--
L1(L2(L3(3, slept=NULL, plain=plain)))
returned without yielding
NULL
ArrayObject 7
L1(L2(L3(12, slept=NULL, plain=plain)))
other coroutine: L2(L3(101, slept=NULL, plain=plain))
done
