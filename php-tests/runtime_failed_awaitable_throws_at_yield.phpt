--TEST--
a failed awaitable throws its failure at the yield, with the yield's file and line
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';

function report(string $case, Throwable $e, int $yield_line): void
{
    echo "$case: ", get_class($e), " code ", $e->getCode(), "\n";
    echo "  message: ", $e->getMessage(), "\n";
    echo "  file: ", $e->getFile() === __FILE__ ? "this file" : "'" . $e->getFile() . "'", "\n";
    echo "  line: ", runtime_line_report($e->getLine(), $yield_line), "\n";
}

function nested_last_statement()
{
    $GLOBALS['yl'] = __LINE__; yield runtime_failed_now();
}

flame\go(function () {
    try {
        $yl = __LINE__; $x = yield runtime_failed_now();
        echo "not reached\n";
    } catch (flame\db\kafka\exception $e) {
        report("already failed, \$x = yield", $e, $yl);
    }
    try {
        $yl = __LINE__; yield runtime_failed_now();
        echo "not reached\n";
    } catch (flame\db\kafka\exception $e) {
        report("already failed, yield statement", $e, $yl);
    }
    $pending = runtime_failing_later();
    var_dump($pending->ready());
    try {
        $yl = __LINE__; $x = yield $pending;
        echo "not reached\n";
    } catch (flame\db\kafka\exception $e) {
        report("failed while suspended, \$x = yield", $e, $yl);
    }
    try {
        $yl = __LINE__; yield runtime_failing_later();
        echo "not reached\n";
    } catch (flame\db\kafka\exception $e) {
        report("failed while suspended, yield statement", $e, $yl);
    }
    try {
        yield nested_last_statement();
    } catch (flame\db\kafka\exception $e) {
        report("yield as the last statement of a nested generator", $e, $GLOBALS['yl']);
    }
    echo "coroutine continues after catching\n";
});
flame\run();
?>
--EXPECTF--
already failed, $x = yield: flame\db\kafka\exception code 10
  message: %s
  file: this file
  line: the yield line
already failed, yield statement: flame\db\kafka\exception code 10
  message: %s
  file: this file
  line: the yield line
bool(false)
failed while suspended, $x = yield: flame\db\kafka\exception code -192
  message: %s
  file: this file
  line: the yield line
failed while suspended, yield statement: flame\db\kafka\exception code -192
  message: %s
  file: this file
  line: the yield line
yield as the last statement of a nested generator: flame\db\kafka\exception code 10
  message: %s
  file: this file
  line: the yield line
coroutine continues after catching
