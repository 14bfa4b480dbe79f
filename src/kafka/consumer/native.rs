//! The consumer's librdkafka boundary: a group member made with the event
//! API, its consumer queue (the main queue forwarded into it), the wake-up
//! set on that queue, subscribing, polling, committing and closing. Every
//! consumer FFI call is in this file.
//!
//! Without a `rebalance_cb`, librdkafka assigns partitions itself (no
//! rebalance events are asked for). With one, rebalance events are asked
//! for: the client applies each (incrementally for cooperative protocols)
//! wherever it polls, and says what it was (`Taken::Rebalance`, or during the
//! close the notifier given to `new`).

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
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A librdkafka consumer in a group. Shared with worker threads (commit,
/// close): every call here is thread-safe in librdkafka.
pub struct ConsumerClient {
    // Declared first: the queue handle goes before the client.
    queue: Queue,
    client: Client,
    closed: AtomicBool,
    /// Told of the rebalances served while closing (worker thread).
    on_close_rebalance: Option<Notifier>,
    /// librdkafka's reason for the last error taken from the queue (its
    /// codes alone say only "Local: Authentication failure"), scrubbed of
    /// the client's secrets.
    reason: Mutex<String>,
    secrets: Vec<String>,
}

/// Where rebalances served off the PHP thread go.
pub type Notifier = Box<dyn Fn(Rebalanced) + Send + Sync>;

/// What one poll of the consumer queue gave.
pub enum Taken {
    /// Nothing is waiting.
    Empty,
    /// An event that is not for the PHP side (a log line) was served.
    Served,
    Message(Record),
    Error(KafkaError),
    /// A rebalance, applied.
    Rebalance(Rebalanced),
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
    /// With `rebalances`, rebalance events are served here (see above).
    pub fn new(
        settings: &Settings,
        name: Arc<str>,
        rebalances: Option<Notifier>,
    ) -> Result<ConsumerClient, KafkaError> {
        let mut events =
            rd::RD_KAFKA_EVENT_STATS | rd::RD_KAFKA_EVENT_ERROR | rd::RD_KAFKA_EVENT_OAUTHBEARER_TOKEN_REFRESH;
        if rebalances.is_some() {
            events |= rd::RD_KAFKA_EVENT_REBALANCE;
        }
        let client = Client::new(Kind::Consumer, settings, events, name)?;
        // SAFETY: the client is live; forwards its main queue (log lines,
        // errors) into the consumer queue, so that one queue has everything.
        unsafe { rd::rd_kafka_poll_set_consumer(client.ptr()) };
        let queue = client
            .consumer_queue()
            .ok_or_else(|| KafkaError::ClientCreation("rdkafka consumer queue not available".to_string()))?;
        let (closed, reason, secrets) = (AtomicBool::new(false), Mutex::new(String::new()), settings.secrets());
        Ok(ConsumerClient { queue, client, closed, on_close_rebalance: rebalances, reason, secrets })
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
                rd::RD_KAFKA_EVENT_FETCH => {
                    let (taken, reason) = fetched(&event, consumer_id, topic);
                    if let Some(reason) = reason {
                        self.set_reason(&reason);
                    }
                    taken
                }
                rd::RD_KAFKA_EVENT_ERROR => {
                    // Logged as an error event, then handed to the waiter
                    // (rust-rdkafka's consumer did both).
                    log::error_event(self.client.sink(), self.name(), &event);
                    self.set_reason(&event.error_string());
                    consume_error(&event)
                }
                rd::RD_KAFKA_EVENT_REBALANCE => Taken::Rebalance(self.rebalance(&event)),
                _ => Taken::Served,
            },
        }
    }

    fn set_reason(&self, reason: &str) {
        if let Ok(mut r) = self.reason.lock() {
            *r = scrub(reason.trim(), &self.secrets);
        }
    }

    /// librdkafka's reason for the last error taken (empty if none).
    pub fn last_reason(&self) -> String {
        self.reason.lock().map(|r| r.clone()).unwrap_or_default()
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
                Polled::Event(event) if event.kind() == rd::RD_KAFKA_EVENT_REBALANCE => {
                    let r = self.rebalance(&event);
                    if let Some(notify) = &self.on_close_rebalance {
                        notify(r);
                    }
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

/// `text` with every secret in `secrets` replaced by "[redacted]".
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(s.as_str(), "[redacted]");
    }
    out
}

