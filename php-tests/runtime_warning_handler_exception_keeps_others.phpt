--TEST--
an error handler that throws on the unobserved-failure E_WARNING stops run() with that exception but does not cost another coroutine its run
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
set_error_handler(function (int $no, string $str) {
    throw new ErrorException($str, 0, $no);
});
$log = [];
runtime_failing_later(); // dropped: its failure (about 1 s from now) is an E_WARNING
flame\go(function () use (&$log) {
    try {
        yield flame\time\sleep(2500);
        $log[] = "sleeper done";
    } catch (Throwable $e) {
        $log[] = "sleeper caught " . get_class($e) . " that was not its own";
    }
});
$thrown = [];
for ($i = 1; $i <= 3; $i++) {
    try {
        flame\run();
    } catch (Throwable $e) {
        $thrown[] = "run() #$i rethrew " . get_class($e) . ": " . $e->getMessage();
    }
}
echo implode("\n", $thrown), "\n";
echo implode("\n", $log), "\n";
?>
--EXPECTF--
run() #1 rethrew ErrorException: %sunobserved failure of flame\db\kafka\producer::produce()%s
sleeper done
