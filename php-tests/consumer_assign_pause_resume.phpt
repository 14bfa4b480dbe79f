--TEST--
consumer: $topics = [] and assign() of two partitions out of three consumes only those; pause() one of them: nothing from it while paused, all of it after resume(), in order
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

use flame\db\kafka\topic_partition;

$topic = unique_topic();
create_topic($topic, 3);

flame\go(function () use ($topic) {
    yield produce_to($topic, [0 => ['a0', 'a1', 'a2'], 1 => ['b0', 'b1', 'b2'], 2 => ['c0', 'c1', 'c2']]);
    $c = manual_consumer();
    echo "assignment before: ", parts_str($c->assignment()), "\n";
    $r = yield $c->assign([new topic_partition($topic, 0, topic_partition::BEGINNING), new topic_partition($topic, 2, topic_partition::BEGINNING)]);
    echo "assign resolved with: ", var_export($r, true), "\n";
    $a = $c->assignment();
    echo "assignment: ", parts_str($a), " (", get_class($a[0]), ")\n";
    $got = yield consume_all($c, 6, 1000);
    usort($got, fn ($x, $y) => [$x->partition, $x->offset] <=> [$y->partition, $y->offset]);
    echo "consumed: ", msgs_str($got), "\n";

    // Pause partition 0; produce more to both assigned partitions.
    $c->pause([new topic_partition($topic, 0)]);
    yield produce_to($topic, [0 => ['a3', 'a4', 'a5'], 2 => ['c3', 'c4']]);
    $got = yield consume_all($c, 2, 2000);
    echo "while p0 paused: ", msgs_str($got), "\n";
    $c->resume([new topic_partition($topic, 0)]);
    $got = yield consume_all($c, 3, 1000);
    echo "after resume: ", msgs_str($got), "\n";

    // Pause while a coroutine waits in consume(): it gets nothing from the
    // paused partition; after resume it gets the record.
    $c->pause([new topic_partition($topic, 0), new topic_partition($topic, 2)]);
    $waiter = null;
    flame\go(function () use ($c, &$waiter) {
        $m = yield $c->consume(6000);
        $waiter = $m === null ? 'null' : "$m->val@p$m->partition/$m->offset";
    });
    yield produce_to($topic, [0 => ['a6']]);
    yield flame\time\sleep(1500);
    echo "waiter while both paused: ", var_export($waiter, true), "\n";
    $c->resume([new topic_partition($topic, 0), new topic_partition($topic, 2)]);
    while ($waiter === null) {
        yield flame\time\sleep(50);
    }
    echo "waiter after resume: $waiter\n";

    yield $c->assign([]);
    echo "assignment after assign([]): ", parts_str($c->assignment()), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
assignment before: (none)
assign resolved with: NULL
assignment: 0,2 (flame\db\kafka\topic_partition)
consumed: a0@p0/0,a1@p0/1,a2@p0/2,c0@p2/0,c1@p2/1,c2@p2/2
while p0 paused: c3@p2/3,c4@p2/4
after resume: a3@p0/3,a4@p0/4,a5@p0/5
waiter while both paused: NULL
waiter after resume: a6@p0/6
assignment after assign([]): (none)
