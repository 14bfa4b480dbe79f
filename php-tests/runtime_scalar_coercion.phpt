--TEST--
without strict_types, scalar arguments are coerced the usual PHP way (sleep("20"), sleep(20.0), init(123))
--FILE--
<?php
foreach (['"20"' => "20", '20.0' => 20.0, 'true' => true] as $label => $ms) {
    try {
        $a = flame\time\sleep($ms);
        echo "sleep($label) resolves with ", var_export($a->wait(), true), "\n";
    } catch (Throwable $e) {
        echo "sleep($label): ", get_class($e), ": ", $e->getMessage(), "\n";
    }
}
try {
    var_dump(flame\init(123));
} catch (Throwable $e) {
    echo "init(123): ", get_class($e), ": ", $e->getMessage(), "\n";
}
?>
--EXPECT--
sleep("20") resolves with NULL
sleep(20.0) resolves with NULL
sleep(true) resolves with NULL
NULL
