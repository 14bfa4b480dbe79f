--TEST--
producer/consumer constructors: arguments of the wrong type get PHP's TypeError wording, naming the argument
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

use flame\db\kafka\consumer;
use flame\db\kafka\producer;

$b = brokers();
$cases = [
    'producer global_opt string' => fn() => new producer("bootstrap.servers=$b", [], 't'),
    'producer topic_opt int' => fn() => new producer(['bootstrap.servers' => $b], 5, 't'),
    'producer topic array' => fn() => new producer(['bootstrap.servers' => $b], [], ['t']),
    'consumer global_opt object' => fn() => new consumer(new stdClass(), [], 't'),
    'consumer topic_opt string' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => 'g'], 'x', 't'),
];
foreach ($cases as $name => $fn) {
    try {
        $fn();
        echo "$name: no exception\n";
    } catch (\Throwable $e) {
        echo "$name: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
}
// coercive mode: an int topic name is a string, as for any PHP string parameter
$p = new producer(['bootstrap.servers' => $b], [], 12345);
echo "int topic accepted: ", get_class($p), "\n";
?>
--EXPECT--
producer global_opt string: TypeError: flame\db\kafka\producer::__construct(): Argument #1 ($global_opt) must be of type array, string given
producer topic_opt int: TypeError: flame\db\kafka\producer::__construct(): Argument #2 ($topic_opt) must be of type array, int given
producer topic array: TypeError: flame\db\kafka\producer::__construct(): Argument #3 ($topic) must be of type string, array given
consumer global_opt object: TypeError: flame\db\kafka\consumer::__construct(): Argument #1 ($global_opt) must be of type array, stdClass given
consumer topic_opt string: TypeError: flame\db\kafka\consumer::__construct(): Argument #2 ($topic_opt) must be of type array, string given
int topic accepted: flame\db\kafka\producer
