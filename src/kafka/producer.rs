//! `flame\db\kafka\producer`: one producer, one topic.
//!
//! Messages are enqueued into librdkafka on the PHP thread. Delivery reports
//! are served on the PHP thread too: when one is ready, librdkafka's broker
//! thread wakes the scheduler through the completion channel (`WAKE`), the
//! scheduler's idle hook polls librdkafka, and each report settles its
//! operation through the same channel. A full local queue parks the message
//! in a PHP-side backlog (in order) that is retried as room frees: nothing is
//! dropped.
//!
//! The PHP thread keeps each message's payload, key and headers (a reference
//! to the PHP strings, not a copy) in a `Pending` whose address travels with
//! the message through librdkafka as its opaque and comes back with the
//! delivery report; the resolved `message` is built only if someone still
//! holds the awaitable. A `produce()` whose result is discarded at the call
//! has no `Pending` and no operation at all (`DETACHED`): only its failure
//! is reported. Fire-and-forget messages are never copied by flame_kafka.

use crate::kafka::config::{self, Scope};
use crate::kafka::error::{code_of, describe, kafka_exception, type_error};
use crate::kafka::message::Record;
use crate::kafka::partitioner::{check_partition, PartitionCount, Partitioner};
use crate::runtime::awaitable::Awaitable;
use crate::runtime::background::ForkGuard;
use crate::runtime::completion::{self, Failure, OpId, Outcome, DETACHED};
use crate::runtime::php::{self, ArrayArg, Held, IntArg, StrArg};
use crate::runtime::scheduler::{self, Thrown};
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use rdkafka::bindings as rd;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, DeliveryResult, Producer as _, ProducerContext};
use rdkafka::{ClientContext, Message as _};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::ffi::CString;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PRODUCE: &str = "flame\\db\\kafka\\producer::produce()";

/// Delivery reports go straight into the completion channel.
pub struct DeliveryContext {
    topic: Arc<str>,
    /// Set once the loss of what is still queued has been reported as a count.
    quiet: Arc<AtomicBool>,
}

impl ClientContext for DeliveryContext {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, log_message: &str) {
        crate::kafka::log::log(&self.topic, level, fac, log_message);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        crate::kafka::log::error(&self.topic, &error, reason);
    }
}

impl ProducerContext for DeliveryContext {
    type DeliveryOpaque = usize;

    fn delivery(&self, result: &DeliveryResult<'_>, pending: usize) {
        let result = match result {
            // A message whose result nobody can observe: only a failure matters.
            Ok(_) if pending == 0 => return,
            Ok(m) => Ok((m.partition(), m.offset(), m.timestamp().to_millis().unwrap_or(0))),
            Err((err, _)) => {
                let mut f = Failure::kafka(
                    code_of(err),
                    format!("delivery to topic \"{}\" failed: {}", self.topic, describe(err)),
                );
                f.reported = self.quiet.load(Ordering::Acquire);
                Err(f)
            }
        };
        if pending == 0 {
            if let Err(f) = result {
                completion::complete(DETACHED, Outcome::Fail(detached_failure(f)));
            }
            return;
        }
        // SAFETY: `pending` came from `Box::into_raw` when librdkafka accepted
        // the message; the PHP thread does not touch it until this report
        // brings it back, exactly once.
        let mut pending = unsafe { Box::from_raw(pending as *mut Pending) };
        pending.result = Some(result);
        completion::complete(pending.id, Outcome::Value(pending));
    }
}

/// A librdkafka producer whose delivery reports (and log lines) the PHP
/// thread serves itself: when librdkafka's main queue for it stops being
/// empty, librdkafka's own thread wakes the scheduler (a `WAKE` completion),
/// and the scheduler's idle hook polls the queue. An ack thus crosses one
/// thread hop (librdkafka's broker thread to the PHP thread), as in a C
/// program that polls; a polling thread of our own added a second hop.
pub struct PolledProducer {
    /// librdkafka's handle of the one topic, so that producing does not look
    /// the topic up by name (and allocate its C string) for every message.
    /// Declared first: librdkafka wants topic handles gone before the client.
    rkt: TopicHandle,
    /// The client's main queue, with the wake-up callback set on it.
    main_queue: QueueHandle,
    producer: Arc<BaseProducer<DeliveryContext>>,
}

struct TopicHandle(*mut rd::rd_kafka_topic_t);

// librdkafka topic handles are thread-safe.
// SAFETY: librdkafka topic handles may be used and destroyed from any thread (rdkafka.h: all API calls are
// thread-safe unless stated).
unsafe impl Send for TopicHandle {}
// SAFETY: as above: shared use of a topic handle is thread-safe in librdkafka.
unsafe impl Sync for TopicHandle {}

