--TEST--
fibers: a process forked while Fiber coroutines wait: in the child their inherited operations fail at the wait() (saying fork), new ones work; the parent's complete
--FILE--
<?php
$parent = getmypid();
$pid = -1;
flame\go(function () use ($parent) {
    try {
        $v = flame\time\sleep(300)->wait();
        echo getmypid() === $parent ? "parent: A resolved " . var_export($v, true) . "\n" : "child: A resolved?!\n";
    } catch (Throwable $e) {
        echo getmypid() === $parent ? "parent: A failed?!\n" : "child: A got " . get_class($e) . " at the wait(): "
            . (str_contains($e->getMessage(), "fork") ? "mentions fork" : $e->getMessage()) . "\n";
        echo "child: a new sleep in the same fiber: ", var_export(flame\time\sleep(10)->wait(), true), "\n";
    }
});
flame\go(function () use (&$pid) {
    flame\time\sleep(20)->wait();
    $pid = pcntl_fork();
    if ($pid === 0) {
        echo "child: forked inside fiber B\n";
    } else {
        pcntl_waitpid($pid, $status);   // the child is done before the parent goes on
        echo "parent: child exited with ", pcntl_wexitstatus($status), "\n";
    }
});
flame\run();
if ($pid === 0) {
    exit(0);
}
echo "parent: done\n";
?>
--EXPECT--
child: forked inside fiber B
child: A got RuntimeException at the wait(): mentions fork
child: a new sleep in the same fiber: NULL
parent: child exited with 0
parent: A resolved NULL
parent: done
