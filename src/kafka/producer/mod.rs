//! `flame\db\kafka\producer`: one producer, one topic.
//!
//! Messages are enqueued into librdkafka on the PHP thread, and delivery
//! reports are served there too (`native.rs`: librdkafka's thread only wakes
//! the scheduler). The PHP thread keeps each message until its report
//! (`pending.rs`); a full local queue parks messages in a PHP-side backlog,
//! in order, retried as room frees (`backlog.rs`): nothing is dropped. A
//! `produce()` whose result is discarded at the call has no operation at all
//! (`Awaitable::detached`): only its failure is reported, and fire-and-forget
//! messages are never copied by flame_kafka.
//!
//! This file is the PHP class: arguments in, awaitables out.

mod backlog;
pub mod native;
pub mod persistent;
pub use backlog::shutdown_timeout;
mod pending;

use crate::kafka::config;
use crate::kafka::error::{code_of, describe, failure, kafka_exception, Code};
use crate::kafka::headers::produce_headers;
use crate::kafka::partitioner::{PartitionCount, Partitioner, Refused};
use crate::runtime::args::{ArrayArg, IntArg, StrArg};
use crate::runtime::awaitable::Awaitable;
use crate::runtime::background::ForkGuard;
use crate::runtime::errors::Func;
use crate::runtime::scheduler::{self, Thrown};
use crate::runtime::{engine, functions};
use backlog::Shared;
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use native::ProducerClient;
use pending::{Outgoing, PRODUCE};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

const CONSTRUCT: Func = Func("flame\\db\\kafka\\producer::__construct");
const PRODUCE_FN: Func = Func("flame\\db\\kafka\\producer::produce");
const FLUSH: Func = Func("flame\\db\\kafka\\producer::flush");

/// A Kafka producer for one topic. `produce()` resolves when the broker has
/// acknowledged the message.
#[php_class]
#[php(name = "flame\\db\\kafka\\producer")]
pub struct Producer {
    shared: Option<Rc<RefCell<Shared>>>,
    partitioner: Partitioner,
    partitions: PartitionCount,
    fork: ForkGuard,
}

impl Producer {
    fn shared(&self) -> PhpResult<&Rc<RefCell<Shared>>> {
        self.fork.check("flame\\db\\kafka\\producer").map_err(|m| kafka_exception(Code::State, m))?;
        self.shared.as_ref().ok_or_else(|| kafka_exception(Code::State, "this producer is closed"))
    }

    /// The partition for a message with `key` (`None`: librdkafka picks).
    fn partition_for(&mut self, key: Option<&[u8]>) -> Result<Option<i32>, Refused> {
        let Producer { shared, partitioner, partitions, .. } = self;
        partitioner.choose(key, || {
            let shared = shared.as_ref().ok_or_else(|| failure(Code::State, "this producer is closed"))?;
            let s = shared.borrow();
            partitions.get(&s.topic, |timeout| s.client.partition_count(timeout))
        })
    }
}

/// A `?string` argument of `produce()` that was given and is not null.
fn nullable_str<'a>(arg: StrArg<'a>, n: u32, name: &str) -> PhpResult<std::borrow::Cow<'a, [u8]>> {
    arg.0.map_err(|given| PRODUCE_FN.arg_type_error(n, name, format!("must be of type ?string, {given} given")))
}

