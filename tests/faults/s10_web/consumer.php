<?php
// s10 soak endpoint: a new consumer per request -- join this worker's group, consume one message,
// commit it, close. Answer header X-Answer: "<pid>:<partition>:<offset>" (the soak checks, per
// worker, that the answered offsets are 0, 1, 2, ... with no gap and no repeat).
use flame\db\kafka\consumer;

$c = new consumer(['bootstrap.servers' => getenv('SOAK_BROKERS'), 'group.id' => getenv('SOAK_GROUP') . '-' . getmypid(),
    'enable.auto.commit' => 'false'], ['auto.offset.reset' => 'earliest'], getenv('SOAK_TOPIC'));
$m = $c->consume(20000)->wait();
if ($m === null) {
    http_response_code(504);
    echo "no message in 20 s\n";
    return;
}
$c->commit($m)->wait();
$c->close()->wait();
header('X-Answer: ' . getmypid() . ":$m->partition:$m->offset");
echo "$m->partition:$m->offset\n";
