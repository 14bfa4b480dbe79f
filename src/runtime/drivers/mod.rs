//! Drivers: who waits for completions, and how. Settling is one function
//! (`scheduler::poll`); a driver only decides how to sleep. `flame\run()` and
//! `wait()` in a plain script sleep on the readiness fd themselves (the
//! scheduler); any other loop watches `flame\stream()` and calls
//! `flame\poll()`; Revolt is driven without help (`revolt`). PHP thread only.

pub mod revolt;

use crate::runtime::call::Raised;
use crate::runtime::completion::OpId;
use crate::runtime::errors::{logic_error, runtime_error};
use crate::runtime::wait::stop_to_php;
use crate::runtime::{completion, scheduler};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::ffi;
use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use std::cell::RefCell;
use std::os::raw::{c_char, c_int};

extern "C" {
    // PHPAPI (main/streams/plain_wrapper.c); STREAMS_DC is empty in release builds.
    fn _php_stream_fopen_from_fd(
        fd: c_int,
        mode: *const c_char,
        persistent_id: *const c_char,
        zero_position: bool,
    ) -> *mut ffi::php_stream;
}

thread_local! {
    /// This request's `flame\stream()` and the fork generation of its fd.
    static STREAM: RefCell<Option<(u64, Zval)>> = const { RefCell::new(None) };
}

/// The PHP stream on (a duplicate of) the readiness fd, one per request.
pub fn stream_zval() -> Option<Zval> {
    let generation = crate::runtime::background::fork_generation();
    if let Some(z) =
        STREAM.with(|s| s.borrow().as_ref().filter(|(g, _)| *g == generation).map(|(_, z)| z.shallow_clone()))
    {
        return Some(z);
    }
    let fd = completion::readiness().raw_fd()?;
    // SAFETY: duplicates our own eventfd; the PHP stream owns (and closes)
    // the duplicate. `_php_stream_fopen_from_fd` returns a stream registered
    // as a resource of this request, or null; `res` is its resource.
    let zv = unsafe {
        let dup = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0);
        if dup < 0 {
            return None;
        }
        let stream = _php_stream_fopen_from_fd(dup, c"r".as_ptr(), std::ptr::null(), false);
        let Some(stream) = stream.as_mut() else {
            libc::close(dup);
            return None;
        };
        stream.set___exposed(1);
        let mut zv = Zval::new();
        zv.set_resource(stream.res);
        zv
    };
    let out = zv.shallow_clone();
    let old = STREAM.with(|s| s.borrow_mut().replace((generation, zv)));
    drop(old);
    Some(out)
}

/// Where `wait()` is called decides how it waits: `Some` when it suspended
/// (a Fiber coroutine, or Revolt) and the result can now be taken; `None`
/// when the caller should block (or refuse, inside a Generator coroutine).
pub fn wait_for(id: OpId) -> Option<Result<(), Raised>> {
    if scheduler::in_coroutine() {
        return scheduler::suspend_fiber(id);
    }
    if scheduler::is_settled(id) {
        return None;
    }
    revolt::suspend(id)
}

/// A non-blocking stream that becomes readable when completions wait for
/// the PHP thread (the same one for the whole request): watch it in any event
/// loop and call `flame\poll()` when it is readable.
#[php_function]
#[php(name = "flame\\stream")]
pub fn stream() -> PhpResult<Zval> {
    stream_zval().ok_or_else(|| {
        runtime_error(format!(
            "flame\\stream(): cannot create the readiness stream: {}",
            std::io::Error::last_os_error()
        ))
    })
}

/// Settles every completion waiting, runs what became runnable (coroutines,
/// `then()` callbacks, Revolt suspensions), never blocks; returns how many
/// operations it settled.
#[php_function]
#[php(name = "flame\\poll")]
pub fn poll() -> PhpResult<i64> {
    if scheduler::in_coroutine() {
        return Err(logic_error("flame\\poll() cannot be called inside a coroutine"));
    }
    let result = scheduler::poll();
    revolt::sync_reference();
    match result {
        Ok(n) => Ok(n as i64),
        Err(stop) => stop_to_php(stop).map(|()| 0),
    }
}

/// At request shutdown: forget this request's stream and Revolt watcher.
pub fn reset_request() {
    let old = STREAM.with(|s| s.borrow_mut().take());
    drop(old);
    revolt::reset_request();
}

/// Adds `flame\stream()` and `flame\poll()` to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.function(wrap_function!(stream)).function(wrap_function!(poll))
}