/// A refused partition choice as what `produce()` returns.
fn refused(r: Refused) -> PhpResult<Awaitable> {
    match r {
        Refused::Failure(f) => Ok(Awaitable::failed(PRODUCE, Thrown::Failure(f))),
        Refused::Thrown(e) => Ok(Awaitable::failed(PRODUCE, Thrown::Object(e))),
        Refused::Exit => Err(PhpException::from_message(String::new())),
        // The callers' frames hold the produce() arguments (borrowed from the
        // engine, reclaimed with the request) and one Rc of the producer,
        // which then leaks once, on a fatal error that ends the request.
        Refused::Bailout => engine::resume_bailout(),
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Producer {
    /// Creates a producer of `$topic` (see librdkafka's CONFIGURATION.md for options).
    pub fn __construct(global_opt: ArrayArg<'_>, topic_opt: ArrayArg<'_>, topic: StrArg<'_>) -> PhpResult<Self> {
        let global_opt = global_opt.get(CONSTRUCT, 1, "global_opt", "array")?;
        let topic_opt = topic_opt.get(CONSTRUCT, 2, "topic_opt", "array")?;
        let topic = String::from_utf8_lossy(&topic.get(CONSTRUCT, 3, "topic")?).into_owned();
        if topic.is_empty() || topic.contains('\0') {
            return Err(CONSTRUCT.arg_value_error(3, "topic", "must be a non-empty topic name without NUL bytes"));
        }
        let options = config::producer(global_opt, topic_opt)?;
        let topic: Arc<str> = Arc::from(topic.as_str());
        let create = || {
            let quiet = Rc::new(Cell::new(false));
            let on_delivery = Box::new(pending::on_delivery(topic.clone(), quiet.clone()));
            ProducerClient::new(&options.settings, &topic, on_delivery, quiet)
        };
        let client = match &options.persistent {
            Some(key) => persistent::take(key, &topic, create),
            None => create().map(Rc::new),
        }
        .map_err(|e| kafka_exception(code_of(&e), format!("cannot create the producer: {}", describe(&e))))?;
        let shared = Shared::register(client, topic, options.persistent.is_some());
        functions::ensure_shutdown_function();
        Ok(Producer {
            shared: Some(shared),
            partitioner: options.partitioner,
            partitions: PartitionCount::new(options.partition_count_ttl),
            fork: ForkGuard::new(),
        })
    }

    /// Produces one message (a null payload: a record without value, a
    /// tombstone); resolves with the stored `message` once the broker
    /// acknowledged it.
    #[php(optional = key)]
    pub fn produce(
        &mut self,
        payload: Option<StrArg<'_>>,
        key: Option<StrArg<'_>>,
        headers: Option<&ZendHashTable>,
    ) -> PhpResult<Awaitable> {
        let shared = self.shared()?.clone();
        let headers = match headers {
            Some(h) => produce_headers(PRODUCE_FN, h)?,
            None => Vec::new(),
        };
        let (key, key_src) = match key {
            Some(k) => {
                let src = k.1;
                (Some(nullable_str(k, 2, "key")?), src)
            }
            None => (None, None),
        };
        let (payload, payload_src) = match payload {
            Some(p) => {
                let src = p.1;
                (Some(nullable_str(p, 1, "payload")?), src)
            }
            None => (None, None),
        };
        let partition = match self.partition_for(key.as_deref()) {
            Ok(p) => p,
            Err(r) => {
                drop((shared, headers));
                return refused(r);
            }
        };
        // `$producer->produce($x);` as a statement: nobody can ever see the
        // result, so no operation slot and no delivery report unless it fails.
        let id = engine::return_value_used().then(|| scheduler::begin_op(PRODUCE));
        let topic = shared.borrow().topic.clone();
        let out = Outgoing { id, topic, partition, payload, payload_src, key, key_src, headers };
        backlog::produce(&shared, out);
        Ok(match id {
            Some(id) => Awaitable::for_op(id),
            None => Awaitable::detached(),
        })
    }

    /// librdkafka's name of the client instance (`rdkafka#producer-N`, N
    /// counting the clients made in this process): the same name in a later
    /// request means its persistent client was reused.
    pub fn name(&self) -> PhpResult<String> {
        Ok(self.shared()?.borrow().client.instance_name())
    }

    /// Resolves with null once everything produced so far is acknowledged;
    /// fails after `$timeout_ms` saying how many are still pending.
    #[php(defaults(timeout_ms = 10000))]
    pub fn flush(&mut self, timeout_ms: IntArg) -> PhpResult<Awaitable> {
        let timeout_ms = timeout_ms.get(FLUSH, 1, "timeout_ms")?;
        let shared = self.shared()?.clone();
        if timeout_ms < 0 {
            return Err(FLUSH.arg_value_error(1, "timeout_ms", "must be greater than or equal to 0"));
        }
        let id = scheduler::begin_op("flame\\db\\kafka\\producer::flush()");
        backlog::add_flush_waiter(&shared, id, timeout_ms as u64);
        Ok(Awaitable::for_op(id))
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        let Some(shared) = self.shared.take() else { return };
        if self.fork.check("producer").is_err() {
            // A forked child must not touch the parent's librdkafka handle.
            std::mem::forget(shared);
            return;
        }
        backlog::flush_and_report_lost(&shared);
        // Fail flushes still waiting: the producer is gone.
        backlog::fail_flush_waiters(&shared);
    }
}
