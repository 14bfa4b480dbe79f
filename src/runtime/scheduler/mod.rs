//! The scheduler: coroutines, the table of operations they wait for, and the
//! loop that blocks on the completion channel and resumes them.
//!
//! A coroutine is a stack of `\Generator`s (a nested generator yielded by a
//! coroutine runs on top of it, like `yield from`). Each operation (an
//! `flame\awaitable`) has a slot: pending, or settled with a value or a
//! failure, plus the coroutines waiting for it.
//!
//! This file: the state and the operations' slots. `coroutine.rs`: stepping
//! coroutines and what a `yield` means. `drive.rs`: the loop, its hooks and
//! the end of the request.
//!
//! All state lives in a thread-local of the PHP thread. It is never borrowed
//! across a call into PHP and never drops a PHP value while borrowed: PHP code
//! (destructors included) may re-enter the scheduler at any call.

mod coroutine;
mod drive;

pub use coroutine::{add_waker, has_coroutines, in_coroutine, spawn, suspend_fiber, wakers, Waker};
pub use drive::{
    add_end_hook, add_idle_hook, claim_shutdown_registration, drive, end_of_script, mark_run_entered, poll,
    poll_completions, reset_request, run_end_hooks, set_event_hook,
};

use crate::runtime::call::Raised;
use crate::runtime::completion::{self, Completion, Failure, OpId, Outcome};
use crate::runtime::errors;
use coroutine::{CoId, Coroutine, Resume};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ZendObject, Zval};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};

/// A failure as it waits to be thrown: data, or a PHP exception object.
pub enum Thrown {
    Failure(Failure),
    Object(Zval),
}

impl Thrown {
    fn duplicate(&self) -> Thrown {
        match self {
            Thrown::Failure(f) => Thrown::Failure(f.clone()),
            Thrown::Object(z) => Thrown::Object(z.shallow_clone()),
        }
    }

    /// A one-line description for warnings.
    fn describe(&self) -> String {
        match self {
            Thrown::Failure(f) => f.message.clone(),
            Thrown::Object(z) => z
                .try_call_method("getMessage", vec![])
                .ok()
                .and_then(|m| m.string())
                .unwrap_or_else(|| "exception".into()),
        }
    }
}

/// How an operation ended, on the PHP thread.
pub enum Settled {
    Ok(Zval),
    Err(Thrown),
}

enum SlotState {
    Pending,
    Done(Settled),
}

struct Slot {
    state: SlotState,
    waiters: Vec<CoId>,
    /// The awaitable object is gone: nobody can observe the result any more.
    orphan: bool,
    /// A failure was handed to someone (thrown at a yield, or by wait()).
    observed: bool,
    what: &'static str,
}

impl Slot {
    fn new(state: SlotState, what: &'static str) -> Slot {
        Slot { state, waiters: Vec::new(), orphan: false, observed: false, what }
    }
}

/// Operation ids are sequential integers: they are their own hash.
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // The low bits (the bucket) are the id itself, so ids made one after
        // the other sit next to each other in memory and a long run of
        // produce() touches the table sequentially; the top 7 bits (the tag
        // the table compares first) are mixed so that tags still differ.
        self.0 ^ (self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) & (0x7F << 57))
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | *b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdMap<V> = HashMap<OpId, V, std::hash::BuildHasherDefault<IdHasher>>;

#[derive(Default)]
struct State {
    slots: IdMap<Slot>,
    pending: usize,
    coroutines: IdMap<Coroutine>,
    next_co: CoId,
    ready: VecDeque<(CoId, Resume)>,
    run_entered: bool,
    shutdown_registered: bool,
    /// The fork generation the pending operations belong to.
    fork_gen: u64,
    /// Wakers waiting (they keep an outside loop referenced, see drivers).
    wakers: usize,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
    /// The coroutine whose PHP code is running right now (0: none).
    static CURRENT: Cell<CoId> = const { Cell::new(0) };
    /// Awaitables dropped while the state was borrowed; handled later.
    static DEFERRED_DROPS: RefCell<Vec<OpId>> = const { RefCell::new(Vec::new()) };
    /// Operations settled so far (what `flame\poll()` counts).
    static SETTLED: Cell<u64> = const { Cell::new(0) };
}

