<?php

/**
 * Stubs for the flame_kafka extension (PHP 8.2+): coroutine-style asynchronous
 * Kafka for PHP. For IDEs and static analysers only — never include this file
 * in a process that has the extension loaded.
 *
 * Signatures follow the extension's own arginfo exactly (checked by
 * php-tests/stubs_match_extension.phpt); where the arginfo is looser than the
 * contract (an untyped property, a `mixed` parameter), the phpdoc gives the
 * contract's type.
 *
 * Inside a coroutine, `$x = yield $v` means:
 *  - `$v` is a {@see \flame\awaitable}: the coroutine is suspended until it
 *    resolves; `$x` is its value, or its failure is thrown at the `yield`;
 *  - `$v` is a `\Generator`: it runs as a nested coroutine (like `yield from`);
 *    `$x` is its return value, its uncaught exception is thrown at the `yield`;
 *  - anything else: the coroutine resumes at once with `$x = $v`.
 *
 * ini: flame_kafka.shutdown_timeout_ms (default 10000) bounds the flush of
 * producers at the end of the request.
 */

namespace flame {

    /**
     * Schedules `$fn()` (called with no arguments) as a coroutine. It does not
     * run before the scheduler runs ({@see run()}, an {@see awaitable::wait()},
     * or the auto-run at the end of the script when run() was never called).
     * A generator function runs as a Generator coroutine (`yield` an
     * awaitable); any other callable runs inside a `\Fiber`, where
     * {@see awaitable::wait()} suspends only that coroutine. If `$fn`
     * returns a `\Generator`, the generator is driven; any other return
     * value ends the coroutine.
     *
     * @param callable(): mixed $fn
     * @return void
     * @throws \TypeError when `$fn` is not callable
     */
    function go(callable $fn): void {}

    /**
     * Drives all coroutines until none is left (including ones started by
     * coroutines).
     *
     * @return void
     * @throws \Throwable the exception a coroutine did not catch: run() stops
     *         and rethrows it
     * @throws \LogicException when called inside a coroutine
     */
    function run(): void {}

    /**
     * Optional, for compatibility with old flame scripts: sets the process
     * title. Nothing requires it.
     *
     * @param string $name the process title
     * @param array<string, mixed>|null $options accepted and ignored
     * @return void
     */
    function init(string $name, ?array $options = null): void {}

    /**
     * A non-blocking stream (the same one for the whole request) that becomes
     * readable when completions wait for the PHP thread. Watch it in any
     * event loop and call {@see poll()} when it is readable: ReactPHP
     * `Loop::addReadStream(flame\stream(), fn() => flame\poll())`, Swoole
     * `Swoole\Event::add(flame\stream(), fn() => flame\poll())`, or
     * `stream_select()`. Under Revolt nothing is needed: flame_kafka watches
     * it itself.
     *
     * @return resource
     * @throws \RuntimeException when the stream cannot be created
     */
    function stream(): mixed {}

    /**
     * Settles every completion waiting, runs what became runnable (flame
     * coroutines, `then()` callbacks, Revolt suspensions); never blocks.
     *
     * @return int how many operations it settled
     * @throws \Throwable an exception a coroutine or a `then()` callback did not catch
     * @throws \LogicException when called inside a coroutine
     */
    function poll(): int {}

    /**
     * The result of one asynchronous operation: `yield` it inside a
     * coroutine, or call {@see wait()} in a plain script. Not constructible
     * from PHP; obtained from {@see \flame\time\sleep()} and the Kafka
     * classes. An awaitable that fails while nobody waits on it is reported
     * as an E_WARNING naming the operation.
     */
    final class awaitable
    {
        /**
         * Not available: awaitables are created by the extension only.
         *
         * @throws \Exception always ("You cannot instantiate this class from PHP.")
         */
        public function __construct() {}

