//! `flame\db\kafka\admin`: topics, partitions, configuration, consumer
//! groups and records of a cluster.
//!
//! The PHP thread checks the arguments (a bad one is a `\ValueError` or
//! `\TypeError` naming it, thrown at the call) and hands owned data to a job
//! on tokio's blocking pool; the job makes the blocking librdkafka calls
//! (`native`) and sends the answer (`results`) or the broker's refusal
//! through the completion channel. The PHP values are built on the PHP
//! thread when the awaitable settles.

mod native;
mod request;
mod results;

use crate::kafka::config::{self, Scope};
use crate::kafka::error::{code_of, describe, kafka_exception, Code};
use crate::kafka::topic_partition::name_arg;
use crate::runtime::args::{entries, ArrayArg, IntArg, StrArg};
use crate::runtime::awaitable::Awaitable;
use crate::runtime::background::{self, ForkGuard};
use crate::runtime::completion::{self, Failure, Outcome};
use crate::runtime::errors::{arg_type_error, type_error, type_name, value_error};
use crate::runtime::scheduler;
use ext_php_rs::convert::{FromZval, StubLiteral};
use ext_php_rs::exception::PhpResult;
use ext_php_rs::flags::DataType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use native::Client;
use results::{Answer, GroupOffset};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

const CLASS: &str = "flame\\db\\kafka\\admin";

/// librdkafka's limits (rd_kafka_NewTopic_new): partitions, replicas.
const MAX_PARTITIONS: i64 = 100_000;
const MAX_REPLICATION_FACTOR: i64 = 10_000;

/// An admin client of a Kafka cluster.
#[php_class]
#[php(name = "flame\\db\\kafka\\admin")]
pub struct Admin {
    client: Option<Arc<Client>>,
    fork: ForkGuard,
}

/// An optional `array` parameter whose default is `[]`.
pub struct ArrayOrEmpty<'a>(Option<&'a Zval>);

/// The default of an [`ArrayOrEmpty`] parameter.
pub struct Empty;

impl From<Empty> for ArrayOrEmpty<'_> {
    fn from(_: Empty) -> Self {
        ArrayOrEmpty(None)
    }
}

impl StubLiteral for ArrayOrEmpty<'_> {
    fn stub_literal(&self) -> String {
        "[]".into()
    }
}

impl<'a> FromZval<'a> for ArrayOrEmpty<'a> {
    const TYPE: DataType = DataType::Array;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        if zval.dereference().is_null() {
            return None;
        }
        Some(ArrayOrEmpty(Some(zval)))
    }
}

impl<'a> ArrayOrEmpty<'a> {
    fn get(self, func: &str, n: u32, name: &str) -> PhpResult<Option<&'a ZendHashTable>> {
        self.0.map(|z| ArrayArg(z).get(func, n, name, "array")).transpose()
    }
}

/// The entries of a `$config` argument (name => scalar; `null` only where
/// `nullable`, meaning "back to the default"), or the error naming it.
fn config_entries(
    table: &ZendHashTable,
    func: &str,
    n: u32,
    nullable: bool,
) -> PhpResult<Vec<(String, Option<String>)>> {
    let mut out = Vec::with_capacity(table.len());
    for (key, v) in entries(table) {
        let key = key.map_err(|lossy| {
            value_error(format!("{func}(): Argument #{n} ($config) has a name that is not valid UTF-8: \"{lossy}\""))
        })?;
        if key.is_empty() || key.contains('\0') {
            return Err(value_error(format!(
                "{func}(): Argument #{n} ($config) must map config names (non-empty, no NUL byte) to values"
            )));
        }
        let v = v.dereference();
        let value = if let Some(s) = v.zend_str() {
            let s = std::str::from_utf8(s.as_bytes()).ok().filter(|s| !s.contains('\0')).ok_or_else(|| {
                value_error(format!(
                    "{func}(): Argument #{n} ($config) value of \"{key}\" must be valid UTF-8 without NUL bytes"
                ))
            })?;
            Some(s.to_string())
        } else if let Some(b) = v.bool() {
            Some(b.to_string())
        } else if let Some(l) = v.long() {
            Some(l.to_string())
        } else if let Some(d) = v.double() {
            Some(config::format_double(d))
        } else if v.is_null() && nullable {
            None
        } else {
            let expected = if nullable { "string|int|float|bool|null" } else { "string|int|float|bool" };
            return Err(type_error(format!(
                "{func}(): Argument #{n} ($config) value of \"{key}\" must be of type {expected}, {} given",
                type_name(v)
            )));
        };
        out.push((key, value));
    }
    Ok(out)
}

fn in_range(
    v: i64,
    range: std::ops::RangeInclusive<i64>,
    also: Option<i64>,
    func: &str,
    n: u32,
    name: &str,
) -> PhpResult<()> {
    if range.contains(&v) || also == Some(v) {
        return Ok(());
    }
    let or = also.map(|a| format!(" (or {a})")).unwrap_or_default();
    Err(value_error(format!(
        "{func}(): Argument #{n} (${name}) must be between {} and {}{or}, {v} given",
        range.start(),
        range.end()
    )))
}

