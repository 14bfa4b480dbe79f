//! The PHP-thread side of one consumer: `consume()` waiters served in the
//! order they called, each with its own deadline, resolved exactly once on
//! the PHP thread; and the consumer's end (close, destroy).
//!
//! A message is only taken from librdkafka when someone waits for one (so
//! nothing is taken, and auto-committed, that PHP never saw). With no earlier
//! waiter, `consume()` takes a message librdkafka already holds right away;
//! otherwise the waiter queues up and the scheduler's idle hook serves the
//! queue whenever the consumer's queue wakes it (librdkafka's thread calls
//! `wake`) or a deadline passes (a timer wakes it).

use super::native::{ConsumerClient, Taken as Polled};
use crate::kafka::error::{code_of, describe, failure};
use crate::kafka::record::Record;
use crate::runtime::background::{self, ForkGuard};
use crate::runtime::completion::{self, Deliverable, Failure, OpId, Outcome};
use crate::runtime::scheduler;
use ext_php_rs::types::{ZendHashTable, Zval};
use rdkafka::error::{KafkaError, RDKafkaErrorCode as C};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How many events one `consume()` looks at for a message already there.
const FAST_POLLS: usize = 16;

/// Bounds one service of the queue (a queue refilled as fast as it is
/// served must not keep the PHP thread here).
const MAX_POLLS: usize = 10_000;

/// One consumer's PHP-thread state.
pub struct Member {
    pub client: Arc<ConsumerClient>,
    /// consume() and consume_batch() operations not settled yet, in the
    /// order they were made.
    waiters: VecDeque<Waiter>,
    /// A consumer error met while a batch was being filled: the batch
    /// resolved with what it had, the next call (or waiter) gets it.
    stashed: Option<Failure>,
    /// Topic names of messages taken, shared between them.
    topics: Vec<Arc<str>>,
    id: u64,
    fork: ForkGuard,
}

thread_local! {
    static LIVE: RefCell<Vec<Weak<RefCell<Member>>>> = const { RefCell::new(Vec::new()) };
}

/// What one poll for a waiter gave.
pub enum Next {
    Message(Record),
    Failed(Failure),
    /// Nothing for a waiter right now.
    Nothing,
}

/// One waiting consume() (`max == 0`: one message or null) or
/// consume_batch() (`max >= 1`: a list of 1..max, or []).
struct Waiter {
    id: OpId,
    deadline: Option<Instant>,
    max: usize,
}

/// What a call gets at once, without waiting.
pub enum Taken {
    Message(Record),
    Batch(Vec<Record>),
    Failed(Failure),
    Nothing,
}

/// A list of records for `consume_batch()`, in order.
pub struct Batch(pub Vec<Record>);

impl Deliverable for Batch {
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        Ok(batch_zval(self.0))
    }
}

