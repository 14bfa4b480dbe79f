--TEST--
consumer: consume()->wait() and close()->wait() work in a plain (non-coroutine) script
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$p->produce("one", "k")->wait();

$c = earliest_consumer($topic);
$m = $c->consume(15000)->wait();
var_dump($m->val, $m->key);
var_dump($c->consume(300)->wait());
var_dump($c->close()->wait());
echo "done\n";
?>
--EXPECT--
string(3) "one"
string(1) "k"
NULL
NULL
done
