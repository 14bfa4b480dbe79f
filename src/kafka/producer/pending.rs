//! The in-flight message: what the PHP thread keeps of a produced message
//! while librdkafka (or the backlog) has it, and its delivery report.
//!
//! A `Pending` keeps the payload, key and headers (a reference to the PHP
//! strings, not a copy); its address travels with the message through
//! librdkafka as its opaque and comes back with the delivery report, which
//! settles its operation through the completion channel. The resolved
//! `message` is built only if someone still holds the awaitable. A detached
//! `produce()` (result discarded at the call) has no `Pending` unless it
//! waits in the backlog, and its report matters only if it failed.

use super::native::{Delivery, Msg, Stored};
use crate::kafka::error::{code_of, describe, failure};
use crate::kafka::message::Record;
use crate::runtime::completion::{self, Deliverable, Failure, OpId, Outcome};
use crate::runtime::held::{current_request_token, request_token, Held};
use ext_php_rs::types::Zval;
use std::borrow::Cow;
use std::cell::Cell;
use std::ffi::{c_void, CString};
use std::rc::Rc;
use std::sync::Arc;

/// What `produce()` is called as in warnings and failures.
pub const PRODUCE: &str = "flame\\db\\kafka\\producer::produce()";

/// Said of a failed message that may have been stored anyway.
const POSSIBLY_PERSISTED_NOTE: &str = " (possibly persisted: the broker may have stored it, a retry may duplicate it)";

/// A message as `produce()` received it (borrowed from the call).
pub struct Outgoing<'a> {
    /// The operation; `None` for a detached `produce()`.
    pub id: Option<OpId>,
    pub topic: Arc<str>,
    pub partition: Option<i32>,
    /// `None`: a record without value (a tombstone).
    pub payload: Option<Cow<'a, [u8]>>,
    /// The PHP string the payload borrows, if it does.
    pub payload_src: Option<&'a Zval>,
    pub key: Option<Cow<'a, [u8]>>,
    pub key_src: Option<&'a Zval>,
    pub headers: Vec<(CString, Vec<u8>)>,
}

impl Outgoing<'_> {
    /// The message as librdkafka gets it.
    pub fn msg(&self) -> Msg<'_> {
        Msg {
            partition: self.partition,
            payload: self.payload.as_deref(),
            key: self.key.as_deref(),
            headers: &self.headers,
        }
    }

    /// What the PHP thread keeps of the message while librdkafka or the
    /// backlog has it (the PHP strings themselves, no copy).
    pub fn keep(self) -> Box<Pending> {
        Box::new(Pending {
            id: self.id,
            topic: self.topic,
            partition: self.partition,
            payload: self.payload.map(|p| Held::new(p, self.payload_src)),
            key: self.key.map(|k| Held::new(k, self.key_src)),
            headers: self.headers,
            request: request_token(),
            result: None,
        })
    }
}

/// A produced message kept until its delivery report (or while it waits in
/// the backlog). PHP thread only, but see `Drop`.
pub struct Pending {
    /// The operation; `None` for a detached `produce()`.
    pub id: Option<OpId>,
    topic: Arc<str>,
    partition: Option<i32>,
    payload: Option<Held>,
    key: Option<Held>,
    headers: Vec<(CString, Vec<u8>)>,
    /// The request whose PHP strings `payload`/`key` may reference.
    request: u64,
    /// Filled in by the delivery report: where the broker stored it, or why not.
    result: Option<Result<Stored, Failure>>,
}

impl Pending {
    pub fn msg(&self) -> Msg<'_> {
        Msg {
            partition: self.partition,
            payload: self.payload.as_ref().map(Held::bytes),
            key: self.key.as_ref().map(Held::bytes),
            headers: &self.headers,
        }
    }

    /// What travels with the message through librdkafka: this `Pending`,
    /// or null when nobody waits for the result.
    pub fn opaque(&self) -> *mut c_void {
        match self.id {
            None => std::ptr::null_mut(),
            Some(_) => self as *const Pending as *mut _,
        }
    }

    /// librdkafka accepted the message: it now owns this `Pending` until the
    /// delivery report (or nobody needs it any more).
    pub fn sent(self: Box<Self>) {
        if self.id.is_some() {
            let _ = Box::into_raw(self);
        }
    }
}

