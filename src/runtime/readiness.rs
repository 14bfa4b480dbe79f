//! The readiness fd: an eventfd that becomes readable when completions wait
//! for a PHP thread (`flame\stream()`). Every driver sleeps on it — the
//! blocking loop of `flame\run()` / `wait()`, Revolt's `onReadable`, ReactPHP,
//! Swoole, `stream_select()` — and settling (`flame\poll()`) clears it.
//!
//! Each PHP thread has its own (in its inbox, `completion::Sink`): under ZTS
//! a completion wakes only the thread that started the operation.
//!
//! Background threads notify after each send into the thread's completion
//! channel; only the transition "nothing signalled" → "signalled" writes to
//! the fd (one syscall per batch, not per completion). The PHP thread calls
//! `clear()` before it drains the channel: it reads the fd first and only
//! then re-arms the flag, so a completion sent in between is either drained
//! now or writes the fd again — a wakeup is never lost, at worst one is
//! spurious (a `poll()` that settles nothing).

use std::os::raw::c_int;
use std::sync::atomic::{AtomicBool, Ordering};

/// One PHP thread's eventfd and its "already signalled" flag.
pub(crate) struct Readiness {
    /// -1 when no eventfd could be made (then `sleep` naps instead).
    fd: c_int,
    signalled: AtomicBool,
}

impl Readiness {
    pub(crate) fn new() -> Readiness {
        // SAFETY: plain syscall, no pointers involved.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        Readiness { fd, signalled: AtomicBool::new(false) }
    }

    /// Something waits for the PHP thread: make the fd readable (any thread).
    pub(crate) fn notify(&self) {
        if self.fd >= 0 && !self.signalled.swap(true, Ordering::AcqRel) {
            let one: u64 = 1;
            // SAFETY: writes 8 bytes from a live local to our own eventfd.
            unsafe { libc::write(self.fd, &one as *const u64 as *const libc::c_void, 8) };
        }
    }

    /// Makes the fd unreadable again; the caller drains the channel right
    /// after (PHP thread).
    pub(crate) fn clear(&self) {
        if self.fd < 0 {
            return;
        }
        let mut buf: u64 = 0;
        // SAFETY: reads at most 8 bytes into a live local from our own
        // non-blocking eventfd.
        unsafe { libc::read(self.fd, &mut buf as *mut u64 as *mut libc::c_void, 8) };
        self.signalled.store(false, Ordering::Release);
    }

    /// Sleeps until the fd is readable (PHP thread; no timeout: background
    /// threads always notify when they complete something).
    pub(crate) fn sleep(&self) {
        if self.fd < 0 {
            std::thread::sleep(std::time::Duration::from_millis(1));
            return;
        }
        let mut pfd = libc::pollfd { fd: self.fd, events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd on the stack; EINTR just returns early.
        unsafe { libc::poll(&mut pfd, 1, -1) };
    }

    /// The eventfd (for the PHP stream that wraps a duplicate of it).
    pub(crate) fn raw_fd(&self) -> Option<c_int> {
        (self.fd >= 0).then_some(self.fd)
    }
}
