--TEST--
one awaitable yielded by several coroutines resumes them all; yielding a settled awaitable again gives its result again
--FILE--
<?php
require __DIR__ . '/inc/runtime_failing.inc';
$log = [];
$shared = flame\time\sleep(20);
foreach (["A", "B", "C"] as $name) {
    flame\go(function () use ($name, $shared, &$log) {
        $x = yield $shared;
        $log[] = "$name resumed with " . var_export($x, true);
        $y = yield $shared;
        $log[] = "$name again: " . var_export($y, true);
    });
}
$failed = runtime_failing_later();
foreach (["D", "E"] as $name) {
    flame\go(function () use ($name, $failed, &$log) {
        try {
            yield $failed;
        } catch (flame\db\kafka\exception $e) {
            $log[] = "$name caught code " . $e->getCode();
        }
        try {
            yield $failed;
        } catch (flame\db\kafka\exception $e) {
            $log[] = "$name caught again code " . $e->getCode();
        }
    });
}
flame\run();
sort($log);
echo implode("\n", $log), "\n";
var_dump($shared->wait());
try {
    $failed->wait();
} catch (flame\db\kafka\exception $e) {
    echo "wait() afterwards throws too: code ", $e->getCode(), "\n";
}
?>
--EXPECT--
A again: NULL
A resumed with NULL
B again: NULL
B resumed with NULL
C again: NULL
C resumed with NULL
D caught again code -192
D caught code -192
E caught again code -192
E caught code -192
NULL
wait() afterwards throws too: code -192
