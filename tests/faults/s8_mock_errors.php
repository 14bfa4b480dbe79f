<?php
/*
 * Scenario 8: protocol errors injected through librdkafka's in-process mock
 * cluster (flame\db\kafka\mock_cluster); no real broker involved.
 *
 *  a. retriable: 3 mock brokers, topic with 3 partitions and replication
 *     factor 3; 5,000 awaited produce() from 50 coroutines while
 *     NOT_LEADER_OR_FOLLOWER (6), REQUEST_TIMED_OUT (7) and
 *     NOT_ENOUGH_REPLICAS (19) are pushed on Produce at every 100
 *     acknowledgements and the leaders of all partitions move at 30 % and
 *     60 %; then the topic is read back. Once with enable.idempotence=false,
 *     once with true. PASS iff every produce() was acknowledged, every
 *     acknowledged payload is found, nothing unexpected is found, librdkafka's
 *     debug log shows the injected errors retried (at least half of them),
 *     and (idempotent run) nothing is duplicated.
 *  b. fatal: TOPIC_AUTHORIZATION_FAILED (29) on every Produce request: 20
 *     awaited produce() one after the other, then 200 at once; then
 *     clear_request_errors(), one produce() every 20 ms until one is
 *     acknowledged (librdkafka keeps the topic marked as failed until its
 *     next metadata refresh), then 200 more. Also 29 reported for the topic
 *     in metadata (topic_error()) to a new producer, then cleared.
 *     PASS iff every refused produce() threw flame\db\kafka\exception with
 *     getCode() === 29 at its yield line, every one after the recovery was
 *     acknowledged, and no refused payload is stored.
 *  c. broker down: all 3 brokers down, message.timeout.ms=2000,
 *     reconnect.backoff.max.ms=1000: 20 produce() at once must each throw
 *     code -192 (_MSG_TIMED_OUT) between 1,950 and 4,000 ms; brokers up, 200
 *     more produce() are acknowledged and read back (and the timed-out ones
 *     are not stored). A second producer with librdkafka's default backoff
 *     goes through the same outage; its times are only reported.
 *  d. consumer: 3,000 messages pre-produced on 3 partitions; one consumer
 *     (fetches kept small so it fetches all along) reads them while Fetch
 *     (API key 1) gets NOT_LEADER_OR_FOLLOWER / REQUEST_TIMED_OUT /
 *     UNKNOWN_LEADER_EPOCH pushed (40 in all), broker 1 goes down for 1.5 s,
 *     the leaders move, brokers 2 and 3 go down for 1.5 s. PASS iff every
 *     message is read, no consume() threw, nothing unexpected, and
 *     librdkafka's debug log shows the failed fetches; duplicates are
 *     reported.
 *
 * Usage: php s8_mock_errors.php [a,b,c,d]   (default: all; a runs both 8a variants)
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

use flame\db\kafka\consumer;
use flame\db\kafka\exception as kafka_exception;
use flame\db\kafka\mock_cluster;
use flame\db\kafka\producer;

const API_PRODUCE = 0;
const API_FETCH = 1;
const ERR_NOT_LEADER_OR_FOLLOWER = 6;
const ERR_REQUEST_TIMED_OUT = 7;
const ERR_NOT_ENOUGH_REPLICAS = 19;
const ERR_TOPIC_AUTHORIZATION_FAILED = 29;
const ERR_UNKNOWN_LEADER_EPOCH = 75;
const ERR__MSG_TIMED_OUT = -192;

$only = isset($argv[1]) ? explode(',', $argv[1]) : ['a', 'b', 'c', 'd'];
$failures = [];   // sub-case => why
$summary = [];    // sub-case => short figure line

/** Runs $fn() as the only coroutine and returns its return value. */
function co(callable $fn)
{
    $r = null;
    flame\go(function () use ($fn, &$r) {
        $r = yield $fn();
    });
    flame\run();
    return $r;
}

function count_by(array &$map, string $k): void
{
    $map[$k] = ($map[$k] ?? 0) + 1;
}

