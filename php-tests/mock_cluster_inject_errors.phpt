--TEST--
mock_cluster: injected NOT_LEADER_OR_FOLLOWER is retried (nothing lost), TOPIC_AUTHORIZATION_FAILED is code 29 at the yield, all brokers down is -192 and recovers
--FILE--
<?php
// Needs no broker: everything runs against librdkafka's in-process mock cluster.
use flame\db\kafka\exception as kafka_exception;
use flame\db\kafka\mock_cluster;
use flame\db\kafka\producer;

$mc = new mock_cluster(3);
$bs = $mc->bootstrap_servers();
echo preg_match('/^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){2}$/', $bs) ? "3 brokers on loopback\n" : "bootstrap_servers: $bs\n";
$mc->create_topic('orders', 3, 3);

// librdkafka's debug log says which Produce requests it retried, and why
$retried = 0;
flame\db\kafka\logger(function (int $level, string $facility, string $msg) use (&$retried) {
    if (str_contains($msg, 'encountered error: Broker: Not leader for partition')) {
        $retried++;
    }
});

flame\go(function () use ($mc, $bs, &$retried) {
    $p = new producer(['bootstrap.servers' => $bs, 'retry.backoff.ms' => 10, 'debug' => 'msg', 'log_level' => 7], [], 'orders');
    yield $p->produce('warm-up');

    // retriable: 6 NOT_LEADER_OR_FOLLOWER on the next Produce requests, a leader move
    $mc->push_request_errors(0, [6, 6, 6, 6, 6, 6]);
    $mc->partition_leader('orders', 0, 2);
    $aw = [];
    for ($i = 0; $i < 100; $i++) {
        $aw[] = $p->produce("m$i", "k$i");
    }
    $stored = [];
    $failed = 0;
    foreach ($aw as $a) {
        try {
            $m = yield $a;
            $stored["$m->partition/$m->offset"] = true;
        } catch (kafka_exception $e) {
            $failed++;
        }
    }
    printf("NOT_LEADER_OR_FOLLOWER: %d acknowledged, %d failed, %d distinct offsets\n", 100 - $failed, $failed, count($stored));
    echo $retried >= 6 ? "requests refused with NOT_LEADER_OR_FOLLOWER and retried: at least 6\n" : "retried: only $retried\n";

    // fatal: TOPIC_AUTHORIZATION_FAILED reaches the yield with code 29
    $mc->push_request_errors(0, [29]);
    try {
        $line = __LINE__ + 1;
        yield $p->produce('refused');
        echo "NOT REFUSED\n";
    } catch (kafka_exception $e) {
        echo get_class($e), ' code ', $e->getCode(), ($e->getLine() === $line ? ' at the yield' : ' at line ' . $e->getLine()), "\n";
        echo $e->getMessage(), "\n";
    }
    // cleared: librdkafka refuses the topic locally (also code 29) until its
    // next metadata refresh, then messages go through again
    $mc->clear_request_errors(0);
    $codes = [];
    $t0 = microtime(true);
    while (microtime(true) - $t0 < 5) {
        try {
            yield $p->produce('after');
            break;
        } catch (kafka_exception $e) {
            $codes[$e->getCode()] = true;
            yield flame\time\sleep(20);
        }
    }
    echo 'after clear_request_errors(): ', microtime(true) - $t0 < 5 ? 'acknowledged' : 'STILL REFUSED', '; refusals meanwhile: ',
        $codes === [] || array_keys($codes) === [29] ? 'code 29 only' : json_encode(array_keys($codes)), "\n";

    // all brokers down: the message times out (-192); back up: delivered
    $p2 = new producer(['bootstrap.servers' => $bs, 'message.timeout.ms' => 1000, 'reconnect.backoff.max.ms' => 200], [], 'orders');
    yield $p2->produce('before');
    foreach ([1, 2, 3] as $b) {
        $mc->broker_down($b);
    }
    $t0 = microtime(true);
    try {
        yield $p2->produce('lost');
        echo "NOT TIMED OUT\n";
    } catch (kafka_exception $e) {
        $dt = microtime(true) - $t0;
        echo 'brokers down: code ', $e->getCode(), ($dt >= 0.9 && $dt <= 3.0 ? ' after about 1 s' : sprintf(' after %.2f s', $dt)), "\n";
    }
    foreach ([1, 2, 3] as $b) {
        $mc->broker_up($b);
    }
    $m = yield $p2->produce('back');
    echo "brokers up: acknowledged ($m->val)\n";
});
flame\run();
echo "done\n";
?>
--EXPECTF--
3 brokers on loopback
NOT_LEADER_OR_FOLLOWER: 100 acknowledged, 0 failed, 100 distinct offsets
requests refused with NOT_LEADER_OR_FOLLOWER and retried: at least 6
flame\db\kafka\exception code 29 at the yield
delivery to topic "orders" failed: %STopicAuthorizationFailed%S
after clear_request_errors(): acknowledged; refusals meanwhile: code 29 only
brokers down: code -192 after about 1 s
brokers up: acknowledged (back)
done
