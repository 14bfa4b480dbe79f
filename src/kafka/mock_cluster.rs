//! `flame\db\kafka\mock_cluster`: librdkafka's in-process mock cluster, for
//! tests that need what a real broker cannot be made to do on demand:
//! protocol errors injected into responses, brokers going down and up,
//! round-trip delays. Producers and consumers reach it through
//! `bootstrap_servers()` like any cluster.
//!
//! Everything here runs on the PHP thread; librdkafka runs the mock brokers
//! on its own threads. Its C API is in `native/mock.rs`.

use crate::kafka::error::{kafka_exception, Code};
use crate::kafka::native::{self, mock::Mock};
use crate::runtime::args::{entries, IntArg, StrArg};
use crate::runtime::background::ForkGuard;
use crate::runtime::errors::{type_name, Func};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use rdkafka::bindings::rd_kafka_resp_err_t;
use std::ffi::CString;

const CLASS: &str = "flame\\db\\kafka\\mock_cluster";

/// A method of the class, as its argument errors name it.
macro_rules! method {
    ($name:literal) => {
        Func(concat!("flame\\db\\kafka\\mock_cluster::", $name))
    };
}

#[php_class]
#[php(name = "flame\\db\\kafka\\mock_cluster")]
pub struct MockCluster {
    native: Option<Mock>,
    brokers: i32,
    fork: ForkGuard,
}

/// A librdkafka error code other than 0 as its enum, or a ValueError naming the argument.
fn resp_err(code: i64, func: Func, n: u32, name: &str) -> PhpResult<rd_kafka_resp_err_t> {
    match native::known_error(code) {
        Some(err) if code != 0 => Ok(err),
        _ => Err(func.arg_value_error(
            n,
            name,
            format!("must be a librdkafka error code other than 0, {code} is not one"),
        )),
    }
}

fn c_string(bytes: std::borrow::Cow<'_, [u8]>, func: Func, n: u32, name: &str) -> PhpResult<CString> {
    if bytes.is_empty() {
        return Err(func.arg_value_error(n, name, "cannot be empty"));
    }
    CString::new(bytes.into_owned()).map_err(|_| func.arg_value_error(n, name, "must not contain NUL bytes"))
}

/// A mock call's result as PHP sees it.
fn check(result: native::mock::MockResult, what: String) -> PhpResult<()> {
    result.map_err(|(code, reason)| kafka_exception(code, format!("{CLASS}: {what}: {reason}")))
}

fn api_key(func: Func, api: i64) -> PhpResult<i16> {
    i16::try_from(api)
        .ok()
        .filter(|a| *a >= 0)
        .ok_or_else(|| func.arg_value_error(1, "api_key", format!("must be a Kafka API key (0..32767), {api} given")))
}

impl MockCluster {
    fn mock(&self) -> PhpResult<&Mock> {
        self.fork.check(CLASS).map_err(|m| kafka_exception(Code::State, m))?;
        Ok(self.native.as_ref().expect("constructed"))
    }

