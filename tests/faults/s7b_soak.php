<?php
/*
 * Scenario 7b: soak. In one PHP process: produce 1,000,000 messages (awaited,
 * 500 coroutines) and then consume them all (one consumer), sampling the
 * process RSS (VmRSS) every 100,000 messages.
 * (The consumer's prefetch buffer is bounded to 2 MB, see below.)
 * PASS iff, in each phase, RSS after the warm-up (the sample at the first
 * 100,000 of that phase) grows by less than 5 MB, and every message was
 * acknowledged and consumed. "Grows" is measured on the lowest of the last
 * three samples: memory that is handed back later (a fetch buffer, a malloc
 * arena of librdkafka's threads) is a swing, not growth, while a leak lifts
 * every later sample. The highest sample is printed too.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$total = (int)($argv[1] ?? 1000000);
$every = (int)($argv[2] ?? 100000);
$coroutines = 500;
$limit_kb = 5 * 1024;
$topic = unique_name('soak');
create_topic($topic, 3);
$payload = str_repeat('p', 100);

$samples = ['produce' => [], 'consume' => []];
$rss0 = rss_kb();
$p = new flame\db\kafka\producer(pconf(['linger.ms' => 5]), [], $topic);
$acked = $failed = 0;
$t0 = microtime(true);
for ($c = 0; $c < $coroutines; $c++) {
    flame\go(function () use ($c, $coroutines, $total, $every, $p, $payload, &$acked, &$failed, &$samples, $t0) {
        for ($i = $c; $i < $total; $i += $coroutines) {
            try {
                yield $p->produce($payload, (string)$i);
                $acked++;
            } catch (flame\db\kafka\exception $e) {
                $failed++;
            }
            if (($acked + $failed) % $every === 0) {
                $samples['produce'][$acked + $failed] = [rss_kb(), microtime(true) - $t0];
            }
        }
    });
}
flame\run();
$produce_secs = microtime(true) - $t0;
unset($p);

// librdkafka prefetches up to queued.max.messages.kbytes (64 MB by default)
// ahead of the application: RSS then swings by tens of MB with the fill level
// of that buffer, which says nothing about leaks. Bound it to 2 MB so the
// samples measure what the extension keeps.
$c = new flame\db\kafka\consumer(cconf(unique_name('soakgroup'), ['queued.max.messages.kbytes' => 2048]),
    ['auto.offset.reset' => 'earliest'], $topic);
$consumed = 0;
$t1 = microtime(true);
flame\go(function () use ($c, $total, $every, &$consumed, &$samples, $t1) {
    while ($consumed < $total) {
        $m = yield $c->consume(10000);
        if ($m === null) {
            break;   // nothing for 10 s: give up
        }
        $consumed++;
        if ($consumed % $every === 0) {
            $samples['consume'][$consumed] = [rss_kb(), microtime(true) - $t1];
        }
    }
    yield $c->close();
});
flame\run();
$consume_secs = microtime(true) - $t1;

$ok = $acked === $total && $consumed === $total;
printf("  %-8s %9s %10s %8s %10s\n", 'phase', 'messages', 'RSS (kB)', 'secs', 'vs warm-up');
$growth = $peak = [];
foreach ($samples as $phase => $list) {
    ksort($list);
    $base = $list[$every][0] ?? null;
    foreach ($list as $n => [$kb, $secs]) {
        printf("  %-8s %9d %10d %8.1f %+10d\n", $phase, $n, $kb, $secs, $base === null ? 0 : $kb - $base);
    }
    $after = array_map(fn($x) => $x[0], array_values(array_filter($list, fn($n) => $n > $every, ARRAY_FILTER_USE_KEY)));
    if ($base === null || $after === []) {
        $growth[$phase] = $peak[$phase] = PHP_INT_MAX;
    } else {
        $growth[$phase] = min(array_slice($after, -3)) - $base;
        $peak[$phase] = max($after) - $base;
    }
    if ($growth[$phase] >= $limit_kb) {
        $ok = false;
    }
}
figure('RSS before the producer (kB)', $rss0);
figure('acknowledged / failed', "$acked / $failed");
figure('produce rate (msg/s)', (int)($total / $produce_secs));
figure('consumed', $consumed);
figure('consume rate (msg/s)', (int)($consumed / max($consume_secs, 0.001)));
figure('growth after warm-up, produce (kB)', $growth['produce'] . ' (highest sample ' . sprintf('%+d', $peak['produce']) . ')');
figure('growth after warm-up, consume (kB)', $growth['consume'] . ' (highest sample ' . sprintf('%+d', $peak['consume']) . ')');
figure('RSS end (kB)', rss_kb());
result($ok, sprintf('growth after warm-up: produce %+d kB, consume %+d kB (limit %d kB); acked %d, consumed %d',
    $growth['produce'], $growth['consume'], $limit_kb, $acked, $consumed));
