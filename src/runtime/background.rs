//! The background world: one lazily created tokio runtime per process.
//!
//! Nothing here is created at module startup: librdkafka and tokio threads do
//! not survive `fork()`, so the runtime is built on first use and remembers the
//! fork generation (see `fork_generation`) that built it. A forked child that needs it gets a fresh one; the
//! parent's copy is leaked on purpose (its threads do not exist in the child,
//! so dropping it there could hang).

use once_cell::sync::Lazy;
use std::sync::Mutex;
use tokio::runtime::{Builder, Runtime};

struct Owned {
    generation: u64,
    rt: &'static Runtime,
}

static RUNTIME: Lazy<Mutex<Option<Owned>>> = Lazy::new(|| Mutex::new(None));

/// The pid of this process (cheap: a syscall, no allocation).
pub fn current_pid() -> u32 {
    std::process::id()
}

/// The pid of this process's parent.
pub fn parent_pid() -> i32 {
    // SAFETY: getppid has no preconditions and cannot fail.
    unsafe { libc::getppid() }
}

/// The tokio runtime of this process, created on first use.
pub fn runtime() -> &'static Runtime {
    let generation = fork_generation();
    let mut guard = RUNTIME.lock().unwrap_or_else(|e| e.into_inner());
    match guard.as_ref() {
        Some(owned) if owned.generation == generation => owned.rt,
        _ => {
            let rt = Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("flame-kafka-rt")
                .enable_all()
                .build()
                .expect("cannot start the tokio runtime");
            let rt: &'static Runtime = Box::leak(Box::new(rt));
            *guard = Some(Owned { generation, rt });
            rt
        }
    }
}

static FORKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static ATFORK: std::sync::Once = std::sync::Once::new();

extern "C" fn after_fork_in_child() {
    FORKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// How many times this process's ancestry forked since the extension first
/// asked (a counter bumped in the child by a `pthread_atfork` handler): a
/// cheap "are we still the same process" check with no system call.
pub fn fork_generation() -> u64 {
    // SAFETY: pthread_atfork only records the handler; `after_fork_in_child` is async-signal-safe (one atomic
    // add) and lives as long as the process.
    ATFORK.call_once(|| unsafe {
        libc::pthread_atfork(None, None, Some(after_fork_in_child));
    });
    FORKS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Remembers the pid that created a client; `check` refuses use from a fork.
#[derive(Debug, Clone, Copy)]
pub struct ForkGuard {
    pid: u32,
    generation: u64,
}

impl ForkGuard {
    pub fn new() -> Self {
        Self { pid: current_pid(), generation: fork_generation() }
    }

    /// `Err(message)` when called in a process other than the creator.
    pub fn check(&self, what: &str) -> Result<(), String> {
        // The fork generation is an atomic load; the pid (a system call) is
        // only read to word the refusal.
        if fork_generation() == self.generation {
            return Ok(());
        }
        let now = current_pid();
        if now == self.pid {
            Ok(())
        } else {
            Err(format!(
                "this {what} was created in process {} and cannot be used in forked process {now}: \
                 librdkafka's threads do not survive fork(); create a new {what} in the child",
                self.pid
            ))
        }
    }
}

impl Default for ForkGuard {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_is_created_once_per_process() {
        let a = runtime() as *const Runtime;
        let b = runtime() as *const Runtime;
        assert_eq!(a, b);
    }

    #[test]
    fn fork_guard_accepts_its_own_process() {
        let g = ForkGuard::new();
        assert!(g.check("producer").is_ok());
        let foreign = ForkGuard { pid: g.pid.wrapping_add(1), generation: g.generation.wrapping_add(1) };
        let err = foreign.check("producer").unwrap_err();
        assert!(err.contains("forked process"), "{err}");
    }
}