function fmt_map(array $m): string
{
    if (!$m) {
        return '-';
    }
    ksort($m);
    $parts = [];
    foreach ($m as $k => $n) {
        $parts[] = "$n x $k";
    }
    return implode(', ', $parts);
}

/**
 * Generator: reads $topic of the mock cluster from the beginning with a fresh
 * group until $expect messages arrived and then nothing for $idle_ms, or
 * $max_s passed. Returns [payload => times seen]. Exceptions of consume()
 * are counted in $errors (code => n) and reading goes on.
 */
function read_back(string $bootstrap, string $topic, int $expect, array &$errors, int $idle_ms = 2000, float $max_s = 60.0): Generator
{
    $c = new consumer(['bootstrap.servers' => $bootstrap, 'group.id' => unique_name('reader'), 'enable.auto.commit' => 'false'],
        ['auto.offset.reset' => 'earliest'], $topic);
    $seen = [];
    $n = 0;
    $t0 = microtime(true);
    while (microtime(true) - $t0 < $max_s) {
        try {
            $m = yield $c->consume($n >= $expect ? $idle_ms : 1000);
        } catch (kafka_exception $e) {
            count_by($errors, $e->getCode() . ' ' . $e->getMessage());
            continue;
        }
        if ($m === null) {
            if ($n >= $expect) {
                break;
            }
            continue;
        }
        $n++;
        $seen[$m->val] = ($seen[$m->val] ?? 0) + 1;
    }
    yield $c->close();
    return $seen;
}

/** found / duplicated / missing / unexpected of $seen against the acknowledged and refused payload sets. */
function tally(array $seen, array $acked, array $refused = []): array
{
    $found = $dup = $missing = $unexpected = $refused_found = 0;
    foreach ($seen as $val => $n) {
        if (isset($acked[$val])) {
            $found++;
            $dup += $n - 1;
        } elseif (isset($refused[$val])) {
            $refused_found++;
        } else {
            $unexpected++;
        }
    }
    foreach ($acked as $val => $_) {
        if (!isset($seen[$val])) {
            $missing++;
        }
    }
    return compact('found', 'dup', 'missing', 'unexpected', 'refused_found');
}

/**
 * Generator: produces every payload of $vals at once (all awaitables first,
 * then each one yielded) and returns [payload => 'ok' | error code | class].
 * $wrong_line counts exceptions whose line is not the yield's.
 */
function produce_all(producer $p, array $vals, int &$wrong_line = 0, array &$where = []): Generator
{
    $aw = [];
    foreach ($vals as $v) {
        $aw[$v] = $p->produce($v);
    }
    $out = [];
    foreach ($aw as $v => $a) {
        try {
            $line = __LINE__ + 1;
            yield $a;
            $out[$v] = 'ok';
        } catch (kafka_exception $e) {
            $out[$v] = (string)$e->getCode();
            // "delivery to topic ... failed" (the broker's answer) or
            // "produce to topic ... failed" (refused locally by librdkafka)
            count_by($where, preg_match('/^(\w+) to topic/', $e->getMessage(), $m) ? $m[1] : 'other');
            if ($e->getLine() !== $line) {
                $wrong_line++;
            }
        } catch (Throwable $e) {
            $out[$v] = get_class($e) . ': ' . $e->getMessage();
        }
    }
    return $out;
}

function header_line(string $title): void
{
    echo "\n  -- $title\n";
}

/* ---------------------------------------------------------------- 8a */

