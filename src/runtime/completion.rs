//! The completion channel: the only road from background threads to PHP.
//!
//! Background threads (tokio tasks, librdkafka's threads) send `Completion`s
//! here, through the `Sink` of the PHP thread that started the work (one
//! channel per PHP thread: several live in one process under ZTS): an operation's `Outcome`, the failure of an operation nobody can
//! observe, a wake-up, or an event for the PHP thread. All of it is plain
//! owned Rust data; the scheduler turns it into PHP values on the PHP thread.

use crate::runtime::readiness::Readiness;
use crossbeam_channel::{unbounded, Receiver, Sender};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};

/// Identifies one asynchronous operation (one `flame\awaitable`).
pub type OpId = u64;

/// Which PHP exception class a failure becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The class the layer above registered (`errors::set_domain_class`:
    /// `flame\db\kafka\exception`).
    Domain,
    /// `\RuntimeException`
    Runtime,
    /// `\LogicException`
    Logic,
    /// `\Error`
    Error,
}

/// A failure as data: it crosses threads and becomes an exception on the PHP thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub code: i32,
    pub message: String,
    /// Already reported in a summary (e.g. "N messages lost"): an unobserved
    /// failure of this kind raises no warning of its own.
    pub reported: bool,
    /// Protected bool properties of the exception class set to `true` on
    /// the exception (the class declares them).
    pub set_true: Vec<&'static str>,
}

impl Failure {
    /// A failure thrown as the domain exception class, with its code.
    pub fn domain(code: i32, message: impl Into<String>) -> Self {
        Self { kind: FailureKind::Domain, code, message: message.into(), reported: false, set_true: Vec::new() }
    }
    pub fn runtime(message: impl Into<String>) -> Self {
        Self { kind: FailureKind::Runtime, code: 0, message: message.into(), reported: false, set_true: Vec::new() }
    }
    pub fn logic(message: impl Into<String>) -> Self {
        Self { kind: FailureKind::Logic, code: 0, message: message.into(), reported: false, set_true: Vec::new() }
    }
}

/// A value produced in the background that knows how to become a PHP value.
/// Both methods run on the PHP thread only.
pub trait Deliverable: Send {
    /// The PHP value the operation resolves with, or the failure it turned
    /// out to be (a delivery report carries either).
    fn into_php(self: Box<Self>) -> Result<ext_php_rs::types::Zval, Failure>;

    /// Nobody can observe the result any more (the awaitable is gone): the
    /// failure to report, if it is one. Nothing is built.
    fn discard(self: Box<Self>) -> Option<Failure> {
        None
    }
}

/// What an operation ended with.
pub enum Outcome {
    /// Resolves with `null` (sleep over, flush done, commit accepted, timeout...).
    Null,
    /// Resolves with a value built on the PHP thread.
    Value(Box<dyn Deliverable>),
    /// Fails: thrown at the `yield` (or reported if nobody waits).
    Fail(Failure),
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Null => write!(f, "Null"),
            Outcome::Value(_) => write!(f, "Value(..)"),
            Outcome::Fail(e) => write!(f, "Fail({e:?})"),
        }
    }
}

/// What travels through the channel.
pub enum Completion {
    /// Operation `id` ended.
    Op(OpId, Outcome),
    /// An operation whose result the caller discarded at the call
    /// (`$producer->produce($x);` as a statement) failed: it has no slot and
    /// no awaitable, only this warning. Its message names the operation.
    Detached(Failure),
    /// Not an operation: a background queue has work for the PHP thread (a
    /// client's delivery reports or messages). It only wakes the scheduler,
    /// whose idle hooks then serve the queue.
    Wake,
    /// An event for the PHP thread (a log line for the PHP logger).
    Event(Box<dyn Deliverable>),
    /// Not an operation: a value whose `into_php()` does its work on the PHP
    /// thread when the scheduler takes it in (a consumer's rebalance
    /// callback), in channel order with what was sent before and after it.
    Run(Box<dyn Deliverable>),
}

