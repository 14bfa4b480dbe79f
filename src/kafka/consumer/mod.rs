//! `flame\db\kafka\consumer`: a group member subscribed to one or more topics.
//!
//! Messages are taken on the PHP thread (`member.rs`: waiters in order, each
//! with its own deadline, resolved exactly once), from a librdkafka client
//! made and owned by `native.rs`. Commits and the close block in librdkafka:
//! they run on a worker thread and come back as completions.
//!
//! This file is the PHP class: arguments in, awaitables out.

mod member;
pub mod native;

use crate::kafka::config;
use crate::kafka::error::{code_of, describe, failure, kafka_exception, Code};
use crate::kafka::message::Message;
use crate::runtime::args::{entries, ArrayArg, IntArg};
use crate::runtime::awaitable::Awaitable;
use crate::runtime::background::{self, ForkGuard};
use crate::runtime::completion::{self, Outcome};
use crate::runtime::errors::Func;
use crate::runtime::scheduler::{self, Thrown};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, Zval};
use member::{batch_zval, Member, Taken};
use native::ConsumerClient;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

const CONSTRUCT: Func = Func("flame\\db\\kafka\\consumer::__construct");
const CONSUME: Func = Func("flame\\db\\kafka\\consumer::consume");
const CONSUME_BATCH: Func = Func("flame\\db\\kafka\\consumer::consume_batch");

/// The largest `$max` of consume_batch() (a list of a million messages is
/// already far more than any fetch brings at once).
const MAX_BATCH: usize = 1_000_000;
const COMMIT: Func = Func("flame\\db\\kafka\\consumer::commit");

static NEXT_CONSUMER: AtomicU64 = AtomicU64::new(1);

/// A Kafka consumer in a consumer group.
#[php_class]
#[php(name = "flame\\db\\kafka\\consumer")]
pub struct Consumer {
    /// None once closed.
    member: Option<Rc<RefCell<Member>>>,
    id: u64,
    fork: ForkGuard,
}

impl Consumer {
    /// consume() (`max == 0`) and consume_batch() (`max >= 1`). Fast path: no
    /// earlier call of this consumer still waits, and librdkafka already
    /// holds messages: take them right here. Waiters keep their order; each
    /// message goes to exactly one of them.
    fn take(&mut self, what: &'static str, max: usize, timeout_ms: i64) -> PhpResult<Awaitable> {
        let mut member = self.member()?.borrow_mut();
        if !member.has_waiters() {
            let taken = member.take_now(max);
            drop(member);
            match taken {
                Taken::Message(record) => return Ok(Awaitable::resolved(record.into_zval_now())),
                Taken::Batch(records) => return Ok(Awaitable::resolved(batch_zval(records))),
                Taken::Failed(f) => return Ok(Awaitable::failed(what, Thrown::Failure(f))),
                Taken::Nothing => member = self.member()?.borrow_mut(),
            }
        }
        let id = scheduler::begin_op(what);
        member.wait(id, max, (timeout_ms > 0).then(|| Duration::from_millis(timeout_ms as u64)));
        Ok(Awaitable::for_op(id))
    }

    fn check(&self) -> PhpResult<()> {
        self.fork.check("flame\\db\\kafka\\consumer").map_err(|m| kafka_exception(Code::State, m))
    }

    fn member(&self) -> PhpResult<&Rc<RefCell<Member>>> {
        self.member.as_ref().ok_or_else(|| kafka_exception(Code::State, "this consumer is closed"))
    }
}

