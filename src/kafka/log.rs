//! librdkafka's log lines and error events, delivered to an optional PHP
//! logger on the PHP thread.
//!
//! librdkafka calls `log`/`error` on its own threads: they only build an
//! owned `LogEvent` and send it through the completion channel as an event
//! (`Completion::Event`). The scheduler hands events to `deliver` on the PHP
//! thread whenever it runs (the loop, `wait()`, the end of the request).
//! Without a logger nothing is collected. The level of librdkafka's log lines
//! is librdkafka's own `log_level` property (and `debug` for debug contexts).

use crate::kafka::native::client::{Event, LogLine};
use crate::runtime::args::CallableArg;
use crate::runtime::call::{self, object_zval, Raised};
use crate::runtime::completion::{Deliverable, Failure, Sink};
use crate::runtime::errors::Func;
use crate::runtime::scheduler;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::KafkaError;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a PHP logger is set (read by librdkafka's threads).
static ENABLED: AtomicBool = AtomicBool::new(false);

thread_local! {
    static LOGGER: RefCell<Option<Zval>> = const { RefCell::new(None) };
}

/// One log line or error event, as owned data.
pub struct LogEvent {
    pub level: i64,
    pub facility: String,
    pub message: String,
    pub client: String,
}

impl Deliverable for LogEvent {
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        let mut ht = ZendHashTable::new();
        let _ = ht.insert("level", self.level);
        let _ = ht.insert("facility", self.facility);
        let _ = ht.insert("message", self.message);
        let _ = ht.insert("client", self.client);
        let mut z = Zval::new();
        z.set_hashtable(ht);
        Ok(z)
    }
}

/// From any thread: queue a log line for the PHP thread `to` (the one that
/// made the client) if a logger is set.
pub fn log(to: Sink, client: &str, level: RDKafkaLogLevel, facility: &str, message: &str) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    to.event(Box::new(LogEvent {
        level: level as i64,
        facility: facility.to_string(),
        message: message.to_string(),
        client: client.to_string(),
    }));
}

/// A log line a client's queue gave (on the thread that polled it), for
/// the PHP thread `to`.
pub fn line(to: Sink, client: &str, line: &LogLine) {
    log(to, client, line.level, &line.facility, &line.message);
}

/// An error event a client's queue gave, as rust-rdkafka's context saw it
/// (`KafkaError::Global`), with librdkafka's reason.
pub fn error_event(to: Sink, client: &str, event: &Event) {
    let (code, reason) = (event.error_code(), event.error_string());
    error(to, client, &KafkaError::Global(code.into()), reason.trim());
}

/// From librdkafka's threads: an error event (e.g. all brokers down), level 3.
pub fn error(to: Sink, client: &str, err: &KafkaError, reason: &str) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    to.event(Box::new(LogEvent {
        level: RDKafkaLogLevel::Error as i64,
        facility: "ERROR".into(),
        message: format!("{err}: {reason}"),
        client: client.to_string(),
    }));
}

/// Event hook of the scheduler (PHP thread): calls the logger.
fn deliver(event: Box<dyn Deliverable>) {
    let logger = LOGGER.with(|l| l.borrow().as_ref().map(|z| z.shallow_clone()));
    let Some(logger) = logger else { return };
    let Ok(entry) = event.into_php() else { return };
    let Some(ht) = entry.array() else { return };
    let level = ht.get("level").and_then(|v| v.long()).unwrap_or(0);
    let facility = ht.get("facility").and_then(|v| v.string()).unwrap_or_default();
    let message = ht.get("message").and_then(|v| v.string()).unwrap_or_default();
    let client = ht.get("client").and_then(|v| v.string()).unwrap_or_default();
    // An exception from the logger is left pending: the scheduler rethrows
    // it from run()/wait() (it belongs to no coroutine).
    let _ = call::guarded(|| {
        ext_php_rs::types::ZendCallable::new(&logger)
            .ok()
            .and_then(|c| c.try_call(vec![&level, &facility, &message, &client]).ok())
    })
    .map_err(|raised| {
        if let Raised::Exception(e) = raised {
            let _ = ext_php_rs::exception::throw_object(object_zval(e));
        }
    });
}

/// Sets (or with null removes) the logger for librdkafka's log lines and
/// error events of every client: `function(int $level, string $facility,
/// string $message, string $client): void`, called on the PHP thread.
#[php_function]
#[php(name = "flame\\db\\kafka\\logger")]
pub fn logger(r#fn: Option<CallableArg>) -> PhpResult<()> {
    match r#fn.filter(|f| !f.0.is_null()) {
        Some(f) => {
            let f = f.get(Func("flame\\db\\kafka\\logger"), 1, "fn")?;
            LOGGER.with(|l| *l.borrow_mut() = Some(f.shallow_clone()));
            scheduler::set_event_hook(deliver);
            ENABLED.store(true, Ordering::Release);
        }
        None => {
            ENABLED.store(false, Ordering::Release);
            let old = LOGGER.with(|l| l.borrow_mut().take());
            drop(old);
        }
    }
    Ok(())
}

/// Forgets the logger at the end of the request.
pub fn reset_request() {
    ENABLED.store(false, Ordering::Release);
    let old = LOGGER.with(|l| l.borrow_mut().take());
    drop(old);
}

/// Adds `flame\db\kafka\logger` to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module.function(wrap_function!(logger))
}
