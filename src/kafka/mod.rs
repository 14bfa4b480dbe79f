//! The Kafka layer (namespace `flame\db\kafka`): configuration, producer,
//! consumer, message, partitioner and the exception class.

pub mod config;
pub mod consumer;
pub mod error;
pub mod log;
pub mod message;
pub mod partitioner;
pub mod producer;
