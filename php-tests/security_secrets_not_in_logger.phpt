--TEST--
security: with debug=all, logger lines (librdkafka's configuration dump included) show [redacted] for secrets and never sasl.password, ssl.key.password, ssl.key.pem or OAUTHBEARER settings, for working and for failing clients
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$key_pem = file_get_contents(secure_get('CLIENT_KEY'));
$oauth_secret = 'oauth_' . bin2hex(random_bytes(8));
$wrong = 'wrong_' . bin2hex(random_bytes(8));
$secrets = [secure_password('alice'), secure_get('CLIENT_KEY_PASSWORD'), substr($key_pem, 40, 40), $oauth_secret, $wrong];
$log = [];
collect_log($log);
$debug = ['debug' => 'all', 'log_level' => 7];

$topic = alice_name('log');
run_co(function () use ($topic, $key_pem, $debug) {
    $conf = secure_conf('alice', null, $debug + ['linger.ms' => 0,
        'ssl.key.pem' => $key_pem, 'ssl.key.password' => secure_get('CLIENT_KEY_PASSWORD'),
        'ssl.certificate.location' => secure_get('CLIENT_CERT')]);
    $p = new flame\db\kafka\producer($conf, [], $topic);
    $m = yield $p->produce('x');
    echo "working producer: offset {$m->offset}\n";
    $c = new flame\db\kafka\consumer($conf + ['group.id' => alice_name('g')], ['auto.offset.reset' => 'earliest'], $topic);
    $m = yield $c->consume(20000);
    echo "working consumer: ", $m === null ? 'nothing' : $m->val, "\n";
    yield $c->close();
});
[$e] = timed_failure(function () use ($topic, $wrong, $debug) {
    $c = new flame\db\kafka\consumer(secure_conf('alice', $wrong, $debug + ['group.id' => alice_name('g')]), [], $topic);
    yield $c->consume(20000);
});
echo "wrong password: ", $e === null ? 'NO FAILURE' : 'code ' . $e->getCode(), "\n";
[$e] = timed_failure(function () use ($topic, $oauth_secret, $debug) {
    $conf = secure_conf('alice', null, $debug + ['sasl.mechanisms' => 'OAUTHBEARER',
        'enable.sasl.oauthbearer.unsecure.jwt' => true,
        'sasl.oauthbearer.config' => "principal=alice extension_token=$oauth_secret", 'group.id' => alice_name('g')]);
    unset($conf['sasl.username'], $conf['sasl.password']);
    $c = new flame\db\kafka\consumer($conf, [], $topic);
    yield $c->consume(20000);
});
echo "oauthbearer (not enabled on the broker): ", $e === null ? 'NO FAILURE' : 'failed', "\n";
flame\db\kafka\logger(null);

$all = implode("\n", $log);
echo "logger lines: ", count($log) > 100 ? 'many' : count($log), "\n";
echo "secrets in them: ", count_secrets($all, $secrets), "\n";
foreach (['sasl.password', 'ssl.key.password', 'ssl.key.pem', 'sasl.oauthbearer.config'] as $k) {
    echo "conf dump of $k: ", preg_match('/' . preg_quote($k) . ' = \[redacted\]/', $all) ? '[redacted]' : 'NOT FOUND AS [redacted]', "\n";
}
?>
--EXPECT--
working producer: offset 0
working consumer: x
wrong password: code -169
oauthbearer (not enabled on the broker): failed
logger lines: many
secrets in them: 0
conf dump of sasl.password: [redacted]
conf dump of ssl.key.password: [redacted]
conf dump of ssl.key.pem: [redacted]
conf dump of sasl.oauthbearer.config: [redacted]
