--TEST--
admin: requests of several coroutines run at once on one admin (each on its own worker), each settles its own awaitable
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
$base = unique_topic('adm');
$lines = [];
for ($i = 1; $i <= 5; $i++) {
    flame\go(function () use ($admin, $base, $i, &$lines) {
        yield $admin->create_topic("{$base}_$i", $i);
        $md = yield $admin->metadata("{$base}_$i");
        $lines[] = "topic $i: " . count($md['topics']["{$base}_$i"]['partitions']) . " partitions";
        yield $admin->delete_topic("{$base}_$i");
        return null;
    });
}
flame\go(function () use ($admin, &$lines) {
    $groups = yield $admin->list_groups();
    $lines[] = "list_groups meanwhile: " . (array_is_list($groups) ? 'a list' : get_debug_type($groups));
});
flame\run();
sort($lines);
echo implode("\n", $lines), "\n";
$md = $admin->metadata()->wait();
$left = array_filter(array_keys($md['topics']), fn($t) => str_starts_with((string)$t, $base));
echo "left after delete: ", count($left), "\n";
?>
--EXPECT--
list_groups meanwhile: a list
topic 1: 1 partitions
topic 2: 2 partitions
topic 3: 3 partitions
topic 4: 4 partitions
topic 5: 5 partitions
left after delete: 0
