--TEST--
producer: with a tiny local queue (queue.buffering.max.messages=10) produce() waits for room and never drops a message
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

const N = 2000;
$topic = unique_topic();
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(['queue.buffering.max.messages' => 10, 'linger.ms' => 5]), [], $topic);
    $aw = [];
    for ($i = 0; $i < N; $i++) {
        $aw[] = $p->produce("c$i", "k" . ($i % 7));
    }
    $ok = 0;
    $errors = [];
    foreach ($aw as $a) {
        try {
            yield $a;
            $ok++;
        } catch (Throwable $e) {
            $errors[get_class($e) . ': ' . $e->getMessage()] = true;
        }
    }
    echo "coroutine: delivered $ok, errors: ", $errors ? implode('; ', array_keys($errors)) : 'none', "\n";
});
flame\run();

// the same from a plain script, fire-and-forget
$p = new flame\db\kafka\producer(producer_conf(['queue.buffering.max.messages' => 10]), [], $topic);
for ($i = 0; $i < N; $i++) {
    $p->produce("s$i");
}
echo "plain script flush: ", var_export($p->flush(15000)->wait(), true), "\n";

$msgs = run_co(fn() => read_topic($topic, 2 * N));
echo "in topic: ", count($msgs), ", distinct: ", count(array_unique(array_map('strval', $msgs))), "\n";
?>
--EXPECT--
coroutine: delivered 2000, errors: none
plain script flush: NULL
in topic: 4000, distinct: 4000
