//! The scheduler: coroutines, the table of operations they wait for, and the
//! loop that blocks on the completion channel and resumes them.
//!
//! A coroutine is a stack of `\Generator`s (a nested generator yielded by a
//! coroutine runs on top of it, like `yield from`). Each operation (an
//! `flame\awaitable`) has a slot: pending, or settled with a value or a
//! failure, plus the coroutines waiting for it.
//!
//! All state lives in a thread-local of the PHP thread. It is never borrowed
//! across a call into PHP and never drops a PHP value while borrowed: PHP code
//! (destructors included) may re-enter the scheduler at any call.

use crate::runtime::completion::{self, Deliverable, Failure, OpId, Outcome};
use crate::runtime::fiber;
use crate::runtime::php::{self, Raised};
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

type CoId = u64;

enum Resume {
    /// Call the coroutine's function.
    Start(Zval),
    /// Start the generator on top of the stack.
    Begin,
    Send(Zval),
    Throw(Thrown),
}

#[derive(Default)]
struct Coroutine {
    stack: Vec<Zval>,
    kind: Kind,
}

/// What runs a coroutine: its generator stack, a `\Fiber`, or a waker.
#[derive(Default)]
enum Kind {
    #[default]
    Generators,
    /// A Fiber coroutine (see `runtime::fiber`): the fiber, and whether it started.
    Fiber(Zval, bool),
    /// Not PHP code of ours: a Revolt suspension or `then()` callbacks waiting
    /// for one operation; taken out when it runs.
    Waker(Option<Box<dyn Waker>>),
}

