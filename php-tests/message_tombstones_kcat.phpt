--TEST--
message: tombstones both ways with kcat (Debian) — produce(null) is a record without value for kcat -Z, kcat -Z's NULL is $val === null ("" stays ""), __toString() of a tombstone is ""; header_pairs() keeps repeated names in record order, $headers keeps the last
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$kcat = trim((string)shell_exec('command -v kcat'));
if ($kcat === '') {
    echo "kcat is not installed (scripts/deps.sh installs it)\n";   // fails the test: it must not skip
}
$b = brokers();
$topic = unique_topic('tomb');
create_topic($topic, 1);

// flame_kafka writes: a tombstone, an empty value, a value
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$t = $p->produce(null, 'deleted')->wait();
echo "produce(null) resolves with val ", var_export($t->val, true), ", __toString() ", var_export((string)$t, true), "\n";
$e = $p->produce('', 'empty')->wait();
echo "produce('') resolves with val ", var_export($e->val, true), "\n";
$p->produce('value', 'kept')->wait();
$p->produce(null)->wait();   // no key, no value
foreach ([[[]], ['v', []]] as $args) {
    try {
        $p->produce(...$args);
    } catch (TypeError $e) {
        echo $e->getMessage(), "\n";
    }
}

// kcat reads them: %S is the value length, -1 for a record without value (kcat -Z prints
// "NULL" for %s of an empty value too: the length tells them apart)
$fmt = '%k|%S|%s\n';
$cmd = sprintf('%s -C -b %s -t %s -o beginning -e -q -Z -f %s 2>&1', $kcat, escapeshellarg($b), escapeshellarg($topic), escapeshellarg($fmt));
echo "kcat -Z reads:\n", shell_exec($cmd);

// kcat writes: with -Z an empty value is sent as NULL; repeated header names
$topic2 = unique_topic('tomb');
create_topic($topic2, 1);
$w = sprintf('%s -P -b %s -t %s -K : -Z', $kcat, escapeshellarg($b), escapeshellarg($topic2));
$h = proc_open($w, [0 => ['pipe', 'r']], $pipes);
fwrite($pipes[0], "gone:\n");
fclose($pipes[0]);
proc_close($h);
$w = sprintf('%s -P -b %s -t %s -K : -H a=1 -H b=2 -H a=3 -H empty=', $kcat, escapeshellarg($b), escapeshellarg($topic2));
$h = proc_open($w, [0 => ['pipe', 'r']], $pipes);
fwrite($pipes[0], "here:x\n");
fclose($pipes[0]);
proc_close($h);

$msgs = run_co(fn() => read_topic($topic2, 2));
foreach ($msgs as $m) {
    echo "key ", var_export($m->key, true), ": val ", var_export($m->val, true), ", __toString() ", var_export((string)$m, true),
        ", header_pairs() ", json_encode($m->header_pairs()), ", headers ", json_encode($m->headers), "\n";
}
?>
--EXPECT--
produce(null) resolves with val NULL, __toString() ''
produce('') resolves with val ''
flame\db\kafka\producer::produce(): Argument #1 ($payload) must be of type ?string, array given
flame\db\kafka\producer::produce(): Argument #2 ($key) must be of type ?string, array given
kcat -Z reads:
deleted|-1|NULL
empty|0|NULL
kept|5|value
NULL|-1|NULL
key 'gone': val NULL, __toString() '', header_pairs() [], headers []
key 'here': val 'x', __toString() 'x', header_pairs() [["a","1"],["b","2"],["a","3"],["empty",""]], headers {"a":"3","b":"2","empty":""}
