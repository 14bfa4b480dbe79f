//! No pointless lingering: when the PHP thread has nothing left to do but
//! wait for delivery reports, what `linger.ms` holds back is sent at once.
//!
//! librdkafka's broker threads ignore `linger.ms` while the application is
//! inside `rd_kafka_flush()`: the call raises the client's `rk_flushing`
//! counter for its whole length and wakes every broker thread, whose
//! producer loop then sends what is queued without waiting for a fuller
//! batch (rdkafka.c `rd_kafka_flush`, rdkafka_broker.c
//! `rd_kafka_broker_produce_toppars`). Our producers use librdkafka's event
//! API, so there `rd_kafka_flush()` never polls: it only waits for the
//! client's message count to reach zero while somebody else serves the
//! delivery reports — the PHP thread, as always.
//!
//! So one thread of ours (the "flusher", started on first use, again in a
//! forked child) sits in `rd_kafka_flush()` on the PHP thread's behalf when
//! the PHP thread is about to block, in 1 ms slices, and stops as soon as
//!  - the client has no message left (the usual end: the last delivery
//!    report was served), or
//!  - something new was produced on the client since (coroutines produce
//!    again: `linger.ms` batches as configured), or
//!  - `linger.ms` has passed since the request (librdkafka sends what was
//!    queued before then by itself), or
//!  - the client is being destroyed.
//!
//! Threads: `kick` runs on the PHP thread, everything else on the flusher;
//! the librdkafka calls made there (`rd_kafka_flush`, `rd_kafka_outq_len`)
//! are thread-safe by librdkafka's contract.

use crate::kafka::native::conf::Settings;
use crate::runtime::completion::{self, Sink};
use rdkafka::bindings as rd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// One producer client as the flusher sees it. Owned (through an `Arc`) by
/// the client wrapper, which calls `close` before librdkafka's handle goes.
pub struct Lingering {
    /// The handle; `None` once closed. The flusher holds the lock for the
    /// length of one slice, so `close` waits at most that long.
    rk: Mutex<Option<Native>>,
    /// Messages handed to librdkafka so far (bumped by every produce).
    produced: AtomicU64,
    /// `produced` at the last kick: nothing new, no kick.
    kicked: AtomicU64,
    /// The flusher is inside `rd_kafka_flush()` on this client.
    in_flush: AtomicBool,
    linger: Duration,
}

struct Native(*mut rd::rd_kafka_t);

// SAFETY: librdkafka's client handle is thread-safe; the `Mutex` in
// `Lingering` guarantees it is only used while the client is alive.
unsafe impl Send for Native {}

impl Lingering {
    /// # Safety
    /// `rk` must be a live producer handle until `close` is called.
    pub unsafe fn new(rk: *mut rd::rd_kafka_t, linger: Duration) -> Arc<Lingering> {
        Arc::new(Lingering {
            rk: Mutex::new(Some(Native(rk))),
            produced: AtomicU64::new(0),
            kicked: AtomicU64::new(0),
            in_flush: AtomicBool::new(false),
            linger,
        })
    }

    /// A message was handed to librdkafka (PHP thread).
    pub fn produced(&self) {
        self.produced.fetch_add(1, Ordering::Relaxed);
    }

    /// The PHP thread woke up (delivery reports came) and is about to run
    /// coroutines again: waits until the flusher is out of
    /// `rd_kafka_flush()` on this client — at once when every message was
    /// acknowledged (librdkafka wakes it), else at the end of its slice
    /// (at most ~1 ms) — so that what they produce next is batched as
    /// configured. Without this, messages produced while the flag is still
    /// up go out one by one, and smaller batches mean more reports and more
    /// wake-ups: batching would never recover.
    pub fn let_go(&self) {
        if !self.in_flush.load(Ordering::Acquire) {
            return;
        }
        // Bounded: a slice lasts 1 ms (more on a loaded machine).
        let t = Instant::now();
        while self.in_flush.load(Ordering::Acquire) && t.elapsed() < Duration::from_millis(3) {
            std::thread::yield_now();
        }
    }

    /// The handle is about to be destroyed: no flush on it after this
    /// returns (waits for a slice in progress, at most ~1 ms).
    pub fn close(&self) {
        if let Ok(mut g) = self.rk.lock() {
            *g = None;
        }
    }

