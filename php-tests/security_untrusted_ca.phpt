--TEST--
security: a broker certificate not signed by ssl.ca.location's CA fails with a TLS exception (-181) at the consumer's yield within seconds; the producer's too (its queued messages fail with that error, not after message.timeout.ms)
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$topic = alice_name('t');
$log = [];
collect_log($log);

[$e, $secs] = timed_failure(function () use ($topic) {
    $c = new flame\db\kafka\consumer(secure_conf('alice', null,
        ['group.id' => alice_name('g'), 'ssl.ca.location' => secure_get('UNTRUSTED_CA')]), [], $topic);
    yield $c->consume(60000);
});
echo "consumer: ", $e === null ? 'NO FAILURE' : describe($e) . ' (code ' . $e->getCode() . ')', "\n";
echo "consumer: ", within($secs, 10), "\n";

[$e, $secs] = timed_failure(function () use ($topic) {
    $p = new flame\db\kafka\producer(secure_conf('alice', null,
        ['message.timeout.ms' => 3000, 'ssl.ca.location' => secure_get('UNTRUSTED_CA')]), [], $topic);
    yield $p->produce('x');
});
echo "producer: ", $e === null ? 'NO FAILURE' : describe($e) . ' (code ' . $e->getCode() . ')', "\n";
echo "producer: ", within($secs, 10), "\n";
$tls = array_filter($log, fn($l) => str_contains($l, 'certificate verify failed'));
echo "logger saw 'certificate verify failed': ", $tls ? 'yes' : 'no', "\n";
?>
--EXPECTF--
consumer: flame\db\kafka\exception: consume failed: %sSSL (Local: SSL error)%s (code -181)
consumer: within 10 s
producer: flame\db\kafka\exception: delivery to topic "alice.t_%s" failed: %sSSL (Local: SSL error)%s (code -181)
producer: within 10 s
logger saw 'certificate verify failed': yes
