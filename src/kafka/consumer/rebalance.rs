//! `rebalance_cb`: the PHP callable a consumer calls on the PHP thread for
//! each rebalance its client applied (see native.rs), in order with the
//! messages: an event travels the completion channel and, until the PHP
//! thread has run it, the member hands out no message (member.rs).

use super::member;
use super::native::{Notifier, Part, Rebalanced};
use crate::kafka::topic_partition::TopicPartition;
use crate::runtime::call::{self, object_zval, Raised};
use crate::runtime::completion::{self, Deliverable, Failure};
use crate::runtime::scheduler;
use ext_php_rs::types::{ZendHashTable, Zval};
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// The `rebalance_cb` of each live consumer that has one.
    static CALLBACKS: RefCell<HashMap<u64, Zval>> = RefCell::new(HashMap::new());
}

/// Keeps consumer `id`'s callable (until `forget` or the end of the request).
pub fn register(id: u64, callable: Zval) {
    CALLBACKS.with(|m| m.borrow_mut().insert(id, callable));
    scheduler::add_end_hook(forget_all);
}

/// Forgets consumer `id`'s callable.
pub fn forget(id: u64) {
    let cb = CALLBACKS.with(|m| m.try_borrow_mut().ok().and_then(|mut m| m.remove(&id)));
    drop(cb);
}

/// At the end of the request: a consumer kept alive by a reference cycle
/// must not hold PHP values past it.
fn forget_all() {
    let all = CALLBACKS.with(|m| std::mem::take(&mut *m.borrow_mut()));
    drop(all);
}

/// A rebalance on its way to the PHP thread.
pub struct RebalanceEvent {
    pub consumer_id: u64,
    pub rebalanced: Rebalanced,
}

impl RebalanceEvent {
    /// Sends it through the completion channel of `sink`'s PHP thread.
    pub fn send(sink: completion::Sink, consumer_id: u64, rebalanced: Rebalanced) {
        sink.run(Box::new(RebalanceEvent { consumer_id, rebalanced }));
    }
}

/// Where the rebalances served during the close go (a worker thread): to
/// this PHP thread (call on it).
pub fn notifier(consumer_id: u64) -> Notifier {
    let sink = completion::sink();
    Box::new(move |r| RebalanceEvent::send(sink, consumer_id, r))
}

impl Deliverable for RebalanceEvent {
    /// Calls the callable (PHP thread), then lets the member hand out
    /// messages again. What it throws is left pending: the scheduler
    /// rethrows it from run()/wait() (it belongs to no coroutine), as for the
    /// logger; an exit() in it ends the script.
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        let cb = CALLBACKS.with(|m| m.borrow().get(&self.consumer_id).map(Zval::shallow_clone));
        if let Some(cb) = cb {
            let kind = self.rebalanced.kind;
            let list = list_zval(self.rebalanced.partitions);
            match call::call(&cb, vec![&kind, &list]) {
                Ok(_) | Err(Raised::Exit) => {}
                Err(Raised::Exception(e)) => {
                    let _ = ext_php_rs::exception::throw_object(object_zval(e));
                }
                Err(Raised::Bailout) => crate::runtime::engine::resume_bailout(),
            }
        }
        member::rebalance_done(self.consumer_id);
        Ok(Zval::null())
    }
}

/// A PHP list of `topic_partition` (PHP thread only).
pub fn list_zval(parts: Vec<Part>) -> Zval {
    let mut ht = ZendHashTable::with_capacity(parts.len() as u32);
    for (topic, partition, offset) in parts {
        let _ = ht.push(TopicPartition::new(topic, partition, offset).into_zval_now());
    }
    let mut z = Zval::new();
    z.set_hashtable(ht);
    z
}
