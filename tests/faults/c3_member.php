<?php
/*
 * One member of the consumer group of cluster scenario c3 (c3_group_kill.php).
 *   php c3_member.php TOPIC GROUP VARIANT OUT_FILE STOP_FILE INSTANCE
 * VARIANT: classic (range assignor) | cooperative-sticky | consumer (KIP-848).
 * For every message it "processes" it by appending "P partition offset i" to
 * OUT_FILE (then the time), and commits (enable.auto.commit=false) the latest message of a
 * partition after every 20 of that partition, and all of them when idle;
 * each commit that resolved is "C partition next_offset time", one that failed
 * "F partition next_offset code". Ends (close) once STOP_FILE exists.
 * The parent kills it with -9 at any moment: what was written stays written.
 */
declare(strict_types=1);
require __DIR__ . '/cluster_lib.php';

[, $topic, $group, $variant, $out_file, $stop_file, $instance] = $argv;
$conf = ['enable.auto.commit' => false, 'client.id' => $instance];
if ($variant === 'consumer') {
    $conf['group.protocol'] = 'consumer';
} else {
    $conf['partition.assignment.strategy'] = $variant === 'classic' ? 'range' : $variant;
    $conf['session.timeout.ms'] = 6000;
    $conf['heartbeat.interval.ms'] = 1000;
}
$out = fopen($out_file, 'a');

flame\go(function () use ($topic, $group, $conf, $out, $stop_file) {
    $c = new flame\db\kafka\consumer(cconf($group, $conf), ['auto.offset.reset' => 'earliest'], $topic);
    $latest = [];     // partition => last processed message not yet committed
    $since = [];      // partition => messages since the last commit
    $commit = function (flame\db\kafka\message $m) use ($c, $out): Generator {
        try {
            yield $c->commit($m);
            fwrite($out, "C {$m->partition} " . ($m->offset + 1) . ' ' . microtime(true) . "\n");
        } catch (flame\db\kafka\exception $e) {
            fwrite($out, "F {$m->partition} " . ($m->offset + 1) . " {$e->getCode()}\n");
        }
    };
    while (true) {
        try {
            $m = yield $c->consume(500);
        } catch (flame\db\kafka\exception $e) {
            fwrite($out, "E {$e->getCode()} {$e->getMessage()}\n");
            continue;
        }
        if ($m === null) {
            foreach ($latest as $pt => $lm) {
                yield $commit($lm);
            }
            $latest = $since = [];
            if (file_exists($stop_file)) {
                break;
            }
            continue;
        }
        fwrite($out, "P {$m->partition} {$m->offset} " . substr($m->val, 1) . ' ' . microtime(true) . "\n");
        $latest[$m->partition] = $m;
        $since[$m->partition] = ($since[$m->partition] ?? 0) + 1;
        if ($since[$m->partition] >= 20) {
            yield $commit($m);
            unset($latest[$m->partition], $since[$m->partition]);
        }
    }
    yield $c->close();
});
flame\run();
fwrite($out, "END\n");
