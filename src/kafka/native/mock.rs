//! librdkafka's mock cluster (`rd_kafka_mock_*`): made on a client of its
//! own, which it belongs to.

use super::client::{Client, Kind};
use super::conf::Settings;
use super::handle::Owned;
use super::text;
use rdkafka::bindings as rd;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::ffi::CStr;

/// A running mock cluster and the client that owns it.
pub struct Mock {
    // Declared first: the cluster goes before the client it belongs to.
    cluster: Owned<rd::rd_kafka_mock_cluster_t>,
    /// Owns the cluster (never used itself).
    _client: Client,
}

/// What a mock call returned: `Err(code, librdkafka's description)`.
pub type MockResult = Result<(), (RDKafkaErrorCode, String)>;

fn check(err: rd::rd_kafka_resp_err_t) -> MockResult {
    if err == rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        Ok(())
    } else {
        Err((err.into(), super::err2str(err)))
    }
}

impl Mock {
    /// Starts `brokers` mock brokers; `Err(None)` when librdkafka could not
    /// start them, `Err(Some(e))` when its client could not be made.
    pub fn start(brokers: i32) -> Result<Mock, Option<KafkaError>> {
        let settings = Settings { pairs: vec![("log_level".into(), "0".into())], log_level: 0 };
        let client = Client::new(Kind::Producer, &settings, 0, "mock_cluster".into()).map_err(Some)?;
        // SAFETY: the client is live and outlives the cluster (field order of `Mock`).
        let cluster = unsafe { Owned::from_ptr(rd::rd_kafka_mock_cluster_new(client.ptr(), brokers)) };
        let cluster = cluster.ok_or(None)?;
        Ok(Mock { cluster, _client: client })
    }

    fn ptr(&self) -> *mut rd::rd_kafka_mock_cluster_t {
        self.cluster.ptr()
    }

    /// The bootstrap servers of the cluster.
    pub fn bootstraps(&self) -> String {
        // SAFETY: the cluster is live; the string belongs to it and is copied here.
        unsafe { text(rd::rd_kafka_mock_cluster_bootstraps(self.ptr())) }
    }

    pub fn topic_create(&self, topic: &CStr, partitions: i32, replication_factor: i32) -> MockResult {
        // SAFETY: the cluster is live; `topic` is NUL-terminated and outlives the call.
        check(unsafe { rd::rd_kafka_mock_topic_create(self.ptr(), topic.as_ptr(), partitions, replication_factor) })
    }

    pub fn push_request_errors(&self, api_key: i16, errors: &[rd::rd_kafka_resp_err_t]) {
        // SAFETY: the cluster is live; `errors` holds `len()` codes and outlives
        // the call (librdkafka copies them).
        unsafe { rd::rd_kafka_mock_push_request_errors_array(self.ptr(), api_key, errors.len(), errors.as_ptr()) };
    }

    pub fn clear_request_errors(&self, api_key: i16) {
        // SAFETY: the cluster is live.
        unsafe { rd::rd_kafka_mock_clear_request_errors(self.ptr(), api_key) };
    }

    pub fn topic_set_error(&self, topic: &CStr, err: rd::rd_kafka_resp_err_t) {
        // SAFETY: the cluster is live; `topic` is NUL-terminated and outlives the call.
        unsafe { rd::rd_kafka_mock_topic_set_error(self.ptr(), topic.as_ptr(), err) };
    }

    pub fn partition_set_leader(&self, topic: &CStr, partition: i32, broker: i32) -> MockResult {
        // SAFETY: the cluster is live; `topic` is NUL-terminated and outlives the call.
        check(unsafe { rd::rd_kafka_mock_partition_set_leader(self.ptr(), topic.as_ptr(), partition, broker) })
    }

    pub fn broker_set_down(&self, broker: i32) -> MockResult {
        // SAFETY: the cluster is live.
        check(unsafe { rd::rd_kafka_mock_broker_set_down(self.ptr(), broker) })
    }

    pub fn broker_set_up(&self, broker: i32) -> MockResult {
        // SAFETY: the cluster is live.
        check(unsafe { rd::rd_kafka_mock_broker_set_up(self.ptr(), broker) })
    }

    pub fn broker_set_rtt(&self, broker: i32, rtt_ms: i32) -> MockResult {
        // SAFETY: the cluster is live.
        check(unsafe { rd::rd_kafka_mock_broker_set_rtt(self.ptr(), broker, rtt_ms) })
    }
}
