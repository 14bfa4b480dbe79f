--TEST--
security: sasl.password, ssl.key.password, ssl.key.pem and OAUTHBEARER settings never appear in var_dump/print_r/var_export/json_encode of producer and consumer objects, nor in the extension's phpinfo
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$key_pem = file_get_contents(secure_get('CLIENT_KEY'));   // encrypted PKCS#8
$oauth_secret = 'oauth_' . bin2hex(random_bytes(8));
$secrets = [secure_password('alice'), secure_get('CLIENT_KEY_PASSWORD'), $key_pem, substr($key_pem, 40, 40), $oauth_secret];

$scram = secure_conf('alice', null, [
    'ssl.key.pem' => $key_pem,
    'ssl.key.password' => secure_get('CLIENT_KEY_PASSWORD'),
    'ssl.certificate.location' => secure_get('CLIENT_CERT'),
]);
$oauth = secure_conf('alice', null, [
    'sasl.mechanisms' => 'OAUTHBEARER',
    'enable.sasl.oauthbearer.unsecure.jwt' => true,
    'sasl.oauthbearer.config' => "principal=alice extension_token=$oauth_secret",
]);
unset($oauth['sasl.username'], $oauth['sasl.password']);

run_co(function () use ($scram) {   // a working client (the key and certificate were accepted)
    $p = new flame\db\kafka\producer($scram + ['linger.ms' => 0], [], alice_name('dump'));
    $m = yield $p->produce('x');
    echo "produced with client key and certificate at offset {$m->offset}\n";
});

$objects = [
    'producer' => new flame\db\kafka\producer($scram, [], alice_name('dump')),
    'consumer' => new flame\db\kafka\consumer($scram + ['group.id' => alice_name('g')], [], alice_name('dump')),
    'oauth producer' => new flame\db\kafka\producer($oauth, [], alice_name('dump')),
    'oauth consumer' => new flame\db\kafka\consumer($oauth + ['group.id' => alice_name('g')], [], alice_name('dump')),
];
foreach ($objects as $name => $o) {
    ob_start();
    var_dump($o);
    print_r($o);
    echo "\n";
    var_export($o);
    echo "\n", json_encode($o), json_encode((array)$o), serialize_or_error($o), "\n";
    debug_zval_refcount($o);
    $dump = ob_get_clean();
    echo "$name: ", count_secrets($dump, $secrets), " secrets in ", strlen($dump), " bytes of dumps\n";
}
if (class_exists('flame\db\kafka\admin')) {
    $a = new flame\db\kafka\admin($scram);
    ob_start();
    var_dump($a); print_r($a); var_export($a);
    echo json_encode($a);
    $dump = ob_get_clean();
    echo "admin: ", count_secrets($dump, $secrets), " secrets\n";
} else {
    echo "admin: 0 secrets (no admin class in this build)\n";
}

ob_start();
(new ReflectionExtension('flame_kafka'))->info();
$info = ob_get_clean();
echo "phpinfo(flame_kafka): ", count_secrets($info, $secrets), " secrets, ",
    str_contains($info, 'librdkafka version') ? 'shows the librdkafka version' : 'UNEXPECTED: ' . $info, "\n";

function serialize_or_error($o): string
{
    try {
        return serialize($o);
    } catch (Throwable $e) {
        return get_class($e) . ': ' . $e->getMessage();
    }
}

function debug_zval_refcount($o): void
{
    debug_zval_dump($o);
}
?>
--EXPECTF--
produced with client key and certificate at offset 0
producer: 0 secrets in %d bytes of dumps
consumer: 0 secrets in %d bytes of dumps
oauth producer: 0 secrets in %d bytes of dumps
oauth consumer: 0 secrets in %d bytes of dumps
admin: 0 secrets
phpinfo(flame_kafka): 0 secrets, shows the librdkafka version
