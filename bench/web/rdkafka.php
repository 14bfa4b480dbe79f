<?php
// bench-web endpoint, php-rdkafka 6 (the peer): a new producer per request, produce() + flush(),
// the offset from the delivery report callback -- as php-rdkafka's users write it.
$conf = new RdKafka\Conf();
$conf->set('bootstrap.servers', getenv('BENCH_BROKERS'));
$offset = null;
$error = null;
$conf->setDrMsgCb(function (RdKafka $kafka, RdKafka\Message $m) use (&$offset, &$error) {
    if ($m->err) $error = $m->errstr(); else $offset = $m->offset;
});
$producer = new RdKafka\Producer($conf);
$topic = $producer->newTopic(getenv('BENCH_TOPIC'));
$topic->produce(RD_KAFKA_PARTITION_UA, 0, $_SERVER['REQUEST_ID']);
$rc = $producer->flush(10000);
if ($rc !== RD_KAFKA_RESP_ERR_NO_ERROR || $offset === null) {
    http_response_code(500);
    echo "not delivered: ", $error ?? rd_kafka_err2str($rc), "\n";
    return;
}
echo $offset, "\n";