function case_a(bool $idempotent): array
{
    $total = 5000;
    $coroutines = 50;
    $mc = new mock_cluster(3);
    $bs = $mc->bootstrap_servers();
    $topic = unique_name('retriable');
    $mc->create_topic($topic, 3, 3);
    $p = new producer(['bootstrap.servers' => $bs, 'acks' => 'all', 'linger.ms' => 2,
        'enable.idempotence' => $idempotent, 'message.timeout.ms' => 60000, 'retry.backoff.ms' => 10,
        'retry.backoff.max.ms' => 100, 'debug' => 'msg', 'log_level' => 7], [], $topic);

    $acked = [];
    $fail = [];
    $n_sent = $n_acked = $n_failed = 0;
    $pushed = 0;
    $moves = 0;
    $done = false;
    $t0 = microtime(true);
    for ($c = 0; $c < $coroutines; $c++) {
        flame\go(function () use ($c, $coroutines, $total, $p, &$acked, &$fail, &$n_sent, &$n_acked, &$n_failed) {
            for ($i = $c; $i < $total; $i += $coroutines) {
                $val = "a-$i";
                $n_sent++;
                try {
                    yield $p->produce($val, (string)$i);
                    $acked[$val] = true;
                    $n_acked++;
                } catch (kafka_exception $e) {
                    $n_failed++;
                    count_by($fail, $e->getCode() . ' ' . $e->getMessage());
                }
            }
        });
    }
    // the chaos, driven by progress: 3 errors (6, 7, 19) pushed on Produce at
    // every 100 acknowledgements; the leaders of all 3 partitions move at 30 %
    // and 60 %. (Errors pushed faster than librdkafka's retries consume them,
    // e.g. 2 every 10 ms, are a permanent outage: then messages fail with
    // -192 after message.timeout.ms, as they should.)
    flame\go(function () use ($mc, $topic, $total, &$n_acked, &$n_failed, &$pushed, &$moves) {
        $k = 1;
        $moved_at = [0.3, 0.6];
        while ($n_acked + $n_failed < $total) {
            if ($n_acked >= $k * 100) {
                $mc->push_request_errors(API_PRODUCE, [ERR_NOT_LEADER_OR_FOLLOWER, ERR_REQUEST_TIMED_OUT, ERR_NOT_ENOUGH_REPLICAS]);
                $pushed += 3;
                $k++;
            }
            if ($moved_at && $n_acked >= $moved_at[0] * $total) {
                array_shift($moved_at);
                $moves++;
                for ($part = 0; $part < 3; $part++) {
                    $mc->partition_leader($topic, $part, 1 + ($part + $moves) % 3);
                }
            }
            yield flame\time\sleep(2);
        }
        $mc->clear_request_errors(API_PRODUCE);
    });
    // librdkafka's own account of the failed Produce requests it retried
    $retried = [];
    flame\db\kafka\logger(function (int $level, string $facility, string $msg) use (&$retried) {
        if (preg_match('/encountered error: (.*?) \(actions ([^)]*)\)/', $msg, $m)) {
            count_by($retried, "$m[1] [$m[2]]");
        }
    });
    flame\run();
    $secs = microtime(true) - $t0;
    flame\db\kafka\logger(null);

    $errors = [];
    $seen = co(fn() => read_back($bs, $topic, $n_acked, $errors));
    $t = tally($seen, $acked);
    $label = $idempotent ? 'idempotent' : 'plain';
    figure('sent', $n_sent);
    figure('acknowledged', $n_acked);
    figure('failed', $n_failed . ($fail ? ' (' . fmt_map($fail) . ')' : ''));
    figure('errors pushed on Produce', $pushed);
    figure('failed requests retried (log)', fmt_map($retried));
    figure('leader moves (x3 partitions)', $moves);
    figure('found (distinct)', $t['found']);
    figure('duplicated', $t['dup']);
    figure('acknowledged but missing', $t['missing']);
    figure('unexpected records', $t['unexpected']);
    figure('consume() exceptions', fmt_map($errors));
    figure('produce wall time (s)', $secs);
    $ok = $n_sent === $total && $n_acked === $n_sent && $t['missing'] === 0 && $t['unexpected'] === 0
        && $t['found'] === $n_acked && !$errors && $moves === 2 && $pushed > 0 && array_sum($retried) >= $pushed / 2
        && (!$idempotent || $t['dup'] === 0);
    $why = $ok ? '' : "$label: acked=$n_acked/$n_sent missing={$t['missing']} dup={$t['dup']} unexpected={$t['unexpected']}"
        . " consume_errors=" . array_sum($errors) . " moves=$moves pushed=$pushed retried=" . array_sum($retried);
    return [$ok, $why, "$label $n_acked/$n_sent acked, {$t['found']} found, {$t['dup']} dup"];
}