        /**
         * Waits until the operation has ended and returns its value: in a
         * plain script it blocks (running scheduled coroutines meanwhile); in
         * a Fiber coroutine of {@see \flame\go()} it suspends only that
         * coroutine; with `Revolt\EventLoop` loaded, from `{main}` or a
         * Revolt fiber, it suspends through `EventLoop::getSuspension()`
         * while the loop keeps running.
         *
         * @return mixed the value the operation resolved with
         * @throws \Throwable the operation's failure (e.g. {@see \flame\db\kafka\exception}), at the wait() line
         * @throws \LogicException when called inside a Generator coroutine (it
         *         would stall every other coroutine): use `yield` there
         */
        public function wait(): mixed {}

        /**
         * Calls exactly one of the callbacks, once, on the PHP thread, after
         * the operation settles — never from inside `then()` itself, but from
         * the next loop that runs ({@see \flame\run()}, a `wait()`,
         * {@see \flame\poll()}, Revolt). An awaitable with a `then()` counts
         * as observed; a failure with no `$on_error` is reported as an
         * E_WARNING. An exception thrown by a callback stops that loop, like
         * one a coroutine did not catch. Makes an awaitable a thenable that
         * `React\Promise\resolve()` and Guzzle promises assimilate.
         *
         * @param callable(mixed): mixed $on_value called with the value
         * @param (callable(\Throwable): mixed)|null $on_error called with the failure
         * @return void
         */
        public function then(callable $on_value, ?callable $on_error = null): void {}

        /**
         * Whether the operation has ended (resolved or failed).
         *
         * @return bool
         */
        public function ready(): bool {}
    }
}

namespace flame\time {

    /**
     * A timer.
     *
     * @param int $ms milliseconds, >= 0
     * @return \flame\awaitable resolves with `null` after `$ms` milliseconds
     * @throws \ValueError when `$ms` is negative
     */
    function sleep(int $ms): \flame\awaitable {}
}

namespace flame\db\kafka {

    /**
     * Sets (or, with null, removes) the logger that receives librdkafka's log
     * lines and error events (e.g. "all brokers are down") of every producer
     * and consumer. It is called on the PHP thread, whenever the scheduler
     * runs (flame\run(), awaitable::wait(), the end of the request), never
     * from librdkafka's threads. Which lines librdkafka emits is set by its
     * own `log_level` (0-7, default 6) and `debug` options.
     *
     * @param (callable(int $level, string $facility, string $message, string $client): void)|null $fn
     *        $level is syslog-style (3 error, 4 warning, 6 info, 7 debug);
     *        $client is the producer's topic or the consumer's topics
     * @return void
     */
    function logger(?callable $fn = null): void {}

    /**
     * A Kafka operation failed. getCode() is librdkafka's error code; the
     * message says what failed and gives librdkafka's description.
     */
    /**
     * A Kafka operation failed. getCode() is librdkafka's error code (e.g.
     * -192 message timed out, -190 unknown partition); the message says what
     * failed and librdkafka's description. Constructible and extendable like
     * any \RuntimeException.
     */
    class exception extends \RuntimeException
    {
        /** @var bool behind {@see possibly_persisted()} */
        protected $possibly_persisted = false;

        /**
         * Whether the message of a failed delivery may have been stored
         * anyway, so that a retry may duplicate it: `true` when librdkafka's
         * `rd_kafka_message_status()` says "possibly persisted" (it timed out
         * in flight, the broker's answer never came), and for a flush() that
         * timed out while librdkafka still had messages; `false` when the
         * message certainly was not stored (e.g. it timed out in librdkafka's
         * queue) and for every exception that is not a delivery failure.
         *
         * @return bool
         */
        public function possibly_persisted(): bool {}
    }

