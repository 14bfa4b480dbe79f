--TEST--
mock_cluster: every bad argument is refused with the exact ValueError/TypeError naming it (librdkafka refusals: flame\db\kafka\exception with its code); valid calls work
--FILE--
<?php
// Needs no broker: librdkafka's in-process mock cluster.
use flame\db\kafka\mock_cluster;

$m = new mock_cluster(3);
$m->create_topic('t', 2, 3);

$cases = [
    'new mock_cluster(0)' => fn() => new mock_cluster(0),
    'new mock_cluster(33)' => fn() => new mock_cluster(33),
    'new mock_cluster("x")' => fn() => new mock_cluster("x"),
    'new mock_cluster(null)' => fn() => new mock_cluster(null),
    'create_topic("")' => fn() => $m->create_topic(''),
    'create_topic("a\0b")' => fn() => $m->create_topic("a\0b"),
    'create_topic([])' => fn() => $m->create_topic([]),
    'create_topic("u", 0)' => fn() => $m->create_topic('u', 0),
    'create_topic("u", 10001)' => fn() => $m->create_topic('u', 10001),
    'create_topic("u", 1, 0)' => fn() => $m->create_topic('u', 1, 0),
    'create_topic("u", 1, 4)' => fn() => $m->create_topic('u', 1, 4),
    'create_topic("u", "x")' => fn() => $m->create_topic('u', 'x'),
    'create_topic("t") again' => fn() => $m->create_topic('t', 2, 3),
    'push_request_errors(-1, [6])' => fn() => $m->push_request_errors(-1, [6]),
    'push_request_errors(32768, [6])' => fn() => $m->push_request_errors(32768, [6]),
    'push_request_errors(0, [0])' => fn() => $m->push_request_errors(0, [0]),
    'push_request_errors(0, [12345])' => fn() => $m->push_request_errors(0, [12345]),
    'push_request_errors(0, [6, "x"])' => fn() => $m->push_request_errors(0, [6, 'x']),
    'push_request_errors(0, [6.0])' => fn() => $m->push_request_errors(0, [6.0]),
    'push_request_errors(0, [null])' => fn() => $m->push_request_errors(0, [null]),
    'broker_down(null)' => fn() => $m->broker_down(null),
    'create_topic("u", null)' => fn() => $m->create_topic('u', null),
    'push_request_errors(0, "6")' => fn() => $m->push_request_errors(0, '6'),
    'push_request_errors("x", [6])' => fn() => $m->push_request_errors('x', [6]),
    'clear_request_errors(-1)' => fn() => $m->clear_request_errors(-1),
    'clear_request_errors(40000)' => fn() => $m->clear_request_errors(40000),
    'topic_error("", 29)' => fn() => $m->topic_error('', 29),
    'topic_error("t\0", 29)' => fn() => $m->topic_error("t\0", 29),
    'topic_error("t", 99999)' => fn() => $m->topic_error('t', 99999),
    'partition_leader("", 0, 1)' => fn() => $m->partition_leader('', 0, 1),
    'partition_leader("t", -1, 1)' => fn() => $m->partition_leader('t', -1, 1),
    'partition_leader("t", 0, 0)' => fn() => $m->partition_leader('t', 0, 0),
    'partition_leader("t", 0, 4)' => fn() => $m->partition_leader('t', 0, 4),
    'partition_leader("t", 5, 1)' => fn() => $m->partition_leader('t', 5, 1),
    'broker_down(0)' => fn() => $m->broker_down(0),
    'broker_down(4)' => fn() => $m->broker_down(4),
    'broker_up(-1)' => fn() => $m->broker_up(-1),
    'broker_up([])' => fn() => $m->broker_up([]),
    'broker_rtt(0, 10)' => fn() => $m->broker_rtt(0, 10),
    'broker_rtt(1, -1)' => fn() => $m->broker_rtt(1, -1),
    'broker_rtt(1, 3600001)' => fn() => $m->broker_rtt(1, 3600001),
    'push_request_errors(0, []) (nothing to push)' => fn() => $m->push_request_errors(0, []),
    'clone' => fn() => clone $m,
    'serialize' => fn() => serialize($m),
];
foreach ($cases as $name => $fn) {
    try {
        $fn();
        echo "$name: no exception\n";
    } catch (Throwable $e) {
        echo "$name: ", get_class($e), ($e->getCode() ? ' (code ' . $e->getCode() . ')' : ''), ': ', $e->getMessage(), "\n";
    }
}

