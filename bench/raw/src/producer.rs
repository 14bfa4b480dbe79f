//! Producer workloads over a `BaseProducer`, single-threaded and poll-driven.
//!
//! rust-rdkafka's `BaseProducer::poll(t)` keeps polling until `t` has fully
//! elapsed (it does not return after an event), which is useless for a loop
//! that must send the next message as soon as an ack arrives. So delivery
//! reports are taken here straight from the client's main queue with
//! `rd_kafka_queue_poll` (what `BaseProducer::poll` does inside): it returns
//! as soon as one event is there.

use crate::util::{fail, latency_buffer, rss_kb, time_each, warm_at, Args, Report, Rss};
use rdkafka::bindings as rd;
use rdkafka::config::FromClientConfigAndContext;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::ClientContext;
use std::ffi::CStr;
use std::time::{Duration, Instant};

/// The delivery opaque is the send time (ns since `Raw::epoch`).
pub struct Ctx;
impl ClientContext for Ctx {}
impl ProducerContext for Ctx {
    type DeliveryOpaque = usize;
    // Only reached through BaseProducer::poll/flush, which this program does not use.
    fn delivery(&self, _: &DeliveryResult<'_>, _: usize) {}
}

pub struct Raw {
    producer: BaseProducer<Ctx>,
    queue: *mut rd::rd_kafka_queue_t,
    topic: String,
    payload: Vec<u8>,
    epoch: Instant,
    pub sent: usize,
    pub acked: usize,
    pub failed: usize,
    /// Where per-message latencies go, when recorded.
    pub lat: Option<Vec<u64>>,
}

impl Raw {
    pub fn new(args: &Args, linger_ms: Option<u64>) -> Raw {
        let mut cfg = crate::base_config(args);
        // Same as flame_kafka's default partitioner (librdkafka's default too).
        cfg.set("partitioner", "consistent_random");
        if let Some(l) = linger_ms.or(args.linger_ms) {
            cfg.set("linger.ms", l.to_string());
        }
        crate::apply_set(&mut cfg, args);
        let producer = BaseProducer::from_config_and_context(&cfg, Ctx)
            .unwrap_or_else(|e| fail(&format!("producer: {e}")));
        let queue = unsafe { rd::rd_kafka_queue_get_main(producer.client().native_ptr()) };
        Raw {
            producer,
            queue,
            topic: args.topic.clone(),
            payload: vec![b'x'; args.size],
            epoch: Instant::now(),
            sent: 0,
            acked: 0,
            failed: 0,
            lat: None,
        }
    }

    fn now_ns(&self) -> usize {
        self.epoch.elapsed().as_nanos() as usize
    }

    /// Hands one message to librdkafka; false when its queue is full.
    pub fn try_send(&mut self) -> bool {
        let rec = BaseRecord::<(), [u8], usize>::with_opaque_to(&self.topic, self.now_ns())
            .payload(self.payload.as_slice());
        match self.producer.send(rec) {
            Ok(()) => {
                self.sent += 1;
                true
            }
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => false,
            Err((e, _)) => fail(&format!("produce: {e}")),
        }
    }

    /// Serves delivery reports: waits up to `timeout_ms` for the first event,
    /// then takes whatever else is ready. Returns how many acks arrived.
    pub fn pump(&mut self, timeout_ms: i32) -> usize {
        let before = self.acked;
        let mut t = timeout_ms;
        loop {
            let ev = unsafe { rd::rd_kafka_queue_poll(self.queue, t) };
            if ev.is_null() {
                break;
            }
            unsafe {
                match rd::rd_kafka_event_type(ev) {
                    rd::RD_KAFKA_EVENT_DR => {
                        let now = self.now_ns() as u64;
                        loop {
                            let m = rd::rd_kafka_event_message_next(ev);
                            if m.is_null() {
                                break;
                            }
                            let m = &*m;
                            if m.err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                                if self.failed == 0 {
                                    let why = CStr::from_ptr(rd::rd_kafka_err2str(m.err))
                                        .to_string_lossy();
                                    eprintln!("bench-raw: delivery failed: {why}");
                                }
                                self.failed += 1;
                            }
                            if let Some(l) = self.lat.as_mut() {
                                l.push(now.saturating_sub(m._private as u64));
                            }
                            self.acked += 1;
                        }
                    }
                    rd::RD_KAFKA_EVENT_ERROR => {
                        let why =
                            CStr::from_ptr(rd::rd_kafka_event_error_string(ev)).to_string_lossy();
                        eprintln!("bench-raw: client error: {why}");
                    }
                    _ => {}
                }
                rd::rd_kafka_event_destroy(ev);
            }
            t = 0;
        }
        self.acked - before
    }

