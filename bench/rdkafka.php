<?php
// php-rdkafka side of `make bench` (the peer; built by bench/peer.php, never vendored): the same
// workloads, flags and JSON line as bench/kafka.php and bench-raw, written the way php-rdkafka's
// users write them (its README and docs): RdKafka\Producer + a delivery report callback,
// poll() to serve it, flush() to wait; RdKafka\KafkaConsumer::consume() per message.
//
//   php -n -d extension=rdkafka.so bench/rdkafka.php <workload> --brokers B --topic T --messages N
//       [--concurrency C] [--size 100] [--linger-ms L] [--group G] [--set key=value]...
//
// workloads:
//   produce-ff     produce() + poll(0) N times (a full queue: poll(100), retry), then flush()
//   produce-await  at most C messages unacknowledged: produce() while below C, else poll();
//                  latency produce -> delivery report (the message's opaque carries its number)
//   sync           produce() + flush() per message
//   per-request    N times: new Conf + Producer, produce(), flush(), destroy
//   consume        KafkaConsumer, subscribe, consume(5000) N times, fresh group, earliest
// Timing starts after the same warm-up as the other two; RSS is sampled at the same points.

function fail(string $msg): never
{
    fwrite(STDERR, "rdkafka.php: $msg\n");
    exit(1);
}

function rss_kb(): int
{
    return preg_match('/^VmRSS:\s+(\d+)/m', (string)file_get_contents('/proc/self/status'), $m) ? (int)$m[1] : 0;
}

function warm_at(int $n): ?int { return $n >= 10000 ? intdiv($n, 5) : null; }

function percentile_us(array $sorted, float $p): ?float
{
    $n = count($sorted);
    if ($n === 0) return null;
    return $sorted[max(1, min((int)ceil($p / 100 * $n), $n)) - 1] / 1000;
}

function latency_buffer(int $n): SplFixedArray
{
    $a = new SplFixedArray($n);
    for ($i = 0; $i < $n; $i++) $a[$i] = 0;
    return $a;
}

function report(string $workload, array $o, int $n, float $secs, ?SplFixedArray $lat, int $before, ?int $warm, int $after, int $conc): void
{
    $p50 = $p99 = null;
    if ($lat !== null) {
        $l = $lat->toArray();
        sort($l, SORT_NUMERIC);
        $p50 = percentile_us($l, 50);
        $p99 = percentile_us($l, 99);
    }
    $r = fn (?float $x) => $x === null ? null : round($x, 3);
    echo json_encode(['client' => 'php-rdkafka', 'workload' => $workload, 'concurrency' => $conc, 'messages' => $n,
        'size' => $o['size'], 'seconds' => $r($secs), 'msg_per_s' => $r($n / $secs), 'mb_per_s' => $r($n * $o['size'] / $secs / 1e6),
        'p50_us' => $r($p50), 'p99_us' => $r($p99), 'rss_before_kb' => $before, 'rss_warm_kb' => $warm, 'rss_after_kb' => $after]), "\n";
}

function parse_args(array $argv): array
{
    $o = ['workload' => $argv[1] ?? '', 'brokers' => getenv('KAFKA_BROKERS') ?: '127.0.0.1:29092', 'topic' => '',
          'messages' => 100000, 'concurrency' => 1, 'size' => 100, 'linger-ms' => null, 'group' => null, 'set' => []];
    for ($i = 2; $i < count($argv); $i++) {
        [$name, $val] = str_contains($argv[$i], '=') ? explode('=', $argv[$i], 2) : [$argv[$i], $argv[++$i] ?? fail("{$argv[$i - 1]} needs a value")];
        $key = substr($name, 2);
        if (!str_starts_with($name, '--') || !array_key_exists($key, $o) || $key === 'workload') fail("unknown flag $name");
        if ($key === 'set') {
            if (!str_contains($val, '=')) fail("--set $val: expected key=value");
            [$k, $v] = explode('=', $val, 2);
            $o['set'][$k] = $v;
            continue;
        }
        $o[$key] = in_array($key, ['messages', 'concurrency', 'size', 'linger-ms'], true) ? (int)str_replace('_', '', $val) : $val;
    }
    if ($o['topic'] === '') fail('--topic is required');
    $o['concurrency'] = max(1, $o['concurrency']);
    return $o;
}

/** What the delivery report callback counts; kept apart from the producer (see Peer). */
final class Acks
{
    public int $acked = 0;
    public int $failed = 0;
    public ?SplFixedArray $lat = null;
}

final class Peer
{
    public int $sent = 0;
    public Acks $acks;
    public RdKafka\Producer $rk;
    public RdKafka\ProducerTopic $topic;

    public function __construct(array $o)
    {
        $conf = new RdKafka\Conf();
        $conf->set('bootstrap.servers', $o['brokers']);
        if ($o['linger-ms'] !== null) $conf->set('linger.ms', (string)$o['linger-ms']);
        foreach ($o['set'] as $k => $v) $conf->set($k, (string)$v);
        // A static closure over $acks only: a callback holding the Peer would make a reference
        // cycle (Peer -> producer -> callback -> Peer), and the producer would live until PHP's
        // cycle collector runs instead of being destroyed when the request lets go of it.
        $acks = $this->acks = new Acks();
        $conf->setDrMsgCb(static function (RdKafka\Producer $rk, RdKafka\Message $m) use ($acks) {
            if ($m->err) {
                if ($acks->failed++ === 0) fwrite(STDERR, "rdkafka.php: delivery failed: {$m->errstr()}\n");
            }
            if ($acks->lat !== null && $m->opaque !== null) {
                $i = (int)$m->opaque;
                $acks->lat[$i] = hrtime(true) - $acks->lat[$i];
            }
            $acks->acked++;
        });
        $this->rk = new RdKafka\Producer($conf);
        $this->topic = $this->rk->newTopic($o['topic']);
    }

