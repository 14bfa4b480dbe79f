//! A Kafka record as owned Rust data: what the librdkafka boundary hands up
//! and what crosses threads. `message.rs` turns it into the PHP class.

use std::sync::Arc;

/// One record, consumed or delivered.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub topic: Arc<str>,
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: i64,
    pub key: Option<Vec<u8>>,
    /// `None`: a record without value (a tombstone).
    pub payload: Option<Vec<u8>>,
    /// In record order, repeated names kept; `None`: a header without value.
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    /// The consumer that received it (0: a produced record).
    pub consumer_id: u64,
}
