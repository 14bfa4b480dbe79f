//! PHP values kept beyond the call that gave them, and the request they
//! belong to: a value held in one request is never released in another
//! (the engine reclaimed that request's memory), only abandoned.

use ext_php_rs::types::Zval;
use std::borrow::Cow;
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// A string argument kept beyond the call (PHP thread only).
pub enum Held {
    /// A reference to the caller's PHP string.
    Php(Zval),
    Owned(Vec<u8>),
}

impl Held {
    /// `bytes` as read from `source` (the string zval they borrow, if any):
    /// the PHP string itself (one more reference, no copy), or the bytes.
    pub fn new(bytes: Cow<'_, [u8]>, source: Option<&Zval>) -> Held {
        match (bytes, source) {
            (Cow::Borrowed(_), Some(z)) => Held::Php(z.shallow_clone()),
            (bytes, _) => Held::Owned(bytes.into_owned()),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            Held::Php(z) => z.zend_str().map(|s| s.as_bytes()).unwrap_or(&[]),
            Held::Owned(v) => v,
        }
    }

    /// Lets go of the value without touching PHP memory: for a value that
    /// outlived its request (whose memory the engine already reclaimed) or
    /// that ends up on a thread that is not PHP's.
    pub fn abandon(self) {
        if let Held::Php(z) = self {
            std::mem::forget(z);
        }
    }
}

static NEXT_REQUEST: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static REQUEST: Cell<u64> = const { Cell::new(0) };
}

/// A number that identifies the current request on this PHP thread (unique
/// across threads and requests, allocated on first use).
pub fn request_token() -> u64 {
    REQUEST.with(|r| {
        if r.get() == 0 {
            r.set(NEXT_REQUEST.fetch_add(1, Ordering::Relaxed));
        }
        r.get()
    })
}

/// The current request's token if one was taken: 0 after the request ended
/// and on threads that are not PHP's. PHP values held with a token may only
/// be released while this still returns it.
pub fn current_request_token() -> u64 {
    REQUEST.with(Cell::get)
}

/// At the end of a request: values held with its token are abandoned from now on.
pub fn end_request() {
    REQUEST.with(|r| r.set(0));
}
