--TEST--
with strict_types=1, scalar arguments of the wrong type are a \TypeError
--FILE--
<?php
declare(strict_types=1);
try {
    flame\time\sleep("20");
    echo "sleep(\"20\") accepted\n";
} catch (TypeError $e) {
    echo "sleep(\"20\"): TypeError\n";
}
try {
    flame\init(123);
    echo "init(123) accepted\n";
} catch (TypeError $e) {
    echo "init(123): TypeError\n";
}
var_dump(flame\time\sleep(1)->wait());
?>
--EXPECT--
sleep("20"): TypeError
init(123): TypeError
NULL
