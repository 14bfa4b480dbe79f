<?php
/*
 * Scenario 2: a consumer that commits after processing (enable.auto.commit =
 * false) is killed with SIGKILL mid-stream; a restarted consumer of the same
 * group reads the rest. PASS iff no message is missed (at-least-once); the
 * number of messages processed twice (redelivered) is printed.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$total = (int)($argv[1] ?? 8000);
$kill_after = (int)($argv[2] ?? 3000);
$topic = unique_name('crash');
$group = unique_name('crashgroup');
create_topic($topic, 3);

// produce the stream
$p = new flame\db\kafka\producer(pconf(['linger.ms' => 5]), [], $topic);
for ($i = 0; $i < $total; $i++) {
    $p->produce("v$i", "k$i");
}
$p->flush(60000)->wait();
unset($p);

$log1 = faults_tmp() . "/s2_first.$group.log";
$log2 = faults_tmp() . "/s2_second.$group.log";
@unlink($log1);
@unlink($log2);

// first consumer: killed with SIGKILL after $kill_after processed messages
$cmd = php_cmd(__DIR__ . '/s2_consumer_child.php', [$topic, $group, $log1, 0]);
$proc = proc_open('exec ' . $cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', faults_tmp() . '/s2_first.out', 'w'], 2 => ['file', faults_tmp() . '/s2_first.err', 'w']], $pipes);
$t0 = microtime(true);
$lines = static fn(string $f): int => is_file($f) ? substr_count((string)file_get_contents($f), "\n") : 0;
while ($lines($log1) < $kill_after && microtime(true) - $t0 < 120) {
    usleep(20000);
}
proc_terminate($proc, 9);
$st = proc_get_status($proc);
while ($st['running']) {
    usleep(10000);
    $st = proc_get_status($proc);
}
proc_close($proc);
$first_secs = microtime(true) - $t0;
echo '  first consumer killed by signal ', $st['termsig'] ?? '?', ' after ', $lines($log1), " processed messages\n";

// second consumer of the same group: reads the rest
$t1 = microtime(true);
$r = run_child(__DIR__ . '/s2_consumer_child.php', [$topic, $group, $log2, 8], [], 180.0);
$second_secs = microtime(true) - $t1;

$read = static function (string $f): array {
    $out = [];
    foreach (file($f, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $l) {
        [, , $v] = explode(':', $l, 3);
        $out[] = (int)substr($v, 1);
    }
    return $out;
};
$a = $read($log1);
$b = $read($log2);
$seen = array_fill(0, $total, 0);
$in_a = array_fill(0, $total, false);
foreach ($a as $i) {
    $seen[$i]++;
    $in_a[$i] = true;
}
$redelivered = 0;
foreach ($b as $i) {
    $seen[$i]++;
    if ($in_a[$i]) {
        $redelivered++;
    }
}
$missed = 0;
$twice_in_one = 0;
for ($i = 0; $i < $total; $i++) {
    if ($seen[$i] === 0) {
        $missed++;
    }
}
$twice_in_one = (count($a) - count(array_unique($a))) + (count($b) - count(array_unique($b)));
figure('produced', $total);
figure('processed before the kill', count($a));
figure('processed after the restart', count($b));
figure('redelivered (processed twice)', $redelivered);
figure('duplicates within one consumer', $twice_in_one);
figure('missed', $missed);
figure('second consumer ended', child_end($r));
figure('second consumer wall time (s)', $second_secs);
if (trim($r['err']) !== '') {
    echo "  second consumer stderr:\n    ", str_replace("\n", "\n    ", trim($r['err'])), "\n";
}
$ok = $missed === 0 && count($a) >= $kill_after && !$r['signal'] && $r['status'] === 0;
result($ok, $ok ? "nothing missed, $redelivered redelivered" : "missed=$missed processed_first=" . count($a) . ' second: ' . child_end($r));
@unlink($log1);
@unlink($log2);