    /// One slice: `rd_kafka_flush` for up to 1 ms. Whether to go on.
    fn slice(&self, job: &mut Job) -> bool {
        let Ok(g) = self.rk.lock() else { return false };
        let Some(rk) = g.as_ref() else { return false };
        if self.produced.load(Ordering::Relaxed) != job.produced || Instant::now() >= job.until {
            return false;
        }
        // The first slice right away (the PHP thread is about to wait), the
        // next ones only while it still waits: once it runs coroutines
        // again, they produce, and batching is as configured.
        if job.slices > 0 && !job.php.waiting() {
            return false;
        }
        job.slices += 1;
        // SAFETY: the handle is alive while `rk` is `Some` (see `close`), and
        // both calls are thread-safe.
        unsafe {
            if rd::rd_kafka_outq_len(rk.0) == 0 {
                return false;
            }
            self.in_flush.store(true, Ordering::Release);
            rd::rd_kafka_flush(rk.0, 1);
            self.in_flush.store(false, Ordering::Release);
            rd::rd_kafka_outq_len(rk.0) > 0
        }
    }
}

struct Job {
    client: Arc<Lingering>,
    /// The PHP thread that asked (slices go on only while it waits).
    php: Sink,
    /// `produced` when the PHP thread asked.
    produced: u64,
    until: Instant,
    slices: u32,
}

struct Flusher {
    pid: u32,
    jobs: Mutex<Vec<Job>>,
    wake: Condvar,
}

static FLUSHER: Mutex<Option<Arc<Flusher>>> = Mutex::new(None);

fn flusher() -> Option<Arc<Flusher>> {
    let pid = std::process::id();
    let mut f = FLUSHER.lock().ok()?;
    if let Some(existing) = f.as_ref().filter(|f| f.pid == pid) {
        return Some(existing.clone());
    }
    // First use, or a forked child (the parent's thread does not exist here).
    let new = Arc::new(Flusher { pid, jobs: Mutex::new(Vec::new()), wake: Condvar::new() });
    let run = new.clone();
    std::thread::Builder::new().name("flame-flusher".into()).spawn(move || run.run()).ok()?;
    if let Some(old) = f.replace(new.clone()) {
        // The parent's: never touched again in this process.
        std::mem::forget(old);
    }
    Some(new)
}

impl Flusher {
    fn run(&self) {
        let mut active: Vec<Job> = Vec::new();
        loop {
            {
                let Ok(mut jobs) = self.jobs.lock() else { return };
                while jobs.is_empty() && active.is_empty() {
                    jobs = match self.wake.wait(jobs) {
                        Ok(j) => j,
                        Err(_) => return,
                    };
                }
                for job in jobs.drain(..) {
                    // The latest request for a client replaces an older one.
                    active.retain(|a| !Arc::ptr_eq(&a.client, &job.client));
                    active.push(job);
                }
            }
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                active.retain_mut(|job| job.client.clone().slice(job));
            }));
        }
    }
}

/// The PHP thread is about to wait: if something was produced on `client`
/// since the last kick, have it sent now instead of after `linger.ms`.
pub fn kick(client: &Arc<Lingering>) {
    let produced = client.produced.load(Ordering::Relaxed);
    if client.kicked.swap(produced, Ordering::Relaxed) == produced {
        return;
    }
    let Some(f) = flusher() else { return };
    let job = Job {
        client: client.clone(),
        php: completion::sink(),
        produced,
        until: Instant::now() + client.linger,
        slices: 0,
    };
    let pushed = match f.jobs.lock() {
        Ok(mut jobs) => {
            jobs.push(job);
            true
        }
        Err(_) => false,
    };
    if pushed {
        f.wake.notify_one();
    }
}

/// Like `kick`, even if nothing new was produced (the end of a request or
/// of a producer: whatever is still queued goes now).
pub fn kick_always(client: &Arc<Lingering>) {
    client.kicked.store(client.produced.load(Ordering::Relaxed).wrapping_sub(1), Ordering::Relaxed);
    kick(client);
}

/// librdkafka's `linger.ms` (alias `queue.buffering.max.ms`) of a
/// configuration, at least 1 ms (librdkafka's default is 5 ms).
pub fn linger_of(settings: &Settings) -> Duration {
    let ms = settings
        .pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "linger.ms" || k == "queue.buffering.max.ms")
        .and_then(|(_, v)| v.trim().parse::<f64>().ok())
        .unwrap_or(5.0);
    Duration::from_micros((ms.clamp(1.0, 900_000.0) * 1000.0) as u64)
}
