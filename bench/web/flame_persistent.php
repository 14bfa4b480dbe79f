<?php
// bench-web endpoint, flame_kafka with a persistent producer (SPEC §4 `flame.persistent`): the
// client outlives the request and the next request of this worker reuses it. When the build does
// not know the option yet, the answer is 501 "not available in this build" (bench/web.php prints it).
use flame\db\kafka\exception;
use flame\db\kafka\producer;

try {
    $p = new producer(['bootstrap.servers' => getenv('BENCH_BROKERS'), 'flame.persistent' => true], [], getenv('BENCH_TOPIC'));
} catch (exception $e) {
    if (!str_contains($e->getMessage(), 'flame.persistent')) throw $e;
    http_response_code(501);
    echo "not available in this build: ", $e->getMessage(), "\n";
    return;
}
$m = $p->produce($_SERVER['REQUEST_ID'])->wait();
echo $m->offset, "\n";
