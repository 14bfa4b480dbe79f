//! The producer's librdkafka boundary: the client, its one topic handle and
//! its main queue; enqueueing (`rd_kafka_produceva`), delivery reports,
//! flush and purge. Every producer FFI call is in this file.
//!
//! Delivery reports are served on the PHP thread: when the main queue stops
//! being empty, librdkafka's own thread calls `wake` (set with
//! `rd_kafka_queue_cb_event_enable`), which only wakes the scheduler; the
//! scheduler's idle hook then calls `serve`. An ack thus crosses one thread
//! hop, as in a C program that polls.

use crate::kafka::error::Code;
use crate::kafka::linger::{self, Lingering};
use crate::kafka::log;
use crate::kafka::native::client::{Client, Event, Kind, Polled, Queue};
use crate::kafka::native::conf::Settings;
use crate::kafka::native::handle::Owned;
use crate::runtime::completion;
use rdkafka::bindings as rd;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::cell::{Cell, RefCell};
use std::ffi::{c_void, CString};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One message as librdkafka gets it (borrowed; librdkafka copies it).
pub struct Msg<'a> {
    pub partition: Option<i32>,
    /// `None`: a record without value (a tombstone).
    pub payload: Option<&'a [u8]>,
    pub key: Option<&'a [u8]>,
    pub headers: &'a [(CString, Vec<u8>)],
}

/// Where the broker stored a message.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: i64,
}

/// One delivery report: the opaque given to `send` and the outcome.
pub struct Delivery {
    pub opaque: *mut c_void,
    pub result: Result<Stored, KafkaError>,
    /// A failed message that may have been stored anyway (librdkafka's
    /// `rd_kafka_message_status`: it timed out in flight).
    pub possibly_persisted: bool,
    /// Why it really failed, when librdkafka's code says less: a message
    /// purged because the broker refused the client (code, description).
    pub refused: Option<(Code, String)>,
}

/// What serves delivery reports (called on the thread that polls: PHP's).
pub type OnDelivery = Box<dyn Fn(Delivery)>;

/// A librdkafka producer of one topic.
pub struct ProducerClient {
    // Declared first: librdkafka wants topic and queue handles gone before
    // the client.
    rkt: Owned<rd::rd_kafka_topic_t>,
    main: Queue,
    client: Client,
    on_delivery: OnDelivery,
    /// What the flusher thread needs to send lingering messages at once.
    lingering: Arc<Lingering>,
    /// The last authentication or TLS failure librdkafka reported: what
    /// the messages it made undeliverable fail with.
    refused: RefCell<Option<(Code, String)>>,
    /// `refused` was set since `serve` last looked.
    refused_new: Cell<bool>,
    /// Shared with `on_delivery`: the loss of what is still queued was
    /// already reported as a count (no warning per message).
    pub quiet: Rc<Cell<bool>>,
}

/// librdkafka errors after which queued messages cannot be delivered by
/// retrying: the broker refused our credentials or our TLS handshake.
fn is_refusal(code: Code) -> bool {
    matches!(code, Code::Authentication | Code::SSL)
}

/// Called by librdkafka's threads when the main queue goes from empty to
/// non-empty: wakes the scheduler, nothing else (no librdkafka call here).
unsafe extern "C" fn wake(_rk: *mut rd::rd_kafka_t, opaque: *mut c_void) {
    // SAFETY: the opaque is the client's sink (`new`).
    let sink = unsafe { completion::Sink::from_opaque(opaque) };
    let _ = std::panic::catch_unwind(|| sink.wake());
}

