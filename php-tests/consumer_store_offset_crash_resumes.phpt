--TEST--
consumer: store_offset() + auto-commit: a consumer killed after storing m5 but receiving m9 resumes after m5 (at-least-once)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

use flame\db\kafka\topic_partition;

$topic = unique_topic();
create_topic($topic, 1);
$group = unique_group();
$vals = [];
for ($i = 0; $i < 10; $i++) {
    $vals[] = "m$i";
}
run_co(fn () => produce_to($topic, [0 => $vals]));

// The child receives all ten, stores the offsets of m0..m5 only, lets
// auto-commit run, then dies by SIGKILL (no close, no final commit).
$child = <<<'PHP'
<?php
$c = new flame\db\kafka\consumer(
    ['bootstrap.servers' => getenv('KAFKA_BROKERS'), 'group.id' => getenv('T_GROUP'),
     'enable.auto.offset.store' => false, 'auto.commit.interval.ms' => 100],
    ['auto.offset.reset' => 'earliest'],
    getenv('T_TOPIC')
);
flame\go(function () use ($c) {
    $got = [];
    while (count($got) < 10) {
        $m = yield $c->consume(15000);
        if ($m === null) { echo "child: timeout\n"; exit(1); }
        $got[] = $m->val;
        if ($m->offset <= 5) {
            $c->store_offset($m);
        }
    }
    echo "child received: ", implode(',', $got), "\n";
    yield flame\time\sleep(1500);   // several auto-commit intervals
    echo "child: killing itself\n";
    exec('kill -9 ' . getmypid());
    sleep(10);
    echo "child: still alive\n";
});
PHP;
putenv("T_GROUP=$group");
putenv("T_TOPIC=$topic");
[$rc, $out, $err] = run_child_php($child);
echo $out;
// proc_get_status() reports -1 for a process ended by a signal.
echo "child exit code: $rc, stderr: ", var_export(trim($err), true), "\n";

flame\go(function () use ($topic, $group) {
    // A member of the same group with a manual assignment reads the
    // committed offset without waiting for the dead member's session to end.
    $c = manual_consumer($group);
    echo "committed: ", tps_str(yield $c->committed([new topic_partition($topic, 0)])), "\n";
    yield $c->assign([new topic_partition($topic, 0, topic_partition::STORED)]);
    $rest = yield consume_all($c, 4, 1000);
    echo "the next consumer resumes with: ", implode(',', array_map(fn ($m) => "$m@$m->offset", $rest)), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
child received: m0,m1,m2,m3,m4,m5,m6,m7,m8,m9
child: killing itself
child exit code: -1, stderr: ''
committed: p0@6
the next consumer resumes with: m6@6,m7@7,m8@8,m9@9
