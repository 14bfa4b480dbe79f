--TEST--
consumer: consume_batch() refuses a $max out of 1..1000000 and a negative timeout with a ValueError naming the argument, and a wrong type with PHP's TypeError
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$c = earliest_consumer(unique_topic());
foreach ([[0, 0], [-1, 0], [1000001, 0], [5, -1], ['x', 0], [5, 'y']] as [$max, $t]) {
    try {
        $c->consume_batch($max, $t);
        echo "accepted\n";
    } catch (Throwable $e) {
        echo describe($e), "\n";
    }
}
try {
    $c->consume_batch();
} catch (Throwable $e) {
    echo describe($e), "\n";
}
echo "1000000 accepted: ", get_class($c->consume_batch(1000000, 1)), "\n";
$c->close()->wait();
try {
    $c->consume_batch(1, 1);
} catch (Throwable $e) {
    echo "after close: ", describe($e), "\n";
}
?>
--EXPECT--
ValueError: flame\db\kafka\consumer::consume_batch(): Argument #1 ($max) must be between 1 and 1000000, 0 given
ValueError: flame\db\kafka\consumer::consume_batch(): Argument #1 ($max) must be between 1 and 1000000, -1 given
ValueError: flame\db\kafka\consumer::consume_batch(): Argument #1 ($max) must be between 1 and 1000000, 1000001 given
ValueError: flame\db\kafka\consumer::consume_batch(): Argument #2 ($timeout_ms) must be greater than or equal to 0
TypeError: flame\db\kafka\consumer::consume_batch(): Argument #1 ($max) must be of type int, string given
TypeError: flame\db\kafka\consumer::consume_batch(): Argument #2 ($timeout_ms) must be of type int, string given
ArgumentCountError: flame\db\kafka\consumer::consume_batch() expects at least 1 argument, 0 given
1000000 accepted: flame\awaitable
after close: flame\db\kafka\exception: this consumer is closed