/// One PHP thread's inbox: its completion channel and its readiness fd.
/// Never freed (one per PHP thread and fork generation, leaked on purpose):
/// a background thread may hold a `Sink` on it for as long as the process
/// lives, and what waits in it is never dropped off its PHP thread.
struct Inbox {
    generation: u64,
    tx: Sender<Completion>,
    rx: Receiver<Completion>,
    ready: Readiness,
    /// The PHP thread sleeps waiting for completions right now (read by
    /// other threads: work they do only while it waits).
    waiting: AtomicBool,
}

thread_local! {
    /// This PHP thread's inbox (null until its first operation).
    static INBOX: Cell<*const Inbox> = const { Cell::new(std::ptr::null()) };
}

/// The inbox made by the thread that forked, in the child (see `Sink::inbox`).
static HEIR: AtomicPtr<Inbox> = AtomicPtr::new(std::ptr::null_mut());

/// This PHP thread's inbox, made on first use. After `fork()` the child's
/// thread gets a fresh one: the parent's may have been locked by a thread
/// that does not exist in the child (a crossbeam waker mutex held mid-send),
/// and its eventfd is shared with the parent; it is never touched there.
fn inbox() -> &'static Inbox {
    let generation = crate::runtime::background::fork_generation();
    let cur = INBOX.with(|c| c.get());
    // SAFETY: INBOX is null or a pointer from Box::into_raw below, never freed.
    if let Some(ib) = unsafe { cur.as_ref() } {
        if ib.generation == generation {
            return ib;
        }
    }
    let (tx, rx) = unbounded();
    let fresh: &'static Inbox =
        Box::leak(Box::new(Inbox { generation, tx, rx, ready: Readiness::new(), waiting: AtomicBool::new(false) }));
    INBOX.with(|c| c.set(fresh));
    if !cur.is_null() {
        // This thread forked: the child's only PHP thread inherits the
        // parent's sinks (see `Sink::inbox`).
        HEIR.store(fresh as *const Inbox as *mut Inbox, Ordering::Release);
    }
    fresh
}

/// Where the completions of operations started on one PHP thread go. Taken
/// on that thread (`sink()`) when work is handed to the background — a tokio
/// task, a worker, a librdkafka callback's context — and used from any thread:
/// under ZTS (FrankenPHP) every PHP thread has its own channel and readiness
/// fd, and a completion reaches only the thread that started the operation.
#[derive(Clone, Copy)]
pub struct Sink(&'static Inbox);

impl Sink {
    /// The inbox to send to. A sink taken before a `fork()` addresses, in the
    /// child, the inbox of the thread that forked (the child's only PHP
    /// thread), once that thread made one.
    fn inbox(self) -> &'static Inbox {
        let generation = crate::runtime::background::fork_generation();
        if self.0.generation == generation {
            return self.0;
        }
        // SAFETY: HEIR is null or an inbox leaked by `inbox()`, never freed.
        match unsafe { HEIR.load(Ordering::Acquire).as_ref() } {
            Some(heir) if heir.generation == generation => heir,
            _ => self.0,
        }
    }

    fn send(self, c: Completion) {
        let ib = self.inbox();
        // The receiver is never dropped (leaked inbox): the send cannot fail,
        // so nothing is ever dropped here, off its PHP thread.
        if let Err(e) = ib.tx.send(c) {
            std::mem::forget(e);
        }
        ib.ready.notify();
    }

    /// Operation `id` ended with `outcome`; never blocks, never fails while
    /// the process lives.
    pub fn complete(self, id: OpId, outcome: Outcome) {
        self.send(Completion::Op(id, outcome));
    }

    /// A detached operation failed (see `Completion::Detached`).
    pub fn detached_failure(self, f: Failure) {
        self.send(Completion::Detached(f));
    }

    /// Wakes the scheduler (see `Completion::Wake`).
    pub fn wake(self) {
        self.send(Completion::Wake);
    }

    /// Hands an event to the PHP thread (see `Completion::Event`).
    pub fn event(self, e: Box<dyn Deliverable>) {
        self.send(Completion::Event(e));
    }

    /// Hands a value to the PHP thread to run its `into_php()` (see `Completion::Run`).
    pub fn run(self, e: Box<dyn Deliverable>) {
        self.send(Completion::Run(e));
    }

    /// Whether this sink's PHP thread sleeps waiting for completions now.
    pub fn waiting(self) -> bool {
        self.inbox().waiting.load(Ordering::Acquire)
    }
}

