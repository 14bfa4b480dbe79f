<?php
/*
 * Helpers of the cluster scenarios (tests/faults/c*_*.php, `make test-cluster`,
 * tests/faults/CLUSTER.md). On top of lib.php: FAULTS_BROKERS is the 3-node
 * cluster's bootstrap list (set by tests/faults/cluster_run.sh), and the nodes
 * are driven through `scripts/kafka.sh cluster ...`.
 */
declare(strict_types=1);
require_once __DIR__ . '/lib.php';

function kafka_script(): string { return escapeshellarg(faults_root() . '/scripts/kafka.sh'); }

/** `scripts/kafka.sh cluster $args`, blocking; returns [output (stdout+stderr), rc]. */
function cluster_sh(string $args): array
{
    exec(kafka_script() . ' cluster ' . $args . ' 2>&1', $out, $rc);
    return [implode("\n", $out), $rc];
}

/** Same, as a generator for `yield`: the other coroutines keep running meanwhile. */
function cluster_sh_async(string $args): Generator
{
    $p = proc_open('exec ' . kafka_script() . ' cluster ' . $args, [0 => ['file', '/dev/null', 'r'],
        1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
    if (!is_resource($p)) {
        throw new RuntimeException("cannot run kafka.sh cluster $args");
    }
    stream_set_blocking($pipes[1], false);
    $out = '';
    while (true) {
        $out .= (string)stream_get_contents($pipes[1]);
        $st = proc_get_status($p);
        if (!$st['running']) {
            break;
        }
        yield flame\time\sleep(50);
    }
    stream_set_blocking($pipes[1], true);
    $out .= (string)stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    return [trim($out), $st['exitcode']];
}

function cluster_topic_create(string $name, int $partitions, int $rf = 3): void
{
    [$out, $rc] = cluster_sh('topic-create ' . escapeshellarg($name) . " $partitions $rf");
    if ($rc !== 0) {
        throw new RuntimeException("cluster topic-create $name failed: $out");
    }
}

/** Node id leading $topic's $partition now (from TopicCommand --describe). */
function cluster_leader(string $topic, int $partition): int
{
    [$out, $rc] = cluster_sh('leader ' . escapeshellarg($topic) . " $partition");
    if ($rc !== 0 || !preg_match('/^(\d+)$/m', $out, $m)) {
        throw new RuntimeException("cannot find the leader of $topic/$partition: $out");
    }
    return (int)$m[1];
}

/** TopicCommand --describe of $topic: [partition => ['leader' => id, 'isr' => [ids]]]. */
function cluster_describe(string $topic): array
{
    [$out] = cluster_sh('describe ' . escapeshellarg($topic));
    $parts = [];
    preg_match_all('/Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]+)\s+Isr: ([\d,]*)/', $out, $mm, PREG_SET_ORDER);
    foreach ($mm as $m) {
        $parts[(int)$m[1]] = ['leader' => (int)$m[2], 'isr' => $m[4] === '' ? [] : array_map('intval', explode(',', $m[4]))];
    }
    return $parts;
}

/** Generator: until no partition of the cluster is under-replicated (or $max_s). Returns seconds waited. */
function cluster_wait_replicated(float $max_s = 120.0): Generator
{
    $t0 = microtime(true);
    while (microtime(true) - $t0 < $max_s) {
        [$out, $rc] = yield cluster_sh_async('under-replicated');
        if ($rc === 0 && trim($out) === '') {
            return microtime(true) - $t0;
        }
        yield flame\time\sleep(1000);
    }
    return -1.0;
}

/** Producer options against the cluster with the guarantees of CLUSTER.md. */
function cluster_producer_conf(array $extra = []): array
{
    return $extra + [
        'bootstrap.servers' => faults_brokers(),
        'acks' => 'all',
        'enable.idempotence' => true,
        'linger.ms' => 5,
    ];
}

/** Per-figure line plus RESULT, as in lib.php, with a one-line verdict. */
function verdict(bool $ok, string $pass, string $fail): void
{
    result($ok, $ok ? $pass : $fail);
}
