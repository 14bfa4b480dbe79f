--TEST--
producer: a failed delivery says whether the message may have been stored (librdkafka's rd_kafka_message_status) — timed out while queued: possibly_persisted() false; timed out in flight (broker slower than message.timeout.ms): true, also in a fire-and-forget warning and a flush() timeout
--FILE--
<?php
// Needs no broker: librdkafka's in-process mock cluster.
use flame\db\kafka\exception as kafka_exception;
use flame\db\kafka\mock_cluster;
use flame\db\kafka\producer;

$mc = new mock_cluster(1);
$mc->create_topic('pp', 1, 1);
$conf = ['bootstrap.servers' => $mc->bootstrap_servers(), 'message.timeout.ms' => 1000, 'log_level' => 0];

$show = function (string $what, Throwable $e) {
    echo "$what: ", get_class($e), " code ", $e->getCode(), ", possibly_persisted() ",
        var_export($e->possibly_persisted(), true), "\n";
};

// 1. in flight: the broker answers after 3 s, messages time out after 1 s
$p = new producer($conf, [], 'pp');
$p->produce('warm-up')->wait();
$mc->broker_rtt(1, 3000);
$p->produce('slow, unawaited');      // fire-and-forget: its warning says it
$a = $p->produce('slow');
try {
    $p->flush(300)->wait();
} catch (kafka_exception $e) {
    $show('flush() timed out with messages in flight', $e);
}
try {
    $a->wait();
    echo "slow: NOT FAILED\n";
} catch (kafka_exception $e) {
    $show('timed out in flight', $e);
    echo str_contains($e->getMessage(), 'possibly persisted') ? "the message says so\n" : "message: {$e->getMessage()}\n";
}
$mc->broker_rtt(1, 0);
unset($p);

// 2. queued: the broker is down, the message never leaves librdkafka's queue
$q = new producer($conf, [], 'pp');
$q->produce('warm-up')->wait();
$mc->broker_down(1);
try {
    $q->produce('queued')->wait();
    echo "queued: NOT FAILED\n";
} catch (kafka_exception $e) {
    $show('timed out in the queue', $e);
    echo str_contains($e->getMessage(), 'possibly persisted') ? "the message says possibly persisted\n" : "the message does not say possibly persisted\n";
}
$mc->broker_up(1);

// 3. not a delivery failure
$show('a user-made exception', new kafka_exception('mine', 1));
try {
    new producer([], [], 'pp');
} catch (kafka_exception $e) {
    $show('a configuration error', $e);
}
?>
--EXPECTF--
flush() timed out with messages in flight: flame\db\kafka\exception code -192, possibly_persisted() true

Warning: flame: unobserved failure of flame\db\kafka\producer::produce(): delivery to topic "pp" failed: %s(possibly persisted: the broker may have stored it, a retry may duplicate it) in %s on line %d
timed out in flight: flame\db\kafka\exception code -192, possibly_persisted() true
the message says so
timed out in the queue: flame\db\kafka\exception code -192, possibly_persisted() false
the message does not say possibly persisted
a user-made exception: flame\db\kafka\exception code 1, possibly_persisted() false
a configuration error: flame\db\kafka\exception code %i, possibly_persisted() false
