//! `flame\db\kafka\mock_cluster`: librdkafka's in-process mock cluster, for
//! tests that need what a real broker cannot be made to do on demand:
//! protocol errors injected into responses, brokers going down and up,
//! round-trip delays. Producers and consumers reach it through
//! `bootstrap_servers()` like any cluster.
//!
//! Everything here runs on the PHP thread; librdkafka runs the mock brokers
//! on its own threads.

use crate::kafka::error::{kafka_exception, value_error};
use crate::runtime::background::ForkGuard;
use crate::runtime::php::{IntArg, StrArg};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use rdkafka::bindings as rd;
use rdkafka::producer::{BaseProducer, DefaultProducerContext, Producer as _};
use std::ffi::CString;

const CLASS: &str = "flame\\db\\kafka\\mock_cluster";

/// The client that owns the mock cluster, and the cluster.
struct Native {
    cluster: *mut rd::rd_kafka_mock_cluster_t,
    _client: BaseProducer<DefaultProducerContext>,
}

impl Drop for Native {
    fn drop(&mut self) {
        // The cluster first: it belongs to the client.
        // SAFETY: `cluster` came from rd_kafka_mock_cluster_new on `_client`, which is still alive (dropped
        // after this), and is destroyed exactly once, here.
        unsafe { rd::rd_kafka_mock_cluster_destroy(self.cluster) };
    }
}

#[php_class]
#[php(name = "flame\\db\\kafka\\mock_cluster")]
pub struct MockCluster {
    native: Option<Native>,
    brokers: i32,
    fork: ForkGuard,
}

/// A librdkafka error code as its enum, or a ValueError naming the argument.
fn resp_err(code: i64, func: &str, arg: &str) -> PhpResult<rd::rd_kafka_resp_err_t> {
    let mut descs: *const rd::rd_kafka_err_desc = std::ptr::null();
    let mut cnt: usize = 0;
    // SAFETY: rd_kafka_get_err_descs only writes the address and length of librdkafka's static table into the
    // two locals.
    unsafe { rd::rd_kafka_get_err_descs(&mut descs, &mut cnt) };
    let known =
        // SAFETY: librdkafka's error table is static: `descs` points to `cnt` initialised entries for the
        // life of the process.
        unsafe { std::slice::from_raw_parts(descs, cnt) }.iter().any(|d| !d.name.is_null() && d.code as i64 == code);
    if !known || code == 0 {
        return Err(value_error(format!(
            "{CLASS}::{func}(): Argument {arg} must be a librdkafka error code other than 0, {code} is not one"
        )));
    }
    // The code is one librdkafka defines, so it is a value of the enum.
    // SAFETY: rd_kafka_resp_err_t is a C enum of i32 (#[repr(i32)] in the bindings) and `code` is one of its
    // values (found in librdkafka's own table above).
    Ok(unsafe { std::mem::transmute::<i32, rd::rd_kafka_resp_err_t>(code as i32) })
}

fn c_string(bytes: std::borrow::Cow<'_, [u8]>, func: &str, arg: &str) -> PhpResult<CString> {
    if bytes.is_empty() {
        return Err(value_error(format!("{CLASS}::{func}(): Argument {arg} cannot be empty")));
    }
    CString::new(bytes.into_owned())
        .map_err(|_| value_error(format!("{CLASS}::{func}(): Argument {arg} must not contain NUL bytes")))
}

fn check(err: rd::rd_kafka_resp_err_t, what: String) -> PhpResult<()> {
    if err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        return Ok(());
    }
    // SAFETY: rd_kafka_err2str returns a static NUL-terminated string for any code.
    let reason = unsafe { std::ffi::CStr::from_ptr(rd::rd_kafka_err2str(err)) }.to_string_lossy();
    Err(kafka_exception(err as i32, format!("{CLASS}: {what}: {reason}")))
}

impl MockCluster {
    fn native(&self) -> PhpResult<*mut rd::rd_kafka_mock_cluster_t> {
        self.fork.check(CLASS).map_err(|m| kafka_exception(-172, m))?;
        Ok(self.native.as_ref().map(|n| n.cluster).expect("constructed"))
    }

