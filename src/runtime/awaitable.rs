//! `flame\awaitable`: the handle of one asynchronous operation, as data.
//! Its PHP methods (`wait()`, `ready()`) and its end are in `wait.rs`, above
//! the scheduler; the scheduler reads what a yielded awaitable stands for.

use crate::runtime::completion::OpId;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, Zval};

/// The result of an asynchronous operation. `yield` it inside a coroutine,
/// or call `wait()` in a plain script.
#[php_class]
#[php(name = "flame\\awaitable")]
#[php(flags = ClassFlags::Final)]
pub struct Awaitable {
    pub(crate) target: Target,
}

/// What an awaitable stands for.
pub enum Target {
    /// An operation of the scheduler (its slot).
    Op(OpId),
    /// An operation whose result the caller discarded at the call
    /// (`$producer->produce($x);`): no slot, PHP frees it right after the call.
    Detached,
    /// A value it already had at birth (a message the consumer had at hand).
    Value(Zval),
}

impl Awaitable {
    /// Wraps an operation registered with the scheduler.
    pub fn for_op(id: OpId) -> Self {
        Self { target: Target::Op(id) }
    }

    /// The awaitable of an operation whose result the caller discards.
    pub fn detached() -> Self {
        Self { target: Target::Detached }
    }

    /// An awaitable that already has its value: it carries it itself, no
    /// operation slot involved.
    pub fn resolved(value: Zval) -> Self {
        Self { target: Target::Value(value) }
    }
}

/// What an awaitable zval stands for, if it is one.
pub fn target_of(v: &Zval) -> Option<Target> {
    let obj = v.object()?;
    let a = ZendClassObject::<Awaitable>::from_zend_obj(obj)?;
    Some(match &a.target {
        Target::Op(id) => Target::Op(*id),
        Target::Detached => Target::Detached,
        Target::Value(value) => Target::Value(value.shallow_clone()),
    })
}
