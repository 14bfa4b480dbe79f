--TEST--
consumer/producer: objects created before pcntl_fork() throw in the child saying so; new objects in the child work
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

if (!function_exists('pcntl_fork')) {
    echo "pcntl_fork() is not available with -n\n";   // fails the test: it must not skip
}
$topic = unique_topic();
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$first = $p->produce("before fork", "k")->wait();
$c = earliest_consumer($topic);
$m = $c->consume(15000)->wait();
echo "parent before fork: produced and consumed '", $m, "'\n";

$report = tempnam(sys_get_temp_dir(), 'flame_fork_');
$pid = pcntl_fork();
if ($pid === 0) {
    $out = [];
    $try = function (string $what, callable $fn) use (&$out) {
        try {
            $r = $fn();
            $out[] = "$what: no exception (" . get_debug_type($r) . ")";
        } catch (Throwable $e) {
            $out[] = "$what: " . get_class($e) . ": " . $e->getMessage();
        }
    };
    $try('old producer produce()', fn() => $p->produce("from child")->wait());
    $try('old producer flush()', fn() => $p->flush(1000)->wait());
    $try('old consumer consume()', fn() => $c->consume(1000)->wait());
    $try('new producer in child', function () use ($topic) {
        $np = new flame\db\kafka\producer(producer_conf(), [], $topic);
        return $np->produce("from child", "k")->wait()->val;
    });
    $try('new consumer in child', function () use ($topic) {
        $nc = earliest_consumer($topic);
        $m = $nc->consume(15000)->wait();
        $nc->close()->wait();
        return $m;
    });
    file_put_contents($report, implode("\n", $out) . "\n");
    exit(0);
}

$t0 = microtime(true);
$status = 0;
while (($r = pcntl_waitpid($pid, $status, WNOHANG)) === 0 && microtime(true) - $t0 < 18) {
    usleep(50000);
}
if ($r === 0) {
    posix_kill($pid, SIGKILL);
    pcntl_waitpid($pid, $status);
    echo "child hung (killed)\n";
}
echo file_get_contents($report);
@unlink($report);
echo "child exited normally with 0: ", var_export(pcntl_wifexited($status) && pcntl_wexitstatus($status) === 0, true), "\n";

// the parent's objects are unaffected
$m2 = $p->produce("after fork", "k")->wait();
echo "parent after fork: produced at offset ", $m2->offset - $first->offset, " after the first\n";
$c->close()->wait();
?>
--EXPECTF--
parent before fork: produced and consumed 'before fork'
old producer produce(): %s: %sfork%S
old producer flush(): %s: %sfork%S
old consumer consume(): %s: %sfork%S
new producer in child: no exception (string)
new consumer in child: no exception (flame\db\kafka\message)
child exited normally with 0: true
parent after fork: produced at offset 2 after the first