/* ---------------------------------------------------------------- 8b */

/** [outcome => count] of a produce_all() result; fills $acked / $refused. */
function outcomes(array $res, array &$acked, array &$refused): array
{
    $by = [];
    foreach ($res as $v => $o) {
        if ($o === 'ok') {
            $acked[$v] = true;
        } else {
            $refused[$v] = true;
        }
        count_by($by, $o);
    }
    return $by;
}

function case_b(): array
{
    $mc = new mock_cluster(3);
    $bs = $mc->bootstrap_servers();
    $topic = unique_name('fatal');
    $mc->create_topic($topic, 1, 3);
    $p = new producer(['bootstrap.servers' => $bs, 'linger.ms' => 0, 'message.timeout.ms' => 10000], [], $topic);
    $acked = $refused = [];
    $by = [];
    $where = [];
    $wrong_line = 0;
    $message = '';
    $recovery_ms = -1.0;
    co(function () use ($mc, $p, $topic, $bs, &$acked, &$refused, &$by, &$where, &$wrong_line, &$message, &$recovery_ms): Generator {
        // warm-up: metadata known, connection up
        $by['warm-up'] = outcomes(yield produce_all($p, ['b-warmup'], $wrong_line), $acked, $refused);
        // every Produce request refused from now on
        $mc->push_request_errors(API_PRODUCE, array_fill(0, 100000, ERR_TOPIC_AUTHORIZATION_FAILED));
        $by['sequential'] = [];
        for ($i = 0; $i < 20; $i++) {
            foreach (outcomes(yield produce_all($p, ["b-seq-$i"], $wrong_line, $where), $acked, $refused) as $o => $n) {
                $by['sequential'][$o] = ($by['sequential'][$o] ?? 0) + $n;
            }
        }
        $by['concurrent'] = outcomes(yield produce_all($p, array_map(fn($i) => "b-con-$i", range(0, 199)), $wrong_line, $where), $acked, $refused);
        try {
            yield $p->produce('b-msg');
            $acked['b-msg'] = true;
        } catch (kafka_exception $e) {
            $refused['b-msg'] = true;
            $message = $e->getMessage();
        }
        // errors cleared: librdkafka keeps the topic marked as errored until
        // its next metadata refresh; one produce() every 20 ms until one is
        // acknowledged (every refusal must still be code 29)
        $mc->clear_request_errors(API_PRODUCE);
        $t0 = microtime(true);
        $by['recovery'] = [];
        for ($i = 0; microtime(true) - $t0 < 10.0; $i++) {
            $o = outcomes(yield produce_all($p, ["b-probe-$i"], $wrong_line, $where), $acked, $refused);
            foreach ($o as $k => $n) {
                $by['recovery'][$k] = ($by['recovery'][$k] ?? 0) + $n;
            }
            if (isset($o['ok'])) {
                $recovery_ms = (microtime(true) - $t0) * 1000;
                break;
            }
            yield flame\time\sleep(20);
        }
        $by['after clear'] = outcomes(yield produce_all($p, array_map(fn($i) => "b-ok-$i", range(0, 199)), $wrong_line), $acked, $refused);
        // the same error reported for the topic in metadata, for a new producer
        $mc->topic_error($topic, ERR_TOPIC_AUTHORIZATION_FAILED);
        $p2 = new producer(['bootstrap.servers' => $bs, 'message.timeout.ms' => 5000], [], $topic);
        $by['metadata'] = outcomes(yield produce_all($p2, array_map(fn($i) => "b-meta-$i", range(0, 9)), $wrong_line, $where), $acked, $refused);
        $mc->topic_error($topic, 0);
        $p3 = new producer(['bootstrap.servers' => $bs, 'message.timeout.ms' => 5000], [], $topic);
        $by['metadata cleared'] = outcomes(yield produce_all($p3, array_map(fn($i) => "b-meta-ok-$i", range(0, 9)), $wrong_line), $acked, $refused);
    });
    $errors = [];
    $seen = co(fn() => read_back($bs, $topic, count($acked), $errors));
    $t = tally($seen, $acked, $refused);
    $rows = [
        'sequential' => '29 on every Produce: 20 one by one',
        'concurrent' => '  then 200 at once',
        'recovery' => 'cleared: 1 every 20 ms until acked',
        'after clear' => '  then 200 at once',
        'metadata' => 'topic_error(29), new producer: 10',
        'metadata cleared' => 'topic_error(0), new producer: 10',
    ];
    foreach ($rows as $k => $title) {
        figure($title, fmt_map($by[$k] ?? []));
    }
    figure('  first acknowledged after (ms)', sprintf('%.0f', $recovery_ms));
    figure('code 29 raised by', fmt_map($where));
    figure('exception message', $message);
    figure('exception line != yield line', $wrong_line);
    figure('read back: acknowledged found', $t['found'] . ' of ' . count($acked));
    figure('read back: refused but stored', $t['refused_found']);
    figure('read back: duplicated', $t['dup']);
    figure('read back: unexpected', $t['unexpected']);
    figure('consume() exceptions', fmt_map($errors));
    $rec = $by['recovery'] ?? [];
    $ok = ($by['warm-up'] ?? []) === ['ok' => 1]
        && ($by['sequential'] ?? []) === ['29' => 20] && ($by['concurrent'] ?? []) === ['29' => 200]
        && ($rec['ok'] ?? 0) === 1 && count($rec) <= 2 && (count($rec) === 1 || isset($rec['29'])) && $recovery_ms >= 0
        && ($by['after clear'] ?? []) === ['ok' => 200] && ($by['metadata'] ?? []) === ['29' => 10]
        && ($by['metadata cleared'] ?? []) === ['ok' => 10] && $wrong_line === 0
        && $t['missing'] === 0 && $t['refused_found'] === 0 && $t['unexpected'] === 0 && $t['dup'] === 0 && !$errors
        && str_contains($message, 'TopicAuthorizationFailed');
    $why = $ok ? '' : 'outcomes ' . json_encode($by) . " wrong_line=$wrong_line missing={$t['missing']} refused_found={$t['refused_found']}"
        . " unexpected={$t['unexpected']} consume_errors=" . array_sum($errors);
    $n29 = array_sum(array_map(fn($o) => $o['29'] ?? 0, $by)) + ($message !== '' ? 1 : 0);
    return [$ok, $why, sprintf('%d x code 29 at the yield, recovered %.0f ms after the clear, none refused stored', $n29, $recovery_ms)];
}

