--TEST--
an exception a coroutine does not catch stops run() and is rethrown from it; other coroutines are not completed
--FILE--
<?php
$done = [];
$thrown = null;
flame\go(function () use (&$done) {
    yield flame\time\sleep(10);
    throw $GLOBALS['thrown'] = new UnexpectedValueException("boom", 7);
});
flame\go(function () use (&$done) {
    yield flame\time\sleep(1000);
    $done[] = "slow coroutine";
});
$t0 = hrtime(true);
try {
    flame\run();
    echo "run() returned normally\n";
} catch (UnexpectedValueException $e) {
    echo "run() rethrew ", get_class($e), ": ", $e->getMessage(), " (code ", $e->getCode(), ")\n";
    echo "same object: ", var_export($e === $thrown, true), "\n";
}
$ms = (hrtime(true) - $t0) / 1e6;
echo "completed: [", implode(", ", $done), "]\n";
echo $ms < 800 ? "run() stopped without waiting for the others\n" : "run() took $ms ms\n";

// A plain (non-generator) callable that throws stops run() the same way.
flame\go(function () { throw new LengthException("from a plain callable"); });
try {
    flame\run();
    echo "run() returned normally\n";
} catch (LengthException $e) {
    echo "run() rethrew ", get_class($e), ": ", $e->getMessage(), "\n";
}
// An Error (not an Exception) too.
flame\go(function () { yield 1; undefined_function_xyz(); });
try {
    flame\run();
    echo "run() returned normally\n";
} catch (Error $e) {
    echo "run() rethrew ", get_class($e), ": ", $e->getMessage(), "\n";
}
echo "completed: [", implode(", ", $done), "]\n";
?>
--EXPECT--
run() rethrew UnexpectedValueException: boom (code 7)
same object: true
completed: []
run() stopped without waiting for the others
run() rethrew LengthException: from a plain callable
run() rethrew Error: Call to undefined function undefined_function_xyz()
completed: []