impl ProducerClient {
    /// Makes the client and the handle of `topic` (whose configuration is
    /// the client's default topic configuration).
    pub fn new(
        settings: &Settings,
        topic: &str,
        on_delivery: OnDelivery,
        quiet: Rc<Cell<bool>>,
    ) -> Result<Self, KafkaError> {
        let events = rd::RD_KAFKA_EVENT_DR
            | rd::RD_KAFKA_EVENT_STATS
            | rd::RD_KAFKA_EVENT_ERROR
            | rd::RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH;
        let client = Client::new(Kind::Producer, settings, events, Arc::from(topic))?;
        let name =
            CString::new(topic).map_err(|_| KafkaError::ClientCreation("topic name contains a NUL byte".into()))?;
        // SAFETY: the client is live; `name` is NUL-terminated and outlives the
        // call (librdkafka copies it); a NULL conf means the default topic conf.
        let rkt = unsafe { rd::rd_kafka_topic_new(client.ptr(), name.as_ptr(), std::ptr::null_mut()) };
        // SAFETY: a new topic handle (or null), owned by the result alone.
        let Some(rkt) = (unsafe { Owned::from_ptr(rkt) }) else {
            // SAFETY: reads librdkafka's thread-local error of the call above.
            let err = unsafe { rd::rd_kafka_last_error() };
            return Err(KafkaError::ClientCreation(format!(
                "cannot create the topic handle of \"{topic}\": {}",
                RDKafkaErrorCode::from(err)
            )));
        };
        let main = client.main_queue();
        // SAFETY: the queue is live; `wake` is a plain function that outlives
        // the client, its opaque the client's sink (never freed).
        unsafe { rd::rd_kafka_queue_cb_event_enable(main.ptr(), Some(wake), client.sink().as_opaque()) };
        // SAFETY: the handle lives as long as `client`; `Drop` closes
        // `lingering` before the client goes.
        let lingering = unsafe { Lingering::new(client.ptr(), linger::linger_of(settings)) };
        Ok(Self {
            rkt,
            main,
            client,
            on_delivery,
            lingering,
            refused: RefCell::new(None),
            refused_new: Cell::new(false),
            quiet,
        })
    }

    /// Serves what librdkafka queued (delivery reports, log lines) until the
    /// queue is empty (the next event wakes the scheduler again), bounded: a
    /// queue refilled as fast as it is served must not keep the PHP thread
    /// here. Whether there was anything.
    pub fn serve(&self) -> bool {
        let mut served = false;
        for _ in 0..10_000 {
            // SAFETY: the queue is live for as long as `self`.
            if unsafe { rd::rd_kafka_queue_length(self.main.ptr()) } == 0 {
                break;
            }
            self.poll(Duration::ZERO);
            served = true;
        }
        if self.refused_new.replace(false) {
            // The broker refused our credentials or TLS handshake: librdkafka
            // would retry until message.timeout.ms; what waits for it fails
            // now, with that reason (its reports come on the next serve).
            // SAFETY: the client is live; purge with a valid flag cannot fail.
            unsafe { rd::rd_kafka_purge(self.client.ptr(), rd::RD_KAFKA_PURGE_F_QUEUE) };
            served = true;
        }
        served
    }

    /// The PHP thread is about to wait: what `linger.ms` holds back goes now.
    pub fn kick(&self) {
        linger::kick(&self.lingering);
    }

    /// Delivery reports came: wait until the flusher is out of
    /// `rd_kafka_flush()` before coroutines produce again (see `linger`).
    pub fn let_go(&self) {
        self.lingering.let_go();
    }

    /// librdkafka's name of this client instance (`rdkafka#producer-N`:
    /// `client.id`, then a per-process counter of clients made).
    pub fn instance_name(&self) -> String {
        // SAFETY: the client is live; librdkafka returns a NUL-terminated
        // string it owns for the client's lifetime, copied here.
        unsafe { std::ffi::CStr::from_ptr(rd::rd_kafka_name(self.client.ptr())) }.to_string_lossy().into_owned()
    }

    /// Drops what is still queued or in flight (their reports, with a purge
    /// error, are served here), so that nothing of this request is left in
    /// a client that outlives it. Bounded.
    pub fn purge_and_serve(&self) {
        let flags = rd::RD_KAFKA_PURGE_F_QUEUE | rd::RD_KAFKA_PURGE_F_INFLIGHT;
        // SAFETY: the client is live; purge with valid flags cannot fail.
        unsafe { rd::rd_kafka_purge(self.client.ptr(), flags) };
        let give_up = Instant::now() + Duration::from_millis(500);
        while self.pending() > 0 && Instant::now() < give_up {
            self.poll(Duration::from_millis(2));
        }
    }