impl Drop for TopicHandle {
    fn drop(&mut self) {
        // SAFETY: the handle came from rd_kafka_topic_new, is owned by this wrapper alone and destroyed once,
        // before its client (field order).
        unsafe { rd::rd_kafka_topic_destroy(self.0) };
    }
}

struct QueueHandle(*mut rd::rd_kafka_queue_t);

// librdkafka queue handles are thread-safe.
// SAFETY: librdkafka queue handles may be used and destroyed from any thread.
unsafe impl Send for QueueHandle {}
// SAFETY: as above: shared use of a queue handle is thread-safe in librdkafka.
unsafe impl Sync for QueueHandle {}

impl Drop for QueueHandle {
    fn drop(&mut self) {
        // SAFETY: the handle came from rd_kafka_queue_get_main, is owned by this wrapper alone and destroyed
        // once, after the wake-up callback is removed, while its client lives (field order).
        unsafe {
            rd::rd_kafka_queue_cb_event_enable(self.0, None, std::ptr::null_mut());
            rd::rd_kafka_queue_destroy(self.0);
        }
    }
}

/// Called by librdkafka's threads when the main queue goes from empty to
/// non-empty: wakes the scheduler, nothing else (no librdkafka call here).
unsafe extern "C" fn wake_scheduler(_rk: *mut rd::rd_kafka_t, _opaque: *mut std::ffi::c_void) {
    let _ = std::panic::catch_unwind(|| completion::complete(completion::WAKE, Outcome::Null));
}

impl PolledProducer {
    fn new(cfg: &rdkafka::ClientConfig, ctx: DeliveryContext, topic: &str) -> rdkafka::error::KafkaResult<Self> {
        let producer: Arc<BaseProducer<DeliveryContext>> = Arc::new(cfg.create_with_context(ctx)?);
        let native = producer.client().native_ptr();
        let name =
            CString::new(topic).map_err(|_| KafkaError::ClientCreation("topic name contains a NUL byte".into()))?;
        // NULL conf: the topic options given to the constructor are the
        // client's default topic configuration.
        // SAFETY: `native` is the live client just created; `name` is NUL-terminated and outlives the call
        // (librdkafka copies it).
        let rkt = unsafe { rd::rd_kafka_topic_new(native, name.as_ptr(), std::ptr::null_mut()) };
        if rkt.is_null() {
            // SAFETY: rd_kafka_last_error reads a thread-local of librdkafka, set by the failed call just
            // above on this thread.
            let err = unsafe { rd::rd_kafka_last_error() };
            return Err(KafkaError::ClientCreation(format!(
                "cannot create the topic handle of \"{topic}\": {}",
                RDKafkaErrorCode::from(err)
            )));
        }
        let rkt = TopicHandle(rkt);
        // SAFETY: the handle is live: created by this producer's client, which outlives every call (field
        // order in PolledProducer).
        let main_queue = QueueHandle(unsafe { rd::rd_kafka_queue_get_main(native) });
        // SAFETY: `main_queue` is live (owned just above); `wake_scheduler` is a plain function that outlives
        // the client and ignores its opaque.
        unsafe { rd::rd_kafka_queue_cb_event_enable(main_queue.0, Some(wake_scheduler), std::ptr::null_mut()) };
        Ok(Self { rkt, main_queue, producer })
    }

    /// Serves what librdkafka queued for this producer (delivery reports,
    /// log lines), on the PHP thread, until the queue is empty (the next
    /// event then wakes the scheduler again). Whether there was any.
    fn serve(&self) -> bool {
        let mut served = false;
        // Bounded: a queue refilled as fast as it is served must not keep
        // the PHP thread here forever.
        for _ in 0..10_000 {
            // SAFETY: `main_queue` is live for as long as `self`.
            if unsafe { rd::rd_kafka_queue_length(self.main_queue.0) } == 0 {
                break;
            }
            self.producer.poll(Duration::ZERO);
            served = true;
        }
        served
    }

