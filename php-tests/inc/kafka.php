<?php
/*
 * Shared helpers for the Kafka phpt tests (php-tests/kafka_*, producer_*,
 * consumer_*, message_*). Include with:
 *
 *     require __DIR__ . '/inc/kafka.php';
 *
 * Nothing here skips a test: a missing broker, a failed topic creation or
 * a missing environment variable makes the test fail loudly.
 */

declare(strict_types=1);

/** Bootstrap servers of the test broker (set by scripts/run-phpt.sh). */
function brokers(): string
{
    $b = getenv('KAFKA_BROKERS');
    if ($b === false || $b === '') {
        throw new RuntimeException('KAFKA_BROKERS is not set (run through scripts/run-phpt.sh)');
    }
    return $b;
}

/** Root of the repository (FLAME_KAFKA_ROOT, else two levels above this file). */
function flame_kafka_root(): string
{
    $r = getenv('FLAME_KAFKA_ROOT');
    return ($r !== false && $r !== '') ? $r : dirname(__DIR__, 2);
}

/** Path of the extension under test (FLAME_KAFKA_SO, else ROOT/modules/flame_kafka.so). */
function flame_kafka_so(): string
{
    $so = getenv('FLAME_KAFKA_SO');
    return ($so !== false && $so !== '') ? $so : flame_kafka_root() . '/modules/flame_kafka.so';
}

/** A fresh topic name, unique per call. */
function unique_topic(string $prefix = 't'): string
{
    return $prefix . '_' . bin2hex(random_bytes(5));
}

/** A fresh consumer group name, unique per call. */
function unique_group(string $prefix = 'g'): string
{
    return $prefix . '_' . bin2hex(random_bytes(5));
}

/**
 * The admin client of the test broker (flame\db\kafka\admin: no Java
 * needed), one per process (a forked child makes its own).
 */
function test_admin(): flame\db\kafka\admin
{
    static $admin = null, $pid = null;
    if ($admin === null || $pid !== getmypid()) {
        $admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
        $pid = getmypid();
    }
    return $admin;
}

/**
 * Waits (up to 15 s) until the metadata shows $name with $partitions
 * partitions, each with a leader; throws if it does not.
 */
function wait_for_partitions(string $name, int $partitions): void
{
    $deadline = microtime(true) + 15;
    do {
        $md = test_admin()->metadata($name)->wait();
        $t = $md['topics'][$name] ?? null;
        if ($t !== null && $t['error'] === 0 && count($t['partitions']) === $partitions
            && min(array_column($t['partitions'], 'leader')) >= 0) {
            return;
        }
        usleep(100000);
    } while (microtime(true) < $deadline);
    throw new RuntimeException("topic $name: no $partitions partitions with leaders after 15 s: " . json_encode($t));
}

/** Creates $name with $partitions partitions (idempotent); returns once every partition has a leader. */
function create_topic(string $name, int $partitions): void
{
    try {
        test_admin()->create_topic($name, $partitions)->wait();
    } catch (flame\db\kafka\exception $e) {
        if ($e->getCode() !== 36) {   // 36: the topic exists already
            throw $e;
        }
    }
    wait_for_partitions($name, $partitions);
}

/** Grows an existing topic to $partitions partitions; returns once every partition has a leader. */
function grow_topic(string $name, int $partitions): void
{
    test_admin()->create_partitions($name, $partitions)->wait();
    wait_for_partitions($name, $partitions);
}

/** Global options of a producer against the test broker. */
function producer_conf(array $extra = []): array
{
    return ['bootstrap.servers' => brokers()] + $extra;
}

/** Global options of a consumer in group $group against the test broker. */
function consumer_conf(string $group, array $extra = []): array
{
    return ['bootstrap.servers' => brokers(), 'group.id' => $group] + $extra;
}

/** A consumer reading $topics from the beginning in group $group (fresh group by default). */
function earliest_consumer($topics, ?string $group = null, array $extra = []): flame\db\kafka\consumer
{
    return new flame\db\kafka\consumer(
        consumer_conf($group ?? unique_group(), $extra),
        ['auto.offset.reset' => 'earliest'],
        $topics
    );
}

