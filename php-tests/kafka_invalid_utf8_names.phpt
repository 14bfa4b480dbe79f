--TEST--
option names, header names and topic lists with invalid UTF-8 are refused by name (no engine panic, no \Error)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

use flame\db\kafka\consumer;
use flame\db\kafka\message;
use flame\db\kafka\producer;

$b = brokers();
$bad = "a\xff\xfeb";
$cases = [
    'global option name' => fn() => new producer(['bootstrap.servers' => $b, $bad => '1'], [], unique_topic()),
    'topic option name' => fn() => new producer(['bootstrap.servers' => $b], [$bad => '1'], unique_topic()),
    'consumer option name' => fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => 'g', $bad => 1], [], unique_topic()),
    'header name' => fn() => (new producer(['bootstrap.servers' => $b], [], unique_topic()))->produce('x', null, [$bad => 'v']),
];
foreach ($cases as $name => $fn) {
    try {
        $fn();
        echo "$name: no exception\n";
    } catch (\Throwable $e) {
        // the name is shown with U+FFFD for the bytes that are not UTF-8
        echo "$name: ", get_class($e), " (", $e->getCode(), "): ", str_replace("\u{FFFD}", '?', $e->getMessage()), "\n";
    }
}
// a valid header next to it still works
$p = new producer(['bootstrap.servers' => $b], [], $t = unique_topic());
$r = $p->produce('ok', null, ["h\u{00e9}" => 'v'])->wait();
echo "header with UTF-8 name stored: ", json_encode(array_keys($r->headers)), "\n";
--EXPECT--
global option name: flame\db\kafka\exception (-186): $global_opt: option name "a??b" is not valid UTF-8 (no librdkafka property is)
topic option name: flame\db\kafka\exception (-186): $topic_opt: option name "a??b" is not valid UTF-8 (no librdkafka property is)
consumer option name: flame\db\kafka\exception (-186): $global_opt: option name "a??b" is not valid UTF-8 (no librdkafka property is)
header name: ValueError (0): flame\db\kafka\producer::produce(): Argument #3 ($headers): header name "a??b" is not valid UTF-8
header with UTF-8 name stored: ["h\u00e9"]