    /**
     * A Kafka record: key, value, where it is stored, when, and its headers.
     * Resolved by {@see producer::produce()} (the stored record) and
     * {@see consumer::consume()}.
     */
    class message
    {
        // The properties behave as PHP typed properties with the types below
        // (a write of another type is PHP's own \TypeError, "Cannot assign
        // string to property flame\db\kafka\message::$offset of type int";
        // coercive mode converts as for any typed property). The engine sees
        // them as untyped declarations: the extension checks each write.

        /** @var ?string the record's key (null when the record has no key) */
        public $key = null;

        /** @var ?string the record's value (null for a record without value, a tombstone; "" stays "") */
        public $val = null;

        /** @var string the topic */
        public $topic = null;

        /** @var int the partition */
        public $partition = null;

        /** @var int the offset in the partition */
        public $offset = null;

        /** @var array<string, string> header name → value (a repeated name: the last one; a header without value: "") */
        public $headers = null;

        /**
         * Not available: messages are created by the extension only.
         *
         * @throws \Exception always ("You cannot instantiate this class from PHP.")
         */
        public function __construct() {}

        /**
         * @return list<array{0: string, 1: ?string}> the record's headers as
         *         `[[name, value], ...]` in record order, repeated names kept
         *         (a header without value: null)
         */
        public function header_pairs(): array {}

        /**
         * @return string the record's value (same as {@see $val}; "" for a tombstone)
         */
        public function __toString(): string {}

        /**
         * @return int the record's timestamp in seconds
         */
        public function timestamp(): int {}

        /**
         * @return int the record's timestamp in milliseconds
         */
        public function timestamp_ms(): int {}
    }

    /**
     * A Kafka producer for one topic.
     */
    class producer
    {
        /**
         * @param array<string, scalar> $global_opt librdkafka global properties;
         *        `bootstrap.servers` or `metadata.broker.list` is required;
         *        flame_kafka's own `flame.persistent` (bool, default false)
         *        keeps the librdkafka client for later requests of this
         *        process with an identical configuration (at most
         *        `flame_kafka.max_persistent` clients, least recently used
         *        closed first; each request still flushes its own messages)
         * @param array<string, scalar|callable> $topic_opt librdkafka topic
         *        properties; `partitioner_cb` may be "consistent", "random",
         *        "consistent_random" (default), "murmur2", "murmur2_random",
         *        "fnv1a", "fnv1a_random", or a callable
         *        `function(?string $key, int $partition_count): int` run on
         *        the PHP thread
         * @param string $topic
         * @throws exception on a missing broker list, an unknown key or an
         *         invalid value (with librdkafka's reason), or a property that
         *         can only be set through a C callback
         * @throws \TypeError when an option value is an array or object
         * @throws \ValueError when `$topic` is empty
         */
        public function __construct(array $global_opt, array $topic_opt, string $topic) {}

        /**
         * Produces one message. A full local queue waits for room; the
         * message is never dropped. Called as a statement
         * (`$producer->produce($x);`, the awaitable discarded) it is
         * fire-and-forget at the lowest cost; a failure is then reported as
         * an E_WARNING. A loop that never yields blocks in produce() once
         * 10,000 messages wait for room in librdkafka's queue.
         *
         * @param string|null $payload null: a record without value (a
         *        tombstone, which deletes `$key` from a compacted topic)
         * @param string|null $key
         * @param array<string, string>|null $headers header name → value
         * @return \flame\awaitable resolves with the stored {@see message}
         *         (topic, partition, offset, timestamp, key, val, headers)
         *         once the broker has acknowledged it; fails with
         *         {@see exception} (librdkafka's error code) when delivery
         *         fails or the partitioner_cb callable fails
         * @throws \TypeError when a header value is not a string
         * @throws exception when the producer is unusable (e.g. created
         *         before pcntl_fork() and used in the child)
         */
        public function produce(?string $payload, ?string $key = null, ?array $headers = null): \flame\awaitable {}