    /// Hands one message to librdkafka (which copies it); the delivery
    /// report brings `opaque` back (null: nobody waits for this one).
    fn send(&self, m: &Msg<'_>, opaque: *mut std::ffi::c_void) -> Result<(), RDKafkaErrorCode> {
        let vu = |vtype, u| rd::rd_kafka_vu_t { vtype, u };
        use rd::rd_kafka_vtype_t as T;
        let mem = |b: &[u8]| rd::rd_kafka_vu_s__bindgen_ty_1 {
            mem: rd::rd_kafka_vu_s__bindgen_ty_1__bindgen_ty_1 { ptr: b.as_ptr() as *mut _, size: b.len() },
        };
        let mut base = [vu(T::RD_KAFKA_VTYPE_END, rd::rd_kafka_vu_s__bindgen_ty_1 { i: 0 }); 6];
        base[0] = vu(T::RD_KAFKA_VTYPE_RKT, rd::rd_kafka_vu_s__bindgen_ty_1 { rkt: self.rkt.0 });
        base[1] = vu(T::RD_KAFKA_VTYPE_MSGFLAGS, rd::rd_kafka_vu_s__bindgen_ty_1 { i: rd::RD_KAFKA_MSG_F_COPY });
        base[2] = vu(T::RD_KAFKA_VTYPE_OPAQUE, rd::rd_kafka_vu_s__bindgen_ty_1 { ptr: opaque });
        base[3] = vu(T::RD_KAFKA_VTYPE_VALUE, mem(m.payload));
        let mut n = 4;
        if let Some(k) = m.key {
            base[n] = vu(T::RD_KAFKA_VTYPE_KEY, mem(k));
            n += 1;
        }
        if let Some(p) = m.partition {
            base[n] = vu(T::RD_KAFKA_VTYPE_PARTITION, rd::rd_kafka_vu_s__bindgen_ty_1 { i32_: p });
            n += 1;
        }
        let native = self.producer.client().native_ptr();
        let err = if m.headers.is_empty() {
            // SAFETY: the handle is live: created by this producer's client, which outlives every call (field
            // order in PolledProducer); `base[..n]` are valid vtype entries whose pointers (payload, key,
            // topic handle) outlive the call, and librdkafka copies the bytes (RD_KAFKA_MSG_F_COPY).
            unsafe { rd::rd_kafka_produceva(native, base.as_ptr(), n) }
        } else {
            let mut all = base[..n].to_vec();
            for (name, value) in m.headers {
                all.push(vu(
                    T::RD_KAFKA_VTYPE_HEADER,
                    rd::rd_kafka_vu_s__bindgen_ty_1 {
                        header: rd::rd_kafka_vu_s__bindgen_ty_1__bindgen_ty_2 {
                            name: name.as_ptr(),
                            val: value.as_ptr() as *const _,
                            size: value.len() as isize,
                        },
                    },
                ));
            }
            // SAFETY: the handle is live: created by this producer's client, which outlives every call (field
            // order in PolledProducer); `all` holds valid vtype entries whose pointers (payload, key,
            // NUL-terminated header names, header values) outlive the call, and librdkafka copies them
            // (RD_KAFKA_MSG_F_COPY).
            unsafe { rd::rd_kafka_produceva(native, all.as_ptr(), all.len()) }
        };
        if err.is_null() {
            return Ok(());
        }
        // SAFETY: `err` is the non-null error object rd_kafka_produceva returned, owned here.
        let code = unsafe { rd::rd_kafka_error_code(err) };
        // SAFETY: `err` is owned here and destroyed once.
        unsafe { rd::rd_kafka_error_destroy(err) };
        Err(RDKafkaErrorCode::from(code))
    }

    /// Messages librdkafka has not finished with (queued, in flight, or
    /// with a delivery report not yet served).
    fn pending(&self) -> usize {
        self.producer.in_flight_count().max(0) as usize
    }
}

impl std::ops::Deref for PolledProducer {
    type Target = BaseProducer<DeliveryContext>;

    fn deref(&self) -> &Self::Target {
        &self.producer
    }
}

/// A produced message as the PHP thread keeps it until its delivery report
/// (or while it waits in the backlog). PHP thread only, but see `Drop`.
struct Pending {
    id: OpId,
    topic: Arc<str>,
    partition: Option<i32>,
    payload: Held,
    key: Option<Held>,
    headers: Vec<(CString, Vec<u8>)>,
    /// The request whose PHP strings `payload`/`key` may reference.
    request: u64,
    /// Filled in by the delivery report: (partition, offset, timestamp ms)
    /// where the broker stored it, or why it was not.
    result: Option<Result<(i32, i64, i64), Failure>>,
}

/// One message as librdkafka gets it (borrowed from the PHP call or from a
/// `Pending`).
struct Msg<'a> {
    partition: Option<i32>,
    payload: &'a [u8],
    key: Option<&'a [u8]>,
    headers: &'a [(CString, Vec<u8>)],
}

impl Pending {
    fn msg(&self) -> Msg<'_> {
        Msg {
            partition: self.partition,
            payload: self.payload.bytes(),
            key: self.key.as_ref().map(Held::bytes),
            headers: &self.headers,
        }
    }

    /// What travels with the message through librdkafka: this `Pending`,
    /// or null when nobody waits for the result.
    fn opaque(&self) -> *mut std::ffi::c_void {
        if self.id == DETACHED {
            std::ptr::null_mut()
        } else {
            self as *const Pending as *mut _
        }
    }

    /// librdkafka accepted the message: it now owns this `Pending` until the
    /// delivery report (or nobody needs it any more).
    fn sent(self: Box<Self>) {
        if self.id != DETACHED {
            let _ = Box::into_raw(self);
        }
    }
}

