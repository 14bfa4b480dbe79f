//! Stepping coroutines: start, resume with a value or a failure, unwind a
//! nested generator into its parent, and what each `yield` means (an
//! awaitable waits, a generator nests, anything else comes straight back).
//! A coroutine is a generator stack, a `\Fiber` (`runtime::fiber`), or a
//! waker (a Revolt suspension, `then()` callbacks) that waits like one.

use super::{with, Settled, SlotState, Stop, Thrown, CURRENT};
use crate::runtime::awaitable::{target_of, Target};
use crate::runtime::call::{self, Raised};
use crate::runtime::completion::{Failure, FailureKind, OpId};
use crate::runtime::{engine, errors, fiber};
use ext_php_rs::types::Zval;

pub(super) type CoId = u64;

pub(super) enum Resume {
    /// Call the coroutine's function.
    Start(Zval),
    /// Start the generator on top of the stack.
    Begin,
    Send(Zval),
    Throw(Thrown),
}

#[derive(Default)]
pub(super) struct Coroutine {
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

/// Whether PHP code of a coroutine is running right now.
pub fn in_coroutine() -> bool {
    CURRENT.with(|c| c.get()) != 0
}

/// Whether any coroutine exists (running, runnable or waiting).
pub fn has_coroutines() -> bool {
    with(|s| !s.coroutines.is_empty())
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
        wait_on(co, Some(id));
    }
    super::drive::wake_driver_if_idle();
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

fn finish_coroutine(co: CoId) {
    let gone = with(|s| s.coroutines.remove(&co));
    drop(gone);
}

/// Pops the generator on top of `co`; whether the coroutine is left empty.
fn pop_generator(co: CoId) -> bool {
    let (popped, empty) = with(|s| match s.coroutines.get_mut(&co) {
        Some(c) => {
            let g = c.stack.pop();
            (g, c.stack.is_empty())
        }
        None => (None, true),
    });
    drop(popped);
    empty
}

/// What `step` runs: a generator stack's top, a fiber, or a waker.
enum Runner {
    Generators(Option<Zval>),
    Fiber(Zval, bool),
    Waker(Option<Box<dyn Waker>>),
}

fn runner_of(co: CoId) -> Runner {
    with(|s| match s.coroutines.get_mut(&co) {
        Some(c) => match &mut c.kind {
            Kind::Generators => Runner::Generators(c.stack.last().map(|g| g.shallow_clone())),
            Kind::Fiber(f, started) => Runner::Fiber(f.shallow_clone(), std::mem::replace(started, true)),
            Kind::Waker(w) => Runner::Waker(w.take()),
        },
        None => Runner::Generators(None),
    })
}

/// Wakes a waker (once) with what its operation settled with.
fn wake(co: CoId, waker: Box<dyn Waker>, resume: Resume) -> Result<(), Stop> {
    with(|s| s.wakers -= 1);
    finish_coroutine(co);
    let settled = match resume {
        Resume::Send(v) => Settled::Ok(v),
        Resume::Throw(t) => Settled::Err(t),
        _ => Settled::Ok(Zval::null()),
    };
    waker.wake(settled).map_err(|r| match r {
        Raised::Exception(e) => Stop::Uncaught(e),
        other => Stop::Engine(other),
    })
}

/// Runs `co` until its next `yield` (or its end).
pub(super) fn step(co: CoId, resume: Resume) -> Result<(), Stop> {
    let top = match runner_of(co) {
        Runner::Waker(Some(waker)) => return wake(co, waker, resume),
        Runner::Waker(None) => None,
        Runner::Generators(top) => top,
        Runner::Fiber(f, started) => {
            CURRENT.with(|c| c.set(co));
            let result = advance_fiber(co, f, started);
            CURRENT.with(|c| c.set(0));
            return finish_step(co, result);
        }
    };
    CURRENT.with(|c| c.set(co));
    let result = advance(co, top, resume);
    CURRENT.with(|c| c.set(0));
    finish_step(co, result)
}

/// What a coroutine's run led to.
fn finish_step(co: CoId, result: Result<Advanced, Raised>) -> Result<(), Stop> {
    match result {
        Err(Raised::Exception(e)) => {
            // The generator on top died with `e`: unwind to its parent.
            if pop_generator(co) {
                finish_coroutine(co);
                return Err(Stop::Uncaught(e));
            }
            let zv = call::object_zval(e);
            with(|s| s.ready.push_back((co, Resume::Throw(Thrown::Object(zv)))));
        }
        Err(other) => {
            finish_coroutine(co);
            return Err(Stop::Engine(other));
        }
        Ok(Advanced::Finished) => finish_coroutine(co),
        Ok(Advanced::Returned(value)) => {
            if pop_generator(co) {
                finish_coroutine(co);
            } else {
                with(|s| s.ready.push_back((co, Resume::Send(value))));
            }
        }
        Ok(Advanced::Yielded(value)) => dispatch_yield(co, value),
        Ok(Advanced::Suspended) => {}
    }
    Ok(())
}

/// Starts or resumes a Fiber coroutine until it suspends in `wait()` or ends.
fn advance_fiber(co: CoId, fiber: Zval, started: bool) -> Result<Advanced, Raised> {
    match fiber::run(&fiber, started)? {
        fiber::Ran::Suspended => Ok(Advanced::Suspended),
        fiber::Ran::Returned(v) if engine::is_generator(&v) => {
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
            let ret = call::call(&callable, vec![])?;
            drop(callable);
            if !engine::is_generator(&ret) {
                return Ok(Advanced::Finished);
            }
            let gen = ret.shallow_clone();
            with(|s| {
                if let Some(c) = s.coroutines.get_mut(&co) {
                    c.stack.push(ret)
                }
            });
            let cur = call::call_method(&gen, "current", vec![])?;
            (gen, cur)
        }
        Resume::Begin => {
            let gen = top.ok_or_else(lost)?;
            let cur = call::call_method(&gen, "current", vec![])?;
            (gen, cur)
        }
        Resume::Send(v) => {
            let gen = top.ok_or_else(lost)?;
            let cur = call::call_method(&gen, "send", vec![&v])?;
            (gen, cur)
        }
        Resume::Throw(t) => {
            let gen = top.ok_or_else(lost)?;
            let exc = exception_at_yield(&gen, t);
            let cur = call::call_method(&gen, "throw", vec![&exc])?;
            (gen, cur)
        }
    };
    // A null from current()/send() may mean "finished": only then ask valid().
    if ret.is_null() {
        let valid = call::call_method(&gen, "valid", vec![])?;
        if !valid.is_true() {
            let r = call::call_method(&gen, "getReturn", vec![])?;
            return Ok(Advanced::Returned(r));
        }
    }
    Ok(Advanced::Yielded(ret))
}

/// The exception to throw into `gen`: a failure becomes an exception whose
/// file and line are the `yield`'s.
fn exception_at_yield(gen: &Zval, t: Thrown) -> Zval {
    match t {
        Thrown::Object(z) => z,
        Thrown::Failure(f) => {
            let mut obj = errors::exception_object(&f);
            let location = gen.object().filter(|_| engine::is_generator(gen)).and_then(engine::generator_location);
            if let Some((file, line)) = location {
                engine::set_exception_location(&mut obj, &file, line);
            }
            call::object_zval(obj)
        }
    }
}

fn lost() -> Raised {
    let f = Failure::logic("flame: internal error: coroutine lost its generator");
    Raised::Exception(errors::exception_object(&f))
}

fn dispatch_yield(co: CoId, value: Zval) {
    match target_of(&value) {
        Some(Target::Value(v)) => {
            drop(value);
            with(|s| s.ready.push_back((co, Resume::Send(v))));
        }
        Some(Target::Op(id)) => {
            wait_on(co, Some(id));
            drop(value);
        }
        Some(Target::Detached) => {
            wait_on(co, None);
            drop(value);
        }
        None if engine::is_generator(&value) => nest(co, value),
        None => with(|s| s.ready.push_back((co, Resume::Send(value)))),
    }
}

/// Makes coroutine `co` wait for operation `id` (at once ready if it
/// settled; None: an awaitable with no slot, which can never resolve).
fn wait_on(co: CoId, id: Option<OpId>) {
    let stale = with(|s| match id.and_then(|id| s.slots.get_mut(&id)) {
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

/// `co` yielded a generator: it runs on top of the coroutine (`yield from`).
fn nest(co: CoId, generator: Zval) {
    let handle = generator.object().map(|o| o.get_id());
    let running =
        with(|s| s.coroutines.values().any(|c| c.stack.iter().any(|g| g.object().map(|o| o.get_id()) == handle)));
    if running {
        let mut f = Failure::logic("Impossible to yield from the Generator being currently run");
        f.kind = FailureKind::Error;
        with(|s| s.ready.push_back((co, Resume::Throw(Thrown::Failure(f)))));
        return;
    }
    with(|s| {
        if let Some(c) = s.coroutines.get_mut(&co) {
            c.stack.push(generator);
            s.ready.push_back((co, Resume::Begin));
        }
    });
}
