--TEST--
consumer: seek() to an offset, to BEGINNING and to END makes that the next record; a seek while another coroutine waits in consume() redirects that waiter
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

use flame\db\kafka\topic_partition;

$topic = unique_topic();
create_topic($topic, 1);

flame\go(function () use ($topic) {
    $vals = [];
    for ($i = 0; $i < 10; $i++) {
        $vals[] = "m$i";
    }
    yield produce_to($topic, [0 => $vals]);
    $c = manual_consumer();
    yield $c->assign([new topic_partition($topic, 0, topic_partition::BEGINNING)]);
    $all = yield consume_all($c, 10, 500);
    echo "first pass: ", implode(',', array_map('strval', $all)), "\n";

    echo "seek(3) resolved with: ", var_export(yield $c->seek($topic, 0, 3), true), "\n";
    $m = yield $c->consume(5000);
    echo "after seek(3): $m@$m->offset\n";
    $m = yield $c->consume(5000);
    echo "then: $m@$m->offset\n";

    yield $c->seek($topic, 0, topic_partition::BEGINNING);
    $m = yield $c->consume(5000);
    echo "after seek(BEGINNING): $m@$m->offset\n";

    yield $c->seek($topic, 0, topic_partition::END);
    echo "after seek(END), nothing new: ", var_export(yield $c->consume(700), true), "\n";
    yield produce_to($topic, [0 => ['m10']]);
    $m = yield $c->consume(5000);
    echo "after seek(END) and one more produced: $m@$m->offset\n";

    // A waiter in consume() at the end of the partition; another coroutine seeks back.
    $waiter = null;
    flame\go(function () use ($c, &$waiter) {
        $m = yield $c->consume(10000);
        $waiter = $m === null ? 'null' : "$m@$m->offset";
    });
    yield flame\time\sleep(300);
    echo "waiter before the seek: ", var_export($waiter, true), "\n";
    yield $c->seek($topic, 0, 5);
    while ($waiter === null) {
        yield flame\time\sleep(20);
    }
    echo "waiter after seek(5) by another coroutine: $waiter\n";
    $rest = yield consume_all($c, 5, 500);
    echo "the rest: ", implode(',', array_map(fn ($m) => "$m@$m->offset", $rest)), "\n";
    yield $c->close();
});
flame\run();
?>
--EXPECT--
first pass: m0,m1,m2,m3,m4,m5,m6,m7,m8,m9
seek(3) resolved with: NULL
after seek(3): m3@3
then: m4@4
after seek(BEGINNING): m0@0
after seek(END), nothing new: NULL
after seek(END) and one more produced: m10@10
waiter before the seek: NULL
waiter after seek(5) by another coroutine: m5@5
the rest: m6@6,m7@7,m8@8,m9@9,m10@10
