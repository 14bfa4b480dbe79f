--TEST--
flame\awaitable::wait() in a plain script throws the failure of a failed awaitable
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
$a = runtime_failed_now();
var_dump($a->ready());
try {
    $a->wait();
    echo "not reached\n";
} catch (flame\db\kafka\exception $e) {
    echo "already failed: ", get_class($e), " code ", $e->getCode(), ": ", $e->getMessage(), "\n";
}
// Waiting again throws again.
try {
    $a->wait();
} catch (flame\db\kafka\exception $e) {
    echo "again: code ", $e->getCode(), "\n";
}
$b = runtime_failing_later();
var_dump($b->ready());
try {
    $b->wait();
    echo "not reached\n";
} catch (flame\db\kafka\exception $e) {
    echo "failed while waiting: ", get_class($e), " code ", $e->getCode(), ": ", $e->getMessage(), "\n";
}
var_dump($b->ready());
?>
--EXPECTF--
bool(true)
already failed: flame\db\kafka\exception code 10: %s
again: code 10
bool(false)
failed while waiting: flame\db\kafka\exception code -192: %s
bool(true)