// SAFETY: a `Pending` goes through librdkafka and back inside a delivery
// report and then through the completion channel (which requires `Send`);
// the report is served on the PHP thread and only sets `result`. Its PHP
// strings are only read or released on the PHP thread: `Drop` anywhere else
// (or in a later request) abandons them without touching PHP memory.
unsafe impl Send for Pending {}

impl Drop for Pending {
    fn drop(&mut self) {
        // Released in another request (the engine reclaimed that request's
        // memory) or on a thread that is not PHP's: do not touch PHP memory.
        if current_request_token() != self.request {
            if let Some(p) = self.payload.take() {
                p.abandon();
            }
            if let Some(k) = self.key.take() {
                k.abandon();
            }
        }
    }
}

impl Deliverable for Pending {
    fn into_php(mut self: Box<Self>) -> Result<Zval, Failure> {
        let stored = self.result.take().unwrap_or(Ok(Stored { partition: -1, offset: -1, timestamp_ms: 0 }))?;
        let record = Record {
            topic: self.topic.clone(),
            partition: stored.partition,
            offset: stored.offset,
            timestamp_ms: stored.timestamp_ms,
            key: self.key.as_ref().map(|k| k.bytes().to_vec()),
            payload: self.payload.as_ref().map(|p| p.bytes().to_vec()),
            headers: std::mem::take(&mut self.headers)
                .into_iter()
                .map(|(k, v)| (k.to_string_lossy().into_owned(), Some(v)))
                .collect(),
            consumer_id: 0,
        };
        Ok(record.into_zval_now())
    }

    fn discard(mut self: Box<Self>) -> Option<Failure> {
        self.result.take().and_then(Result::err)
    }
}

/// The failure of a detached produce() names the operation in its message:
/// it becomes a warning of its own, with no awaitable to name it.
pub fn detached_failure(mut f: Failure) -> Failure {
    f.message = format!("{PRODUCE}: {}", f.message);
    f
}

/// Serves one delivery report of the producer of `topic` (on the PHP
/// thread, from the librdkafka boundary). `quiet`: the loss of what is still
/// queued was already reported as a count.
pub fn on_delivery(topic: Arc<str>, quiet: Rc<Cell<bool>>) -> impl Fn(Delivery) {
    move |d: Delivery| {
        let result = match d.result {
            // A message whose result nobody can observe: only a failure matters.
            Ok(_) if d.opaque.is_null() => return,
            Ok(stored) => Ok(stored),
            Err(err) => {
                let mut f = match d.refused {
                    // Purged because the broker refused the client: never
                    // sent, so certainly not stored.
                    Some((code, why)) => failure(code, format!("delivery to topic \"{topic}\" failed: {why}")),
                    None => {
                        let maybe = if d.possibly_persisted { POSSIBLY_PERSISTED_NOTE } else { "" };
                        failure(
                            code_of(&err),
                            format!("delivery to topic \"{topic}\" failed: {}{maybe}", describe(&err)),
                        )
                    }
                };
                if d.possibly_persisted {
                    f.set_true.push(crate::kafka::error::POSSIBLY_PERSISTED);
                }
                f.reported = quiet.get();
                Err(f)
            }
        };
        if d.opaque.is_null() {
            if let Err(f) = result {
                completion::sink().detached_failure(detached_failure(f));
            }
            return;
        }
        // SAFETY: a non-null opaque came from `Pending::sent` (Box::into_raw)
        // when librdkafka accepted the message; nothing touches it until this
        // report brings it back, exactly once.
        let mut pending = unsafe { Box::from_raw(d.opaque as *mut Pending) };
        pending.result = Some(result);
        match pending.id {
            Some(id) => completion::complete(id, Outcome::Value(pending)),
            None => drop(pending),
        }
    }
}
