//! The completion channel: the only road from background threads to PHP.
//!
//! Background threads (tokio tasks, librdkafka callbacks) send `(OpId, Outcome)`
//! here. An `Outcome` is plain owned Rust data; the scheduler turns it into PHP
//! values on the PHP thread.

use crossbeam_channel::{unbounded, Receiver, Sender};
use once_cell::sync::Lazy;
use std::sync::atomic::{AtomicU64, Ordering};

/// Identifies one asynchronous operation (one `flame\awaitable`).
pub type OpId = u64;

/// Which PHP exception class a failure becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// `flame\db\kafka\exception`
    Kafka,
    /// `\RuntimeException`
    Runtime,
    /// `\LogicException`
    Logic,
}

/// A failure as data: it crosses threads and becomes an exception on the PHP thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn kafka(code: i32, message: impl Into<String>) -> Self {
        Self { kind: FailureKind::Kafka, code, message: message.into() }
    }
    pub fn runtime(message: impl Into<String>) -> Self {
        Self { kind: FailureKind::Runtime, code: 0, message: message.into() }
    }
    pub fn logic(message: impl Into<String>) -> Self {
        Self { kind: FailureKind::Logic, code: 0, message: message.into() }
    }
}

/// A value produced in the background that knows how to become a PHP value.
/// `into_php` runs on the PHP thread only.
pub trait Deliverable: Send {
    fn into_php(self: Box<Self>) -> ext_php_rs::types::Zval;
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

pub type Completion = (OpId, Outcome);

struct Channel {
    tx: Sender<Completion>,
    rx: Receiver<Completion>,
}

static CHANNEL: Lazy<Channel> = Lazy::new(|| {
    let (tx, rx) = unbounded();
    Channel { tx, rx }
});

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh operation id (never 0).
pub fn next_id() -> OpId {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A sending end for background threads.
pub fn sender() -> Sender<Completion> {
    CHANNEL.tx.clone()
}

/// Sends one completion; never blocks, never fails while the process lives.
pub fn complete(id: OpId, outcome: Outcome) {
    let _ = CHANNEL.tx.send((id, outcome));
}

/// The receiving end: used by the scheduler on the PHP thread only.
pub(crate) fn receiver() -> &'static Receiver<Completion> {
    &CHANNEL.rx
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
        let tx = sender();
        std::thread::spawn(move || {
            tx.send((id, Outcome::Fail(Failure::kafka(-185, "timed out")))).unwrap();
        })
        .join()
        .unwrap();
        // Other tests may share the channel: look for ours.
        loop {
            let (got, outcome) = receiver().recv().unwrap();
            if got == id {
                match outcome {
                    Outcome::Fail(f) => {
                        assert_eq!(f.code, -185);
                        assert_eq!(f.kind, FailureKind::Kafka);
                    }
                    other => panic!("unexpected {other:?}"),
                }
                break;
            }
        }
    }
}
