--TEST--
flame\awaitable is final and cannot be constructed, cloned or unserialized from PHP
--FILE--
<?php
$rc = new ReflectionClass('flame\awaitable');
var_dump($rc->isFinal());
try {
    $a = new flame\awaitable();
    echo "new flame\\awaitable() succeeded\n";
} catch (Throwable $e) {
    echo "new: refused with ", get_class($e), "\n";
}
try {
    $rc->newInstanceWithoutConstructor();
    echo "newInstanceWithoutConstructor() succeeded\n";
} catch (Throwable $e) {
    echo "newInstanceWithoutConstructor: refused with ", get_class($e), "\n";
}
$s = flame\time\sleep(1);
try {
    $c = clone $s;
    echo "clone succeeded\n";
} catch (Throwable $e) {
    echo "clone: refused with ", get_class($e), "\n";
}
try {
    unserialize('O:15:"flame\awaitable":0:{}');
    echo "unserialize succeeded\n";
} catch (Throwable $e) {
    echo "unserialize: refused\n";
}
var_dump($s->wait());
?>
--EXPECT--
bool(true)
new: refused with Exception
newInstanceWithoutConstructor: refused with ReflectionException
clone: refused with Error
unserialize: refused
NULL
