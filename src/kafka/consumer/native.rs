//! The consumer's librdkafka boundary: a group member made with the event
//! API, its consumer queue (the main queue forwarded into it), the wake-up
//! set on that queue, subscribing, polling, committing and closing. Every
//! consumer FFI call is in this file.
//!
//! librdkafka assigns partitions itself (no rebalance events are asked for,
//! as rust-rdkafka's default context does the same assignments).

use crate::kafka::log;
use crate::kafka::native::client::{Client, Event, Kind, Polled, Queue};
use crate::kafka::native::conf::Settings;
use crate::kafka::native::handle::Owned;
use crate::kafka::native::{text, timestamp_ms};
use crate::kafka::record::Record;
use crate::runtime::completion;
use rdkafka::bindings as rd;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::ffi::{c_void, CString};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A librdkafka consumer in a group. Shared with worker threads (commit,
/// close): every call here is thread-safe in librdkafka.
pub struct ConsumerClient {
    // Declared first: the queue handle goes before the client.
    queue: Queue,
    client: Client,
    closed: AtomicBool,
}

/// What one poll of the consumer queue gave.
pub enum Taken {
    /// Nothing is waiting.
    Empty,
    /// An event that is not for the PHP side (a log line) was served.
    Served,
    Message(Record),
    Error(KafkaError),
}

/// Called by librdkafka's threads when the consumer queue goes from empty to
/// non-empty: wakes the scheduler, nothing else.
unsafe extern "C" fn wake(_rk: *mut rd::rd_kafka_t, opaque: *mut c_void) {
    // SAFETY: the opaque is the client's sink (`set_wake`).
    let sink = unsafe { completion::Sink::from_opaque(opaque) };
    let _ = std::panic::catch_unwind(|| sink.wake());
}

impl ConsumerClient {
    /// Makes the consumer (`settings` must contain `group.id`).
    pub fn new(settings: &Settings, name: Arc<str>) -> Result<ConsumerClient, KafkaError> {
        let events = rd::RD_KAFKA_EVENT_STATS | rd::RD_KAFKA_EVENT_ERROR | rd::RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH;
        let client = Client::new(Kind::Consumer, settings, events, name)?;
        // SAFETY: the client is live; forwards its main queue (log lines,
        // errors) into the consumer queue, so that one queue has everything.
        unsafe { rd::rd_kafka_poll_set_consumer(client.ptr()) };
        let queue = client
            .consumer_queue()
            .ok_or_else(|| KafkaError::ClientCreation("rdkafka consumer queue not available".to_string()))?;
        Ok(ConsumerClient { queue, client, closed: AtomicBool::new(false) })
    }

    /// The name its log lines carry.
    pub fn name(&self) -> &str {
        self.client.name()
    }

    /// Subscribes to `topics` (rust-rdkafka's `subscribe`, same error).
    pub fn subscribe(&self, topics: &[String]) -> Result<(), KafkaError> {
        let mut list = TopicList::new(topics.len());
        for t in topics {
            let name = CString::new(t.as_str()).map_err(|_| KafkaError::Subscription("NUL byte".into()))?;
            list.add(&name, -1); // RD_KAFKA_PARTITION_UA
        }
        // SAFETY: client and list are live; librdkafka copies the list.
        let err = unsafe { rd::rd_kafka_subscribe(self.client.ptr(), list.0.ptr()) };
        if err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            Ok(())
        } else {
            Err(KafkaError::Subscription(crate::kafka::native::err2str(err)))
        }
    }

    /// Wakes the scheduler whenever the consumer queue stops being empty
    /// (`on`), or no more.
    pub fn set_wake(&self, on: bool) {
        let cb: Option<unsafe extern "C" fn(*mut rd::rd_kafka_t, *mut c_void)> = if on { Some(wake) } else { None };
        // SAFETY: the queue is live; `wake` is a plain function that outlives
        // the client, its opaque the client's sink (never freed).
        unsafe { rd::rd_kafka_queue_cb_event_enable(self.queue.ptr(), cb, self.client.sink().as_opaque()) };
    }

    /// Takes one event from the consumer queue without waiting (rust-rdkafka's
    /// `BaseConsumer::poll` with a zero timeout). `topic` interns topic names.
    pub fn poll(&self, consumer_id: u64, topic: &mut dyn FnMut(&str) -> Arc<str>) -> Taken {
        match self.client.poll_event(&self.queue, Duration::ZERO) {
            Polled::Nothing => Taken::Empty,
            Polled::Consumed => Taken::Served,
            Polled::Log(line) => {
                log::line(self.client.sink(), self.name(), &line);
                Taken::Served
            }
            Polled::Event(event) => match event.kind() {
                rd::RD_KAFKA_EVENT_FETCH => fetched(&event, consumer_id, topic),
                rd::RD_KAFKA_EVENT_ERROR => {
                    // Logged as an error event, then handed to the waiter
                    // (rust-rdkafka's consumer did both).
                    log::error_event(self.client.sink(), self.name(), &event);
                    consume_error(&event)
                }
                _ => Taken::Served,
            },
        }
    }

    /// Commits `offset` for one partition and waits for the coordinator's
    /// answer (blocking: run on a worker thread).
    pub fn commit(&self, topic: &str, partition: i32, offset: i64) -> Result<(), KafkaError> {
        let mut list = TopicList::new(1);
        let name = CString::new(topic).map_err(|_| KafkaError::ConsumerCommit(RDKafkaErrorCode::InvalidArgument))?;
        list.add(&name, partition).offset = offset;
        // SAFETY: client and list are live; 0 = synchronous commit.
        let err = unsafe { rd::rd_kafka_commit(self.client.ptr(), list.0.ptr(), 0) };
        if err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            Ok(())
        } else {
            Err(KafkaError::ConsumerCommit(err.into()))
        }
    }

    /// Leaves the group (final commit with auto-commit on), once: blocking,
    /// bounded by librdkafka. What rust-rdkafka's consumer does when dropped:
    /// close through the consumer queue and serve it (log lines, errors)
    /// until librdkafka says the consumer is closed, so that nothing is
    /// served by librdkafka's default callbacks (which print to stderr).
    pub fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        self.set_wake(false);
        // SAFETY: client and queue are live; librdkafka answers on the queue.
        let err = unsafe { rd::rd_kafka_consumer_close_queue(self.client.ptr(), self.queue.ptr()) };
        // SAFETY: an error object returned to us (or null), owned by `err` alone.
        if unsafe { Owned::from_ptr(err) }.is_some() {
            return;
        }
        // SAFETY: the client is live.
        while unsafe { rd::rd_kafka_consumer_closed(self.client.ptr()) } != 1 {
            match self.client.poll_event(&self.queue, Duration::from_millis(100)) {
                Polled::Log(line) => log::line(self.client.sink(), self.name(), &line),
                Polled::Event(event) if event.kind() == rd::RD_KAFKA_EVENT_ERROR => {
                    log::error_event(self.client.sink(), self.name(), &event)
                }
                _ => {}
            }
        }
    }
}

