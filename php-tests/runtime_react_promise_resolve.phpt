--TEST--
React\Promise\resolve() (react/promise 3.x, Debian's package) assimilates a flame\awaitable through then(): values and failures arrive in the promise chain
--FILE--
<?php
require __DIR__ . '/inc/loops.php';
require __DIR__ . '/inc/runtime_failing.inc';
require_react_promise();
$p = React\Promise\resolve(flame\time\sleep(20));
echo "a React promise: ", var_export($p instanceof React\Promise\PromiseInterface, true), "\n";
$p->then(function ($v) { echo "resolved with ", var_export($v, true), "\n"; return "next"; })
  ->then(function ($v) { echo "chained: $v\n"; });
React\Promise\resolve(runtime_failed_now())
  ->then(function () { echo "fulfilled?!\n"; }, function (Throwable $e) { echo "rejected with ", get_class($e), " code ", $e->getCode(), "\n"; });
React\Promise\all([React\Promise\resolve(flame\time\sleep(10)), React\Promise\resolve(flame\time\sleep(30))])
  ->then(function (array $all) { echo "all: ", count($all), " values\n"; });
echo "before run()\n";
flame\run();
echo "after run()\n";
?>
--EXPECT--
a React promise: true
before run()
rejected with flame\db\kafka\exception code 10
resolved with NULL
chained: next
all: 2 values
after run()