// SAFETY: a `Pending` goes through librdkafka and back inside a delivery
// report (served on the PHP thread; the completion channel requires `Send`),
// which only sets `result`. Its PHP strings are only read
// or released on the PHP thread: `Drop` anywhere else (or in a later
// request) abandons them without touching PHP memory.
unsafe impl Send for Pending {}

impl Drop for Pending {
    fn drop(&mut self) {
        // Released in another request (the engine reclaimed that request's
        // memory) or on a thread that is not PHP's: do not touch PHP memory.
        if php::current_request_token() != self.request {
            std::mem::replace(&mut self.payload, Held::Owned(Vec::new())).abandon();
            if let Some(k) = self.key.take() {
                k.abandon();
            }
        }
    }
}

impl crate::runtime::completion::Deliverable for Pending {
    fn into_php(mut self: Box<Self>) -> Result<Zval, Failure> {
        let (partition, offset, timestamp_ms) = self.result.take().unwrap_or(Ok((-1, -1, 0)))?;
        let record = Record {
            topic: self.topic.clone(),
            partition,
            offset,
            timestamp_ms,
            key: self.key.as_ref().map(|k| k.bytes().to_vec()),
            payload: self.payload.bytes().to_vec(),
            headers: std::mem::take(&mut self.headers)
                .into_iter()
                .map(|(k, v)| (k.to_string_lossy().into_owned(), v))
                .collect(),
            consumer_id: 0,
        };
        Ok(record.into_zval_now())
    }

    fn discard(mut self: Box<Self>) -> Option<Failure> {
        self.result.take().and_then(Result::err)
    }
}

/// PHP-thread state of one producer (shared with the idle and end hooks).
struct Shared {
    client: Arc<PolledProducer>,
    topic: Arc<str>,
    quiet: Arc<AtomicBool>,
    backlog: VecDeque<Box<Pending>>,
    flush_waiters: Vec<(OpId, Instant, u64)>,
    fork: ForkGuard,
    /// What could not be delivered at the end was already reported.
    lost_reported: bool,
    /// produce() calls since the completion channel was last drained.
    since_drain: u32,
    /// librdkafka took nothing from the backlog for a while: produce() does
    /// not wait for room until it takes something again.
    stalled: bool,
}

thread_local! {
    static LIVE: RefCell<Vec<Weak<RefCell<Shared>>>> = const { RefCell::new(Vec::new()) };
}

fn live_producers() -> Vec<Rc<RefCell<Shared>>> {
    LIVE.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|w| w.strong_count() > 0);
        l.iter().filter_map(|w| w.upgrade()).filter(|p| p.borrow().fork.check("producer").is_ok()).collect()
    })
}

/// What happened when a message was handed to librdkafka.
enum Enqueued {
    Sent,
    /// librdkafka's queue is full: keep the message and retry later.
    QueueFull,
    Failed(Failure),
}

/// Tries to hand one message to librdkafka.
/// On `Sent` with a non-null `opaque`, librdkafka owns the `Pending` behind
/// it until its delivery report: the caller lets go of it (`Pending::sent`).
fn enqueue(shared: &Shared, m: &Msg<'_>, opaque: *mut std::ffi::c_void) -> Enqueued {
    match shared.client.send(m, opaque) {
        Ok(()) => Enqueued::Sent,
        Err(RDKafkaErrorCode::QueueFull) => Enqueued::QueueFull,
        Err(code) => {
            let err = KafkaError::MessageProduction(code);
            Enqueued::Failed(Failure::kafka(
                code_of(&err),
                format!("produce to topic \"{}\" failed: {}", shared.topic, describe(&err)),
            ))
        }
    }
}

/// The failure of a detached produce() names the operation in its message:
/// it becomes a warning of its own, with no awaitable to name it.
fn detached_failure(mut f: Failure) -> Failure {
    f.message = format!("{PRODUCE}: {}", f.message);
    f
}

/// Fails one produce() on the PHP thread.
fn fail(id: OpId, f: Failure) {
    let f = if id == DETACHED { detached_failure(f) } else { f };
    scheduler::settle_now(id, Outcome::Fail(f));
}