        /**
         * @param int $timeout_ms
         * @return \flame\awaitable resolves with `null` when everything
         *         produced so far is acknowledged; fails with {@see exception}
         *         when the timeout passes first, saying how many are pending
         * @throws \ValueError when `$timeout_ms` is negative
         * @throws exception when the producer is unusable
         */
        public function flush(int $timeout_ms = 10000): \flame\awaitable {}

        /**
         * librdkafka's name of the client instance, `client.id` then
         * "#producer-N" with N counting the clients made in this process
         * (e.g. "rdkafka#producer-1"). With `flame.persistent`, the same
         * name in a later request means the client was reused.
         *
         * @return string
         * @throws exception when the producer is unusable
         */
        public function name(): string {}
    }

    /**
     * A Kafka consumer in a consumer group.
     */
    class consumer
    {
        /**
         * Subscribes to all `$topics` (a group member); with `$topics = []`
         * it subscribes to nothing and reads what {@see assign()} gives it.
         *
         * @param array<string, scalar|callable> $global_opt librdkafka global
         *        properties; `group.id` and `bootstrap.servers` (or
         *        `metadata.broker.list`) are required. `rebalance_cb`:
         *        `function(string $kind, array $partitions): void`, called on
         *        the PHP thread with `"assign"`, `"revoke"` or `"lost"` and a
         *        list of {@see topic_partition} (only the partitions that
         *        move, for cooperative protocols and `group.protocol=consumer`);
         *        the consumer applies the assignment itself
         * @param array<string, scalar> $topic_opt default topic configuration
         *        (e.g. `auto.offset.reset`)
         * @param array<string>|string $topics a string is one topic
         * @throws exception on a missing required property, an unknown key or
         *         an invalid value, or a property that can only be set
         *         through a C callback
         * @throws \TypeError when an option value is an array or object,
         *         `rebalance_cb` is not callable, or `$topics` is neither an
         *         array nor a string
         */
        public function __construct(array $global_opt, array $topic_opt, mixed $topics) {}

        /**
         * The next message. Several coroutines may consume at once: each
         * message goes to exactly one of them, in the order they called.
         *
         * @param int $timeout_ms 0 waits without limit
         * @return \flame\awaitable resolves with the next {@see message}, or
         *         with `null` when `$timeout_ms > 0` and none arrived in time;
         *         fails with {@see exception} on a consumer error
         * @throws \ValueError when `$timeout_ms` is negative
         * @throws exception when the consumer is closed or unusable
         */
        public function consume(int $timeout_ms = 0): \flame\awaitable {}

        /**
         * Up to `$max` messages, in order: as soon as at least one is there,
         * the awaitable resolves with every message librdkafka already holds,
         * at most `$max` (it does not wait to fill the list). Waiters of
         * `consume()` and `consume_batch()` on one consumer are served in
         * the order they called; each message goes to exactly one of them.
         *
         * @param int $max 1 to 1000000
         * @param int $timeout_ms 0 waits without limit
         * @return \flame\awaitable resolves with a list of 1..`$max`
         *         {@see message}, or with `[]` when `$timeout_ms > 0` and none
         *         arrived in time; fails with {@see exception} on a consumer
         *         error
         * @throws \ValueError when `$max` is out of range or `$timeout_ms` is
         *         negative
         * @throws exception when the consumer is closed or unusable
         */
        public function consume_batch(int $max, int $timeout_ms = 0): \flame\awaitable {}

        /**
         * Commits `$msg`'s offset + 1 for its topic-partition, or with `null`
         * the current positions of the whole assignment (meant for
         * `enable.auto.commit=false`).
         *
         * @param ?message $msg a message received by this consumer, or null
         * @return \flame\awaitable resolves with `null` once the group
         *         coordinator has accepted the commit (at once when nothing
         *         was consumed since the last commit); fails with
         *         {@see exception} otherwise
         * @throws \TypeError when `$msg` is neither null nor a {@see message}
         * @throws exception when `$msg` was received by another consumer, or
         *         the consumer is closed or unusable
         */
        public function commit(mixed $msg = null): \flame\awaitable {}

