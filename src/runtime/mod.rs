//! The coroutine runtime core: background runtime, completion channel,
//! awaitable, scheduler and the `flame\…` functions. Knows nothing of Kafka.

pub mod awaitable;
pub mod background;
pub mod completion;
pub mod functions;
pub mod php;
pub mod scheduler;