/// The message of a fetch event, and librdkafka's reason when it is an error.
fn fetched(event: &Event, consumer_id: u64, topic: &mut dyn FnMut(&str) -> Arc<str>) -> (Taken, Option<String>) {
    // SAFETY: the event is live; the message belongs to it (read while it lives).
    let Some(m) = (unsafe { rd::rd_kafka_event_message_next(event.ptr()).as_ref() }) else {
        return (Taken::Served, None);
    };
    if m.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        if m.err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__PARTITION_EOF {
            return (Taken::Error(KafkaError::PartitionEOF(m.partition)), None);
        }
        // An error message carries librdkafka's reason as its payload
        // (rd_kafka_message_errstr()).
        // SAFETY: payload points to `len` bytes of the message (or is null).
        let reason = unsafe { bytes(m.payload, m.len) }.map(|b| String::from_utf8_lossy(b).into_owned());
        return (Taken::Error(KafkaError::MessageConsumption(m.err.into())), Some(reason.unwrap_or_default()));
    }
    // SAFETY: a fetched message has a live topic handle with a NUL-terminated name.
    let name = unsafe { text(rd::rd_kafka_topic_name(m.rkt)) };
    let taken = Taken::Message(Record {
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
    });
    (taken, None)
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

/// A librdkafka error with its code and description.
pub struct NativeError {
    pub code: RDKafkaErrorCode,
    pub reason: String,
}

impl NativeError {
    fn of(err: rd::rd_kafka_resp_err_t) -> NativeError {
        NativeError { code: err.into(), reason: crate::kafka::native::err2str(err) }
    }

    /// Takes an error object returned by librdkafka (null: no error).
    ///
    /// # Safety
    /// `err` is null or an error object owned by the caller, handed over here.
    unsafe fn take(err: *mut rd::rd_kafka_error_t) -> Result<(), NativeError> {
        // SAFETY: the caller's contract; destroyed when `owned` goes.
        let Some(owned) = (unsafe { Owned::from_ptr(err) }) else { return Ok(()) };
        // SAFETY: `owned` is a live error object; its string is NUL-terminated.
        let (code, reason) =
            unsafe { (rd::rd_kafka_error_code(owned.ptr()), text(rd::rd_kafka_error_string(owned.ptr()))) };
        Err(NativeError { code: code.into(), reason })
    }

    fn check(err: rd::rd_kafka_resp_err_t) -> Result<(), NativeError> {
        if err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            Ok(())
        } else {
            Err(NativeError::of(err))
        }
    }
}

impl std::fmt::Display for NativeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({:?})", self.reason, self.code)
    }
}

/// A partition with an offset, as owned data.
pub type Part = (String, i32, i64);

/// A rebalance librdkafka asked for, already applied by this client.
pub struct Rebalanced {
    pub kind: &'static str,
    pub partitions: Vec<Part>,
}

impl TopicList {
    /// A list of `parts` (topic names must not contain NUL bytes).
    fn of(parts: &[Part]) -> TopicList {
        let mut list = TopicList::new(parts.len());
        for (topic, partition, offset) in parts {
            let name = CString::new(topic.as_str()).unwrap_or_default();
            list.add(&name, *partition).offset = *offset;
        }
        list
    }

    /// Takes a list librdkafka made for us (null: none).
    ///
    /// # Safety
    /// `ptr` is null or a list owned by the caller, handed over here.
    unsafe fn take(ptr: *mut rd::rd_kafka_topic_partition_list_t) -> Option<TopicList> {
        // SAFETY: the caller's contract.
        unsafe { Owned::from_ptr(ptr) }.map(TopicList)
    }

    fn elems(&self) -> &[rd::rd_kafka_topic_partition_t] {
        // SAFETY: the list is live; `elems` holds `cnt` elements (or is null when empty).
        unsafe {
            let l = &*self.0.ptr();
            if l.elems.is_null() || l.cnt <= 0 {
                return &[];
            }
            std::slice::from_raw_parts(l.elems, l.cnt as usize)
        }
    }

