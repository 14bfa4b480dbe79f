<?php
// s10 soak endpoint: a new producer per request (SOAK_PERSISTENT=1: a `flame.persistent` one),
// one awaited produce ("a" + request id) and one fire-and-forget produce ("f" + request id, sent
// by the end-of-request flush). Answer header X-Answer: "<pid>:<offset of the awaited one>".
// A build that refuses `flame.persistent` answers 501 "not available in this build".
use flame\db\kafka\exception;
use flame\db\kafka\producer;

$global = ['bootstrap.servers' => getenv('SOAK_BROKERS')];
if (getenv('SOAK_PERSISTENT') === '1') $global['flame.persistent'] = true;
try {
    $p = new producer($global, [], getenv('SOAK_TOPIC'));
} catch (exception $e) {
    if (!str_contains($e->getMessage(), 'flame.persistent')) throw $e;
    http_response_code(501);
    echo "not available in this build: ", $e->getMessage(), "\n";
    return;
}
$id = $_SERVER['REQUEST_ID'];
$m = $p->produce("a$id")->wait();
$p->produce("f$id");
header('X-Answer: ' . getmypid() . ":$m->offset");
echo $m->offset, "\n";