/**
 * Runs $fn as a coroutine (flame\go + flame\run) and returns what it returned
 * (a generator's return value). Rethrows what the coroutine threw.
 */
function run_co(callable $fn)
{
    $result = null;
    $done = false;
    flame\go(function () use ($fn, &$result, &$done) {
        $result = yield $fn();
        $done = true;
    });
    flame\run();
    if (!$done) {
        throw new RuntimeException('run_co: the coroutine did not finish');
    }
    return $result;
}

/**
 * Generator (use with `yield`): consumes from $consumer until
 *  - $expect >= 0: $expect messages arrived and then nothing more for $idle_ms
 *    (so duplicates/extras beyond $expect are still collected), or
 *  - $expect < 0: at least one message arrived and then nothing for $idle_ms;
 * or until $max_s seconds passed in total. Returns the list of messages.
 */
function consume_all(flame\db\kafka\consumer $consumer, int $expect = -1, int $idle_ms = 1500, float $max_s = 15.0): Generator
{
    $msgs = [];
    $t0 = microtime(true);
    while (microtime(true) - $t0 < $max_s) {
        $enough = $expect >= 0 ? count($msgs) >= $expect : count($msgs) > 0;
        $m = yield $consumer->consume($enough ? $idle_ms : 1000);
        if ($m === null) {
            if ($enough) {
                break;
            }
            continue;
        }
        $msgs[] = $m;
    }
    return $msgs;
}

/**
 * Generator (use with `yield`): reads the whole $topic from the beginning with
 * a fresh group (see consume_all), closes the consumer and returns the messages.
 */
function read_topic(string $topic, int $expect = -1, int $idle_ms = 1500, float $max_s = 15.0): Generator
{
    $c = earliest_consumer($topic);
    $msgs = yield consume_all($c, $expect, $idle_ms, $max_s);
    yield $c->close();
    return $msgs;
}

/* ------------------------------------------------------------------------
 * librdkafka's builtin partitioners, in PHP (librdkafka src/rdkafka_msg.c,
 * src/rdmurmur2.c, src/rdfnv1a.c, src/rdcrc32.c):
 *
 *   consistent          rd_crc32(key) % cnt             (crc32 = PHP crc32())
 *   consistent_random   keylen == 0 ? random : consistent
 *   murmur2             (rd_murmur2(key) & 0x7fffffff) % cnt
 *   murmur2_random      key == NULL ? random : murmur2
 *   fnv1a               rd_fnv1a(key) % cnt   (FNV-1a 32, then abs() as int32,
 *                                              Sarama-compatible)
 *   fnv1a_random        key == NULL ? random : fnv1a
 *   random              random
 *
 * Note (rd_kafka_msg_partitioner): a NULL key, and an empty key with
 * consistent_random, never reach the partitioner at all; librdkafka then
 * uses the "sticky" random partition. So with a NULL key every builtin
 * partitioner is effectively random.
 * ------------------------------------------------------------------------ */

/** 32-bit unsigned multiplication without overflowing PHP's int64. */
function u32_mul(int $a, int $b): int
{
    $a &= 0xffffffff;
    $b &= 0xffffffff;
    $lo = ($a & 0xffff) * $b;
    $hi = (($a >> 16) * $b) & 0xffff;
    return ($lo + ($hi << 16)) & 0xffffffff;
}

/** Signed int32 view of an unsigned 32-bit value. */
function i32(int $u): int
{
    $u &= 0xffffffff;
    return $u >= 0x80000000 ? $u - 0x100000000 : $u;
}

