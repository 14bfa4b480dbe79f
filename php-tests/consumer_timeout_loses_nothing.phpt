--TEST--
consumer: consume() calls that time out (tiny timeouts, several coroutines) never swallow a message
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

const N = 500;
$topic = unique_topic();
create_topic($topic, 3);
$got = [];
$nulls = 0;
$errors = [];
flame\go(function () use ($topic) {
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    for ($i = 0; $i < N; $i++) {
        $p->produce("m$i", "k$i");
        if ($i % 50 === 0) {
            yield flame\time\sleep(37);   // messages trickle in while consumers time out
        }
    }
    yield $p->flush();
});
$c = earliest_consumer($topic);
for ($w = 0; $w < 3; $w++) {
    flame\go(function () use ($c, $w, &$got, &$nulls, &$errors) {
        $t0 = microtime(true);
        while (count($got) < N && microtime(true) - $t0 < 15) {
            try {
                $m = yield $c->consume(1 + 7 * $w);   // 1, 8, 15 ms
            } catch (Throwable $e) {
                $errors[] = get_class($e) . ": " . $e->getMessage();
                continue;
            }
            if ($m === null) {
                $nulls++;
                continue;
            }
            $got[] = $m->val;
        }
    });
}
flame\run();
echo "received: ", count($got), ", distinct: ", count(array_unique($got)), "\n";
echo "some consume() calls timed out: ", var_export($nulls > 0, true), "\n";
echo "errors: ", $errors ? implode("; ", array_unique($errors)) : "none", "\n";
$c->close()->wait();
?>
--EXPECT--
received: 500, distinct: 500
some consume() calls timed out: true
errors: none
