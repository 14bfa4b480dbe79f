//! The Kafka layer (namespace `flame\db\kafka`): configuration, producer,
//! consumer, message, partitioner, the exception class and the
//! mock cluster for tests.

pub mod admin;
pub mod config;
pub mod consumer;
pub mod error;
pub mod log;
pub mod message;
pub mod mock_cluster;
pub mod partitioner;
pub mod producer;
pub mod topic_partition;
