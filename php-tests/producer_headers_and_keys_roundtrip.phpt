--TEST--
producer/consumer: headers (binary values) and keys (null, "", binary) round-trip unchanged
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
$cases = [
    'null-key'   => [null, ["a" => "1", "bin" => "\0\x01\xff", "empty" => "", "utf8" => "h\xc3\xa9llo"]],
    'empty-key'  => ["", ["only" => "one"]],
    'binary-key' => ["\0\xff", []],
    'plain-key'  => ["k", ["x-trace" => str_repeat("\xab", 300)]],
];

function show(string $where, flame\db\kafka\message $m): void
{
    $key = $m->key === null ? 'NULL' : 'string(' . strlen($m->key) . ') 0x' . bin2hex($m->key);
    $h = [];
    foreach ($m->headers as $name => $v) {
        $h[] = "$name=" . (strlen($v) > 16 ? strlen($v) . ' bytes 0x' . bin2hex(substr($v, 0, 2)) . '..' : '0x' . bin2hex($v));
    }
    printf("%-8s %-10s key %s, val 0x%s, headers [%s]\n", $where, substr($m->val, 0, strpos($m->val, "\0")), $key,
        bin2hex(substr($m->val, strpos($m->val, "\0"))), implode(', ', $h));
}

flame\go(function () use ($topic, $cases) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    foreach ($cases as $name => [$key, $headers]) {
        $m = yield $p->produce("$name\0\xfe", $key, $headers);
        show('produced', $m);
    }
    $msgs = yield read_topic($topic, count($cases));
    usort($msgs, fn($a, $b) => array_search(strstr($a->val, "\0", true), array_keys($cases))
        <=> array_search(strstr($b->val, "\0", true), array_keys($cases)));
    foreach ($msgs as $m) {
        show('consumed', $m);
    }
    $byname = [];
    foreach ($msgs as $m) {
        $byname[strstr($m->val, "\0", true)] = $m;
    }
    var_dump($byname['null-key']->key, $byname['empty-key']->key, $byname['binary-key']->key === "\0\xff");
    var_dump($byname['plain-key']->headers['x-trace'] === str_repeat("\xab", 300));
    var_dump($byname['null-key']->headers === $cases['null-key'][1]);
});
flame\run();
?>
--EXPECT--
produced null-key   key NULL, val 0x00fe, headers [a=0x31, bin=0x0001ff, empty=0x, utf8=0x68c3a96c6c6f]
produced empty-key  key string(0) 0x, val 0x00fe, headers [only=0x6f6e65]
produced binary-key key string(2) 0x00ff, val 0x00fe, headers []
produced plain-key  key string(1) 0x6b, val 0x00fe, headers [x-trace=300 bytes 0xabab..]
consumed null-key   key NULL, val 0x00fe, headers [a=0x31, bin=0x0001ff, empty=0x, utf8=0x68c3a96c6c6f]
consumed empty-key  key string(0) 0x, val 0x00fe, headers [only=0x6f6e65]
consumed binary-key key string(2) 0x00ff, val 0x00fe, headers []
consumed plain-key  key string(1) 0x6b, val 0x00fe, headers [x-trace=300 bytes 0xabab..]
NULL
string(0) ""
bool(true)
bool(true)
bool(true)
