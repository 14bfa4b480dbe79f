//! `flame\db\kafka\message`: one Kafka record, consumed or delivered.
//!
//! Its properties behave like PHP typed properties (`?string $key`,
//! `?string $val`, `string $topic`, `int $partition`, `int $offset`,
//! `array $headers`): a write is checked and coerced by the engine itself
//! (`zend_verify_property_type`, honouring the writer's `strict_types`), so a
//! wrong type is PHP's own `\TypeError` ("Cannot assign string to property
//! flame\db\kafka\message::$offset of type int"). PHP thread only.

pub use crate::kafka::record::Record;
pub use crate::runtime::args::Bytes;
use crate::runtime::completion::{Deliverable, Failure};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::{FromZval, IntoZval};
use ext_php_rs::flags::DataType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};

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
    pub(crate) key: Option<Vec<u8>>,
    pub(crate) val: Option<Vec<u8>>,
    pub(crate) topic: String,
    pub(crate) partition: i64,
    pub(crate) offset: i64,
    /// The record's headers in order (what `header_pairs()` returns).
    headers: Vec<(String, Option<Vec<u8>>)>,
    /// `$headers` as PHP code assigned it, if it did.
    headers_assigned: Option<Zval>,
    timestamp_ms: i64,
    consumer_id: u64,
}

impl Message {
    pub fn from_record(r: Record) -> Message {
        Message {
            key: r.key,
            val: r.payload,
            topic: r.topic.to_string(),
            partition: r.partition as i64,
            offset: r.offset,
            headers: r.headers,
            headers_assigned: None,
            timestamp_ms: r.timestamp_ms,
            consumer_id: r.consumer_id,
        }
    }

    pub fn consumer_id(&self) -> u64 {
        self.consumer_id
    }
}

