<?php
/*
 * Cluster scenario c3 (CLUSTER.md): a consumer group of three PHP processes
 * (c3_member.php) on a 6-partition topic (RF 3) holding 100,000 messages; every
 * KILL_EVERY (8) seconds, and whenever another 1/(MAX_KILLS+1) of the messages
 * has been processed, one member (in turn) is killed with -9 and started again
 * at once, MAX_KILLS (8) times or until every message has been processed; then
 * the group finishes the rest. (A kill every 5 s kept a classic group
 * rebalancing without end here: a restarted PHP member needs several seconds
 * to join, the dead one 6 s to expire.)
 *   php c3_group_kill.php VARIANT [TOTAL] [KILL_EVERY] [MAX_KILLS]
 * VARIANT: classic (range) | cooperative-sticky | consumer (group.protocol=consumer, KIP-848).
 * Members commit after processing (see c3_member.php), so a message can be
 * processed twice only when it was processed and not yet committed by a member
 * that then died (in flight at a kill) or lost the partition in a rebalance.
 * PASS iff every message was processed at least once and every duplicate is
 * one of those (none after a commit that covered it).
 */
declare(strict_types=1);
require __DIR__ . '/cluster_lib.php';

$variant = $argv[1] ?? 'classic';
$total = (int)($argv[2] ?? 100000);
$kill_every = (float)($argv[3] ?? 8);
$max_kills = (int)($argv[4] ?? 8);
$max_s = 240.0;
if (!in_array($variant, ['classic', 'cooperative-sticky', 'consumer'], true)) {
    fwrite(STDERR, "variant must be classic, cooperative-sticky or consumer\n");
    exit(2);
}
$topic = unique_name('c3');
$group = unique_name('c3g');
cluster_topic_create($topic, 6);
$dir = faults_tmp() . "/c3_$variant";
@mkdir($dir, 0777, true);
array_map('unlink', glob("$dir/*") ?: []);
$stop_file = "$dir/stop";
echo "  topic $topic: 6 partitions, RF 3; group $group ($variant); member output in $dir\n";

// 1. the messages
$t0 = microtime(true);
flame\go(function () use ($topic, $total) {
    $p = new flame\db\kafka\producer(cluster_producer_conf(), [], $topic);
    for ($i = 0; $i < $total; $i++) {
        $p->produce("m$i", (string)$i);
    }
    yield $p->flush(120000);
});
flame\run();
printf("  %d messages produced (acks=all) in %.1f s\n", $total, microtime(true) - $t0);

// 2. the group
$instances = [];     // instance name => ['proc' => resource, 'file' => path, 'member' => k, 'killed' => bool]
$running = [];       // member k => instance name
$runs = [1 => 0, 2 => 0, 3 => 0];
$start_member = function (int $k) use (&$instances, &$running, &$runs, $dir, $topic, $group, $variant, $stop_file) {
    $runs[$k]++;
    $name = "m$k.r{$runs[$k]}";
    $file = "$dir/$name.out";
    $cmd = php_cmd(__DIR__ . '/c3_member.php', [$topic, $group, $variant, $file, $stop_file, $name]);
    $proc = proc_open('exec ' . $cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$dir/$name.stdout", 'w'],
        2 => ['file', "$dir/$name.stderr", 'w']], $pipes);
    $instances[$name] = ['proc' => $proc, 'file' => $file, 'member' => $k, 'killed' => false];
    $running[$k] = $name;
};
foreach ([1, 2, 3] as $k) {
    $start_member($k);
}

/* Incremental reader of the members' files: distinct messages processed so far. */
$seen = str_repeat("\0", $total);
$distinct = 0;
$offsets = [];
$scan = function () use (&$instances, &$offsets, &$seen, &$distinct) {
    foreach ($instances as $name => $inst) {
        $fh = @fopen($inst['file'], 'r');
        if (!$fh) {
            continue;
        }
        fseek($fh, $offsets[$name] ?? 0);
        while (($line = fgets($fh)) !== false) {
            if (!str_ends_with($line, "\n")) {
                break;   // a line being written: read it next time
            }
            $offsets[$name] = ftell($fh);
            if ($line[0] === 'P') {
                $i = (int)explode(' ', $line)[3];
                if ($seen[$i] === "\0") {
                    $seen[$i] = "\1";
                    $distinct++;
                }
            }
        }
        fclose($fh);
    }
};

$kills = [];
$t1 = microtime(true);
$next_kill = $t1 + $kill_every;
$turn = 0;
while (true) {
    usleep(200000);
    $scan();
    if ($distinct >= $total || microtime(true) - $t1 > $max_s) {
        break;
    }
    // every KILL_EVERY s, and also at every 1/(MAX_KILLS+1) of the messages, so
    // that a fast machine sees its MAX_KILLS kills too (progress is needed
    // between two of them: a storm of kills cannot stall the group)
    $mark = (count($kills) + 1) * $total / ($max_kills + 1);
    if ((microtime(true) >= $next_kill || $distinct >= $mark) && count($kills) < $max_kills) {
        $k = 1 + ($turn++ % 3);
        $name = $running[$k];
        proc_terminate($instances[$name]['proc'], 9);
        while (proc_get_status($instances[$name]['proc'])['running']) {
            usleep(10000);
        }
        proc_close($instances[$name]['proc']);
        $instances[$name]['killed'] = true;
        $kills[] = ['t' => microtime(true) - $t1, 'instance' => $name, 'distinct' => $distinct];
        printf("  %6.1f s  %s killed with -9 (%d of %d processed); member %d restarted\n",
            microtime(true) - $t1, $name, $distinct, $total, $k);
        $start_member($k);
        $next_kill = microtime(true) + $kill_every;
    }
}
$consume_secs = microtime(true) - $t1;
printf("  %6.1f s  %d of %d processed; stopping the members\n", $consume_secs, $distinct, $total);
touch($stop_file);
foreach ($running as $k => $name) {
    $deadline = microtime(true) + 30;
    while (proc_get_status($instances[$name]['proc'])['running'] && microtime(true) < $deadline) {
        usleep(50000);
    }
    if (proc_get_status($instances[$name]['proc'])['running']) {
        echo "  $name did not stop in 30 s: killed\n";
        proc_terminate($instances[$name]['proc'], 9);
    }
    proc_close($instances[$name]['proc']);
}

