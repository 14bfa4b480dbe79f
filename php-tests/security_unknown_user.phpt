--TEST--
security: an unknown SCRAM user fails with an authentication exception (-169) at the consumer's yield within seconds; the producer's too (its queued messages fail with that error, not after message.timeout.ms)
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$topic = alice_name('t');
$log = [];
collect_log($log);

[$e, $secs] = timed_failure(function () use ($topic) {
    $c = new flame\db\kafka\consumer(secure_conf('nobody_' . bin2hex(random_bytes(3)), 'whatever',
        ['group.id' => alice_name('g')]), [], $topic);
    yield $c->consume(60000);
});
echo "consumer: ", $e === null ? 'NO FAILURE' : describe($e) . ' (code ' . $e->getCode() . ')', "\n";
echo "consumer: ", within($secs, 10), "\n";

[$e, $secs] = timed_failure(function () use ($topic) {
    $p = new flame\db\kafka\producer(secure_conf('nobody', 'whatever', ['message.timeout.ms' => 3000]), [], $topic);
    yield $p->produce('x');
});
echo "producer: ", $e === null ? 'NO FAILURE' : describe($e) . ' (code ' . $e->getCode() . ')', "\n";
echo "producer: ", within($secs, 10), "\n";
$auth = array_filter($log, fn($l) => str_contains($l, 'SASL authentication error'));
echo "logger saw the SASL authentication error: ", $auth ? 'yes' : 'no', "\n";
?>
--EXPECTF--
consumer: flame\db\kafka\exception: consume failed: %sAuthentication (Local: Authentication failure)%s (code -169)
consumer: within 10 s
producer: flame\db\kafka\exception: delivery to topic "alice.t_%s" failed: %sAuthentication (Local: Authentication failure)%s (code -169)
producer: within 10 s
logger saw the SASL authentication error: yes
