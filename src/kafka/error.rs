//! `flame\db\kafka\exception` and the conversion of librdkafka errors.

use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::exception::PhpException;
use ext_php_rs::zend::{ce, ClassEntry};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::sync::atomic::{AtomicPtr, Ordering};

/// `\RuntimeException` lives in SPL; its class entry is only reachable
/// through the exported global (not by name during module startup).
fn runtime_exception_ce() -> &'static ClassEntry {
    // SAFETY: dlsym only looks a symbol up; `spl_ce_RuntimeException` is PHP's exported `zend_class_entry *`
    // global, so a non-null result points to a pointer that SPL set at its startup and never frees.
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

static EXCEPTION_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());

/// Registers `flame\db\kafka\exception extends \RuntimeException` (at
/// module startup). Built with the class builder rather than `#[php_class]`
/// so that PHP's own exception object handlers stay in place: file, line,
/// trace, `new`, subclassing and `getCode()` behave like any exception.
pub fn register_exception_class() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new("flame\\db\\kafka\\exception")
        .extends((runtime_exception_ce, "\\RuntimeException"))
        .registration(|ce, _| EXCEPTION_CE.store(ce as *mut ClassEntry, Ordering::Release))
        .register()
}

pub fn exception_ce() -> &'static ClassEntry {
    let ce = EXCEPTION_CE.load(Ordering::Acquire);
    // SAFETY: EXCEPTION_CE is null or the class entry PHP handed to our registration callback; class entries
    // live until module shutdown.
    unsafe { ce.as_ref() }.unwrap_or_else(runtime_exception_ce)
}

/// A `flame\db\kafka\exception` to throw right away.
pub fn kafka_exception(code: i32, message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), code, exception_ce())
}

/// librdkafka's numeric code for an error (0 when it has none).
pub fn code_of(err: &KafkaError) -> i32 {
    err.rdkafka_error_code().map(|c| c as i32).unwrap_or(RDKafkaErrorCode::Fail as i32)
}

/// librdkafka's own description of an error, without Rust debug noise.
pub fn describe(err: &KafkaError) -> String {
    match err.rdkafka_error_code() {
        Some(code) => format!("{err} ({code:?})"),
        None => err.to_string(),
    }
}

/// `\TypeError` with a message.
pub fn type_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, ce::type_error())
}

/// `\ValueError` with a message.
pub fn value_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, ce::value_error())
}