/// Serves the producer's delivery reports, moves backlog messages into
/// librdkafka while there is room, and settles flushes.
fn pump(shared: &Rc<RefCell<Shared>>) -> bool {
    let mut worked = shared.borrow().client.serve();
    let mut failed = Vec::new();
    {
        let mut s = shared.borrow_mut();
        while let Some(q) = s.backlog.front() {
            match enqueue(&s, &q.msg(), q.opaque()) {
                Enqueued::Sent => {
                    if let Some(sent) = s.backlog.pop_front() {
                        sent.sent();
                    }
                    s.stalled = false;
                    worked = true;
                }
                Enqueued::QueueFull => break,
                Enqueued::Failed(f) => {
                    let q = s.backlog.pop_front().expect("front exists");
                    failed.push((q.id, f));
                    worked = true;
                }
            }
        }
    }
    for (id, f) in failed {
        fail(id, f);
    }
    // Flushes that can end now.
    let done: Vec<(OpId, Option<Failure>)> = {
        let mut s = shared.borrow_mut();
        if s.flush_waiters.is_empty() {
            return worked;
        }
        let pending = s.backlog.len() + s.client.pending();
        let idle = pending == 0;
        let now = Instant::now();
        let mut out = Vec::new();
        s.flush_waiters.retain(|(id, deadline, timeout_ms)| {
            if idle {
                out.push((*id, None));
                false
            } else if now >= *deadline {
                out.push((
                    *id,
                    Some(Failure::kafka(
                        RDKafkaErrorCode::MessageTimedOut as i32,
                        format!("flush() timed out after {timeout_ms} ms: {pending} message(s) still pending"),
                    )),
                ));
                false
            } else {
                true
            }
        });
        out
    };
    for (id, f) in done {
        worked = true;
        scheduler::settle_now(id, f.map(Outcome::Fail).unwrap_or(Outcome::Null));
    }
    worked
}

/// Messages a producer keeps on its side once librdkafka's queue
/// (`queue.buffering.max.messages`) is full, before `produce()` starts to wait.
const BACKLOG_LIMIT: usize = 10_000;

/// How long `throttle` waits without librdkafka taking a single message
/// before it stops waiting (broker unreachable: do not hang the script).
const STALL_MS: u64 = 500;

