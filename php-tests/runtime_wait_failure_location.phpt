--TEST--
the exception thrown by flame\awaitable::wait() carries the file and line of the wait() call
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
function show(string $case, Throwable $e, int $line): void
{
    echo "$case: file ", $e->getFile() === __FILE__ ? "this file" : "'" . $e->getFile() . "'",
        ", line ", $e->getLine() === $line ? "the wait() line" : $e->getLine() . " (wait() is on line $line)", "\n";
}
try {
    $line = __LINE__; runtime_failed_now()->wait();
} catch (flame\db\kafka\exception $e) {
    show("already failed", $e, $line);
}
try {
    $line = __LINE__; runtime_failing_later()->wait();
} catch (flame\db\kafka\exception $e) {
    show("failed while waiting", $e, $line);
}
?>
--EXPECT--
already failed: file this file, line the wait() line
failed while waiting: file this file, line the wait() line
