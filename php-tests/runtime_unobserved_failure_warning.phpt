--TEST--
an awaitable that fails while nobody waits on it is reported as an E_WARNING naming the operation
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
$warnings = 0;
set_error_handler(function (int $no, string $str) use (&$warnings) {
    if ($no === E_WARNING) {
        $warnings++;
    }
    return false; // let PHP print it as well
});

// 1. Already failed, dropped at once.
runtime_failed_now();
echo "1. dropped an awaitable that had failed\n";

// 2. Pending, dropped, fails later while run() drives other coroutines.
runtime_failing_later();
flame\go(function () {
    yield flame\time\sleep(2500);
    echo "2. sleeper done\n";
});
flame\run();

// 3. Created inside a coroutine and never yielded.
flame\go(function () {
    runtime_failed_now();
    yield 1;
    echo "3. coroutine done\n";
});
flame\run();
echo "E_WARNING count so far: $warnings\n";

// 4. Kept in a variable, never observed, until the end of the request.
$kept = runtime_failed_now();
// 5. Pending and dropped just before the end: it fails during shutdown.
runtime_failing_later();
echo "4+5. end of the script\n";
?>
--EXPECTF--
Warning: %sflame\db\kafka\producer::produce()%sMessage size too large%s in %s on line %d
1. dropped an awaitable that had failed

Warning: %sflame\db\kafka\producer::produce()%sMessage timed out%s in %s on line %d
2. sleeper done

Warning: %sflame\db\kafka\producer::produce()%sMessage size too large%s in %s on line %d
3. coroutine done
E_WARNING count so far: 3
4+5. end of the script

Warning: %sflame\db\kafka\producer::produce()%sMessage timed out%s in %s on line %d

Warning: %sflame\db\kafka\producer::produce()%sMessage size too large%s in %s on line %d
