--TEST--
producer: a callable partitioner_cb works on a topic that does not exist yet (auto-created by the broker)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

// The broker auto-creates topics with 3 partitions; a builtin partitioner
// copes with that (librdkafka waits for the metadata), so must a callable.
// Several fresh topics, because the failure seen was timing dependent.
const TOPICS = 8;
$ok = 0;
$errors = [];
$calls = [];
for ($i = 0; $i < TOPICS; $i++) {
    flame\go(function () use ($i, &$ok, &$errors, &$calls) {
        $p = new flame\db\kafka\producer(producer_conf(), [
            'partitioner_cb' => function ($key, $count) use (&$calls, $i) {
                $calls[$i][] = [$key, $count];
                return $count - 1;
            },
        ], unique_topic());
        try {
            $a = yield $p->produce("first", "k");
            $b = yield $p->produce("second", null);
            if ($a->partition === 2 && $b->partition === 2) {
                $ok++;
            } else {
                $errors[] = "partitions {$a->partition}, {$b->partition}";
            }
        } catch (Throwable $e) {
            $errors[] = get_class($e) . ": " . $e->getMessage();
        }
    });
}
flame\run();
echo "coroutines: $ok/", TOPICS, " fresh topics ok\n";

// the same from a plain script with ->wait()
$ok = 0;
for ($i = 0; $i < 3; $i++) {
    $p = new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => fn($key, $count) => $count - 1], unique_topic());
    try {
        $ok += $p->produce("x", "k")->wait()->partition === 2 ? 1 : 0;
    } catch (Throwable $e) {
        $errors[] = get_class($e) . ": " . $e->getMessage();
    }
}
echo "plain script: $ok/3 fresh topics ok\n";
ksort($calls);
echo "callable saw: ", json_encode(array_values(array_unique(array_map('json_encode', $calls)))), "\n";
foreach (array_unique($errors) as $e) {
    echo $e, "\n";
}
?>
--EXPECT--
coroutines: 8/8 fresh topics ok
plain script: 3/3 fresh topics ok
callable saw: ["[[\"k\",3],[null,3]]"]
