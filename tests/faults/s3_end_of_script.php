<?php
/*
 * Scenario 3: the script ends with messages in flight and no flush(), in
 * several ways (normal end, exit(), uncaught exception, fatal error, out of
 * memory; at top level, inside a coroutine, in the auto-run), each in a child
 * PHP. What the child reported as sent must all be consumable.
 * Then the same against an unreachable broker with
 * flame_kafka.shutdown_timeout_ms=1000: exactly one warning with the count of
 * undelivered messages, and the child ends within the bound.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$n = (int)($argv[1] ?? 5000);
$topic = unique_name('end');
create_topic($topic, 3);

$variants = ['top-normal', 'top-exit', 'top-exit3', 'top-exception', 'top-fatal', 'top-oom', 'top-unset',
    'co-normal', 'co-exit', 'co-exception', 'co-fatal', 'autorun-normal', 'autorun-exit', 'autorun-exception', 'autorun-fatal',
    'shutdown-exit', 'shutdown-throw', 'destructor-normal', 'destructor-fatal'];
$sent = [];
$ok = true;
$problems = [];
printf("  %-20s %-10s %6s %s\n", 'variant', 'ended', 'sent', 'stderr (first line)');
foreach ($variants as $v) {
    $r = run_child(__DIR__ . '/s3_end_child.php', [faults_brokers(), $topic, $n, $v], [], 60.0);
    $sent[$v] = preg_match('/^SENT (\d+)$/m', $r['out'], $m) ? (int)$m[1] : 0;
    $err = trim($r['err']);
    printf("  %-20s %-10s %6d %s\n", $v, child_end($r), $sent[$v], strtok($err === '' ? '-' : $err, "\n"));
    if ($r['signal'] || $r['timed_out']) {
        $ok = false;
        $problems[] = "$v: " . child_end($r);
    }
    if (stripos($err, 'could not be delivered') !== false || stripos($err, 'lost') !== false) {
        $ok = false;
        $problems[] = "$v: warned of loss";
    }
    if ($sent[$v] !== $n) {
        $ok = false;
        $problems[] = "$v: reported $sent[$v] sent";
    }
}

$found = array_fill_keys($variants, 0);
$dups = 0;
$seen = [];
drain_topic_sync($topic, array_sum($sent), function ($m) use (&$found, &$seen, &$dups) {
    [$v] = explode(':', $m->val, 2);
    if (isset($seen[$m->val])) {
        $dups++;
    }
    $seen[$m->val] = true;
    $found[$v] = ($found[$v] ?? 0) + 1;
}, 3000, 120.0);
printf("  %-20s %6s %6s %6s\n", 'variant', 'sent', 'found', 'lost');
foreach ($variants as $v) {
    $lost = $sent[$v] - $found[$v];
    printf("  %-20s %6d %6d %6d\n", $v, $sent[$v], $found[$v], $lost);
    if ($lost !== 0) {
        $ok = false;
        $problems[] = "$v: lost $lost";
    }
}
figure('duplicates', $dups);

// Unreachable broker: one warning with the count, within the bound.
$bound_ms = 1000;
$m = 100;
echo "  unreachable broker, flame_kafka.shutdown_timeout_ms=$bound_ms, $m messages:\n";
printf("  %-20s %-10s %8s %s\n", 'variant', 'ended', 'secs', 'warnings');
foreach (['top-normal', 'top-exit', 'top-exception', 'top-fatal', 'top-unset', 'co-normal', 'co-exit', 'autorun-normal', 'shutdown-exit', 'destructor-normal'] as $v) {
    $r = run_child(__DIR__ . '/s3_end_child.php', ['127.0.0.1:1', unique_name('unreach'), $m, $v],
        ['flame_kafka.shutdown_timeout_ms' => $bound_ms], 30.0);
    $all = $r['out'] . $r['err'];
    $warnings = preg_match_all('/Warning: .*could not be delivered.*/', $all, $w);
    $counted = preg_match_all("/Warning: .*\\b$m message\\(s\\).*could not be delivered/", $all);
    $other_warnings = preg_match_all('/Warning: /', $all) - $warnings;
    printf("  %-20s %-10s %8.2f %d (with the count %d: %d, other warnings: %d)\n", $v, child_end($r), $r['secs'], $warnings, $m, $counted, $other_warnings);
    // bound: the flush waits shutdown_timeout_ms; allow 1.5 s for PHP's own start and exit
    $within = $r['secs'] < $bound_ms / 1000 + 1.5;
    if ($warnings !== 1 || $counted !== 1 || !$within || $r['signal'] || $r['timed_out']) {
        $ok = false;
        $problems[] = "unreachable $v: warnings=$warnings counted=$counted secs=" . round($r['secs'], 2) . ' ' . child_end($r);
        if ($other_warnings || $warnings !== 1) {
            echo '    output: ', str_replace("\n", "\n    ", trim($all)), "\n";
        }
    }
}
result($ok, $ok ? 'nothing lost in ' . count($variants) . ' endings; one warning with the count, within the bound'
    : implode('; ', $problems));
