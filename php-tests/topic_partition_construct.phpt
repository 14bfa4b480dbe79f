--TEST--
topic_partition: constructor, public topic/partition/offset, the constants BEGINNING/END/STORED; bad input is a \TypeError or \ValueError naming the argument
--FILE--
<?php
use flame\db\kafka\topic_partition;

var_dump(topic_partition::BEGINNING, topic_partition::END, topic_partition::STORED);
$tp = new topic_partition('orders', 2);
echo "$tp->topic [$tp->partition] @ $tp->offset\n";
$tp = new topic_partition('orders', 0, 42);
echo "$tp->topic [$tp->partition] @ $tp->offset\n";
$tp->offset = topic_partition::BEGINNING;
$tp->partition = 5;
echo "$tp->topic [$tp->partition] @ $tp->offset\n";
foreach ([topic_partition::BEGINNING, topic_partition::END, topic_partition::STORED, 0] as $o) {
    echo (new topic_partition('t', 0, $o))->offset, " ";
}
echo "\n";
$cases = [
    'new("", 0)' => fn() => new topic_partition('', 0),
    'new("a\0b", 0)' => fn() => new topic_partition("a\0b", 0),
    'new([], 0)' => fn() => new topic_partition([], 0),
    'new("t", -1)' => fn() => new topic_partition('t', -1),
    'new("t", 2147483648)' => fn() => new topic_partition('t', 2147483648),
    'new("t", "p")' => fn() => new topic_partition('t', 'p'),
    'new("t", 0, -3)' => fn() => new topic_partition('t', 0, -3),
    'new("t", 0, "x")' => fn() => new topic_partition('t', 0, 'x'),
    'new("t")' => fn() => new topic_partition('t'),
];
foreach ($cases as $what => $fn) {
    try {
        $fn();
        echo "$what: no exception\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
int(-2)
int(-1)
int(-1000)
orders [2] @ -1000
orders [0] @ 42
orders [5] @ -2
-2 -1 -1000 0 
new("", 0): ValueError: flame\db\kafka\topic_partition::__construct(): Argument #1 ($topic) cannot be empty
new("a\0b", 0): ValueError: flame\db\kafka\topic_partition::__construct(): Argument #1 ($topic) must not contain NUL bytes
new([], 0): TypeError: flame\db\kafka\topic_partition::__construct(): Argument #1 ($topic) must be of type string, array given
new("t", -1): ValueError: flame\db\kafka\topic_partition::__construct(): Argument #2 ($partition) must be between 0 and 2147483647, -1 given
new("t", 2147483648): ValueError: flame\db\kafka\topic_partition::__construct(): Argument #2 ($partition) must be between 0 and 2147483647, 2147483648 given
new("t", "p"): TypeError: flame\db\kafka\topic_partition::__construct(): Argument #2 ($partition) must be of type int, string given
new("t", 0, -3): ValueError: flame\db\kafka\topic_partition::__construct(): Argument #3 ($offset) must be an offset (>= 0) or topic_partition::BEGINNING (-2), END (-1) or STORED (-1000), -3 given
new("t", 0, "x"): TypeError: flame\db\kafka\topic_partition::__construct(): Argument #3 ($offset) must be of type int, string given
new("t"): ArgumentCountError: flame\db\kafka\topic_partition::__construct() expects at least 2 arguments, 1 given