        /**
         * Replaces the assignment with exactly these partitions, each from its
         * `offset` (an offset, {@see topic_partition::BEGINNING}, `END`, or
         * `STORED`: the group's committed offset, else `auto.offset.reset`).
         * `[]` removes the assignment. For a consumer made with `$topics = []`.
         *
         * @param list<topic_partition> $partitions
         * @return \flame\awaitable resolves with `null`
         * @throws \TypeError when an element is not a {@see topic_partition}
         * @throws exception when the consumer subscribed to topics, or is closed
         */
        public function assign(array $partitions): \flame\awaitable {}

        /**
         * The partitions assigned to this consumer now (by {@see assign()} or
         * by the group).
         *
         * @return list<topic_partition>
         * @throws exception when the consumer is closed
         */
        public function assignment(): array {}

        /**
         * Makes the record at `$offset` the next message of that (assigned)
         * partition, also for a coroutine already waiting in {@see consume()}.
         *
         * @param int $offset an offset (>= 0), {@see topic_partition::BEGINNING}
         *        or {@see topic_partition::END}
         * @return \flame\awaitable resolves with `null`; fails with
         *         {@see exception} (e.g. -190 when the partition is not
         *         assigned)
         * @throws \ValueError when an argument is out of range (naming it)
         */
        public function seek(string $topic, int $partition, int $offset, int $timeout_ms = 5000): \flame\awaitable {}

        /**
         * Stops delivering messages of these assigned partitions until
         * {@see resume()}; none is lost (they come after resume(), in order).
         *
         * @param list<topic_partition> $partitions (offsets are ignored)
         * @throws \TypeError when an element is not a {@see topic_partition}
         * @throws exception (-190) when a partition is not assigned
         */
        public function pause(array $partitions): void {}

        /**
         * Delivers messages of these partitions again, from where they stopped.
         *
         * @param list<topic_partition> $partitions (offsets are ignored)
         * @throws \TypeError when an element is not a {@see topic_partition}
         * @throws exception (-190) when a partition is not assigned
         */
        public function resume(array $partitions): void {}

        /**
         * The group's committed offsets of these partitions, asked from the
         * group coordinator (on a worker thread).
         *
         * @param list<topic_partition> $partitions (offsets are ignored)
         * @return \flame\awaitable resolves with a list of {@see topic_partition}
         *         (offset -1001: nothing committed)
         */
        public function committed(array $partitions, int $timeout_ms = 5000): \flame\awaitable {}

        /**
         * The next offsets this consumer will deliver of these partitions
         * (last delivered + 1; -1001 before the first message).
         *
         * @param list<topic_partition> $partitions (offsets are ignored)
         * @return list<topic_partition>
         */
        public function position(array $partitions): array {}

        /**
         * The low and high watermarks of a partition, asked from its leader.
         *
         * @return \flame\awaitable resolves with `[low, high]`: the first
         *         offset still in the partition and the offset the next record
         *         will get
         */
        public function watermarks(string $topic, int $partition, int $timeout_ms = 5000): \flame\awaitable {}

        /**
         * For each partition, whose `offset` holds a timestamp in ms: the
         * earliest offset whose record timestamp is at or after it.
         *
         * @param list<topic_partition> $partitions offsets are timestamps (ms)
         * @return \flame\awaitable resolves with a list of {@see topic_partition}
         *         ({@see topic_partition::END} where no record is that recent)
         */
        public function offsets_for_times(array $partitions, int $timeout_ms = 5000): \flame\awaitable {}

        /**
         * Marks `$msg` processed: the next auto-commit commits its offset + 1.
         * With `enable.auto.offset.store=false`, the at-least-once pattern.
         *
         * @throws \TypeError when `$msg` is not a {@see message}
         * @throws exception when `$msg` was received by another consumer, or
         *         librdkafka refuses (-186 with `enable.auto.offset.store=true`)
         */
        public function store_offset(mixed $msg): void {}

