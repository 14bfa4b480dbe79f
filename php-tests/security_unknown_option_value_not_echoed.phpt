--TEST--
security: a misspelled option name never echoes its value (it may be a secret: "sasl.pasword")
--FILE--
<?php
require __DIR__ . '/inc/secure.php';
$pw = 'pw_' . bin2hex(random_bytes(8));
$cases = [
    'producer' => fn(#[\SensitiveParameter] $opt) => new flame\db\kafka\producer($opt, [], 't'),
    'consumer' => fn(#[\SensitiveParameter] $opt) => new flame\db\kafka\consumer($opt + ['group.id' => 'g'], [], 't'),
    'admin' => fn(#[\SensitiveParameter] $opt) => new flame\db\kafka\admin($opt),
    'producer, in $topic_opt' => fn(#[\SensitiveParameter] $opt) => new flame\db\kafka\producer(['bootstrap.servers' => secure_get('BROKERS')], ['sasl.password' => $opt['sasl.pasword']], 't'),
];
foreach ($cases as $cls => $make) {
    try {
        $make(['bootstrap.servers' => secure_get('BROKERS'), 'sasl.pasword' => $pw]);
        echo "$cls: NO FAILURE\n";
    } catch (flame\db\kafka\exception $e) {
        echo "$cls: ", substr_count($e->getMessage(), $pw), " secrets in: ", str_replace($pw, '<SECRET>', $e->getMessage()), "\n";
    }
}
?>
--EXPECT--
producer: 0 secrets in: $global_opt: invalid option "sasl.pasword": No such configuration property: "sasl.pasword"
consumer: 0 secrets in: $global_opt: invalid option "sasl.pasword": No such configuration property: "sasl.pasword"
admin: 0 secrets in: $global_opt: invalid option "sasl.pasword": No such configuration property: "sasl.pasword"
producer, in $topic_opt: 0 secrets in: $topic_opt: invalid option "sasl.password": No such configuration property: "sasl.password"
