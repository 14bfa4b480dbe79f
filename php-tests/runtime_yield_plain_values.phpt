--TEST--
yield of anything that is neither an awaitable nor a Generator resumes at once with the same value
--FILE--
<?php
$object = new stdClass;
$object->name = "obj";
$closure = function () { return "a closure is a value, not a coroutine"; };
flame\go(function () use ($object, $closure) {
    var_dump(yield 42);
    var_dump(yield "text");
    var_dump(yield [1, "k" => [2]]);
    var_dump(yield null);
    var_dump(yield);
    var_dump(yield 1.5);
    var_dump(yield false);
    $same = yield $object;
    var_dump($same === $object);
    $c = yield $closure;
    var_dump($c === $closure);
    var_dump(yield "key" => "value with a key");
    $t0 = hrtime(true);
    for ($i = 0; $i < 10000; $i++) {
        $v = yield $i;
        if ($v !== $i) { echo "wrong value at $i\n"; }
    }
    $ms = (hrtime(true) - $t0) / 1e6;
    echo $ms < 1000 ? "10000 plain yields at once\n" : "10000 plain yields took $ms ms\n";
});
flame\run();
?>
--EXPECT--
int(42)
string(4) "text"
array(2) {
  [0]=>
  int(1)
  ["k"]=>
  array(1) {
    [0]=>
    int(2)
  }
}
NULL
NULL
float(1.5)
bool(false)
bool(true)
bool(true)
string(16) "value with a key"
10000 plain yields at once
