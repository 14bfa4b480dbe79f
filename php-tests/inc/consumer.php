<?php
/*
 * Helpers for the consumer tests of partition control, offsets, batches and
 * rebalance callbacks. Include after inc/kafka.php.
 */

declare(strict_types=1);

use flame\db\kafka\topic_partition;

/**
 * Generator (use with `yield`): produces to $topic, for each partition =>
 * list of values, every value to that partition (a callable partitioner
 * picks the partition from the key), keyed "p<partition>", and waits for
 * every acknowledgement. Returns the delivered messages in produce order.
 */
function produce_to(string $topic, array $per_partition): Generator
{
    $p = new flame\db\kafka\producer(
        producer_conf(),
        ['partitioner_cb' => fn (?string $key, int $n) => (int)substr((string)$key, 1)],
        $topic
    );
    $pending = [];
    foreach ($per_partition as $partition => $vals) {
        foreach ($vals as $v) {
            $pending[] = $p->produce($v, "p$partition");
        }
    }
    $out = [];
    foreach ($pending as $a) {
        $out[] = yield $a;
    }
    return $out;
}

/** "p<partition>@<offset>" of a topic_partition (topic names are random). */
function tp_str(topic_partition $tp): string
{
    return "p{$tp->partition}@{$tp->offset}";
}

/** tp_str of each element of a list of topic_partition, sorted by partition, comma separated. */
function tps_str(array $tps): string
{
    usort($tps, fn ($a, $b) => $a->partition <=> $b->partition);
    return implode(',', array_map('tp_str', $tps)) ?: '(none)';
}

/** "val@p<partition>/<offset>" of a list of messages. */
function msgs_str(array $msgs): string
{
    return implode(',', array_map(fn ($m) => "$m->val@p$m->partition/$m->offset", $msgs)) ?: '(none)';
}

/** A consumer without subscription (for assign()), in group $group. */
function manual_consumer(?string $group = null, array $extra = []): flame\db\kafka\consumer
{
    return new flame\db\kafka\consumer(
        consumer_conf($group ?? unique_group(), $extra),
        ['auto.offset.reset' => 'earliest'],
        []
    );
}

/** The partitions of a list of topic_partition, sorted, e.g. "0,2" ("(none)" when empty). */
function parts_str(array $tps): string
{
    $p = array_map(fn ($tp) => $tp->partition, $tps);
    sort($p);
    return implode(',', $p) ?: '(none)';
}

/**
 * The rebalance scenario of the rebalance_cb tests: on a new 2-partition
 * topic, member A joins alone, member B joins, then B leaves (close()).
 * Both record what their rebalance_cb saw, as "kind(count)"; messages are
 * produced all along. Prints each member's events, A's assignment at each
 * step and whether every message was received (at least once). $conf is
 * added to both members' global options.
 */
function rebalance_scenario(array $conf, float $max_s = 60.0): void
{
    $topic = unique_topic();
    create_topic($topic, 2);
    $group = unique_group();
    $log = ['A' => [], 'B' => []];
    $seen = [];
    $make = function (string $name) use ($topic, $group, $conf, &$log) {
        $cb = function (string $kind, array $partitions) use ($name, &$log) {
            foreach ($partitions as $tp) {
                if (!$tp instanceof flame\db\kafka\topic_partition) {
                    throw new LogicException('not a topic_partition');
                }
            }
            $log[$name][] = "$kind(" . count($partitions) . ")";
        };
        return earliest_consumer($topic, $group, $conf + ['rebalance_cb' => $cb]);
    };
    $t0 = microtime(true);
    $until = function (callable $cond, string $what) use ($t0, $max_s): Generator {
        while (!$cond()) {
            if (microtime(true) - $t0 > $max_s) {
                throw new RuntimeException("timed out waiting for $what");
            }
            yield flame\time\sleep(50);
        }
    };
    $running = ['A' => true, 'B' => true];
    $loop = function (string $name, flame\db\kafka\consumer $c) use (&$running, &$seen): Generator {
        while ($running[$name]) {
            $m = yield $c->consume(200);
            if ($m !== null) {
                $seen[$m->val] = true;
            }
        }
    };
    $A = $make('A');
    flame\go(fn () => $loop('A', $A));
    flame\go(function () use ($make, $loop, $until, &$log, &$running, $A, $topic, &$seen) {
        $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
        $n = 0;
        $produce = function (int $k) use ($p, &$n) {
            for ($i = 0; $i < $k; $i++, $n++) {
                $p->produce("m$n", "k$n");
            }
        };
        yield $until(fn () => count($A->assignment()) === 2, 'A to get both partitions');
        $produce(20);
        echo "A alone: ", parts_str($A->assignment()), "\n";
        $B = $make('B');
        flame\go(fn () => $loop('B', $B));
        yield $until(fn () => count($A->assignment()) === 1 && count($B->assignment()) === 1, 'A and B to share the partitions');
        $produce(20);
        echo "A with B: ", count($A->assignment()), " partition(s), B: ", count($B->assignment()),
            ", together: ", parts_str(array_merge($A->assignment(), $B->assignment())), "\n";
        yield flame\time\sleep(500);
        $running['B'] = false;
        yield flame\time\sleep(300);
        yield $B->close();
        yield $until(fn () => count($A->assignment()) === 2, 'A to get both partitions back');
        $produce(20);
        yield $p->flush();
        echo "A after B left: ", parts_str($A->assignment()), "\n";
        yield $until(function () use (&$seen, &$n) {
            return count($seen) === $n;
        }, "all $n messages");
        $running['A'] = false;
        echo "messages received: ", count($seen), " of $n\n";
        yield flame\time\sleep(300);
        yield $A->close();
    });
    flame\run();
    echo "A's rebalance_cb: ", implode(' ', $log['A']), "\n";
    echo "B's rebalance_cb: ", implode(' ', $log['B']), "\n";
}
