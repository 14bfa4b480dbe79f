//! `#[\SensitiveParameter]` on parameters of internal methods (PHP ≥ 8.2):
//! PHP then shows a `SensitiveParameterValue` instead of the argument in
//! exception traces and `debug_backtrace()` (with the default
//! `zend.exception_ignore_args=0`), as php-src's own stubs do for
//! passwords (`zend_add_parameter_attribute` in generated arginfo).
//!
//! Attributes go on the registered `zend_function`s, so they can only be
//! added once every class is registered: ext-php-rs registers classes after
//! the module's own startup hook, so the marking runs from the engine's
//! post-startup callback (`zend_post_startup_cb`, chained). Module startup
//! only (one thread, before any request).

use ext_php_rs::ffi;
use ext_php_rs::types::ZendStr;
use ext_php_rs::zend::ClassEntry;
use std::sync::Mutex;

extern "C" {
    // Exported by the PHP binary (ZEND_API, zend_attributes.h); the inline
    // zend_add_parameter_attribute() calls it with `offset = arg + 1`.
    fn zend_add_attribute(
        attributes: *mut *mut ffi::HashTable,
        name: *mut ffi::zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut std::ffi::c_void;
    // zend.h: called once by zend_post_startup(), after every module's MINIT.
    static mut zend_post_startup_cb: Option<unsafe extern "C" fn() -> i32>;
}

/// zend_attributes.h: the attribute lives as long as the (internal) function.
const ZEND_ATTRIBUTE_PERSISTENT: u32 = 1;

type Hook = fn();

/// What to run after startup, and the callback that was installed before ours.
static HOOK: Mutex<(Option<Hook>, Option<unsafe extern "C" fn() -> i32>)> = Mutex::new((None, None));

unsafe extern "C" fn post_startup() -> i32 {
    let (hook, prev) = match HOOK.lock() {
        Ok(h) => *h,
        Err(_) => return 0,
    };
    if let Some(hook) = hook {
        // A panic here would abort PHP; a parameter left unmarked would not.
        let _ = std::panic::catch_unwind(hook);
    }
    match prev {
        // SAFETY: the callback another module installed before us, called
        // once as zend_post_startup() would have.
        Some(prev) => unsafe { prev() },
        None => 0,
    }
}

/// Runs `hook` once every module's classes are registered (call during
/// module startup).
pub fn after_startup(hook: Hook) {
    let Ok(mut h) = HOOK.lock() else { return };
    // SAFETY: module startup runs on one thread before any request; the
    // engine reads and clears this pointer in zend_post_startup(), later.
    unsafe {
        let cb = &raw mut zend_post_startup_cb;
        if h.0.is_none() {
            h.1 = *cb;
            *cb = Some(post_startup);
        }
    }
    h.0 = Some(hook);
}

/// Marks parameter `arg` (0-based) of `class::method` `#[\SensitiveParameter]`.
/// Whether the method was found.
pub fn mark(class: &ClassEntry, method: &str, arg: u32) -> bool {
    let lc = method.to_ascii_lowercase();
    let Some(entry) = class.function_table.get(lc.as_str()) else { return false };
    // SAFETY: a class's function table holds `zend_function *` entries (IS_PTR).
    let Some(func) = (unsafe { entry.ptr::<ffi::zend_function>() }) else { return false };
    // Interned and permanent: the attribute (persistent, like the function)
    // keeps it without a reference count.
    let name = ZendStr::new_interned("SensitiveParameter", true).into_raw();
    // SAFETY: `func` is a registered internal method of a class that lives
    // until module shutdown (which frees its attributes); nothing reads its
    // attributes concurrently (post-startup, one thread). `name` is a
    // permanent interned string.
    unsafe {
        zend_add_attribute(&raw mut (*func).common.attributes, name, 0, ZEND_ATTRIBUTE_PERSISTENT, arg + 1, 0);
    }
    true
}
