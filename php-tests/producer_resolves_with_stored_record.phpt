--TEST--
producer: produce() resolves with the stored record (topic, partition, offset, key, val, headers, timestamp)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    $before = (int)floor(microtime(true) * 1000);
    $m = yield $p->produce("payload-1", "key-1", ["h1" => "v1", "h2" => "v2"]);
    $after = (int)ceil(microtime(true) * 1000);

    var_dump($m instanceof flame\db\kafka\message);
    var_dump($m->topic === $topic);
    var_dump(is_int($m->partition) && $m->partition >= 0 && $m->partition <= 2);
    var_dump(is_int($m->offset) && $m->offset >= 0);
    var_dump($m->key, $m->val, $m->headers);
    $ts = $m->timestamp_ms();
    var_dump(is_int($ts));
    echo ($ts >= $before - 1000 && $ts <= $after + 1000) ? "timestamp near now\n" : "timestamp off: $ts not in [$before, $after]\n";

    // a second message to the same key lands on the same partition at the next offset
    $m2 = yield $p->produce("payload-2", "key-1");
    var_dump($m2->partition === $m->partition, $m2->offset === $m->offset + 1, $m2->headers);
});
flame\run();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
string(5) "key-1"
string(9) "payload-1"
array(2) {
  ["h1"]=>
  string(2) "v1"
  ["h2"]=>
  string(2) "v2"
}
bool(true)
timestamp near now
bool(true)
bool(true)
array(0) {
}
