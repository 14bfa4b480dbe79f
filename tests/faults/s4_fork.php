<?php
/*
 * Scenario 4: pcntl_fork(). In the child, objects created before the fork
 * (producer, consumer, and operations still pending) refuse clearly (an
 * exception that says "fork"), never hang or crash; new objects created in
 * the child work. The parent keeps working afterwards (produce + consume),
 * and the messages it had in flight at the fork are delivered once.
 * A second part forks inside a running coroutine while other coroutines wait.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$topic = unique_name('fork');
create_topic($topic, 1);
$ok = true;
$problems = [];

$p = new flame\db\kafka\producer(pconf(), [], $topic);
$first = $p->produce('before fork', 'k')->wait();
$c = new flame\db\kafka\consumer(cconf(unique_name('forkgroup'), ['enable.auto.commit' => false]), ['auto.offset.reset' => 'earliest'], $topic);
$m0 = $c->consume(15000)->wait();
echo '  parent before fork: produced and consumed "', $m0, "\"\n";
// messages still in flight at the fork
$inflight = [];
for ($i = 0; $i < 1000; $i++) {
    $inflight[] = $p->produce("inflight $i", 'k');
}
$pending_at_fork = count(array_filter($inflight, fn($a) => !$a->ready()));

$report = faults_tmp() . '/s4_fork_report.' . getmypid();
@unlink($report);
$t_fork = microtime(true);
$pid = pcntl_fork();
if ($pid === 0) {
    // the child's warnings go to a file, to be counted
    ini_set('display_errors', '0');
    ini_set('log_errors', '1');
    ini_set('error_log', $report . '.errors');
    $out = [];
    $try = function (string $what, string $expect, callable $fn) use (&$out) {
        $t0 = microtime(true);
        try {
            $r = $fn();
            $res = 'no exception (' . get_debug_type($r) . (is_scalar($r) ? ' ' . var_export($r, true) : '') . ')';
            $threw = false;
        } catch (Throwable $e) {
            $res = get_class($e) . ': ' . $e->getMessage();
            $threw = true;
        }
        $good = $expect === 'throws fork' ? $threw && stripos($res, 'fork') !== false : !$threw;
        $out[] = sprintf('%s|%s|%.2f|%s', $good ? 'ok' : 'BAD', $what, microtime(true) - $t0, $res);
    };
    $try('old producer produce()', 'throws fork', fn() => $p->produce('from child via old producer')->wait());
    $try('old producer flush()', 'throws fork', fn() => $p->flush(1000)->wait());
    $try('old consumer consume()', 'throws fork', fn() => $c->consume(1000)->wait());
    $try('old consumer commit()', 'throws fork', fn() => $c->commit($m0)->wait());
    $try('old consumer close()', 'throws fork', fn() => $c->close()->wait());
    $try('awaitable pending at the fork: wait()', 'throws fork', fn() => $inflight[999]->wait());
    $try('awaitable pending at the fork: yield', 'throws fork', function () use ($inflight) {
        $r = null;
        flame\go(function () use ($inflight, &$r) { $r = yield $inflight[998]; });
        flame\run();
        return $r;
    });
    $try('flame\time\sleep(10) in the child', 'works', fn() => flame\time\sleep(10)->wait());
    $try('new producer in the child', 'works', function () use ($topic) {
        $np = new flame\db\kafka\producer(pconf(), [], $topic);
        return $np->produce('from child', 'k')->wait()->val;
    });
    $try('new consumer in the child', 'works', function () use ($topic) {
        $nc = new flame\db\kafka\consumer(cconf(unique_name('childgroup')), ['auto.offset.reset' => 'earliest'], $topic);
        $m = $nc->consume(15000)->wait();
        $nc->close()->wait();
        return $m === null ? null : $m->val;
    });
    file_put_contents($report, implode("\n", $out) . "\n");
    exit(0);   // the child's end must not touch (flush, close) the parent's objects
}
$status = 0;
$t0 = microtime(true);
while (($r = pcntl_waitpid($pid, $status, WNOHANG)) === 0 && microtime(true) - $t0 < 60) {
    usleep(20000);
}
if ($r === 0) {
    exec("kill -9 $pid");
    pcntl_waitpid($pid, $status);
    $ok = false;
    $problems[] = 'child hung (killed after 60 s)';
}
$child_secs = microtime(true) - $t_fork;
printf("  %-4s %-42s %6s  %s\n", '', 'in the child', 'secs', 'result');
foreach (file($report, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [] as $line) {
    [$good, $what, $secs, $res] = explode('|', $line, 4);
    printf("  %-4s %-42s %6s  %s\n", $good, $what, $secs, $res);
    if ($good !== 'ok') {
        $ok = false;
        $problems[] = "child: $what: $res";
    }
}
@unlink($report);
$child_log = (string)@file_get_contents($report . '.errors');
@unlink($report . '.errors');
$inherited_warnings = preg_match_all('/unobserved failure of .*cannot complete in forked process/', $child_log);
$other = preg_match_all('/PHP (Warning|Fatal|Notice|Deprecated)/', $child_log) - $inherited_warnings;
figure('child: warnings (inherited ops)', "$inherited_warnings (each pending operation of the parent, reported as an unobserved failure)");
figure('child: other warnings/errors', $other);
if ($other > 0) {
    echo '    ', str_replace("\n", "\n    ", trim($child_log)), "\n";
    $ok = false;
    $problems[] = 'child: unexpected warnings or errors';
}
$child_end = pcntl_wifsignaled($status) ? 'signal ' . pcntl_wtermsig($status) : 'exit ' . pcntl_wexitstatus($status);
figure('child ended', "$child_end after " . round($child_secs, 2) . ' s');
if ($child_end !== 'exit 0') {
    $ok = false;
    $problems[] = "child $child_end";
}

// the parent keeps working
$delivered = 0;
foreach ($inflight as $a) {
    try {
        $a->wait();
        $delivered++;
    } catch (Throwable $e) {
    }
}
$after = $p->produce('after fork', 'k')->wait();
$vals = [];
while (($m = $c->consume(3000)->wait()) !== null) {
    $vals[] = $m->val;
}
$c->commit($m0)->wait();
$count = array_count_values($vals);
$inflight_seen = count(array_filter(array_keys($count), fn($v) => str_starts_with((string)$v, 'inflight ')));
$inflight_dup = array_sum(array_map(fn($n) => $n - 1, array_filter($count, fn($n, $v) => str_starts_with((string)$v, 'inflight '), ARRAY_FILTER_USE_BOTH)));
figure('parent: in flight at the fork', $pending_at_fork . ' of 1000');
figure('parent: delivered after the fork', $delivered);
figure('parent: consumed after the fork', count($vals) . ' (in-flight ones: ' . $inflight_seen . ', duplicated: ' . $inflight_dup . ')');
figure('parent: "after fork" produced, consumed', 'offset +' . ($after->offset - $first->offset) . ', ' . (isset($count['after fork']) ? 'yes' : 'NO'));
figure('parent: child\'s message consumed', isset($count['from child']) ? 'yes' : 'NO');
if ($delivered !== 1000 || $inflight_seen !== 1000 || $inflight_dup !== 0 || !isset($count['after fork']) || !isset($count['from child'])) {
    $ok = false;
    $problems[] = "parent: delivered=$delivered seen=$inflight_seen dup=$inflight_dup";
}

// Part 2: fork inside a running coroutine while 50 others wait for acks.
$acks = 0;
$child_status = null;
for ($k = 0; $k < 50; $k++) {
    flame\go(function () use ($p, &$acks) {
        for ($j = 0; $j < 20; $j++) {
            yield $p->produce("co $j");
            $acks++;
        }
    });
}
flame\go(function () use (&$child_status, &$acks) {
    while ($acks < 100) {
        yield flame\time\sleep(1);
    }
    $pid = pcntl_fork();
    if ($pid === 0) {
        ini_set('display_errors', '0');
        ini_set('log_errors', '1');
        ini_set('error_log', faults_tmp() . '/s4_fork_part2.errors');
        exit(7);   // the child leaves at once, from inside the scheduler
    }
    $t0 = microtime(true);
    while (pcntl_waitpid($pid, $st, WNOHANG) === 0) {
        if (microtime(true) - $t0 > 30) {
            exec("kill -9 $pid");
            pcntl_waitpid($pid, $st);
            $child_status = 'hung (killed)';
            return;
        }
        yield flame\time\sleep(10);
    }
    $child_status = pcntl_wifsignaled($st) ? 'signal ' . pcntl_wtermsig($st) : 'exit ' . pcntl_wexitstatus($st);
});
flame\run();
figure('fork inside a coroutine: child', $child_status);
$part2_log = (string)@file_get_contents(faults_tmp() . '/s4_fork_part2.errors');
@unlink(faults_tmp() . '/s4_fork_part2.errors');
figure('  child warnings (inherited ops)', preg_match_all('/unobserved failure of .*cannot complete in forked process/', $part2_log));
figure('fork inside a coroutine: parent acks', "$acks of 1000");
if ($child_status !== 'exit 7' || $acks !== 1000) {
    $ok = false;
    $problems[] = "fork in coroutine: child $child_status, acks $acks";
}
$c->close()->wait();
result($ok, $ok ? 'old objects refuse in the child, new ones work, the parent goes on' : implode('; ', $problems));
