//! The Zend engine boundary: every direct read of engine structs and every
//! engine function ext-php-rs does not wrap (warnings, ini values, object
//! properties, SPL's class globals, `bailout`). PHP thread only.

use ext_php_rs::ffi;
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::{ce, ClassEntry};
use std::ffi::CString;
use std::os::raw::{c_char, c_int};

extern "C" {
    // Exported by the PHP binary (ZEND_API); not in ext-php-rs' allow-list.
    fn zend_update_property_long(
        scope: *mut ffi::zend_class_entry,
        object: *mut ffi::zend_object,
        name: *const c_char,
        name_length: usize,
        value: ffi::zend_long,
    );
    fn zend_error(type_: c_int, format: *const c_char, ...);
    fn zend_update_property_string(
        scope: *mut ffi::zend_class_entry,
        object: *mut ffi::zend_object,
        name: *const c_char,
        name_length: usize,
        value: *const c_char,
    );
    fn zend_ini_long(name: *const c_char, name_length: usize, orig: c_int) -> i64;
}

const E_WARNING: c_int = 2;
const ZEND_USER_FUNCTION: u8 = 2;
const IS_UNUSED: u8 = 0;
const ZEND_ACC_STRICT_TYPES: u32 = 1 << 31;

/// The engine's executor globals, read on the PHP thread without
/// ext-php-rs' process-wide read lock (`ExecutorGlobals::get()` takes it on
/// every call: a measurable share of a million resumptions).
fn executor_globals() -> Option<&'static ffi::zend_executor_globals> {
    // SAFETY: the engine's globals are static (per thread under ZTS, where
    // this wrapper returns the calling thread's); only read here.
    unsafe { ffi::ext_php_rs_executor_globals().as_ref() }
}

/// Whether an exception (or an exit() unwind) is pending.
pub fn exception_pending() -> bool {
    executor_globals().is_some_and(|eg| !eg.exception.is_null())
}

/// The frame (and function) that called the internal function now running.
fn caller() -> Option<(&'static ffi::zend_execute_data, &'static ffi::zend_function)> {
    let eg = executor_globals()?;
    // SAFETY: frames on the engine's call stack outlive the internal call
    // that reads them; nothing here keeps them beyond it.
    unsafe {
        let frame = eg.current_execute_data.as_ref()?.prev_execute_data.as_ref()?;
        Some((frame, frame.func.as_ref()?))
    }
}

/// Whether the PHP code that called the current internal function uses its
/// return value (PHP's `USED_RET()`): false for a call that is a statement of
/// its own, like `$producer->produce($x);`. Calls from internal code
/// (callbacks, reflection) count as used.
pub fn return_value_used() -> bool {
    let Some((frame, func)) = caller() else { return true };
    // SAFETY: the caller's frame and its saved opline live while it waits for
    // us; `type_` is the first field of every zend_function variant.
    unsafe {
        if func.type_ != ZEND_USER_FUNCTION {
            return true;
        }
        frame.opline.as_ref().is_none_or(|op| op.result_type != IS_UNUSED)
    }
}

/// Whether the PHP code calling the current internal function uses strict_types.
pub fn caller_is_strict() -> bool {
    // SAFETY: `func` is the live function of the caller's frame (see caller());
    // `common` is valid for every function kind.
    caller().is_some_and(|(_, func)| unsafe { func.common.fn_flags } & ZEND_ACC_STRICT_TYPES != 0)
}

/// File and line of the `yield` where a suspended generator (checked by the
/// caller) is paused: its `execute_data->opline` points just past its YIELD
/// opcode, which carries the line of the `yield`.
pub fn generator_location(generator: &ZendObject) -> Option<(String, i64)> {
    let obj = generator as *const ZendObject as *const u8;
    // SAFETY: a live generator object is a `zend_generator`, whose first field
    // is the `zend_object` and the next one its `execute_data` (null or the
    // generator's frame, valid while it is suspended: we are not inside it).
    // `opline` points one past the YIELD, so `offset(-1)` stays in the same op
    // array; `func` is that frame's live function.
    unsafe {
        let ex = *(obj.add(std::mem::size_of::<ffi::zend_object>()) as *const *const ffi::zend_execute_data);
        let ex = ex.as_ref()?;
        if ex.opline.is_null() || ex.func.is_null() {
            return None;
        }
        let op = ex.opline.offset(-1).as_ref()?;
        let func = &*ex.func;
        if func.type_ != ZEND_USER_FUNCTION {
            return None;
        }
        let filename = func.op_array.filename.as_ref()?;
        let file = String::from_utf8_lossy(filename.as_bytes()).into_owned();
        Some((file, op.lineno as i64))
    }
}

