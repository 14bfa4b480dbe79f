//! Fiber coroutines: a `flame\go()` callable that is not a generator
//! function runs inside a PHP `\Fiber`, and `wait()` inside it suspends only
//! that fiber (`Fiber::suspend()`, called from the internal `wait()`; PHP's
//! fibers switch whole C stacks, so an internal function may suspend).
//! The scheduler resumes it when the operation settles; `wait()` then reads
//! the result itself, so a failure is thrown from the `wait()` line.
//! Everything here runs on the PHP thread.

use crate::runtime::call::{self, Raised};
use crate::runtime::errors::exception_object;
use ext_php_rs::ffi;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::ClassEntry;
use std::cell::Cell;

/// `ZEND_ACC_GENERATOR` (Zend/zend_compile.h): the function contains `yield`.
const ZEND_ACC_GENERATOR: u32 = 1 << 24;

/// Whether calling `callable` returns a `\Generator` by construction (its
/// function contains `yield`). Such a coroutine needs no fiber.
pub fn is_generator_function(callable: &Zval) -> bool {
    // SAFETY: zend_fcall_info_cache is plain data filled by the engine; the
    // callable zval lives for the call, zend_is_callable_ex only reads it
    // (it may resolve a string callable, which is what we want).
    unsafe {
        let mut fcc: ffi::zend_fcall_info_cache = std::mem::zeroed();
        let zv = callable as *const Zval as *mut ffi::zval;
        if !ffi::zend_is_callable_ex(zv, std::ptr::null_mut(), 0, std::ptr::null_mut(), &mut fcc, std::ptr::null_mut())
        {
            return false;
        }
        match fcc.function_handler.as_ref() {
            Some(f) => f.common.fn_flags & ZEND_ACC_GENERATOR != 0,
            None => false,
        }
    }
}

/// `new \Fiber($callable)`.
pub fn new_fiber(callable: &Zval) -> Result<Zval, Raised> {
    let ce = ClassEntry::try_find("Fiber").ok_or_else(|| internal("the Fiber class is missing"))?;
    let obj = ext_php_rs::types::ZendObject::new(ce);
    let fiber = call::object_zval(obj);
    call::call_method(&fiber, "__construct", vec![callable])?;
    Ok(fiber)
}

/// What a fiber did when it was last started or resumed.
pub enum Ran {
    /// It is suspended (waiting in `wait()`).
    Suspended,
    /// It returned this value.
    Returned(Zval),
}

thread_local! {
    /// The fiber just suspended itself in `wait()` (saves asking isTerminated()).
    static SUSPENDED_IN_WAIT: Cell<bool> = const { Cell::new(false) };
}

/// Starts (`started == false`) or resumes the fiber until it suspends or ends.
pub fn run(fiber: &Zval, started: bool) -> Result<Ran, Raised> {
    SUSPENDED_IN_WAIT.with(|s| s.set(false));
    let _ =
        if started { call::call_method(fiber, "resume", vec![])? } else { call::call_method(fiber, "start", vec![])? };
    if SUSPENDED_IN_WAIT.with(|s| s.replace(false)) {
        return Ok(Ran::Suspended);
    }
    // Ended, or suspended by code of its own (Fiber::suspend()).
    if call::call_method(fiber, "isTerminated", vec![])?.is_true() {
        return Ok(Ran::Returned(call::call_method(fiber, "getReturn", vec![])?));
    }
    Ok(Ran::Suspended)
}

/// The fiber running right now (its object), if any.
pub fn active() -> Option<*const ffi::zend_object> {
    // SAFETY: the executor globals of this (the PHP) thread; `active_fiber`
    // is null or a live zend_fiber, whose first member is its zend_object.
    unsafe {
        let eg = ffi::ext_php_rs_executor_globals().as_ref()?;
        let f = eg.active_fiber;
        (!f.is_null()).then_some(f as *const ffi::zend_object)
    }
}

/// The zend_object of a fiber zval (to compare with `active()`).
pub fn object_of(fiber: &Zval) -> Option<*const ffi::zend_object> {
    fiber.object().map(|o| o as *const _ as *const ffi::zend_object)
}

/// `Fiber::suspend()` from inside the running `fiber`; returns when the
/// scheduler resumes it.
pub fn suspend(fiber: &Zval) -> Result<(), Raised> {
    SUSPENDED_IN_WAIT.with(|s| s.set(true));
    // The static method, called through the instance: no lookup by name string.
    call::call_method(fiber, "suspend", vec![])?;
    Ok(())
}

fn internal(what: &str) -> Raised {
    let f = crate::runtime::completion::Failure::logic(format!("flame: internal error: {what}"));
    Raised::Exception(exception_object(&f))
}
