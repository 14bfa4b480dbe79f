--TEST--
Revolt (1.0.9, Debian's package): 1000 Revolt fibers each wait() for their own produce(); all are acknowledged (distinct offsets), read back once each, and EventLoop::run() ends by itself
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/loops.php';
require_revolt();
use Revolt\EventLoop;

$topic = unique_topic('revolt');
create_topic($topic, 3);
$p = new flame\db\kafka\producer(producer_conf(), [], $topic);
$acked = [];
$errors = 0; $GLOBALS["errors"] = &$errors;
for ($i = 0; $i < 1000; $i++) {
    EventLoop::queue(function () use ($p, $i, &$acked, &$errors) {
        try {
            $m = $p->produce("m$i", "k$i")->wait();
            $acked["{$m->partition}:{$m->offset}"] = $m->val;
        } catch (Throwable $e) {
            $errors++;
            echo "produce m$i failed: ", $e->getMessage(), "\n";
        }
    });
}
$ticks = 0;
EventLoop::repeat(0.005, function (string $id) use (&$ticks, &$acked) {
    $ticks++;
    if (count($acked) + $GLOBALS["errors"] >= 1000) EventLoop::cancel($id);
});
EventLoop::run();
echo "acknowledged: ", count($acked), " distinct offsets, ", count(array_unique($acked)), " distinct payloads, $errors errors\n";
echo "a Revolt timer ran meanwhile: ", var_export($ticks > 0, true), "\n";
$got = run_co(fn() => read_topic($topic, 1000));
$vals = array_map(fn($m) => $m->val, $got);
echo "read back: ", count($vals), ", distinct ", count(array_unique($vals)), "\n";
?>
--EXPECT--
acknowledged: 1000 distinct offsets, 1000 distinct payloads, 0 errors
a Revolt timer ran meanwhile: true
read back: 1000, distinct 1000