fn count_settled() {
    SETTLED.with(|c| c.set(c.get() + 1));
}

fn with<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

/// Why the loop stopped early.
pub enum Stop {
    /// A coroutine threw and nobody caught it.
    Uncaught(ZBox<ZendObject>),
    /// A PHP engine unwind (exit, fatal error): let PHP continue.
    Engine(Raised),
    /// Nothing can ever happen again while someone still waits.
    Deadlock(String),
}

/// Registers a new pending operation and returns its id.
pub fn begin_op(what: &'static str) -> OpId {
    fail_inherited_operations();
    let id = completion::next_id();
    with(|s| {
        s.slots.insert(id, Slot::new(SlotState::Pending, what));
        s.pending += 1;
    });
    id
}

/// Registers an operation that has already ended (e.g. refused on the PHP thread).
pub fn settled_op(what: &'static str, settled: Settled) -> OpId {
    fail_inherited_operations();
    let id = completion::next_id();
    with(|s| s.slots.insert(id, Slot::new(SlotState::Done(settled), what)));
    id
}

/// Whether the operation has ended.
pub fn is_settled(id: OpId) -> bool {
    with(|s| matches!(s.slots.get(&id), Some(Slot { state: SlotState::Done(_), .. }) | None))
}

/// Settles an operation from the PHP thread (used by the PHP-side queues).
pub fn settle_now(id: OpId, outcome: Outcome) {
    settle(id, outcome);
}

/// The failure of an operation whose result the caller discarded at the
/// call (no awaitable, no slot): a warning, unless already reported. Its
/// message names the operation.
pub fn report_detached(f: Failure) {
    count_settled();
    if !f.reported {
        errors::warn_unobserved(None, &f.message);
    }
}

/// Handles one completion from the channel.
fn receive(c: Completion) {
    match c {
        Completion::Op(id, outcome) => settle(id, outcome),
        Completion::Detached(f) => report_detached(f),
        // Only wakes the loop: its idle hooks serve the queue that has work.
        Completion::Wake => {}
        Completion::Event(event) => drive::deliver_event(event),
        Completion::Run(work) => {
            let _ = work.into_php();
        }
    }
}

fn settle(id: OpId, outcome: Outcome) {
    // First look, without building anything: stale ids and orphans are cheap.
    // An orphan with waiters (a `then()` on a dropped awaitable) still wakes them.
    let orphan = with(|s| {
        s.slots.get(&id).map(|slot| (slot.orphan && slot.waiters.is_empty(), matches!(slot.state, SlotState::Pending)))
    });
    let Some((orphan, pending)) = orphan else { return };
    if !pending {
        return;
    }
    count_settled();
    if orphan {
        settle_orphan(id, outcome);
        return;
    }
    // Build the PHP value outside of any borrow.
    let settled = match outcome {
        Outcome::Null => Settled::Ok(Zval::null()),
        Outcome::Value(v) => match v.into_php() {
            Ok(z) => Settled::Ok(z),
            Err(f) => Settled::Err(Thrown::Failure(f)),
        },
        Outcome::Fail(f) => Settled::Err(Thrown::Failure(f)),
    };
    let leftover = with(|s| store_settled(s, id, settled));
    drop(leftover);
    drive::wake_driver_if_idle();
}

/// Nobody holds the awaitable any more: forget the slot, and warn about a
/// failure (unless already reported) without building anything.
fn settle_orphan(id: OpId, outcome: Outcome) {
    let what = with(|s| {
        s.pending -= 1;
        s.slots.remove(&id).map(|slot| slot.what)
    });
    let failure = match outcome {
        Outcome::Fail(f) => Some(f),
        Outcome::Value(v) => v.discard(),
        Outcome::Null => None,
    };
    if let (Some(f), Some(what)) = (failure, what) {
        if !f.reported {
            errors::warn_unobserved(Some(what), &f.message);
        }
    }
}