fn resolved_null(r: Result<(), Failure>) -> Outcome {
    match r {
        Ok(()) => Outcome::Null,
        Err(f) => Outcome::Fail(f),
    }
}

fn resolved<T>(r: Result<T, Failure>, wrap: fn(T) -> Answer) -> Outcome {
    match r {
        Ok(v) => Outcome::Value(Box::new(wrap(v))),
        Err(f) => Outcome::Fail(f),
    }
}

impl Admin {
    fn client(&self) -> PhpResult<Arc<Client>> {
        self.fork.check(CLASS).map_err(|m| kafka_exception(Code::State, m))?;
        self.client.clone().ok_or_else(|| kafka_exception(Code::State, "this admin is not constructed"))
    }

    /// Runs `job` on the blocking pool; its outcome settles the awaitable.
    fn start(&self, what: &'static str, job: impl FnOnce(&Client) -> Outcome + Send + 'static) -> PhpResult<Awaitable> {
        let client = self.client()?;
        let id = scheduler::begin_op(what);
        let sink = completion::sink();
        background::runtime().spawn_blocking(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| job(&client)))
                .unwrap_or_else(|_| Outcome::Fail(Failure::runtime(format!("{what}: internal error (a Rust panic)"))));
            native::serve_logs(&client);
            sink.complete(id, outcome);
        });
        Ok(Awaitable::for_op(id))
    }
}

#[php_impl]
#[php(change_method_case = "snake_case")]
impl Admin {
    /// An admin client; `$global_opt` are librdkafka properties
    /// (`bootstrap.servers` required).
    pub fn __construct(global_opt: ArrayArg<'_>) -> PhpResult<Self> {
        let global_opt = global_opt.get(&format!("{CLASS}::__construct"), 1, "global_opt", "array")?;
        let mut global = config::pairs(global_opt, Scope::Global, &[])?;
        // A producer-type handle would have metadata() create the topics it
        // asks about (on brokers with auto.create.topics.enable).
        if !global.iter().any(|(k, _)| k == "allow.auto.create.topics") {
            global.push(("allow.auto.create.topics".into(), "false".into()));
        }
        let settings = config::build(&global, &[])?;
        let client = native::connect(&settings, "admin")
            .map_err(|e| kafka_exception(code_of(&e), format!("cannot create the admin client: {}", describe(&e))))?;
        Ok(Admin { client: Some(Arc::new(client)), fork: ForkGuard::new() })
    }

