--TEST--
consumer: the seed documentation's example (callable partitioner producer; consumer with partitioner_cb in its topic options, string or array topics) works with group.id added
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

// As in seed/flame_db_kafka.md, with: group.id added (required), the test
// broker and a fresh topic, auto.offset.reset=earliest (the consumer starts
// concurrently with the producer and must not miss its messages), and a
// bounded consume loop instead of while(true) (the seed also says
// $producer->consume() where it means $consumer). No flame\run(): the seed
// relies on the coroutines running when the script ends.
$topic = unique_topic();
create_topic($topic, 3);

flame\go(function () use ($topic) {
    $producer = new flame\db\kafka\producer([
        "bootstrap.servers"  => brokers(),
        "compression.codec"  => "snappy",
        "batch.num.messages" => "1000",
    ], [
        "partitioner_cb" => function ($key, $count) {
            return crc32($key) % $count;
        }
    ], $topic);
    $a = yield $producer->produce("this is a message", "this is the key");
    $b = yield $producer->produce("this is a message", "this is the key");
    echo "produced to partition ", $a->partition, " and ", $b->partition,
        ($a->partition === crc32("this is the key") % 3 ? " (crc32 % 3)" : " (NOT crc32 % 3)"), "\n";
});

foreach (['string' => $topic, 'array' => [$topic]] as $form => $topics) {
    flame\go(function () use ($form, $topics) {
        $consumer = new flame\db\kafka\consumer([
            "bootstrap.servers"  => brokers(),
            "group.id"           => unique_group(),
        ], [
            "partitioner_cb" => function ($key, $count) {
                return crc32($key) % $count;
            },
            "auto.offset.reset" => "earliest",
        ], $topics);
        $got = [];
        while (count($got) < 2) {
            $msg = yield $consumer->consume(15000);
            if ($msg === null) {
                break;
            }
            $got[] = "$msg->key => $msg";
        }
        echo "consumer ($form topics): ", count($got), " messages: ", implode(" | ", $got), "\n";
        yield $consumer->close();
    });
}
echo "script body ends\n";
?>
--EXPECTF--
script body ends
produced to partition %d and %d (crc32 % 3)
consumer (%s topics): 2 messages: this is the key => this is a message | this is the key => this is a message
consumer (%s topics): 2 messages: this is the key => this is a message | this is the key => this is a message
