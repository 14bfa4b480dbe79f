//! Small, careful helpers around the Zend engine used by the scheduler:
//! calling into PHP with exceptions, exits and fatal errors captured,
//! recognising generators, building exceptions from failures, warnings.
//! Everything here runs on the PHP thread only.

use crate::runtime::completion::{Failure, FailureKind};
use ext_php_rs::exception::throw_with_code;
use ext_php_rs::ffi;
use ext_php_rs::types::{ZendCallable, ZendObject, Zval};
use ext_php_rs::zend::{ce, try_catch, ClassEntry, ExecutorGlobals};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use std::ffi::CString;
use std::os::raw::{c_char, c_int};
use std::panic::AssertUnwindSafe;

extern "C" {
    // Exported by the PHP binary (ZEND_API); not in ext-php-rs' allow-list.
    fn zend_update_property_long(
        scope: *mut ffi::zend_class_entry,
        object: *mut ffi::zend_object,
        name: *const c_char,
        name_length: usize,
        value: ffi::zend_long,
    );
    fn zend_update_property_string(
        scope: *mut ffi::zend_class_entry,
        object: *mut ffi::zend_object,
        name: *const c_char,
        name_length: usize,
        value: *const c_char,
    );
}

const E_WARNING: c_int = 2;

/// Why a call into PHP did not return normally.
pub enum Raised {
    /// A `\Throwable` was thrown and is now owned by us (no longer pending).
    Exception(ZBox<ZendObject>),
    /// `exit()`/`die()` (or another engine-internal unwind): left pending so
    /// PHP keeps unwinding once control returns to it.
    Exit,
    /// A fatal error jumped out (zend_bailout): must be resumed with `bailout()`.
    Bailout,
}

/// Takes the pending exception after a call into PHP, if any.
fn take_pending() -> Option<Raised> {
    if !ExecutorGlobals::has_exception() {
        return None;
    }
    let is_throwable = ExecutorGlobals::get()
        .exception()
        .map(|e| e.instance_of(ce::throwable()))
        .unwrap_or(false);
    if !is_throwable {
        return Some(Raised::Exit);
    }
    ExecutorGlobals::take_exception().map(Raised::Exception)
}

/// Runs `f` (which calls into PHP), catching fatal errors and collecting
/// whatever was thrown.
pub fn guarded<F: FnOnce() -> Option<Zval>>(f: F) -> Result<Zval, Raised> {
    match try_catch(AssertUnwindSafe(f)) {
        Err(ext_php_rs::zend::CatchError::Bailout) => Err(Raised::Bailout),
        Err(_) => {
            let f = Failure::runtime("flame: internal error (a Rust panic) while calling PHP code");
            Err(Raised::Exception(exception_object(&f)))
        }
        Ok(ret) => match take_pending() {
            Some(r) => Err(r),
            None => Ok(ret.unwrap_or_else(Zval::null)),
        },
    }
}

/// `$obj->$name(...$args)` with exceptions captured.
pub fn call_method(obj: &Zval, name: &str, args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>) -> Result<Zval, Raised> {
    guarded(|| obj.try_call_method(name, args).ok())
}

/// `$callable(...$args)` with exceptions captured.
pub fn call(callable: &Zval, args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>) -> Result<Zval, Raised> {
    guarded(|| ZendCallable::new(callable).ok().and_then(|c| c.try_call(args).ok()))
}

static GENERATOR_CE: once_cell::sync::OnceCell<usize> = once_cell::sync::OnceCell::new();

fn generator_ce() -> usize {
    *GENERATOR_CE.get_or_init(|| {
        ClassEntry::try_find("Generator").map(|c| c as *const ClassEntry as usize).unwrap_or(0)
    })
}

/// Whether `v` is a `\Generator` object.
pub fn is_generator(v: &Zval) -> bool {
    match v.object() {
        Some(obj) => obj.get_class_entry() as *const ClassEntry as usize == generator_ce(),
        None => false,
    }
}

/// The class a failure is thrown as.
fn class_of(kind: FailureKind) -> &'static ClassEntry {
    match kind {
        FailureKind::Kafka => crate::kafka::error::exception_ce(),
        FailureKind::Runtime => ClassEntry::try_find("RuntimeException").unwrap_or_else(ce::exception),
        FailureKind::Logic => ClassEntry::try_find("LogicException").unwrap_or_else(ce::exception),
    }
}

/// Builds (without throwing) the exception object for `f`.
pub fn exception_object(f: &Failure) -> ZBox<ZendObject> {
    let message = f.message.replace('\0', "\\0");
    let _ = throw_with_code(class_of(f.kind), f.code, &message);
    match ExecutorGlobals::take_exception() {
        Some(obj) => obj,
        None => ZendObject::new(class_of(f.kind)),
    }
}

/// Sets an exception's `file` and `line` (protected properties of \Exception).
pub fn set_exception_location(obj: &mut ZendObject, file: &str, line: i64) {
    let Ok(cfile) = CString::new(file) else { return };
    let scope = if obj.instance_of(ce::exception()) { ce::exception() } else { ce::error() };
    let scope = scope as *const ClassEntry as *mut ffi::zend_class_entry;
    let ptr = obj as *mut ZendObject as *mut ffi::zend_object;
    unsafe {
        zend_update_property_string(scope, ptr, c"file".as_ptr(), 4, cfile.as_ptr());
        zend_update_property_long(scope, ptr, c"line".as_ptr(), 4, line);
    }
}

/// File and line where a suspended generator is paused (its `yield`).
pub fn generator_location(gen: &Zval) -> Option<(String, i64)> {
    let ce = ClassEntry::try_find("ReflectionGenerator")?;
    let refl_zv = ZendObject::new(ce).into_zval(false).ok()?;
    guarded(|| refl_zv.try_call_method("__construct", vec![gen]).ok()).ok()?;
    let file = guarded(|| refl_zv.try_call_method("getExecutingFile", vec![]).ok()).ok()?;
    let line = guarded(|| refl_zv.try_call_method("getExecutingLine", vec![]).ok()).ok()?;
    Some((file.string()?, line.long()?))
}

/// Emits an `E_WARNING` (goes through PHP's error handling).
pub fn warning(message: &str) {
    let Ok(msg) = CString::new(message.replace('\0', "\\0")) else { return };
    unsafe {
        ffi::php_error_docref(std::ptr::null(), E_WARNING, c"%s".as_ptr(), msg.as_ptr());
    }
}

/// A `callable` parameter that keeps the zval (ext-php-rs' `ZendCallable`
/// does not give it back).
pub struct CallableArg<'a>(pub &'a Zval);

impl<'a> ext_php_rs::convert::FromZval<'a> for CallableArg<'a> {
    const TYPE: ext_php_rs::flags::DataType = ext_php_rs::flags::DataType::Callable;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        if zval.is_callable() {
            Some(CallableArg(zval))
        } else {
            None
        }
    }
}
