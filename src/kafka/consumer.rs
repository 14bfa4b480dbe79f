//! `flame\db\kafka\consumer`: a group member subscribed to one or more topics.
//!
//! One tokio task per consumer serves `consume()` requests in the order they
//! were made. It only takes a message from librdkafka when someone waits for
//! one (so nothing is taken, and auto-committed, that PHP never saw); each
//! waiter has its own deadline, and the task alone resolves it: exactly once.

use crate::kafka::config::{self, Scope};
use crate::kafka::error::{code_of, describe, kafka_exception, value_error};
use crate::kafka::message::{Message, Record};
use crate::runtime::awaitable::Awaitable;
use crate::runtime::background::{self, ForkGuard};
use crate::runtime::completion::{self, Failure, OpId, Outcome};
use crate::runtime::php::{ArrayArg, IntArg};
use crate::runtime::scheduler;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, ZendHashTable, Zval};
use futures_core::Stream as _;
use rdkafka::consumer::{CommitMode, Consumer as _, MessageStream, StreamConsumer};
use rdkafka::error::{KafkaError, KafkaResult};
use rdkafka::message::BorrowedMessage;
use rdkafka::{Offset, TopicPartitionList};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

static NEXT_CONSUMER: AtomicU64 = AtomicU64::new(1);

/// The PHP thread's own message stream on the consumer, kept for the
/// consumer's life: creating one per `consume()` (what `recv()` does) takes
/// and releases a mutex shared with the serving task twice per message.
struct FastStream {
    // Declared first: dropped before the client it borrows from.
    stream: MessageStream<'static, ConsumerLogContext>,
    _client: Arc<Client>,
}

impl FastStream {
    fn new(client: Arc<Client>) -> Self {
        let stream = client.stream();
        // SAFETY: the stream borrows the StreamConsumer inside `client`, an
        // Arc kept alive by this struct for at least as long as the stream
        // (field order); the stream is only used on the PHP thread.
        let stream = unsafe {
            std::mem::transmute::<MessageStream<'_, ConsumerLogContext>, MessageStream<'static, ConsumerLogContext>>(
                stream,
            )
        };
        FastStream { stream, _client: client }
    }

    /// A message (or error) librdkafka already holds, without waiting.
    fn poll_now(&mut self) -> Option<KafkaResult<BorrowedMessage<'_>>> {
        poll_now(&mut self.stream)
    }
}

/// Forwards librdkafka's log lines and error events to the PHP logger.
pub struct ConsumerLogContext {
    name: String,
}

impl rdkafka::ClientContext for ConsumerLogContext {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, log_message: &str) {
        crate::kafka::log::log(&self.name, level, fac, log_message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        crate::kafka::log::error(&self.name, &error, reason);
    }
}

impl rdkafka::consumer::ConsumerContext for ConsumerLogContext {}

type Client = StreamConsumer<ConsumerLogContext>;

/// Errors librdkafka reports on the consumer queue but recovers from by
/// itself (a subscribed topic being created, a broker reconnecting): they go
/// to the logger, and the waiter keeps waiting. Everything else is thrown.
fn is_transient(e: &KafkaError) -> bool {
    use rdkafka::error::RDKafkaErrorCode as C;
    matches!(
        e.rdkafka_error_code(),
        Some(
            C::UnknownTopicOrPartition
                | C::UnknownTopic
                | C::UnknownPartition
                | C::BrokerTransportFailure
                | C::AllBrokersDown
                | C::Resolve
                | C::LeaderNotAvailable
                | C::NotLeaderForPartition
                | C::RequestTimedOut
                | C::NetworkException
                | C::OperationTimedOut
        )
    )
}

enum Request {
    /// `max == 0`: one message (or null); `max >= 1`: a list of 1..max (or []).
    Consume { id: OpId, deadline: Option<Instant>, max: usize },
    /// Stop serving: pending waiters resolve with null; the task ends.
    Stop,
}

/// A list of records for `consume_batch()`, in order.
struct Batch(Vec<Record>);

impl crate::runtime::completion::Deliverable for Batch {
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        Ok(batch_zval(self.0))
    }
}

/// The PHP list of messages for a batch (PHP thread only).
fn batch_zval(records: Vec<Record>) -> Zval {
    list_zval(records.into_iter().map(Record::into_zval_now).collect())
}

