--TEST--
consumer: with enable.partition.eof=true, partition-EOF events never surface as messages or errors
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => 'murmur2'], $topic);
    foreach (['a', 'b', 'c', 'd', 'e', 'f'] as $k) {   // spread over the 3 partitions
        yield $p->produce("v-$k", $k);
    }
    $c = earliest_consumer($topic, null, ['enable.partition.eof' => 'true']);
    $got = [];
    $t0 = microtime(true);
    try {
        while (microtime(true) - $t0 < 15) {
            $m = yield $c->consume(2000);
            if ($m === null) {
                if (count($got) >= 6) {
                    break;
                }
                continue;
            }
            $got[] = get_class($m) . " " . var_export($m->val, true);
        }
    } catch (Throwable $e) {
        echo "thrown: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
    sort($got);
    echo implode("\n", $got), "\n";
    var_dump(yield $c->consume(500));
    yield $c->close();
});
flame\run();
?>
--EXPECT--
flame\db\kafka\message 'v-a'
flame\db\kafka\message 'v-b'
flame\db\kafka\message 'v-c'
flame\db\kafka\message 'v-d'
flame\db\kafka\message 'v-e'
flame\db\kafka\message 'v-f'
NULL