    /// (topic, partition, offset) of each element.
    fn parts(&self) -> Vec<Part> {
        // SAFETY: every element's topic is a NUL-terminated name owned by the list.
        self.elems().iter().map(|e| (unsafe { text(e.topic) }, e.partition, e.offset)).collect()
    }

    /// The first element's error, with its topic and partition.
    fn first_error(&self) -> Option<(String, i32, NativeError)> {
        self.elems().iter().find(|e| e.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).map(|e| {
            // SAFETY: as in parts().
            (unsafe { text(e.topic) }, e.partition, NativeError::of(e.err))
        })
    }
}

/// `[topic] [partition]: reason` of a list's first partition error, if any.
fn partition_errors(list: &TopicList) -> Result<(), NativeError> {
    match list.first_error() {
        Some((t, p, e)) => Err(NativeError { code: e.code, reason: format!("{t} [{p}]: {}", e.reason) }),
        None => Ok(()),
    }
}

impl ConsumerClient {
    /// Applies a rebalance event (the assignment librdkafka asks for,
    /// incrementally for cooperative protocols) and says what it was.
    fn rebalance(&self, event: &Event) -> Rebalanced {
        // SAFETY: the event is live; its list belongs to it (copied below).
        let (err, list) =
            unsafe { (rd::rd_kafka_event_error(event.ptr()), rd::rd_kafka_event_topic_partition_list(event.ptr())) };
        let cooperative = self.cooperative();
        let assign = err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
        // SAFETY: the client is live.
        let lost = !assign && unsafe { rd::rd_kafka_assignment_lost(self.client.ptr()) } == 1;
        let kind = if assign {
            "assign"
        } else if lost {
            "lost"
        } else {
            "revoke"
        };
        let ptr = self.client.ptr();
        // SAFETY: the client and the event's list are live for the calls;
        // librdkafka copies the list; the error objects returned are ours.
        let applied = unsafe {
            match (assign, cooperative) {
                (true, true) => NativeError::take(rd::rd_kafka_incremental_assign(ptr, list)),
                (false, true) => NativeError::take(rd::rd_kafka_incremental_unassign(ptr, list)),
                (true, false) => NativeError::check(rd::rd_kafka_assign(ptr, list)),
                (false, false) => NativeError::check(rd::rd_kafka_assign(ptr, std::ptr::null())),
            }
        };
        if let Err(e) = applied {
            let err = KafkaError::Rebalance(e.code);
            log::error(
                self.client.sink(),
                self.name(),
                &err,
                &format!("rebalance ({kind}) could not be applied: {}", e.reason),
            );
        }
        let partitions = if list.is_null() {
            Vec::new()
        } else {
            // SAFETY: the event's list, read while the event lives.
            let l = unsafe { &*list };
            let elems: &[rd::rd_kafka_topic_partition_t] = if l.elems.is_null() || l.cnt <= 0 {
                &[]
            } else {
                // SAFETY: `elems` holds `cnt` elements.
                unsafe { std::slice::from_raw_parts(l.elems, l.cnt as usize) }
            };
            // SAFETY: each topic is a NUL-terminated name owned by the list.
            elems.iter().map(|e| (unsafe { text(e.topic) }, e.partition, e.offset)).collect()
        };
        Rebalanced { kind, partitions }
    }

    /// Whether the group uses a cooperative (incremental) protocol
    /// (`cooperative-sticky`, or `group.protocol=consumer`).
    pub fn cooperative(&self) -> bool {
        // SAFETY: the client is live; the result is a static string.
        let p = unsafe { text(rd::rd_kafka_rebalance_protocol(self.client.ptr())) };
        p == "COOPERATIVE"
    }

    /// Replaces the assignment (`[]`: none).
    pub fn assign(&self, parts: &[Part]) -> Result<(), NativeError> {
        let list = TopicList::of(parts);
        let ptr = if parts.is_empty() { std::ptr::null() } else { list.0.ptr() as *const _ };
        // SAFETY: client and list (or null) are live; librdkafka copies the list.
        NativeError::check(unsafe { rd::rd_kafka_assign(self.client.ptr(), ptr) })
    }

