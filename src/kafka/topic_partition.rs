//! `flame\db\kafka\topic_partition`: a topic, a partition and an offset —
//! what `assign()`, `seek()`, `committed()`, rebalance callbacks and
//! `admin::describe_group()` speak in. Plain data, PHP thread only.

use crate::runtime::args::{IntArg, StrArg};
use crate::runtime::errors::value_error;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, Zval};

const CLASS: &str = "flame\\db\\kafka\\topic_partition";

/// A partition of a topic, with an offset (or one of the logical offsets).
#[php_class]
#[php(name = "flame\\db\\kafka\\topic_partition")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicPartition {
    /// The topic.
    #[php(prop)]
    pub topic: String,
    /// The partition (0-based).
    #[php(prop)]
    pub partition: i64,
    /// An offset, or `BEGINNING`, `END`, `STORED` (a timestamp in ms for
    /// `offsets_for_times`).
    #[php(prop)]
    pub offset: i64,
}

impl TopicPartition {
    /// A topic_partition built by the extension (no validation: results may
    /// carry librdkafka's other logical offsets, e.g. -1001 "none").
    pub fn new(topic: impl Into<String>, partition: i32, offset: i64) -> Self {
        Self { topic: topic.into(), partition: partition as i64, offset }
    }

    /// The PHP object for it (PHP thread only).
    pub fn into_zval_now(self) -> Zval {
        self.into_zval(false).unwrap_or_else(|_| Zval::null())
    }

    /// The topic_partition a PHP value holds, if it is one.
    pub fn from_php(v: &Zval) -> Option<&TopicPartition> {
        v.dereference().object().and_then(ZendClassObject::<TopicPartition>::from_zend_obj).map(|o| &**o)
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl TopicPartition {
    /// The first offset still in the partition.
    pub const BEGINNING: i64 = -2;
    /// The offset after the last record (only new records).
    pub const END: i64 = -1;
    /// The group's committed offset (or `auto.offset.reset` without one).
    pub const STORED: i64 = -1000;

    /// `$offset` is an offset (>= 0) or `BEGINNING`, `END`, `STORED`.
    #[php(defaults(offset = -1000))]
    pub fn __construct(topic: StrArg<'_>, partition: IntArg, offset: IntArg) -> PhpResult<Self> {
        let f = format!("{CLASS}::__construct");
        let topic = topic.get(&f, 1, "topic")?;
        let partition = partition.get(&f, 2, "partition")?;
        let offset = offset.get(&f, 3, "offset")?;
        let topic = name_arg(&topic, &f, 1, "topic")?;
        if !(0..=i32::MAX as i64).contains(&partition) {
            return Err(value_error(format!(
                "{f}(): Argument #2 ($partition) must be between 0 and {}, {partition} given",
                i32::MAX
            )));
        }
        if offset < 0 && ![Self::BEGINNING, Self::END, Self::STORED].contains(&offset) {
            return Err(value_error(format!(
                "{f}(): Argument #3 ($offset) must be an offset (>= 0) or topic_partition::BEGINNING (-2), \
                 END (-1) or STORED (-1000), {offset} given"
            )));
        }
        Ok(Self { topic, partition, offset })
    }
}

/// A name argument (topic, group, config name): non-empty UTF-8 without NUL
/// bytes (what Kafka accepts beyond that is the broker's call), or a
/// ValueError naming argument `n` (`$arg`) of `func`.
pub fn name_arg(bytes: &[u8], func: &str, n: u32, arg: &str) -> PhpResult<String> {
    if bytes.is_empty() {
        return Err(value_error(format!("{func}(): Argument #{n} (${arg}) cannot be empty")));
    }
    if bytes.contains(&0) {
        return Err(value_error(format!("{func}(): Argument #{n} (${arg}) must not contain NUL bytes")));
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|_| value_error(format!("{func}(): Argument #{n} (${arg}) must be valid UTF-8")))
}