    fn broker(&self, id: i64, func: &str, n: u32) -> PhpResult<i32> {
        if id < 1 || id > self.brokers as i64 {
            return Err(value_error(format!(
                "{CLASS}::{func}(): Argument #{n} ($broker_id) must be between 1 and {} (the cluster's brokers), {id} given",
                self.brokers
            )));
        }
        Ok(id as i32)
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl MockCluster {
    /// Starts `$brokers` mock brokers (ids 1..N) on loopback ports.
    #[php(defaults(brokers = 3))]
    pub fn __construct(brokers: IntArg) -> PhpResult<Self> {
        let n = brokers.get(&format!("{CLASS}::__construct"), 1, "brokers")?;
        if !(1..=32).contains(&n) {
            return Err(value_error(format!(
                "{CLASS}::__construct(): Argument #1 ($brokers) must be between 1 and 32, {n} given"
            )));
        }
        let client: BaseProducer<DefaultProducerContext> = rdkafka::ClientConfig::new()
            .set("log_level", "0")
            .create()
            .map_err(|e| kafka_exception(-1, format!("{CLASS}: cannot create its client: {e}")))?;
        // SAFETY: the client handle is live (owned by `client`, which the returned `Native` keeps for the
        // cluster's whole life).
        let cluster = unsafe { rd::rd_kafka_mock_cluster_new(client.client().native_ptr(), n as i32) };
        if cluster.is_null() {
            return Err(kafka_exception(-196, format!("{CLASS}: librdkafka could not start a mock cluster")));
        }
        Ok(Self { native: Some(Native { cluster, _client: client }), brokers: n as i32, fork: ForkGuard::new() })
    }

    /// The `metadata.broker.list` / `bootstrap.servers` value to reach it.
    pub fn bootstrap_servers(&self) -> PhpResult<String> {
        let c = self.native()?;
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops); the
        // bootstrap string belongs to the cluster and is copied here before anything can destroy it.
        Ok(unsafe { std::ffi::CStr::from_ptr(rd::rd_kafka_mock_cluster_bootstraps(c)) }.to_string_lossy().into_owned())
    }

    /// Creates a topic (without it, a topic is auto-created on first use
    /// with librdkafka's mock defaults).
    #[php(defaults(partitions = 1, replication_factor = 1))]
    pub fn create_topic(&self, topic: StrArg, partitions: IntArg, replication_factor: IntArg) -> PhpResult<()> {
        let c = self.native()?;
        let topic = c_string(topic.get(&format!("{CLASS}::create_topic"), 1, "topic")?, "create_topic", "#1 ($topic)")?;
        let p = partitions.get(&format!("{CLASS}::create_topic"), 2, "partitions")?;
        let r = replication_factor.get(&format!("{CLASS}::create_topic"), 3, "replication_factor")?;
        if !(1..=10000).contains(&p) {
            return Err(value_error(format!(
                "{CLASS}::create_topic(): Argument #2 ($partitions) must be between 1 and 10000, {p} given"
            )));
        }
        if r < 1 || r > self.brokers as i64 {
            return Err(value_error(format!(
                "{CLASS}::create_topic(): Argument #3 ($replication_factor) must be between 1 and {} (the cluster's brokers), {r} given",
                self.brokers
            )));
        }
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops);
        // `topic` is a NUL-terminated string that outlives the call.
        let err = unsafe { rd::rd_kafka_mock_topic_create(c, topic.as_ptr(), p as i32, r as i32) };
        check(err, format!("create_topic({})", topic.to_string_lossy()))
    }

