--TEST--
producer: flush() resolves null once everything is acknowledged; a flush that times out throws saying how many are pending
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
flame\go(function () use ($topic) {
    // 1. fire-and-forget produces, then flush
    $p = new flame\db\kafka\producer(producer_conf(['linger.ms' => 50]), [], $topic);
    $aw = [];
    for ($i = 0; $i < 7; $i++) {
        $aw[] = $p->produce("m$i", "k$i");
    }
    $r = yield $p->flush(10000);
    echo "flush resolved with: ", var_export($r, true), "\n";
    echo "all produce awaitables ready after flush: ", count(array_filter($aw, fn($a) => $a->ready())), "/7\n";
    $msgs = yield read_topic($topic, 7);
    echo "in topic: ", count($msgs), "\n";
    echo "flush with nothing pending: ", var_export(yield $p->flush(1000), true), "\n";

    // 2. unreachable broker: flush(300) times out while 3 are pending
    $dead = new flame\db\kafka\producer(['bootstrap.servers' => '127.0.0.1:1', 'message.timeout.ms' => 2500], [], unique_topic());
    $lost = [];
    for ($i = 0; $i < 3; $i++) {
        $lost[] = $dead->produce("lost $i");
    }
    $t0 = microtime(true);
    try {
        yield $dead->flush(300);
        echo "flush(300): NOT FAILED\n";
    } catch (Throwable $e) {
        $dt = microtime(true) - $t0;
        echo "flush(300): ", get_class($e), ": ", $e->getMessage(), "\n";
        echo ($dt >= 0.25 && $dt < 2.0) ? "after about 300 ms\n" : sprintf("after %.3f s\n", $dt);
    }
    // the pending messages then fail on their own (message.timeout.ms)
    foreach ($lost as $i => $a) {
        try {
            yield $a;
            echo "lost $i: delivered?!\n";
        } catch (flame\db\kafka\exception $e) {
            echo "lost $i: code ", $e->getCode(), "\n";
        }
    }
});
flame\run();
echo "done\n";
?>
--EXPECTF--
flush resolved with: NULL
all produce awaitables ready after flush: 7/7
in topic: 7
flush with nothing pending: NULL
flush(300): flame\db\kafka\exception: %S 3 %Spending%S
after about 300 ms
lost 0: code -192
lost 1: code -192
lost 2: code -192
done
