--TEST--
producer: 10,000 fire-and-forget produces in a script that simply ends are all delivered (flushed at shutdown)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

const N = 10000;
$topic = unique_topic();
$child = '<?php
$p = new flame\db\kafka\producer(["bootstrap.servers" => getenv("KAFKA_BROKERS")], [], ' . var_export($topic, true) . ');
for ($i = 0; $i < ' . N . '; $i++) {
    $p->produce("msg-$i", "key-" . ($i % 97));
}
echo "child: produced, exiting\n";
';
$t0 = microtime(true);
[$rc, $out, $err] = run_child_php($child);
echo "child exit code: $rc\n", $out, "child stderr: ", $err === '' ? "(empty)" : $err, "\n";

$msgs = run_co(fn() => read_topic($topic, N, 2000, 30));
$seen = [];
foreach ($msgs as $m) {
    $seen[$m->val] = ($seen[$m->val] ?? 0) + 1;
}
$missing = 0;
for ($i = 0; $i < N; $i++) {
    if (!isset($seen["msg-$i"])) {
        $missing++;
    }
}
echo "consumed: ", count($msgs), ", distinct: ", count($seen), ", missing: $missing\n";
?>
--EXPECT--
child exit code: 0
child: produced, exiting
child stderr: (empty)
consumed: 10000, distinct: 10000, missing: 0
