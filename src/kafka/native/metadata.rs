//! Cluster metadata and watermarks, asked of a client and copied into owned
//! Rust data (what rust-rdkafka's `fetch_metadata`/`fetch_watermarks` give,
//! same errors).

use super::client::Client;
use super::handle::Owned;
use super::text;
use rdkafka::bindings as rd;
use rdkafka::error::KafkaError;
use std::ffi::CString;
use std::time::Duration;

/// Brokers and topics, as one metadata answer listed them.
pub struct Metadata {
    pub brokers: Vec<Broker>,
    pub topics: Vec<Topic>,
}

pub struct Broker {
    pub id: i32,
    pub host: String,
    pub port: i32,
}

pub struct Topic {
    pub name: String,
    /// The topic's error, if any.
    pub error: Option<rd::rd_kafka_resp_err_t>,
    pub partitions: Vec<Partition>,
}

pub struct Partition {
    pub id: i32,
    pub leader: i32,
    pub error: Option<rd::rd_kafka_resp_err_t>,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
}

fn error_of(err: rd::rd_kafka_resp_err_t) -> Option<rd::rd_kafka_resp_err_t> {
    (err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then_some(err)
}

/// `len` items at `ptr` (nothing for null or a count below 1).
///
/// # Safety
/// `ptr` is null or points to `len` initialised items that outlive `'a`.
unsafe fn items<'a, T>(ptr: *const T, len: i32) -> &'a [T] {
    if ptr.is_null() || len < 1 {
        return &[];
    }
    // SAFETY: the caller's contract.
    unsafe { std::slice::from_raw_parts(ptr, len as usize) }
}

fn ms(timeout: Duration) -> i32 {
    i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX)
}

impl Client {
    /// Metadata of one topic (through a topic handle, as rust-rdkafka asks)
    /// or of all of them (`None`).
    pub fn metadata(&self, topic: Option<&str>, timeout: Duration) -> Result<Metadata, KafkaError> {
        let handle = match topic {
            Some(t) => {
                let name = CString::new(t)
                    .map_err(|_| KafkaError::MetadataFetch(rdkafka::error::RDKafkaErrorCode::InvalidArgument))?;
                // SAFETY: the client is live; `name` is NUL-terminated and copied;
                // the handle returned (or null) is owned by `handle` alone.
                Some(unsafe {
                    Owned::from_ptr(rd::rd_kafka_topic_new(self.ptr(), name.as_ptr(), std::ptr::null_mut()))
                })
            }
            None => None,
        };
        match &handle {
            Some(Some(h)) => self.metadata_of(Some(h), timeout),
            Some(None) => Err(KafkaError::MetadataFetch(rdkafka::error::RDKafkaErrorCode::InvalidArgument)),
            None => self.metadata_of(None, timeout),
        }
    }

    /// Metadata through an existing topic handle (None: all topics).
    pub fn metadata_of(
        &self,
        topic: Option<&Owned<rd::rd_kafka_topic_t>>,
        timeout: Duration,
    ) -> Result<Metadata, KafkaError> {
        let mut md: *const rd::rd_kafka_metadata = std::ptr::null();
        let all = i32::from(topic.is_none());
        let rkt = topic.map_or(std::ptr::null_mut(), Owned::ptr);
        // SAFETY: the client is live and `rkt` null or a live topic handle of it;
        // librdkafka writes a metadata object it allocated into `md` on success.
        let err = unsafe { rd::rd_kafka_metadata(self.ptr(), all, rkt, &mut md, ms(timeout)) };
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            return Err(KafkaError::MetadataFetch(err.into()));
        }
        // SAFETY: the metadata librdkafka just allocated for us, freed once.
        let Some(md) = (unsafe { Owned::from_ptr(md as *mut rd::rd_kafka_metadata) }) else {
            return Ok(Metadata { brokers: Vec::new(), topics: Vec::new() });
        };
        // SAFETY: `md` is live while this runs; every array it points to holds
        // as many entries as its count says, and every string is NUL-terminated,
        // all owned by the metadata object (copied here).
        unsafe {
            let md = &*md.ptr();
            let brokers = items(md.brokers, md.broker_cnt)
                .iter()
                .map(|b| Broker { id: b.id, host: text(b.host), port: b.port })
                .collect();
            let topics = items(md.topics, md.topic_cnt)
                .iter()
                .map(|t| Topic {
                    name: text(t.topic),
                    error: error_of(t.err),
                    partitions: items(t.partitions, t.partition_cnt)
                        .iter()
                        .map(|p| Partition {
                            id: p.id,
                            leader: p.leader,
                            error: error_of(p.err),
                            replicas: items(p.replicas, p.replica_cnt).to_vec(),
                            isr: items(p.isrs, p.isr_cnt).to_vec(),
                        })
                        .collect(),
                })
                .collect();
            Ok(Metadata { brokers, topics })
        }
    }

    /// The low and high watermarks of one partition.
    pub fn watermarks(&self, topic: &str, partition: i32, timeout: Duration) -> Result<(i64, i64), KafkaError> {
        let name = CString::new(topic)
            .map_err(|_| KafkaError::MetadataFetch(rdkafka::error::RDKafkaErrorCode::InvalidArgument))?;
        let (mut low, mut high) = (-1i64, -1i64);
        // SAFETY: the client is live; `name` and both outputs outlive the call.
        let err = unsafe {
            rd::rd_kafka_query_watermark_offsets(self.ptr(), name.as_ptr(), partition, &mut low, &mut high, ms(timeout))
        };
        if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            return Err(KafkaError::MetadataFetch(err.into()));
        }
        Ok((low, high))
    }
}
