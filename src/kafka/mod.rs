//! The Kafka layer (namespace `flame\db\kafka`): configuration, producer,
//! consumer, admin, message, partitioner, the exception class and the mock
//! cluster for tests, on top of `native/` (the librdkafka boundary) and
//! `runtime/`.

pub mod admin;
pub mod config;
pub mod consumer;
pub mod error;
pub mod headers;
pub mod linger;
pub mod log;
pub mod message;
pub mod mock_cluster;
pub mod native;
pub mod partitioner;
pub mod producer;
pub mod record;
pub mod topic_partition;
