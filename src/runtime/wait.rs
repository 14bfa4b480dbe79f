//! `flame\awaitable`'s PHP methods (`wait()`, `ready()`), its end, and how a
//! stop of the loop or a settled result becomes what PHP sees.

use crate::runtime::args::CallableArg;
use crate::runtime::awaitable::{Awaitable, Target};
use crate::runtime::call::{object_zval, Raised};
use crate::runtime::completion::Failure;
use crate::runtime::errors::{exception_object, logic_error, Func};
use crate::runtime::scheduler::{self, Settled, Stop, Thrown};
use crate::runtime::{drivers, engine, then};
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;

const FINISHED_REQUEST: &str = "this flame\\awaitable belongs to a finished request and can never resolve";
const THEN: Func = Func("flame\\awaitable::then");

impl Awaitable {
    /// An awaitable that is already failed (thrown at its `yield`).
    pub fn failed(what: &'static str, thrown: Thrown) -> Self {
        Self::for_op(scheduler::settled_op(what, Settled::Err(thrown)))
    }
}

/// Converts a stop of the loop into what PHP should see.
pub fn stop_to_php(stop: Stop) -> PhpResult<()> {
    match stop {
        Stop::Uncaught(e) => Err(rethrow(object_zval(e))),
        // exit(): the unwind marker is still pending; returning lets PHP go on.
        Stop::Engine(Raised::Exit) | Stop::Engine(Raised::Exception(_)) => Ok(()),
        // A fatal error ended the request: `stop` is already moved out; the
        // callers' frames up to the method handler hold no engine values, and
        // their Rust allocations leak once.
        Stop::Engine(Raised::Bailout) => engine::resume_bailout(),
        Stop::Deadlock(msg) => Err(logic_error(format!("flame: deadlock: {msg}"))),
    }
}

/// Turns a settled result into a return value or a thrown exception.
pub fn settled_to_php(settled: Settled) -> PhpResult<Zval> {
    match settled {
        Settled::Ok(v) => Ok(v),
        Settled::Err(Thrown::Object(z)) => Err(rethrow(z)),
        Settled::Err(Thrown::Failure(f)) => Err(rethrow(object_zval(exception_object(&f)))),
    }
}

/// A call into PHP that did not return normally, as what `wait()` returns.
fn raised_to_php(raised: Raised) -> PhpResult<Zval> {
    match raised {
        Raised::Exception(e) => Err(rethrow(object_zval(e))),
        // exit() or a fiber being destroyed: the unwind is still pending.
        Raised::Exit => Ok(Zval::null()),
        // The fatal error's unwind caught in the fiber goes on; nothing of
        // ours is left on this frame but `raised` (moved out).
        Raised::Bailout => engine::resume_bailout(),
    }
}

/// The result of a settled operation for `wait()`.
fn result_of(id: u64) -> PhpResult<Zval> {
    match scheduler::take_result(id) {
        Some(settled) => settled_to_php(settled),
        None => Err(logic_error(FINISHED_REQUEST)),
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
        let id = match &self.target {
            Target::Value(v) => return Ok(v.shallow_clone()),
            Target::Detached => return Err(logic_error(FINISHED_REQUEST)),
            Target::Op(id) => *id,
        };
        // Inside a Fiber coroutine, or under Revolt: suspend, not block.
        if let Some(suspended) = drivers::wait_for(id) {
            return match suspended {
                Err(raised) => raised_to_php(raised),
                Ok(()) => result_of(id),
            };
        }
        if scheduler::in_coroutine() {
            return Err(logic_error(
                "flame\\awaitable::wait() cannot be called inside a running coroutine \
                 (it would stall every other coroutine): use yield",
            ));
        }
        if let Err(stop) = scheduler::drive(Some(id)) {
            stop_to_php(stop)?;
            return Ok(Zval::null());
        }
        result_of(id)
    }

    /// Whether the operation has ended (resolved or failed).
    pub fn ready(&self) -> bool {
        match &self.target {
            Target::Op(id) => scheduler::is_settled(*id),
            Target::Value(_) | Target::Detached => true,
        }
    }

    /// Calls exactly one of the callbacks once, after the awaitable settles
    /// (never from inside `then()`): `$on_value($value)` or `$on_error($e)`.
    pub fn then(&self, on_value: CallableArg, on_error: Option<CallableArg>) -> PhpResult<()> {
        let on_value = on_value.get(THEN, 1, "on_value")?.shallow_clone();
        let on_error = match on_error {
            Some(e) if !e.0.is_null() => Some(e.get(THEN, 2, "on_error")?.shallow_clone()),
            _ => None,
        };
        let (id, settled) = match &self.target {
            Target::Op(id) => (Some(*id), None),
            Target::Value(v) => (None, Some(Settled::Ok(v.shallow_clone()))),
            Target::Detached => (None, Some(Settled::Err(Thrown::Failure(Failure::logic(FINISHED_REQUEST))))),
        };
        then::register(id, settled, on_value, on_error);
        Ok(())
    }
}

impl Drop for Awaitable {
    fn drop(&mut self) {
        if let Target::Op(id) = &self.target {
            let id = *id;
            scheduler::awaitable_dropped(id);
        }
    }
}
