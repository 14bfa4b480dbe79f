--TEST--
fibers: a failure is thrown at the wait() line, an uncaught exception stops run() and is rethrown, the other coroutines go on with the next run(); unobserved failures warn
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
flame\go(function () {
    try {
        $line = __LINE__; runtime_failed_now()->wait();
    } catch (flame\db\kafka\exception $e) {
        echo "already failed: ", get_class($e), " code ", $e->getCode(), ", ",
            $e->getFile() === __FILE__ ? "this file" : $e->getFile(), ", ", runtime_line_report($e->getLine(), $line), "\n";
    }
    try {
        $line = __LINE__; runtime_failing_later()->wait();
    } catch (flame\db\kafka\exception $e) {
        echo "failed while suspended: code ", $e->getCode(), ", ", runtime_line_report($e->getLine(), $line), "\n";
    }
});
flame\run();

$survivor = 0;
flame\go(function () {
    flame\time\sleep(20)->wait();
    throw new DomainException("thrown by a fiber after its wait()");
});
flame\go(function () use (&$survivor) {
    flame\time\sleep(200)->wait();
    $survivor++;
    echo "the other fiber finished\n";
});
try {
    flame\run();
    echo "run() returned normally?!\n";
} catch (DomainException $e) {
    echo "run() rethrew: ", $e->getMessage(), " (survivor ran: $survivor)\n";
}
flame\run();
echo "second run(): survivor ran $survivor time(s)\n";

// Created in a fiber and never waited for: a warning naming the operation.
flame\go(function () {
    runtime_failed_now();
    flame\time\sleep(5)->wait();
    echo "fiber that dropped a failed awaitable: done\n";
});
flame\run();
?>
--EXPECTF--
already failed: flame\db\kafka\exception code 10, this file, the yield line
failed while suspended: code -192, the yield line
run() rethrew: thrown by a fiber after its wait() (survivor ran: 0)
the other fiber finished
second run(): survivor ran 1 time(s)

Warning: flame: unobserved failure of flame\db\kafka\producer::produce(): %s in %s on line %d
fiber that dropped a failed awaitable: done
