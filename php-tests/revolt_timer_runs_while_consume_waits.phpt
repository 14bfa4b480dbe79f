--TEST--
Revolt: while {main} waits in consume(2000) on an idle topic, Revolt's delay() fires on time and a repeat timer keeps ticking; consume resolves null after its timeout
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/loops.php';
require_revolt();
use Revolt\EventLoop;

$topic = unique_topic('idle');
create_topic($topic, 1);
$c = earliest_consumer($topic);
$t0 = hrtime(true);
$fired_ms = null;
EventLoop::delay(0.3, function () use ($t0, &$fired_ms) { $fired_ms = (hrtime(true) - $t0) / 1e6; });
$ticks = 0;
$repeat = EventLoop::repeat(0.1, function () use (&$ticks) { $ticks++; });
$m = $c->consume(2000)->wait();        // suspends {main} through Revolt
$waited = (hrtime(true) - $t0) / 1e6;
EventLoop::cancel($repeat);
echo "consume(2000) resolved with ", var_export($m, true), " after ", $waited >= 1900 && $waited < 4000 ? "about 2 s" : "$waited ms", "\n";
echo "delay(0.3) fired ", $fired_ms !== null && $fired_ms >= 290 && $fired_ms < 700 ? "on time" : var_export($fired_ms, true) . " ms", "\n";
echo "repeat(0.1) ticked ", $ticks >= 14 ? "all along" : "$ticks times", "\n";
$c->close()->wait();
?>
--EXPECT--
consume(2000) resolved with NULL after about 2 s
delay(0.3) fired on time
repeat(0.1) ticked all along