/// A PHP list of the values (PHP thread only).
fn list_zval(values: Vec<Zval>) -> Zval {
    let mut ht = ZendHashTable::with_capacity(values.len() as u32);
    for v in values {
        let _ = ht.push(v);
    }
    let mut z = Zval::new();
    z.set_hashtable(ht);
    z
}

/// What a waiter that timed out (or was stopped) resolves with.
fn nothing(max: usize) -> Outcome {
    if max == 0 {
        Outcome::Null
    } else {
        Outcome::Value(Box::new(Batch(Vec::new())))
    }
}

struct Waiter {
    id: OpId,
    deadline: Option<Instant>,
    max: usize,
}

/// The task that serves consume() requests for one consumer.
async fn serve(consumer: Arc<Client>, consumer_id: u64, mut rx: mpsc::UnboundedReceiver<Request>, name: String) {
    let mut waiters: VecDeque<Waiter> = VecDeque::new();
    let mut topics: Vec<Arc<str>> = Vec::new();
    // A consumer error met while a batch was being filled: it goes to the
    // next waiter (the batch resolves with what it had).
    let mut stashed: Option<KafkaError> = None;
    let mut stream = consumer.stream();
    loop {
        // Expire waiters whose time is up (anywhere in the queue).
        let now = Instant::now();
        waiters.retain(|w| match w.deadline {
            Some(d) if d <= now => {
                completion::complete(w.id, nothing(w.max));
                false
            }
            _ => true,
        });
        if waiters.is_empty() {
            match rx.recv().await {
                Some(Request::Consume { id, deadline, max }) => waiters.push_back(Waiter { id, deadline, max }),
                Some(Request::Stop) | None => break,
            }
            continue;
        }
        if let Some(e) = stashed.take() {
            if let Some(w) = waiters.pop_front() {
                completion::complete(w.id, Outcome::Fail(consume_failure(&e)));
            }
            continue;
        }
        let next_deadline = waiters.iter().filter_map(|w| w.deadline).min();
        let sleep = async {
            match next_deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            biased;
            req = rx.recv() => match req {
                Some(Request::Consume { id, deadline, max }) => waiters.push_back(Waiter { id, deadline, max }),
                Some(Request::Stop) | None => break,
            },
            msg = std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)) => {
                match msg {
                    Some(Ok(m)) => {
                        let topic = intern(&mut topics, rdkafka::Message::topic(&m));
                        let record = Record::from_kafka(&m, topic, consumer_id);
                        drop(m);
                        let Some(w) = waiters.pop_front() else { continue };
                        if w.max == 0 {
                            completion::complete(w.id, Outcome::Value(Box::new(record)));
                            continue;
                        }
                        let mut batch = Vec::with_capacity(w.max.min(1024));
                        batch.push(record);
                        while batch.len() < w.max {
                            match poll_now(&mut stream) {
                                Some(Ok(m)) => {
                                    let topic = intern(&mut topics, rdkafka::Message::topic(&m));
                                    batch.push(Record::from_kafka(&m, topic, consumer_id));
                                }
                                Some(Err(KafkaError::PartitionEOF(_))) => {}
                                Some(Err(e)) if is_transient(&e) => {
                                    crate::kafka::log::error(&name, &e, "consumer (transient, retried)")
                                }
                                Some(Err(e)) => {
                                    stashed = Some(e);
                                    break;
                                }
                                None => break,
                            }
                        }
                        completion::complete(w.id, Outcome::Value(Box::new(Batch(batch))));
                    }
                    Some(Err(KafkaError::PartitionEOF(_))) | None => {}
                    Some(Err(e)) if is_transient(&e) => crate::kafka::log::error(&name, &e, "consumer (transient, retried)"),
                    Some(Err(e)) => {
                        if let Some(w) = waiters.pop_front() {
                            completion::complete(w.id, Outcome::Fail(consume_failure(&e)));
                        }
                    }
                }
            }
            _ = sleep => {}
        }
    }
    drop(stream);
    for w in waiters {
        completion::complete(w.id, nothing(w.max));
    }
}

fn consume_failure(e: &KafkaError) -> Failure {
    Failure::kafka(code_of(e), format!("consume failed: {}", describe(e)))
}

/// A message (or error) librdkafka already holds, without waiting.
fn poll_now<'a>(stream: &'a mut MessageStream<'_, ConsumerLogContext>) -> Option<KafkaResult<BorrowedMessage<'a>>> {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match std::pin::Pin::new(stream).poll_next(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => None,
    }
}