/* ---------------------------------------------------------------- 8c */

function case_c(): array
{
    $mc = new mock_cluster(3);
    $bs = $mc->bootstrap_servers();
    $topic = unique_name('down');
    $mc->create_topic($topic, 3, 3);
    $timeout_ms = 2000;
    $bound_ms = $timeout_ms + 2000;
    // librdkafka enforces message.timeout.ms from the partition leader's
    // broker thread, which sleeps in its reconnect backoff while the broker is
    // down: with the default reconnect.backoff.max.ms (10 s) the timeouts came
    // 2.0-11.1 s after produce() during development (librdkafka's own "timed
    // out" log line at the same moment). The checked producer caps the backoff
    // at 1 s; a second one with the defaults runs through the same outage and
    // is only reported.
    $conf = ['bootstrap.servers' => $bs, 'message.timeout.ms' => $timeout_ms, 'linger.ms' => 0,
        'debug' => 'msg', 'log_level' => 7];
    $p = new producer($conf + ['reconnect.backoff.max.ms' => 1000], [], $topic);
    $pd = new producer($conf, [], $topic);
    $acked = $refused = [];
    $by = [];
    $elapsed = ['capped' => [], 'default' => []];
    $log_ms = [];
    $t_down = 0.0;
    flame\db\kafka\logger(function (int $level, string $facility, string $msg) use (&$log_ms, &$t_down) {
        if ($t_down > 0 && preg_match('/timed out \d+\+\d+ message\(s\)/', $msg)) {
            $log_ms[] = (microtime(true) - $t_down) * 1000;
        }
    });
    co(function () use ($mc, $p, $pd, &$acked, &$refused, &$by, &$elapsed, &$t_down): Generator {
        $by['before'] = outcomes(yield produce_all($p, array_map(fn($i) => "c-before-$i", range(0, 9))), $acked, $refused);
        $by['before default'] = outcomes(yield produce_all($pd, array_map(fn($i) => "c-before-d-$i", range(0, 9))), $acked, $refused);
        for ($b = 1; $b <= 3; $b++) {
            $mc->broker_down($b);
        }
        // 20 produce() at once on each producer; each one's time to its end
        $t_down = microtime(true);
        $aw = [];
        for ($i = 0; $i < 20; $i++) {
            $aw['capped']["c-down-$i"] = $p->produce("c-down-$i");
            $aw['default']["c-down-d-$i"] = $pd->produce("c-down-d-$i");
        }
        $pending = 40;
        while ($pending > 0 && microtime(true) - $t_down < 30) {
            yield flame\time\sleep(5);
            foreach ($aw as $which => $list) {
                foreach ($list as $v => $a) {
                    if (!isset($elapsed[$which][$v]) && $a->ready()) {
                        $elapsed[$which][$v] = (microtime(true) - $t_down) * 1000;
                        $pending--;
                    }
                }
            }
        }
        foreach ($aw as $which => $list) {
            $by["down $which"] = [];
            foreach ($list as $v => $a) {
                try {
                    yield $a;
                    $acked[$v] = true;
                    count_by($by["down $which"], 'ok');
                } catch (kafka_exception $e) {
                    $refused[$v] = true;
                    count_by($by["down $which"], (string)$e->getCode());
                }
            }
        }
        for ($b = 1; $b <= 3; $b++) {
            $mc->broker_up($b);
        }
        $by['after'] = outcomes(yield produce_all($p, array_map(fn($i) => "c-after-$i", range(0, 199))), $acked, $refused);
    });
    flame\db\kafka\logger(null);
    unset($pd);
    $errors = [];
    $seen = co(fn() => read_back($bs, $topic, count($acked), $errors));
    $t = tally($seen, $acked, $refused);
    $span = fn(array $ms) => $ms ? sprintf('%.0f-%.0f ms', min($ms), max($ms)) : 'none';
    sort($log_ms);
    figure('10 produce() before the outage', fmt_map($by['before'] ?? []));
    figure('3/3 brokers down, 20 produce()', fmt_map($by['down capped'] ?? []));
    figure('  each one ended after', $span($elapsed['capped']) . " (message.timeout.ms $timeout_ms, bound $bound_ms)");
    figure('  same, backoff max 10 s (default)', fmt_map($by['down default'] ?? []) . ', after ' . $span($elapsed['default']) . ' (reported only)');
    figure('  librdkafka "timed out" log at', implode(', ', array_map(fn($x) => sprintf('%.0f', $x), $log_ms)) . ' ms');
    figure('brokers up, 200 produce()', fmt_map($by['after'] ?? []));
    figure('read back: acknowledged found', $t['found'] . ' of ' . count($acked));
    figure('read back: timed out but stored', $t['refused_found']);
    figure('read back: duplicated', $t['dup']);
    figure('read back: unexpected', $t['unexpected']);
    figure('consume() exceptions', fmt_map($errors));
    $ec = $elapsed['capped'];
    $ok = ($by['before'] ?? []) === ['ok' => 10] && ($by['down capped'] ?? []) === [(string)ERR__MSG_TIMED_OUT => 20]
        && ($by['down default'] ?? []) === [(string)ERR__MSG_TIMED_OUT => 20]
        && count($ec) === 20 && min($ec) >= $timeout_ms - 50 && max($ec) <= $bound_ms && ($by['after'] ?? []) === ['ok' => 200]
        && $t['missing'] === 0 && $t['refused_found'] === 0 && $t['unexpected'] === 0 && $t['dup'] === 0 && !$errors;
    $why = $ok ? '' : 'outcomes ' . json_encode($by) . ' elapsed ' . $span($ec)
        . " missing={$t['missing']} refused_found={$t['refused_found']}";
    return [$ok, $why, '20 x -192 after ' . $span($ec) . ' (default backoff: ' . $span($elapsed['default']) . '), 200/200 acked after broker_up'];
}

