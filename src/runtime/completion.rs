//! The completion channel: the only road from background threads to PHP.
//!
//! Background threads (tokio tasks, librdkafka's threads) send `Completion`s
//! here: an operation's `Outcome`, the failure of an operation nobody can
//! observe, a wake-up, or an event for the PHP thread. All of it is plain
//! owned Rust data; the scheduler turns it into PHP values on the PHP thread.

use crossbeam_channel::{unbounded, Receiver, Sender};
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

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
}

struct Channel {
    generation: u64,
    tx: Sender<Completion>,
    rx: Receiver<Completion>,
}

/// The channel of this process. After `fork()` the child gets a fresh one:
/// the parent's may have been locked by a thread that does not exist in the
/// child (a crossbeam waker mutex held mid-send), so it is never touched
/// there (and leaked). Lock-free to read: background threads use it on every
/// delivery.
static CHANNEL: AtomicPtr<Channel> = AtomicPtr::new(std::ptr::null_mut());

fn channel() -> &'static Channel {
    let generation = crate::runtime::background::fork_generation();
    let cur = CHANNEL.load(Ordering::Acquire);
    // SAFETY: CHANNEL is null or a pointer from Box::into_raw below that is never freed once installed (a
    // channel is leaked, never dropped), so it is valid for 'static.
    if let Some(ch) = unsafe { cur.as_ref() } {
        if ch.generation == generation {
            return ch;
        }
    }
    let (tx, rx) = unbounded();
    let fresh = Box::into_raw(Box::new(Channel { generation, tx, rx }));
    match CHANNEL.compare_exchange(cur, fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: `fresh` is now installed in CHANNEL and never freed (see above).
        Ok(_) => unsafe { &*fresh },
        Err(other) => {
            // Another thread of this process installed one first.
            // SAFETY: `fresh` lost the race: it was never published, so this is its only owner.
            drop(unsafe { Box::from_raw(fresh) });
            // SAFETY: `other` is the channel another thread installed: never freed once installed.
            unsafe { &*other }
        }
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh operation id (never 0).
pub fn next_id() -> OpId {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

fn send(c: Completion) {
    let _ = channel().tx.send(c);
    crate::runtime::readiness::notify();
}

/// Operation `id` ended with `outcome`; never blocks, never fails while the
/// process lives.
pub fn complete(id: OpId, outcome: Outcome) {
    send(Completion::Op(id, outcome));
}

/// A detached operation failed (see `Completion::Detached`).
pub fn detached_failure(f: Failure) {
    send(Completion::Detached(f));
}

/// Wakes the scheduler (see `Completion::Wake`).
pub fn wake() {
    send(Completion::Wake);
}

/// Hands an event to the PHP thread (see `Completion::Event`).
pub fn event(e: Box<dyn Deliverable>) {
    send(Completion::Event(e));
}

/// The receiving end: used by the scheduler on the PHP thread only.
pub(crate) fn receiver() -> &'static Receiver<Completion> {
    &channel().rx
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
        std::thread::spawn(move || {
            complete(id, Outcome::Fail(Failure::domain(-185, "timed out")));
        })
        .join()
        .unwrap();
        // Other tests may share the channel: look for ours.
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
