--TEST--
consumer: bad arguments to assign/seek/pause/resume/committed/position/watermarks/offsets_for_times/store_offset/commit and rebalance_cb are a TypeError/ValueError naming them, librdkafka's refusals a flame\db\kafka\exception with its reason
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

use flame\db\kafka\topic_partition;

$topic = unique_topic();
create_topic($topic, 1);
$m = manual_consumer();
$sub = earliest_consumer($topic);
$other = manual_consumer();
$tp = new topic_partition($topic, 0, topic_partition::BEGINNING);

function show(string $what, callable $fn): void
{
    try {
        $r = $fn();
        if ($r instanceof flame\awaitable) {
            $r = $r->wait();
        }
        echo "$what: ok ", json_encode($r), "\n";
    } catch (Throwable $e) {
        echo "$what: ", describe($e), " [", $e->getCode(), "]\n";
    }
}

show('rebalance_cb not callable', fn () => earliest_consumer($topic, null, ['rebalance_cb' => 'no_such_function']));
show('rebalance_cb array', fn () => earliest_consumer($topic, null, ['rebalance_cb' => [1, 2]]));
show('assign string', fn () => $m->assign('x'));
show('assign [1]', fn () => $m->assign([1]));
show('assign on a subscribed consumer', fn () => $sub->assign([$tp]));
show('seek offset -3', fn () => $m->seek($topic, 0, -3));
show('seek partition -1', fn () => $m->seek($topic, -1, 0));
show('seek empty topic', fn () => $m->seek('', 0, 0));
show('seek timeout -1', fn () => $m->seek($topic, 0, 0, -1));
show('seek unassigned partition', fn () => $m->seek($topic, 0, 0, 1000));
show('pause [stdClass]', fn () => $m->pause([new stdClass()]));
show('pause unassigned', fn () => $m->pause([$tp]));
show('resume unassigned', fn () => $m->resume([$tp]));
show('committed ["x"]', fn () => $m->committed(['x']));
show('committed timeout -1', fn () => $m->committed([$tp], -1));
show('position [null]', fn () => $m->position([null]));
show('watermarks partition 2^31', fn () => $m->watermarks($topic, 2147483648));
show('watermarks NUL topic', fn () => $m->watermarks("a\0b", 0));
show('watermarks unknown partition', fn () => $m->watermarks($topic, 7, 2000));
show('offsets_for_times [1.5]', fn () => $m->offsets_for_times([1.5]));
show('store_offset "x"', fn () => $m->store_offset('x'));
show('commit 42', fn () => $m->commit(42));
show('commit(null), nothing consumed', fn () => $m->commit(null));

// Messages: one received by another consumer; store_offset with the automatic store on.
run_co(fn () => produce_to($topic, [0 => ['a']]));
$m->assign([$tp])->wait();
$msg = $m->consume(10000)->wait();
echo "received: $msg\n";
show('store_offset of another consumer\'s message', fn () => $other->store_offset($msg));
show('commit of another consumer\'s message', fn () => $other->commit($msg));
show('store_offset with enable.auto.offset.store=true', fn () => $m->store_offset($msg));
show('pause assigned', fn () => $m->pause([$tp]));
show('resume assigned', fn () => $m->resume([$tp]));
$m->close()->wait();
show('assignment after close', fn () => $m->assignment());
show('seek after close', fn () => $m->seek($topic, 0, 0));
$sub->close()->wait();
$other->close()->wait();
?>
--EXPECTF--
rebalance_cb not callable: TypeError: flame\db\kafka\consumer::__construct(): Argument #1 ($global_opt) option "rebalance_cb" must be a valid callback (function(string $kind, array $partitions): void), string given [0]
rebalance_cb array: TypeError: flame\db\kafka\consumer::__construct(): Argument #1 ($global_opt) option "rebalance_cb" must be a valid callback (function(string $kind, array $partitions): void), array given [0]
assign string: TypeError: flame\db\kafka\consumer::assign(): Argument #1 ($partitions) must be of type array, string given [0]
assign [1]: TypeError: flame\db\kafka\consumer::assign(): Argument #1 ($partitions) must contain only flame\db\kafka\topic_partition objects, int given [0]
assign on a subscribed consumer: flame\db\kafka\exception: flame\db\kafka\consumer::assign(): this consumer subscribed to topics; assign() is for a consumer constructed with $topics = [] [-172]
seek offset -3: ValueError: flame\db\kafka\consumer::seek(): Argument #3 ($offset) must be an offset (>= 0) or topic_partition::BEGINNING (-2) or END (-1), -3 given [0]
seek partition -1: ValueError: flame\db\kafka\consumer::seek(): Argument #2 ($partition) must be between 0 and 2147483647, -1 given [0]
seek empty topic: ValueError: flame\db\kafka\consumer::seek(): Argument #1 ($topic) cannot be empty [0]
seek timeout -1: ValueError: flame\db\kafka\consumer::seek(): Argument #4 ($timeout_ms) must be greater than or equal to 0 [0]
seek unassigned partition: flame\db\kafka\exception: seek(%s [0], 0) failed: %s [-190]
pause [stdClass]: TypeError: flame\db\kafka\consumer::pause(): Argument #1 ($partitions) must contain only flame\db\kafka\topic_partition objects, stdClass given [0]
pause unassigned: flame\db\kafka\exception: flame\db\kafka\consumer::pause(): %s [0] is not assigned to this consumer [-190]
resume unassigned: flame\db\kafka\exception: flame\db\kafka\consumer::resume(): %s [0] is not assigned to this consumer [-190]
committed ["x"]: TypeError: flame\db\kafka\consumer::committed(): Argument #1 ($partitions) must contain only flame\db\kafka\topic_partition objects, string given [0]
committed timeout -1: ValueError: flame\db\kafka\consumer::committed(): Argument #2 ($timeout_ms) must be greater than or equal to 0 [0]
position [null]: TypeError: flame\db\kafka\consumer::position(): Argument #1 ($partitions) must contain only flame\db\kafka\topic_partition objects, null given [0]
watermarks partition 2^31: ValueError: flame\db\kafka\consumer::watermarks(): Argument #2 ($partition) must be between 0 and 2147483647, 2147483648 given [0]
watermarks NUL topic: ValueError: flame\db\kafka\consumer::watermarks(): Argument #1 ($topic) must not contain NUL bytes [0]
watermarks unknown partition: flame\db\kafka\exception: watermarks(%s [7]) failed: %s [-190]
offsets_for_times [1.5]: TypeError: flame\db\kafka\consumer::offsets_for_times(): Argument #1 ($partitions) must contain only flame\db\kafka\topic_partition objects, float given [0]
store_offset "x": TypeError: flame\db\kafka\consumer::store_offset(): Argument #1 ($msg) must be of type flame\db\kafka\message, string given [0]
commit 42: TypeError: flame\db\kafka\consumer::commit(): Argument #1 ($msg) must be of type flame\db\kafka\message, int given [0]
commit(null), nothing consumed: ok null
received: a
store_offset of another consumer's message: flame\db\kafka\exception: flame\db\kafka\consumer::store_offset(): this message was not received by this consumer [-186]
commit of another consumer's message: flame\db\kafka\exception: flame\db\kafka\consumer::commit(): this message was not received by this consumer [-186]
store_offset with enable.auto.offset.store=true: flame\db\kafka\exception: flame\db\kafka\consumer::store_offset(): cannot store the offset of %s [0] @ 0: %s [-186]
pause assigned: ok null
resume assigned: ok null
assignment after close: flame\db\kafka\exception: this consumer is closed [-172]
seek after close: flame\db\kafka\exception: this consumer is closed [-172]
