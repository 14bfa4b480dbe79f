<?php
// Coroutine kinds and event loops (part of `make bench`): awaited produce
// (1000 concurrent waiters) and consume, as flame Generator coroutines
// (`yield`), flame Fiber coroutines (`wait()` in flame\go), and Revolt fibers
// (`wait()` under Revolt\EventLoop 1.0.9), beside raw librdkafka (bench-raw)
// in the same run, same broker, same topic settings.
//
//   php -n -d extension=modules/flame_kafka.so bench/loops.php [--messages N] [--runs R] [--concurrency C]
//
// --messages N     awaited produce N messages (default 100000); consume 2N (default 200000)
// --runs R         runs of every workload and kind (default 3), order rotated; medians reported
// --concurrency C  waiters of the awaited produce (default 1000)
//
// env: KAFKA_BROKERS (else scripts/kafka.sh bootstrap), BENCH_RAW (default
// target/release/bench-raw), FLAME_KAFKA_PHP_LIBS (else scripts/php-libs.sh).
// Each measurement runs in a fresh PHP process and prints one JSON line.

define('ROOT', dirname(__DIR__));

function fail(string $s): never { fwrite(STDERR, "loops.php: $s\n"); exit(1); }
function median(array $xs): float { sort($xs); $n = count($xs); return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n / 2 - 1] + $xs[$n / 2]) / 2; }

$o = ['messages' => 100000, 'runs' => 3, 'concurrency' => 1000, 'one' => null, 'kind' => null, 'topic' => null, 'brokers' => null];
for ($i = 1; $i < count($argv); $i++) {
    $k = substr($argv[$i], 2);
    if (!str_starts_with($argv[$i], '--') || !array_key_exists($k, $o)) fail("unknown flag {$argv[$i]}");
    $o[$k] = $argv[++$i] ?? fail("{$argv[$i - 1]} needs a value");
}
foreach (['messages', 'runs', 'concurrency'] as $k) $o[$k] = (int)$o[$k];
$brokers = $o['brokers'] ?? (getenv('KAFKA_BROKERS') ?: trim((string)shell_exec(escapeshellarg(ROOT . '/scripts/kafka.sh') . ' bootstrap')));

// ───────────── one measurement (child process) ─────────────
if ($o['one'] !== null) {
    $n = $o['messages'];
    $kind = $o['kind'];
    if ($kind === 'revolt') {
        require getenv('FLAME_KAFKA_PHP_LIBS') . '/usr/share/php/Revolt/EventLoop/autoload.php';
    }
    $payload = str_repeat('x', 100);
    if ($o['one'] === 'produce-await') {
        $p = new flame\db\kafka\producer(['bootstrap.servers' => $brokers], [], $o['topic']);
        $p->produce($payload)->wait();   // warm-up: connection and metadata
        $next = 0;
        $t = hrtime(true);
        for ($k = 0; $k < $o['concurrency']; $k++) {
            match ($kind) {
                'generator' => flame\go(function () use (&$next, $n, $p, $payload) {
                    while ($next++ < $n) yield $p->produce($payload);
                }),
                'fiber' => flame\go(function () use (&$next, $n, $p, $payload) {
                    while ($next++ < $n) $p->produce($payload)->wait();
                }),
                'revolt' => Revolt\EventLoop::queue(function () use (&$next, $n, $p, $payload) {
                    while ($next++ < $n) $p->produce($payload)->wait();
                }),
            };
        }
        $kind === 'revolt' ? Revolt\EventLoop::run() : flame\run();
    } else {
        $c = new flame\db\kafka\consumer(
            ['bootstrap.servers' => $brokers, 'group.id' => 'bench-loops-' . getmypid() . '-' . hrtime(true)],
            ['auto.offset.reset' => 'earliest'],
            $o['topic']
        );
        $t = null;
        $read = function (callable $next) use ($n, &$t) {
            if ($next() === null) fail('consume (warm-up): no message for 30 s');   // group join not measured
            $t = hrtime(true);
            for ($i = 0; $i < $n; $i++) {
                if ($next() === null) fail("consume: no message for 5 s after $i");
            }
        };
        match ($kind) {
            'generator' => flame\go(function () use ($c, $n, &$t) {
                if ((yield $c->consume(30000)) === null) fail('consume (warm-up): no message for 30 s');
                $t = hrtime(true);
                for ($i = 0; $i < $n; $i++) {
                    if ((yield $c->consume(5000)) === null) fail("consume: no message for 5 s after $i");
                }
            }),
            'fiber' => flame\go(fn() => $read(fn() => $c->consume($t === null ? 30000 : 5000)->wait())),
            'revolt' => Revolt\EventLoop::queue(fn() => $read(fn() => $c->consume($t === null ? 30000 : 5000)->wait())),
        };
        $kind === 'revolt' ? Revolt\EventLoop::run() : flame\run();
    }
    $secs = (hrtime(true) - $t) / 1e9;
    echo json_encode(['msg_per_s' => $n / $secs, 'seconds' => $secs]), "\n";
    exit(0);
}