    fn broker(&self, id: i64, func: Func, n: u32) -> PhpResult<i32> {
        if id < 1 || id > self.brokers as i64 {
            let what = format!("must be between 1 and {} (the cluster's brokers), {id} given", self.brokers);
            return Err(func.arg_value_error(n, "broker_id", what));
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
        const F: Func = method!("__construct");
        let n = brokers.get(F, 1, "brokers")?;
        if !(1..=32).contains(&n) {
            return Err(F.arg_value_error(1, "brokers", format!("must be between 1 and 32, {n} given")));
        }
        let mock = Mock::start(n as i32).map_err(|e| match e {
            Some(e) => kafka_exception(Code::Unknown, format!("{CLASS}: cannot create its client: {e}")),
            None => kafka_exception(Code::Fail, format!("{CLASS}: librdkafka could not start a mock cluster")),
        })?;
        Ok(Self { native: Some(mock), brokers: n as i32, fork: ForkGuard::new() })
    }

    /// The `metadata.broker.list` / `bootstrap.servers` value to reach it.
    pub fn bootstrap_servers(&self) -> PhpResult<String> {
        Ok(self.mock()?.bootstraps())
    }

    /// Creates a topic (without it, a topic is auto-created on first use
    /// with librdkafka's mock defaults).
    #[php(defaults(partitions = 1, replication_factor = 1))]
    pub fn create_topic(&self, topic: StrArg, partitions: IntArg, replication_factor: IntArg) -> PhpResult<()> {
        const F: Func = method!("create_topic");
        let mock = self.mock()?;
        let topic = c_string(topic.get(F, 1, "topic")?, F, 1, "topic")?;
        let p = partitions.get(F, 2, "partitions")?;
        let r = replication_factor.get(F, 3, "replication_factor")?;
        if !(1..=10000).contains(&p) {
            return Err(F.arg_value_error(2, "partitions", format!("must be between 1 and 10000, {p} given")));
        }
        if r < 1 || r > self.brokers as i64 {
            let what = format!("must be between 1 and {} (the cluster's brokers), {r} given", self.brokers);
            return Err(F.arg_value_error(3, "replication_factor", what));
        }
        check(mock.topic_create(&topic, p as i32, r as i32), format!("create_topic({})", topic.to_string_lossy()))
    }

    /// Makes the next `count($errors)` requests of API `$api_key` (0 =
    /// Produce, 1 = Fetch, 3 = Metadata, 8 = OffsetCommit, ...) fail with
    /// those librdkafka error codes, in order, on whichever broker gets them.
    pub fn push_request_errors(&self, api_key: IntArg, errors: &ZendHashTable) -> PhpResult<()> {
        const F: Func = method!("push_request_errors");
        let mock = self.mock()?;
        let api = self::api_key(F, api_key.get(F, 1, "api_key")?)?;
        let mut codes = Vec::with_capacity(errors.len());
        for (_, v) in entries(errors) {
            let Some(code) = v.long() else {
                let what = format!("must be a list of int error codes, {} found", type_name(v));
                return Err(F.arg_type_error(2, "errors", what));
            };
            codes.push(resp_err(code, F, 2, "errors")?);
        }
        mock.push_request_errors(api, &codes);
        Ok(())
    }

    /// Drops the errors still queued for API `$api_key`.
    pub fn clear_request_errors(&self, api_key: IntArg) -> PhpResult<()> {
        const F: Func = method!("clear_request_errors");
        let mock = self.mock()?;
        let api = self::api_key(F, api_key.get(F, 1, "api_key")?)?;
        mock.clear_request_errors(api);
        Ok(())
    }

    /// Makes the topic report error `$code` in metadata responses until
    /// called again with 0.
    pub fn topic_error(&self, topic: StrArg, code: IntArg) -> PhpResult<()> {
        const F: Func = method!("topic_error");
        let mock = self.mock()?;
        let topic = c_string(topic.get(F, 1, "topic")?, F, 1, "topic")?;
        let code = code.get(F, 2, "code")?;
        let err =
            if code == 0 { rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR } else { resp_err(code, F, 2, "code")? };
        mock.topic_set_error(&topic, err);
        Ok(())
    }

    /// Moves the leadership of one partition to broker `$broker_id`.
    pub fn partition_leader(&self, topic: StrArg, partition: IntArg, broker_id: IntArg) -> PhpResult<()> {
        const F: Func = method!("partition_leader");
        let mock = self.mock()?;
        let topic = c_string(topic.get(F, 1, "topic")?, F, 1, "topic")?;
        let partition = partition.get(F, 2, "partition")?;
        let broker = self.broker(broker_id.get(F, 3, "broker_id")?, F, 3)?;
        if !(0..=i32::MAX as i64).contains(&partition) {
            return Err(F.arg_value_error(2, "partition", format!("must be >= 0, {partition} given")));
        }
        let what = format!("partition_leader({}, {partition}, {broker})", topic.to_string_lossy());
        check(mock.partition_set_leader(&topic, partition as i32, broker), what)
    }

    /// Takes a broker down: its connections are closed and new ones refused.
    pub fn broker_down(&self, broker_id: IntArg) -> PhpResult<()> {
        const F: Func = method!("broker_down");
        let mock = self.mock()?;
        let id = self.broker(broker_id.get(F, 1, "broker_id")?, F, 1)?;
        check(mock.broker_set_down(id), format!("broker_down({id})"))
    }

    /// Brings a broker taken down back.
    pub fn broker_up(&self, broker_id: IntArg) -> PhpResult<()> {
        const F: Func = method!("broker_up");
        let mock = self.mock()?;
        let id = self.broker(broker_id.get(F, 1, "broker_id")?, F, 1)?;
        check(mock.broker_set_up(id), format!("broker_up({id})"))
    }

    /// Delays every response of broker `$broker_id` by `$rtt_ms`.
    pub fn broker_rtt(&self, broker_id: IntArg, rtt_ms: IntArg) -> PhpResult<()> {
        const F: Func = method!("broker_rtt");
        let mock = self.mock()?;
        let id = self.broker(broker_id.get(F, 1, "broker_id")?, F, 1)?;
        let rtt = rtt_ms.get(F, 2, "rtt_ms")?;
        if !(0..=3_600_000).contains(&rtt) {
            return Err(F.arg_value_error(2, "rtt_ms", format!("must be between 0 and 3600000, {rtt} given")));
        }
        check(mock.broker_set_rtt(id, rtt as i32), format!("broker_rtt({id}, {rtt})"))
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