/// Something that waits for an operation like a coroutine (it sits in the
/// operation's waiters) but is woken by a call: a Revolt suspension to
/// resume, `then()` callbacks to call. Woken once, on the PHP thread, with
/// no coroutine current.
pub trait Waker {
    fn wake(self: Box<Self>, settled: Settled) -> Result<(), Raised>;
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
    /// Work to do when the loop is about to block (e.g. retry queued sends).
    static IDLE_HOOKS: RefCell<Vec<fn() -> bool>> = const { RefCell::new(Vec::new()) };
    /// Receives events (completions with id 0) on the PHP thread.
    static EVENT_HOOK: Cell<Option<EventHook>> = const { Cell::new(None) };
    /// Work to do at the end of the request, before the engine goes away.
    static END_HOOKS: RefCell<Vec<fn()>> = const { RefCell::new(Vec::new()) };
    /// Operations settled so far (what `flame\poll()` counts).
    static SETTLED: Cell<u64> = const { Cell::new(0) };
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
fn wake_driver_if_idle() {
    if DRIVING.with(|d| d.get()) == 0 && with(|s| !s.ready.is_empty()) {
        crate::runtime::readiness::notify();
    }
}

/// Where events (completions that are not operations) go.
type EventHook = fn(Box<dyn Deliverable>);

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

// ───────────────────────────── operations ─────────────────────────────

/// Registers a new pending operation and returns its id.
pub fn begin_op(what: &'static str) -> OpId {
    fail_inherited_operations();
    let id = completion::next_id();
    with(|s| {
        s.slots
            .insert(id, Slot { state: SlotState::Pending, waiters: Vec::new(), orphan: false, observed: false, what });
        s.pending += 1;
    });
    id
}

/// Registers an operation that has already ended (e.g. refused on the PHP thread).
pub fn settled_op(what: &'static str, settled: Settled) -> OpId {
    fail_inherited_operations();
    let id = completion::next_id();
    with(|s| {
        s.slots.insert(
            id,
            Slot { state: SlotState::Done(settled), waiters: Vec::new(), orphan: false, observed: false, what },
        );
    });
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

/// Sets where events (completions that are not operations) go.
pub fn set_event_hook(hook: fn(Box<dyn Deliverable>)) {
    EVENT_HOOK.with(|h| h.set(Some(hook)));
}

fn settle(id: OpId, outcome: Outcome) {
    if id == completion::WAKE {
        return;
    }
    if id == completion::DETACHED {
        SETTLED.with(|c| c.set(c.get() + 1));
        // Its message names the operation.
        if let Outcome::Fail(f) = outcome {
            if !f.reported {
                php::warning(&format!("flame: unobserved failure of {}", f.message));
            }
        }
        return;
    }
    if id == 0 {
        if let (Outcome::Value(v), Some(hook)) = (outcome, EVENT_HOOK.with(|h| h.get())) {
            hook(v);
        }
        return;
    }
    // First look, without building anything: stale ids and orphans are cheap.
    // An orphan with waiters (a `then()` on a dropped awaitable) still wakes them.
    let orphan = with(|s| {
        s.slots.get(&id).map(|slot| (slot.orphan && slot.waiters.is_empty(), matches!(slot.state, SlotState::Pending)))
    });
    let Some((orphan, pending)) = orphan else { return };
    if !pending {
        return;
    }
    SETTLED.with(|c| c.set(c.get() + 1));
    if orphan {
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
            if f.reported {
                return;
            }
            php::warning(&format!("flame: unobserved failure of {what}: {}", f.message));
        }
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
    let leftover = with(|s| {
        let slot = s.slots.get_mut(&id)?;
        if !matches!(slot.state, SlotState::Pending) {
            return Some(settled);
        }
        s.pending -= 1;
        if let Settled::Err(Thrown::Failure(f)) = &settled {
            // Already reported elsewhere: no warning of its own.
            slot.observed |= f.reported;
        }
        let waiters = std::mem::take(&mut slot.waiters);
        if !waiters.is_empty() {
            if let Settled::Err(_) = settled {
                slot.observed = true;
            }
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
    });
    drop(leftover);
    wake_driver_if_idle();
}

/// The `flame\awaitable` object for `id` went away.
pub fn awaitable_dropped(id: OpId) {
    if id == completion::DETACHED {
        return;
    }
    let handled = STATE.with(|s| {
        let Ok(mut s) = s.try_borrow_mut() else { return None };
        Some(forget_slot(&mut s, id))
    });
    match handled {
        None => DEFERRED_DROPS.with(|d| d.borrow_mut().push(id)),
        Some(removed) => report_dropped(removed),
    }
}

fn forget_slot(s: &mut State, id: OpId) -> Option<(Slot, &'static str)> {
    let slot = s.slots.get_mut(&id)?;
    match slot.state {
        SlotState::Pending => {
            slot.orphan = true;
            None
        }
        SlotState::Done(_) => s.slots.remove(&id).map(|slot| {
            let what = slot.what;
            (slot, what)
        }),
    }
}

fn report_dropped(removed: Option<(Slot, &'static str)>) {
    if let Some((slot, what)) = removed {
        if let SlotState::Done(Settled::Err(t)) = &slot.state {
            if !slot.observed {
                php::warning(&format!("flame: unobserved failure of {what}: {}", t.describe()));
            }
        }
        drop(slot);
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
    let settled = with(|s| {
        let slot = s.slots.get_mut(&id)?;
        match &slot.state {
            SlotState::Pending => None,
            SlotState::Done(Settled::Ok(v)) => Some(Settled::Ok(v.shallow_clone())),
            SlotState::Done(Settled::Err(t)) => {
                slot.observed = true;
                Some(Settled::Err(t.duplicate()))
            }
        }
    });
    settled
}

// ───────────────────────────── coroutines ─────────────────────────────

/// Whether PHP code of a coroutine is running right now.
pub fn in_coroutine() -> bool {
    CURRENT.with(|c| c.get()) != 0
}

/// Schedules `callable` as a new coroutine (it starts when the loop runs).
pub fn spawn(callable: Zval) {
    // Not a generator function: it runs in a Fiber (a Generator it returns
    // is then driven like one).
    if !fiber::is_generator_function(&callable) {
        if let Ok(f) = fiber::new_fiber(&callable) {
            drop(callable);
            with(|s| {
                s.next_co += 1;
                let id = s.next_co;
                s.coroutines.insert(id, Coroutine { stack: Vec::new(), kind: Kind::Fiber(f, false) });
                s.ready.push_back((id, Resume::Begin));
            });
            return;
        }
    }
    with(|s| {
        s.next_co += 1;
        let id = s.next_co;
        s.coroutines.insert(id, Coroutine::default());
        s.ready.push_back((id, Resume::Start(callable)));
    });
}

/// Makes `waker` wait for operation `id` (or for nothing, with `settled`:
/// it is woken on the next turn of whatever loop runs).
pub fn add_waker(id: Option<OpId>, settled: Option<Settled>, waker: Box<dyn Waker>) {
    let co = with(|s| {
        s.next_co += 1;
        let co = s.next_co;
        s.coroutines.insert(co, Coroutine { stack: Vec::new(), kind: Kind::Waker(Some(waker)) });
        s.wakers += 1;
        if let Some(settled) = settled {
            let resume = match settled {
                Settled::Ok(v) => Resume::Send(v),
                Settled::Err(t) => Resume::Throw(t),
            };
            s.ready.push_back((co, resume));
        }
        co
    });
    if let Some(id) = id {
        wait_on(co, id);
    }
    wake_driver_if_idle();
}

/// How many wakers wait (see `add_waker`).
pub fn wakers() -> usize {
    with(|s| s.wakers)
}

/// Inside a Fiber coroutine running in its own fiber: suspends it until
/// operation `id` settles (None: not in one). The caller then takes the result.
pub fn suspend_fiber(id: OpId) -> Option<Result<(), Raised>> {
    let co = CURRENT.with(|c| c.get());
    let own = with(|s| match s.coroutines.get(&co).map(|c| &c.kind) {
        Some(Kind::Fiber(f, _)) => Some(f.shallow_clone()),
        _ => None,
    })?;
    if fiber::active() != fiber::object_of(&own) {
        return None;
    }
    let waits = with(|s| match s.slots.get_mut(&id) {
        Some(slot) if matches!(slot.state, SlotState::Pending) => {
            slot.waiters.push(co);
            true
        }
        _ => false,
    });
    if !waits {
        return Some(Ok(()));
    }
    Some(fiber::suspend(&own))
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

/// After `fork()`, operations started by the parent can never complete in
/// the child (the threads that would complete them do not exist here): fail
/// them, so nobody waits forever.
fn fail_inherited_operations() {
    let generation = crate::runtime::background::fork_generation();
    if with(|s| s.fork_gen == generation) {
        return;
    }
    let pid = crate::runtime::background::current_pid();
    // SAFETY: getppid has no preconditions and cannot fail.
    let parent = unsafe { libc::getppid() };
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
        if let Some(raised) = php::take_pending() {
            return Err(match raised {
                Raised::Exception(e) => Stop::Uncaught(e),
                other => Stop::Engine(other),
            });
        }
        if let Some(t) = target {
            if is_settled(t) {
                return Ok(());
            }
        }
        // Coroutines that always have a value at hand (a consumer with
        // prefetched messages) would keep the ready queue full: take in what
        // other operations completed every so often, so their coroutines get
        // their turn too.
        steps = steps.wrapping_add(1);
        if steps.is_multiple_of(64) {
            drain_ready_completions();
        }
        let next = with(|s| s.ready.pop_front());
        if let Some((co, resume)) = next {
            step(co, resume)?;
            continue;
        }
        let (live, pending) = with(|s| (s.coroutines.len(), s.pending));
        if target.is_none() && live == 0 {
            return Ok(());
        }
        if run_idle_hooks() {
            // Hooks may have settled something (a flush that ended settles
            // its operation directly, not through the channel) or freed
            // room: look again before sleeping. Hooks report work only when
            // they did some, so this does not spin.
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
    while let Ok((id, outcome)) = rx.try_recv() {
        settle(id, outcome);
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
    crate::runtime::readiness::clear();
    if drain_ready_completions() {
        return;
    }
    crate::runtime::readiness::sleep();
    crate::runtime::readiness::clear();
    drain_ready_completions();
}

/// `flame\poll()`: settles every completion waiting, runs what became
/// runnable (coroutines, wakers), never blocks; returns how many operations
/// it settled.
pub fn poll() -> Result<u64, Stop> {
    fail_inherited_operations();
    let _driving = Driving::enter();
    let before = SETTLED.with(|c| c.get());
    crate::runtime::readiness::clear();
    drain_ready_completions();
    run_idle_hooks();
    drain_ready_completions();
    // Bounded: coroutines that always have a value at hand must not keep
    // poll() from returning to its loop.
    let budget = with(|s| s.ready.len()) + 4096;
    let mut steps = 0;
    loop {
        process_deferred_drops();
        if let Some(raised) = php::take_pending() {
            return Err(match raised {
                Raised::Exception(e) => Stop::Uncaught(e),
                other => Stop::Engine(other),
            });
        }
        steps += 1;
        if steps % 64 == 0 {
            drain_ready_completions();
        }
        if steps > budget {
            crate::runtime::readiness::notify();
            break;
        }
        let next = with(|s| s.ready.pop_front());
        let Some((co, resume)) = next else { break };
        step(co, resume)?;
    }
    Ok(SETTLED.with(|c| c.get()) - before)
}

/// Handles whatever completions are ready without blocking (used at shutdown).
pub fn poll_completions() -> bool {
    drain_ready_completions()
}

fn finish_coroutine(co: CoId) {
    let gone = with(|s| s.coroutines.remove(&co));
    drop(gone);
}

fn step(co: CoId, resume: Resume) -> Result<(), Stop> {
    let (top, fiber, waker) = with(|s| match s.coroutines.get_mut(&co) {
        Some(c) => match &mut c.kind {
            Kind::Generators => (c.stack.last().map(|g| g.shallow_clone()), None, None),
            Kind::Fiber(f, started) => (None, Some((f.shallow_clone(), std::mem::replace(started, true))), None),
            Kind::Waker(w) => (None, None, w.take()),
        },
        None => (None, None, None),
    });
    if let Some(waker) = waker {
        with(|s| s.wakers -= 1);
        finish_coroutine(co);
        let settled = match resume {
            Resume::Send(v) => Settled::Ok(v),
            Resume::Throw(t) => Settled::Err(t),
            _ => Settled::Ok(Zval::null()),
        };
        return waker.wake(settled).map_err(|r| match r {
            Raised::Exception(e) => Stop::Uncaught(e),
            other => Stop::Engine(other),
        });
    }
    CURRENT.with(|c| c.set(co));
    let result = match fiber {
        Some((f, started)) => advance_fiber(co, f, started),
        None => advance(co, top, resume),
    };
    CURRENT.with(|c| c.set(0));
    match result {
        Err(Raised::Exception(e)) => {
            // The generator on top died with `e`: unwind to its parent.
            let (popped, empty) = with(|s| match s.coroutines.get_mut(&co) {
                Some(c) => {
                    let g = c.stack.pop();
                    (g, c.stack.is_empty())
                }
                None => (None, true),
            });
            drop(popped);
            if empty {
                finish_coroutine(co);
                return Err(Stop::Uncaught(e));
            }
            let zv = php::object_zval(e);
            with(|s| s.ready.push_back((co, Resume::Throw(Thrown::Object(zv)))));
            Ok(())
        }
        Err(other) => {
            finish_coroutine(co);
            Err(Stop::Engine(other))
        }
        Ok(Advanced::Finished) => {
            finish_coroutine(co);
            Ok(())
        }
        Ok(Advanced::Returned(value)) => {
            let (popped, empty) = with(|s| match s.coroutines.get_mut(&co) {
                Some(c) => {
                    let g = c.stack.pop();
                    (g, c.stack.is_empty())
                }
                None => (None, true),
            });
            drop(popped);
            if empty {
                finish_coroutine(co);
            } else {
                with(|s| s.ready.push_back((co, Resume::Send(value))));
            }
            Ok(())
        }
        Ok(Advanced::Yielded(value)) => {
            dispatch_yield(co, value);
            Ok(())
        }
        Ok(Advanced::Suspended) => Ok(()),
    }
}

/// Starts or resumes a Fiber coroutine until it suspends in `wait()` or ends.
fn advance_fiber(co: CoId, fiber: Zval, started: bool) -> Result<Advanced, Raised> {
    match fiber::run(&fiber, started)? {
        fiber::Ran::Suspended => Ok(Advanced::Suspended),
        fiber::Ran::Returned(v) if php::is_generator(&v) => {
            // A plain callable that returned a Generator: drive it from now on.
            let gen = v.shallow_clone();
            let old = with(|s| {
                let c = s.coroutines.get_mut(&co)?;
                c.stack.push(v);
                Some(std::mem::take(&mut c.kind))
            });
            drop(old);
            drop(fiber);
            advance(co, Some(gen), Resume::Begin)
        }
        fiber::Ran::Returned(_) => Ok(Advanced::Finished),
    }
}

enum Advanced {
    /// The coroutine function returned something that is not a generator.
    Finished,
    Returned(Zval),
    Yielded(Zval),
    /// A Fiber coroutine suspended itself in `wait()`.
    Suspended,
}

fn advance(co: CoId, top: Option<Zval>, resume: Resume) -> Result<Advanced, Raised> {
    let (gen, ret) = match resume {
        Resume::Start(callable) => {
            let ret = php::call(&callable, vec![])?;
            drop(callable);
            if !php::is_generator(&ret) {
                return Ok(Advanced::Finished);
            }
            let gen = ret.shallow_clone();
            with(|s| {
                if let Some(c) = s.coroutines.get_mut(&co) {
                    c.stack.push(ret)
                }
            });
            let cur = php::call_method(&gen, "current", vec![])?;
            (gen, cur)
        }
        Resume::Begin => {
            let gen = top.ok_or_else(lost)?;
            let cur = php::call_method(&gen, "current", vec![])?;
            (gen, cur)
        }
        Resume::Send(v) => {
            let gen = top.ok_or_else(lost)?;
            let cur = php::call_method(&gen, "send", vec![&v])?;
            (gen, cur)
        }
        Resume::Throw(t) => {
            let gen = top.ok_or_else(lost)?;
            let exc = match t {
                Thrown::Object(z) => z,
                Thrown::Failure(f) => {
                    let mut obj = php::exception_object(&f);
                    if let Some((file, line)) = php::generator_location(&gen) {
                        php::set_exception_location(&mut obj, &file, line);
                    }
                    php::object_zval(obj)
                }
            };
            let cur = php::call_method(&gen, "throw", vec![&exc])?;
            (gen, cur)
        }
    };
    // A null from current()/send() may mean "finished": only then ask valid().
    if ret.is_null() {
        let valid = php::call_method(&gen, "valid", vec![])?;
        if !valid.is_true() {
            let r = php::call_method(&gen, "getReturn", vec![])?;
            return Ok(Advanced::Returned(r));
        }
    }
    Ok(Advanced::Yielded(ret))
}

fn lost() -> Raised {
    let f = Failure::logic("flame: internal error: coroutine lost its generator");
    Raised::Exception(php::exception_object(&f))
}

/// Makes coroutine `co` wait for operation `id` (at once ready if it settled).
fn wait_on(co: CoId, id: OpId) {
    let stale = with(|s| match s.slots.get_mut(&id) {
        None => true,
        Some(slot) => {
            match &slot.state {
                SlotState::Pending => slot.waiters.push(co),
                SlotState::Done(Settled::Ok(v)) => {
                    let v = v.shallow_clone();
                    s.ready.push_back((co, Resume::Send(v)));
                }
                SlotState::Done(Settled::Err(t)) => {
                    slot.observed = true;
                    let t = t.duplicate();
                    s.ready.push_back((co, Resume::Throw(t)));
                }
            }
            false
        }
    });
    if stale {
        let f = Failure::logic("this flame\\awaitable belongs to a finished request and can never resolve");
        with(|s| s.ready.push_back((co, Resume::Throw(Thrown::Failure(f)))));
    }
}

fn dispatch_yield(co: CoId, value: Zval) {
    use crate::runtime::awaitable::{target_of, Target};
    let target = target_of(&value);
    if let Some(Target::Value(v)) = target {
        drop(value);
        with(|s| s.ready.push_back((co, Resume::Send(v))));
    } else if let Some(Target::Op(id)) = target {
        wait_on(co, id);
        drop(value);
    } else if php::is_generator(&value) {
        let handle = value.object().map(|o| o.get_id());
        let running =
            with(|s| s.coroutines.values().any(|c| c.stack.iter().any(|g| g.object().map(|o| o.get_id()) == handle)));
        if running {
            let mut f = Failure::logic("Impossible to yield from the Generator being currently run");
            f.kind = crate::runtime::completion::FailureKind::Error;
            with(|s| s.ready.push_back((co, Resume::Throw(Thrown::Failure(f)))));
            return;
        }
        with(|s| {
            if let Some(c) = s.coroutines.get_mut(&co) {
                c.stack.push(value);
                s.ready.push_back((co, Resume::Begin));
            }
        });
    } else {
        with(|s| s.ready.push_back((co, Resume::Send(value))));
    }
}

// ───────────────────────────── request end ─────────────────────────────

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
    for (_, slot) in old.slots.iter() {
        if let SlotState::Done(Settled::Err(t)) = &slot.state {
            if !slot.observed {
                php::warning(&format!("flame: unobserved failure of {}: {}", slot.what, t.describe()));
            }
        }
    }
    drop(old);
    DEFERRED_DROPS.with(|d| d.borrow_mut().clear());
    CURRENT.with(|c| c.set(0));
}
