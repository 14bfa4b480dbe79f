--TEST--
no busy polling: a consumer waiting 2 s on an idle topic uses < 5% of one core (getrusage, all threads) — under Revolt and under flame's Fiber coroutines
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/loops.php';

function measure(string $label, callable $wait): void
{
    $c0 = cpu_seconds();
    $t0 = hrtime(true);
    $m = $wait();
    $wall = (hrtime(true) - $t0) / 1e9;
    $cpu = cpu_seconds() - $c0;
    $share = 100 * $cpu / $wall;
    echo "$label: consume(2000) gave ", var_export($m, true), ", waited ", $wall >= 1.9 ? "2 s" : "{$wall} s",
        ", CPU ", $share < 5 ? "< 5% of a core" : sprintf("%.1f%% of a core", $share),
        sprintf(" (%.1f ms CPU in %.2f s)", $cpu * 1e3, $wall), "\n";
}

$topic = unique_topic('idlecpu');
create_topic($topic, 1);
$c = earliest_consumer($topic);
// Let the consumer join its group first: only the idle wait is measured.
$c->consume(3000)->wait();

$m = null;
measure("flame Fiber coroutine", function () use ($c) {
    $m = null;
    flame\go(function () use ($c, &$m) { $m = $c->consume(2000)->wait(); });
    flame\run();
    return $m;
});
require_revolt();
measure("Revolt {main}", fn() => $c->consume(2000)->wait());
measure("Revolt fiber", function () use ($c) {
    $m = null;
    Revolt\EventLoop::queue(function () use ($c, &$m) { $m = $c->consume(2000)->wait(); });
    Revolt\EventLoop::run();
    return $m;
});
$c->close()->wait();
?>
--EXPECTF--
flame Fiber coroutine: consume(2000) gave NULL, waited 2 s, CPU < 5% of a core (%f ms CPU in %f s)
Revolt {main}: consume(2000) gave NULL, waited 2 s, CPU < 5% of a core (%f ms CPU in %f s)
Revolt fiber: consume(2000) gave NULL, waited 2 s, CPU < 5% of a core (%f ms CPU in %f s)
