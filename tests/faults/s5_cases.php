<?php
/*
 * The bad-input catalogue of scenario 5. Each case is [expectation, closure]:
 *   'throw'        the case must throw a Throwable (class and message printed)
 *   'ok: <why>'    documented behaviour: returns normally (value printed)
 *   'any: <why>'   either is acceptable; only a crash or a hang fails
 *   'exit: <why>'  the case ends the process on purpose; it must not crash
 * A closure that returns an awaitable is waited for (->wait()).
 *   php s5_cases.php list        names, one a line
 *   php s5_cases.php run NAME    runs one case, prints "THREW ..." / "RETURNED ..."
 */
declare(strict_types=0);
require __DIR__ . '/lib.php';

use flame\db\kafka\consumer;
use flame\db\kafka\message;
use flame\db\kafka\producer;

$b = faults_brokers();
$T = unique_name('bad');
$G = unique_name('badgroup');
$P = fn(array $extra = [], array $topt = [], $topic = null) => new producer($extra + ['bootstrap.servers' => $b, 'message.timeout.ms' => 5000], $topt, $topic ?? $T);
$C = fn(array $extra = [], $topics = null) => new consumer($extra + ['bootstrap.servers' => $b, 'group.id' => $G], ['auto.offset.reset' => 'earliest'], $topics ?? $T);
$MB10 = str_repeat('x', 10 * 1024 * 1024);
enum Suit: string { case Hearts = 'H'; }
class Str { public function __toString(): string { return '5'; } }
/** A message received by a consumer (produces one first). */
$received = function (consumer $c) use ($P, $T) {
    $P()->produce('seed', 'k')->wait();
    $m = $c->consume(20000)->wait();
    if ($m === null) {
        throw new LogicException('setup: no message received');
    }
    return $m;
};
$partitioned = fn(callable $cb) => $P([], ['partitioner_cb' => $cb]);

