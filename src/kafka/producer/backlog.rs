//! The PHP-thread side of one producer: its client, the backlog of messages
//! librdkafka had no room for (kept in order and retried as room frees:
//! nothing is dropped), flushes waiting to settle, and the end of the
//! request (no loss: what could not be delivered in time is counted in a
//! warning). The scheduler's idle hook and end hook reach every live
//! producer of the request through `LIVE`.

use super::native::{Msg, ProducerClient};
use super::pending::{detached_failure, Outgoing, Pending};
use crate::kafka::error::{code_of, describe, failure, Code};
use crate::runtime::background::{self, ForkGuard};
use crate::runtime::completion::{self, Failure, OpId, Outcome};
use crate::runtime::{engine, scheduler};
use rdkafka::error::KafkaError;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Messages a producer keeps on its side once librdkafka's queue
/// (`queue.buffering.max.messages`) is full, before `produce()` starts to wait.
const BACKLOG_LIMIT: usize = 10_000;

/// How long `throttle` waits without librdkafka taking a single message
/// before it stops waiting (broker unreachable: do not hang the script).
const STALL_MS: u64 = 500;

/// How many `produce()` calls may pass between two services of the
/// delivery reports when the script never yields.
const SERVE_EVERY: u32 = 1024;

/// PHP-thread state of one producer (shared with the idle and end hooks).
pub struct Shared {
    pub client: Rc<ProducerClient>,
    pub topic: Arc<str>,
    /// Set once the loss of what is still queued has been reported as a count.
    pub quiet: Rc<Cell<bool>>,
    backlog: VecDeque<Box<Pending>>,
    /// Flushes waiting: (operation, deadline, timeout in ms).
    flush_waiters: Vec<(OpId, Instant, u64)>,
    fork: ForkGuard,
    /// What could not be delivered at the end was already reported.
    lost_reported: bool,
    /// produce() calls since the delivery reports were last served.
    since_served: u32,
    /// librdkafka took nothing from the backlog for a while: produce() does
    /// not wait for room until it takes something again.
    stalled: bool,
    /// The client outlives this producer (`flame.persistent`).
    persistent: bool,
}

thread_local! {
    static LIVE: RefCell<Vec<Weak<RefCell<Shared>>>> = const { RefCell::new(Vec::new()) };
}

impl Shared {
    /// Registers a new producer's state with the scheduler's hooks.
    pub fn register(client: Rc<ProducerClient>, topic: Arc<str>, persistent: bool) -> Rc<RefCell<Shared>> {
        let quiet = client.quiet.clone();
        let shared = Rc::new(RefCell::new(Shared {
            client,
            topic,
            quiet,
            backlog: VecDeque::new(),
            flush_waiters: Vec::new(),
            fork: ForkGuard::new(),
            lost_reported: false,
            since_served: 0,
            stalled: false,
            persistent,
        }));
        LIVE.with(|l| l.borrow_mut().push(Rc::downgrade(&shared)));
        scheduler::add_idle_hook(progress_all);
        scheduler::add_end_hook(flush_all_at_end);
        shared
    }

