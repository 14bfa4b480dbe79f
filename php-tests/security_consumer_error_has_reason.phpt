--TEST--
security: a consumer's authentication failure carries librdkafka's reason (SASL authentication error), never the password
--FILE--
<?php
require __DIR__ . '/inc/secure.php';
$pw = 'pw_' . bin2hex(random_bytes(8));
foreach (['wrong password' => secure_conf('alice', $pw), 'unknown user' => secure_conf('nobody_' . bin2hex(random_bytes(3)), $pw)] as $what => $conf) {
    [$e, $secs] = timed_failure(function () use ($conf) {
        $c = new flame\db\kafka\consumer($conf + ['group.id' => alice_name('g')], [], alice_name('t'));
        yield $c->consume(30000);
    });
    echo "$what: ", $e === null ? 'NO FAILURE' : 'code ' . $e->getCode() . ', ' . count_secrets((string)$e, [$pw]) . ' secrets, ' . $e->getMessage(),
        ", ", within($secs, 10), "\n";
}
?>
--EXPECTF--
wrong password: code -169, 0 secrets, consume failed: %sAuthentication (Local: Authentication failure)%s: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512%s, within 10 s
unknown user: code -169, 0 secrets, consume failed: %sAuthentication (Local: Authentication failure)%s: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512%s, within 10 s
