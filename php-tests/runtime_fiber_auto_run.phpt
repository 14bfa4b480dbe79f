--TEST--
fibers: Fiber coroutines scheduled but never run are run at the end of the script (auto-run), beside Generator ones
--FILE--
<?php
flame\go(function () {
    echo "fiber: started by auto-run\n";
    $v = flame\time\sleep(30)->wait();
    echo "fiber: woke up with ", var_export($v, true), "\n";
});
flame\go(function () {
    yield flame\time\sleep(10);
    echo "generator: done\n";
});
echo "end of the main script\n";
?>
--EXPECT--
end of the main script
fiber: started by auto-run
generator: done
fiber: woke up with NULL
