//! `flame\db\kafka\message`: one Kafka record, consumed or delivered.

pub use crate::kafka::headers::HeaderMap;
pub use crate::kafka::record::Record;
pub use crate::runtime::args::Bytes;
use crate::runtime::completion::{Deliverable, Failure};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

impl Record {
    /// The `flame\\db\\kafka\\message` for this record (PHP thread only).
    pub fn into_zval_now(self) -> Zval {
        Message::from_record(self).into_zval(false).unwrap_or_else(|_| Zval::null())
    }
}

impl Deliverable for Record {
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        Ok(self.into_zval_now())
    }
}

/// A Kafka record: key, value, where it is stored, when, and its headers.
#[php_class]
#[php(name = "flame\\db\\kafka\\message")]
pub struct Message {
    /// The record's key (null when it has none).
    #[php(prop)]
    pub key: Option<Bytes>,
    /// The record's value.
    #[php(prop)]
    pub val: Bytes,
    #[php(prop)]
    pub topic: String,
    #[php(prop)]
    pub partition: i64,
    #[php(prop)]
    pub offset: i64,
    /// Header name → value.
    #[php(prop)]
    pub headers: HeaderMap,
    timestamp_ms: i64,
    consumer_id: u64,
}

impl Message {
    pub fn from_record(r: Record) -> Message {
        Message {
            key: r.key.map(Bytes),
            val: Bytes(r.payload),
            topic: r.topic.to_string(),
            partition: r.partition as i64,
            offset: r.offset,
            headers: HeaderMap(r.headers),
            timestamp_ms: r.timestamp_ms,
            consumer_id: r.consumer_id,
        }
    }

    pub fn consumer_id(&self) -> u64 {
        self.consumer_id
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Message {
    /// The record's value.
    pub fn __to_string(&self) -> Bytes {
        self.val.clone()
    }

    /// The record's timestamp in seconds.
    pub fn timestamp(&self) -> i64 {
        self.timestamp_ms.div_euclid(1000)
    }

    /// The record's timestamp in milliseconds.
    pub fn timestamp_ms(&self) -> i64 {
        self.timestamp_ms
    }
}