        /**
         * Leaves the group cleanly (final commit when auto-commit is on).
         * Destroying the consumer closes it too.
         *
         * @return \flame\awaitable resolves with `null` once the consumer has
         *         left the group
         * @throws exception when the consumer is unusable
         */
        public function close(): \flame\awaitable {}
    }

    /**
     * librdkafka's in-process mock Kafka cluster, for tests: no broker,
     * no Java. Producers and consumers reach it through
     * {@see bootstrap_servers()} like any cluster. On top of a real broker it
     * can inject protocol errors into responses, take brokers down and up,
     * move partition leaders and delay responses.
     *
     * It is not a full broker (no transactions' edge cases, no security, no
     * persistence: the data lives as long as the object) and lives in the
     * process that created it (a forked child cannot use it).
     *
     * API keys (Kafka protocol): 0 Produce, 1 Fetch, 2 ListOffsets,
     * 3 Metadata, 8 OffsetCommit, 9 OffsetFetch, 10 FindCoordinator,
     * 11 JoinGroup, 12 Heartbeat, 14 SyncGroup, 22 InitProducerId.
     * Error codes are librdkafka's (the Kafka protocol codes, e.g.
     * 6 NOT_LEADER_OR_FOLLOWER, 7 REQUEST_TIMED_OUT, 19 NOT_ENOUGH_REPLICAS,
     * 29 TOPIC_AUTHORIZATION_FAILED), the same numbers
     * {@see exception::getCode()} gives.
     */
    class mock_cluster
    {
        /**
         * Starts `$brokers` mock brokers (ids 1..`$brokers`) on loopback
         * ports, each with its own librdkafka threads.
         *
         * @param int $brokers 1..32
         * @throws \ValueError when `$brokers` is out of range
         * @throws exception when librdkafka cannot start the cluster
         */
        public function __construct(int $brokers = 3) {}

        /**
         * @return string the `bootstrap.servers` value that reaches the
         *         cluster ("127.0.0.1:PORT,127.0.0.1:PORT,...")
         * @throws exception when used in a forked child
         */
        public function bootstrap_servers(): string {}

        /**
         * Creates a topic. Without it, a topic is auto-created on first use
         * with librdkafka's mock defaults (4 partitions, replication factor
         * min(3, brokers)).
         *
         * @param string $topic
         * @param int $partitions 1..10000
         * @param int $replication_factor 1..the number of brokers
         * @return void
         * @throws \ValueError when `$topic` is empty or contains NUL, or a
         *         count is out of range
         * @throws exception when librdkafka refuses (code 36,
         *         TOPIC_ALREADY_EXISTS, when the topic exists)
         */
        public function create_topic(string $topic, int $partitions = 1, int $replication_factor = 1): void {}

        /**
         * Makes the next `count($errors)` requests of API `$api_key` fail
         * with these error codes, in order, whichever broker receives them.
         * Pushing again appends.
         *
         * @param int $api_key Kafka API key (0 Produce, 1 Fetch, 3 Metadata, 8 OffsetCommit, ...)
         * @param list<int> $errors librdkafka error codes, none of them 0
         * @return void
         * @throws \ValueError when `$api_key` is not in 0..32767 or a code is
         *         not a librdkafka error code
         * @throws \TypeError when an element of `$errors` is not an int
         */
        public function push_request_errors(int $api_key, array $errors): void {}

        /**
         * Drops the errors still queued for API `$api_key`.
         *
         * @param int $api_key
         * @return void
         * @throws \ValueError when `$api_key` is not in 0..32767
         */
        public function clear_request_errors(int $api_key): void {}

