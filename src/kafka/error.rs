//! `flame\db\kafka\exception` and the vocabulary of librdkafka errors: every
//! code by its name (`Code::InvalidArgument`, never -186), the exception and
//! the failure built from a code, and librdkafka's description of an error.

use crate::runtime::completion::Failure;
use crate::runtime::{engine, errors};
use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::exception::PhpException;
use rdkafka::error::KafkaError;

/// librdkafka's error codes, by name (rust-rdkafka's enum).
pub use rdkafka::error::RDKafkaErrorCode as Code;

/// Registers `flame\db\kafka\exception extends \RuntimeException` (at
/// module startup) and makes it the runtime's domain exception class. Built
/// with the class builder rather than `#[php_class]` so that PHP's own
/// exception object handlers stay in place: file, line, trace, `new`,
/// subclassing and `getCode()` behave like any exception.
pub fn register_exception_class() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new("flame\\db\\kafka\\exception")
        .extends((engine::runtime_exception_ce, "\\RuntimeException"))
        .registration(|ce, _| errors::set_domain_class(ce))
        .register()
}

/// A `flame\db\kafka\exception` to throw right away.
pub fn kafka_exception(code: Code, message: impl Into<String>) -> PhpException {
    errors::domain_exception(code as i32, message)
}

/// A failure that becomes a `flame\db\kafka\exception` on the PHP thread.
pub fn failure(code: Code, message: impl Into<String>) -> Failure {
    Failure::domain(code as i32, message)
}

/// librdkafka's code for an error (`Fail` when it has none).
pub fn code_of(err: &KafkaError) -> Code {
    err.rdkafka_error_code().unwrap_or(Code::Fail)
}

/// librdkafka's own description of an error, without Rust debug noise.
pub fn describe(err: &KafkaError) -> String {
    match err.rdkafka_error_code() {
        Some(code) => format!("{err} ({code:?})"),
        None => err.to_string(),
    }
}