    /** produce(); a full local queue is served with poll(100) and retried (never dropped). */
    public function send(string $payload, ?string $opaque = null): void
    {
        while (true) {
            try {
                $this->topic->produce(RD_KAFKA_PARTITION_UA, 0, $payload, null, $opaque);
                $this->sent++;
                return;
            } catch (RdKafka\Exception $e) {
                if ($e->getCode() !== RD_KAFKA_RESP_ERR__QUEUE_FULL) fail('produce: ' . $e->getMessage());
                $this->rk->poll(100);
            }
        }
    }

    public function flush(): void
    {
        for ($i = 0; $i < 12; $i++) {
            if ($this->rk->flush(10000) === RD_KAFKA_RESP_ERR_NO_ERROR) return;
        }
        fail('flush: messages still unacknowledged after 120 s');
    }

    public function check(int $n): void
    {
        if ($this->acks->failed > 0 || $this->acks->acked !== $n) fail("{$this->acks->failed} of $n message(s) failed (acked {$this->acks->acked})");
    }
}

$o = parse_args($argv);
$n = $o['messages'];
$payload = str_repeat('x', $o['size']);

switch ($o['workload']) {
    case 'produce-ff':
        $p = new Peer($o);
        $p->send($payload);
        $p->flush();                                    // warm-up
        $p->acks->acked = $p->sent = 0;
        $w = warm_at($n);
        $warm = null;
        $before = rss_kb();
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            if ($i === $w) $warm = rss_kb();
            $p->send($payload);
            $p->rk->poll(0);
        }
        $p->flush();
        $secs = (hrtime(true) - $t) / 1e9;
        $p->check($n);
        report('produce-ff', $o, $n, $secs, null, $before, $warm, rss_kb(), 0);
        break;

    case 'produce-await':
        $c = $o['concurrency'];
        $p = new Peer($o);
        $p->send($payload);
        $p->flush();                                    // warm-up
        $p->acks->acked = $p->sent = 0;
        $p->acks->lat = latency_buffer($n);
        $w = warm_at($n) ?? -1;
        $warm = null;
        $before = rss_kb();
        $t = hrtime(true);
        while ($p->acks->acked < $n) {
            while ($p->sent < $n && $p->sent - $p->acks->acked < $c) {
                $p->acks->lat[$p->sent] = hrtime(true);
                $p->send($payload, (string)$p->sent);
            }
            $p->rk->poll(1000);
            if ($warm === null && $w > 0 && $p->acks->acked >= $w) $warm = rss_kb();
        }
        $secs = (hrtime(true) - $t) / 1e9;
        $p->check($n);
        report('produce-await', $o, $n, $secs, $p->acks->lat, $before, $warm, rss_kb(), $c);
        break;

    case 'sync':
        $p = new Peer($o);
        $p->send($payload);
        $p->flush();                                    // warm-up
        $p->acks->acked = $p->sent = 0;
        $lat = latency_buffer($n);
        $w = warm_at($n) ?? -1;
        $warm = null;
        $before = rss_kb();
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            if ($i === $w) $warm = rss_kb();
            $t0 = hrtime(true);
            $p->send($payload);
            $p->flush();
            $lat[$i] = hrtime(true) - $t0;
        }
        $secs = (hrtime(true) - $t) / 1e9;
        $p->check($n);
        report('sync', $o, $n, $secs, $lat, $before, $warm, rss_kb(), 1);
        break;

    case 'per-request':
        $one = function () use ($o, $payload) {
            $p = new Peer($o);
            $p->send($payload);
            $p->flush();
            $p->check(1);
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
        $conf = new RdKafka\Conf();
        $conf->set('bootstrap.servers', $o['brokers']);
        $conf->set('group.id', $o['group'] ?? ('bench-rdkafka-' . getmypid() . '-' . (int)(microtime(true) * 1000)));
        $conf->set('auto.offset.reset', 'earliest');
        foreach ($o['set'] as $k => $v) $conf->set($k, (string)$v);
        $c = new RdKafka\KafkaConsumer($conf);
        $c->subscribe([$o['topic']]);
        $next = function (string $what, int $i) use ($c, $n): int {
            $give_up = microtime(true) + 30;
            while (true) {
                $m = $c->consume(5000);
                if ($m->err === RD_KAFKA_RESP_ERR_NO_ERROR) return strlen((string)$m->payload);
                if ($m->err !== RD_KAFKA_RESP_ERR__TIMED_OUT && $m->err !== RD_KAFKA_RESP_ERR__PARTITION_EOF) fail("consume ($what): {$m->errstr()}");
                if (microtime(true) > $give_up) fail("consume ($what): no message for 30 s after $i of $n (is the topic pre-filled?)");
            }
        };
        $next('warm-up', 0);
        $w = warm_at($n) ?? -1;
        $warm = null;
        $before = rss_kb();
        $bytes = 0;
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            if ($i === $w) $warm = rss_kb();
            $bytes += $next('run', $i);
        }
        $secs = (hrtime(true) - $t) / 1e9;
        if ($bytes !== $n * $o['size']) fwrite(STDERR, "rdkafka.php: consumed $bytes payload bytes, expected " . ($n * $o['size']) . "\n");
        report('consume', $o, $n, $secs, null, $before, $warm, rss_kb(), 0);
        $c->close();
        break;

    default:
        fail('usage: rdkafka.php produce-ff|produce-await|sync|per-request|consume --brokers B --topic T --messages N [--concurrency C] [--size 100]');
}
