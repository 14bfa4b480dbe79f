//! The loops: `drive` runs ready coroutines, takes in completions, runs the
//! idle hooks (queues served on the PHP thread) when nothing is ready and
//! sleeps on the readiness fd when nothing can move; `poll` settles what is
//! there without blocking (for outside event loops); and the end of the
//! request.

use super::coroutine::step;
use super::{
    fail_inherited_operations, is_settled, process_deferred_drops, receive, warn_if_unobserved, with, Stop, CURRENT,
    DEFERRED_DROPS, SETTLED, STATE,
};
use crate::runtime::call::{self, Raised};
use crate::runtime::completion::{self, Deliverable, OpId};
use std::cell::{Cell, RefCell};

/// Where events (completions that are not operations) go.
type EventHook = fn(Box<dyn Deliverable>);

thread_local! {
    /// Work to do when the loop is about to block (e.g. serve a client's queue).
    static IDLE_HOOKS: RefCell<Vec<fn() -> bool>> = const { RefCell::new(Vec::new()) };
    /// Receives events on the PHP thread.
    static EVENT_HOOK: Cell<Option<EventHook>> = const { Cell::new(None) };
    /// Work to do at the end of the request, before the engine goes away.
    static END_HOOKS: RefCell<Vec<fn()>> = const { RefCell::new(Vec::new()) };
    /// How many loops (drive, poll) run right now: work made runnable while
    /// none runs wakes whatever drives the readiness fd.
    static DRIVING: Cell<u32> = const { Cell::new(0) };
}

/// Marks a loop as running while it lives.
struct Driving;

impl Driving {
    fn enter() -> Driving {
        DRIVING.with(|d| d.set(d.get() + 1));
        Driving
    }
}

