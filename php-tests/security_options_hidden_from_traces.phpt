--TEST--
security: the options array of the producer, consumer and admin constructors is a #[\SensitiveParameter]: exception traces never carry sasl.password
--INI--
zend.exception_ignore_args=0
--FILE--
<?php
require __DIR__ . '/inc/secure.php';
$pw = 'pw_' . bin2hex(random_bytes(8));
$cases = [
    'producer' => fn(#[\SensitiveParameter] $opt) => new flame\db\kafka\producer($opt, [], 't'),
    'consumer' => fn(#[\SensitiveParameter] $opt) => new flame\db\kafka\consumer($opt + ['group.id' => 'g'], [], 't'),
    'admin' => fn(#[\SensitiveParameter] $opt) => new flame\db\kafka\admin($opt),
];
foreach ($cases as $cls => $make) {
    try {
        $make(['bootstrap.servers' => secure_get('BROKERS'), 'sasl.password' => $pw, 'no.such.option' => 1]);
        echo "$cls: NO FAILURE\n";
    } catch (flame\db\kafka\exception $e) {
        $frame = $e->getTrace()[0];
        $arg = $frame['args'][0] ?? null;
        echo "$cls: ", substr_count(var_export($e->getTrace(), true) . $e->getTraceAsString() . $e, $pw),
            " secrets in the trace, {$frame['function']}'s first argument: ",
            is_object($arg) ? get_class($arg) : gettype($arg), "\n";
    }
}
?>
--EXPECT--
producer: 0 secrets in the trace, __construct's first argument: SensitiveParameterValue
consumer: 0 secrets in the trace, __construct's first argument: SensitiveParameterValue
admin: 0 secrets in the trace, __construct's first argument: SensitiveParameterValue
