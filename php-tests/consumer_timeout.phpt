--TEST--
consumer: consume(500) on an idle topic resolves null after about 500 ms
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);

flame\go(function () use ($topic) {
    $c = earliest_consumer($topic);
    for ($i = 1; $i <= 3; $i++) {
        $t0 = microtime(true);
        $m = yield $c->consume(500);
        $ms = (microtime(true) - $t0) * 1000;
        echo "consume(500) #$i: ", var_export($m, true), ", ",
            ($ms >= 400 && $ms <= 2000) ? "in 400..2000 ms" : sprintf("after %.0f ms", $ms), "\n";
    }
    yield $c->close();
});
flame\run();
?>
--EXPECT--
consume(500) #1: NULL, in 400..2000 ms
consume(500) #2: NULL, in 400..2000 ms
consume(500) #3: NULL, in 400..2000 ms
