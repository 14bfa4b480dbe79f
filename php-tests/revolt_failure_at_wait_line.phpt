--TEST--
Revolt: a failure is thrown at the wait() that waits for it — in a Revolt fiber and in {main} — with the wait() line, other fibers unaffected
--FILE--
<?php
require __DIR__ . '/inc/loops.php';
require __DIR__ . '/inc/runtime_failing.inc';
require_revolt();
use Revolt\EventLoop;

$log = [];
EventLoop::queue(function () use (&$log) {
    try {
        $line = __LINE__; runtime_failing_later()->wait();
        $log[] = "fiber: no exception?!";
    } catch (flame\db\kafka\exception $e) {
        $log[] = "fiber: caught code " . $e->getCode() . " at " . runtime_line_report($e->getLine(), $line);
    }
});
EventLoop::queue(function () use (&$log) {
    $v = flame\time\sleep(50)->wait();
    $log[] = "other fiber: sleep resolved with " . var_export($v, true);
});
try {
    $line = __LINE__; runtime_failing_later()->wait();   // {main}: the loop runs the fibers meanwhile
} catch (flame\db\kafka\exception $e) {
    $log[] = "main: caught code " . $e->getCode() . " at " . runtime_line_report($e->getLine(), $line);
}
EventLoop::run();
sort($log);
echo implode("\n", $log), "\n";
try {
    $line = __LINE__; runtime_failed_now()->wait();
} catch (flame\db\kafka\exception $e) {
    echo "main, already failed: code ", $e->getCode(), " at ", runtime_line_report($e->getLine(), $line), "\n";
}
?>
--EXPECT--
fiber: caught code -192 at the yield line
main: caught code -192 at the yield line
other fiber: sleep resolved with NULL
main, already failed: code 10 at the yield line