/// Stores the result in its slot and makes its waiters ready; gives the
/// result back if the slot settled meanwhile (dropped by the caller, outside
/// the borrow).
fn store_settled(s: &mut State, id: OpId, settled: Settled) -> Option<Settled> {
    let Some(slot) = s.slots.get_mut(&id) else { return Some(settled) };
    if !matches!(slot.state, SlotState::Pending) {
        return Some(settled);
    }
    s.pending -= 1;
    if let Settled::Err(Thrown::Failure(f)) = &settled {
        // Already reported elsewhere: no warning of its own.
        slot.observed |= f.reported;
    }
    let waiters = std::mem::take(&mut slot.waiters);
    if !waiters.is_empty() && matches!(settled, Settled::Err(_)) {
        slot.observed = true;
    }
    for co in waiters {
        let resume = match &settled {
            Settled::Ok(v) => Resume::Send(v.shallow_clone()),
            Settled::Err(t) => Resume::Throw(t.duplicate()),
        };
        s.ready.push_back((co, resume));
    }
    if slot.orphan {
        // Nobody can look at it again: dropped outside the borrow.
        s.slots.remove(&id);
        return Some(settled);
    }
    slot.state = SlotState::Done(settled);
    None
}

/// The `flame\awaitable` object for `id` went away.
pub fn awaitable_dropped(id: OpId) {
    let handled = STATE.with(|s| {
        let Ok(mut s) = s.try_borrow_mut() else { return None };
        Some(forget_slot(&mut s, id))
    });
    match handled {
        None => DEFERRED_DROPS.with(|d| d.borrow_mut().push(id)),
        Some(removed) => report_dropped(removed),
    }
}

fn forget_slot(s: &mut State, id: OpId) -> Option<Slot> {
    let slot = s.slots.get_mut(&id)?;
    match slot.state {
        SlotState::Pending => {
            slot.orphan = true;
            None
        }
        SlotState::Done(_) => s.slots.remove(&id),
    }
}

fn report_dropped(removed: Option<Slot>) {
    if let Some(slot) = removed {
        warn_if_unobserved(&slot);
        drop(slot);
    }
}

/// The warning for a settled slot whose failure nobody saw.
fn warn_if_unobserved(slot: &Slot) {
    if let SlotState::Done(Settled::Err(t)) = &slot.state {
        if !slot.observed {
            errors::warn_unobserved(Some(slot.what), &t.describe());
        }
    }
}

fn process_deferred_drops() {
    let ids = DEFERRED_DROPS.with(|d| std::mem::take(&mut *d.borrow_mut()));
    for id in ids {
        let removed = with(|s| forget_slot(s, id));
        report_dropped(removed);
    }
}

/// Takes the result of a settled operation for `wait()`.
pub fn take_result(id: OpId) -> Option<Settled> {
    with(|s| {
        let slot = s.slots.get_mut(&id)?;
        match &slot.state {
            SlotState::Pending => None,
            SlotState::Done(Settled::Ok(v)) => Some(Settled::Ok(v.shallow_clone())),
            SlotState::Done(Settled::Err(t)) => {
                slot.observed = true;
                Some(Settled::Err(t.duplicate()))
            }
        }
    })
}

/// After `fork()`, operations started by the parent can never complete in
/// the child (the threads that would complete them do not exist here): fail
/// them, so nobody waits forever.
fn fail_inherited_operations() {
    let generation = crate::runtime::background::fork_generation();
    if with(|s| s.fork_gen == generation) {
        return;
    }
    let pid = crate::runtime::background::current_pid();
    let parent = crate::runtime::background::parent_pid();
    let pending: Vec<OpId> = with(|s| {
        s.fork_gen = generation;
        s.slots.iter().filter(|(_, slot)| matches!(slot.state, SlotState::Pending)).map(|(id, _)| *id).collect()
    });
    for id in pending {
        let mut f = Failure::runtime(format!(
            "this operation was started in process {parent} and cannot complete in forked process {pid}: \
             librdkafka's threads do not survive fork()"
        ));
        // The parent still completes it: the child has nothing to warn about.
        f.reported = true;
        settle(id, Outcome::Fail(f));
    }
}
