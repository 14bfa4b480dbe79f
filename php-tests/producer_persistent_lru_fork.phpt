--TEST--
producer: persistent clients are shared by identical configurations, bounded by flame_kafka.max_persistent (least recently used closed first), never used by a forked child, and flame.persistent takes only a boolean
--INI--
flame_kafka.max_persistent=2
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$make = fn(int $linger, $persistent = true) => new flame\db\kafka\producer(
    producer_conf(['linger.ms' => $linger, 'flame.persistent' => $persistent]), [], $topic);
$name = function (int $linger) use ($make) {
    $p = $make($linger);
    $p->produce("linger $linger")->wait();
    return $p->name();
};

$a = $name(1);
$b = $name(2);
echo "same configuration again: ", $name(2) === $b ? "reused" : "NEW CLIENT", "\n";
echo "flame.persistent given as 1 and as \"true\": ", $make(2, 1)->name() === $b && $make(2, 'true')->name() === $b ? "same client" : "DIFFERENT", "\n";
echo "flame.persistent false: ", $make(2, false)->name() === $b ? "SHARED" : "a client of its own", "\n";
$c = $name(3);                 // a third one: max_persistent=2 closes the least recently used (linger 1)
echo "after a third: linger 3 ", $name(3) === $c ? "kept" : "GONE", ", linger 2 ", $name(2) === $b ? "kept" : "GONE", "\n";
$a2 = $name(1);                // closes linger 3 now (linger 2 was used last)
echo "linger 1 again: ", $a2 === $a ? "OLD CLIENT" : "a new client", "\n";
echo "linger 3 again: ", $name(3) === $c ? "OLD CLIENT" : "a new client", "\n";

// two live objects of one configuration share the client; each keeps its own results
$x = $make(5);
$y = $make(5);
echo "two live objects: ", $x->name() === $y->name() ? "one client" : "TWO CLIENTS", "\n";
$mx = $x->produce('from x');
$my = $y->produce('from y');
echo "x got ", $mx->wait()->val, ", y got ", $my->wait()->val, "\n";
unset($x);
echo "y after x is gone: ", $y->produce('y again')->wait()->val, "\n";

foreach (['maybe', 2, [], 1.5] as $bad) {
    try {
        $make(1, $bad);
        echo "ACCEPTED ", json_encode($bad), "\n";
    } catch (Throwable $e) {
        echo describe($e), "\n";
    }
}

// fork: the child makes its own client for the same configuration
$parent = $y->name();
$report = tempnam(sys_get_temp_dir(), 'flame_fork_');
$pid = pcntl_fork();
if ($pid === 0) {
    $q = $make(5);
    $v = $q->produce('from the child')->wait()->val;
    file_put_contents($report, ($q->name() === $parent ? "child reused the parent's client" : "child: a client of its own") . ", produced '$v'\n");
    exit(0);
}
pcntl_waitpid($pid, $status);
echo file_get_contents($report);
unlink($report);
echo "parent still produces: ", $y->produce('parent after fork')->wait()->val, "\n";
$y->produce('left for the end of the script');
echo "done\n";
?>
--EXPECT--
same configuration again: reused
flame.persistent given as 1 and as "true": same client
flame.persistent false: a client of its own
after a third: linger 3 kept, linger 2 kept
linger 1 again: a new client
linger 3 again: a new client
two live objects: one client
x got from x, y got from y
y after x is gone: y again
flame\db\kafka\exception: $global_opt: option "flame.persistent" must be true or false, "maybe" given
flame\db\kafka\exception: $global_opt: option "flame.persistent" must be true or false, "2" given
TypeError: $global_opt: option "flame.persistent" must be a scalar (string, int, float or bool), array given
flame\db\kafka\exception: $global_opt: option "flame.persistent" must be true or false, "1.5" given
child: a client of its own, produced 'from the child'
parent still produces: parent after fork
done
