//! Persistent producer clients (global option `flame.persistent`): the
//! librdkafka client — broker connections, metadata — outlives the request
//! and the PHP object, and a later producer of the same process with an
//! identical configuration takes it again instead of connecting anew.
//!
//! Only the client is kept: every PHP-side state (pending messages, flush
//! waiters, the backlog) belongs to the producer object of one request, and
//! the end of each request flushes what that request produced, reports what
//! could not be delivered and purges it from the client, so nothing of one
//! request is left in the client for the next. At most
//! `flame_kafka.max_persistent` clients are kept, most recently used last;
//! beyond that the least recently used is closed. A client made before
//! `fork()` is never used (nor destroyed) by the child. Module shutdown
//! flushes and destroys them.
//!
//! PHP thread only (the registry is thread-local; NTS PHP has one thread).

use crate::kafka::producer::native::ProducerClient;
use rdkafka::error::KafkaError;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

struct Entry {
    /// Global options, topic options and topic, normalised (see `key`).
    key: String,
    client: Rc<ProducerClient>,
    pid: u32,
}

thread_local! {
    /// Least recently used first.
    static CLIENTS: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    /// (created, reused) in this process, for `php --ri` / phpinfo().
    static COUNTS: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// The ini `flame_kafka.max_persistent`.
fn max_persistent() -> usize {
    crate::runtime::engine::ini_long("flame_kafka.max_persistent").unwrap_or(16).max(0) as usize
}

/// Entries a forked child inherited: never used, never destroyed here.
fn forget_inherited(clients: &mut Vec<Entry>) {
    let pid = std::process::id();
    clients.retain_mut(|e| {
        if e.pid == pid {
            return true;
        }
        std::mem::forget(e.client.clone());
        false
    });
}

/// The persistent client of `options` and `topic`, made with `create`
/// when there is none.
pub fn take(
    options: &str,
    topic: &str,
    create: impl FnOnce() -> Result<ProducerClient, KafkaError>,
) -> Result<Rc<ProducerClient>, KafkaError> {
    let key = format!("{options}\u{3}{topic}");
    let found = CLIENTS.with(|c| {
        let mut c = c.borrow_mut();
        forget_inherited(&mut c);
        let i = c.iter().position(|e| e.key == key)?;
        let e = c.remove(i);
        let client = e.client.clone();
        c.push(e);
        Some(client)
    });
    if let Some(client) = found {
        COUNTS.with(|n| n.set((n.get().0, n.get().1 + 1)));
        return Ok(client);
    }
    let client = Rc::new(create()?);
    COUNTS.with(|n| n.set((n.get().0 + 1, n.get().1)));
    let max = max_persistent();
    let evicted: Vec<Entry> = CLIENTS.with(|c| {
        let mut c = c.borrow_mut();
        if max == 0 {
            return Vec::new();
        }
        c.push(Entry { key, client: client.clone(), pid: std::process::id() });
        let over = c.len().saturating_sub(max);
        c.drain(..over).collect()
    });
    // Closed outside the borrow (a client still used by a live producer
    // object of this request goes when that object goes).
    for e in evicted {
        close(e.client, Duration::from_millis(500));
    }
    Ok(client)
}

/// Flushes (bounded) and destroys a client nobody else holds.
fn close(client: Rc<ProducerClient>, timeout: Duration) {
    if Rc::strong_count(&client) == 1 {
        client.flush_for(timeout);
    }
    drop(client);
}

/// Module shutdown: flush and destroy this process's persistent clients.
pub fn shutdown() {
    let entries = CLIENTS.with(|c| {
        let mut c = c.borrow_mut();
        forget_inherited(&mut c);
        std::mem::take(&mut *c)
    });
    let timeout = crate::kafka::producer::shutdown_timeout();
    for e in entries {
        close(e.client, timeout);
    }
}

/// For phpinfo(): (open now, created, reused) in this process.
pub fn stats() -> (usize, u64, u64) {
    let open = CLIENTS.with(|c| c.borrow().iter().filter(|e| e.pid == std::process::id()).count());
    let (created, reused) = COUNTS.with(Cell::get);
    (open, created, reused)
}
