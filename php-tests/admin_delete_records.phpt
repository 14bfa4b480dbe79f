--TEST--
admin: delete_records moves the partition's low watermark (resolves with it; a new consumer from the beginning starts there); END deletes everything; an offset past the end is refused
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
run_co(function () use ($admin, $topic) {
    yield $admin->create_topic($topic, 1);
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    for ($i = 0; $i < 10; $i++) {
        $p->produce("m$i");
    }
    yield $p->flush();
    echo "low watermark: ", yield $admin->delete_records($topic, 0, 4), "\n";
    $msgs = yield read_topic($topic, 6);
    echo "from the beginning: ", implode(',', array_map(fn($m) => "{$m->offset}:{$m->val}", $msgs)), "\n";
    try {
        yield $admin->delete_records($topic, 0, 11);
    } catch (flame\db\kafka\exception $e) {
        echo "past the end: code ", $e->getCode(), "\n";
    }
    echo "low watermark: ", yield $admin->delete_records($topic, 0, flame\db\kafka\topic_partition::END), "\n";
    $msgs = yield read_topic($topic, 0, 1500, 4);
    echo "after deleting all: ", count($msgs), " records\n";
    try {
        yield $admin->delete_records($topic, 7, 1);
    } catch (flame\db\kafka\exception $e) {
        echo "missing partition: code ", $e->getCode(), ": ", str_replace($topic, "TOPIC", $e->getMessage()), "\n";
    }
    yield $admin->delete_topic($topic);
});
?>
--EXPECT--
low watermark: 4
from the beginning: 4:m4,5:m5,6:m6,7:m7,8:m8,9:m9
past the end: code 1
low watermark: 10
after deleting all: 0 records
missing partition: code -156: flame\db\kafka\admin::delete_records(TOPIC, 7, 1): Local: No such entry: Failed to query partition leaders: No leaders found