// ───────────── driver ─────────────
$raw = getenv('BENCH_RAW') ?: ROOT . '/target/release/bench-raw';
if (!is_executable($raw)) {
    passthru('cd ' . escapeshellarg(ROOT) . ' && cargo build --release -q -p flame-kafka-bench-raw', $rc);
    if ($rc !== 0 || !is_executable($raw)) fail("no bench-raw binary at $raw");
}
$libs = getenv('FLAME_KAFKA_PHP_LIBS') ?: trim((string)shell_exec(escapeshellarg(ROOT . '/scripts/php-libs.sh')));
$revolt = "$libs/usr/share/php/Revolt/EventLoop/autoload.php";
if (!is_file($revolt)) fail("Revolt not found under $libs (scripts/php-libs.sh)");
extension_loaded('flame_kafka') || fail('run with -d extension=modules/flame_kafka.so');
$soPath = getenv('FLAME_SO') ?: ROOT . '/modules/flame_kafka.so';

function run_json(string $cmd): array
{
    $out = shell_exec($cmd . ' 2>&1');
    $lines = array_values(array_filter(explode("\n", trim((string)$out))));
    $j = $lines ? json_decode(end($lines), true) : null;
    if (!is_array($j) || !isset($j['msg_per_s'])) fail("failed: $cmd\n$out");
    return $j;
}
function flame(string $workload, string $kind, string $topic, int $n): float
{
    global $soPath, $revolt, $brokers, $o;
    $cmd = escapeshellarg(PHP_BINARY) . ' -n -d ' . escapeshellarg("extension=$soPath") . ' -d memory_limit=-1 '
        . escapeshellarg(__FILE__) . " --one $workload --kind $kind --topic " . escapeshellarg($topic)
        . " --messages $n --concurrency {$o['concurrency']} --brokers " . escapeshellarg($brokers);
    return run_json('FLAME_KAFKA_PHP_LIBS=' . escapeshellarg($GLOBALS['libs']) . ' ' . $cmd)['msg_per_s'];
}
function raw(string $workload, string $topic, int $n): float
{
    global $raw, $brokers, $o;
    $extra = $workload === 'produce-await' ? " --concurrency {$o['concurrency']}" : '';
    return run_json(escapeshellarg($raw) . " $workload --brokers " . escapeshellarg($brokers) . ' --topic ' . escapeshellarg($topic) . " --messages $n$extra")['msg_per_s'];
}

$N = $o['messages'];
$R = $o['runs'];
$kinds = ['generator', 'fiber', 'revolt', 'raw'];
$suffix = getmypid() . '_' . time();
$produceTopic = "bench_loops_p_$suffix";
$consumeTopic = "bench_loops_c_$suffix";
shell_exec(escapeshellarg($raw) . ' create-topic --brokers ' . escapeshellarg($brokers) . " --topic $produceTopic,$consumeTopic --partitions 3");
run_json(escapeshellarg($raw) . ' produce-ff --brokers ' . escapeshellarg($brokers) . " --topic $consumeTopic --messages " . (2 * $N + 100));
fwrite(STDERR, sprintf("loops.php: %d run(s), awaited produce x%d (%d messages), consume %d messages, brokers %s\n", $R, $o['concurrency'], $N, 2 * $N, $brokers));

$res = [];
for ($r = 0; $r < $R; $r++) {
    $order = array_merge(array_slice($kinds, $r % 4), array_slice($kinds, 0, $r % 4));
    foreach ($order as $kind) {
        $res['produce-await'][$kind][] = $kind === 'raw' ? raw('produce-await', $produceTopic, $N) : flame('produce-await', $kind, $produceTopic, $N);
        $res['consume'][$kind][] = $kind === 'raw' ? raw('consume', $consumeTopic, 2 * $N) : flame('consume', $kind, $consumeTopic, 2 * $N);
        fwrite(STDERR, "  run " . ($r + 1) . " $kind done\n");
    }
}
shell_exec(escapeshellarg($raw) . ' delete-topic --brokers ' . escapeshellarg($brokers) . " --topic $produceTopic,$consumeTopic");

$names = ['generator' => 'flame Generator coroutines (yield)', 'fiber' => 'flame Fiber coroutines (wait())', 'revolt' => 'Revolt fibers (wait())', 'raw' => 'raw librdkafka (bench-raw)'];
printf("Coroutine kinds: %d run(s), medians, 100-byte payloads, librdkafka defaults\n\n", $R);
printf("| %-22s | %-36s | %10s | %8s | %8s |\n", 'workload', 'kind', 'msg/s', 'vs gen', 'vs raw');
printf("|%s|%s|%s|%s|%s|\n", str_repeat('-', 24), str_repeat('-', 38), str_repeat('-', 12), str_repeat('-', 10), str_repeat('-', 10));
foreach (['produce-await' => "awaited produce x{$o['concurrency']}", 'consume' => 'consume'] as $w => $label) {
    $gen = median($res[$w]['generator']);
    $rawm = median($res[$w]['raw']);
    foreach ($kinds as $kind) {
        $m = median($res[$w][$kind]);
        printf("| %-22s | %-36s | %10s | %7.2fx | %7.2fx |\n", $label, $names[$kind], number_format($m), $m / $gen, $m / $rawm);
    }
}