        /**
         * Makes metadata responses report error `$code` for the topic, until
         * called again with 0.
         *
         * @param string $topic
         * @param int $code a librdkafka error code, or 0 to clear
         * @return void
         * @throws \ValueError when `$topic` is empty or `$code` unknown
         */
        public function topic_error(string $topic, int $code): void {}

        /**
         * Moves the leadership of one partition to broker `$broker_id`.
         *
         * @param string $topic
         * @param int $partition >= 0
         * @param int $broker_id 1..the number of brokers
         * @return void
         * @throws \ValueError on an argument out of range
         * @throws exception when the partition does not exist (code 3,
         *         UNKNOWN_TOPIC_OR_PART); an unknown topic is auto-created
         */
        public function partition_leader(string $topic, int $partition, int $broker_id): void {}

        /**
         * Takes a broker down: its connections are closed, new ones refused.
         *
         * @param int $broker_id 1..the number of brokers
         * @return void
         * @throws \ValueError when `$broker_id` is out of range
         */
        public function broker_down(int $broker_id): void {}

        /**
         * Brings a broker taken down back up.
         *
         * @param int $broker_id 1..the number of brokers
         * @return void
         * @throws \ValueError when `$broker_id` is out of range
         */
        public function broker_up(int $broker_id): void {}

        /**
         * Delays every response of a broker.
         *
         * @param int $broker_id 1..the number of brokers
         * @param int $rtt_ms 0..3600000 (0 removes the delay)
         * @return void
         * @throws \ValueError on an argument out of range
         */
        public function broker_rtt(int $broker_id, int $rtt_ms): void {}
    }

    /**
     * A partition of a topic, with an offset: what {@see admin::describe_group()}
     * reports as a member's assignment (and what partition-level consumer
     * calls take). Plain data; its properties may be changed.
     */
    class topic_partition
    {
        /** The first offset still in the partition. */
        public const BEGINNING = -2;

        /** The offset after the last record: only records produced from now on. */
        public const END = -1;

        /** The group's committed offset (`auto.offset.reset` when there is none). */
        public const STORED = -1000;

        /** @var string the topic */
        public $topic = null;

        /** @var int the partition (0-based) */
        public $partition = null;

        /**
         * @var int an offset (>= 0), {@see BEGINNING}, {@see END} or
         *      {@see STORED}; in results, librdkafka's -1001 means "none"
         */
        public $offset = null;

        /**
         * @param string $topic non-empty, no NUL byte
         * @param int $partition 0..2147483647
         * @param int $offset an offset (>= 0) or BEGINNING, END, STORED
         * @throws \ValueError when an argument is out of range (naming it)
         */
        public function __construct(string $topic, int $partition, int $offset = self::STORED) {}
    }

    /**
     * An admin client: topics, partitions, topic configuration, consumer
     * groups and records. Every method checks its arguments at the call (a
     * bad one is a `\TypeError` or `\ValueError` naming it) and returns an
     * awaitable; librdkafka's blocking calls run on a worker thread. A
     * refusal by the broker is thrown at the `yield` (or `wait()`) as an
     * {@see exception} whose code is the broker's (36: the topic exists,
     * 3: unknown topic, 37: invalid partition count, 68: group not empty,
     * 69: unknown group) and whose message names the call and gives the
     * broker's reason. Requests time out after 30 s; topic and partition
     * changes resolve once the controller has carried them out.
     */
    class admin
    {
        /**
         * @param array<string, scalar> $global_opt librdkafka global
         *        properties; `bootstrap.servers` or `metadata.broker.list` is
         *        required. `allow.auto.create.topics` defaults to false
         *        (metadata() of a missing topic does not create it).
         * @throws exception on a missing broker list, an unknown key or an
         *         invalid value (with librdkafka's reason)
         */
        public function __construct(array $global_opt) {}

