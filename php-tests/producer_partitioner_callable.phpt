--TEST--
producer: a callable partitioner_cb picks the partition; a bad result or an exception fails only that produce
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 3);   // (a not yet existing topic: producer_partitioner_callable_new_topic.phpt)
$calls = [];
$mode = 'ok';
$partitioner = function ($key, $count) use (&$calls, &$mode) {
    $calls[] = [$key, $count];
    switch ($mode) {
        case 'seven':  return 7;
        case 'string': return "1";
        case 'null':   return null;
        case 'throw':  throw new RuntimeException("partitioner boom");
    }
    if ($key === null) {
        return 1;
    }
    return (int)substr($key, -1);   // "to-2" -> 2
};

flame\go(function () use ($topic, $partitioner, &$calls, &$mode) {
    $p = new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => $partitioner], $topic);

    foreach (["to-2", "to-0", null, "to-1"] as $k) {
        $m = yield $p->produce("good " . var_export($k, true), $k);
        echo "key ", var_export($k, true), " -> partition {$m->partition}\n";
    }
    echo "callable saw: ", json_encode($calls), "\n";

    foreach (['seven', 'string', 'null', 'throw'] as $i => $bad) {
        $mode = $bad;
        $calls = [];
        try {
            $m = yield $p->produce("bad $bad", "bad-key");
            echo "$bad: NOT FAILED, went to partition {$m->partition}\n";
        } catch (Throwable $e) {
            echo "$bad: ", get_class($e), ": ", $e->getMessage(), "\n";
        }
        echo "  calls: ", count($calls), "\n";
        $mode = 'ok';
        $m = yield $p->produce("after $bad", "to-" . ($i % 3));
        echo "  next produce -> partition {$m->partition}\n";
    }

    // exactly the 8 good messages are in the topic, none of the failed ones
    $msgs = yield read_topic($topic, 8, 1500);
    $vals = array_map(fn($m) => $m->val . " @" . $m->partition, $msgs);
    sort($vals);
    echo count($msgs), " messages in topic:\n", implode("\n", $vals), "\n";
});
flame\run();
?>
--EXPECTF--
key 'to-2' -> partition 2
key 'to-0' -> partition 0
key NULL -> partition 1
key 'to-1' -> partition 1
callable saw: [["to-2",3],["to-0",3],[null,3],["to-1",3]]
seven: flame\db\kafka\exception: %s7%s
  calls: 1
  next produce -> partition 0
string: flame\db\kafka\exception: %sint%s
  calls: 1
  next produce -> partition 1
null: flame\db\kafka\exception: %sint%s
  calls: 1
  next produce -> partition 2
throw: %S: %Spartitioner boom%S
  calls: 1
  next produce -> partition 0
8 messages in topic:
after null @2
after seven @0
after string @1
after throw @0
good 'to-0' @0
good 'to-1' @1
good 'to-2' @2
good NULL @1