/// `$topics`: a topic name or a list of them.
fn topic_list(topics: &Zval) -> PhpResult<Vec<String>> {
    let topics = topics.dereference();
    let list: Vec<String> = if let Some(s) = topics.str() {
        vec![s.to_string()]
    } else if let Some(arr) = topics.array() {
        let mut out = Vec::new();
        for (_, v) in entries(arr) {
            match v.dereference().str() {
                Some(s) => out.push(s.to_string()),
                None => return Err(CONSTRUCT.arg_type_error(3, "topics", "must contain only strings")),
            }
        }
        out
    } else {
        return Err(CONSTRUCT.arg_type(3, "topics", "array|string", topics));
    };
    if list.is_empty() || list.iter().any(|t| t.is_empty() || t.contains('\0')) {
        let what = "must name at least one topic, with no empty name and no NUL byte";
        return Err(CONSTRUCT.arg_value_error(3, "topics", what));
    }
    Ok(list)
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Consumer {
    /// Creates a consumer subscribed to `$topics` (a string is one topic).
    pub fn __construct(global_opt: ArrayArg<'_>, topic_opt: ArrayArg<'_>, topics: &Zval) -> PhpResult<Self> {
        let global_opt = global_opt.get(CONSTRUCT, 1, "global_opt", "array")?;
        let topic_opt = topic_opt.get(CONSTRUCT, 2, "topic_opt", "array")?;
        let topics = topic_list(topics)?;
        let settings = config::consumer(global_opt, topic_opt)?;
        let client = ConsumerClient::new(&settings, Arc::from(topics.join(",")))
            .map_err(|e| kafka_exception(code_of(&e), format!("cannot create the consumer: {}", describe(&e))))?;
        client.subscribe(&topics).map_err(|e| {
            let names: Vec<&str> = topics.iter().map(String::as_str).collect();
            kafka_exception(code_of(&e), format!("cannot subscribe to {names:?}: {}", describe(&e)))
        })?;
        let id = NEXT_CONSUMER.fetch_add(1, Ordering::Relaxed);
        Ok(Consumer { member: Some(Member::register(client, id)), id, fork: ForkGuard::new() })
    }

    /// The next message; with `$timeout_ms > 0`, null if none arrived in time.
    #[php(defaults(timeout_ms = 0))]
    pub fn consume(&mut self, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let timeout_ms = timeout_ms.get(CONSUME, 1, "timeout_ms")?;
        self.check()?;
        if timeout_ms < 0 {
            return Err(CONSUME.arg_value_error(1, "timeout_ms", "must be greater than or equal to 0"));
        }
        self.take("flame\\db\\kafka\\consumer::consume()", 0, timeout_ms)
    }

    /// Up to `$max` messages in order (at least one); with `$timeout_ms > 0`,
    /// `[]` if none arrived in time.
    #[php(defaults(timeout_ms = 0))]
    pub fn consume_batch(&mut self, max: IntArg, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let max = max.get(CONSUME_BATCH, 1, "max")?;
        let timeout_ms = timeout_ms.get(CONSUME_BATCH, 2, "timeout_ms")?;
        self.check()?;
        if !(1..=MAX_BATCH as i64).contains(&max) {
            return Err(CONSUME_BATCH.arg_value_error(
                1,
                "max",
                format!("must be between 1 and {MAX_BATCH}, {max} given"),
            ));
        }
        if timeout_ms < 0 {
            return Err(CONSUME_BATCH.arg_value_error(2, "timeout_ms", "must be greater than or equal to 0"));
        }
        self.take("flame\\db\\kafka\\consumer::consume_batch()", max as usize, timeout_ms)
    }

    /// Commits `$msg`'s offset + 1; resolves once the group coordinator accepted it.
    pub fn commit(&self, msg: &Zval) -> PhpResult<Awaitable> {
        self.check()?;
        let client = self.member()?.borrow().client.clone();
        let m = msg
            .object()
            .and_then(ZendClassObject::<Message>::from_zend_obj)
            .ok_or_else(|| COMMIT.arg_type(1, "msg", "flame\\db\\kafka\\message", msg))?;
        if m.consumer_id() != self.id {
            let message = "flame\\db\\kafka\\consumer::commit(): this message was not received by this consumer";
            return Err(kafka_exception(Code::InvalidArgument, message));
        }
        let (topic, partition, offset) = (m.topic.clone(), m.partition as i32, m.offset + 1);
        let id = scheduler::begin_op("flame\\db\\kafka\\consumer::commit()");
        let sink = completion::sink();
        background::runtime().spawn_blocking(move || {
            let outcome = match client.commit(&topic, partition, offset) {
                Ok(()) => Outcome::Null,
                Err(e) => Outcome::Fail(failure(code_of(&e), format!("commit failed: {}", describe(&e)))),
            };
            sink.complete(id, outcome);
        });
        Ok(Awaitable::for_op(id))
    }

    /// Leaves the group cleanly (final commit when auto-commit is on).
    pub fn close(&mut self) -> PhpResult<Awaitable> {
        self.check()?;
        let id = scheduler::begin_op("flame\\db\\kafka\\consumer::close()");
        match self.member.take() {
            Some(member) => {
                let client = member::stop(member);
                let sink = completion::sink();
                background::runtime().spawn_blocking(move || {
                    client.close();
                    drop(client);
                    sink.complete(id, Outcome::Null);
                });
            }
            None => scheduler::settle_now(id, Outcome::Null),
        }
        Ok(Awaitable::for_op(id))
    }
}

impl Drop for Consumer {
    fn drop(&mut self) {
        let Some(member) = self.member.take() else { return };
        if self.fork.check("consumer").is_err() {
            // Never touch the parent's librdkafka handle in a forked child.
            std::mem::forget(member);
            return;
        }
        // Leave the group now (blocking, bounded by librdkafka) so a new
        // member gets the partitions at once.
        member::stop(member).close();
    }
}