impl Drop for Driving {
    fn drop(&mut self) {
        DRIVING.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Work became runnable: if no loop of ours runs, wake the one that drives
/// the readiness fd (Revolt, ReactPHP, stream_select...).
pub(super) fn wake_driver_if_idle() {
    if DRIVING.with(|d| d.get()) == 0 && with(|s| !s.ready.is_empty()) {
        completion::readiness().notify();
    }
}

/// An exception left pending outside of any coroutine, as a stop of the loop.
fn pending_stop() -> Option<Stop> {
    call::take_pending().map(|raised| match raised {
        Raised::Exception(e) => Stop::Uncaught(e),
        other => Stop::Engine(other),
    })
}

/// Marks that `flame\run()` was entered in this request.
pub fn mark_run_entered() {
    with(|s| s.run_entered = true);
}

/// Registers a callback run when the loop would block; returns whether it did work.
pub fn add_idle_hook(hook: fn() -> bool) {
    IDLE_HOOKS.with(|h| {
        let mut h = h.borrow_mut();
        if !h.contains(&hook) {
            h.push(hook);
        }
    });
}

/// Registers a callback for the end of the request (after auto-run).
pub fn add_end_hook(hook: fn()) {
    END_HOOKS.with(|h| {
        let mut h = h.borrow_mut();
        if !h.contains(&hook) {
            h.push(hook);
        }
    });
}

/// Sets where events (completions that are not operations) go.
pub fn set_event_hook(hook: EventHook) {
    EVENT_HOOK.with(|h| h.set(Some(hook)));
}

pub(super) fn deliver_event(event: Box<dyn Deliverable>) {
    if let Some(hook) = EVENT_HOOK.with(|h| h.get()) {
        hook(event);
    }
}

fn run_idle_hooks() -> bool {
    let hooks: Vec<fn() -> bool> = IDLE_HOOKS.with(|h| h.borrow().clone());
    let mut worked = false;
    for hook in hooks {
        worked |= hook();
    }
    worked
}

/// Whether the end-of-request shutdown function is registered; marks it so.
pub fn claim_shutdown_registration() -> bool {
    with(|s| !std::mem::replace(&mut s.shutdown_registered, true))
}

/// Runs until `target` is settled (or, with `None`, until no coroutine is left).
pub fn drive(target: Option<OpId>) -> Result<(), Stop> {
    fail_inherited_operations();
    let _driving = Driving::enter();
    let mut steps: u32 = 0;
    loop {
        process_deferred_drops();
        // An exception raised while PHP values were released (a destructor,
        // an error handler turning a warning into an exception) belongs to
        // no coroutine: it stops the loop instead of hitting the next one.
        if let Some(stop) = pending_stop() {
            return Err(stop);
        }
        if target.is_some_and(is_settled) {
            return Ok(());
        }
        // Coroutines that always have a value at hand (a consumer with
        // prefetched messages) would keep the ready queue full: take in what
        // other operations completed every so often, so their coroutines get
        // their turn too.
        steps = steps.wrapping_add(1);
        if steps.is_multiple_of(64) {
            drain_ready_completions();
        }
        if let Some((co, resume)) = with(|s| s.ready.pop_front()) {
            step(co, resume)?;
            continue;
        }
        let (live, pending) = with(|s| (s.coroutines.len(), s.pending));
        if target.is_none() && live == 0 {
            return Ok(());
        }
        // Hooks may have settled something (on the PHP thread, or through
        // the channel) or freed room: look again.
        if run_idle_hooks() {
            drain_ready_completions();
            continue;
        }
        if pending == 0 {
            return Err(Stop::Deadlock(format!("{live} coroutine(s) wait for an operation that can never complete")));
        }
        block_for_completions();
    }
}

/// Handles every completion already in the channel; returns whether there was any.
fn drain_ready_completions() -> bool {
    let rx = completion::receiver();
    let mut any = false;
    while let Ok(c) = rx.try_recv() {
        receive(c);
        any = true;
    }
    any
}

/// Sleeps on the readiness fd until a completion arrives (no timer: every
/// background source, timers included, sends a completion).
fn block_for_completions() {
    // A fork() inside a coroutine: the parent's operations never complete here.
    fail_inherited_operations();
    if with(|s| !s.ready.is_empty()) {
        return;
    }
    completion::readiness().clear();
    if drain_ready_completions() {
        return;
    }
    completion::set_waiting(true);
    completion::readiness().sleep();
    completion::set_waiting(false);
    completion::readiness().clear();
    drain_ready_completions();
}

/// `flame\poll()`: settles every completion waiting, runs what became
/// runnable (coroutines, wakers), never blocks; returns how many operations
/// it settled.
pub fn poll() -> Result<u64, Stop> {
    fail_inherited_operations();
    let _driving = Driving::enter();
    let before = SETTLED.with(|c| c.get());
    completion::readiness().clear();
    drain_ready_completions();
    run_idle_hooks();
    drain_ready_completions();
    // Bounded: coroutines that always have a value at hand must not keep
    // poll() from returning to its loop.
    let budget = with(|s| s.ready.len()) + 4096;
    let mut steps: usize = 0;
    loop {
        process_deferred_drops();
        if let Some(stop) = pending_stop() {
            return Err(stop);
        }
        steps += 1;
        if steps.is_multiple_of(64) {
            drain_ready_completions();
        }
        if steps > budget {
            completion::readiness().notify();
            break;
        }
        let Some((co, resume)) = with(|s| s.ready.pop_front()) else { break };
        step(co, resume)?;
    }
    Ok(SETTLED.with(|c| c.get()) - before)
}

/// Handles whatever completions are ready without blocking (used at shutdown).
pub fn poll_completions() -> bool {
    drain_ready_completions()
}

/// Called by the shutdown function: auto-run if `run()` was never entered,
/// then the end hooks (flush producers, close consumers).
pub fn end_of_script() -> Result<(), Stop> {
    let (entered, live) = with(|s| (s.run_entered, s.coroutines.len()));
    let mut result = Ok(());
    if !entered && live > 0 {
        mark_run_entered();
        result = drive(None);
    }
    run_end_hooks();
    result
}

pub fn run_end_hooks() {
    let hooks: Vec<fn()> = END_HOOKS.with(|h| h.borrow().clone());
    for hook in hooks {
        hook();
    }
    drain_ready_completions();
    process_deferred_drops();
}

/// Called at request shutdown: forget everything of this request, dropping
/// the PHP values while the engine is still alive.
pub fn reset_request() {
    drain_ready_completions();
    process_deferred_drops();
    let old = STATE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    // Report failures nobody saw before the values go.
    for slot in old.slots.values() {
        warn_if_unobserved(slot);
    }
    drop(old);
    DEFERRED_DROPS.with(|d| d.borrow_mut().clear());
    CURRENT.with(|c| c.set(0));
}