    /// Messages not delivered yet: in the backlog or with librdkafka.
    fn undelivered(&self) -> usize {
        self.backlog.len() + self.client.pending()
    }
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

/// Tries to hand one message to librdkafka. On `Sent` with a non-null
/// `opaque`, librdkafka owns the `Pending` behind it until its delivery
/// report: the caller lets go of it (`Pending::sent`).
fn enqueue(shared: &Shared, m: &Msg<'_>, opaque: *mut std::ffi::c_void) -> Enqueued {
    match shared.client.send(m, opaque) {
        Ok(()) => Enqueued::Sent,
        Err(Code::QueueFull) => Enqueued::QueueFull,
        Err(code) => {
            let err = KafkaError::MessageProduction(code);
            let message = format!("produce to topic \"{}\" failed: {}", shared.topic, describe(&err));
            Enqueued::Failed(failure(code_of(&err), message))
        }
    }
}

/// Fails one produce() on the PHP thread.
fn fail(id: Option<OpId>, f: Failure) {
    match id {
        Some(id) => scheduler::settle_now(id, Outcome::Fail(f)),
        None => scheduler::report_detached(detached_failure(f)),
    }
}

/// Hands one `produce()`'s message to librdkafka, or to the backlog when
/// librdkafka has no room (or earlier messages wait there: order is kept).
pub fn produce(shared: &Rc<RefCell<Shared>>, out: Outgoing<'_>) {
    serve_now_and_then(shared);
    if scheduler::has_coroutines() {
        // Coroutines batch: not while the flusher still holds librdkafka's
        // flush flag for an earlier wait (a plain script's wait() leaves it
        // to end by itself). Only an atomic load when it does not.
        shared.borrow().client.let_go();
    }
    if !shared.borrow().backlog.is_empty() {
        // Room may have freed since: move the backlog on first (order).
        progress(shared);
    }
    let id = out.id;
    let mut s = shared.borrow_mut();
    let failed = if !s.backlog.is_empty() {
        s.backlog.push_back(out.keep());
        None
    } else if id.is_none() {
        // Detached: librdkafka copies the message, nothing is kept.
        let r = enqueue(&s, &out.msg(), std::ptr::null_mut());
        match r {
            Enqueued::Sent => None,
            Enqueued::QueueFull => {
                s.backlog.push_back(out.keep());
                None
            }
            Enqueued::Failed(f) => Some(f),
        }
    } else {
        let m = out.keep();
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
        throttle(shared);
    }
}

/// A loop that produces without ever yielding would leave delivery reports
/// unserved until it next runs the scheduler: serve and settle them now and
/// then (reports nobody waits for are just dropped), so librdkafka's queue
/// and memory stay flat.
fn serve_now_and_then(shared: &Rc<RefCell<Shared>>) {
    let mut s = shared.borrow_mut();
    s.since_served += 1;
    if s.since_served < SERVE_EVERY {
        return;
    }
    s.since_served = 0;
    s.client.serve();
    drop(s);
    scheduler::poll_completions();
}

/// Waits for a flush: settles when everything produced so far is delivered
/// or `timeout_ms` passed.
pub fn add_flush_waiter(shared: &Rc<RefCell<Shared>>, id: OpId, timeout_ms: u64) {
    let deadline = Instant::now() + Duration::from_millis(timeout_ms);
    shared.borrow_mut().flush_waiters.push((id, deadline, timeout_ms));
    // The scheduler sleeps until a completion arrives: wake it at the deadline.
    let sink = completion::sink();
    background::runtime().spawn(async move {
        tokio::time::sleep(Duration::from_millis(timeout_ms)).await;
        sink.wake();
    });
    progress(shared);
}

/// Serves the producer's delivery reports, moves backlog messages into
/// librdkafka while there is room, and settles flushes. Whether anything moved.
pub fn progress(shared: &Rc<RefCell<Shared>>) -> bool {
    let served = shared.borrow().client.serve();
    if served && scheduler::has_coroutines() {
        // Reports came: before coroutines run (and produce) again, the
        // flusher must be out of rd_kafka_flush() (see `linger`). A plain
        // script has no batch to keep: its next message may as well leave
        // at once.
        shared.borrow().client.let_go();
    }
    let moved = retry_backlog(shared);
    let settled = settle_flushes(shared);
    served || moved || settled
}

/// Moves backlog messages into librdkafka while it has room.
fn retry_backlog(shared: &Rc<RefCell<Shared>>) -> bool {
    let mut worked = false;
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
    worked
}

/// Settles the flushes that can end now (all delivered, or timed out).
fn settle_flushes(shared: &Rc<RefCell<Shared>>) -> bool {
    let done: Vec<(OpId, Option<Failure>)> = {
        let mut s = shared.borrow_mut();
        if s.flush_waiters.is_empty() {
            return false;
        }
        let pending = s.undelivered();
        let in_librdkafka = s.client.pending();
        let now = Instant::now();
        let mut out = Vec::new();
        s.flush_waiters.retain(|(id, deadline, timeout_ms)| {
            if pending == 0 {
                out.push((*id, None));
            } else if now >= *deadline {
                let message = format!("flush() timed out after {timeout_ms} ms: {pending} message(s) still pending");
                let mut f = failure(Code::MessageTimedOut, message);
                // Those librdkafka has may be in flight: stored or not, nobody knows yet.
                if in_librdkafka > 0 {
                    f.set_true.push(crate::kafka::error::POSSIBLY_PERSISTED);
                }
                out.push((*id, Some(f)));
            } else {
                return true;
            }
            false
        });
        out
    };
    let worked = !done.is_empty();
    for (id, f) in done {
        scheduler::settle_now(id, f.map(Outcome::Fail).unwrap_or(Outcome::Null));
    }
    worked
}

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
    let mut progressed = Instant::now();
    loop {
        progress(shared);
        scheduler::poll_completions();
        let len = shared.borrow().backlog.len();
        if len <= BACKLOG_LIMIT / 2 {
            return;
        }
        if len < last {
            last = len;
            progressed = Instant::now();
        } else if progressed.elapsed() >= Duration::from_millis(STALL_MS) {
            shared.borrow_mut().stalled = true;
            return;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Idle hook of the scheduler (nothing to run; also after a wake-up): make
/// progress on every producer.
fn progress_all() -> bool {
    let mut worked = false;
    for p in live_producers() {
        worked |= progress(&p);
        // The PHP thread is about to wait: what linger.ms holds back goes now.
        p.borrow().client.kick();
    }
    worked
}

/// The ini `flame_kafka.shutdown_timeout_ms`.
pub fn shutdown_timeout() -> Duration {
    let ms = engine::ini_long("flame_kafka.shutdown_timeout_ms").unwrap_or(10_000).max(0);
    Duration::from_millis(ms as u64)
}

/// Delivers what is queued (bounded); returns how many could not be delivered.
fn deliver_within(shared: &Rc<RefCell<Shared>>, timeout: Duration) -> usize {
    let deadline = Instant::now() + timeout;
    loop {
        progress(shared);
        scheduler::poll_completions();
        if shared.borrow().undelivered() == 0 {
            break;
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        // Lingering messages go at once; reports are served as they come.
        let client = shared.borrow().client.clone();
        client.flush_for((deadline - now).min(Duration::from_millis(20)));
    }
    scheduler::poll_completions();
    let undelivered = shared.borrow().undelivered();
    undelivered
}

/// No loss at the end: delivers what is queued within the shutdown timeout
/// and warns with the count of what could not be (once).
pub fn flush_and_report_lost(shared: &Rc<RefCell<Shared>>) {
    if shared.borrow().lost_reported {
        return;
    }
    let timeout = shutdown_timeout();
    let lost = deliver_within(shared, timeout);
    if lost > 0 {
        let topic = {
            let mut s = shared.borrow_mut();
            s.lost_reported = true;
            s.quiet.set(true);
            s.topic.clone()
        };
        if shared.borrow().persistent {
            // Counted and reported in this request: nothing of it may reach
            // the next one through the client that outlives it.
            let client = shared.borrow().client.clone();
            client.purge_and_serve();
            scheduler::poll_completions();
            client.quiet.set(false);
        }
        engine::warning(&format!(
            "flame\\db\\kafka\\producer: {lost} message(s) to topic \"{topic}\" could not be delivered \
             within flame_kafka.shutdown_timeout_ms={} and are lost",
            timeout.as_millis()
        ));
    }
}

/// End hook of the scheduler: no loss at the end of the request.
fn flush_all_at_end() {
    for p in live_producers() {
        flush_and_report_lost(&p);
    }
}

/// The producer is gone: fail the flushes still waiting.
pub fn fail_flush_waiters(shared: &Rc<RefCell<Shared>>) {
    let waiters = std::mem::take(&mut shared.borrow_mut().flush_waiters);
    for (id, _, _) in waiters {
        scheduler::settle_now(id, Outcome::Fail(failure(Code::State, "the producer was destroyed")));
    }
}
