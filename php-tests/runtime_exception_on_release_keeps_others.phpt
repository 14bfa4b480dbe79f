--TEST--
an exception thrown while the scheduler releases a finished coroutine (a destructor) stops run() but does not cost another coroutine its run
--FILE--
<?php
class Boom
{
    public function __destruct() { throw new Exception("from a destructor"); }
}
$log = [];
$thrown = [];
$b = new Boom;
// A's closure holds the last reference to $b: it goes when A is released.
flame\go(function () use ($b) { $GLOBALS['log'][] = "A runs"; return 1; });
unset($b);
flame\go(function () {
    $GLOBALS['log'][] = "B starts";
    yield flame\time\sleep(20);
    $GLOBALS['log'][] = "B ends";
});
for ($i = 1; $i <= 3; $i++) {
    try {
        flame\run();
    } catch (Exception $e) {
        $thrown[] = "run() #$i rethrew: " . $e->getMessage();
    }
}
echo implode("\n", $thrown), "\n";
echo implode("\n", $log), "\n";
?>
--EXPECT--
run() #1 rethrew: from a destructor
A runs
B starts
B ends
