--TEST--
producer: a delivery failure (unreachable broker, message.timeout.ms=1000) is thrown at the yield with librdkafka's error code
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

flame\go(function () {
    $p = new flame\db\kafka\producer(['bootstrap.servers' => '127.0.0.1:1', 'message.timeout.ms' => 1000], [], unique_topic());
    $t0 = microtime(true);
    try {
        $m = yield $p->produce("lost", "k");
        echo "NOT FAILED: ", var_export($m, true), "\n";
    } catch (Throwable $e) {
        $dt = microtime(true) - $t0;
        echo get_class($e), "\n";
        echo "code: ", $e->getCode(), "\n";
        echo "message: ", $e->getMessage(), "\n";
        var_dump($e instanceof RuntimeException);
        echo ($dt >= 0.8 && $dt <= 3.0) ? "failed after about 1 s\n" : sprintf("failed after %.3f s\n", $dt);
    }
});
flame\run();
echo "done\n";
?>
--EXPECTF--
flame\db\kafka\exception
code: -192
message: %sMessage timed out%S
bool(true)
failed after about 1 s
done