    /// Delivers what librdkafka has, serving reports here, for up to
    /// `timeout`: lingering messages go at once (the flusher), and reports
    /// are served as they come (2 ms polls).
    pub fn flush_for(&self, timeout: Duration) {
        linger::kick_always(&self.lingering);
        let give_up = Instant::now() + timeout;
        while self.pending() > 0 && Instant::now() < give_up {
            linger::kick(&self.lingering);
            self.poll(Duration::from_millis(2).min(give_up.saturating_duration_since(Instant::now())));
        }
    }

    /// Serves events for up to `timeout` (at least one poll).
    fn poll(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.client.poll_event(&self.main, left) {
                Polled::Log(line) => log::line(self.client.sink(), self.client.name(), &line),
                Polled::Event(event) => match event.kind() {
                    rd::RD_KAFKA_EVENT_DR => self.reports(event.ptr()),
                    rd::RD_KAFKA_EVENT_ERROR => {
                        self.note_refusal(&event);
                        log::error_event(self.client.sink(), self.client.name(), &event)
                    }
                    _ => {}
                },
                Polled::Nothing | Polled::Consumed => {}
            }
            if Instant::now() >= deadline {
                break;
            }
        }
    }

    /// An error event that says the broker refused us: remembered, and what
    /// is queued fails on the next `serve`.
    fn note_refusal(&self, event: &Event) {
        let code = Code::from(event.error_code());
        if !is_refusal(code) {
            return;
        }
        // SAFETY: the event is live; librdkafka returns a NUL-terminated
        // string it owns with the event, copied here.
        let reason = unsafe { std::ffi::CStr::from_ptr(rd::rd_kafka_event_error_string(event.ptr())) }
            .to_string_lossy()
            .into_owned();
        *self.refused.borrow_mut() = Some((code, format!("{} ({code:?}): {reason}", KafkaError::Global(code))));
        self.refused_new.set(true);
    }

    /// Hands every report of a delivery-report event to `on_delivery`.
    fn reports(&self, event: *mut rd::rd_kafka_event_t) {
        // SAFETY: `event` is a live DR event (owned by the caller while this runs).
        let count = unsafe { rd::rd_kafka_event_message_count(event) };
        let mut messages: Vec<*const rd::rd_kafka_message_t> = vec![std::ptr::null(); count];
        // SAFETY: `messages` has room for `count` pointers; librdkafka fills at
        // most that many, pointing into the event.
        let n = unsafe { rd::rd_kafka_event_message_array(event, messages.as_mut_ptr(), count) };
        for &m in &messages[..n.min(count)] {
            // SAFETY: each message belongs to the live event.
            let m = unsafe { &*m };
            let mut refused = None;
            let mut possibly_persisted = false;
            let result = if m.err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                Ok(Stored {
                    partition: m.partition,
                    offset: m.offset,
                    timestamp_ms: crate::kafka::native::timestamp_ms(m),
                })
            } else {
                if m.err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__PURGE_QUEUE {
                    refused = self.refused.borrow().clone();
                }
                // SAFETY: a live message of the event.
                let status = unsafe { rd::rd_kafka_message_status(m) };
                possibly_persisted = status == rd::rd_kafka_msg_status_t::RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED;
                Err(KafkaError::MessageProduction(m.err.into()))
            };
            (self.on_delivery)(Delivery { opaque: m._private, result, possibly_persisted, refused });
        }
    }

    /// Hands one message to librdkafka (which copies it); its delivery report
    /// brings `opaque` back (null: nobody waits for this one).
    pub fn send(&self, m: &Msg<'_>, opaque: *mut c_void) -> Result<(), RDKafkaErrorCode> {
        use rd::rd_kafka_vtype_t as T;
        use rd::rd_kafka_vu_s__bindgen_ty_1 as U;
        let vu = |vtype, u| rd::rd_kafka_vu_t { vtype, u };
        let mem = |b: &[u8]| U {
            mem: rd::rd_kafka_vu_s__bindgen_ty_1__bindgen_ty_1 { ptr: b.as_ptr() as *mut _, size: b.len() },
        };
        let mut args = Vec::with_capacity(6 + m.headers.len());
        args.push(vu(T::RD_KAFKA_VTYPE_RKT, U { rkt: self.rkt.ptr() }));
        args.push(vu(T::RD_KAFKA_VTYPE_MSGFLAGS, U { i: rd::RD_KAFKA_MSG_F_COPY }));
        args.push(vu(T::RD_KAFKA_VTYPE_OPAQUE, U { ptr: opaque }));
        // No value at all: a record without value (a tombstone).
        if let Some(p) = m.payload {
            args.push(vu(T::RD_KAFKA_VTYPE_VALUE, mem(p)));
        }
        if let Some(k) = m.key {
            args.push(vu(T::RD_KAFKA_VTYPE_KEY, mem(k)));
        }
        if let Some(p) = m.partition {
            args.push(vu(T::RD_KAFKA_VTYPE_PARTITION, U { i32_: p }));
        }
        for (name, value) in m.headers {
            let header = rd::rd_kafka_vu_s__bindgen_ty_1__bindgen_ty_2 {
                name: name.as_ptr(),
                val: value.as_ptr() as *const _,
                size: value.len() as isize,
            };
            args.push(vu(T::RD_KAFKA_VTYPE_HEADER, U { header }));
        }
        // SAFETY: the client is live; `args` are valid vtype entries whose
        // pointers (topic handle, payload, key, NUL-terminated header names,
        // header values) outlive the call, and librdkafka copies the bytes
        // (RD_KAFKA_MSG_F_COPY).
        let err = unsafe { rd::rd_kafka_produceva(self.client.ptr(), args.as_ptr(), args.len()) };
        // SAFETY: a non-null error object returned to us, owned by `err` alone.
        let Some(err) = (unsafe { Owned::from_ptr(err) }) else {
            self.lingering.produced();
            return Ok(());
        };
        // SAFETY: `err` is live.
        Err(RDKafkaErrorCode::from(unsafe { rd::rd_kafka_error_code(err.ptr()) }))
    }

    /// Messages librdkafka has not finished with (queued, in flight, or with
    /// a delivery report not yet served).
    pub fn pending(&self) -> usize {
        // SAFETY: the client is live.
        unsafe { rd::rd_kafka_outq_len(self.client.ptr()) }.max(0) as usize
    }

    /// Waits up to `timeout` for librdkafka to finish with every message
    /// (sending what `linger.ms` holds back at once), serving delivery
    /// reports meanwhile. `Err` when the time ran out.
    pub fn flush(&self, timeout: Duration) -> Result<(), RDKafkaErrorCode> {
        let deadline = Instant::now() + timeout;
        loop {
            // SAFETY: the client is live; a zero timeout only checks (the event
            // API: rd_kafka_flush does not serve the queue itself).
            match unsafe { rd::rd_kafka_flush(self.client.ptr(), 0) } {
                rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR => return Ok(()),
                rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__TIMED_OUT => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(RDKafkaErrorCode::OperationTimedOut);
                    }
                    self.poll(left.min(Duration::from_millis(100)));
                }
                e => return Err(e.into()),
            }
        }
    }

    /// The partition count of the topic (fresh metadata; 0 when unknown yet).
    pub fn partition_count(&self, timeout: Duration) -> Result<i32, KafkaError> {
        self.client.partition_count(&self.rkt, timeout)
    }
}

impl Drop for ProducerClient {
    /// What rust-rdkafka's `BaseProducer` does when dropped: purge what is
    /// still queued or in flight, then serve the reports that made ready
    /// (500 ms at most). The PHP side has drained the producer before.
    fn drop(&mut self) {
        let flags = rd::RD_KAFKA_PURGE_F_QUEUE | rd::RD_KAFKA_PURGE_F_INFLIGHT;
        // SAFETY: the client is live; purge with valid flags cannot fail.
        unsafe { rd::rd_kafka_purge(self.client.ptr(), flags) };
        let _ = self.flush(Duration::from_millis(500));
        // SAFETY: the queue is live; removing the wake-up before it goes.
        unsafe { rd::rd_kafka_queue_cb_event_enable(self.main.ptr(), None, std::ptr::null_mut()) };
        // Before the client goes: the flusher must not use it after.
        self.lingering.close();
    }
}
