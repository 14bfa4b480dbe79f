//! A librdkafka client (`rd_kafka_t`) made and owned here, and the events it
//! queues for the thread that polls it.
//!
//! What rust-rdkafka's `Client::new_context_arc` does, without its leak: the
//! client is made with the event API (`rd_kafka_conf_set_events`), its log
//! lines go to its main queue (`log.queue`) and are served where the queue is
//! polled; the queue handle used to set that up is released at once
//! (librdkafka keeps its own reference to the queue).

use super::conf::{self, Settings};
use super::handle::Owned;
use super::{text, ErrBuf};
use crate::runtime::completion::{self, Sink};
use rdkafka::bindings as rd;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::os::raw::c_char;
use std::sync::Arc;
use std::time::Duration;

/// Which kind of client to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Producer,
    Consumer,
}

/// One librdkafka client. `name` names it in log lines (its topic(s));
/// `sink` is the PHP thread that made it (its log lines and wake-ups go
/// there, whichever thread serves them).
pub struct Client {
    rk: Owned<rd::rd_kafka_t>,
    name: Arc<str>,
    sink: Sink,
}

/// A queue handle (main queue, consumer queue).
pub type Queue = Owned<rd::rd_kafka_queue_t>;

impl Client {
    /// Makes a client with `settings`, delivering the event types `events`
    /// (`RD_KAFKA_EVENT_*`) through its queues.
    pub fn new(kind: Kind, settings: &Settings, events: i32, name: Arc<str>) -> Result<Client, KafkaError> {
        let conf = conf::build(settings)?;
        conf::set(&conf, "log.queue", "true")?;
        // SAFETY: `conf` is live and ours.
        unsafe { rd::rd_kafka_conf_set_events(conf.ptr(), events) };
        let kind = match kind {
            Kind::Producer => rd::rd_kafka_type_t::RD_KAFKA_PRODUCER,
            Kind::Consumer => rd::rd_kafka_type_t::RD_KAFKA_CONSUMER,
        };
        let mut errstr = ErrBuf::new();
        // SAFETY: `conf` is live; `errstr` outlives the call. On success librdkafka
        // takes the conf (released from `conf` below); on failure it stays ours.
        let rk = unsafe { rd::rd_kafka_new(kind, conf.ptr(), errstr.as_mut_ptr(), errstr.capacity()) };
        // SAFETY: a new client (or null), owned by the returned value alone.
        let Some(rk) = (unsafe { Owned::from_ptr(rk) }) else {
            return Err(KafkaError::ClientCreation(errstr.to_string()));
        };
        let _ = conf.into_raw();
        let client = Client { rk, name, sink: completion::sink() };
        let main = client.main_queue();
        // SAFETY: both handles are live; librdkafka takes its own reference to
        // the queue, so the handle is released right after (no leak).
        let err = unsafe { rd::rd_kafka_set_log_queue(client.ptr(), main.ptr()) };
        drop(main);
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            return Err(KafkaError::Global(err.into()));
        }
        // SAFETY: the client is live.
        unsafe { rd::rd_kafka_set_log_level(client.ptr(), settings.log_level) };
        Ok(client)
    }

    /// The client handle, for calls into librdkafka.
    pub fn ptr(&self) -> *mut rd::rd_kafka_t {
        self.rk.ptr()
    }

    /// The name its log lines carry.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The PHP thread that made it.
    pub fn sink(&self) -> Sink {
        self.sink
    }

    /// A handle of the client's main queue.
    pub fn main_queue(&self) -> Queue {
        // SAFETY: the client is live; rd_kafka_queue_get_main returns a new
        // handle (never null for a live client), owned by the returned value.
        unsafe { Owned::from_ptr(rd::rd_kafka_queue_get_main(self.ptr())) }.expect("librdkafka has a main queue")
    }

    /// A handle of the consumer queue (consumers in a group only).
    pub fn consumer_queue(&self) -> Option<Queue> {
        // SAFETY: the client is live; a new handle or null, owned by the result.
        unsafe { Owned::from_ptr(rd::rd_kafka_queue_get_consumer(self.ptr())) }
    }

    /// Takes one event from `queue`, waiting at most `timeout` (statistics
    /// and token-refresh events are served here: nothing asks for them).
    pub fn poll_event(&self, queue: &Queue, timeout: Duration) -> Polled {
        let ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: the queue is live (borrowed); the event returned is ours.
        let Some(event) = (unsafe { Owned::from_ptr(rd::rd_kafka_queue_poll(queue.ptr(), ms)) }) else {
            return Polled::Nothing;
        };
        let event = Event(event);
        match event.kind() {
            rd::RD_KAFKA_EVENT_LOG => event.log().map(Polled::Log).unwrap_or(Polled::Consumed),
            rd::RD_KAFKA_EVENT_STATS | rd::RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH => Polled::Consumed,
            _ => Polled::Event(event),
        }
    }

    /// The partition count of `topic` from fresh metadata (0 when the topic
    /// is unknown, has an error or no partitions yet).
    pub fn partition_count(&self, topic: &Owned<rd::rd_kafka_topic_t>, timeout: Duration) -> Result<i32, KafkaError> {
        // SAFETY: the topic handle is live; its name is a NUL-terminated string it owns.
        let wanted = unsafe { text(rd::rd_kafka_topic_name(topic.ptr())) };
        let md = self.metadata_of(Some(topic), timeout)?;
        Ok(md
            .topics
            .iter()
            .find(|t| t.name == wanted)
            .filter(|t| t.error.is_none())
            .map(|t| t.partitions.len() as i32)
            .unwrap_or(0))
    }
}