impl Drop for ConsumerClient {
    fn drop(&mut self) {
        self.close();
    }
}

/// The message of a fetch event.
fn fetched(event: &Event, consumer_id: u64, topic: &mut dyn FnMut(&str) -> Arc<str>) -> Taken {
    // SAFETY: the event is live; the message belongs to it (read while it lives).
    let Some(m) = (unsafe { rd::rd_kafka_event_message_next(event.ptr()).as_ref() }) else {
        return Taken::Served;
    };
    if m.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        return Taken::Error(if m.err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__PARTITION_EOF {
            KafkaError::PartitionEOF(m.partition)
        } else {
            KafkaError::MessageConsumption(m.err.into())
        });
    }
    // SAFETY: a fetched message has a live topic handle with a NUL-terminated name.
    let name = unsafe { text(rd::rd_kafka_topic_name(m.rkt)) };
    Taken::Message(Record {
        topic: topic(&name),
        partition: m.partition,
        offset: m.offset,
        timestamp_ms: timestamp_ms(m),
        // SAFETY: key and payload point to `key_len`/`len` bytes of the message (or are null).
        key: unsafe { bytes(m.key, m.key_len) }.map(<[u8]>::to_vec),
        // SAFETY: as above.
        payload: unsafe { bytes(m.payload, m.len) }.map(<[u8]>::to_vec),
        headers: headers(m),
        consumer_id,
    })
}