$cases = [
    // ---- producer constructor: arguments of the wrong type / shape
    'producer: $global_opt is a string' => ['throw', fn() => new producer('bootstrap.servers=x', [], $T)],
    'producer: $topic_opt is null' => ['throw', fn() => new producer(['bootstrap.servers' => $b], null, $T)],
    'producer: $topic is an array' => ['throw', fn() => new producer(['bootstrap.servers' => $b], [], [$T])],
    'producer: $topic is an object' => ['throw', fn() => new producer(['bootstrap.servers' => $b], [], new stdClass)],
    'producer: no arguments' => ['throw', fn() => new producer()],
    'producer: empty $global_opt' => ['throw', fn() => new producer([], [], $T)],
    'producer: empty topic' => ['throw', fn() => $P([], [], '')],
    'producer: topic with NUL' => ['throw', fn() => $P([], [], "a\0b")],
    'producer: topic of invalid UTF-8, produce()' => ['throw', fn() => $P([], [], "\xff\xfe")->produce('x')],
    'producer: topic of 1 MB, produce()' => ['throw', fn() => $P([], [], str_repeat('t', 1 << 20))->produce('x')],
    'producer: topic "bad topic!", produce()' => ['throw', fn() => $P([], [], 'bad topic!')->produce('x')],
    'producer: bootstrap.servers ""' => ['any: librdkafka accepts an empty list', fn() => new producer(['bootstrap.servers' => ''], [], $T)],
    // ---- option names
    'option name ""' => ['throw', fn() => $P(['' => 'x'])],
    'option name invalid UTF-8' => ['throw', fn() => $P(["\xff\xfe" => 'x'])],
    'option name with NUL' => ['throw', fn() => $P(["linger.ms\0" => '5'])],
    'option name is an int key' => ['throw', fn() => $P([0 => 'x'])],
    'option name of 1 MB' => ['throw', fn() => $P([str_repeat('a', 1 << 20) => '1'])],
    'topic option name with NUL' => ['throw', fn() => $P([], ["message.timeout.ms\0" => '5'])],
    'topic option name invalid UTF-8' => ['throw', fn() => $P([], ["\xc3\x28" => '1'])],
    // ---- option values of every wrong kind
    'linger.ms = 1 MB of digits' => ['throw', fn() => $P(['linger.ms' => str_repeat('9', 1 << 20)])],
    'client.id = 10 MB string, produce()' => ['any: librdkafka accepts any client.id; it must not crash', fn() => $P(['client.id' => $MB10])->produce('x')],
    'client.id = invalid UTF-8' => ['ok: values are converted to strings (see the README); invalid UTF-8 is replaced', fn() => $P(['client.id' => "\xff\xfe"])],
    'client.id with NUL' => ['throw', fn() => $P(['client.id' => "a\0b"])],
    'linger.ms = NAN' => ['throw', fn() => $P(['linger.ms' => NAN])],
    'linger.ms = INF' => ['throw', fn() => $P(['linger.ms' => INF])],
    'linger.ms = 1e300' => ['throw', fn() => $P(['linger.ms' => 1e300])],
    'linger.ms = -1' => ['throw', fn() => $P(['linger.ms' => -1])],
    'message.timeout.ms = PHP_INT_MAX' => ['throw', fn() => $P(['message.timeout.ms' => PHP_INT_MAX])],
    'linger.ms = true' => ['throw', fn() => $P(['linger.ms' => true])],
    'acks = null' => ['throw', fn() => $P(['acks' => null])],
    'linger.ms = 2.5 (float)' => ['ok: floats are accepted in decimal', fn() => $P(['linger.ms' => 2.5])],
    'linger.ms = [5]' => ['throw', fn() => $P(['linger.ms' => [5]])],
    'linger.ms = new stdClass' => ['throw', fn() => $P(['linger.ms' => new stdClass])],
    'linger.ms = Stringable object' => ['throw', fn() => $P(['linger.ms' => new Str])],
    'linger.ms = STDIN (resource)' => ['throw', fn() => $P(['linger.ms' => STDIN])],
    'linger.ms = closure' => ['throw', fn() => $P(['linger.ms' => fn() => 5])],
    'linger.ms = enum case' => ['throw', fn() => $P(['linger.ms' => Suit::Hearts])],
    'linger.ms by reference' => ['ok: references are followed', function () use ($P) { $v = 5; $o = ['linger.ms' => &$v]; return $P($o); }],
    'topic option value array' => ['throw', fn() => $P([], ['message.timeout.ms' => [1]])],
    'internal.termination.signal = 9, then destroy' => ['throw', function () use ($P) { $p = $P(['internal.termination.signal' => 9]); $p->produce('x')->wait(); unset($p); return 'survived'; }],
    'internal.termination.signal = 19, then destroy' => ['throw', function () use ($P) { $p = $P(['internal.termination.signal' => 19]); $p->produce('x')->wait(); unset($p); return 'survived'; }],
    'dr_msg_cb = callable' => ['throw', fn() => $P(['dr_msg_cb' => 'strlen'])],
    'opaque topic option' => ['throw', fn() => $P([], ['opaque' => 'x'])],
    // ---- partitioner_cb
    'partitioner_cb = 42' => ['throw', fn() => $P([], ['partitioner_cb' => 42])],
    'partitioner_cb = [1, 2]' => ['throw', fn() => $P([], ['partitioner_cb' => [1, 2]])],
    'partitioner_cb = "nope"' => ['throw', fn() => $P([], ['partitioner_cb' => 'nope'])],
    'partitioner_cb = null' => ['throw', fn() => $P([], ['partitioner_cb' => null])],
    'partitioner_cb throws' => ['throw', fn() => $partitioned(function () { throw new DomainException('partitioner says no'); })->produce('x', 'k')],
    'partitioner_cb returns "1"' => ['throw', fn() => $partitioned(fn($k, $n) => '1')->produce('x', 'k')],
    'partitioner_cb returns 99' => ['throw', fn() => $partitioned(fn($k, $n) => 99)->produce('x', 'k')],
    'partitioner_cb returns -1' => ['throw', fn() => $partitioned(fn($k, $n) => -1)->produce('x', 'k')],
    'partitioner_cb returns 0.0' => ['throw', fn() => $partitioned(fn($k, $n) => 0.0)->produce('x', 'k')],
    'partitioner_cb returns null' => ['throw', fn() => $partitioned(fn($k, $n) => null)->produce('x', 'k')],
    'partitioner_cb returns an object' => ['throw', fn() => $partitioned(fn($k, $n) => new stdClass)->produce('x', 'k')],
    'partitioner_cb returns a generator' => ['throw', fn() => $partitioned(function ($k, $n) { yield 0; })->produce('x', 'k')],
    'partitioner_cb needs 3 arguments' => ['throw', fn() => $partitioned(fn($a, $b, $c) => 0)->produce('x', 'k')],
    'partitioner_cb calls produce() re-entrantly (once)' => ['ok: both messages are produced', function () use ($P) {
        $p = null;
        $depth = 0;
        $inner = null;
        $p = $P([], ['partitioner_cb' => function ($k, $n) use (&$p, &$depth, &$inner) {
            if ($depth++ === 0) {
                $inner = $p->produce('inner', 'k2');
            }
            return 0;
        }]);
        $outer = $p->produce('outer', 'k')->wait();
        return [$outer, $inner->wait()];
    }],
    'partitioner_cb runs the scheduler (flush()->wait())' => ['any: must not crash or hang', function () use ($P) {
        $p = null;
        $p = $P([], ['partitioner_cb' => function ($k, $n) use (&$p) { $p->flush(2000)->wait(); return 0; }]);
        $p->produce('first', 'k');
        return $p->produce('second', 'k');
    }],
    'partitioner_cb drops the last reference to the producer' => ['any: must not crash', function () use ($P) {
        $holder = new stdClass;
        $holder->p = $P([], ['partitioner_cb' => function ($k, $n) use ($holder) { $holder->p = null; return 0; }]);
        return $holder->p->produce('x', 'k');
    }],
    'partitioner_cb exhausts memory' => ['exit: a fatal error in the callable ends the script as PHP does', function () use ($partitioned) {
        ini_set('memory_limit', '32M');
        return $partitioned(function ($k, $n) { $a = []; while (true) { $a[] = str_repeat('y', 1 << 20); } })->produce('x', 'k');
    }],
    'partitioner_cb calls exit()' => ['exit: exit() in the callable ends the script', fn() => $partitioned(function ($k, $n) { exit(0); })->produce('x', 'k')],
    // ---- produce() arguments
    'produce(payload array)' => ['throw', fn() => $P()->produce(['x'])],
    'produce(payload null)' => ['any: PHP coerces null for a non-strict internal call (deprecation)', fn() => $P()->produce(null)],
    'produce(payload stdClass)' => ['throw', fn() => $P()->produce(new stdClass)],
    'produce(key array)' => ['throw', fn() => $P()->produce('x', ['k'])],
    'produce(headers "x")' => ['throw', fn() => $P()->produce('x', 'k', 'x')],
    'produce(header value array)' => ['throw', fn() => $P()->produce('x', 'k', ['h' => ['v']])],
    'produce(header value object)' => ['throw', fn() => $P()->produce('x', 'k', ['h' => new stdClass])],
    'produce(header value null)' => ['throw', fn() => $P()->produce('x', 'k', ['h' => null])],
    'produce(header name invalid UTF-8)' => ['any: header names are strings; must not crash', fn() => $P()->produce('x', 'k', ["\xff" => 'v'])],
    'produce(10 MB payload > message.max.bytes)' => ['throw', fn() => $P()->produce($MB10)],
    'produce(10 MB key)' => ['throw', fn() => $P()->produce('x', $MB10)],
    'produce(100,000 headers)' => ['any: must not crash', fn() => $P()->produce('x', 'k', array_fill_keys(array_map(fn($i) => "h$i", range(1, 100000)), 'v'))],
    'flush(-1)' => ['throw', fn() => $P()->flush(-1)],
    'flush("abc")' => ['throw', fn() => $P()->flush('abc')],
    'flush(PHP_INT_MAX)' => ['ok: nothing pending, resolves at once', fn() => $P()->flush(PHP_INT_MAX)],
    // ---- consumer constructor
    'consumer: $topics = 42' => ['throw', fn() => $C([], 42)],
    'consumer: $topics = [["a"]]' => ['throw', fn() => $C([], [['a']])],
    'consumer: $topics = ["\xff"]' => ['throw', fn() => $C([], ["\xff"])],
    'consumer: $topics = "^[" (bad regex), consume()' => ['throw', fn() => $C([], '^[')->consume(3000)],
    'consumer: group.id = ""' => ['throw', fn() => new consumer(['bootstrap.servers' => $b, 'group.id' => ''], [], $T)],
    'consumer: group.id = 1 MB, consume()' => ['any: must not crash', fn() => $C(['group.id' => str_repeat('g', 1 << 20)])->consume(3000)],
    'consumer: no group.id' => ['throw', fn() => new consumer(['bootstrap.servers' => $b], [], $T)],
    'consumer: rebalance_cb' => ['throw', fn() => $C(['rebalance_cb' => 'strlen'])],
    // ---- consumer methods
    'consume("abc")' => ['throw', fn() => $C()->consume('abc')],
    'consume(-1)' => ['throw', fn() => $C()->consume(-1)],
    'consume() after close()' => ['throw', function () use ($C) { $c = $C(); $c->close()->wait(); return $c->consume(100); }],
    'commit() after close()' => ['throw', function () use ($C, $received) { $c = $C(); $m = $received($c); $c->close()->wait(); return $c->commit($m); }],
    'close() twice' => ['ok: the second close() resolves null', function () use ($C) { $c = $C(); $c->close()->wait(); return $c->close(); }],
    'close() while a consume() waits' => ['ok: the pending consume() resolves null', function () use ($C) { $c = $C([], unique_name('empty')); $a = $c->consume(0); $c->close()->wait(); return $a; }],
    'commit(new stdClass)' => ['throw', fn() => $C()->commit(new stdClass)],
    'commit(null)' => ['throw', fn() => $C()->commit(null)],
    'commit(message of another consumer)' => ['throw', function () use ($C, $received) { $m = $received($C()); return $C(['group.id' => unique_name('other')])->commit($m); }],
    'commit(message returned by produce())' => ['throw', fn() => $C()->commit($P()->produce('x')->wait())],
    'commit(message without constructor)' => ['throw', fn() => $C()->commit((new ReflectionClass(message::class))->newInstanceWithoutConstructor())],
    // ---- objects used the wrong way
    'new message()' => ['throw', fn() => new message()],
    'new flame\awaitable()' => ['throw', fn() => new flame\awaitable()],
    'producer without constructor: produce()' => ['throw', fn() => (new ReflectionClass(producer::class))->newInstanceWithoutConstructor()->produce('x')],
    'consumer without constructor: consume()' => ['throw', fn() => (new ReflectionClass(consumer::class))->newInstanceWithoutConstructor()->consume(1)],
    'subclass skipping parent::__construct: produce()' => ['throw', function () {
        $o = new class extends producer { public function __construct() {} };
        return $o->produce('x');
    }],
    'clone producer' => ['throw', fn() => clone $P()],
    'serialize(producer)' => ['throw', fn() => serialize($P())],
    'unserialize(crafted message)' => ['any: PHP refuses (false + notice)', fn() => unserialize('O:23:"flame\db\kafka\message":1:{s:3:"val";s:1:"x";}')],
    'message: $offset = "abc"' => ['throw', function () use ($P) { $m = $P()->produce('x')->wait(); $m->offset = 'abc'; return $m; }],
    'producer __construct() called twice' => ['any: must not crash', function () use ($P, $b, $T) { $p = $P(); $a = $p->produce('first'); $p->__construct(['bootstrap.servers' => $b], [], $T); return [$a->wait(), $p->produce('second')->wait()]; }],
    // ---- runtime misuse
    'wait() inside a coroutine' => ['throw', function () {
        $e = null;
        flame\go(function () use (&$e) { try { flame\time\sleep(1)->wait(); } catch (Throwable $t) { $e = $t; } yield 1; });
        flame\run();
        if ($e) { throw $e; }
        return null;
    }],
    'flame\run() inside a coroutine' => ['throw', function () {
        $e = null;
        flame\go(function () use (&$e) { try { flame\run(); } catch (Throwable $t) { $e = $t; } yield 1; });
        flame\run();
        if ($e) { throw $e; }
        return null;
    }],
    'flame\go("nope")' => ['throw', fn() => flame\go('nope')],
    'flame\time\sleep(-1)' => ['throw', fn() => flame\time\sleep(-1)],
    'flame\time\sleep("abc")' => ['throw', fn() => flame\time\sleep('abc')],
    'logger calls exit()' => ['exit: exit() in the logger ends the script', function () {
        flame\db\kafka\logger(function () { exit(0); });
        return (new producer(['bootstrap.servers' => '127.0.0.1:1', 'message.timeout.ms' => 1500], [], 'x'))->produce('x');
    }],
    'logger("nope")' => ['throw', fn() => flame\db\kafka\logger('nope')],
    'logger that throws' => ['throw', function () {
        flame\db\kafka\logger(function () { throw new UnexpectedValueException('logger says no'); });
        return (new producer(['bootstrap.servers' => '127.0.0.1:1', 'message.timeout.ms' => 1500], [], 'x'))->produce('x');
    }],
    'logger that returns garbage' => ['throw', function () {
        flame\db\kafka\logger(fn() => new stdClass);
        return (new producer(['bootstrap.servers' => '127.0.0.1:1', 'message.timeout.ms' => 1500], [], 'x'))->produce('x');
    }],
];

if (($argv[1] ?? '') === 'list') {
    foreach ($cases as $name => $_) {
        echo $name, "\n";
    }
    exit(0);
}
$name = $argv[2] ?? '';
if (!isset($cases[$name])) {
    fwrite(STDERR, "no case '$name'\n");
    exit(2);
}
[$expect, $fn] = $cases[$name];
echo "EXPECT $expect\n";
$short = function ($v): string {
    if (is_object($v)) {
        return get_class($v) . ($v instanceof message ? ' val=' . substr((string)$v->val, 0, 20) : '');
    }
    if (is_array($v)) {
        return 'array(' . implode(', ', array_map(fn($x) => is_object($x) ? get_class($x) : get_debug_type($x), $v)) . ')';
    }
    return get_debug_type($v) . ' ' . substr(var_export($v, true), 0, 60);
};
try {
    $r = $fn();
    if ($r instanceof flame\awaitable) {
        $r = $r->wait();
    }
    echo 'RETURNED ', $short($r), "\n";
} catch (Throwable $e) {
    $msg = preg_replace('/\s+/', ' ', $e->getMessage());
    echo 'THREW ', get_class($e), ': ', strlen($msg) > 300 ? substr($msg, 0, 300) . '...' : $msg, "\n";
}
