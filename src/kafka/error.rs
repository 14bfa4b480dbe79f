//! `flame\db\kafka\exception` and the conversion of librdkafka errors.

use crate::runtime::completion::Failure;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::exception::PhpException;
use ext_php_rs::prelude::*;
use ext_php_rs::zend::{ce, ClassEntry};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};

/// `\RuntimeException` lives in SPL; its class entry is only reachable
/// through the exported global (not by name during module startup).
fn runtime_exception_ce() -> &'static ClassEntry {
    unsafe {
        let sym = libc::dlsym(libc::RTLD_DEFAULT, c"spl_ce_RuntimeException".as_ptr());
        if !sym.is_null() {
            let ce_ptr = *(sym as *const *const ClassEntry);
            if let Some(ce) = ce_ptr.as_ref() {
                return ce;
            }
        }
    }
    ce::exception()
}

/// A Kafka operation failed; `getCode()` is librdkafka's error code.
#[php_class]
#[php(name = "flame\\db\\kafka\\exception")]
#[php(extends(ce = runtime_exception_ce, stub = "\\RuntimeException"))]
#[derive(Default)]
pub struct KafkaException;

#[php_impl]
impl KafkaException {}

pub fn exception_ce() -> &'static ClassEntry {
    KafkaException::get_metadata().ce()
}

/// A `flame\db\kafka\exception` to throw right away.
pub fn kafka_exception(code: i32, message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), code, exception_ce())
}

/// librdkafka's numeric code for an error (0 when it has none).
pub fn code_of(err: &KafkaError) -> i32 {
    err.rdkafka_error_code().map(|c| c as i32).unwrap_or(RDKafkaErrorCode::Fail as i32)
}

/// "what failed: librdkafka's description" as failure data.
pub fn failure(what: &str, err: &KafkaError) -> Failure {
    Failure::kafka(code_of(err), format!("{what}: {}", describe(err)))
}

/// librdkafka's own description of an error, without Rust debug noise.
pub fn describe(err: &KafkaError) -> String {
    match err.rdkafka_error_code() {
        Some(code) => format!("{err} ({})", code_name(code)),
        None => err.to_string(),
    }
}

fn code_name(code: RDKafkaErrorCode) -> String {
    format!("{code:?}")
}

/// `\TypeError` with a message.
pub fn type_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, ce::type_error())
}

/// `\ValueError` with a message.
pub fn value_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, ce::value_error())
}