/** Kafka's Utils.murmur2 (seed 0x9747b28c), as a signed int32 like Java. */
function kafka_murmur2(string $data): int
{
    $m = 0x5bd1e995;
    $len = strlen($data);
    $h = (0x9747b28c ^ $len) & 0xffffffff;
    $i = 0;
    for (; $len - $i >= 4; $i += 4) {
        $k = ord($data[$i]) | (ord($data[$i + 1]) << 8) | (ord($data[$i + 2]) << 16) | (ord($data[$i + 3]) << 24);
        $k = u32_mul($k, $m);
        $k ^= $k >> 24;
        $k = u32_mul($k, $m);
        $h = u32_mul($h, $m);
        $h ^= $k;
    }
    switch ($len - $i) {
        case 3:
            $h ^= ord($data[$i + 2]) << 16;
            // fallthrough
        case 2:
            $h ^= ord($data[$i + 1]) << 8;
            // fallthrough
        case 1:
            $h ^= ord($data[$i]);
            $h = u32_mul($h, $m);
    }
    $h ^= $h >> 13;
    $h = u32_mul($h, $m);
    $h ^= $h >> 15;
    return i32($h);
}

/** librdkafka's rd_fnv1a(): FNV-1a 32-bit, then the absolute value as int32 (returned unsigned). */
function rd_fnv1a(string $data): int
{
    $h = 0x811C9DC5;
    $n = strlen($data);
    for ($i = 0; $i < $n; $i++) {
        $h ^= ord($data[$i]);
        $h = u32_mul($h, 0x01000193);
    }
    $s = i32($h);
    if ($s < 0) {
        $s = -$s;              // INT32_MIN stays 0x80000000 as in C
    }
    return $s & 0xffffffff;
}

/**
 * The partition librdkafka's builtin partitioner $name picks for $key among
 * $count partitions, or null when the choice is random.
 */
function expected_partition(string $name, ?string $key, int $count): ?int
{
    if ($key === null) {
        return null;   // sticky random partition for NULL keys (see above)
    }
    switch ($name) {
        case 'consistent':
            return crc32($key) % $count;
        case 'consistent_random':
            return $key === '' ? null : crc32($key) % $count;
        case 'murmur2':
        case 'murmur2_random':
            return (kafka_murmur2($key) & 0x7fffffff) % $count;
        case 'fnv1a':
        case 'fnv1a_random':
            return rd_fnv1a($key) % $count;
        case 'random':
            return null;
    }
    throw new InvalidArgumentException("unknown partitioner $name");
}

/** "Class: message" of a throwable, for EXPECT sections. */
function describe(Throwable $e): string
{
    return get_class($e) . ': ' . $e->getMessage();
}

/** Runs $php_code in a child `php -n -d extension=...` process; returns [exit code, stdout, stderr]. */
function run_child_php(string $php_code, array $ini = [], int $timeout_s = 60): array
{
    $file = tempnam(sys_get_temp_dir(), 'flame_kafka_child_') . '.php';
    file_put_contents($file, $php_code);
    $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . flame_kafka_so()];
    foreach ($ini as $k => $v) {
        $cmd[] = '-d';
        $cmd[] = "$k=$v";
    }
    $cmd[] = $file;
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!is_resource($proc)) {
        throw new RuntimeException('proc_open failed');
    }
    stream_set_blocking($pipes[1], false);
    stream_set_blocking($pipes[2], false);
    $out = $err = '';
    $t0 = microtime(true);
    while (true) {
        $r = [$pipes[1], $pipes[2]];
        $w = $e = null;
        if (stream_select($r, $w, $e, 0, 200000) > 0) {
            foreach ($r as $p) {
                $chunk = fread($p, 65536);
                if ($p === $pipes[1]) { $out .= $chunk; } else { $err .= $chunk; }
            }
        }
        $st = proc_get_status($proc);
        if (!$st['running']) {
            $out .= stream_get_contents($pipes[1]);
            $err .= stream_get_contents($pipes[2]);
            $rc = $st['exitcode'];
            break;
        }
        if (microtime(true) - $t0 > $timeout_s) {
            proc_terminate($proc, 9);
            $rc = -1;
            $err .= "\n[killed after {$timeout_s}s]";
            break;
        }
    }
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($proc);
    @unlink($file);
    return [$rc, $out, $err];
}
