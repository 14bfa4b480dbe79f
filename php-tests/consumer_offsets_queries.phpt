--TEST--
consumer: watermarks() equal the produced count, committed() after commit(), position() after consuming, offsets_for_times() picks the first record at or after a timestamp
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

use flame\db\kafka\topic_partition;

$topic = unique_topic();
create_topic($topic, 2);

flame\go(function () use ($topic) {
    $early = yield produce_to($topic, [0 => ['a0', 'a1', 'a2'], 1 => ['b0']]);
    yield flame\time\sleep(30);
    $t = (int)floor(microtime(true) * 1000);
    yield flame\time\sleep(30);
    $late = yield produce_to($topic, [0 => ['a3', 'a4'], 1 => ['b1', 'b2']]);
    echo "timestamps: early < t: ", var_export(max(array_map(fn ($m) => $m->timestamp_ms(), $early)) < $t, true),
        ", late >= t: ", var_export(min(array_map(fn ($m) => $m->timestamp_ms(), $late)) >= $t, true), "\n";

    $group = unique_group();
    $c = manual_consumer($group, ['enable.auto.commit' => false]);
    echo "watermarks p0: ", json_encode(yield $c->watermarks($topic, 0)), "\n";
    echo "watermarks p1: ", json_encode(yield $c->watermarks($topic, 1, 3000)), "\n";

    $parts = [new topic_partition($topic, 0), new topic_partition($topic, 1)];
    $r = yield $c->committed($parts);
    echo "committed before any commit: ", tps_str($r), " (", get_class($r[0]), ")\n";

    $r = yield $c->offsets_for_times([new topic_partition($topic, 0, $t), new topic_partition($topic, 1, $t)]);
    echo "offsets_for_times(t): ", tps_str($r), "\n";
    $r = yield $c->offsets_for_times([new topic_partition($topic, 0, 0)]);
    echo "offsets_for_times(0): ", tps_str($r), "\n";
    $r = yield $c->offsets_for_times([new topic_partition($topic, 0, $t + 3600 * 1000)]);
    echo "offsets_for_times(in an hour): ", tps_str($r), " (END = ", topic_partition::END, ")\n";

    // Replay from t: assign at the offsets offsets_for_times found.
    yield $c->assign(yield $c->offsets_for_times([new topic_partition($topic, 0, $t), new topic_partition($topic, 1, $t)]));
    $got = yield consume_all($c, 4, 1000);
    usort($got, fn ($x, $y) => [$x->partition, $x->offset] <=> [$y->partition, $y->offset]);
    echo "replayed from t: ", msgs_str($got), "\n";
    echo "position: ", tps_str($c->position($parts)), "\n";

    $last0 = null;
    foreach ($got as $m) {
        if ($m->partition === 0) {
            $last0 = $m;
        }
    }
    yield $c->commit($last0);
    echo "committed after commit(", $last0, "): ", tps_str(yield $c->committed($parts)), "\n";
    echo "commit(null) resolved with: ", var_export(yield $c->commit(null), true), "\n";
    echo "committed after commit(null): ", tps_str(yield $c->committed($parts, 3000)), "\n";
    echo "commit() resolved with: ", var_export(yield $c->commit(), true), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
timestamps: early < t: true, late >= t: true
watermarks p0: [0,5]
watermarks p1: [0,3]
committed before any commit: p0@-1001,p1@-1001 (flame\db\kafka\topic_partition)
offsets_for_times(t): p0@3,p1@1
offsets_for_times(0): p0@0
offsets_for_times(in an hour): p0@-1 (END = -1)
replayed from t: a3@p0/3,a4@p0/4,b1@p1/1,b2@p1/2
position: p0@5,p1@3
committed after commit(a4): p0@5,p1@-1001
commit(null) resolved with: NULL
committed after commit(null): p0@5,p1@3
commit() resolved with: NULL
