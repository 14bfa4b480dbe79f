<?php
// flame_kafka side of the Kafka benchmarks: the same workloads, flags and
// JSON line as the raw librdkafka baseline (bench/raw, `bench-raw`).
//
//   php -n -d extension=modules/flame_kafka.so bench/kafka.php <workload> \
//       --brokers B --topic T --messages N [--concurrency C] [--size 100] [--linger-ms L] [--group G]
//       [--set key=value]...   (extra librdkafka properties, as bench-raw --set)
//
// workloads:
//   produce-ff     $p->produce($payload) N times without yield, then one $p->flush()->wait()
//   produce-await  C coroutines (flame\go), each yielding produce() until N are acknowledged
//   consume        one coroutine: `yield $c->consume(5000)` N times, fresh group, earliest
//   consume-batch  one coroutine: `yield $c->consume_batch(--batch, 5000)` until N (default 500)
//   latency        one coroutine, linger.ms=0: hrtime around each `yield $p->produce()`
//   sync           no coroutine: `$p->produce($payload)->wait()` N times (librdkafka's linger.ms)
//   per-request    N times: new producer, `produce()->wait()`, destroy
//
// Timing starts after a warm-up (one acknowledged message, or the first
// consumed message), exactly as in bench-raw. RSS is VmRSS of /proc/self/status,
// sampled right before the measured part, once 20% of its messages are done
// ("rss_warm_kb", only when N >= 10,000; the one-time working set has filled up
// by then) and right after it -- at the same points as bench-raw.

use flame\db\kafka\consumer;
use flame\db\kafka\producer;

function fail(string $msg): never
{
    fwrite(STDERR, "kafka.php: $msg\n");
    exit(1);
}

function rss_kb(): int
{
    $s = file_get_contents('/proc/self/status');
    return preg_match('/^VmRSS:\s+(\d+)/m', $s, $m) ? (int)$m[1] : 0;
}

/** After how many of n measured messages the "warm" RSS sample is taken (20%), or null (bench-raw: warm_at). */
function warm_at(int $n): ?int
{
    return $n >= 10000 ? intdiv($n, 5) : null;
}

/** Nearest-rank percentile of sorted ns values, in µs (same definition as bench-raw). */
function percentile_us(array $sorted, float $p): ?float
{
    $n = count($sorted);
    if ($n === 0) return null;
    $rank = (int)ceil($p / 100 * $n);
    return $sorted[max(1, min($rank, $n)) - 1] / 1000;
}

/** A latency buffer whose memory is resident before the run (as in bench-raw). */
function latency_buffer(int $n): SplFixedArray
{
    $a = new SplFixedArray($n);
    for ($i = 0; $i < $n; $i++) $a[$i] = 0;
    return $a;
}

function report(string $workload, array $o, int $n, float $secs, ?SplFixedArray $lat, int $rssBefore, ?int $rssWarm, int $rssAfter, int $conc): void
{
    $p50 = $p99 = null;
    if ($lat !== null) {
        $l = $lat->toArray();
        sort($l, SORT_NUMERIC);
        $p50 = percentile_us($l, 50);
        $p99 = percentile_us($l, 99);
    }
    $r = fn (?float $x) => $x === null ? null : round($x, 3);
    echo json_encode([
        'client' => 'flame',
        'workload' => $workload,
        'concurrency' => $conc,
        'messages' => $n,
        'size' => $o['size'],
        'seconds' => $r($secs),
        'msg_per_s' => $r($n / $secs),
        'mb_per_s' => $r($n * $o['size'] / $secs / 1e6),
        'p50_us' => $r($p50),
        'p99_us' => $r($p99),
        'rss_before_kb' => $rssBefore,
        'rss_warm_kb' => $rssWarm,
        'rss_after_kb' => $rssAfter,
    ]), "\n";
}

function parse_args(array $argv): array
{
    $o = [
        'workload' => $argv[1] ?? '',
        'brokers' => getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092',
        'topic' => '',
        'messages' => 100000,
        'concurrency' => 1,
        'size' => 100,
        'batch' => 500,
        'linger-ms' => null,
        'group' => null,
        'set' => [],
    ];
    for ($i = 2; $i < count($argv); $i++) {
        $a = $argv[$i];
        if (str_contains($a, '=')) {
            [$name, $val] = explode('=', $a, 2);
        } else {
            $name = $a;
            $val = $argv[++$i] ?? fail("$name needs a value");
        }
        $key = substr($name, 2);
        if (!str_starts_with($name, '--') || !array_key_exists($key, $o) || $key === 'workload') {
            fail("unknown flag $name");
        }
        if ($key === 'set') {   // --set key=value: an extra librdkafka property (repeatable)
            if (!str_contains($val, '=')) fail("--set $val: expected key=value");
            [$k, $v] = explode('=', $val, 2);
            $o['set'][$k] = $v;
            continue;
        }
        $o[$key] = in_array($key, ['messages', 'concurrency', 'size', 'linger-ms'], true)
            ? (int)str_replace('_', '', $val) : $val;
    }
    if ($o['topic'] === '') fail('--topic is required');
    $o['concurrency'] = max(1, $o['concurrency']);
    return $o;
}

