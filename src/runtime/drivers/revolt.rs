//! The Revolt driver (AMPHP v3, ReactPHP through Revolt's adapter, Revolt
//! alone). When the class `Revolt\EventLoop` is loaded (never autoloaded by
//! us: no hard dependency), `wait()` from `{main}` or a Revolt fiber suspends
//! through `EventLoop::getSuspension()`, and flame_kafka watches its
//! readiness stream with `EventLoop::onReadable`, calling `flame\poll()` when
//! it is readable. The watcher is referenced only while someone waits
//! (a suspension, a `then()`), so `EventLoop::run()` ends with the work.
//! PHP thread only.

use crate::runtime::call::{self, Raised};
use crate::runtime::errors::exception_object;
use crate::runtime::scheduler::{self, Settled, Waker};
use ext_php_rs::closure::Closure;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::ffi;
use ext_php_rs::types::{ZendCallable, ZendStr, Zval};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// `ZEND_FETCH_CLASS_NO_AUTOLOAD` (Zend/zend_compile.h).
const NO_AUTOLOAD: u32 = 0x80;

struct Watcher {
    generation: u64,
    id: Zval,
    referenced: bool,
}

thread_local! {
    static WATCHER: RefCell<Option<Watcher>> = const { RefCell::new(None) };
}

/// Whether `Revolt\EventLoop` is loaded (looked up without autoloading).
pub fn loaded() -> bool {
    let mut name = ZendStr::new("Revolt\\EventLoop", false);
    // SAFETY: a lookup in this thread's class table with a live name string.
    unsafe { !ffi::zend_lookup_class_ex(&raw mut *name, std::ptr::null_mut(), NO_AUTOLOAD).is_null() }
}

fn call_static(method: &str, args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>) -> Result<Zval, Raised> {
    call::guarded(|| {
        ZendCallable::try_from_name(&format!("Revolt\\EventLoop::{method}")).ok().and_then(|f| f.try_call(args).ok())
    })
}

/// Called by Revolt when the readiness stream is readable.
fn on_readable() {
    let result = scheduler::poll();
    sync_reference();
    if let Err(stop) = result {
        if let Err(e) = crate::runtime::wait::stop_to_php(stop) {
            e.throw();
        }
    }
}

/// Installs the readable watcher (once per request and fork generation).
fn ensure_watcher() -> Result<(), Raised> {
    let generation = crate::runtime::background::fork_generation();
    let stale = WATCHER.with(|w| match &*w.borrow() {
        Some(w) if w.generation == generation => None,
        Some(w) => Some(Some(w.id.shallow_clone())),
        None => Some(None),
    });
    let Some(old) = stale else { return Ok(()) };
    if let Some(old) = old {
        // Inherited through fork(): it watches the parent's fd.
        let _ = call_static("cancel", vec![&old]);
    }
    let Some(stream) = crate::runtime::drivers::stream_zval() else {
        return Err(Raised::Exception(exception_object(&crate::runtime::completion::Failure::runtime(
            "flame: cannot create the readiness stream for Revolt",
        ))));
    };
    let Ok(callback) = Closure::wrap(Box::new(on_readable) as Box<dyn Fn()>).into_zval(false) else {
        return Err(Raised::Exception(exception_object(&crate::runtime::completion::Failure::runtime(
            "flame: cannot create the Revolt callback",
        ))));
    };
    // Revolt takes a \Closure: wrap the Rust one (an invokable object).
    let callback = call::guarded(|| {
        ZendCallable::try_from_name("Closure::fromCallable").ok().and_then(|f| f.try_call(vec![&callback]).ok())
    })?;
    let id = call_static("onReadable", vec![&stream, &callback])?;
    call_static("unreference", vec![&id])?;
    let old = WATCHER.with(|w| w.borrow_mut().replace(Watcher { generation, id, referenced: false }));
    drop(old);
    sync_reference();
    Ok(())
}

/// References the watcher while wakers wait, unreferences it otherwise.
pub fn sync_reference() {
    let want = scheduler::wakers() > 0;
    let change = WATCHER.with(|w| {
        let mut w = w.borrow_mut();
        let w = w.as_mut()?;
        if w.referenced == want {
            return None;
        }
        w.referenced = want;
        Some(w.id.shallow_clone())
    });
    if let Some(id) = change {
        let _ = call_static(if want { "reference" } else { "unreference" }, vec![&id]);
    }
}

/// With Revolt loaded, makes sure its loop watches us (for `then()`).
pub fn watch_if_loaded() {
    if loaded() && ensure_watcher().is_ok() {
        sync_reference();
    }
}

/// Resumes a Revolt suspension when the operation settles; `wait()` takes
/// the result itself once it is back.
struct Resume {
    suspension: Zval,
    /// Still suspended (false once `suspend()` returned some other way).
    waiting: Rc<Cell<bool>>,
}

impl Waker for Resume {
    fn wake(self: Box<Self>, _settled: Settled) -> Result<(), Raised> {
        if self.waiting.get() {
            self.waiting.set(false);
            call::call_method(&self.suspension, "resume", vec![])?;
        }
        Ok(())
    }
}

/// `wait()` under Revolt: suspends the current Revolt fiber (or `{main}`,
/// running the loop) until operation `id` settles. None: Revolt not loaded.
pub fn suspend(id: u64) -> Option<Result<(), Raised>> {
    if !loaded() {
        return None;
    }
    Some(suspend_loaded(id))
}

fn suspend_loaded(id: u64) -> Result<(), Raised> {
    let suspension = call_static("getSuspension", vec![])?;
    ensure_watcher()?;
    let waiting = Rc::new(Cell::new(true));
    let resume = Resume { suspension: suspension.shallow_clone(), waiting: waiting.clone() };
    scheduler::add_waker(Some(id), None, Box::new(resume));
    sync_reference();
    let result = call::call_method(&suspension, "suspend", vec![]);
    waiting.set(false);
    result.map(drop)
}

/// At request shutdown: the watcher belongs to this request's loop.
pub fn reset_request() {
    let old = WATCHER.with(|w| w.borrow_mut().take());
    drop(old);
}
