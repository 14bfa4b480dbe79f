//! The `partitioner_cb` topic option of the producer.
//!
//! Built-in names are librdkafka's own partitioners (run inside librdkafka).
//! A PHP callable runs on the PHP thread for each message, with the partition
//! count from cached topic metadata; the message then goes to that explicit
//! partition. PHP is never called from a librdkafka thread.

use crate::kafka::error::kafka_exception;
use ext_php_rs::exception::PhpException;
use ext_php_rs::types::Zval;
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

fn unknown_name(name: &str) -> PhpException {
    kafka_exception(
        -186,
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
            Err(format!("the partitioner_cb must return an int in [0, {count}), it returned {:?}", result.get_type()))
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

    #[test]
    fn builtin_names_match_librdkafka() {
        assert_eq!(BUILTIN.len(), 7);
        assert!(BUILTIN.contains(&"consistent_random"));
    }
}
