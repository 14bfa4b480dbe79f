//! The readiness fd: an eventfd that becomes readable when completions wait
//! for the PHP thread (`flame\stream()`). Every driver sleeps on it — the
//! blocking loop of `flame\run()` / `wait()`, Revolt's `onReadable`, ReactPHP,
//! Swoole, `stream_select()` — and settling (`flame\poll()`) clears it.
//!
//! Background threads call `notify()` after each send into the completion
//! channel; only the transition "nothing signalled" → "signalled" writes to
//! the fd (one syscall per batch, not per completion). The PHP thread calls
//! `clear()` before it drains the channel: it reads the fd first and only
//! then re-arms the flag, so a completion sent in between is either drained
//! now or writes the fd again — a wakeup is never lost, at worst one is
//! spurious (a `poll()` that settles nothing).

use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

struct Readiness {
    generation: u64,
    fd: c_int,
    signalled: AtomicBool,
}

/// One per process (a forked child makes its own: the parent's fd is shared
/// with it, and its writes would wake the child for nothing).
static READINESS: AtomicPtr<Readiness> = AtomicPtr::new(std::ptr::null_mut());

fn readiness() -> Option<&'static Readiness> {
    let generation = crate::runtime::background::fork_generation();
    let cur = READINESS.load(Ordering::Acquire);
    // SAFETY: a published Readiness is never freed (leaked on purpose, one per
    // fork generation), so the reference stays valid for the process.
    if let Some(r) = unsafe { cur.as_ref() } {
        if r.generation == generation {
            return Some(r);
        }
    }
    // SAFETY: plain syscall, no pointers involved.
    let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
    if fd < 0 {
        return None;
    }
    let fresh = Box::into_raw(Box::new(Readiness { generation, fd, signalled: AtomicBool::new(false) }));
    match READINESS.compare_exchange(cur, fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: `fresh` was just published and is never freed.
        Ok(_) => Some(unsafe { &*fresh }),
        Err(other) => {
            // Another thread installed one first: ours was never shared.
            // SAFETY: `fresh` came from Box::into_raw above and nobody else saw it;
            // `other` is a published (never freed) Readiness.
            unsafe {
                libc::close((*fresh).fd);
                drop(Box::from_raw(fresh));
                other.as_ref()
            }
        }
    }
}

/// Something waits for the PHP thread: make the fd readable (any thread).
pub fn notify() {
    let Some(r) = readiness() else { return };
    if !r.signalled.swap(true, Ordering::AcqRel) {
        let one: u64 = 1;
        // SAFETY: writes 8 bytes from a live local to our own eventfd.
        unsafe { libc::write(r.fd, &one as *const u64 as *const libc::c_void, 8) };
    }
}

/// Makes the fd unreadable again; the caller drains the channel right after
/// (PHP thread).
pub fn clear() {
    let Some(r) = readiness() else { return };
    let mut buf: u64 = 0;
    // SAFETY: reads at most 8 bytes into a live local from our own
    // non-blocking eventfd.
    unsafe { libc::read(r.fd, &mut buf as *mut u64 as *mut libc::c_void, 8) };
    r.signalled.store(false, Ordering::Release);
}

/// Sleeps until the fd is readable (PHP thread; no timeout: background
/// threads always notify when they complete something).
pub fn sleep() {
    let Some(r) = readiness() else {
        std::thread::sleep(std::time::Duration::from_millis(1));
        return;
    };
    let mut pfd = libc::pollfd { fd: r.fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd on the stack; EINTR just returns early.
    unsafe { libc::poll(&mut pfd, 1, -1) };
}

/// The eventfd itself (for the PHP stream that wraps a duplicate of it).
pub fn fd() -> Option<c_int> {
    readiness().map(|r| r.fd)
}