fn bytes_zval(b: &Option<Vec<u8>>) -> Zval {
    let mut z = Zval::new();
    match b {
        Some(b) => z.set_zend_string(ZendStr::new(b, false)),
        None => z.set_null(),
    }
    z
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Message {
    /// The record's key (null when it has none).
    #[php(getter)]
    pub fn get_key(&self) -> Value {
        Value(bytes_zval(&self.key))
    }

    #[php(setter)]
    pub fn set_key(&mut self, v: Value) {
        if let Some(z) = typed::check(typed::Prop::Key, &v.0) {
            self.key = z.zend_str().map(|s| s.as_bytes().to_vec());
        }
    }

    /// The record's value (null for a record without value, a tombstone).
    #[php(getter)]
    pub fn get_val(&self) -> Value {
        Value(bytes_zval(&self.val))
    }

    #[php(setter)]
    pub fn set_val(&mut self, v: Value) {
        if let Some(z) = typed::check(typed::Prop::Val, &v.0) {
            self.val = z.zend_str().map(|s| s.as_bytes().to_vec());
        }
    }

    /// The record's topic.
    #[php(getter)]
    pub fn get_topic(&self) -> Value {
        let mut z = Zval::new();
        let _ = z.set_string(&self.topic, false);
        Value(z)
    }

    #[php(setter)]
    pub fn set_topic(&mut self, v: Value) {
        if let Some(z) = typed::check(typed::Prop::Topic, &v.0) {
            self.topic = z.zend_str().map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned()).unwrap_or_default();
        }
    }

    /// The record's partition.
    #[php(getter)]
    pub fn get_partition(&self) -> Value {
        let mut z = Zval::new();
        z.set_long(self.partition);
        Value(z)
    }

    #[php(setter)]
    pub fn set_partition(&mut self, v: Value) {
        if let Some(z) = typed::check(typed::Prop::Partition, &v.0) {
            self.partition = z.long().unwrap_or(self.partition);
        }
    }

    /// The record's offset in its partition.
    #[php(getter)]
    pub fn get_offset(&self) -> Value {
        let mut z = Zval::new();
        z.set_long(self.offset);
        Value(z)
    }

    #[php(setter)]
    pub fn set_offset(&mut self, v: Value) {
        if let Some(z) = typed::check(typed::Prop::Offset, &v.0) {
            self.offset = z.long().unwrap_or(self.offset);
        }
    }

    /// Header name → value (a repeated name: the last one wins; a header
    /// without value: "").
    #[php(getter)]
    pub fn get_headers(&self) -> Value {
        if let Some(z) = &self.headers_assigned {
            return Value(z.shallow_clone());
        }
        let mut ht = ZendHashTable::with_capacity(self.headers.len() as u32);
        for (k, v) in &self.headers {
            let _ = ht.insert(k.as_str(), Bytes(v.clone().unwrap_or_default()));
        }
        let mut z = Zval::new();
        z.set_hashtable(ht);
        Value(z)
    }

    #[php(setter)]
    pub fn set_headers(&mut self, v: Value) {
        if let Some(z) = typed::check(typed::Prop::Headers, &v.0) {
            self.headers_assigned = Some(z);
        }
    }

    /// The record's headers as `[[name, value], ...]` in record order,
    /// repeated names kept (a header without value: null).
    pub fn header_pairs(&self) -> ZBox<ZendHashTable> {
        let mut list = ZendHashTable::with_capacity(self.headers.len() as u32);
        if let Some(assigned) = self.headers_assigned.as_ref().and_then(Zval::array) {
            for (k, v) in crate::runtime::args::entries(assigned) {
                let name = k.unwrap_or_else(|lossy| lossy);
                let mut pair = ZendHashTable::with_capacity(2);
                let _ = pair.push(name.as_str());
                let _ = pair.push(v.shallow_clone());
                let _ = list.push(pair);
            }
        } else {
            for (k, v) in &self.headers {
                let mut pair = ZendHashTable::with_capacity(2);
                let _ = pair.push(k.as_str());
                let _ = pair.push(bytes_zval(v));
                let _ = list.push(pair);
            }
        }
        list
    }

    /// The record's value ("" for a record without value).
    pub fn __to_string(&self) -> Bytes {
        Bytes(self.val.clone().unwrap_or_default())
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

/// PHP's own typed-property check for the message's properties.
mod typed {
    use ext_php_rs::class::RegisteredClass;
    use ext_php_rs::ffi::{zend_property_info, zend_string};
    use ext_php_rs::types::{ZendStr, Zval};
    use std::cell::RefCell;

    extern "C" {
        fn zend_verify_property_type(info: *const zend_property_info, property: *mut Zval, strict: bool) -> bool;
    }

    #[derive(Clone, Copy)]
    pub enum Prop {
        Key,
        Val,
        Topic,
        Partition,
        Offset,
        Headers,
    }

    // MAY_BE_* bits of zend_type (Zend/zend_type_info.h).
    const MAY_BE_NULL: u32 = 1 << 1;
    const MAY_BE_LONG: u32 = 1 << 4;
    const MAY_BE_STRING: u32 = 1 << 6;
    const MAY_BE_ARRAY: u32 = 1 << 7;
    const ZEND_ACC_PUBLIC: u32 = 1 << 0;
    const ZEND_ACC_STRICT_TYPES: u32 = 1 << 31;

    impl Prop {
        fn name(self) -> &'static str {
            match self {
                Prop::Key => "key",
                Prop::Val => "val",
                Prop::Topic => "topic",
                Prop::Partition => "partition",
                Prop::Offset => "offset",
                Prop::Headers => "headers",
            }
        }

        fn mask(self) -> u32 {
            match self {
                Prop::Key | Prop::Val => MAY_BE_STRING | MAY_BE_NULL,
                Prop::Topic => MAY_BE_STRING,
                Prop::Partition | Prop::Offset => MAY_BE_LONG,
                Prop::Headers => MAY_BE_ARRAY,
            }
        }
    }

    thread_local! {
        /// One property description per property, made on first use and
        /// kept for the process (the engine reads its name, class, type).
        static INFOS: RefCell<Vec<Option<&'static zend_property_info>>> = RefCell::new(vec![None; 6]);
    }

    fn info(p: Prop) -> &'static zend_property_info {
        INFOS.with(|infos| {
            let mut infos = infos.borrow_mut();
            *infos[p as usize].get_or_insert_with(|| {
                // SAFETY: zend_property_info is plain C data; all-zero is a
                // valid "no doc comment, no attributes" value. The name is an
                // interned persistent string and the class entry is static:
                // both outlive the leaked description.
                let mut info: zend_property_info = unsafe { std::mem::zeroed() };
                info.flags = ZEND_ACC_PUBLIC;
                let name = ZendStr::new_interned(p.name(), true);
                info.name = name.as_ptr() as *mut zend_string;
                std::mem::forget(name);
                info.ce = super::Message::get_metadata().ce() as *const _ as *mut _;
                info.type_.type_mask = p.mask();
                &*Box::leak(Box::new(info))
            })
        })
    }

    /// Whether the code writing the property uses `strict_types=1`.
    fn writer_is_strict() -> bool {
        // SAFETY: the executor globals and the running frame are the
        // engine's, read on the PHP thread during the property write.
        unsafe {
            ext_php_rs::ffi::ext_php_rs_executor_globals()
                .as_ref()
                .and_then(|eg| eg.current_execute_data.as_ref())
                .and_then(|ex| ex.func.as_ref())
                .is_some_and(|f| f.common.fn_flags & ZEND_ACC_STRICT_TYPES != 0)
        }
    }

    /// `v` checked (and coerced, in coercive mode) against `p`'s type the way
    /// PHP checks a typed property; `None` when it does not fit, with PHP's
    /// `\TypeError` thrown.
    pub fn check(p: Prop, v: &Zval) -> Option<Zval> {
        let mut z = v.dereference().shallow_clone();
        // SAFETY: a valid property description and a zval we own; the engine
        // may convert it in place or throw (PHP thread, inside a write).
        let ok = unsafe { zend_verify_property_type(info(p), &mut z, writer_is_strict()) };
        ok.then_some(z)
    }
}

/// Any PHP value, as a property reads or is written (the setters check
/// the type themselves, the way PHP checks a typed property).
pub struct Value(pub Zval);

impl IntoZval for Value {
    const TYPE: DataType = DataType::Mixed;
    const NULLABLE: bool = true;

    fn set_zval(self, zv: &mut Zval, _persistent: bool) -> ext_php_rs::error::Result<()> {
        *zv = self.0;
        Ok(())
    }
}

impl<'a> FromZval<'a> for Value {
    const TYPE: DataType = DataType::Mixed;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        Some(Value(zval.dereference().shallow_clone()))
    }
}
