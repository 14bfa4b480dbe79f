//! The PHP functions of namespace `flame`: go, run, init, and time\sleep.

use crate::runtime::args::{ArrayArg, CallableArg, IntArg, StrArg};
use crate::runtime::awaitable::Awaitable;
use crate::runtime::background;
use crate::runtime::call;
use crate::runtime::completion::{self, Outcome};
use crate::runtime::errors::{logic_error, Func};
use crate::runtime::scheduler;
use crate::runtime::wait::stop_to_php;
use ext_php_rs::closure::Closure;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendCallable;
use std::time::Duration;

/// Makes sure the end-of-script work (auto-run, flushing producers) runs
/// while the engine is fully alive: PHP's own shutdown functions do.
pub fn ensure_shutdown_function() {
    if !scheduler::claim_shutdown_registration() {
        return;
    }
    let closure = Closure::wrap(Box::new(|| {
        if let Err(stop) = scheduler::end_of_script() {
            if let Err(e) = stop_to_php(stop) {
                e.throw();
            }
        }
    }) as Box<dyn Fn()>);
    let Ok(closure) = closure.into_zval(false) else { return };
    if let Ok(register) = ZendCallable::try_from_name("register_shutdown_function") {
        let _ = register.try_call(vec![&closure]);
    }
}

/// Schedules `$fn()` as a coroutine; it starts when the scheduler runs.
#[php_function]
#[php(name = "flame\\go")]
pub fn go(r#fn: CallableArg) -> PhpResult<()> {
    let callable = r#fn.get(Func("flame\\go"), 1, "fn")?;
    scheduler::spawn(callable.shallow_clone());
    ensure_shutdown_function();
    Ok(())
}

/// Runs every coroutine until none is left; rethrows an uncaught exception.
#[php_function]
#[php(name = "flame\\run")]
pub fn run() -> PhpResult<()> {
    if scheduler::in_coroutine() {
        return Err(logic_error("flame\\run() cannot be called inside a coroutine"));
    }
    scheduler::mark_run_entered();
    match scheduler::drive(None) {
        Ok(()) => Ok(()),
        Err(stop) => stop_to_php(stop),
    }
}

/// Compatibility with old flame scripts: sets the process title.
#[php_function]
#[php(name = "flame\\init")]
pub fn init(name: StrArg, options: Option<ArrayArg>) -> PhpResult<()> {
    const F: Func = Func("flame\\init");
    let name = String::from_utf8_lossy(&name.get(F, 1, "name")?).into_owned();
    if let Some(o) = options {
        o.get(F, 2, "options", "?array")?;
    }
    if let Ok(set_title) = ZendCallable::try_from_name("cli_set_process_title") {
        let _ = call::guarded(|| set_title.try_call(vec![&name]).ok());
    }
    Ok(())
}

/// Resolves with null after `$ms` milliseconds.
#[php_function]
#[php(name = "flame\\time\\sleep")]
pub fn sleep(ms: IntArg) -> PhpResult<Awaitable> {
    const F: Func = Func("flame\\time\\sleep");
    let ms = ms.get(F, 1, "ms")?;
    if ms < 0 {
        return Err(F.arg_value_error(1, "ms", "must be greater than or equal to 0"));
    }
    let id = scheduler::begin_op("flame\\time\\sleep()");
    if ms == 0 {
        // Nothing to wait for: resolves on the next turn of the loop.
        completion::complete(id, Outcome::Null);
        return Ok(Awaitable::for_op(id));
    }
    let sink = completion::sink();
    background::runtime().spawn(async move {
        tokio::time::sleep(Duration::from_millis(ms as u64)).await;
        sink.complete(id, Outcome::Null);
    });
    Ok(Awaitable::for_op(id))
}

/// Adds the functions of namespace `flame` to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(go))
        .function(wrap_function!(run))
        .function(wrap_function!(init))
        .function(wrap_function!(sleep))
}