/// The PHP list of messages for a batch (PHP thread only).
pub fn batch_zval(records: Vec<Record>) -> Zval {
    let mut ht = ZendHashTable::with_capacity(records.len() as u32);
    for r in records {
        let _ = ht.push(r.into_zval_now());
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

/// Errors librdkafka reports on the consumer queue but recovers from by
/// itself (a subscribed topic being created, a broker reconnecting): they go
/// to the logger, and the waiter keeps waiting. Everything else is thrown.
fn is_transient(e: &KafkaError) -> bool {
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

fn intern(cache: &mut Vec<Arc<str>>, topic: &str) -> Arc<str> {
    if let Some(t) = cache.iter().find(|t| &***t == topic) {
        return t.clone();
    }
    let t: Arc<str> = Arc::from(topic);
    cache.push(t.clone());
    t
}

impl Member {
    /// Registers a new consumer's state with the scheduler's idle hook.
    pub fn register(client: ConsumerClient, id: u64) -> Rc<RefCell<Member>> {
        client.set_wake(true);
        let member = Rc::new(RefCell::new(Member {
            client: Arc::new(client),
            waiters: VecDeque::new(),
            stashed: None,
            topics: Vec::new(),
            id,
            fork: ForkGuard::new(),
        }));
        LIVE.with(|l| l.borrow_mut().push(Rc::downgrade(&member)));
        scheduler::add_idle_hook(serve_all);
        member
    }

    /// Whether earlier consume() calls still wait.
    pub fn has_waiters(&self) -> bool {
        !self.waiters.is_empty()
    }

    /// The next message (or failure) librdkafka already holds, looking at
    /// no more than `polls` events; partition EOFs and transient errors are
    /// skipped (the latter logged).
    pub fn next(&mut self, polls: usize, stop_at_served: bool) -> Next {
        let Member { client, topics, id, .. } = self;
        for _ in 0..polls {
            if rebalance_pending(*id) {
                break;
            }
            match client.poll(*id, &mut |t| intern(topics, t)) {
                Polled::Rebalance(r) => {
                    // An incremental change with nothing in it changes nothing.
                    if r.partitions.is_empty() && client.cooperative() {
                        continue;
                    }
                    PENDING.with(|p| p.borrow_mut().insert(*id));
                    super::rebalance::RebalanceEvent::send(completion::sink(), *id, r);
                    break;
                }
                Polled::Empty => break,
                Polled::Served if stop_at_served => break,
                Polled::Served | Polled::Error(KafkaError::PartitionEOF(_)) => continue,
                Polled::Message(record) => return Next::Message(record),
                Polled::Error(e) if is_transient(&e) => {
                    crate::kafka::log::error(completion::sink(), client.name(), &e, "consumer (transient, retried)");
                }
                Polled::Error(e) => {
                    let reason = client.last_reason();
                    let reason = if reason.is_empty() { String::new() } else { format!(": {reason}") };
                    return Next::Failed(failure(code_of(&e), format!("consume failed: {}{reason}", describe(&e))));
                }
            }
        }
        Next::Nothing
    }

    /// The fast path of `consume()` (`max == 0`) and `consume_batch()`: what
    /// librdkafka already holds, or the error stashed by a batch.
    pub fn take_now(&mut self, max: usize) -> Taken {
        if let Some(f) = self.stashed.take() {
            return Taken::Failed(f);
        }
        match self.next(FAST_POLLS, true) {
            Next::Message(record) if max == 0 => Taken::Message(record),
            Next::Message(record) => Taken::Batch(self.fill(record, max)),
            Next::Failed(f) => Taken::Failed(f),
            Next::Nothing => Taken::Nothing,
        }
    }

    /// A batch starting with `first`, filled with what librdkafka already
    /// holds, up to `max`; an error met meanwhile is stashed for the next call.
    fn fill(&mut self, first: Record, max: usize) -> Vec<Record> {
        let mut batch = Vec::with_capacity(max.min(1024));
        batch.push(first);
        while batch.len() < max {
            match self.next(FAST_POLLS, true) {
                Next::Message(record) => batch.push(record),
                Next::Failed(f) => {
                    self.stashed = Some(f);
                    break;
                }
                Next::Nothing => break,
            }
        }
        batch
    }

    /// Queues a waiter; a timer wakes the scheduler at its deadline. The
    /// scheduler is woken now too: librdkafka only wakes it when the queue
    /// stops being empty, and it may hold events already.
    pub fn wait(&mut self, id: OpId, max: usize, timeout: Option<Duration>) {
        let deadline = timeout.map(|t| Instant::now() + t);
        self.waiters.push_back(Waiter { id, deadline, max });
        let sink = completion::sink();
        sink.wake();
        if let Some(t) = timeout {
            background::runtime().spawn(async move {
                tokio::time::sleep(t).await;
                sink.wake();
            });
        }
    }

    /// Settles what can be settled now: waiters whose time is up resolve
    /// with null (or []), the others get messages in order. Returns the
    /// outcomes to settle (outside of this borrow).
    fn serve(&mut self) -> Vec<(OpId, Outcome)> {
        let now = Instant::now();
        let mut done = Vec::new();
        self.waiters.retain(|w| match w.deadline {
            Some(d) if d <= now => {
                done.push((w.id, nothing(w.max)));
                false
            }
            _ => true,
        });
        while let Some(max) = self.waiters.front().map(|w| w.max) {
            let outcome = if let Some(f) = self.stashed.take() {
                Outcome::Fail(f)
            } else {
                match self.next(MAX_POLLS, false) {
                    Next::Message(record) if max == 0 => Outcome::Value(Box::new(record)),
                    Next::Message(record) => Outcome::Value(Box::new(Batch(self.fill(record, max)))),
                    Next::Failed(f) => Outcome::Fail(f),
                    Next::Nothing => break,
                }
            };
            if let Some(w) = self.waiters.pop_front() {
                done.push((w.id, outcome));
            }
        }
        done
    }

    /// Stops serving: what waiters still queued resolve with (null or []).
    fn stop(&mut self) -> Vec<(OpId, Outcome)> {
        self.client.set_wake(false);
        self.waiters.drain(..).map(|w| (w.id, nothing(w.max))).collect()
    }
}

thread_local! {
    /// Consumers with a rebalance sent to the PHP thread whose `rebalance_cb`
    /// has not run yet: they hand out no message before it has.
    static PENDING: RefCell<std::collections::HashSet<u64>> = RefCell::new(std::collections::HashSet::new());
}

fn rebalance_pending(id: u64) -> bool {
    PENDING.with(|p| !p.borrow().is_empty() && p.borrow().contains(&id))
}

/// The `rebalance_cb` of consumer `id` has run: its messages flow again.
pub fn rebalance_done(id: u64) {
    PENDING.with(|p| p.borrow_mut().remove(&id));
    completion::sink().wake();
}

/// Idle hook of the scheduler: serves every consumer that has waiters.
fn serve_all() -> bool {
    let live: Vec<Rc<RefCell<Member>>> = LIVE.with(|l| {
        let mut l = l.borrow_mut();
        l.retain(|w| w.strong_count() > 0);
        l.iter().filter_map(|w| w.upgrade()).collect()
    });
    let mut worked = false;
    for member in live {
        let done = {
            let Ok(mut m) = member.try_borrow_mut() else { continue };
            if !m.has_waiters() || m.fork.check("consumer").is_err() {
                continue;
            }
            m.serve()
        };
        worked |= !done.is_empty();
        for (id, outcome) in done {
            scheduler::settle_now(id, outcome);
        }
    }
    worked
}

/// Ends a consumer: waiters resolve with null, and the client leaves the
/// group (blocking, bounded by librdkafka) when `close` runs.
pub fn stop(member: Rc<RefCell<Member>>) -> Arc<ConsumerClient> {
    let (done, client) = {
        let mut m = member.borrow_mut();
        (m.stop(), m.client.clone())
    };
    drop(member);
    for (id, outcome) in done {
        scheduler::settle_now(id, outcome);
    }
    client
}