/// What polling a queue gave.
pub enum Polled {
    /// The queue was empty.
    Nothing,
    /// An event was served here (statistics).
    Consumed,
    /// A log line of the client (`log.queue`).
    Log(LogLine),
    /// An event for the caller (delivery reports, messages, errors).
    Event(Event),
}

/// One event taken from a queue, destroyed when dropped.
pub struct Event(Owned<rd::rd_kafka_event_t>);

impl Event {
    /// `RD_KAFKA_EVENT_*`.
    pub fn kind(&self) -> i32 {
        // SAFETY: the event is live.
        unsafe { rd::rd_kafka_event_type(self.0.ptr()) }
    }

    /// The handle, for the producer and consumer boundaries.
    pub fn ptr(&self) -> *mut rd::rd_kafka_event_t {
        self.0.ptr()
    }

    /// The error code of an error event.
    pub fn error_code(&self) -> rd::rd_kafka_resp_err_t {
        // SAFETY: the event is live.
        unsafe { rd::rd_kafka_event_error(self.0.ptr()) }
    }

    /// The error text of an error event.
    pub fn error_string(&self) -> String {
        // SAFETY: the event is live; the string belongs to it and is copied here.
        unsafe { text(rd::rd_kafka_event_error_string(self.0.ptr())) }
    }

    /// Whether an error event is fatal for the client.
    pub fn error_is_fatal(&self) -> bool {
        // SAFETY: the event is live.
        unsafe { rd::rd_kafka_event_error_is_fatal(self.0.ptr()) != 0 }
    }

    fn log(&self) -> Option<LogLine> {
        let mut fac: *const c_char = std::ptr::null();
        let mut message: *const c_char = std::ptr::null();
        let mut level: i32 = 0;
        // SAFETY: the event is live; librdkafka points `fac`/`message` at strings
        // owned by the event (copied below, while it lives).
        let res = unsafe { rd::rd_kafka_event_log(self.0.ptr(), &mut fac, &mut message, &mut level) };
        if res != 0 {
            return None;
        }
        // SAFETY: as above.
        let (fac, message) = unsafe { (text(fac), text(message)) };
        Some(LogLine { level: log_level(level), facility: fac.trim().to_string(), message: message.trim().to_string() })
    }
}

/// One log line of librdkafka (trimmed, as rust-rdkafka hands it on).
pub struct LogLine {
    pub level: RDKafkaLogLevel,
    pub facility: String,
    pub message: String,
}

/// librdkafka's syslog level as rust-rdkafka's enum (7 and above: debug).
pub fn log_level(level: i32) -> RDKafkaLogLevel {
    use RDKafkaLogLevel as L;
    match level {
        i32::MIN..=0 => L::Emerg,
        1 => L::Alert,
        2 => L::Critical,
        3 => L::Error,
        4 => L::Warning,
        5 => L::Notice,
        6 => L::Info,
        _ => L::Debug,
    }
}

/// A librdkafka error code as rust-rdkafka's enum.
pub fn code(err: rd::rd_kafka_resp_err_t) -> RDKafkaErrorCode {
    err.into()
}