/// Sets an exception's `file` and `line` (protected properties of \Exception).
pub fn set_exception_location(obj: &mut ZendObject, file: &str, line: i64) {
    let Ok(cfile) = CString::new(file) else { return };
    let scope = if obj.instance_of(ce::exception()) { ce::exception() } else { ce::error() };
    let scope = scope as *const ClassEntry as *mut ffi::zend_class_entry;
    let ptr = obj as *mut ZendObject as *mut ffi::zend_object;
    // SAFETY: `obj` is a live exception object (a &mut borrow); `scope` is the
    // ancestor declaring `file`/`line`; the names and `cfile` are NUL-terminated
    // and outlive the calls, which copy them.
    unsafe {
        zend_update_property_string(scope, ptr, c"file".as_ptr(), 4, cfile.as_ptr());
        zend_update_property_long(scope, ptr, c"line".as_ptr(), 4, line);
    }
}

/// Emits an `E_WARNING` (goes through PHP's error handling).
pub fn warning(message: &str) {
    let Ok(msg) = CString::new(message.replace('\0', "\\0")) else { return };
    // SAFETY: "%s" formats `msg`, a NUL-terminated string that outlives the call.
    unsafe { zend_error(E_WARNING, c"%s".as_ptr(), msg.as_ptr()) };
}

/// Reads an integer ini setting (by name) through the engine.
pub fn ini_long(name: &str) -> Option<i64> {
    let c = CString::new(name).ok()?;
    // SAFETY: `c` is a NUL-terminated copy of `name` that outlives the call.
    Some(unsafe { zend_ini_long(c.as_ptr(), name.len(), 0) })
}

/// `\RuntimeException`. It lives in SPL; its class entry is only reachable
/// through the exported global (not by name during module startup).
pub fn runtime_exception_ce() -> &'static ClassEntry {
    // SAFETY: dlsym only looks a symbol up; `spl_ce_RuntimeException` is PHP's
    // exported `zend_class_entry *` global, so a non-null result points to a
    // pointer that SPL set at its startup and never frees.
    unsafe {
        let sym = libc::dlsym(libc::RTLD_DEFAULT, c"spl_ce_RuntimeException".as_ptr());
        if !sym.is_null() {
            if let Some(ce) = (*(sym as *const *const ClassEntry)).as_ref() {
                return ce;
            }
        }
    }
    ce::exception()
}

/// Resumes the engine's unwind after a fatal error was caught while PHP code
/// ran (`zend_bailout`: a longjmp to the outermost `zend_try`).
///
/// Rust frames between here and that `zend_try` are not unwound: their
/// locals are not dropped. Callers drop what they own first, or say why
/// leaking it once, on a fatal error that ends the request, is acceptable.
pub fn resume_bailout() -> ! {
    // SAFETY: only called after ext-php-rs' try_catch caught a bailout on this
    // thread, so the engine has a zend_try to jump to; the skipped frames are
    // the callers' (see above).
    unsafe { ext_php_rs::zend::bailout() }
}

/// Whether `v` is a `\Generator` object.
pub fn is_generator(v: &Zval) -> bool {
    static GENERATOR_CE: once_cell::sync::OnceCell<usize> = once_cell::sync::OnceCell::new();
    let generator = *GENERATOR_CE
        .get_or_init(|| ClassEntry::try_find("Generator").map(|c| c as *const ClassEntry as usize).unwrap_or(0));
    match v.object() {
        Some(obj) => obj.get_class_entry() as *const ClassEntry as usize == generator,
        None => false,
    }
}