    /// The current assignment.
    pub fn assignment(&self) -> Result<Vec<Part>, NativeError> {
        let mut out: *mut rd::rd_kafka_topic_partition_list_t = std::ptr::null_mut();
        // SAFETY: the client is live; librdkafka hands us a new list.
        NativeError::check(unsafe { rd::rd_kafka_assignment(self.client.ptr(), &mut out) })?;
        // SAFETY: the list is ours (or null).
        Ok(unsafe { TopicList::take(out) }.map(|l| l.parts()).unwrap_or_default())
    }

    /// The next message of the partition is the record at `offset` (blocking).
    pub fn seek(&self, part: Part, timeout: Duration) -> Result<(), NativeError> {
        let list = TopicList::of(&[part]);
        // SAFETY: client and list are live; the error object returned is ours.
        unsafe { NativeError::take(rd::rd_kafka_seek_partitions(self.client.ptr(), list.0.ptr(), ms(timeout))) }?;
        partition_errors(&list)
    }

    /// Pauses (or resumes) fetching and delivering these partitions.
    pub fn pause(&self, parts: &[Part], pause: bool) -> Result<(), NativeError> {
        let list = TopicList::of(parts);
        // SAFETY: client and list are live; librdkafka writes only the list's errors.
        let err = unsafe {
            if pause {
                rd::rd_kafka_pause_partitions(self.client.ptr(), list.0.ptr())
            } else {
                rd::rd_kafka_resume_partitions(self.client.ptr(), list.0.ptr())
            }
        };
        NativeError::check(err)?;
        partition_errors(&list)
    }

    /// The group's committed offsets of these partitions (blocking).
    pub fn committed(&self, parts: &[Part], timeout: Duration) -> Result<Vec<Part>, NativeError> {
        let list = TopicList::of(parts);
        // SAFETY: client and list are live; librdkafka writes the offsets.
        NativeError::check(unsafe { rd::rd_kafka_committed(self.client.ptr(), list.0.ptr(), ms(timeout)) })?;
        partition_errors(&list)?;
        Ok(list.parts())
    }

    /// The next offsets to be delivered of these partitions.
    pub fn position(&self, parts: &[Part]) -> Result<Vec<Part>, NativeError> {
        let list = TopicList::of(parts);
        // SAFETY: client and list are live; librdkafka writes the offsets.
        NativeError::check(unsafe { rd::rd_kafka_position(self.client.ptr(), list.0.ptr()) })?;
        Ok(list.parts())
    }

    /// The first offsets at or after each partition's timestamp (blocking).
    pub fn offsets_for_times(&self, parts: &[Part], timeout: Duration) -> Result<Vec<Part>, NativeError> {
        let list = TopicList::of(parts);
        // SAFETY: client and list are live; librdkafka writes the offsets.
        NativeError::check(unsafe { rd::rd_kafka_offsets_for_times(self.client.ptr(), list.0.ptr(), ms(timeout)) })?;
        partition_errors(&list)?;
        Ok(list.parts())
    }

    /// `[low, high]` of a partition (blocking).
    pub fn watermarks(&self, topic: &str, partition: i32, timeout: Duration) -> Result<(i64, i64), KafkaError> {
        self.client.watermarks(topic, partition, timeout)
    }

    /// Stores `offset` (the next one to consume) for auto-commit.
    pub fn store_offset(&self, topic: &str, partition: i32, offset: i64) -> Result<(), NativeError> {
        let list = TopicList::of(&[(topic.to_string(), partition, offset)]);
        // SAFETY: client and list are live.
        NativeError::check(unsafe { rd::rd_kafka_offsets_store(self.client.ptr(), list.0.ptr()) })?;
        partition_errors(&list)
    }

    /// Commits the current positions of the assignment (blocking); nothing
    /// to commit is not an error.
    pub fn commit_positions(&self) -> Result<(), NativeError> {
        // SAFETY: the client is live; null = the current assignment, 0 = synchronous.
        let err = unsafe { rd::rd_kafka_commit(self.client.ptr(), std::ptr::null(), 0) };
        if err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__NO_OFFSET {
            return Ok(());
        }
        NativeError::check(err)
    }
}

fn ms(t: Duration) -> i32 {
    i32::try_from(t.as_millis()).unwrap_or(i32::MAX)
}
