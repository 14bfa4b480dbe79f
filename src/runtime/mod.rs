//! The coroutine runtime core: background runtime, completion channel,
//! awaitable, scheduler and the `flame\…` functions. Knows nothing of Kafka
//! (the layer above injects its exception class: `errors::set_domain_class`).
//!
//! Layers, bottom up: `engine` (the Zend boundary) · `readiness`,
//! `completion`, `background`, `held` · `errors`, `call`, `args` · `fiber`,
//! `awaitable` · `scheduler` · `then`, `wait` · `drivers` · `functions`.

pub mod args;
pub mod awaitable;
pub mod background;
pub mod call;
pub mod completion;
pub mod drivers;
pub mod engine;
pub mod errors;
pub mod fiber;
pub mod functions;
pub mod held;
pub mod readiness;
pub mod scheduler;
pub mod sensitive;
pub mod then;
pub mod wait;