/// An error event as rust-rdkafka's consumer reports it.
fn consume_error(event: &Event) -> Taken {
    let code = event.error_code();
    if code == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        return Taken::Served;
    }
    if code == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__PARTITION_EOF {
        // SAFETY: the event is live; the partition object returned is ours to destroy.
        let tp = unsafe { rd::rd_kafka_event_topic_partition(event.ptr()) };
        let partition = if tp.is_null() {
            -1
        } else {
            // SAFETY: `tp` is live until destroyed right after the read.
            unsafe {
                let p = (*tp).partition;
                rd::rd_kafka_topic_partition_destroy(tp);
                p
            }
        };
        return Taken::Error(KafkaError::PartitionEOF(partition));
    }
    Taken::Error(if event.error_is_fatal() {
        KafkaError::MessageConsumptionFatal(code.into())
    } else {
        KafkaError::MessageConsumption(code.into())
    })
}

/// `len` bytes at `ptr`, or None for null.
///
/// # Safety
/// `ptr` is null or points to `len` readable bytes that outlive `'a`.
unsafe fn bytes<'a>(ptr: *const c_void, len: usize) -> Option<&'a [u8]> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: the caller's contract.
    Some(unsafe { std::slice::from_raw_parts(ptr as *const u8, len) })
}

/// A message's headers, in order (a header without a value has an empty one).
fn headers(m: &rd::rd_kafka_message_t) -> Vec<(String, Option<Vec<u8>>)> {
    let mut hdrs: *mut rd::rd_kafka_headers_t = std::ptr::null_mut();
    // SAFETY: `m` is a live message; the headers stay owned by it.
    let err = unsafe { rd::rd_kafka_message_headers(m, &mut hdrs) };
    if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR || hdrs.is_null() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for idx in 0.. {
        let (mut name, mut value, mut size) = (std::ptr::null(), std::ptr::null(), 0usize);
        // SAFETY: `hdrs` is live; librdkafka points name/value into it.
        let err = unsafe { rd::rd_kafka_header_get_all(hdrs, idx, &mut name, &mut value, &mut size) };
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            break;
        }
        // SAFETY: the name is NUL-terminated and the value `size` bytes (or null),
        // both owned by the headers, copied here.
        let (name, value) = unsafe { (text(name), bytes(value, size).map(<[u8]>::to_vec)) };
        out.push((name, value));
    }
    out
}

/// A topic-partition list owned here.
struct TopicList(Owned<rd::rd_kafka_topic_partition_list_t>);

impl TopicList {
    fn new(size: usize) -> TopicList {
        let size = i32::try_from(size).unwrap_or(i32::MAX);
        // SAFETY: a new list, owned by the result alone (never null).
        TopicList(unsafe { Owned::from_ptr(rd::rd_kafka_topic_partition_list_new(size)) }.expect("allocated"))
    }

    /// Adds one entry; the returned element lives as long as the list.
    fn add(&mut self, topic: &CString, partition: i32) -> &mut rd::rd_kafka_topic_partition_t {
        // SAFETY: the list is live; `topic` is NUL-terminated (copied). The
        // element returned belongs to the list, borrowed no longer than it.
        unsafe { &mut *rd::rd_kafka_topic_partition_list_add(self.0.ptr(), topic.as_ptr(), partition) }
    }
}
