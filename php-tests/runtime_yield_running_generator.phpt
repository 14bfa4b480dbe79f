--TEST--
yield of a Generator that is already running in this coroutine (itself, or a parent) is an \Error at the yield, like yield from — no hang
--FILE--
<?php
require __DIR__ . '/inc/runtime_child.inc';
// Each case runs in a child process killed after 4 s: a hang fails the test
// (and must not stall the suite or eat the machine's memory).
$cases = [
    'itself' => <<<'PHP'
<?php
$self = (function () use (&$self) {
    try {
        yield $self;
        echo "yield of itself returned\n";
    } catch (Error $e) {
        echo "yield of itself: ", get_class($e), "\n";
    }
})();
flame\go(fn() => $self);
flame\run();
echo "done\n";
PHP,
    'parent' => <<<'PHP'
<?php
$parent = (function () use (&$parent) {
    yield (function () use (&$parent) {
        try {
            yield $parent;
            echo "yield of the parent returned\n";
        } catch (Error $e) {
            echo "yield of the parent: ", get_class($e), "\n";
        }
    })();
})();
flame\go(fn() => $parent);
flame\run();
echo "done\n";
PHP,
];
foreach ($cases as $name => $code) {
    [$out, $status] = runtime_run_child($code, 4);
    echo "--- $name (exit status $status)\n", $out, "\n";
}
?>
--EXPECT--
--- itself (exit status 0)
yield of itself: Error
done
--- parent (exit status 0)
yield of the parent: Error
done