fn intern(cache: &mut Vec<Arc<str>>, topic: &str) -> Arc<str> {
    if let Some(t) = cache.iter().find(|t| &***t == topic) {
        return t.clone();
    }
    let t: Arc<str> = Arc::from(topic);
    cache.push(t.clone());
    t
}

/// A Kafka consumer in a consumer group.
#[php_class]
#[php(name = "flame\\db\\kafka\\consumer")]
pub struct Consumer {
    fast: Option<FastStream>,
    client: Option<Arc<Client>>,
    requests: Option<mpsc::UnboundedSender<Request>>,
    /// consume() operations handed to the serving task and not settled yet
    /// on the PHP thread.
    inflight: VecDeque<OpId>,
    /// Topic names of messages taken on the PHP thread, shared between them.
    topics: Vec<Arc<str>>,
    /// A consumer error met on the PHP thread while a batch was being
    /// filled: the batch resolved with what it had, the next call throws it.
    stashed: Option<Failure>,
    id: u64,
    fork: ForkGuard,
}

impl Consumer {
    fn check(&self) -> PhpResult<()> {
        self.fork.check("flame\\db\\kafka\\consumer").map_err(|m| kafka_exception(-172, m))
    }

    /// consume() (`max == 0`) and consume_batch() (`max >= 1`).
    ///
    /// Fast path: every earlier call of this consumer has settled on the PHP
    /// thread (so the serving task is idle and nothing it fetched is still on
    /// its way to an earlier waiter), and librdkafka already holds messages:
    /// take them right here, without two thread hand-offs. Otherwise the
    /// serving task gets the request. Waiters keep their order; each message
    /// goes to exactly one of them.
    fn take(&mut self, what: &'static str, max: usize, timeout_ms: i64) -> PhpResult<Awaitable> {
        let tx = self.requests.as_ref().ok_or_else(|| kafka_exception(-172, "this consumer is closed"))?;
        self.inflight.retain(|op| !scheduler::is_settled(*op));
        if self.inflight.is_empty() {
            if let Some(f) = self.stashed.take() {
                return Ok(Awaitable::failed(what, crate::runtime::scheduler::Thrown::Failure(f)));
            }
            if let (Some(fast), Some(client)) = (&mut self.fast, &self.client) {
                let mut batch: Vec<Zval> = Vec::new();
                let mut skipped = 0;
                while skipped < 16 && batch.len() < max.max(1) {
                    match fast.poll_now() {
                        Some(Ok(m)) => {
                            let topic = intern(&mut self.topics, rdkafka::Message::topic(&m));
                            let record = Record::from_kafka(&m, topic, self.id);
                            drop(m);
                            if max == 0 {
                                return Ok(Awaitable::resolved(record.into_zval_now()));
                            }
                            batch.push(record.into_zval_now());
                        }
                        Some(Err(KafkaError::PartitionEOF(_))) => skipped += 1,
                        Some(Err(e)) if is_transient(&e) => {
                            crate::kafka::log::error(&client.context().name, &e, "consumer (transient, retried)");
                            skipped += 1;
                        }
                        Some(Err(e)) => {
                            let f = consume_failure(&e);
                            if batch.is_empty() {
                                return Ok(Awaitable::failed(what, crate::runtime::scheduler::Thrown::Failure(f)));
                            }
                            // The batch resolves with what it has; the next call throws.
                            self.stashed = Some(f);
                            break;
                        }
                        None => break,
                    }
                }
                if !batch.is_empty() {
                    return Ok(Awaitable::resolved(list_zval(batch)));
                }
            }
        }
        let id = scheduler::begin_op(what);
        self.inflight.push_back(id);
        let deadline = (timeout_ms > 0).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64));
        if tx.send(Request::Consume { id, deadline, max }).is_err() {
            scheduler::settle_now(id, Outcome::Fail(Failure::kafka(-172, "this consumer is closed")));
        }
        Ok(Awaitable::for_op(id))
    }

    /// Stops the task and leaves the group (blocking, bounded by librdkafka).
    fn shutdown(&mut self) -> Option<Arc<Client>> {
        if let Some(tx) = self.requests.take() {
            let _ = tx.send(Request::Stop);
        }
        self.fast = None;
        self.client.take()
    }
}