// valid calls still work after all that, in coercive mode too
$m->create_topic('u', "2", 1.0);
$m->push_request_errors("1", [6, 7]);
$m->clear_request_errors(1);
$m->topic_error('u', 29);
$m->topic_error('u', 0);
$m->partition_leader('t', 1, 3);
$m->broker_rtt(2, 5);
$m->broker_rtt(2, 0);
$m->broker_down(3);
$m->broker_up(3);
echo "valid calls: ok\n";
?>
--EXPECT--
new mock_cluster(0): ValueError: flame\db\kafka\mock_cluster::__construct(): Argument #1 ($brokers) must be between 1 and 32, 0 given
new mock_cluster(33): ValueError: flame\db\kafka\mock_cluster::__construct(): Argument #1 ($brokers) must be between 1 and 32, 33 given
new mock_cluster("x"): TypeError: flame\db\kafka\mock_cluster::__construct(): Argument #1 ($brokers) must be of type int, string given
new mock_cluster(null): TypeError: Argument `$brokers` must not be null
create_topic(""): ValueError: flame\db\kafka\mock_cluster::create_topic(): Argument #1 ($topic) cannot be empty
create_topic("a\0b"): ValueError: flame\db\kafka\mock_cluster::create_topic(): Argument #1 ($topic) must not contain NUL bytes
create_topic([]): TypeError: flame\db\kafka\mock_cluster::create_topic(): Argument #1 ($topic) must be of type string, array given
create_topic("u", 0): ValueError: flame\db\kafka\mock_cluster::create_topic(): Argument #2 ($partitions) must be between 1 and 10000, 0 given
create_topic("u", 10001): ValueError: flame\db\kafka\mock_cluster::create_topic(): Argument #2 ($partitions) must be between 1 and 10000, 10001 given
create_topic("u", 1, 0): ValueError: flame\db\kafka\mock_cluster::create_topic(): Argument #3 ($replication_factor) must be between 1 and 3 (the cluster's brokers), 0 given
create_topic("u", 1, 4): ValueError: flame\db\kafka\mock_cluster::create_topic(): Argument #3 ($replication_factor) must be between 1 and 3 (the cluster's brokers), 4 given
create_topic("u", "x"): TypeError: flame\db\kafka\mock_cluster::create_topic(): Argument #2 ($partitions) must be of type int, string given
create_topic("t") again: flame\db\kafka\exception (code 36): flame\db\kafka\mock_cluster: create_topic(t): Broker: Topic already exists
push_request_errors(-1, [6]): ValueError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #1 ($api_key) must be a Kafka API key (0..32767), -1 given
push_request_errors(32768, [6]): ValueError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #1 ($api_key) must be a Kafka API key (0..32767), 32768 given
push_request_errors(0, [0]): ValueError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #2 ($errors) must be a librdkafka error code other than 0, 0 is not one
push_request_errors(0, [12345]): ValueError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #2 ($errors) must be a librdkafka error code other than 0, 12345 is not one
push_request_errors(0, [6, "x"]): TypeError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #2 ($errors) must be a list of int error codes, string found
push_request_errors(0, [6.0]): TypeError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #2 ($errors) must be a list of int error codes, float found
push_request_errors(0, [null]): TypeError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #2 ($errors) must be a list of int error codes, null found
broker_down(null): TypeError: Invalid value given for argument `broker_id`.
create_topic("u", null): TypeError: Argument `$partitions` must not be null
push_request_errors(0, "6"): TypeError: Invalid value given for argument `errors`.
push_request_errors("x", [6]): TypeError: flame\db\kafka\mock_cluster::push_request_errors(): Argument #1 ($api_key) must be of type int, string given
clear_request_errors(-1): ValueError: flame\db\kafka\mock_cluster::clear_request_errors(): Argument #1 ($api_key) must be a Kafka API key (0..32767), -1 given
clear_request_errors(40000): ValueError: flame\db\kafka\mock_cluster::clear_request_errors(): Argument #1 ($api_key) must be a Kafka API key (0..32767), 40000 given
topic_error("", 29): ValueError: flame\db\kafka\mock_cluster::topic_error(): Argument #1 ($topic) cannot be empty
topic_error("t\0", 29): ValueError: flame\db\kafka\mock_cluster::topic_error(): Argument #1 ($topic) must not contain NUL bytes
topic_error("t", 99999): ValueError: flame\db\kafka\mock_cluster::topic_error(): Argument #2 ($code) must be a librdkafka error code other than 0, 99999 is not one
partition_leader("", 0, 1): ValueError: flame\db\kafka\mock_cluster::partition_leader(): Argument #1 ($topic) cannot be empty
partition_leader("t", -1, 1): ValueError: flame\db\kafka\mock_cluster::partition_leader(): Argument #2 ($partition) must be >= 0, -1 given
partition_leader("t", 0, 0): ValueError: flame\db\kafka\mock_cluster::partition_leader(): Argument #3 ($broker_id) must be between 1 and 3 (the cluster's brokers), 0 given
partition_leader("t", 0, 4): ValueError: flame\db\kafka\mock_cluster::partition_leader(): Argument #3 ($broker_id) must be between 1 and 3 (the cluster's brokers), 4 given
partition_leader("t", 5, 1): flame\db\kafka\exception (code 3): flame\db\kafka\mock_cluster: partition_leader(t, 5, 1): Broker: Unknown topic or partition
broker_down(0): ValueError: flame\db\kafka\mock_cluster::broker_down(): Argument #1 ($broker_id) must be between 1 and 3 (the cluster's brokers), 0 given
broker_down(4): ValueError: flame\db\kafka\mock_cluster::broker_down(): Argument #1 ($broker_id) must be between 1 and 3 (the cluster's brokers), 4 given
broker_up(-1): ValueError: flame\db\kafka\mock_cluster::broker_up(): Argument #1 ($broker_id) must be between 1 and 3 (the cluster's brokers), -1 given
broker_up([]): TypeError: flame\db\kafka\mock_cluster::broker_up(): Argument #1 ($broker_id) must be of type int, array given
broker_rtt(0, 10): ValueError: flame\db\kafka\mock_cluster::broker_rtt(): Argument #1 ($broker_id) must be between 1 and 3 (the cluster's brokers), 0 given
broker_rtt(1, -1): ValueError: flame\db\kafka\mock_cluster::broker_rtt(): Argument #2 ($rtt_ms) must be between 0 and 3600000, -1 given
broker_rtt(1, 3600001): ValueError: flame\db\kafka\mock_cluster::broker_rtt(): Argument #2 ($rtt_ms) must be between 0 and 3600000, 3600001 given
push_request_errors(0, []) (nothing to push): no exception
clone: Error: Trying to clone an uncloneable object of class flame\db\kafka\mock_cluster
serialize: Exception: Serialization of 'flame\db\kafka\mock_cluster' is not allowed
valid calls: ok
