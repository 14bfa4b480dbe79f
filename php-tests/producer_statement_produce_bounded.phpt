--TEST--
producer: produce() as a statement (result discarded) in a loop that never yields: nothing lost, the PHP-side backlog stays bounded, kept awaitables still resolve in order
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

const N = 30000;
$topic = unique_topic();
create_topic($topic, 1);
// A tiny librdkafka queue: most messages must wait on the PHP side; past
// 10,000 waiting, produce() itself waits for room instead of buffering more.
$p = new flame\db\kafka\producer(producer_conf(['queue.buffering.max.messages' => 500]), [], $topic);
$kept = [];
$t0 = microtime(true);
for ($i = 0; $i < N; $i++) {
    if ($i % 1000 === 999) {
        $kept[$i] = $p->produce("m$i", "k");       // result used: a real awaitable
    } else {
        $p->produce("m$i", "k");                   // statement: detached
    }
}
printf("loop done, kept %d awaitables\n", count($kept));
echo "flush: ", var_export($p->flush(60000)->wait(), true), "\n";
$offsets = [];
foreach ($kept as $i => $a) {
    $m = $a->wait();
    if ($m->val !== "m$i") echo "kept $i resolved with ", $m->val, "\n";
    $offsets[] = $m->offset;
}
$sorted = $offsets;
sort($sorted);
echo "kept offsets increasing: ", var_export($offsets === $sorted && count(array_unique($offsets)) === count($offsets), true), "\n";
// one partition, one key: the offset of message i is i (nothing lost, nothing reordered)
echo "kept offsets match positions: ", var_export(array_values(array_map(fn($i) => $i, array_keys($kept))) === $offsets, true), "\n";

$msgs = run_co(fn() => read_topic($topic, N, 1500, 60.0));
$vals = array_map(fn($m) => $m->val, $msgs);
echo "in topic: ", count($vals), ", distinct: ", count(array_unique($vals)), "\n";
$expected = [];
for ($i = 0; $i < N; $i++) $expected[] = "m$i";
echo "in produce order: ", var_export($vals === $expected, true), "\n";
?>
--EXPECT--
loop done, kept 30 awaitables
flush: NULL
kept offsets increasing: true
kept offsets match positions: true
in topic: 30000, distinct: 30000
in produce order: true
