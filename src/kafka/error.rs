//! `flame\db\kafka\exception` and the vocabulary of librdkafka errors: every
//! code by its name (`Code::InvalidArgument`, never -186), the exception and
//! the failure built from a code, and librdkafka's description of an error.

use crate::runtime::completion::Failure;
use crate::runtime::{engine, errors};
use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder};
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::{DataType, MethodFlags, PropertyFlags};
use ext_php_rs::types::Zval;
use ext_php_rs::zend::ExecuteData;
use rdkafka::error::KafkaError;

/// librdkafka's error codes, by name (rust-rdkafka's enum).
pub use rdkafka::error::RDKafkaErrorCode as Code;

/// Registers `flame\db\kafka\exception extends \RuntimeException` (at
/// module startup) and makes it the runtime's domain exception class. Built
/// with the class builder rather than `#[php_class]` so that PHP's own
/// exception object handlers stay in place: file, line, trace, `new`,
/// subclassing and `getCode()` behave like any exception.
pub fn register_exception_class() -> ext_php_rs::error::Result<()> {
    let possibly_persisted = FunctionBuilder::new("possibly_persisted", possibly_persisted)
        .returns(DataType::Bool, false, false)
        .docs(&["/// Whether a failed delivery may still have stored the message (a retry may duplicate it)."]);
    ClassBuilder::new("flame\\db\\kafka\\exception")
        .extends((engine::runtime_exception_ce, "\\RuntimeException"))
        .property(ClassProperty {
            name: POSSIBLY_PERSISTED.to_string(),
            flags: PropertyFlags::Protected,
            default: Some(Box::new(|| Ok(Zval::from(false)))),
            docs: &[],
            ty: None,
            nullable: false,
            readonly: false,
            default_stub: None,
        })
        .method(possibly_persisted, MethodFlags::Public)
        .registration(|ce, _| errors::set_domain_class(ce))
        .register()
}

/// The protected property behind `possibly_persisted()`; a failure whose
/// `set_true` names it sets it on its exception.
pub const POSSIBLY_PERSISTED: &str = "possibly_persisted";

extern "C" {
    fn zend_read_property(
        scope: *mut ext_php_rs::ffi::zend_class_entry,
        object: *mut ext_php_rs::ffi::zend_object,
        name: *const std::os::raw::c_char,
        name_length: usize,
        silent: bool,
        rv: *mut Zval,
    ) -> *mut Zval;
}

/// `exception::possibly_persisted(): bool` — `true` when the message of a
/// failed delivery may have been stored anyway (librdkafka's
/// `rd_kafka_message_status()` said "possibly persisted": it timed out in
/// flight), `false` when it certainly was not, and for every other failure.
extern "C" fn possibly_persisted(ex: &mut ExecuteData, retval: &mut Zval) {
    let value = ex
        .get_self()
        .map(|obj| {
            let mut rv = Zval::new();
            // SAFETY: `obj` is the live `$this` of this method call (PHP
            // thread); the engine reads the property with the object's class
            // as scope (it is declared there, protected) into `rv` or returns
            // a pointer into the object, valid during this call.
            unsafe {
                let ptr = obj as *mut _ as *mut ext_php_rs::ffi::zend_object;
                let z = zend_read_property(
                    (*ptr).ce,
                    ptr,
                    POSSIBLY_PERSISTED.as_ptr() as *const _,
                    POSSIBLY_PERSISTED.len(),
                    true,
                    &mut rv,
                );
                z.as_ref().is_some_and(Zval::is_true)
            }
        })
        .unwrap_or(false);
    retval.set_bool(value);
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