    /// Makes the next `count($errors)` requests of API `$api_key` (0 =
    /// Produce, 1 = Fetch, 3 = Metadata, 8 = OffsetCommit, ...) fail with
    /// those librdkafka error codes, in order, on whichever broker gets them.
    pub fn push_request_errors(&self, api_key: IntArg, errors: &ZendHashTable) -> PhpResult<()> {
        let c = self.native()?;
        let api = api_key.get(&format!("{CLASS}::push_request_errors"), 1, "api_key")?;
        if !(0..=i16::MAX as i64).contains(&api) {
            return Err(value_error(format!("{CLASS}::push_request_errors(): Argument #1 ($api_key) must be a Kafka API key (0..32767), {api} given")));
        }
        let mut codes = Vec::with_capacity(errors.len());
        for (_, v) in crate::runtime::php::entries(errors) {
            let Some(code) = v.long() else {
                return Err(crate::kafka::error::type_error(format!(
                    "{CLASS}::push_request_errors(): Argument #2 ($errors) must be a list of int error codes, {} found",
                    crate::runtime::php::type_name(v)
                )));
            };
            codes.push(resp_err(code, "push_request_errors", "#2 ($errors)")?);
        }
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops);
        // `codes` holds `codes.len()` valid error codes and outlives the call (librdkafka copies them).
        unsafe { rd::rd_kafka_mock_push_request_errors_array(c, api as i16, codes.len(), codes.as_ptr()) };
        Ok(())
    }

    /// Drops the errors still queued for API `$api_key`.
    pub fn clear_request_errors(&self, api_key: IntArg) -> PhpResult<()> {
        let c = self.native()?;
        let api = api_key.get(&format!("{CLASS}::clear_request_errors"), 1, "api_key")?;
        if !(0..=i16::MAX as i64).contains(&api) {
            return Err(value_error(format!("{CLASS}::clear_request_errors(): Argument #1 ($api_key) must be a Kafka API key (0..32767), {api} given")));
        }
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops).
        unsafe { rd::rd_kafka_mock_clear_request_errors(c, api as i16) };
        Ok(())
    }

    /// Makes the topic report error `$code` in metadata responses until
    /// called again with 0.
    pub fn topic_error(&self, topic: StrArg, code: IntArg) -> PhpResult<()> {
        let c = self.native()?;
        let topic = c_string(topic.get(&format!("{CLASS}::topic_error"), 1, "topic")?, "topic_error", "#1 ($topic)")?;
        let code = code.get(&format!("{CLASS}::topic_error"), 2, "code")?;
        let err = if code == 0 {
            rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR
        } else {
            resp_err(code, "topic_error", "#2 ($code)")?
        };
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops);
        // `topic` is a NUL-terminated string that outlives the call.
        unsafe { rd::rd_kafka_mock_topic_set_error(c, topic.as_ptr(), err) };
        Ok(())
    }

    /// Moves the leadership of one partition to broker `$broker_id`.
    pub fn partition_leader(&self, topic: StrArg, partition: IntArg, broker_id: IntArg) -> PhpResult<()> {
        let c = self.native()?;
        let f = format!("{CLASS}::partition_leader");
        let topic = c_string(topic.get(&f, 1, "topic")?, "partition_leader", "#1 ($topic)")?;
        let partition = partition.get(&f, 2, "partition")?;
        let broker = self.broker(broker_id.get(&f, 3, "broker_id")?, "partition_leader", 3)?;
        if !(0..=i32::MAX as i64).contains(&partition) {
            return Err(value_error(format!(
                "{CLASS}::partition_leader(): Argument #2 ($partition) must be >= 0, {partition} given"
            )));
        }
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops);
        // `topic` is a NUL-terminated string that outlives the call.
        let err = unsafe { rd::rd_kafka_mock_partition_set_leader(c, topic.as_ptr(), partition as i32, broker) };
        check(err, format!("partition_leader({}, {partition}, {broker})", topic.to_string_lossy()))
    }

    /// Takes a broker down: its connections are closed and new ones refused.
    pub fn broker_down(&self, broker_id: IntArg) -> PhpResult<()> {
        let c = self.native()?;
        let id = self.broker(broker_id.get(&format!("{CLASS}::broker_down"), 1, "broker_id")?, "broker_down", 1)?;
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops).
        check(unsafe { rd::rd_kafka_mock_broker_set_down(c, id) }, format!("broker_down({id})"))
    }

    /// Brings a broker taken down back.
    pub fn broker_up(&self, broker_id: IntArg) -> PhpResult<()> {
        let c = self.native()?;
        let id = self.broker(broker_id.get(&format!("{CLASS}::broker_up"), 1, "broker_id")?, "broker_up", 1)?;
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops).
        check(unsafe { rd::rd_kafka_mock_broker_set_up(c, id) }, format!("broker_up({id})"))
    }

    /// Delays every response of broker `$broker_id` by `$rtt_ms`.
    pub fn broker_rtt(&self, broker_id: IntArg, rtt_ms: IntArg) -> PhpResult<()> {
        let c = self.native()?;
        let f = format!("{CLASS}::broker_rtt");
        let id = self.broker(broker_id.get(&f, 1, "broker_id")?, "broker_rtt", 1)?;
        let rtt = rtt_ms.get(&f, 2, "rtt_ms")?;
        if !(0..=3_600_000).contains(&rtt) {
            return Err(value_error(format!(
                "{CLASS}::broker_rtt(): Argument #2 ($rtt_ms) must be between 0 and 3600000, {rtt} given"
            )));
        }
        // SAFETY: `c` is the live mock cluster owned by `self.native` (destroyed only when `self` drops).
        check(unsafe { rd::rd_kafka_mock_broker_set_rtt(c, id, rtt as i32) }, format!("broker_rtt({id}, {rtt})"))
    }
}

impl Drop for MockCluster {
    fn drop(&mut self) {
        let native = self.native.take();
        if self.fork.check(CLASS).is_err() {
            // A forked child must not tear down the parent's mock brokers
            // (their threads do not exist here).
            std::mem::forget(native);
        }
    }
}