/// The calling PHP thread starts or stops sleeping for completions.
pub(crate) fn set_waiting(on: bool) {
    inbox().waiting.store(on, Ordering::Release);
}

impl Sink {
    /// As an opaque pointer for a C callback (valid for the process: the
    /// inbox is never freed).
    pub fn as_opaque(self) -> *mut std::ffi::c_void {
        self.0 as *const Inbox as *mut std::ffi::c_void
    }

    /// The sink an opaque of `as_opaque` stands for.
    ///
    /// # Safety
    /// `opaque` must come from `Sink::as_opaque`.
    pub unsafe fn from_opaque(opaque: *mut std::ffi::c_void) -> Sink {
        // SAFETY: per the contract, a leaked (never freed) inbox.
        Sink(unsafe { &*(opaque as *const Inbox) })
    }
}

/// The sink of the calling PHP thread: take it on the PHP thread, before the
/// work goes to the background.
pub fn sink() -> Sink {
    Sink(inbox())
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh operation id (never 0; unique in the process, all threads).
pub fn next_id() -> OpId {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Operation `id`, started on this PHP thread, ended (for completions made
/// on the PHP thread itself; background work uses the `Sink` it took).
pub fn complete(id: OpId, outcome: Outcome) {
    sink().complete(id, outcome);
}

/// The receiving end of this PHP thread's channel: the scheduler's only.
pub(crate) fn receiver() -> &'static Receiver<Completion> {
    &inbox().rx
}

/// This PHP thread's readiness fd.
pub(crate) fn readiness() -> &'static Readiness {
    &inbox().ready
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_non_zero() {
        let a = next_id();
        let b = next_id();
        assert!(a > 0 && b > a);
    }

    #[test]
    fn completions_cross_threads_as_owned_data() {
        let id = next_id();
        let sink = sink();
        std::thread::spawn(move || {
            sink.complete(id, Outcome::Fail(Failure::domain(-185, "timed out")));
        })
        .join()
        .unwrap();
        // Other tests of this thread may share the channel: look for ours.
        loop {
            let Completion::Op(got, outcome) = receiver().recv().unwrap() else { continue };
            if got == id {
                match outcome {
                    Outcome::Fail(f) => {
                        assert_eq!(f.code, -185);
                        assert_eq!(f.kind, FailureKind::Domain);
                    }
                    other => panic!("unexpected {other:?}"),
                }
                break;
            }
        }
    }
}

#[cfg(test)]
mod per_thread {
    use super::*;

    fn ops_in(rx: &Receiver<Completion>) -> Vec<OpId> {
        let mut ids = Vec::new();
        while let Ok(c) = rx.try_recv() {
            if let Completion::Op(id, _) = c {
                ids.push(id);
            }
        }
        ids
    }

    #[test]
    fn each_php_thread_gets_only_its_own_completions() {
        // Two "PHP threads", each starting operations completed by one
        // shared background thread through the sinks they took.
        let (to_bg, from_php) = std::sync::mpsc::channel::<(Sink, OpId)>();
        let bg = std::thread::spawn(move || {
            for (sink, id) in from_php {
                sink.complete(id, Outcome::Null);
            }
        });
        let php = |to_bg: std::sync::mpsc::Sender<(Sink, OpId)>| {
            std::thread::spawn(move || {
                let mine: Vec<OpId> = (0..100).map(|_| next_id()).collect();
                for &id in &mine {
                    to_bg.send((sink(), id)).unwrap();
                }
                let mut got = Vec::new();
                while got.len() < mine.len() {
                    let c = receiver().recv_timeout(std::time::Duration::from_secs(5)).expect("a completion");
                    if let Completion::Op(id, _) = c {
                        got.push(id);
                    }
                }
                got.extend(ops_in(receiver()));
                assert_eq!(got, mine, "exactly this thread's completions, in order");
            })
        };
        let a = php(to_bg.clone());
        let b = php(to_bg);
        a.join().unwrap();
        b.join().unwrap();
        bg.join().unwrap();
    }
}
