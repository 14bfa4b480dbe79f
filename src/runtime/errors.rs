//! The one place PHP errors are built: `\TypeError`, `\ValueError`,
//! `\LogicException`, `\RuntimeException`, `\Error` and the exception class
//! the layer above registers (`flame\db\kafka\exception`, injected with
//! `set_domain_class`), in PHP's own wording; PHP type names as PHP writes
//! them; the warning for a failure nobody observed. PHP thread only.

use crate::runtime::completion::{Failure, FailureKind};
use crate::runtime::engine;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::{throw_with_code, PhpException};
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ce, ClassEntry, ExecutorGlobals};
use std::fmt::Display;
use std::sync::atomic::{AtomicPtr, Ordering};

static DOMAIN_CE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());

/// Sets the class `FailureKind::Domain` failures are thrown as (at module
/// startup, by the layer that registers it).
pub fn set_domain_class(ce: &'static ClassEntry) {
    DOMAIN_CE.store(ce as *const ClassEntry as *mut ClassEntry, Ordering::Release);
}

/// The injected domain exception class (`\RuntimeException` until one is set).
pub fn domain_class() -> &'static ClassEntry {
    let ce = DOMAIN_CE.load(Ordering::Acquire);
    // SAFETY: DOMAIN_CE is null or a class entry handed to set_domain_class as
    // &'static (the engine keeps class entries until module shutdown).
    unsafe { ce.as_ref() }.unwrap_or_else(engine::runtime_exception_ce)
}

fn named(name: &str) -> &'static ClassEntry {
    ClassEntry::try_find(name).unwrap_or_else(ce::exception)
}

/// The class a failure is thrown as.
fn class_of(kind: FailureKind) -> &'static ClassEntry {
    match kind {
        FailureKind::Domain => domain_class(),
        FailureKind::Runtime => named("RuntimeException"),
        FailureKind::Logic => named("LogicException"),
        FailureKind::Error => ce::error(),
    }
}

/// Builds (without throwing) the exception object for `f`.
pub fn exception_object(f: &Failure) -> ZBox<ZendObject> {
    let message = f.message.replace('\0', "\\0");
    let _ = throw_with_code(class_of(f.kind), f.code, &message);
    let mut obj = match ExecutorGlobals::take_exception() {
        Some(obj) => obj,
        None => ZendObject::new(class_of(f.kind)),
    };
    for name in &f.set_true {
        let ptr = &mut *obj as *mut ZendObject as *mut ext_php_rs::ffi::zend_object;
        // SAFETY: a live object we own (PHP thread); its class declares the
        // property, written with the object's own class as scope.
        unsafe {
            let scope = (*ptr).ce;
            zend_update_property_bool(scope, ptr, name.as_ptr() as *const _, name.len(), 1);
        }
    }
    obj
}

extern "C" {
    // Exported by the PHP binary (ZEND_API); not in ext-php-rs' allow-list.
    fn zend_update_property_bool(
        scope: *mut ext_php_rs::ffi::zend_class_entry,
        object: *mut ext_php_rs::ffi::zend_object,
        name: *const std::os::raw::c_char,
        name_length: usize,
        value: ext_php_rs::ffi::zend_long,
    );
}

/// A domain exception (`flame\db\kafka\exception`) to throw right away.
pub fn domain_exception(code: i32, message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), code, domain_class())
}

/// `\TypeError` with a message.
pub fn type_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, ce::type_error())
}

/// `\ValueError` with a message.
pub fn value_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, ce::value_error())
}

/// `\RuntimeException` with a message.
pub fn runtime_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, named("RuntimeException"))
}

/// `\LogicException` with a message.
pub fn logic_error(message: impl Into<String>) -> PhpException {
    PhpException::new(message.into(), 0, named("LogicException"))
}

/// A PHP function or method as its argument errors name it
/// (`flame\db\kafka\producer::produce`): PHP's own wording,
/// `…(): Argument #1 ($payload) must be of type string, array given`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Func(pub &'static str);

impl Func {
    /// The function's name.
    pub fn name(self) -> &'static str {
        self.0
    }

    /// How PHP names argument `n` (`$name`) of this function in errors:
    /// `flame\time\sleep(): Argument #1 ($ms)`.
    pub fn arg(self, n: u32, name: &str) -> String {
        format!("{}(): Argument #{n} (${name})", self.0)
    }

    /// `\TypeError`: argument `n` (`$name`) is not of type `expected`.
    pub fn arg_type(self, n: u32, name: &str, expected: &str, given: &Zval) -> PhpException {
        let given = type_name(given);
        if expected == "callable" {
            self.arg_type_error(n, name, format!("must be a valid callback, {given} given"))
        } else {
            self.arg_type_error(n, name, format!("must be of type {expected}, {given} given"))
        }
    }

    /// `\TypeError` for argument `n` (`$name`): `…(): Argument #n ($name) {what}`.
    pub fn arg_type_error(self, n: u32, name: &str, what: impl Display) -> PhpException {
        type_error(format!("{} {what}", self.arg(n, name)))
    }

    /// `\ValueError` for argument `n` (`$name`): `…(): Argument #n ($name) {what}`.
    pub fn arg_value_error(self, n: u32, name: &str, what: impl Display) -> PhpException {
        value_error(format!("{} {what}", self.arg(n, name)))
    }
}

/// What names a function in argument errors: a `Func`, or its name as
/// text (for names built at run time).
pub trait FuncName {
    fn func_name(&self) -> &str;
}

impl FuncName for Func {
    fn func_name(&self) -> &str {
        self.0
    }
}

impl FuncName for &str {
    fn func_name(&self) -> &str {
        self
    }
}

impl FuncName for &String {
    fn func_name(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// `\TypeError` for argument `n` (`$name`) of `func`: `…(): Argument #n ($name) {what}`.
pub fn arg_type_error(func: &impl FuncName, n: u32, name: &str, what: impl Display) -> PhpException {
    type_error(format!("{}(): Argument #{n} (${name}) {what}", func.func_name()))
}

/// PHP's name for the type of a value, as in its own TypeError messages
/// (`null`, `bool`, `int`, `float`, `string`, `array`, the class name, `resource`).
pub fn type_name(z: &Zval) -> String {
    let z = z.dereference();
    if z.is_null() {
        "null".into()
    } else if z.is_bool() {
        "bool".into()
    } else if z.is_long() {
        "int".into()
    } else if z.is_double() {
        "float".into()
    } else if z.is_string() {
        "string".into()
    } else if z.is_array() {
        "array".into()
    } else if let Some(o) = z.object() {
        o.get_class_name().unwrap_or_else(|_| "object".into())
    } else {
        "resource".into()
    }
}

/// The warning for a failure nobody observed: `what` names the operation
/// (`flame\db\kafka\producer::produce()`), or is `None` when the message
/// already names it.
pub fn warn_unobserved(what: Option<&str>, message: &str) {
    match what {
        Some(what) => engine::warning(&format!("flame: unobserved failure of {what}: {message}")),
        None => engine::warning(&format!("flame: unobserved failure of {message}")),
    }
}
