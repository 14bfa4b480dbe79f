//! `flame\db\kafka\message`: one Kafka record, consumed or delivered.

use crate::runtime::completion::Deliverable;
use ext_php_rs::convert::{FromZval, IntoZval};
use ext_php_rs::flags::DataType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};
use rdkafka::message::Headers;
use std::sync::Arc;

/// A record as owned Rust data: what crosses from background threads.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub topic: Arc<str>,
    pub partition: i32,
    pub offset: i64,
    pub timestamp_ms: i64,
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
    /// The consumer that received it (0: a produced record).
    pub consumer_id: u64,
}

impl Record {
    /// Copies a librdkafka message (borrowed from librdkafka) into owned data.
    pub fn from_kafka<M: rdkafka::Message>(m: &M, topic: Arc<str>, consumer_id: u64) -> Record {
        let headers = m
            .headers()
            .map(|hs| hs.iter().map(|h| (h.key.to_string(), h.value.map(|v| v.to_vec()).unwrap_or_default())).collect())
            .unwrap_or_default();
        Record {
            topic,
            partition: m.partition(),
            offset: m.offset(),
            timestamp_ms: m.timestamp().to_millis().unwrap_or(0),
            key: m.key().map(|k| k.to_vec()),
            payload: m.payload().map(|p| p.to_vec()).unwrap_or_default(),
            headers,
            consumer_id,
        }
    }
}

impl Record {
    /// The `flame\\db\\kafka\\message` for this record (PHP thread only).
    pub fn into_zval_now(self) -> Zval {
        Message::from_record(self).into_zval(false).unwrap_or_else(|_| Zval::null())
    }
}

impl Deliverable for Record {
    fn into_php(self: Box<Self>) -> Result<Zval, crate::runtime::completion::Failure> {
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

/// A binary-safe PHP string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl IntoZval for Bytes {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        zv.set_zend_string(ZendStr::new(&self.0, false));
        Ok(())
    }
}

impl<'a> FromZval<'a> for Bytes {
    const TYPE: DataType = DataType::String;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        zval.zend_str().map(|s| Bytes(s.as_bytes().to_vec()))
    }
}

/// Record headers, in order; a PHP array name → value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderMap(pub Vec<(String, Vec<u8>)>);

impl IntoZval for HeaderMap {
    const TYPE: DataType = DataType::Array;
    const NULLABLE: bool = false;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        let mut ht = ZendHashTable::with_capacity(self.0.len() as u32);
        for (k, v) in self.0 {
            ht.insert(k.as_str(), Bytes(v))?;
        }
        zv.set_hashtable(ht);
        Ok(())
    }
}

impl<'a> FromZval<'a> for HeaderMap {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let ht = zval.array()?;
        let mut out = Vec::with_capacity(ht.len());
        for (k, v) in crate::runtime::php::entries(ht) {
            out.push((k.ok()?, v.zend_str()?.as_bytes().to_vec()));
        }
        Some(HeaderMap(out))
    }
}
