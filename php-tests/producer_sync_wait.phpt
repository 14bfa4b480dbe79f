--TEST--
producer: $producer->produce(...)->wait() in a plain (non-coroutine) script returns the delivered message
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$a = $p->produce("sync payload", "sync-key", ["h" => "v"]);
echo get_class($a), "\n";
$m = $a->wait();
echo get_class($m), "\n";
var_dump($a->ready());
var_dump($m->val, $m->key, $m->topic === $topic, $m->offset >= 0, $m->headers);

$m2 = $p->produce("second")->wait();
var_dump($m2->val, $m2->key);
var_dump($p->flush()->wait());
echo "done\n";
?>
--EXPECT--
flame\awaitable
flame\db\kafka\message
bool(true)
string(12) "sync payload"
string(8) "sync-key"
bool(true)
bool(true)
array(1) {
  ["h"]=>
  string(1) "v"
}
string(6) "second"
NULL
NULL
done