fn topic_list(topics: &Zval) -> PhpResult<Vec<String>> {
    let topics = topics.dereference();
    let list: Vec<String> =
        if let Some(s) = topics.str() {
            vec![s.to_string()]
        } else if let Some(arr) = topics.array() {
            let mut out = Vec::new();
            for (_, v) in crate::runtime::php::entries(arr) {
                match v.dereference().str() {
                    Some(s) => out.push(s.to_string()),
                    None => return Err(crate::kafka::error::type_error(
                        "flame\\db\\kafka\\consumer::__construct(): Argument #3 ($topics) must contain only strings",
                    )),
                }
            }
            out
        } else {
            return Err(crate::kafka::error::type_error(format!(
            "flame\\db\\kafka\\consumer::__construct(): Argument #3 ($topics) must be of type array|string, {:?} given",
            topics.get_type()
        )));
        };
    if list.is_empty() || list.iter().any(|t| t.is_empty() || t.contains('\0')) {
        return Err(value_error(
            "flame\\db\\kafka\\consumer::__construct(): Argument #3 ($topics) must name at least one topic, with no empty name and no NUL byte",
        ));
    }
    Ok(list)
}

/// librdkafka stops fetching a partition for `fetch.queue.backoff.ms`
/// (1000 ms by default) whenever its local queue is over `queued.min.messages`.
/// A PHP consumer drains slower than librdkafka fetches, so with that default
/// it reads ~100,000 messages and then stalls for a second, again and again
/// (152k msg/s here, against 889k msg/s with 50 ms). flame_kafka's default is
/// 50 ms; an explicit value in `$global_opt` wins.
const FETCH_BACKOFF: &str = "fetch.queue.backoff.ms";
const DEFAULT_FETCH_BACKOFF_MS: u32 = 50;

