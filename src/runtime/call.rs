//! Calling into PHP with exceptions, exits and fatal errors captured.
//! PHP thread only.

use crate::runtime::completion::Failure;
use crate::runtime::engine;
use crate::runtime::errors;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZvalDyn;
use ext_php_rs::types::{ZendCallable, ZendObject, Zval};
use ext_php_rs::zend::{ce, try_catch, ExecutorGlobals};
use std::panic::AssertUnwindSafe;

/// Why a call into PHP did not return normally.
pub enum Raised {
    /// A `\Throwable` was thrown and is now owned by us (no longer pending).
    Exception(ZBox<ZendObject>),
    /// `exit()`/`die()` (or another engine-internal unwind): left pending so
    /// PHP keeps unwinding once control returns to it.
    Exit,
    /// A fatal error jumped out (zend_bailout): must be resumed with
    /// `engine::resume_bailout()`.
    Bailout,
}

/// Takes the pending exception, if any: after a call into PHP, or one left
/// pending outside of any call (see the scheduler).
pub fn take_pending() -> Option<Raised> {
    if !engine::exception_pending() {
        return None;
    }
    let is_throwable = ExecutorGlobals::get().exception().map(|e| e.instance_of(ce::throwable())).unwrap_or(false);
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
            Err(Raised::Exception(errors::exception_object(&f)))
        }
        Ok(ret) => match take_pending() {
            Some(r) => Err(r),
            None => Ok(ret.unwrap_or_else(Zval::null)),
        },
    }
}

/// `$obj->$name(...$args)` with exceptions captured.
pub fn call_method(obj: &Zval, name: &str, args: Vec<&dyn IntoZvalDyn>) -> Result<Zval, Raised> {
    guarded(|| obj.try_call_method(name, args).ok())
}

/// `$callable(...$args)` with exceptions captured.
pub fn call(callable: &Zval, args: Vec<&dyn IntoZvalDyn>) -> Result<Zval, Raised> {
    guarded(|| ZendCallable::new(callable).ok().and_then(|c| c.try_call(args).ok()))
}

/// A zval owning `obj` (handing over the reference the box holds).
pub fn object_zval(obj: ZBox<ZendObject>) -> Zval {
    let mut zv = Zval::new();
    // Infallible for objects: the box's reference moves into the zval.
    let _ = ext_php_rs::convert::IntoZval::set_zval(obj, &mut zv, false);
    zv
}