    /// Creates a topic; resolves `null` once the controller created it.
    #[php(defaults(partitions = 1, replication_factor = -1, config = Empty))]
    pub fn create_topic(
        &self,
        topic: StrArg<'_>,
        partitions: IntArg,
        replication_factor: IntArg,
        config: ArrayOrEmpty<'_>,
    ) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::create_topic");
        let topic = name_arg(&topic.get(&f, 1, "topic")?, &f, 1, "topic")?;
        let partitions = partitions.get(&f, 2, "partitions")?;
        let replication_factor = replication_factor.get(&f, 3, "replication_factor")?;
        in_range(partitions, 1..=MAX_PARTITIONS, Some(-1), &f, 2, "partitions")?;
        in_range(replication_factor, 1..=MAX_REPLICATION_FACTOR, Some(-1), &f, 3, "replication_factor")?;
        let config: Vec<(String, String)> = match config.get(&f, 4, "config")? {
            Some(t) => config_entries(t, &f, 4, false)?.into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect(),
            None => Vec::new(),
        };
        let what = format!("{f}({topic})");
        self.start("flame\\db\\kafka\\admin::create_topic()", move |c| {
            resolved_null(native::create_topic(c, &what, &topic, partitions as i32, replication_factor as i32, &config))
        })
    }

    /// Deletes a topic.
    pub fn delete_topic(&self, topic: StrArg<'_>) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::delete_topic");
        let topic = name_arg(&topic.get(&f, 1, "topic")?, &f, 1, "topic")?;
        let what = format!("{f}({topic})");
        self.start("flame\\db\\kafka\\admin::delete_topic()", move |c| {
            resolved_null(native::delete_topic(c, &what, &topic))
        })
    }

    /// Grows a topic to `$total` partitions.
    pub fn create_partitions(&self, topic: StrArg<'_>, total: IntArg) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::create_partitions");
        let topic = name_arg(&topic.get(&f, 1, "topic")?, &f, 1, "topic")?;
        let total = total.get(&f, 2, "total")?;
        in_range(total, 1..=MAX_PARTITIONS, None, &f, 2, "total")?;
        let what = format!("{f}({topic}, {total})");
        self.start("flame\\db\\kafka\\admin::create_partitions()", move |c| {
            resolved_null(native::create_partitions(c, &what, &topic, total as usize))
        })
    }

    /// Brokers, controller and topics (all of them, or `$topic`).
    pub fn metadata(&self, topic: Option<StrArg<'_>>) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::metadata");
        let topic = match topic {
            Some(StrArg(Err(given), _)) => {
                return Err(arg_type_error(&f.as_str(), 1, "topic", format!("must be of type ?string, {given} given")))
            }
            Some(t) => Some(name_arg(&t.get(&f, 1, "topic")?, &f, 1, "topic")?),
            None => None,
        };
        let what = match &topic {
            Some(t) => format!("{f}({t})"),
            None => format!("{f}()"),
        };
        self.start("flame\\db\\kafka\\admin::metadata()", move |c| {
            resolved(native::metadata(c, &what, topic.as_deref()), Answer::Metadata)
        })
    }

    /// The topic's configuration: name => value (null when sensitive).
    pub fn describe_config(&self, topic: StrArg<'_>) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::describe_config");
        let topic = name_arg(&topic.get(&f, 1, "topic")?, &f, 1, "topic")?;
        let what = format!("{f}({topic})");
        self.start("flame\\db\\kafka\\admin::describe_config()", move |c| {
            resolved(native::describe_config(c, &what, &topic), Answer::Config)
        })
    }

    /// Changes only the given config names (a `null` value reverts one to
    /// its default).
    pub fn alter_config(&self, topic: StrArg<'_>, config: ArrayArg<'_>) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::alter_config");
        let topic = name_arg(&topic.get(&f, 1, "topic")?, &f, 1, "topic")?;
        let changes = config_entries(config.get(&f, 2, "config", "array")?, &f, 2, true)?;
        if changes.is_empty() {
            return Err(value_error(format!("{f}(): Argument #2 ($config) must not be empty")));
        }
        let what = format!("{f}({topic})");
        self.start("flame\\db\\kafka\\admin::alter_config()", move |c| {
            resolved_null(native::alter_config(c, &what, &topic, &changes))
        })
    }

    /// The ids of the cluster's consumer groups, sorted.
    pub fn list_groups(&self) -> PhpResult<Awaitable> {
        let what = format!("{CLASS}::list_groups()");
        self.start("flame\\db\\kafka\\admin::list_groups()", move |c| {
            resolved(native::list_groups(c, &what), Answer::Groups)
        })
    }

    /// A group's state, assignor and members with their assignments.
    pub fn describe_group(&self, group: StrArg<'_>) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::describe_group");
        let group = name_arg(&group.get(&f, 1, "group")?, &f, 1, "group")?;
        let what = format!("{f}({group})");
        self.start("flame\\db\\kafka\\admin::describe_group()", move |c| {
            resolved(native::describe_group(c, &what, &group), Answer::Group)
        })
    }

    /// Per partition the group committed to: committed offset, high
    /// watermark and the lag between them.
    pub fn group_offsets(&self, group: StrArg<'_>) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::group_offsets");
        let group = name_arg(&group.get(&f, 1, "group")?, &f, 1, "group")?;
        let what = format!("{f}({group})");
        self.start("flame\\db\\kafka\\admin::group_offsets()", move |c| {
            let offsets = native::committed_offsets(c, &what, &group).and_then(|list| {
                list.into_iter()
                    .map(|(topic, partition, committed)| {
                        let high = native::high_watermark(c, &what, &topic, partition)?;
                        Ok(GroupOffset { topic, partition, committed, high })
                    })
                    .collect::<Result<Vec<_>, Failure>>()
            });
            resolved(offsets, Answer::Offsets)
        })
    }

    /// Deletes a consumer group (one without active members).
    pub fn delete_group(&self, group: StrArg<'_>) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::delete_group");
        let group = name_arg(&group.get(&f, 1, "group")?, &f, 1, "group")?;
        let what = format!("{f}({group})");
        self.start("flame\\db\\kafka\\admin::delete_group()", move |c| {
            resolved_null(native::delete_group(c, &what, &group))
        })
    }

    /// Deletes the partition's records before `$before_offset`
    /// (`topic_partition::END`: all); resolves with the new low watermark.
    pub fn delete_records(&self, topic: StrArg<'_>, partition: IntArg, before_offset: IntArg) -> PhpResult<Awaitable> {
        let f = format!("{CLASS}::delete_records");
        let topic = name_arg(&topic.get(&f, 1, "topic")?, &f, 1, "topic")?;
        let partition = partition.get(&f, 2, "partition")?;
        let before = before_offset.get(&f, 3, "before_offset")?;
        in_range(partition, 0..=i32::MAX as i64, None, &f, 2, "partition")?;
        if before < -1 {
            return Err(value_error(format!(
                "{f}(): Argument #3 ($before_offset) must be an offset (>= 0) or topic_partition::END (-1), {before} given"
            )));
        }
        let what = format!("{f}({topic}, {partition}, {before})");
        self.start("flame\\db\\kafka\\admin::delete_records()", move |c| {
            resolved(native::delete_records(c, &what, &topic, partition as i32, before), Answer::Int)
        })
    }
}

impl Drop for Admin {
    fn drop(&mut self) {
        if self.fork.check(CLASS).is_err() {
            // Never touch the parent's librdkafka handle in a forked child.
            if let Some(c) = self.client.take() {
                std::mem::forget(c);
            }
        }
    }
}
