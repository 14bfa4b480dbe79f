--TEST--
flame\go with a callable that is not a generator: called once with no arguments (in a Fiber, so wait() works inside), its return value ignored
--FILE--
<?php
$log = [];
class Job
{
    public function method() { $GLOBALS['log'][] = "method, " . func_num_args() . " args"; return "ignored"; }
    public static function staticMethod() { $GLOBALS['log'][] = "static method, " . func_num_args() . " args"; return 42; }
    public function __invoke() { $GLOBALS['log'][] = "invokable object, " . func_num_args() . " args"; return [1, 2]; }
}
function plain_function() { $GLOBALS['log'][] = "function name, " . func_num_args() . " args"; return new stdClass; }

$closure_calls = 0;
flame\go(function () use (&$closure_calls) {
    $closure_calls++;
    $GLOBALS['log'][] = "closure, " . func_num_args() . " args";
    return 1;
});
flame\go('plain_function');
flame\go([new Job, 'method']);
flame\go('Job::staticMethod');
flame\go(new Job);
// Returning an awaitable from a plain callable does not wait for it.
flame\go(function () { $GLOBALS['log'][] = "returns a 5 s sleep"; return flame\time\sleep(5000); });
// A plain callable that returns a generator: the generator is driven.
function gen_fn() { $x = yield flame\time\sleep(5); $GLOBALS['log'][] = "generator returned by an arrow fn driven, got " . var_export($x, true); }
flame\go(fn() => gen_fn());
// It runs in a Fiber: wait() inside it suspends only this coroutine (SPEC §5).
flame\go(function () { $GLOBALS['log'][] = "closure that waits, got " . var_export(flame\time\sleep(5)->wait(), true); });
echo "scheduled: ", count($log), " ran\n";

$t0 = hrtime(true);
flame\run();
$ms = (hrtime(true) - $t0) / 1e6;
sort($log);
echo implode("\n", $log), "\n";
echo "closure called $closure_calls time(s)\n";
echo $ms < 2000 ? "run() did not wait for the returned awaitable\n" : "run() waited $ms ms\n";
flame\run();
echo "closure called $closure_calls time(s) after another run()\n";
?>
--EXPECT--
scheduled: 0 ran
closure that waits, got NULL
closure, 0 args
function name, 0 args
generator returned by an arrow fn driven, got NULL
invokable object, 0 args
method, 0 args
returns a 5 s sleep
static method, 0 args
closure called 1 time(s)
run() did not wait for the returned awaitable
closure called 1 time(s) after another run()