    /// Waits until every message sent so far is acknowledged.
    pub fn drain(&mut self, what: &str) {
        let give_up = Instant::now() + Duration::from_secs(120);
        while self.acked < self.sent {
            if Instant::now() > give_up {
                fail(&format!(
                    "{what}: {} message(s) not acknowledged after 120 s",
                    self.sent - self.acked
                ));
            }
            self.pump(100);
        }
    }

    /// One acknowledged message, not measured: connection and metadata are ready after it.
    pub fn warm_up(&mut self) {
        while !self.try_send() {
            self.pump(100);
        }
        self.drain("warm-up");
        self.sent = 0;
        self.acked = 0;
        if self.failed > 0 {
            fail("warm-up message was not delivered");
        }
    }

    fn check(&self, n: usize) {
        if self.failed > 0 || self.acked != n {
            fail(&format!(
                "{} of {n} message(s) failed (acked {})",
                self.failed, self.acked
            ));
        }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        unsafe { rd::rd_kafka_queue_destroy(self.queue) };
        let _ = self.producer.flush(Duration::from_secs(5));
    }
}

/// produce-ff: send everything (poll and retry when librdkafka's queue is
/// full), then one flush.
pub fn produce_ff(args: &Args) {
    let n = args.messages;
    let mut p = Raw::new(args, None);
    p.warm_up();
    let warm_at = warm_at(n);
    let mut rss = Rss {
        before: rss_kb(),
        ..Rss::default()
    };
    let t = Instant::now();
    for i in 0..n {
        if Some(i) == warm_at {
            rss.warm = Some(rss_kb()); // after 20% of the sends (acks come at the drain)
        }
        while !p.try_send() {
            p.pump(100); // backpressure: wait for acks, then retry
        }
        if i % 64 == 63 {
            p.pump(0); // serve delivery reports now and then, as rd_kafka_poll(rk, 0) does
        }
    }
    p.drain("flush");
    let secs = t.elapsed().as_secs_f64();
    rss.after = rss_kb();
    p.check(n);
    Report {
        workload: "produce-ff",
        messages: n,
        seconds: secs,
        size: args.size,
        lat_ns: None,
        rss,
        concurrency: 0,
    }
    .print();
}

/// produce-await: at most C messages outstanding; the next one is sent as
/// soon as an ack frees a slot (the raw form of C coroutines each awaiting
/// its own produce()). Latency: send → delivery report, per message.
pub fn produce_await(args: &Args) {
    let n = args.messages;
    let c = args.concurrency;
    let mut p = Raw::new(args, None);
    p.warm_up();
    p.lat = Some(latency_buffer(n));
    let warm_at = warm_at(n);
    let mut rss = Rss {
        before: rss_kb(),
        ..Rss::default()
    };
    let t = Instant::now();
    while p.acked < n {
        while p.sent < n && p.sent - p.acked < c {
            if !p.try_send() {
                break;
            }
        }
        p.pump(1000);
        if rss.warm.is_none() && warm_at.is_some_and(|w| p.acked >= w) {
            rss.warm = Some(rss_kb()); // once 20% are acknowledged
        }
    }
    let secs = t.elapsed().as_secs_f64();
    rss.after = rss_kb();
    p.check(n);
    let lat = p.lat.take();
    Report {
        workload: "produce-await",
        messages: n,
        seconds: secs,
        size: args.size,
        lat_ns: lat,
        rss,
        concurrency: c,
    }
    .print();
}

