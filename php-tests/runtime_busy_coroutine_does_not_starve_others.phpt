--TEST--
runtime: a coroutine whose yields are always ready at once (plain values, prefetched messages) does not keep others from their completed operations
--FILE--
<?php
const N = 2000000;
$i = 0;
$seenAt = null;
flame\go(function () use (&$i) {
    for (; $i < N; $i++) {
        yield $i;                  // always ready: goes straight back to the ready queue
    }
});
flame\go(function () use (&$i, &$seenAt) {
    yield flame\time\sleep(20);    // completes through the completion channel
    $seenAt = $i;
});
flame\run();
echo "busy coroutine finished: ", var_export($i === N, true), "\n";
echo "timer coroutine resumed before the busy one finished: ", var_export($seenAt !== null && $seenAt < N, true), "\n";
?>
--EXPECT--
busy coroutine finished: true
timer coroutine resumed before the busy one finished: true
