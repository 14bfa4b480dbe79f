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
mod rebalance;

use crate::kafka::config;
use crate::kafka::error::{code_of, describe, failure, kafka_exception, Code};
use crate::kafka::message::Message;
use crate::kafka::topic_partition::{name_arg, TopicPartition};
use crate::runtime::args::{entries, ArrayArg, IntArg, StrArg};
use crate::runtime::awaitable::Awaitable;
use crate::runtime::background::{self, ForkGuard};
use crate::runtime::completion::Failure;
use crate::runtime::completion::{self, Outcome};
use crate::runtime::errors::type_name;
use crate::runtime::errors::Func;
use crate::runtime::scheduler::{self, Thrown};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ext_php_rs::types::{ZendClassObject, Zval};
use member::{batch_zval, Member, Taken};
use native::ConsumerClient;
use native::{NativeError, Part};
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
const ASSIGN: Func = Func("flame\\db\\kafka\\consumer::assign");
const SEEK: Func = Func("flame\\db\\kafka\\consumer::seek");
const PAUSE: Func = Func("flame\\db\\kafka\\consumer::pause");
const RESUME: Func = Func("flame\\db\\kafka\\consumer::resume");
const COMMITTED: Func = Func("flame\\db\\kafka\\consumer::committed");
const POSITION: Func = Func("flame\\db\\kafka\\consumer::position");
const WATERMARKS: Func = Func("flame\\db\\kafka\\consumer::watermarks");
const OFFSETS_FOR_TIMES: Func = Func("flame\\db\\kafka\\consumer::offsets_for_times");
const STORE_OFFSET: Func = Func("flame\\db\\kafka\\consumer::store_offset");

static NEXT_CONSUMER: AtomicU64 = AtomicU64::new(1);

/// A Kafka consumer in a consumer group.
#[php_class]
#[php(name = "flame\\db\\kafka\\consumer")]
pub struct Consumer {
    /// None once closed.
    member: Option<Rc<RefCell<Member>>>,
    /// Constructed with topics (a group subscription), not for assign().
    subscribed: bool,
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

    /// The client, unless the consumer is closed.
    fn client(&self) -> PhpResult<Arc<ConsumerClient>> {
        self.check()?;
        Ok(self.member()?.borrow().client.clone())
    }

    /// (topic, partition, offset) of a message received by this consumer.
    fn own_message(&self, msg: &Zval, func: Func) -> PhpResult<Part> {
        let m = msg
            .dereference()
            .object()
            .and_then(ZendClassObject::<Message>::from_zend_obj)
            .ok_or_else(|| func.arg_type(1, "msg", "flame\\db\\kafka\\message", msg))?;
        if m.consumer_id() != self.id {
            let message = format!("{}(): this message was not received by this consumer", func.name());
            return Err(kafka_exception(Code::InvalidArgument, message));
        }
        Ok((m.topic.clone(), m.partition as i32, m.offset))
    }

