//! `flame\awaitable`: the handle of one asynchronous operation.

use crate::runtime::completion::OpId;
use crate::runtime::php::{self, CallableArg};
use crate::runtime::scheduler::{self, Settled, Stop, Thrown};
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, Zval};
use ext_php_rs::zend::ClassEntry;

/// The result of an asynchronous operation. `yield` it inside a coroutine,
/// or call `wait()` in a plain script.
#[php_class]
#[php(name = "flame\\awaitable")]
#[php(flags = ClassFlags::Final)]
pub struct Awaitable {
    /// The operation's slot in the scheduler; 0 when the value is `resolved`.
    id: OpId,
    /// The value of an awaitable that had it at birth (no slot needed).
    resolved: Option<Zval>,
}

impl Awaitable {
    /// Wraps an operation registered with the scheduler.
    pub fn for_op(id: OpId) -> Self {
        Self { id, resolved: None }
    }

    /// The awaitable of an operation whose result the caller discards (see
    /// `completion::DETACHED`); PHP frees it right after the call.
    pub fn detached() -> Self {
        Self::for_op(crate::runtime::completion::DETACHED)
    }

    /// An awaitable that is already failed (thrown at its `yield`).
    pub fn failed(what: &'static str, thrown: Thrown) -> Self {
        Self::for_op(scheduler::settled_op(what, Settled::Err(thrown)))
    }

    /// An awaitable that already has its value: it carries it itself (a
    /// message the consumer had at hand), no operation slot involved.
    pub fn resolved(value: Zval) -> Self {
        Self { id: 0, resolved: Some(value) }
    }
}

/// What a yielded awaitable stands for.
pub enum Target {
    /// An operation of the scheduler.
    Op(OpId),
    /// A value it already carries.
    Value(Zval),
}

/// What an awaitable zval stands for, if it is one.
pub fn target_of(v: &Zval) -> Option<Target> {
    let obj = v.object()?;
    let a = ZendClassObject::<Awaitable>::from_zend_obj(obj)?;
    Some(match &a.resolved {
        Some(value) => Target::Value(value.shallow_clone()),
        None => Target::Op(a.id),
    })
}

fn logic_error(message: &str) -> PhpException {
    let ce = ClassEntry::try_find("LogicException").unwrap_or_else(ext_php_rs::zend::ce::exception);
    PhpException::new(message.into(), 0, ce)
}

/// Converts a stop of the loop into what PHP should see.
pub fn stop_to_php(stop: Stop) -> PhpResult<()> {
    match stop {
        Stop::Uncaught(e) => Err(rethrow(php::object_zval(e))),
        // exit(): the unwind marker is still pending; returning lets PHP go on.
        Stop::Engine(php::Raised::Exit) | Stop::Engine(php::Raised::Exception(_)) => Ok(()),
        // SAFETY: a fatal error was caught by try_catch while PHP code ran; the engine must resume its unwind
        // with bailout() (longjmp to the outermost zend_try). The locals skipped over are this function's
        // `stop` (already moved out) and the callers' frames up to the internal function's handler, which
        // hold no PHP values borrowed from the engine: leaking their Rust allocations once, on a fatal error
        // that ends the request, is accepted.
        Stop::Engine(php::Raised::Bailout) => unsafe { ext_php_rs::zend::bailout() },
        Stop::Deadlock(msg) => Err(logic_error(&format!("flame: deadlock: {msg}"))),
    }
}

/// Turns a settled result into a return value or a thrown exception.
pub fn settled_to_php(settled: Settled) -> PhpResult<Zval> {
    match settled {
        Settled::Ok(v) => Ok(v),
        Settled::Err(Thrown::Object(z)) => Err(rethrow(z)),
        Settled::Err(Thrown::Failure(f)) => Err(rethrow(php::object_zval(php::exception_object(&f)))),
    }
}

/// Throws an existing exception object (its class, message and trace kept).
fn rethrow(exception: Zval) -> PhpException {
    PhpException::from_message(String::new()).with_object(exception)
}

#[php_impl]
impl Awaitable {
    /// Blocks until the operation ends and returns its value (or throws its
    /// failure). For synchronous scripts: refused inside a running coroutine.
    pub fn wait(&self) -> PhpResult<Zval> {
        if let Some(v) = &self.resolved {
            return Ok(v.shallow_clone());
        }
        // Inside a Fiber coroutine, or under Revolt: suspend, not block.
        if let Some(suspended) = crate::runtime::drivers::wait_for(self.id) {
            if let Err(raised) = suspended {
                return raised_to_php(raised);
            }
            return match scheduler::take_result(self.id) {
                Some(settled) => settled_to_php(settled),
                None => Err(logic_error("this flame\\awaitable belongs to a finished request and can never resolve")),
            };
        }
        if scheduler::in_coroutine() {
            return Err(logic_error(
                "flame\\awaitable::wait() cannot be called inside a running coroutine \
                 (it would stall every other coroutine): use yield",
            ));
        }
        if let Err(stop) = scheduler::drive(Some(self.id)) {
            stop_to_php(stop)?;
            return Ok(Zval::null());
        }
        match scheduler::take_result(self.id) {
            Some(settled) => settled_to_php(settled),
            None => Err(logic_error("this flame\\awaitable belongs to a finished request and can never resolve")),
        }
    }

    /// Whether the operation has ended (resolved or failed).
    pub fn ready(&self) -> bool {
        self.resolved.is_some() || scheduler::is_settled(self.id)
    }

    /// Calls exactly one of the callbacks once, after the awaitable settles
    /// (never from inside `then()`): `$on_value($value)` or `$on_error($e)`.
    pub fn then(&self, on_value: CallableArg, on_error: Option<CallableArg>) -> PhpResult<()> {
        let on_value = on_value.get("flame\\awaitable::then", 1, "on_value")?.shallow_clone();
        let on_error = match on_error {
            Some(e) if !e.0.is_null() => Some(e.get("flame\\awaitable::then", 2, "on_error")?.shallow_clone()),
            _ => None,
        };
        let value = self.resolved.as_ref().map(|v| v.shallow_clone());
        crate::runtime::then::register(self.id, value, on_value, on_error);
        Ok(())
    }
}

/// A call into PHP that did not return normally, as what `wait()` returns.
fn raised_to_php(raised: php::Raised) -> PhpResult<Zval> {
    match raised {
        php::Raised::Exception(e) => Err(rethrow(php::object_zval(e))),
        // exit() or a fiber being destroyed: the unwind is still pending.
        php::Raised::Exit => Ok(Zval::null()),
        // SAFETY: resumes the fatal error's unwind that was caught in the fiber.
        php::Raised::Bailout => unsafe { ext_php_rs::zend::bailout() },
    }
}

impl Drop for Awaitable {
    fn drop(&mut self) {
        if self.resolved.is_none() {
            scheduler::awaitable_dropped(self.id);
        }
    }
}
