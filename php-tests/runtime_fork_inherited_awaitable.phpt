--TEST--
runtime: an awaitable still pending when the process forks fails in the child (it can never complete there) instead of hanging
--FILE--
<?php
$a = flame\time\sleep(300);
$pid = pcntl_fork();
if ($pid === 0) {
    $t = microtime(true);
    try {
        $a->wait();
        echo "child: resolved?!\n";
    } catch (Throwable $e) {
        echo "child: ", get_class($e), ": ", (str_contains($e->getMessage(), "fork") ? "mentions fork" : $e->getMessage()), "\n";
    }
    echo "child: new sleep works: ", var_export(flame\time\sleep(10)->wait(), true), "\n";
    exit(0);
}
pcntl_waitpid($pid, $status);
echo "parent: ", var_export($a->wait(), true), "\n";
?>
--EXPECT--
child: RuntimeException: mentions fork
child: new sleep works: NULL
parent: NULL