function make_producer(array $o, ?int $linger): producer
{
    $global = ['bootstrap.servers' => $o['brokers']];
    $linger ??= $o['linger-ms'];
    if ($linger !== null) $global['linger.ms'] = $linger;
    $global = array_merge($global, $o['set']);
    // flame_kafka's default partitioner is consistent_random, librdkafka's default too.
    return new producer($global, [], $o['topic']);
}

$o = parse_args($argv);
$n = $o['messages'];
$payload = str_repeat('x', $o['size']);

switch ($o['workload']) {
    case 'produce-ff':
        $p = make_producer($o, null);
        $p->produce($payload)->wait();                  // warm-up
        $w = warm_at($n);
        $warm = null;
        $before = rss_kb();
        $t = hrtime(true);
        // Two loops rather than a test per message: the warm sample comes
        // after 20% of the produce() calls (acks only come at the flush).
        for ($i = 0; $i < ($w ?? $n); $i++) {
            $p->produce($payload);
        }
        if ($w !== null) {
            $warm = rss_kb();
            for (; $i < $n; $i++) {
                $p->produce($payload);
            }
        }
        $p->flush(120000)->wait();
        $secs = (hrtime(true) - $t) / 1e9;
        report('produce-ff', $o, $n, $secs, null, $before, $warm, rss_kb(), 0);
        break;

    case 'produce-await':
        $c = $o['concurrency'];
        $p = make_producer($o, null);
        $p->produce($payload)->wait();                  // warm-up
        $lat = latency_buffer($n);
        $next = 0;
        $acked = 0;
        $w = warm_at($n) ?? -1;
        $warm = null;
        $before = rss_kb();
        $t = hrtime(true);
        for ($k = 0; $k < $c; $k++) {
            flame\go(function () use (&$next, &$acked, &$warm, $w, $n, $p, $payload, $lat) {
                while ($next < $n) {
                    $i = $next++;
                    $t0 = hrtime(true);
                    yield $p->produce($payload);
                    $lat[$i] = hrtime(true) - $t0;
                    if (++$acked === $w) $warm = rss_kb();   // once 20% are acknowledged
                }
            });
        }
        flame\run();
        $secs = (hrtime(true) - $t) / 1e9;
        report('produce-await', $o, $n, $secs, $lat, $before, $warm, rss_kb(), $c);
        break;

    case 'latency':
        $p = make_producer($o, $o['linger-ms'] ?? 0);
        $p->produce($payload)->wait();                  // warm-up
        $lat = latency_buffer($n);
        $w = warm_at($n) ?? -1;
        $warm = null;
        $before = rss_kb();
        $secs = 0.0;
        flame\go(function () use ($n, $w, $p, $payload, $lat, &$secs, &$warm) {
            $t = hrtime(true);
            for ($i = 0; $i < $n; $i++) {
                if ($i === $w) $warm = rss_kb();            // after 20%, outside the timed produce
                $t0 = hrtime(true);
                yield $p->produce($payload);
                $lat[$i] = hrtime(true) - $t0;
            }
            $secs = (hrtime(true) - $t) / 1e9;
        });
        flame\run();
        report('latency', $o, $n, $secs, $lat, $before, $warm, rss_kb(), 1);
        break;

    case 'sync':
        // A plain synchronous script: produce()->wait() per message, librdkafka's defaults
        // (linger.ms as configured: what wait() does with it is what this measures).
        $p = make_producer($o, null);
        $p->produce($payload)->wait();                  // warm-up
        $lat = latency_buffer($n);
        $w = warm_at($n) ?? -1;
        $warm = null;
        $before = rss_kb();
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            if ($i === $w) $warm = rss_kb();
            $t0 = hrtime(true);
            $p->produce($payload)->wait();
            $lat[$i] = hrtime(true) - $t0;
        }
        $secs = (hrtime(true) - $t) / 1e9;
        report('sync', $o, $n, $secs, $lat, $before, $warm, rss_kb(), 1);
        break;

    case 'per-request':
        // What a php-fpm request without persistent clients does: new producer, one message
        // acknowledged, producer destroyed; N times.
        $one = function () use ($o, $payload) {
            $p = make_producer($o, null);
            $p->produce($payload)->wait();
        };
        $one();                                         // warm-up
        $lat = latency_buffer($n);
        $w = warm_at($n) ?? -1;
        $warm = null;
        $before = rss_kb();
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            if ($i === $w) $warm = rss_kb();
            $t0 = hrtime(true);
            $one();
            $lat[$i] = hrtime(true) - $t0;
        }
        $secs = (hrtime(true) - $t) / 1e9;
        report('per-request', $o, $n, $secs, $lat, $before, $warm, rss_kb(), 1);
        break;

    case 'consume':
        $group = $o['group'] ?? ('bench-flame-' . getmypid() . '-' . (int)(microtime(true) * 1000));
        $c = new consumer(
            array_merge(['bootstrap.servers' => $o['brokers'], 'group.id' => $group], $o['set']),
            ['auto.offset.reset' => 'earliest'],
            $o['topic']
        );
        $result = null;
        flame\go(function () use ($c, $n, &$result) {
            // Warm-up: the group join and the first fetch are not measured.
            $m = yield $c->consume(30000);
            if ($m === null) fail('consume (warm-up): no message for 30 s (is the topic pre-filled?)');
            $w = warm_at($n);
            $warm = null;
            $before = rss_kb();
            $bytes = 0;
            $t = hrtime(true);
            // Two loops rather than a test per message: the warm sample comes after 20% consumed.
            for ($i = 0; $i < ($w ?? $n); $i++) {
                $m = yield $c->consume(5000);
                if ($m === null) fail("consume: no message for 5 s after $i of $n");
                $bytes += strlen($m->val);
            }
            if ($w !== null) {
                $warm = rss_kb();
                for (; $i < $n; $i++) {
                    $m = yield $c->consume(5000);
                    if ($m === null) fail("consume: no message for 5 s after $i of $n");
                    $bytes += strlen($m->val);
                }
            }
            $secs = (hrtime(true) - $t) / 1e9;
            $result = [$secs, $before, $warm, rss_kb(), $bytes];
        });
        flame\run();
        [$secs, $before, $warm, $after, $bytes] = $result;
        if ($bytes !== $n * $o['size']) {
            fwrite(STDERR, "kafka.php: consumed $bytes payload bytes, expected " . ($n * $o['size']) . " (--size?)\n");
        }
        report('consume', $o, $n, $secs, null, $before, $warm, $after, 0);
        break;

    case 'consume-batch':
        $group = $o['group'] ?? ('bench-flame-' . getmypid() . '-' . (int)(microtime(true) * 1000));
        $c = new consumer(
            array_merge(['bootstrap.servers' => $o['brokers'], 'group.id' => $group], $o['set']),
            ['auto.offset.reset' => 'earliest'],
            $o['topic']
        );
        $batch = (int)$o['batch'];
        $result = null;
        flame\go(function () use ($c, $n, $batch, &$result) {
            // Warm-up: the group join and the first fetch are not measured.
            $m = yield $c->consume(30000);
            if ($m === null) fail('consume-batch (warm-up): no message for 30 s (is the topic pre-filled?)');
            $w = warm_at($n);
            $warm = null;
            $before = rss_kb();
            $bytes = 0;
            $i = 0;
            $t = hrtime(true);
            while ($i < $n) {
                $msgs = yield $c->consume_batch(min($batch, $n - $i), 5000);
                if ($msgs === []) fail("consume-batch: no message for 5 s after $i of $n");
                foreach ($msgs as $m) {
                    $bytes += strlen($m->val);
                }
                $i += count($msgs);
                if ($warm === null && $w !== null && $i >= $w) $warm = rss_kb();
            }
            $secs = (hrtime(true) - $t) / 1e9;
            $result = [$secs, $before, $warm, rss_kb(), $bytes];
        });
        flame\run();
        [$secs, $before, $warm, $after, $bytes] = $result;
        if ($bytes !== $n * $o['size']) {
            fwrite(STDERR, "kafka.php: consumed $bytes payload bytes, expected " . ($n * $o['size']) . " (--size?)\n");
        }
        report('consume-batch', $o, $n, $secs, null, $before, $warm, $after, $batch);
        break;

    default:
        fail("usage: kafka.php produce-ff|produce-await|consume|consume-batch|latency|sync|per-request --brokers B --topic T --messages N "
            . "[--concurrency C] [--size 100] [--linger-ms L] [--group G]");
}
