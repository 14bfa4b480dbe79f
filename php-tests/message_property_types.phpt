--TEST--
message: its properties behave as PHP typed properties (?string $key, ?string $val, string $topic, int $partition, int $offset, array $headers) — a wrong type is PHP's own \TypeError, coercive mode converts like any typed property
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$p = new flame\db\kafka\producer(producer_conf(), [], unique_topic());
$m = $p->produce('v', 'k', ['h' => '1'])->wait();

$cases = [
    ['offset', 'abc'], ['offset', []], ['offset', null],
    ['partition', 'x'], ['partition', new stdClass],
    ['topic', []], ['topic', null],
    ['key', []], ['key', new stdClass],
    ['val', []],
    ['headers', 'h'], ['headers', 1],
];
foreach ($cases as [$name, $value]) {
    try {
        $m->$name = $value;
        echo "$name = ", get_debug_type($value), ": accepted\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// what PHP accepts for typed properties (coercive mode) is accepted, converted
$m->offset = '42';
$m->partition = 7.0;
$m->topic = 123;
$m->key = null;
$m->val = null;
$m->headers = ['x' => 'y'];
var_dump($m->offset, $m->partition, $m->topic, $m->key, $m->val, $m->headers, (string)$m);
?>
--EXPECT--
TypeError: Cannot assign string to property flame\db\kafka\message::$offset of type int
TypeError: Cannot assign array to property flame\db\kafka\message::$offset of type int
TypeError: Cannot assign null to property flame\db\kafka\message::$offset of type int
TypeError: Cannot assign string to property flame\db\kafka\message::$partition of type int
TypeError: Cannot assign stdClass to property flame\db\kafka\message::$partition of type int
TypeError: Cannot assign array to property flame\db\kafka\message::$topic of type string
TypeError: Cannot assign null to property flame\db\kafka\message::$topic of type string
TypeError: Cannot assign array to property flame\db\kafka\message::$key of type ?string
TypeError: Cannot assign stdClass to property flame\db\kafka\message::$key of type ?string
TypeError: Cannot assign array to property flame\db\kafka\message::$val of type ?string
TypeError: Cannot assign string to property flame\db\kafka\message::$headers of type array
TypeError: Cannot assign int to property flame\db\kafka\message::$headers of type array
int(42)
int(7)
string(3) "123"
NULL
NULL
array(1) {
  ["x"]=>
  string(1) "y"
}
string(0) ""
