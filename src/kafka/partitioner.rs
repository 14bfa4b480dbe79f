//! The `partitioner_cb` topic option of the producer.
//!
//! Built-in names are librdkafka's own partitioners (run inside librdkafka).
//! A PHP callable runs on the PHP thread for each message, with the partition
//! count from cached topic metadata; the message then goes to that explicit
//! partition. PHP is never called from a librdkafka thread.

use crate::kafka::error::{code_of, describe, failure, kafka_exception, Code};
use crate::runtime::args::Bytes;
use crate::runtime::call::{self, object_zval, Raised};
use crate::runtime::completion::Failure;
use crate::runtime::errors::type_name;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpException;
use ext_php_rs::types::Zval;
use rdkafka::error::KafkaError;
use std::time::{Duration, Instant};

/// librdkafka's partitioners, accepted by name.
pub const BUILTIN: &[&str] =
    &["consistent", "random", "consistent_random", "murmur2", "murmur2_random", "fnv1a", "fnv1a_random"];

/// How a producer picks partitions.
pub enum Partitioner {
    /// A librdkafka partitioner (`partitioner` topic property).
    Builtin(&'static str),
    /// A PHP callable `function(?string $key, int $partition_count): int`.
    Callable(Zval),
}

impl Partitioner {
    /// Reads `partitioner_cb` from the topic option value.
    pub fn from_option(value: &Zval) -> Result<Partitioner, PhpException> {
        let value = value.dereference();
        if let Some(name) = value.str() {
            if let Some(found) = BUILTIN.iter().find(|b| **b == name) {
                return Ok(Partitioner::Builtin(found));
            }
            if !value.is_callable() {
                return Err(unknown_name(name));
            }
        }
        if value.is_callable() {
            return Ok(Partitioner::Callable(value.shallow_clone()));
        }
        Err(unknown_name(&value.coerce_to_string().unwrap_or_default()))
    }
}

/// Why a callable partitioner gave no partition.
pub enum Refused {
    /// It returned something that is not a partition, or the partition count
    /// is unknown: fails that produce().
    Failure(Failure),
    /// It threw: the exception is thrown at that produce()'s yield.
    Thrown(Zval),
    /// exit() in the callable: left pending for PHP.
    Exit,
    /// A fatal error in the callable: the engine's unwind must be resumed.
    Bailout,
}

impl Partitioner {
    /// The partition for a message with `key`: `None` for librdkafka's
    /// partitioners, else what the PHP callable chose given the partition
    /// count (asked of `count` only then).
    pub fn choose(
        &self,
        key: Option<&[u8]>,
        count: impl FnOnce() -> Result<i32, Failure>,
    ) -> Result<Option<i32>, Refused> {
        let Partitioner::Callable(cb) = self else { return Ok(None) };
        let count = count().map_err(Refused::Failure)?;
        let key_zv = match key {
            Some(k) => Bytes(k.to_vec()).into_zval(false).unwrap_or_else(|_| Zval::null()),
            None => Zval::null(),
        };
        match call::call(cb, vec![&key_zv, &(count as i64)]) {
            Ok(ret) => check_partition(&ret, count)
                .map(Some)
                .map_err(|msg| Refused::Failure(failure(Code::UnknownPartition, msg))),
            Err(Raised::Exception(e)) => Err(Refused::Thrown(object_zval(e))),
            Err(Raised::Exit) => Err(Refused::Exit),
            Err(Raised::Bailout) => Err(Refused::Bailout),
        }
    }
}

fn unknown_name(name: &str) -> PhpException {
    kafka_exception(
        Code::InvalidArgument,
        format!(
            "$topic_opt: invalid option \"partitioner_cb\" = \"{name}\": expected a callable or one of {}",
            BUILTIN.join(", ")
        ),
    )
}

/// Checks what a PHP partitioner returned.
pub fn check_partition(result: &Zval, count: i32) -> Result<i32, String> {
    match result.long() {
        Some(p) if p >= 0 && p < count as i64 => Ok(p as i32),
        Some(p) => Err(format!("the partitioner_cb returned partition {p}, outside [0, {count})")),
        None => {
            Err(format!("the partitioner_cb must return an int in [0, {count}), it returned {}", type_name(result)))
        }
    }
}

/// The partition count of one topic, cached and refreshed now and then so a
/// topic that grows is noticed.
pub struct PartitionCount {
    count: i32,
    fetched: Option<Instant>,
    ttl: Duration,
}

impl PartitionCount {
    pub fn new(ttl: Duration) -> Self {
        Self { count: 0, fetched: None, ttl }
    }

    /// The cached count if fresh.
    pub fn fresh(&self) -> Option<i32> {
        match self.fetched {
            Some(t) if t.elapsed() < self.ttl && self.count > 0 => Some(self.count),
            _ => None,
        }
    }

    pub fn store(&mut self, count: i32) {
        self.count = count;
        self.fetched = Some(Instant::now());
    }

    /// The last known count, even if stale (0 when never fetched).
    pub fn last(&self) -> i32 {
        self.count
    }

    /// The count, from the cache or from `fetch` (fresh metadata with a
    /// timeout; 0 while the topic has no partitions). A topic that does not
    /// exist yet is being auto-created by this very request: ask again until
    /// it has partitions (bounded); when metadata cannot be had, the last
    /// known count will do.
    pub fn get(&mut self, topic: &str, fetch: impl Fn(Duration) -> Result<i32, KafkaError>) -> Result<i32, Failure> {
        if let Some(n) = self.fresh() {
            return Ok(n);
        }
        let give_up = Instant::now() + Duration::from_secs(10);
        let mut md = fetch(Duration::from_secs(10));
        while Instant::now() < give_up && !matches!(md, Ok(n) if n > 0) {
            std::thread::sleep(Duration::from_millis(50));
            md = fetch(Duration::from_secs(5));
        }
        match md {
            Ok(n) if n > 0 => {
                self.store(n);
                Ok(n)
            }
            _ if self.last() > 0 => Ok(self.last()),
            Ok(_) => Err(failure(
                Code::UnknownTopicOrPartition,
                format!("topic \"{topic}\" has no partitions (yet): cannot run partitioner_cb"),
            )),
            Err(e) => Err(failure(code_of(&e), format!("metadata of topic \"{topic}\": {}", describe(&e)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_expires() {
        let mut c = PartitionCount::new(Duration::from_millis(0));
        assert_eq!(c.fresh(), None);
        c.store(3);
        assert_eq!(c.last(), 3);
        assert_eq!(c.fresh(), None, "a zero ttl is never fresh");
        let mut c = PartitionCount::new(Duration::from_secs(60));
        c.store(6);
        assert_eq!(c.fresh(), Some(6));
    }

    /// Every built-in name is one librdkafka's `partitioner` topic property
    /// accepts, and librdkafka refuses a name that is not one.
    #[test]
    fn builtin_names_match_librdkafka() {
        use crate::kafka::native::conf::{check, Level};
        use std::ffi::CString;
        let key = CString::new("partitioner").unwrap();
        for name in BUILTIN {
            let value = CString::new(*name).unwrap();
            assert_eq!(check(&key, &value, Level::Topic), Ok(()), "librdkafka refuses partitioner={name}");
        }
        let bogus = CString::new("consistent_randomly").unwrap();
        assert!(check(&key, &bogus, Level::Topic).is_err());
    }
}
