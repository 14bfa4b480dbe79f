--TEST--
flame\stream() + flame\poll(): a stream_select() loop drives Fiber coroutines and then() callbacks; the stream is readable only when completions wait, poll() never blocks and counts what it settled
--FILE--
<?php
$s = flame\stream();
echo "stream: ", get_resource_type($s), ", same one each call: ", var_export(flame\stream() === $s, true), "\n";
$t = hrtime(true);
echo "poll() with nothing to do: ", flame\poll(), " (", (hrtime(true) - $t) < 50e6 ? "did not block" : "blocked", ")\n";

$done = [];
flame\time\sleep(60)->then(function ($v) use (&$done) { $done[] = "then: 60 ms sleep resolved with " . var_export($v, true); });
flame\time\sleep(20)->then(function ($v) use (&$done) { $done[] = "then: 20 ms sleep resolved"; });
flame\go(function () use (&$done) {
    flame\time\sleep(40)->wait();
    $done[] = "fiber: 40 ms sleep over";
});
$r = [$s]; $w = $e = null;
echo "readable before anything completed: ", stream_select($r, $w, $e, 0), "\n";
flame\poll();   // starts the fiber (it suspends in wait())
$settled = 0;
$selects = 0;
while (count($done) < 3 && $selects < 50) {
    $r = [$s]; $w = $e = null;
    if (stream_select($r, $w, $e, 5) === 1) {
        $selects++;
        $settled += flame\poll();
    }
}
echo implode("\n", $done), "\n";
echo "poll() settled $settled operation(s) in ", $selects <= 6 ? "a few" : $selects, " readable wakeups\n";
$r = [$s]; $w = $e = null;
echo "readable after everything was polled: ", stream_select($r, $w, $e, 0), "\n";
?>
--EXPECT--
stream: stream, same one each call: true
poll() with nothing to do: 0 (did not block)
readable before anything completed: 0
then: 20 ms sleep resolved
fiber: 40 ms sleep over
then: 60 ms sleep resolved with NULL
poll() settled 3 operation(s) in a few readable wakeups
readable after everything was polled: 0
