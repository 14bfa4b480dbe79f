--TEST--
consumer: consuming 200,000 small messages keeps memory flat (memory_get_usage() growth < 2 MB; RSS flat too)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

const N = 200000;
function rss_kb(): int
{
    preg_match('/VmRSS:\s+(\d+)/', (string)@file_get_contents('/proc/self/status'), $m);
    return (int)($m[1] ?? 0);
}

$topic = unique_topic();
$t0 = microtime(true);
$p = new flame\db\kafka\producer(producer_conf(['linger.ms' => 20, 'batch.num.messages' => 10000]), [], $topic);
for ($i = 0; $i < N; $i++) {
    $p->produce("m$i");
}
echo "flush: ", var_export($p->flush(30000)->wait(), true), "\n";
unset($p);

flame\go(function () use ($topic, $t0) {
    // a small prefetch queue, so librdkafka's buffers stay small and RSS is meaningful
    $c = earliest_consumer($topic, null, ['queued.max.messages.kbytes' => 4096]);
    $count = 0;
    $sum = 0;
    $base = $rss_base = null;
    $peak_growth = 0;
    while ($count < N && microtime(true) - $t0 < 60) {
        $m = yield $c->consume(3000);
        if ($m === null) {
            continue;
        }
        $count++;
        $sum += (int)substr($m->val, 1);
        if ($count === 1000) {
            gc_collect_cycles();
            $base = memory_get_usage();
        } elseif ($count === 20000) {
            $rss_base = rss_kb();
        }
        if ($base !== null && $count % 1000 === 0) {
            $peak_growth = max($peak_growth, memory_get_usage() - $base);
        }
    }
    unset($m);
    gc_collect_cycles();
    $final_growth = memory_get_usage() - $base;
    $rss_growth_kb = rss_kb() - $rss_base;
    echo "consumed: $count, sum ok: ", var_export($sum === N * (N - 1) / 2, true), "\n";
    echo "peak growth < 2 MB: ", var_export($peak_growth < 2 * 1024 * 1024, true), "\n";
    echo "final growth < 2 MB: ", var_export($final_growth < 2 * 1024 * 1024, true), "\n";
    echo "RSS growth from 20,000 to 200,000 messages < 16 MB: ", var_export($rss_growth_kb < 16 * 1024, true), "\n";
    if ($peak_growth >= 2 * 1024 * 1024 || $rss_growth_kb >= 16 * 1024) {
        echo "  peak growth $peak_growth bytes, final growth $final_growth bytes, RSS growth $rss_growth_kb kB\n";
    }
    $extra = yield $c->consume(1000);
    echo "nothing more: ", var_export($extra === null, true), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
flush: NULL
consumed: 200000, sum ok: true
peak growth < 2 MB: true
final growth < 2 MB: true
RSS growth from 20,000 to 200,000 messages < 16 MB: true
nothing more: true