/* ---------------------------------------------------------------- 8d */

function case_d(): array
{
    $total = 3000;
    $mc = new mock_cluster(3);
    $bs = $mc->bootstrap_servers();
    $topic = unique_name('fetch');
    $mc->create_topic($topic, 3, 3);
    // small record batches: a fetch returns at least one whole batch
    $p = new producer(['bootstrap.servers' => $bs, 'linger.ms' => 5, 'batch.num.messages' => 10], [], $topic);
    $expected = [];
    co(function () use ($p, $total, &$expected): Generator {
        $aw = [];
        for ($i = 0; $i < $total; $i++) {
            $val = sprintf('d-%05d-%s', $i, str_repeat('x', 90));
            $expected[$val] = true;
            $aw[] = $p->produce($val, (string)$i);
        }
        foreach ($aw as $a) {
            yield $a;
        }
    });
    unset($p);

    // small fetches and a small local queue: the consumer fetches all along
    $c = new consumer(['bootstrap.servers' => $bs, 'group.id' => unique_name('fetcher'),
        'fetch.max.bytes' => 2048, 'message.max.bytes' => 2048, 'max.partition.fetch.bytes' => 1024, 'queued.min.messages' => 20,
        'queued.max.messages.kbytes' => 16, 'fetch.wait.max.ms' => 50, 'fetch.error.backoff.ms' => 50,
        'reconnect.backoff.ms' => 50, 'reconnect.backoff.max.ms' => 200, 'debug' => 'fetch', 'log_level' => 7],
        ['auto.offset.reset' => 'earliest'], $topic);
    // librdkafka's own account of the partition fetches that failed
    $fetch_failed = [];
    flame\db\kafka\logger(function (int $level, string $facility, string $msg) use (&$fetch_failed) {
        if (preg_match('/Fetch failed at .*: ([A-Z]\w+)$/', $msg, $m)) {   // not _PARTITION_EOF
            count_by($fetch_failed, $m[1]);
        }
    });
    $seen = [];
    $n = 0;
    $errors = [];
    $events = [];
    $pushed = 0;
    $unexpected = 0;
    $t0 = microtime(true);
    co(function () use ($c, $mc, $topic, $total, $expected, $t0, &$seen, &$n, &$errors, &$events, &$pushed, &$unexpected): Generator {
        $step = 0;
        $last = microtime(true);
        while (microtime(true) - $t0 < 90) {
            // the chaos, driven by progress
            $progress = $n / $total;
            if ($step === 0 && $progress >= 0.1) {
                $mc->push_request_errors(API_FETCH, array_merge(array_fill(0, 10, ERR_NOT_LEADER_OR_FOLLOWER),
                    array_fill(0, 5, ERR_REQUEST_TIMED_OUT), array_fill(0, 5, ERR_UNKNOWN_LEADER_EPOCH)));
                $pushed += 20;
                $events[] = sprintf('%.2fs at %d read: 20 Fetch errors pushed (10 x 6, 5 x 7, 5 x 75)', microtime(true) - $t0, $n);
                $step++;
            } elseif ($step === 1 && $progress >= 0.3) {
                $mc->broker_down(1);
                $events[] = sprintf('%.2fs at %d read: broker 1 down', microtime(true) - $t0, $n);
                $step++;
                flame\go(function () use ($mc, $t0, &$events, &$n): Generator {
                    yield flame\time\sleep(1500);
                    $mc->broker_up(1);
                    $events[] = sprintf('%.2fs at %d read: broker 1 up', microtime(true) - $t0, $n);
                });
            } elseif ($step === 2 && $progress >= 0.5) {
                for ($part = 0; $part < 3; $part++) {
                    $mc->partition_leader($topic, $part, 1 + ($part + 1) % 3);
                }
                $events[] = sprintf('%.2fs at %d read: leaders of all 3 partitions moved', microtime(true) - $t0, $n);
                $step++;
            } elseif ($step === 3 && $progress >= 0.7) {
                $mc->push_request_errors(API_FETCH, array_fill(0, 20, ERR_NOT_LEADER_OR_FOLLOWER));
                $pushed += 20;
                $mc->broker_down(2);
                $mc->broker_down(3);
                $events[] = sprintf('%.2fs at %d read: 20 x 6 pushed on Fetch, brokers 2 and 3 down', microtime(true) - $t0, $n);
                $step++;
                flame\go(function () use ($mc, $t0, &$events, &$n): Generator {
                    yield flame\time\sleep(1500);
                    $mc->broker_up(2);
                    $mc->broker_up(3);
                    $events[] = sprintf('%.2fs at %d read: brokers 2 and 3 up', microtime(true) - $t0, $n);
                });
            }
            try {
                $m = yield $c->consume(1000);
            } catch (kafka_exception $e) {
                count_by($errors, $e->getCode() . ' ' . $e->getMessage());
                continue;
            }
            if ($m === null) {
                if ($n >= $total && microtime(true) - $last > 2.0) {
                    break;
                }
                continue;
            }
            $last = microtime(true);
            $n++;
            if (!isset($expected[$m->val])) {
                $unexpected++;
                continue;
            }
            $seen[$m->val] = ($seen[$m->val] ?? 0) + 1;
            yield flame\time\sleep(0);
        }
        yield $c->close();
    });
    $secs = microtime(true) - $t0;
    flame\db\kafka\logger(null);
    $found = count($seen);
    $dup = array_sum($seen) - $found;
    foreach ($events as $e) {
        echo "    $e\n";
    }
    figure('expected', $total);
    figure('found (distinct)', $found);
    figure('duplicated', $dup);
    figure('missing', $total - $found);
    figure('unexpected records', $unexpected);
    figure('Fetch errors pushed', $pushed);
    figure('partition fetches failed (log)', fmt_map($fetch_failed));
    figure('consume() exceptions', fmt_map($errors));
    figure('consume wall time (s)', $secs);
    $ok = $found === $total && $unexpected === 0 && !$errors && count($events) === 6 && array_sum($fetch_failed) >= $pushed / 2;
    $why = $ok ? '' : "found=$found/$total unexpected=$unexpected consume_errors=" . fmt_map($errors) . ' events=' . count($events) . ' fetch_failed=' . array_sum($fetch_failed);
    return [$ok, $why, "$found/$total read, $dup dup"];
}

