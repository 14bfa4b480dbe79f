<?php
/*
 * Child of scenario 2: consumes $topic in group $group with
 * enable.auto.commit=false; for each message: "process" it (append
 * "partition:offset:value" to $log, flushed; then 2 ms more of "work"), then
 * commit it and wait for the coordinator. Runs until killed, or ($idle_exit_s > 0) until no message came
 * for that long after the first one (or 90 s without any).
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

[, $topic, $group, $log, $idle_exit_s] = $argv;
$idle_exit_s = (int)$idle_exit_s;
$c = new flame\db\kafka\consumer(cconf($group, [
    'enable.auto.commit' => false,
    'session.timeout.ms' => 6000,
    'heartbeat.interval.ms' => 500,
]), ['auto.offset.reset' => 'earliest'], $topic);
$f = fopen($log, 'a');
flame\go(function () use ($c, $f, $idle_exit_s) {
    $t0 = microtime(true);
    $last = null;
    while (true) {
        $m = yield $c->consume(1000);
        if ($m === null) {
            if ($idle_exit_s > 0 && (($last !== null && microtime(true) - $last > $idle_exit_s) || microtime(true) - $t0 > 90)) {
                break;
            }
            continue;
        }
        $last = microtime(true);
        fwrite($f, "{$m->partition}:{$m->offset}:{$m->val}\n");   // the side effect of processing
        fflush($f);
        yield flame\time\sleep(2);                                    // the rest of the processing
        yield $c->commit($m);
    }
    yield $c->close();
});
flame\run();
