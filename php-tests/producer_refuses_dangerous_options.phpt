--TEST--
producer/consumer: options that would crash or hijack the process are refused (oversized protocol strings, internal.termination.signal, NaN/INF, NUL in topic option names)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

foreach ([
    'client.id of 2 MB'           => fn() => new flame\db\kafka\producer(producer_conf(["client.id" => str_repeat("x", 2000000)]), [], "t"),
    'group.id of 40 kB'           => fn() => new flame\db\kafka\consumer(consumer_conf(str_repeat("g", 40000)), [], "t"),
    'internal.termination.signal' => fn() => new flame\db\kafka\producer(producer_conf(["internal.termination.signal" => 9]), [], "t"),
    'linger.ms NAN'               => fn() => new flame\db\kafka\producer(producer_conf(["linger.ms" => NAN]), [], "t"),
    'linger.ms INF'               => fn() => new flame\db\kafka\producer(producer_conf(["linger.ms" => INF]), [], "t"),
    'NUL in a topic option name'  => fn() => new flame\db\kafka\producer(producer_conf(), ["a\0b" => "1"], "t"),
    'NUL in a consumer topic option name' => fn() => new flame\db\kafka\consumer(consumer_conf(unique_group()), ["a\0b" => "1"], "t"),
] as $what => $make) {
    try {
        $make();
        echo "$what: accepted\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
}
// a client.id at the protocol's limit is fine
$p = new flame\db\kafka\producer(producer_conf(["client.id" => str_repeat("c", 32767)]), [], unique_topic());
echo "32767-byte client.id delivers: ", $p->produce("x")->wait()->val, "\n";
?>
--EXPECTF--
client.id of 2 MB: flame\db\kafka\exception: $global_opt: invalid option "client.id": 2000000 bytes, the Kafka protocol allows at most 32767
group.id of 40 kB: flame\db\kafka\exception: $global_opt: invalid option "group.id": 40000 bytes, the Kafka protocol allows at most 32767
internal.termination.signal: flame\db\kafka\exception: $global_opt: option "internal.termination.signal" is not supported: %s
linger.ms NAN: flame\db\kafka\exception: $global_opt: option "linger.ms" must be a finite number, NaN given
linger.ms INF: flame\db\kafka\exception: $global_opt: option "linger.ms" must be a finite number, inf given
NUL in a topic option name: flame\db\kafka\exception: $topic_opt: an option name contains a NUL byte
NUL in a consumer topic option name: flame\db\kafka\exception: $topic_opt: an option name contains a NUL byte
32767-byte client.id delivers: x
