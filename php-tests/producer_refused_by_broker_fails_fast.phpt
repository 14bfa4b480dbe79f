--TEST--
producer: when the broker refuses the client (wrong SCRAM password, unknown user, untrusted CA), the messages waiting for it fail at once with that reason (-169 / -181, possibly_persisted() false), not after message.timeout.ms
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$cases = [
    'wrong password' => secure_conf('alice', 'not-' . secure_password('alice')),
    'unknown user' => secure_conf('nobody', 'whatever'),
    'untrusted CA' => secure_conf('alice', null, ['ssl.ca.location' => secure_get('UNTRUSTED_CA')]),
];
foreach ($cases as $what => $conf) {
    $topic = alice_name('t');
    [$e, $secs] = timed_failure(function () use ($conf, $topic, &$unawaited) {
        // message.timeout.ms is 60 s: a failure within seconds is the refusal, not a timeout
        $p = new flame\db\kafka\producer($conf + ['message.timeout.ms' => 60000, 'log_level' => 0], [], $topic);
        $p->produce('fire and forget');
        $a = $p->produce('second');
        try {
            yield $p->produce('first');
        } finally {
            try {
                yield $a;
            } catch (Throwable $e2) {
                echo "  the other awaited one: code ", $e2->getCode(), "\n";
            }
        }
    });
    echo "$what: ", $e === null ? 'NO FAILURE' : get_class($e) . ' code ' . $e->getCode()
        . ', possibly_persisted() ' . var_export($e->possibly_persisted(), true), ', ', within($secs, 15), "\n";
    echo "  ", $e === null ? '' : preg_replace('/alice\.t_\w+/', 'TOPIC', $e->getMessage()), "\n";
}
?>
--EXPECTF--
Warning: flame: unobserved failure of flame\db\kafka\producer::produce(): delivery to topic "alice.t_%s" failed: %sAuthentication%s in %s on line %d
  the other awaited one: code -169
wrong password: flame\db\kafka\exception code -169, possibly_persisted() false, within 15 s
  delivery to topic "TOPIC" failed: %sAuthentication%s

Warning: flame: unobserved failure of flame\db\kafka\producer::produce(): delivery to topic "alice.t_%s" failed: %sAuthentication%s in %s on line %d
  the other awaited one: code -169
unknown user: flame\db\kafka\exception code -169, possibly_persisted() false, within 15 s
  delivery to topic "TOPIC" failed: %sAuthentication%s

Warning: flame: unobserved failure of flame\db\kafka\producer::produce(): delivery to topic "alice.t_%s" failed: %sSSL%s in %s on line %d
  the other awaited one: code -181
untrusted CA: flame\db\kafka\exception code -181, possibly_persisted() false, within 15 s
  delivery to topic "TOPIC" failed: %sSSL%s