    fn pause_resume(&self, func: Func, partitions: ArrayArg<'_>, pause: bool) -> PhpResult<()> {
        let partitions = partitions.get(func, 1, "partitions", "array")?;
        let parts = parts_arg(partitions, func, true)?;
        let client = self.client()?;
        let failed = |e: NativeError| kafka_exception(e.code, format!("{}(): {e}", func.name()));
        let assigned = client.assignment().map_err(failed)?;
        for (t, p, _) in &parts {
            if !assigned.iter().any(|(at, ap, _)| at == t && ap == p) {
                let message = format!("{}(): {t} [{p}] is not assigned to this consumer", func.name());
                return Err(kafka_exception(Code::UnknownPartition, message));
            }
        }
        client.pause(&parts, pause).map_err(failed)
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
    // `[]`: no subscription (partitions come from assign()).
    if list.iter().any(|t| t.is_empty() || t.contains('\0')) {
        let what = "must not contain an empty name or a NUL byte";
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
        let rebalance_cb = match global_opt.get("rebalance_cb") {
            Some(cb) if cb.is_callable() => Some(cb.shallow_clone()),
            Some(cb) => {
                let what = format!(
                    "option \"rebalance_cb\" must be a valid callback (function(string $kind, array $partitions): void), {} given",
                    type_name(cb)
                );
                return Err(CONSTRUCT.arg_type_error(1, "global_opt", what));
            }
            None => None,
        };
        let settings = config::consumer(global_opt, topic_opt)?;
        let id = NEXT_CONSUMER.fetch_add(1, Ordering::Relaxed);
        let name = if topics.is_empty() { "(assigned)".to_string() } else { topics.join(",") };
        let notifier = rebalance_cb.is_some().then(|| rebalance::notifier(id));
        let client = ConsumerClient::new(&settings, Arc::from(name), notifier)
            .map_err(|e| kafka_exception(code_of(&e), format!("cannot create the consumer: {}", describe(&e))))?;
        if !topics.is_empty() {
            client.subscribe(&topics).map_err(|e| {
                let names: Vec<&str> = topics.iter().map(String::as_str).collect();
                kafka_exception(code_of(&e), format!("cannot subscribe to {names:?}: {}", describe(&e)))
            })?;
        }
        if let Some(cb) = rebalance_cb {
            rebalance::register(id, cb);
        }
        Ok(Consumer {
            member: Some(Member::register(client, id)),
            subscribed: !topics.is_empty(),
            id,
            fork: ForkGuard::new(),
        })
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

    /// Commits `$msg`'s offset + 1 (with null: the current positions of the
    /// whole assignment); resolves once the group coordinator accepted it.
    #[php(optional = "msg")]
    pub fn commit(&self, msg: Option<&Zval>) -> PhpResult<Awaitable> {
        let one = match msg.filter(|m| !m.is_null()) {
            Some(m) => Some(self.own_message(m, COMMIT)?),
            None => None,
        };
        let client = self.client()?;
        Ok(blocking("flame\\db\\kafka\\consumer::commit()", move || match one {
            Some((topic, partition, offset)) => client
                .commit(&topic, partition, offset + 1)
                .map(|()| Outcome::Null)
                .map_err(|e| failure(code_of(&e), format!("commit failed: {}", describe(&e)))),
            None => client.commit_positions().map(|()| Outcome::Null).map_err(|e| native_failure("commit", e)),
        }))
    }

    /// Assigns exactly these partitions (for a consumer made with `$topics = []`);
    /// `[]` removes the assignment.
    pub fn assign(&mut self, partitions: ArrayArg<'_>) -> PhpResult<Awaitable> {
        let partitions = partitions.get(ASSIGN, 1, "partitions", "array")?;
        let parts = parts_arg(partitions, ASSIGN, false)?;
        let client = self.client()?;
        if self.subscribed {
            let message = "flame\\db\\kafka\\consumer::assign(): this consumer subscribed to topics; \
                           assign() is for a consumer constructed with $topics = []";
            return Err(kafka_exception(Code::State, message));
        }
        Ok(blocking("flame\\db\\kafka\\consumer::assign()", move || {
            client.assign(&parts).map(|()| Outcome::Null).map_err(|e| native_failure("assign", e))
        }))
    }

    /// The partitions assigned to this consumer now.
    pub fn assignment(&self) -> PhpResult<Vec<TopicPartition>> {
        let client = self.client()?;
        let parts = client.assignment().map_err(|e| kafka_exception(e.code, format!("assignment failed: {e}")))?;
        Ok(tps(parts))
    }

    /// The next message of that partition will be the record at `$offset`
    /// (or `topic_partition::BEGINNING` / `END`).
    #[php(defaults(timeout_ms = 5000))]
    pub fn seek(
        &mut self,
        topic: StrArg<'_>,
        partition: IntArg,
        offset: IntArg,
        timeout_ms: IntArg,
    ) -> PhpResult<Awaitable> {
        let topic = topic.get(SEEK, 1, "topic")?;
        let topic = name_arg(&topic, SEEK.name(), 1, "topic")?;
        let partition = partition_arg(partition.get(SEEK, 2, "partition")?, SEEK, 2)?;
        let offset = offset.get(SEEK, 3, "offset")?;
        if offset < TopicPartition::BEGINNING {
            let what =
                format!("must be an offset (>= 0) or topic_partition::BEGINNING (-2) or END (-1), {offset} given");
            return Err(SEEK.arg_value_error(3, "offset", what));
        }
        let timeout = timeout_arg(timeout_ms.get(SEEK, 4, "timeout_ms")?, SEEK, 4)?;
        let client = self.client()?;
        Ok(blocking("flame\\db\\kafka\\consumer::seek()", move || {
            let what = format!("seek({topic} [{partition}], {offset})");
            client
                .seek((topic, partition, offset), timeout)
                .map(|()| Outcome::Null)
                .map_err(|e| native_failure(&what, e))
        }))
    }

    /// Stops delivering messages of these partitions until resume().
    pub fn pause(&mut self, partitions: ArrayArg<'_>) -> PhpResult<()> {
        self.pause_resume(PAUSE, partitions, true)
    }

    /// Delivers messages of these partitions again, from where they stopped.
    pub fn resume(&mut self, partitions: ArrayArg<'_>) -> PhpResult<()> {
        self.pause_resume(RESUME, partitions, false)
    }

    /// The group's committed offsets of these partitions (-1001: none).
    #[php(defaults(timeout_ms = 5000))]
    pub fn committed(&mut self, partitions: ArrayArg<'_>, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let partitions = partitions.get(COMMITTED, 1, "partitions", "array")?;
        let parts = parts_arg(partitions, COMMITTED, true)?;
        let timeout = timeout_arg(timeout_ms.get(COMMITTED, 2, "timeout_ms")?, COMMITTED, 2)?;
        let client = self.client()?;
        Ok(blocking("flame\\db\\kafka\\consumer::committed()", move || {
            let parts = client.committed(&parts, timeout).map_err(|e| native_failure("committed", e))?;
            Ok(Outcome::Value(Box::new(PartList(parts))))
        }))
    }

    /// The next offsets to be consumed of these partitions (-1001: none yet).
    pub fn position(&mut self, partitions: ArrayArg<'_>) -> PhpResult<Vec<TopicPartition>> {
        let partitions = partitions.get(POSITION, 1, "partitions", "array")?;
        let parts = parts_arg(partitions, POSITION, true)?;
        let client = self.client()?;
        let parts = client.position(&parts).map_err(|e| kafka_exception(e.code, format!("position failed: {e}")))?;
        Ok(tps(parts))
    }

    /// `[low, high]`: the first offset still in the partition and the offset
    /// the next record will get, asked from the partition's leader.
    #[php(defaults(timeout_ms = 5000))]
    pub fn watermarks(&mut self, topic: StrArg<'_>, partition: IntArg, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let topic = topic.get(WATERMARKS, 1, "topic")?;
        let topic = name_arg(&topic, WATERMARKS.name(), 1, "topic")?;
        let partition = partition_arg(partition.get(WATERMARKS, 2, "partition")?, WATERMARKS, 2)?;
        let timeout = timeout_arg(timeout_ms.get(WATERMARKS, 3, "timeout_ms")?, WATERMARKS, 3)?;
        let client = self.client()?;
        Ok(blocking("flame\\db\\kafka\\consumer::watermarks()", move || {
            let (low, high) = client.watermarks(&topic, partition, timeout).map_err(|e| {
                failure(code_of(&e), format!("watermarks({topic} [{partition}]) failed: {}", describe(&e)))
            })?;
            Ok(Outcome::Value(Box::new(Watermarks(low, high))))
        }))
    }

    /// For each partition, whose `offset` holds a timestamp in ms: the
    /// earliest offset whose record timestamp is >= it (END when none).
    #[php(defaults(timeout_ms = 5000))]
    pub fn offsets_for_times(&mut self, partitions: ArrayArg<'_>, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let partitions = partitions.get(OFFSETS_FOR_TIMES, 1, "partitions", "array")?;
        let parts = parts_arg(partitions, OFFSETS_FOR_TIMES, false)?;
        let timeout = timeout_arg(timeout_ms.get(OFFSETS_FOR_TIMES, 2, "timeout_ms")?, OFFSETS_FOR_TIMES, 2)?;
        let client = self.client()?;
        Ok(blocking("flame\\db\\kafka\\consumer::offsets_for_times()", move || {
            let parts =
                client.offsets_for_times(&parts, timeout).map_err(|e| native_failure("offsets_for_times", e))?;
            Ok(Outcome::Value(Box::new(PartList(parts))))
        }))
    }

    /// Marks `$msg` done: auto-commit commits its offset + 1 (with
    /// `enable.auto.offset.store=false`).
    pub fn store_offset(&mut self, msg: &Zval) -> PhpResult<()> {
        let (topic, partition, offset) = self.own_message(msg, STORE_OFFSET)?;
        let client = self.client()?;
        client.store_offset(&topic, partition, offset + 1).map_err(|e| {
            let message =
                format!("{}(): cannot store the offset of {topic} [{partition}] @ {offset}: {e}", STORE_OFFSET.name());
            kafka_exception(e.code, message)
        })
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
        rebalance::forget(self.id);
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

/// A list of topic_partition resolving an awaitable.
struct PartList(Vec<Part>);

impl completion::Deliverable for PartList {
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        Ok(rebalance::list_zval(self.0))
    }
}

/// `[low, high]` of `watermarks()`.
struct Watermarks(i64, i64);

impl completion::Deliverable for Watermarks {
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        let mut ht = ZendHashTable::with_capacity(2);
        let _ = ht.push(self.0);
        let _ = ht.push(self.1);
        let mut z = Zval::new();
        z.set_hashtable(ht);
        Ok(z)
    }
}

fn tps(parts: Vec<Part>) -> Vec<TopicPartition> {
    parts.into_iter().map(|(t, p, o)| TopicPartition::new(t, p, o)).collect()
}

/// A list of `topic_partition` (argument 1 of `func`); with
/// `partitions_only`, the offsets are left out (STORED).
fn parts_arg(arr: &ZendHashTable, func: Func, partitions_only: bool) -> PhpResult<Vec<Part>> {
    let mut out = Vec::with_capacity(arr.len());
    for (_, v) in entries(arr) {
        let tp = TopicPartition::from_php(v).ok_or_else(|| {
            let what = format!("must contain only flame\\db\\kafka\\topic_partition objects, {} given", type_name(v));
            func.arg_type_error(1, "partitions", what)
        })?;
        let offset = if partitions_only { TopicPartition::STORED } else { tp.offset };
        out.push((tp.topic.clone(), tp.partition as i32, offset));
    }
    Ok(out)
}

/// A partition argument: 0..=i32::MAX.
fn partition_arg(p: i64, func: Func, n: u32) -> PhpResult<i32> {
    i32::try_from(p)
        .ok()
        .filter(|p| *p >= 0)
        .ok_or_else(|| func.arg_value_error(n, "partition", format!("must be between 0 and {}, {p} given", i32::MAX)))
}

/// A timeout argument in ms: >= 0.
fn timeout_arg(ms: i64, func: Func, n: u32) -> PhpResult<Duration> {
    if ms < 0 {
        return Err(func.arg_value_error(n, "timeout_ms", "must be greater than or equal to 0"));
    }
    Ok(Duration::from_millis(ms as u64))
}

/// "`what` failed: librdkafka's reason", with librdkafka's code.
fn native_failure(what: &str, e: NativeError) -> Failure {
    failure(e.code, format!("{what} failed: {e}"))
}

/// Runs a blocking librdkafka call on a worker thread; its result settles
/// the returned awaitable through the completion channel.
fn blocking(what: &'static str, call: impl FnOnce() -> Result<Outcome, Failure> + Send + 'static) -> Awaitable {
    let id = scheduler::begin_op(what);
    let sink = completion::sink();
    background::runtime().spawn_blocking(move || {
        sink.complete(id, call().unwrap_or_else(Outcome::Fail));
    });
    Awaitable::for_op(id)
}
