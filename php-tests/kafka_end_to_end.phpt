--TEST--
kafka: produce one message in a coroutine and consume it back (walking skeleton)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    $m = yield $p->produce("hello flame", "the-key");
    echo get_class($m), "\n";

    $c = earliest_consumer($topic);
    $got = yield $c->consume(15000);
    var_dump($got instanceof flame\db\kafka\message);
    var_dump($got->key, $got->val, $got->topic === $topic);
    yield $c->close();
});
flame\run();
echo "done\n";
?>
--EXPECT--
flame\db\kafka\message
bool(true)
string(7) "the-key"
string(11) "hello flame"
bool(true)
done