        /**
         * Creates a topic; resolves `null` once the controller has created it.
         *
         * @param string $topic
         * @param int $partitions 1..100000, or -1 for the broker's `num.partitions`
         * @param int $replication_factor 1..10000, or -1 for the broker's
         *        `default.replication.factor`
         * @param array<string, string|int|float|bool> $config topic
         *        configuration (e.g. `["cleanup.policy" => "compact"]`)
         * @return \flame\awaitable resolving null
         * @throws exception at the yield: code 36 when the topic exists
         */
        public function create_topic(string $topic, int $partitions = 1, int $replication_factor = -1, array $config = []): \flame\awaitable {}

        /**
         * @param string $topic
         * @return \flame\awaitable resolving null
         * @throws exception at the yield: code 3 when the topic does not exist
         */
        public function delete_topic(string $topic): \flame\awaitable {}

        /**
         * Grows a topic to `$total` partitions.
         *
         * @param string $topic
         * @param int $total 1..100000, more than the topic has
         * @return \flame\awaitable resolving null
         * @throws exception at the yield: code 37 when `$total` is not more
         *         than the current count
         */
        public function create_partitions(string $topic, int $total): \flame\awaitable {}

        /**
         * The cluster's brokers, its controller and its topics (all, or only
         * `$topic`). A topic that does not exist has `"error" => 3` and no
         * partitions.
         *
         * @param string|null $topic
         * @return \flame\awaitable resolving `["brokers" => [["id" => int,
         *         "host" => string, "port" => int], ...], "controller_id" => int,
         *         "topics" => [name => ["error" => int, "partitions" =>
         *         [["id" => int, "leader" => int, "replicas" => int[],
         *         "isrs" => int[]], ...]]]]`
         */
        public function metadata(?string $topic = null): \flame\awaitable {}

        /**
         * @param string $topic
         * @return \flame\awaitable resolving `[name => ?string]`, every
         *         entry of the topic's configuration (null: sensitive)
         */
        public function describe_config(string $topic): \flame\awaitable {}

        /**
         * Changes only the given entries (KIP-339 incremental alter); a
         * `null` value reverts that entry to its default.
         *
         * @param string $topic
         * @param array<string, string|int|float|bool|null> $config non-empty
         * @return \flame\awaitable resolving null
         * @throws exception at the yield: code 40 for an invalid value
         */
        public function alter_config(string $topic, array $config): \flame\awaitable {}

        /**
         * @return \flame\awaitable resolving the sorted list of group ids
         */
        public function list_groups(): \flame\awaitable {}

        /**
         * @param string $group
         * @return \flame\awaitable resolving `["state" => string (e.g.
         *         "Stable", "Empty", "Dead"), "protocol" => string (the
         *         assignor, e.g. "range"), "members" => [["client_id" =>
         *         string, "member_id" => string, "host" => string,
         *         "assignment" => topic_partition[]], ...]]`
         */
        public function describe_group(string $group): \flame\awaitable {}

        /**
         * The group's committed offsets with the partitions' high
         * watermarks: `lag` = `high` − `committed`.
         *
         * @param string $group
         * @return \flame\awaitable resolving a list (sorted by topic,
         *         partition) of `["topic" => string, "partition" => int,
         *         "committed" => int, "high" => int, "lag" => int]`; `[]` for
         *         a group without commits
         */
        public function group_offsets(string $group): \flame\awaitable {}

        /**
         * @param string $group
         * @return \flame\awaitable resolving null
         * @throws exception at the yield: code 68 while the group has
         *         members, 69 when it does not exist
         */
        public function delete_group(string $group): \flame\awaitable {}

        /**
         * Deletes the partition's records before `$before_offset`.
         *
         * @param string $topic
         * @param int $partition >= 0
         * @param int $before_offset an offset, or topic_partition::END (-1)
         *        for all records
         * @return \flame\awaitable resolving the partition's new low
         *         watermark (int)
         * @throws exception at the yield: code 1 for an offset past the end
         */
        public function delete_records(string $topic, int $partition, int $before_offset): \flame\awaitable {}
    }
}
