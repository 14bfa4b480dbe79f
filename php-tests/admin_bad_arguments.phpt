--TEST--
admin: bad arguments are a \TypeError or \ValueError naming the argument, thrown at the call (nothing is sent); a bad $global_opt is refused like the producer's
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$a = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
$cases = [
    'new admin("x")' => fn() => new flame\db\kafka\admin('x'),
    'new admin([])' => fn() => new flame\db\kafka\admin([]),
    'new admin(bad option)' => fn() => new flame\db\kafka\admin(['bootstrap.servers' => brokers(), 'no.such.option' => 1]),
    'new admin(callback option)' => fn() => new flame\db\kafka\admin(['bootstrap.servers' => brokers(), 'dr_msg_cb' => 'x']),
    'create_topic("")' => fn() => $a->create_topic(''),
    'create_topic("a\0b")' => fn() => $a->create_topic("a\0b"),
    'create_topic("\xff")' => fn() => $a->create_topic("\xff"),
    'create_topic([])' => fn() => $a->create_topic([]),
    'create_topic("t", 0)' => fn() => $a->create_topic('t', 0),
    'create_topic("t", -2)' => fn() => $a->create_topic('t', -2),
    'create_topic("t", 100001)' => fn() => $a->create_topic('t', 100001),
    'create_topic("t", "x")' => fn() => $a->create_topic('t', 'x'),
    'create_topic("t", 1, 0)' => fn() => $a->create_topic('t', 1, 0),
    'create_topic("t", 1, 1, "x")' => fn() => $a->create_topic('t', 1, 1, 'x'),
    'create_topic("t", 1, 1, [k => []])' => fn() => $a->create_topic('t', 1, 1, ['retention.ms' => []]),
    'create_topic("t", 1, 1, [k => null])' => fn() => $a->create_topic('t', 1, 1, ['retention.ms' => null]),
    'create_topic("t", 1, 1, ["" => 1])' => fn() => $a->create_topic('t', 1, 1, ['' => 1]),
    'delete_topic("")' => fn() => $a->delete_topic(''),
    'delete_topic([1])' => fn() => $a->delete_topic([1]),
    'create_partitions("t", 0)' => fn() => $a->create_partitions('t', 0),
    'create_partitions("t", "many")' => fn() => $a->create_partitions('t', 'many'),
    'metadata("")' => fn() => $a->metadata(''),
    'metadata([])' => fn() => $a->metadata([]),
    'describe_config("")' => fn() => $a->describe_config(''),
    'alter_config("t", [])' => fn() => $a->alter_config('t', []),
    'alter_config("t", "x")' => fn() => $a->alter_config('t', 'x'),
    'alter_config("t", [k => new stdClass])' => fn() => $a->alter_config('t', ['retention.ms' => new stdClass]),
    'alter_config("t", [k => "a\0b"])' => fn() => $a->alter_config('t', ['retention.ms' => "a\0b"]),
    'describe_group("")' => fn() => $a->describe_group(''),
    'group_offsets("a\0")' => fn() => $a->group_offsets("a\0"),
    'delete_group([])' => fn() => $a->delete_group([]),
    'delete_records("t", -1, 0)' => fn() => $a->delete_records('t', -1, 0),
    'delete_records("t", 0, -2)' => fn() => $a->delete_records('t', 0, -2),
    'delete_records("t", 0, "x")' => fn() => $a->delete_records('t', 0, 'x'),
];
foreach ($cases as $what => $fn) {
    try {
        $r = $fn();
        echo "$what: no exception (", get_debug_type($r), ")\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ($e->getCode() ? " (code {$e->getCode()})" : ''), ": ", $e->getMessage(), "\n";
    }
}
// Coercive typing as PHP's own functions: "3" and 2.0 are ints, 5 is a string.
$t = unique_topic('adm');
$a->create_topic($t, "3", 1.0, ['retention.ms' => 3600000, 'compression.type' => 'lz4'])->wait();
echo "coerced: ", count($a->metadata($t)->wait()['topics'][$t]['partitions']), " partitions\n";
$a->delete_topic($t)->wait();
?>
--EXPECT--
new admin("x"): TypeError: flame\db\kafka\admin::__construct(): Argument #1 ($global_opt) must be of type array, string given
new admin([]): flame\db\kafka\exception (code -186): $global_opt must contain "bootstrap.servers" or "metadata.broker.list"
new admin(bad option): flame\db\kafka\exception (code -186): $global_opt: invalid option "no.such.option": No such configuration property: "no.such.option"
new admin(callback option): flame\db\kafka\exception (code -186): $global_opt: option "dr_msg_cb" can only be set with a C callback in librdkafka and is not supported here
create_topic(""): ValueError: flame\db\kafka\admin::create_topic(): Argument #1 ($topic) cannot be empty
create_topic("a\0b"): ValueError: flame\db\kafka\admin::create_topic(): Argument #1 ($topic) must not contain NUL bytes
create_topic("\xff"): ValueError: flame\db\kafka\admin::create_topic(): Argument #1 ($topic) must be valid UTF-8
create_topic([]): TypeError: flame\db\kafka\admin::create_topic(): Argument #1 ($topic) must be of type string, array given
create_topic("t", 0): ValueError: flame\db\kafka\admin::create_topic(): Argument #2 ($partitions) must be between 1 and 100000 (or -1), 0 given
create_topic("t", -2): ValueError: flame\db\kafka\admin::create_topic(): Argument #2 ($partitions) must be between 1 and 100000 (or -1), -2 given
create_topic("t", 100001): ValueError: flame\db\kafka\admin::create_topic(): Argument #2 ($partitions) must be between 1 and 100000 (or -1), 100001 given
create_topic("t", "x"): TypeError: flame\db\kafka\admin::create_topic(): Argument #2 ($partitions) must be of type int, string given
create_topic("t", 1, 0): ValueError: flame\db\kafka\admin::create_topic(): Argument #3 ($replication_factor) must be between 1 and 10000 (or -1), 0 given
create_topic("t", 1, 1, "x"): TypeError: flame\db\kafka\admin::create_topic(): Argument #4 ($config) must be of type array, string given
create_topic("t", 1, 1, [k => []]): TypeError: flame\db\kafka\admin::create_topic(): Argument #4 ($config) value of "retention.ms" must be of type string|int|float|bool, array given
create_topic("t", 1, 1, [k => null]): TypeError: flame\db\kafka\admin::create_topic(): Argument #4 ($config) value of "retention.ms" must be of type string|int|float|bool, null given
create_topic("t", 1, 1, ["" => 1]): ValueError: flame\db\kafka\admin::create_topic(): Argument #4 ($config) must map config names (non-empty, no NUL byte) to values
delete_topic(""): ValueError: flame\db\kafka\admin::delete_topic(): Argument #1 ($topic) cannot be empty
delete_topic([1]): TypeError: flame\db\kafka\admin::delete_topic(): Argument #1 ($topic) must be of type string, array given
create_partitions("t", 0): ValueError: flame\db\kafka\admin::create_partitions(): Argument #2 ($total) must be between 1 and 100000, 0 given
create_partitions("t", "many"): TypeError: flame\db\kafka\admin::create_partitions(): Argument #2 ($total) must be of type int, string given
metadata(""): ValueError: flame\db\kafka\admin::metadata(): Argument #1 ($topic) cannot be empty
metadata([]): TypeError: flame\db\kafka\admin::metadata(): Argument #1 ($topic) must be of type ?string, array given
describe_config(""): ValueError: flame\db\kafka\admin::describe_config(): Argument #1 ($topic) cannot be empty
alter_config("t", []): ValueError: flame\db\kafka\admin::alter_config(): Argument #2 ($config) must not be empty
alter_config("t", "x"): TypeError: flame\db\kafka\admin::alter_config(): Argument #2 ($config) must be of type array, string given
alter_config("t", [k => new stdClass]): TypeError: flame\db\kafka\admin::alter_config(): Argument #2 ($config) value of "retention.ms" must be of type string|int|float|bool|null, stdClass given
alter_config("t", [k => "a\0b"]): ValueError: flame\db\kafka\admin::alter_config(): Argument #2 ($config) value of "retention.ms" must be valid UTF-8 without NUL bytes
describe_group(""): ValueError: flame\db\kafka\admin::describe_group(): Argument #1 ($group) cannot be empty
group_offsets("a\0"): ValueError: flame\db\kafka\admin::group_offsets(): Argument #1 ($group) must not contain NUL bytes
delete_group([]): TypeError: flame\db\kafka\admin::delete_group(): Argument #1 ($group) must be of type string, array given
delete_records("t", -1, 0): ValueError: flame\db\kafka\admin::delete_records(): Argument #2 ($partition) must be between 0 and 2147483647, -1 given
delete_records("t", 0, -2): ValueError: flame\db\kafka\admin::delete_records(): Argument #3 ($before_offset) must be an offset (>= 0) or topic_partition::END (-1), -2 given
delete_records("t", 0, "x"): TypeError: flame\db\kafka\admin::delete_records(): Argument #3 ($before_offset) must be of type int, string given
coerced: 3 partitions