/// The largest `$max` of consume_batch() (a list of a million messages is
/// already far more than any fetch brings at once).
const MAX_BATCH: usize = 1_000_000;

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Consumer {
    /// Creates a consumer subscribed to `$topics` (a string is one topic).
    pub fn __construct(global_opt: ArrayArg<'_>, topic_opt: ArrayArg<'_>, topics: &Zval) -> PhpResult<Self> {
        const F: &str = "flame\\db\\kafka\\consumer::__construct";
        let global_opt = global_opt.get(F, 1, "global_opt", "array")?;
        let topic_opt = topic_opt.get(F, 2, "topic_opt", "array")?;
        let topics = topic_list(topics)?;
        let mut global = config::pairs(global_opt, Scope::Global, &[])?;
        if !global.iter().any(|(k, _)| k == FETCH_BACKOFF) {
            global.insert(0, (FETCH_BACKOFF.to_string(), DEFAULT_FETCH_BACKOFF_MS.to_string()));
        }
        if !global.iter().any(|(k, v)| k == "group.id" && !v.is_empty()) {
            return Err(kafka_exception(-186, "$global_opt must contain \"group.id\" (the consumer group)"));
        }
        // The seed's examples pass a partitioner_cb to consumers too: it has
        // no meaning for a consumer and is ignored.
        let topic_pairs = config::pairs(topic_opt, Scope::Topic, &["partitioner_cb"])?;
        let cfg = config::build(&global, &topic_pairs)?;
        let rt = background::runtime();
        let _guard = rt.enter();
        let ctx = ConsumerLogContext { name: topics.join(",") };
        let client: Client = cfg
            .create_with_context(ctx)
            .map_err(|e| kafka_exception(code_of(&e), format!("cannot create the consumer: {}", describe(&e))))?;
        let names: Vec<&str> = topics.iter().map(String::as_str).collect();
        client
            .subscribe(&names)
            .map_err(|e| kafka_exception(code_of(&e), format!("cannot subscribe to {names:?}: {}", describe(&e))))?;
        let client = Arc::new(client);
        let id = NEXT_CONSUMER.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        rt.spawn(serve(client.clone(), id, rx, topics.join(",")));
        Ok(Consumer {
            fast: Some(FastStream::new(client.clone())),
            client: Some(client),
            requests: Some(tx),
            inflight: VecDeque::new(),
            topics: Vec::new(),
            stashed: None,
            id,
            fork: ForkGuard::new(),
        })
    }

    /// The next message; with `$timeout_ms > 0`, null if none arrived in time.
    #[php(defaults(timeout_ms = 0))]
    pub fn consume(&mut self, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let timeout_ms = timeout_ms.get("flame\\db\\kafka\\consumer::consume", 1, "timeout_ms")?;
        self.check()?;
        if timeout_ms < 0 {
            return Err(value_error(
                "flame\\db\\kafka\\consumer::consume(): Argument #1 ($timeout_ms) must be greater than or equal to 0",
            ));
        }
        self.take("flame\\db\\kafka\\consumer::consume()", 0, timeout_ms)
    }

    /// Up to `$max` messages in order (at least one); with `$timeout_ms > 0`,
    /// `[]` if none arrived in time.
    #[php(defaults(timeout_ms = 0))]
    pub fn consume_batch(&mut self, max: IntArg, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        const F: &str = "flame\\db\\kafka\\consumer::consume_batch";
        let max = max.get(F, 1, "max")?;
        let timeout_ms = timeout_ms.get(F, 2, "timeout_ms")?;
        self.check()?;
        if !(1..=MAX_BATCH as i64).contains(&max) {
            return Err(value_error(format!(
                "{F}(): Argument #1 ($max) must be between 1 and {MAX_BATCH}, {max} given"
            )));
        }
        if timeout_ms < 0 {
            return Err(value_error(format!("{F}(): Argument #2 ($timeout_ms) must be greater than or equal to 0")));
        }
        self.take("flame\\db\\kafka\\consumer::consume_batch()", max as usize, timeout_ms)
    }

    /// Commits `$msg`'s offset + 1; resolves once the group coordinator accepted it.
    pub fn commit(&self, msg: &Zval) -> PhpResult<Awaitable> {
        self.check()?;
        let client = self.client.clone().ok_or_else(|| kafka_exception(-172, "this consumer is closed"))?;
        let m = msg
            .object()
            .and_then(ZendClassObject::<Message>::from_zend_obj)
            .ok_or_else(|| {
                crate::kafka::error::type_error(format!(
                    "flame\\db\\kafka\\consumer::commit(): Argument #1 ($msg) must be of type flame\\db\\kafka\\message, {:?} given",
                    msg.get_type()
                ))
            })?;
        if m.consumer_id() != self.id {
            return Err(kafka_exception(
                -186,
                "flame\\db\\kafka\\consumer::commit(): this message was not received by this consumer",
            ));
        }
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(&m.topic, m.partition as i32, Offset::Offset(m.offset + 1))
            .map_err(|e| kafka_exception(code_of(&e), describe(&e)))?;
        let id = scheduler::begin_op("flame\\db\\kafka\\consumer::commit()");
        background::runtime().spawn_blocking(move || {
            let outcome = match client.commit(&tpl, CommitMode::Sync) {
                Ok(()) => Outcome::Null,
                Err(e) => Outcome::Fail(Failure::kafka(code_of(&e), format!("commit failed: {}", describe(&e)))),
            };
            completion::complete(id, outcome);
        });
        Ok(Awaitable::for_op(id))
    }

    /// Leaves the group cleanly (final commit when auto-commit is on).
    pub fn close(&mut self) -> PhpResult<Awaitable> {
        self.check()?;
        let id = scheduler::begin_op("flame\\db\\kafka\\consumer::close()");
        match self.shutdown() {
            Some(client) => {
                background::runtime().spawn_blocking(move || {
                    close_client(client);
                    completion::complete(id, Outcome::Null);
                });
            }
            None => scheduler::settle_now(id, Outcome::Null),
        }
        Ok(Awaitable::for_op(id))
    }
}

/// Drops the client once the serving task has let go of it: this is when
/// librdkafka leaves the group (blocking; bounded by librdkafka).
fn close_client(client: Arc<Client>) {
    let give_up = std::time::Instant::now() + Duration::from_secs(5);
    while Arc::strong_count(&client) > 1 && std::time::Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(2));
    }
    drop(client);
}

impl Drop for Consumer {
    fn drop(&mut self) {
        if self.fork.check("consumer").is_err() {
            // Never touch the parent's librdkafka handle in a forked child.
            if let Some(c) = self.client.take() {
                std::mem::forget(c);
            }
            if let Some(f) = self.fast.take() {
                std::mem::forget(f);
            }
            if let Some(tx) = self.requests.take() {
                std::mem::forget(tx);
            }
            return;
        }
        if let Some(client) = self.shutdown() {
            // Leave the group now (blocking, bounded by librdkafka) so a new
            // member gets the partitions at once.
            close_client(client);
        }
    }
}