// 3. analysis: every processing and every commit, with its time
$proc_by = [];          // "p o" => [[time, instance], ...]
$commits = [];          // instance => partition => [[time, next offset], ...]
$uncommitted_at_kill = 0;
$commit_fail = 0;
$consume_errors = [];
$ended = 0;
foreach ($instances as $name => $inst) {
    $last_commit = [];
    $processed = [];    // partition => [offsets]
    foreach (file($inst['file'], FILE_IGNORE_NEW_LINES) ?: [] as $line) {
        $f = explode(' ', $line);
        if ($f[0] === 'P') {
            $proc_by["$f[1] $f[2]"][] = [(float)$f[4], $name];
            $processed[(int)$f[1]][] = (int)$f[2];
        } elseif ($f[0] === 'C') {
            $commits[$name][(int)$f[1]][] = [(float)$f[3], (int)$f[2]];
            $last_commit[(int)$f[1]] = max($last_commit[(int)$f[1]] ?? 0, (int)$f[2]);
        } elseif ($f[0] === 'F') {
            $commit_fail++;
        } elseif ($f[0] === 'E') {
            $consume_errors[$f[1]] = ($consume_errors[$f[1]] ?? 0) + 1;
        } elseif ($f[0] === 'END') {
            $ended++;
        }
    }
    if ($inst['killed']) {   // processed, not covered by its own commit: in flight at the kill
        foreach ($processed as $pt => $offs) {
            foreach ($offs as $o) {
                if ($o >= ($last_commit[$pt] ?? 0)) {
                    $uncommitted_at_kill++;
                }
            }
        }
    }
}
/* Had $inst committed partition $pt past offset $o before time $t? */
$covered = function (string $inst, int $pt, int $o, float $t) use (&$commits): bool {
    foreach ($commits[$inst][$pt] ?? [] as [$ct, $next]) {
        if ($ct < $t && $next > $o) {
            return true;
        }
    }
    return false;
};
$dups = $dup_kill = $dup_rebalance = $dup_unexplained = 0;
$unexplained = [];
foreach ($proc_by as $po => $who) {
    if (count($who) < 2) {
        continue;
    }
    [$pt, $o] = array_map('intval', explode(' ', $po));
    usort($who, fn($a, $b) => $a[0] <=> $b[0]);
    // each re-processing is explained by the previous processor not having committed past it
    for ($j = 1; $j < count($who); $j++) {
        $dups++;
        [, $prev] = $who[$j - 1];
        if ($covered($prev, $pt, $o, $who[$j][0])) {
            $dup_unexplained++;
            $unexplained[] = "p$pt@$o by $prev then {$who[$j][1]}";
        } elseif ($instances[$prev]['killed']) {
            $dup_kill++;
        } else {
            $dup_rebalance++;
        }
    }
}
$missing = $total - $distinct;

figure('variant', $variant === 'consumer' ? 'group.protocol=consumer (KIP-848)'
    : ($variant === 'classic' ? 'classic, partition.assignment.strategy=range' : 'classic, cooperative-sticky'));
figure('messages', $total);
figure('member kills (-9) + restarts', count($kills));
figure('processed at least once', $distinct);
figure('never processed', $missing);
figure('processings', count($proc_by) + $dups);
figure('duplicates', $dups);
figure('  in flight at a kill', $dup_kill);
figure('  uncommitted at a rebalance', $dup_rebalance);
figure('  after a covering commit', $dup_unexplained . ($unexplained ? ' (' . implode(', ', array_slice($unexplained, 0, 3)) . ')' : ''));
figure('processed-uncommitted at the kills', $uncommitted_at_kill);
figure('commit failures', $commit_fail);
foreach ($consume_errors as $code => $n) {
    figure('  consume error', "$n x code $code");
}
figure('members that ended cleanly', "$ended of " . count($running));
figure('consume wall time (s)', $consume_secs);
$ok = $missing === 0 && $dup_unexplained === 0 && $dup_kill <= $uncommitted_at_kill && count($kills) >= 3 && $ended === 3;
verdict($ok, "$variant: $total processed at least once through " . count($kills) . " kills, $dups duplicates ($dup_kill in flight at kills <= $uncommitted_at_kill, $dup_rebalance at rebalances)",
    "$variant: missing=$missing unexplained_dups=$dup_unexplained dup_kill=$dup_kill>bound $uncommitted_at_kill? kills=" . count($kills) . " ended=$ended");
