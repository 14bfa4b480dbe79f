--TEST--
a failure that was thrown at a yield or by wait() is not reported again as a warning
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
flame\go(function () {
    try { yield runtime_failed_now(); } catch (flame\db\kafka\exception $e) { echo "caught at yield (already failed)\n"; }
    try { yield runtime_failing_later(); } catch (flame\db\kafka\exception $e) { echo "caught at yield (failed while suspended)\n"; }
    $kept = runtime_failed_now();
    try { yield $kept; } catch (flame\db\kafka\exception $e) { echo "caught at yield (kept in a variable)\n"; }
    try {
        yield (function () { yield runtime_failed_now(); })();
    } catch (flame\db\kafka\exception $e) {
        echo "caught through a nested generator\n";
    }
    unset($kept);
    echo "coroutine ends\n";
});
flame\run();
try { runtime_failed_now()->wait(); } catch (flame\db\kafka\exception $e) { echo "caught from wait()\n"; }
$kept = runtime_failing_later();
try { $kept->wait(); } catch (flame\db\kafka\exception $e) { echo "caught from wait() (kept)\n"; }
echo "end of the script\n";
?>
--EXPECT--
caught at yield (already failed)
caught at yield (failed while suspended)
caught at yield (kept in a variable)
caught through a nested generator
coroutine ends
caught from wait()
caught from wait() (kept)
end of the script
