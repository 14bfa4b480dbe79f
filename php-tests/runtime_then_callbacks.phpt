--TEST--
flame\awaitable::then(): exactly one callback, once, after settling (never inside then()), in registration order; failures go to $on_error (observed: no warning), or warn without it; an exception from a callback stops run()
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
$calls = [];
$a = flame\time\sleep(30);
$a->then(function ($v) use (&$calls) { $calls[] = "a first: " . var_export($v, true); }, function () use (&$calls) { $calls[] = "a first: on_error?!"; });
$a->then(function ($v) use (&$calls) { $calls[] = "a second (registered after a first): " . (end($calls) === "a first: NULL" ? "called right after it" : "out of order"); });
flame\time\sleep(10)->then(function () use (&$calls) { $calls[] = "dropped awaitable's then: 10 ms"; });
runtime_failing_later()->then(
    function () use (&$calls) { $calls[] = "failing: on_value?!"; },
    function (Throwable $e) use (&$calls) { $calls[] = "failing: on_error got " . get_class($e) . " code " . $e->getCode(); }
);
$now = flame\time\sleep(0);
$now->wait();
$now->then(function () use (&$calls) { $calls[] = "settled before then(): called later"; });
$calls[] = "then() on a settled awaitable returned without calling";
flame\run();
// Settle order depends on timing; registration order on one awaitable does not.
echo $calls[0], "\n";
$rest = array_slice($calls, 1);
sort($rest);
echo implode("\n", $rest), "\n";
$calls = [];
flame\run();
$a->wait();
echo "after more run()/wait(): ", count($calls), " more calls\n";

flame\time\sleep(5)->then(function () { throw new RuntimeException("thrown by a then() callback"); });
try {
    flame\run();
    echo "run() returned?!\n";
} catch (RuntimeException $e) {
    echo "run() rethrew: ", $e->getMessage(), "\n";
}
echo "no on_error:\n";
runtime_failed_now()->then(function () { echo "on_value?!\n"; });
flame\run();
try {
    (new ReflectionMethod('flame\awaitable', 'then'))->invoke(flame\time\sleep(1), 'no_such_function');
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
?>
--EXPECTF--
then() on a settled awaitable returned without calling
a first: NULL
a second (registered after a first): called right after it
dropped awaitable's then: 10 ms
failing: on_error got flame\db\kafka\exception code -192
settled before then(): called later
after more run()/wait(): 0 more calls
run() rethrew: thrown by a then() callback
no on_error:

Warning: flame: unobserved failure (then() without $on_error): %s in %s on line %d
TypeError: flame\awaitable::then(): Argument #1 ($on_value) must be a valid callback, string given
