--TEST--
producer/consumer: bad input to constructors and methods is refused with the right exception, never a crash
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

use flame\db\kafka\consumer;
use flame\db\kafka\producer;

$b = brokers();
$g = unique_group();
$topic = unique_topic();

$cases = [
    'producer without bootstrap.servers' => fn() => new producer(['linger.ms' => 5], [], $topic),
    'consumer without bootstrap.servers' => fn() => new consumer(['group.id' => $g], [], $topic),
    'unknown global option' => fn() => new producer(['bootstrap.servers' => $b, 'no.such.option' => 1], [], $topic),
    'unknown topic option' => fn() => new producer(['bootstrap.servers' => $b], ['no.such.topic.option' => 1], $topic),
    'acks => x' => fn() => new producer(['bootstrap.servers' => $b, 'acks' => 'x'], [], $topic),
    'linger.ms => abc' => fn() => new producer(['bootstrap.servers' => $b, 'linger.ms' => 'abc'], [], $topic),
    'consumer session.timeout.ms => abc' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => $g, 'session.timeout.ms' => 'abc'], [], $topic),
    'array option value' => fn() => new producer(['bootstrap.servers' => $b, 'linger.ms' => [5]], [], $topic),
    'object topic option value' => fn() => new producer(['bootstrap.servers' => $b], ['message.timeout.ms' => new stdClass], $topic),
    'consumer array option value' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => [$g]], [], $topic),
    'dr_msg_cb' => fn() => new producer(['bootstrap.servers' => $b, 'dr_msg_cb' => 'my_callback'], [], $topic),
    'error_cb' => fn() => new producer(['bootstrap.servers' => $b, 'error_cb' => 'strlen'], [], $topic),
    'consumer rebalance_cb not callable' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => $g, 'rebalance_cb' => 'my_callback'], [], $topic),
    'global opaque' => fn() => new producer(['bootstrap.servers' => $b, 'opaque' => 'x'], [], $topic),
    'topic opaque' => fn() => new producer(['bootstrap.servers' => $b], ['opaque' => 'x'], $topic),
    'producer empty topic' => fn() => new producer(['bootstrap.servers' => $b], [], ''),
    'producer topic with NUL' => function () use ($b) {
        $p = new producer(['bootstrap.servers' => $b, 'message.timeout.ms' => 2000], [], "t\0x");
        return $p->produce("x");
    },
    'NUL byte in option value' => fn() => new producer(['bootstrap.servers' => $b, 'client.id' => "a\0b"], [], $topic),
    'NUL byte in option name' => fn() => new producer(['bootstrap.servers' => $b, "client.id\0x" => 'a'], [], $topic),
    'header value is an array' => fn() => (new producer(['bootstrap.servers' => $b], [], $topic))->produce("x", "k", ["h" => ["v"]]),
    'flush(-1)' => fn() => (new producer(['bootstrap.servers' => $b], [], $topic))->flush(-1),
    'consume(-1)' => fn() => (new consumer(['bootstrap.servers' => $b, 'group.id' => $g], [], $topic))->consume(-1),
    'consumer without group.id' => fn() => new consumer(['bootstrap.servers' => $b], [], $topic),
    'consumer topics [""]' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => $g], [], ['']),
    'consumer topics [1]' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => $g], [], [1]),
    'consumer topic ""' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => $g], [], ''),
    'consumer topic with NUL' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => $g], [], ["a\0b"]),
    'commit("x")' => fn() => (new consumer(['bootstrap.servers' => $b, 'group.id' => $g], [], $topic))->commit("x"),
];

flame\go(function () use ($cases, $topic) {
    foreach ($cases as $name => $fn) {
        try {
            $r = $fn();
            if ($r instanceof flame\awaitable) {
                $r = yield $r;
            }
            echo "$name: no exception (", get_debug_type($r), ")\n";
        } catch (Throwable $e) {
            echo "$name: ", get_class($e), ": ", $e->getMessage(), "\n";
        }
    }

    // commit() of a message this consumer did not receive
    $p = new producer(producer_conf(), [], $topic);
    $produced = yield $p->produce("x", "k");
    $a = earliest_consumer($topic, null, ['enable.auto.commit' => 'false']);
    $other = earliest_consumer($topic, null, ['enable.auto.commit' => 'false']);
    $m = yield $a->consume(15000);
    foreach (['commit(message of another consumer)' => $m, 'commit(message returned by produce)' => $produced] as $name => $msg) {
        try {
            yield $other->commit($msg);
            echo "$name: no exception\n";
        } catch (Throwable $e) {
            echo "$name: ", get_class($e), ": ", $e->getMessage(), "\n";
        }
    }
    var_dump(yield $a->commit($m));   // its own consumer may commit it
    yield $a->close();
    yield $other->close();
});
flame\run();
echo "survived\n";
?>
--EXPECTF--
producer without bootstrap.servers: flame\db\kafka\exception: %sbootstrap.servers%smetadata.broker.list%S
consumer without bootstrap.servers: flame\db\kafka\exception: %sbootstrap.servers%smetadata.broker.list%S
unknown global option: flame\db\kafka\exception: %sno.such.option%SNo such configuration property%S
unknown topic option: flame\db\kafka\exception: %sno.such.topic.option%SNo such configuration property%S
acks => x: flame\db\kafka\exception: %sacks%SInvalid value%S
linger.ms => abc: flame\db\kafka\exception: %slinger.ms%SInvalid value%S
consumer session.timeout.ms => abc: flame\db\kafka\exception: %ssession.timeout.ms%SInvalid value%S
array option value: TypeError: %slinger.ms%S
object topic option value: TypeError: %smessage.timeout.ms%S
consumer array option value: TypeError: %sgroup.id%S
dr_msg_cb: flame\db\kafka\exception: %sdr_msg_cb%S
error_cb: flame\db\kafka\exception: %serror_cb%S
consumer rebalance_cb not callable: TypeError: %s"rebalance_cb" must be a valid callback%S
global opaque: flame\db\kafka\exception: %sopaque%S
topic opaque: flame\db\kafka\exception: %sopaque%S
producer empty topic: ValueError: %stopic%S
producer topic with NUL: ValueError: %stopic%S
NUL byte in option value: flame\db\kafka\exception: %sclient.id%S
NUL byte in option name: flame\db\kafka\exception: %sNUL%S
header value is an array: TypeError: %sheader%S
flush(-1): ValueError: %stimeout_ms%S
consume(-1): ValueError: %stimeout_ms%S
consumer without group.id: flame\db\kafka\exception: %sgroup.id%S
consumer topics [""]: ValueError: %stopics%S
consumer topics [1]: TypeError: %stopics%S
consumer topic "": ValueError: %stopics%S
consumer topic with NUL: ValueError: %stopics%S
commit("x"): TypeError: %smessage%S
commit(message of another consumer): flame\db\kafka\exception: %S
commit(message returned by produce): flame\db\kafka\exception: %S
NULL
survived
