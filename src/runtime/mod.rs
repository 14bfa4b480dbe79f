//! The coroutine runtime core: background runtime, completion channel,
//! awaitable, scheduler and the `flame\…` functions. Knows nothing of Kafka.

pub mod awaitable;
pub mod background;
pub mod completion;
pub mod drivers;
pub mod fiber;
pub mod functions;
pub mod php;
pub mod readiness;
pub mod scheduler;
pub mod then;