/* ---------------------------------------------------------------- main */

$cases = [
    'a' => ['8a retriable errors on Produce + leader moves, enable.idempotence=false', fn() => case_a(false)],
    'a2' => ['8a retriable errors on Produce + leader moves, enable.idempotence=true', fn() => case_a(true)],
    'b' => ['8b fatal: TOPIC_AUTHORIZATION_FAILED (29) on Produce', 'case_b'],
    'c' => ['8c all brokers down, message.timeout.ms=2000', 'case_c'],
    'd' => ['8d consumer: Fetch errors, brokers down/up, leader moves', 'case_d'],
];
foreach ($cases as $key => [$title, $fn]) {
    if (!in_array($key[0], $only, true)) {
        continue;
    }
    header_line($title);
    $t0 = microtime(true);
    try {
        [$ok, $why, $short] = $fn();
    } catch (Throwable $e) {
        [$ok, $why, $short] = [false, 'threw ' . get_class($e) . ': ' . $e->getMessage() . ' at ' . basename($e->getFile()) . ':' . $e->getLine(), 'threw'];
    }
    figure('verdict', ($ok ? 'ok' : 'FAILED: ' . $why) . sprintf(' (%.1f s)', microtime(true) - $t0));
    $summary[] = "$key: $short";
    if (!$ok) {
        $failures[] = "$key: $why";
    }
}
echo "\n";
result(!$failures && $summary, $failures ? implode('; ', $failures) : implode('; ', $summary));
