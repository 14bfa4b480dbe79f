--TEST--
producer: a callable partitioner_cb sees the new partition count after the topic grows (refreshed with topic.metadata.refresh.interval.ms)
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic();
create_topic($topic, 2);
$seen = [];
$p = new flame\db\kafka\producer(
    producer_conf(['topic.metadata.refresh.interval.ms' => 1000]),
    ['partitioner_cb' => function (?string $key, int $count) use (&$seen) {
        $seen[] = $count;
        return $count - 1;               // always the last partition
    }],
    $topic
);
$m = $p->produce("before", "k")->wait();
echo "before growth: count ", end($seen), ", delivered to partition {$m->partition}\n";

grow_topic($topic, 4);
$deadline = microtime(true) + 15;
do {
    usleep(300000);
    $m = $p->produce("after", "k")->wait();
} while (end($seen) !== 4 && microtime(true) < $deadline);
echo "after growth: count ", end($seen), ", delivered to partition {$m->partition}\n";
?>
--EXPECT--
before growth: count 2, delivered to partition 1
after growth: count 4, delivered to partition 3
