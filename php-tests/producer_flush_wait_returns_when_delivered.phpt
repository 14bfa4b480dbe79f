--TEST--
producer: flush()->wait() in a plain script returns as soon as everything is delivered, not at its timeout (regression: it slept until the timeout once the scheduler stopped waking every 50 ms)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 1);
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$p->produce("warm-up")->wait();
foreach ([1, 10, 1000] as $n) {
    for ($i = 0; $i < $n; $i++) {
        $p->produce("m$i");
    }
    $t0 = microtime(true);
    $r = $p->flush(8000)->wait();
    $dt = microtime(true) - $t0;
    echo "$n pending: flush()->wait() returned ", var_export($r, true), ", ",
        $dt < 4.0 ? "well before the 8 s timeout" : sprintf("after %.2f s", $dt), "\n";
}
$msgs = run_co(fn() => read_topic($topic, 1012));
echo count($msgs), " messages in the topic\n";
?>
--EXPECT--
1 pending: flush()->wait() returned NULL, well before the 8 s timeout
10 pending: flush()->wait() returned NULL, well before the 8 s timeout
1000 pending: flush()->wait() returned NULL, well before the 8 s timeout
1012 messages in the topic