/// latency: one message at a time, linger.ms=0 (unless --linger-ms), produce → ack.
pub fn latency(args: &Args) {
    if args.threaded {
        return latency_threaded(args);
    }
    let n = args.messages;
    let mut p = Raw::new(args, Some(args.linger_ms.unwrap_or(0)));
    p.warm_up();
    let (lat, secs, rss) = time_each(n, || {
        while !p.try_send() {
            p.pump(100);
        }
        let want = p.sent;
        while p.acked < want {
            p.pump(1000);
        }
    });
    p.check(n);
    Report {
        workload: "latency",
        messages: n,
        seconds: secs,
        size: args.size,
        lat_ns: Some(lat),
        rss,
        concurrency: 1,
    }
    .print();
}

/// Delivery reports handed to the sending thread through a channel.
struct ChannelCtx(std::sync::Mutex<std::sync::mpsc::Sender<bool>>);
impl ClientContext for ChannelCtx {}
impl ProducerContext for ChannelCtx {
    type DeliveryOpaque = usize;
    fn delivery(&self, r: &DeliveryResult<'_>, _: usize) {
        let _ = self.0.lock().unwrap().send(r.is_ok());
    }
}

/// `latency --threaded`: flame_kafka's architecture without PHP -- a
/// ThreadedProducer whose polling thread passes each ack through a channel to
/// the thread that waits for it (one more thread hop than the baseline).
fn latency_threaded(args: &Args) {
    use rdkafka::producer::ThreadedProducer;
    let n = args.messages;
    let mut cfg = crate::base_config(args);
    cfg.set("partitioner", "consistent_random")
        .set("linger.ms", args.linger_ms.unwrap_or(0).to_string());
    crate::apply_set(&mut cfg, args);
    let (tx, rx) = std::sync::mpsc::channel();
    let p: ThreadedProducer<ChannelCtx> =
        ThreadedProducer::from_config_and_context(&cfg, ChannelCtx(std::sync::Mutex::new(tx)))
            .unwrap_or_else(|e| fail(&format!("producer: {e}")));
    let payload = vec![b'x'; args.size];
    let one = || {
        let rec = BaseRecord::<(), [u8], usize>::with_opaque_to(&args.topic, 0)
            .payload(payload.as_slice());
        if let Err((e, _)) = p.send(rec) {
            fail(&format!("produce: {e}"));
        }
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(true) => {}
            Ok(false) => fail("delivery failed"),
            Err(_) => fail("no delivery report in 30 s"),
        }
    };
    one(); // warm-up
    let (lat, secs, rss) = time_each(n, one);
    Report {
        workload: "latency-threaded",
        messages: n,
        seconds: secs,
        size: args.size,
        lat_ns: Some(lat),
        rss,
        concurrency: 1,
    }
    .print();
}

/// sync: one message at a time, each acknowledged before the next -- the raw form of
/// `produce()->wait()` / php-rdkafka's `produce()` + `flush()`. linger.ms=0 (unless --linger-ms):
/// flush() sends at once whatever linger.ms says, and this is the librdkafka way to get the same.
pub fn sync(args: &Args) {
    let n = args.messages;
    let mut p = Raw::new(args, Some(args.linger_ms.unwrap_or(0)));
    p.warm_up();
    let (lat, secs, rss) = time_each(n, || {
        while !p.try_send() {
            p.pump(100);
        }
        p.drain("sync");
    });
    p.check(n);
    Report {
        workload: "sync",
        messages: n,
        seconds: secs,
        size: args.size,
        lat_ns: Some(lat),
        rss,
        concurrency: 1,
    }
    .print();
}

/// per-request: N times a new producer, one message acknowledged, the producer destroyed (what a
/// PHP request without persistent clients does). linger.ms=0 unless --linger-ms, as in `sync`.
pub fn per_request(args: &Args) {
    let n = args.messages;
    let linger = Some(args.linger_ms.unwrap_or(0));
    let cycle = || {
        let mut p = Raw::new(args, linger);
        while !p.try_send() {
            p.pump(100);
        }
        p.drain("per-request");
        p.check(1);
    };
    cycle(); // warm-up: the broker's connection acceptance, the topic's metadata
    let (lat, secs, rss) = time_each(n, cycle);
    Report {
        workload: "per-request",
        messages: n,
        seconds: secs,
        size: args.size,
        lat_ns: Some(lat),
        rss,
        concurrency: 1,
    }
    .print();
}
