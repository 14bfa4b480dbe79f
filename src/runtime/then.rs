//! `flame\awaitable::then()`: callbacks that wait for an operation like a
//! coroutine would (a waker of the scheduler), so an awaitable is a thenable
//! that `React\Promise\resolve()` and Guzzle promises assimilate. Exactly one
//! callback is called, once, on the PHP thread, by whichever loop runs next
//! (`flame\run()`, `wait()`, `flame\poll()`, Revolt's watcher) — never from
//! inside `then()`. An exception thrown by a callback is uncaught: it stops
//! that loop, like one thrown by a coroutine.

use crate::runtime::call::{self, object_zval, Raised};
use crate::runtime::completion::OpId;
use crate::runtime::engine;
use crate::runtime::errors::exception_object;
use crate::runtime::scheduler::{self, Settled, Thrown, Waker};
use ext_php_rs::types::Zval;

struct Then {
    on_value: Zval,
    on_error: Option<Zval>,
}

impl Waker for Then {
    fn wake(self: Box<Self>, settled: Settled) -> Result<(), Raised> {
        match settled {
            Settled::Ok(v) => call::call(&self.on_value, vec![&v]).map(drop),
            Settled::Err(t) => {
                let exception = match t {
                    Thrown::Object(z) => z,
                    Thrown::Failure(f) => object_zval(exception_object(&f)),
                };
                match &self.on_error {
                    Some(on_error) => call::call(on_error, vec![&exception]).map(drop),
                    None => {
                        // A failure with nowhere to go is never silent.
                        let message = call::call_method(&exception, "getMessage", vec![])
                            .ok()
                            .and_then(|m| m.string())
                            .unwrap_or_default();
                        engine::warning(&format!("flame: unobserved failure (then() without $on_error): {message}"));
                        Ok(())
                    }
                }
            }
        }
    }
}

/// Registers the callbacks for operation `id`, or for what an awaitable
/// with no operation already settled with (`settled`).
pub fn register(id: Option<OpId>, settled: Option<Settled>, on_value: Zval, on_error: Option<Zval>) {
    let waker = Box::new(Then { on_value, on_error });
    scheduler::add_waker(id, settled, waker);
    crate::runtime::drivers::revolt::watch_if_loaded();
    // A script that ends without running a loop still gets its callbacks (auto-run).
    crate::runtime::functions::ensure_shutdown_function();
}