/// A `produce()` loop that never yields cannot be suspended, and buffering
/// without bound would eat memory: past `BACKLOG_LIMIT` waiting messages,
/// `produce()` blocks (like librdkafka's `RD_KAFKA_MSG_F_BLOCK`) until
/// librdkafka has taken half of them. Deliveries keep being served meanwhile.
/// If librdkafka takes nothing for `STALL_MS` (no broker), it stops waiting
/// and the backlog grows again until librdkafka moves (nothing is dropped:
/// what is undeliverable fails after `message.timeout.ms` or is counted at
/// the end of the request).
fn throttle(shared: &Rc<RefCell<Shared>>) {
    if shared.borrow().stalled {
        return;
    }
    let mut last = shared.borrow().backlog.len();
    let mut progress = Instant::now();
    loop {
        pump(shared);
        scheduler::poll_completions();
        let len = shared.borrow().backlog.len();
        if len <= BACKLOG_LIMIT / 2 {
            return;
        }
        if len < last {
            last = len;
            progress = Instant::now();
        } else if progress.elapsed() >= Duration::from_millis(STALL_MS) {
            shared.borrow_mut().stalled = true;
            return;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Idle hook of the scheduler (nothing to run; also after a `WAKE`): pump
/// every producer.
fn pump_all() -> bool {
    let mut worked = false;
    for p in live_producers() {
        worked |= pump(&p);
    }
    worked
}

/// The ini `flame_kafka.shutdown_timeout_ms`.
pub fn shutdown_timeout() -> Duration {
    let ms = crate::ini_long("flame_kafka.shutdown_timeout_ms").unwrap_or(10_000).max(0);
    Duration::from_millis(ms as u64)
}

/// Delivers what is queued (bounded); returns how many could not be delivered.
fn drain(shared: &Rc<RefCell<Shared>>, timeout: Duration) -> usize {
    let deadline = Instant::now() + timeout;
    loop {
        pump(shared);
        scheduler::poll_completions();
        let pending = {
            let s = shared.borrow();
            s.backlog.len() + s.client.pending()
        };
        if pending == 0 {
            break;
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        let client = shared.borrow().client.clone();
        let _ = client.flush((deadline - now).min(Duration::from_millis(20)));
    }
    scheduler::poll_completions();
    let s = shared.borrow();
    s.backlog.len() + s.client.pending()
}

fn drain_and_report(shared: &Rc<RefCell<Shared>>) {
    if shared.borrow().lost_reported {
        return;
    }
    let timeout = shutdown_timeout();
    let lost = drain(shared, timeout);
    if lost > 0 {
        shared.borrow_mut().lost_reported = true;
        shared.borrow().quiet.store(true, Ordering::Release);
        let topic = shared.borrow().topic.clone();
        php::warning(&format!(
            "flame\\db\\kafka\\producer: {lost} message(s) to topic \"{topic}\" could not be delivered \
             within flame_kafka.shutdown_timeout_ms={} and are lost",
            timeout.as_millis()
        ));
    }
}

/// End hook of the scheduler: no loss at the end of the request.
fn flush_all_at_end() {
    for p in live_producers() {
        drain_and_report(&p);
    }
}

/// A Kafka producer for one topic. `produce()` resolves when the broker has
/// acknowledged the message.
#[php_class]
#[php(name = "flame\\db\\kafka\\producer")]
pub struct Producer {
    shared: Option<Rc<RefCell<Shared>>>,
    partitioner: Partitioner,
    partitions: PartitionCount,
    fork: ForkGuard,
}

impl Producer {
    fn shared(&self) -> PhpResult<&Rc<RefCell<Shared>>> {
        self.fork.check("flame\\db\\kafka\\producer").map_err(|m| kafka_exception(-172, m))?;
        self.shared.as_ref().ok_or_else(|| kafka_exception(-172, "this producer is closed"))
    }

    /// The partition count for a callable partitioner (cached metadata).
    fn partition_count(&mut self) -> Result<i32, Failure> {
        if let Some(n) = self.partitions.fresh() {
            return Ok(n);
        }
        let shared = self.shared.as_ref().ok_or_else(|| Failure::kafka(-172, "this producer is closed"))?;
        let (client, topic) = {
            let s = shared.borrow();
            (s.client.clone(), s.topic.clone())
        };
        // A topic that does not exist yet is being auto-created by this very
        // request: ask again until it has partitions (bounded).
        let give_up = Instant::now() + Duration::from_secs(10);
        let mut md = client.client().fetch_metadata(Some(&topic), Duration::from_secs(10));
        while Instant::now() < give_up {
            let ready = match &md {
                Ok(m) => {
                    m.topics().iter().any(|t| t.name() == &*topic && t.error().is_none() && !t.partitions().is_empty())
                }
                Err(_) => false,
            };
            if ready {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
            md = client.client().fetch_metadata(Some(&topic), Duration::from_secs(5));
        }
        match md {
            Ok(md) => {
                let n = md
                    .topics()
                    .iter()
                    .find(|t| t.name() == &*topic)
                    .filter(|t| t.error().is_none())
                    .map(|t| t.partitions().len() as i32)
                    .unwrap_or(0);
                if n > 0 {
                    self.partitions.store(n);
                    Ok(n)
                } else if self.partitions.last() > 0 {
                    Ok(self.partitions.last())
                } else {
                    Err(Failure::kafka(
                        RDKafkaErrorCode::UnknownTopicOrPartition as i32,
                        format!("topic \"{topic}\" has no partitions (yet): cannot run partitioner_cb"),
                    ))
                }
            }
            // Metadata unreachable right now: the last known count will do.
            Err(_) if self.partitions.last() > 0 => Ok(self.partitions.last()),
            Err(e) => Err(Failure::kafka(code_of(&e), format!("metadata of topic \"{topic}\": {}", describe(&e)))),
        }
    }
}

fn header_pairs(headers: &ZendHashTable) -> PhpResult<Vec<(CString, Vec<u8>)>> {
    let mut out = Vec::with_capacity(headers.len());
    for (k, v) in php::entries(headers) {
        let name = k.map_err(|lossy| {
            crate::kafka::error::value_error(format!(
                "flame\\db\\kafka\\producer::produce(): Argument #3 ($headers): header name \"{lossy}\" is not valid UTF-8"
            ))
        })?;
        let v = v.dereference();
        let value = if let Some(s) = v.zend_str() {
            s.as_bytes().to_vec()
        } else if v.is_long() || v.is_double() || v.is_bool() {
            v.coerce_to_string().unwrap_or_default().into_bytes()
        } else {
            return Err(type_error(format!(
                "flame\\db\\kafka\\producer::produce(): Argument #3 ($headers): header \"{name}\" must be a string, {:?} given",
                v.get_type()
            )));
        };
        let name = CString::new(name).map_err(|e| {
            crate::kafka::error::value_error(format!(
                "flame\\db\\kafka\\producer::produce(): Argument #3 ($headers): header name \"{}\" contains a NUL byte",
                String::from_utf8_lossy(&e.into_vec()).replace('\0', "\\0")
            ))
        })?;
        out.push((name, value));
    }
    Ok(out)
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Producer {
    /// Creates a producer of `$topic` (see librdkafka's CONFIGURATION.md for options).
    pub fn __construct(global_opt: ArrayArg<'_>, topic_opt: ArrayArg<'_>, topic: StrArg<'_>) -> PhpResult<Self> {
        const F: &str = "flame\\db\\kafka\\producer::__construct";
        let global_opt = global_opt.get(F, 1, "global_opt", "array")?;
        let topic_opt = topic_opt.get(F, 2, "topic_opt", "array")?;
        let topic = String::from_utf8_lossy(&topic.get(F, 3, "topic")?).into_owned();
        if topic.is_empty() || topic.contains('\0') {
            return Err(crate::kafka::error::value_error(
                "flame\\db\\kafka\\producer::__construct(): Argument #3 ($topic) must be a non-empty topic name without NUL bytes",
            ));
        }
        let global = config::pairs(global_opt, Scope::Global, &[])?;
        // partitioner_cb is ours; everything else goes to librdkafka.
        let partitioner = match topic_opt.get("partitioner_cb") {
            Some(v) => Partitioner::from_option(v)?,
            None => Partitioner::Builtin("consistent_random"),
        };
        let mut topic_pairs = config::pairs(topic_opt, Scope::Topic, &["partitioner_cb"])?;
        if let Partitioner::Builtin(name) = &partitioner {
            topic_pairs.push(("partitioner".to_string(), name.to_string()));
        }
        let cfg = config::build(&global, &topic_pairs)?;
        // The callable partitioner's partition count is refreshed as often as
        // librdkafka refreshes its own metadata (topic.metadata.refresh.interval.ms),
        // at most every 30 s by default, so a topic that grows is noticed.
        let refresh_ms = global
            .iter()
            .find(|(k, _)| k == "topic.metadata.refresh.interval.ms")
            .and_then(|(_, v)| v.parse::<i64>().ok())
            .filter(|ms| *ms > 0)
            .unwrap_or(30_000);
        let topic: Arc<str> = Arc::from(topic.as_str());
        let quiet = Arc::new(AtomicBool::new(false));
        let ctx = DeliveryContext { topic: topic.clone(), quiet: quiet.clone() };
        let client = PolledProducer::new(&cfg, ctx, &topic)
            .map_err(|e| kafka_exception(code_of(&e), format!("cannot create the producer: {}", describe(&e))))?;
        let shared = Rc::new(RefCell::new(Shared {
            client: Arc::new(client),
            topic,
            quiet,
            backlog: VecDeque::new(),
            flush_waiters: Vec::new(),
            fork: ForkGuard::new(),
            lost_reported: false,
            since_drain: 0,
            stalled: false,
        }));
        LIVE.with(|l| l.borrow_mut().push(Rc::downgrade(&shared)));
        scheduler::add_idle_hook(pump_all);
        scheduler::add_end_hook(flush_all_at_end);
        crate::runtime::functions::ensure_shutdown_function();
        Ok(Producer {
            shared: Some(shared),
            partitioner,
            partitions: PartitionCount::new(Duration::from_millis(refresh_ms as u64)),
            fork: ForkGuard::new(),
        })
    }

    /// Produces one message; resolves with the stored `message` once the
    /// broker acknowledged it.
    pub fn produce(
        &mut self,
        payload: StrArg<'_>,
        key: Option<StrArg<'_>>,
        headers: Option<&ZendHashTable>,
    ) -> PhpResult<Awaitable> {
        let shared = self.shared()?.clone();
        let headers = match headers {
            Some(h) => header_pairs(h)?,
            None => Vec::new(),
        };
        let (key, key_src) = match key {
            Some(k) => {
                let src = k.1;
                (Some(k.get("flame\\db\\kafka\\producer::produce", 2, "key")?), src)
            }
            None => (None, None),
        };
        let payload_src = payload.1;
        let payload = payload.get("flame\\db\\kafka\\producer::produce", 1, "payload")?;
        const WHAT: &str = PRODUCE;
        let partition = match &self.partitioner {
            Partitioner::Builtin(_) => None,
            Partitioner::Callable(cb) => {
                let cb = cb.shallow_clone();
                let count = match self.partition_count() {
                    Ok(n) => n,
                    Err(f) => return Ok(Awaitable::failed(WHAT, Thrown::Failure(f))),
                };
                let key_zv = match &key {
                    Some(k) => {
                        use ext_php_rs::convert::IntoZval;
                        crate::kafka::message::Bytes(k.to_vec()).into_zval(false).unwrap_or_else(|_| Zval::null())
                    }
                    None => Zval::null(),
                };
                match php::call(&cb, vec![&key_zv, &(count as i64)]) {
                    Ok(ret) => match check_partition(&ret, count) {
                        Ok(p) => Some(p),
                        Err(msg) => {
                            let f = Failure::kafka(RDKafkaErrorCode::UnknownPartition as i32, msg);
                            return Ok(Awaitable::failed(WHAT, Thrown::Failure(f)));
                        }
                    },
                    Err(php::Raised::Exception(e)) => {
                        return Ok(Awaitable::failed(WHAT, Thrown::Object(php::object_zval(e))));
                    }
                    Err(php::Raised::Exit) => return Err(PhpException::from_message(String::new())),
                    // SAFETY: a fatal error in the partitioner callable was caught by try_catch; the engine
                    // must resume its unwind with bailout() (longjmp to the outermost zend_try). Skipped
                    // over: `cb`, `key_zv` (one reference to a PHP value each, reclaimed by the engine's
                    // end-of-request memory reset), `headers` and `shared` (a Rust Vec and one Rc count: the
                    // producer then leaks once, on a fatal error that ends the request).
                    Err(php::Raised::Bailout) => unsafe { ext_php_rs::zend::bailout() },
                }
            }
        };
        // `$producer->produce($x);` as a statement: nobody can ever see the
        // result, so no operation slot and no delivery report unless it fails.
        let detached = !php::return_value_used();
        let id = if detached { DETACHED } else { scheduler::begin_op(WHAT) };
        // What the PHP thread keeps of the message while librdkafka or the
        // backlog has it.
        let keep = |s: &Shared, headers: Vec<(CString, Vec<u8>)>| {
            Box::new(Pending {
                id,
                topic: s.topic.clone(),
                partition,
                payload: Held::new(std::borrow::Cow::Borrowed(&payload), payload_src),
                key: key.as_deref().map(|k| Held::new(std::borrow::Cow::Borrowed(k), key_src)),
                headers,
                request: php::request_token(),
                result: None,
            })
        };
        let mut s = shared.borrow_mut();
        // A loop that produces without ever yielding would leave delivery
        // reports unserved until it next runs the scheduler: serve and settle
        // them now and then (reports nobody waits for are just dropped), so
        // librdkafka's queue and memory stay flat.
        s.since_drain += 1;
        if s.since_drain >= 1024 {
            s.since_drain = 0;
            s.client.serve();
            drop(s);
            scheduler::poll_completions();
            s = shared.borrow_mut();
        }
        if !s.backlog.is_empty() {
            // Room may have freed since: move the backlog on first (order).
            drop(s);
            pump(&shared);
            s = shared.borrow_mut();
        }
        let failed = if !s.backlog.is_empty() {
            let m = keep(&s, headers);
            s.backlog.push_back(m);
            None
        } else if detached {
            let msg = Msg { partition, payload: &payload, key: key.as_deref(), headers: &headers };
            match enqueue(&s, &msg, std::ptr::null_mut()) {
                Enqueued::Sent => None,
                Enqueued::QueueFull => {
                    let m = keep(&s, headers);
                    s.backlog.push_back(m);
                    None
                }
                Enqueued::Failed(f) => Some(f),
            }
        } else {
            let m = keep(&s, headers);
            match enqueue(&s, &m.msg(), m.opaque()) {
                Enqueued::Sent => {
                    m.sent();
                    None
                }
                Enqueued::QueueFull => {
                    s.backlog.push_back(m);
                    None
                }
                Enqueued::Failed(f) => Some(f),
            }
        };
        let over = s.backlog.len() > BACKLOG_LIMIT;
        drop(s);
        if let Some(f) = failed {
            fail(id, f);
        }
        if over {
            throttle(&shared);
        }
        Ok(if detached { Awaitable::detached() } else { Awaitable::for_op(id) })
    }

    /// Resolves with null once everything produced so far is acknowledged;
    /// fails after `$timeout_ms` saying how many are still pending.
    #[php(defaults(timeout_ms = 10000))]
    pub fn flush(&mut self, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let timeout_ms = timeout_ms.get("flame\\db\\kafka\\producer::flush", 1, "timeout_ms")?;
        let shared = self.shared()?.clone();
        if timeout_ms < 0 {
            return Err(crate::kafka::error::value_error(
                "flame\\db\\kafka\\producer::flush(): Argument #1 ($timeout_ms) must be greater than or equal to 0",
            ));
        }
        let id = scheduler::begin_op("flame\\db\\kafka\\producer::flush()");
        let deadline = Instant::now() + Duration::from_millis(timeout_ms as u64);
        shared.borrow_mut().flush_waiters.push((id, deadline, timeout_ms as u64));
        // The scheduler sleeps until a completion arrives: wake it at the deadline.
        crate::runtime::background::runtime().spawn(async move {
            tokio::time::sleep(Duration::from_millis(timeout_ms as u64)).await;
            completion::complete(completion::WAKE, Outcome::Null);
        });
        pump(&shared);
        Ok(Awaitable::for_op(id))
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        let Some(shared) = self.shared.take() else { return };
        if self.fork.check("producer").is_err() {
            // A forked child must not touch the parent's librdkafka handle.
            std::mem::forget(shared);
            return;
        }
        drain_and_report(&shared);
        // Fail flushes still waiting: the producer is gone.
        let waiters = std::mem::take(&mut shared.borrow_mut().flush_waiters);
        for (id, _, _) in waiters {
            scheduler::settle_now(id, Outcome::Fail(Failure::kafka(-172, "the producer was destroyed")));
        }
    }
}
