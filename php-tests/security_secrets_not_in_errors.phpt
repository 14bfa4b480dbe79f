--TEST--
security: exception messages, E_WARNINGs and TypeErrors about a client with secrets never contain sasl.password, ssl.key.password or ssl.key.pem
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$pw = 'pw_' . bin2hex(random_bytes(8));
$keypw = 'keypw_' . bin2hex(random_bytes(8));
$pem_secret = bin2hex(random_bytes(16));
$secrets = [$pw, $keypw, $pem_secret, secure_get('CLIENT_KEY_PASSWORD')];

function show(string $what, callable $fn, array $secrets): void
{
    try {
        $fn();
        echo "$what: NO FAILURE\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ", ", count_secrets($e->getMessage(), $secrets), " secrets in: ",
            preg_replace('/_[0-9a-f]{10}"/', '_*"', $e->getMessage()), "\n";
    }
}

$base = secure_conf('alice', $pw);
show('wrong ssl.key.password', fn() => new flame\db\kafka\producer($base + [
    'ssl.key.location' => secure_get('CLIENT_KEY'), 'ssl.key.password' => $keypw,
    'ssl.certificate.location' => secure_get('CLIENT_CERT')], [], 't'), $secrets);
show('ssl.key.pem not a key', fn() => new flame\db\kafka\producer($base + [
    'ssl.key.pem' => "-----BEGIN PRIVATE KEY-----\n$pem_secret\n-----END PRIVATE KEY-----\n",
    'ssl.certificate.location' => secure_get('CLIENT_CERT')], [], 't'), $secrets);
show('sasl.password as an array', fn() => new flame\db\kafka\producer(['sasl.password' => [$pw]] + $base, [], 't'), $secrets);
show('ssl.key.password as an object', fn() => new flame\db\kafka\consumer(['ssl.key.password' => (object)['p' => $keypw], 'group.id' => 'g'] + $base, [], 't'), $secrets);
show('unsupported sasl.mechanisms', fn() => new flame\db\kafka\producer(['sasl.mechanisms' => 'BOGUS'] + $base, [], 't'), $secrets);
show('invalid security.protocol', fn() => new flame\db\kafka\consumer(['security.protocol' => 'bogus', 'group.id' => 'g'] + $base, [], 't'), $secrets);

// a failing wrong-password client: its exceptions and the unobserved-failure warning
$warnings = [];
set_error_handler(function (int $no, string $str) use (&$warnings) { $warnings[] = $str; return true; });
[$e] = timed_failure(function () use ($base) {
    $c = new flame\db\kafka\consumer($base + ['group.id' => alice_name('g')], [], alice_name('t'));
    yield $c->consume(20000);
});
echo "consumer failure: code ", $e?->getCode(), ", ", count_secrets((string)$e, $secrets), " secrets in the exception as a string\n";
run_co(function () use ($base) {
    $p = new flame\db\kafka\producer($base + ['message.timeout.ms' => 2000], [], alice_name('t'));
    $p->produce('nobody waits for this');   // fails unobserved: an E_WARNING
    yield flame\time\sleep(3500);
});
restore_error_handler();
echo "warnings: ", count($warnings), ", ", count_secrets(implode("\n", $warnings), $secrets), " secrets in: ",
    preg_replace('/_[0-9a-f]{10}"/', '_*"', implode(' | ', $warnings)), "\n";
?>
--EXPECTF--
wrong ssl.key.password: flame\db\kafka\exception, 0 secrets in: cannot create the producer: %sssl.key.location failed%s
ssl.key.pem not a key: flame\db\kafka\exception, 0 secrets in: cannot create the producer: %sssl.key.pem failed%s
sasl.password as an array: TypeError, 0 secrets in: $global_opt: option "sasl.password" must be a scalar (string, int, float or bool), array given
ssl.key.password as an object: TypeError, 0 secrets in: $global_opt: option "ssl.key.password" must be a scalar (string, int, float or bool), %s given
unsupported sasl.mechanisms: flame\db\kafka\exception, 0 secrets in: cannot create the producer: %sUnsupported SASL mechanism: BOGUS
invalid security.protocol: flame\db\kafka\exception, 0 secrets in: $global_opt: invalid option "security.protocol" = "bogus": Invalid value "bogus" for configuration property "security.protocol"
consumer failure: code -169, 0 secrets in the exception as a string
warnings: 1, 0 secrets in: %sdelivery to topic "alice.t_*" failed: %sAuthentication%s
