<?php
// bench-web endpoint, flame_kafka: a new producer per request, one message acknowledged, its offset
// as the answer -- the way a PHP developer writes it in a plain (synchronous) php-fpm script.
// Payload: nginx's $request_id, so bench/web.php can match the topic against the access log.
use flame\db\kafka\producer;

$p = new producer(['bootstrap.servers' => getenv('BENCH_BROKERS')], [], getenv('BENCH_TOPIC'));
$m = $p->produce($_SERVER['REQUEST_ID'])->wait();
echo $m->offset, "\n";
