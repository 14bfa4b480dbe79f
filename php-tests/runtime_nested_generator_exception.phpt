--TEST--
an exception escaping a nested generator is thrown at the yield in the parent, and can be caught there
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
$thrown = null;
$throw_line = 0;
function failing_inner()
{
    yield flame\time\sleep(5);
    $GLOBALS['throw_line'] = __LINE__; throw $GLOBALS['thrown'] = new DomainException("inner failed", 42);
}
function middle()
{
    $r = yield failing_inner();
    echo "middle: not reached\n";
    return $r;
}
function throws_before_yielding() { throw new LengthException("at once"); yield; }

flame\go(function () {
    try {
        yield failing_inner();
        echo "not reached\n";
    } catch (DomainException $e) {
        echo "caught at the parent's yield: ", get_class($e), " '", $e->getMessage(), "' code ", $e->getCode(), "\n";
        echo "same object: ", var_export($e === $GLOBALS['thrown'], true), "\n";
        echo "line is the throw line: ", var_export($e->getLine() === $GLOBALS['throw_line'], true), "\n";
    }
    try {
        yield middle();
    } catch (DomainException $e) {
        echo "caught two levels up: ", $e->getMessage(), "\n";
    }
    try {
        yield throws_before_yielding();
    } catch (LengthException $e) {
        echo "thrown before the first yield, caught: ", $e->getMessage(), "\n";
    }
    try {
        yield (function () { yield runtime_failed_now(); echo "not reached\n"; })();
    } catch (flame\db\kafka\exception $e) {
        echo "a failed awaitable not caught in the nested generator reaches the parent: code ", $e->getCode(), "\n";
    }
    $r = yield (function () {
        try {
            yield failing_inner();
        } catch (DomainException $e) {
            return "the nested generator caught it itself";
        }
    })();
    echo $r, "\n";
    $r = yield (function () {
        try {
            yield failing_inner();
        } finally {
            echo "finally of the nested generator runs\n";
        }
    })();
    echo "not reached\n";
});
try {
    flame\run();
} catch (DomainException $e) {
    echo "run() rethrew the one nobody caught: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
caught at the parent's yield: DomainException 'inner failed' code 42
same object: true
line is the throw line: true
caught two levels up: inner failed
thrown before the first yield, caught: at once
a failed awaitable not caught in the nested generator reaches the parent: code 10
the nested generator caught it itself
finally of the nested generator runs
run() rethrew the one nobody caught: inner failed
