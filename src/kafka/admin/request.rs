//! The plumbing of `admin`'s librdkafka requests: the client, its log
//! lines, one request sent and its result event awaited on a private queue,
//! and librdkafka's refusals as `Failure`s. Worker threads only.

use crate::kafka::log;
use crate::kafka::native::client::{Kind, Polled};
use crate::kafka::native::conf::Settings;
use crate::kafka::native::handle::Owned;
use crate::kafka::native::text;
use crate::runtime::completion::Failure;
use rdkafka::bindings as rd;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use std::ffi::{c_char, CString};
use std::sync::Arc;
use std::time::Duration;

/// The admin's librdkafka client (a producer-type handle, as librdkafka's
/// own admin examples use; it never produces), made and owned by
/// `kafka::native::client`.
pub use crate::kafka::native::client::Client;

/// How long librdkafka waits for the broker's answer to one request.
pub(super) const REQUEST_TIMEOUT_MS: i32 = 30_000;
/// How long the controller may take to carry out topic and partition
/// changes before answering: the request resolves once they are done.
pub(super) const OPERATION_TIMEOUT_MS: i32 = 30_000;

/// Creates the client from checked settings.
pub fn connect(settings: &Settings, name: &str) -> Result<Client, KafkaError> {
    Client::new(Kind::Producer, settings, 0, Arc::from(name))
}

/// Delivers the log lines and error events waiting on `client`'s main
/// queue to the PHP logger (nobody else polls an admin client's main queue;
/// `rd_kafka_poll` would print them to stderr instead).
pub fn serve_logs(client: &Client) {
    let main = client.main_queue();
    loop {
        match client.poll_event(&main, Duration::ZERO) {
            Polled::Nothing => break,
            Polled::Log(line) => log::line(client.sink(), client.name(), &line),
            Polled::Event(ev) if ev.kind() == rd::RD_KAFKA_EVENT_ERROR => {
                log::error_event(client.sink(), client.name(), &ev)
            }
            Polled::Event(_) | Polled::Consumed => {}
        }
    }
}

/// librdkafka's description of an error code ("Broker: Topic already exists").
pub(super) fn describe_code(code: rd::rd_kafka_resp_err_t) -> String {
    // SAFETY: rd_kafka_err2str returns a static string for every value.
    unsafe { text(rd::rd_kafka_err2str(code)) }
}

/// A refusal as data: `what`, librdkafka's description, the broker's detail.
pub(super) fn refused(code: rd::rd_kafka_resp_err_t, what: &str, detail: &str) -> Failure {
    let desc = describe_code(code);
    let message = if detail.is_empty() || detail == desc {
        format!("{what}: {desc}")
    } else {
        format!("{what}: {desc}: {detail}")
    };
    Failure::domain(code as i32, message)
}

pub(super) fn invalid(what: &str, detail: &str) -> Failure {
    Failure::domain(RDKafkaErrorCode::InvalidArgument as i32, format!("{what}: {detail}"))
}

pub(super) fn c_str(s: &str, what: &str) -> Result<CString, Failure> {
    CString::new(s).map_err(|_| invalid(what, "a name contains a NUL byte"))
}

pub(super) const NO_ERROR: rd::rd_kafka_resp_err_t = rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR;

/// Owns a `rd_kafka_error_t` (if any) and turns it into a Failure.
///
/// # Safety
/// `e` is null or an error object the caller owns (it is destroyed here).
pub(super) unsafe fn owned_error(e: *mut rd::rd_kafka_error_t, what: &str) -> Result<(), Failure> {
    // SAFETY: the caller hands over ownership.
    let Some(e) = (unsafe { Owned::from_ptr(e) }) else { return Ok(()) };
    // SAFETY: `e` is alive until the end of this block.
    let (code, detail) = unsafe { (rd::rd_kafka_error_code(e.ptr()), text(rd::rd_kafka_error_string(e.ptr()))) };
    Err(refused(code, what, &detail))
}

/// A borrowed `rd_kafka_error_t` (owned by a result) as a Failure.
///
/// # Safety
/// `e` is null or alive for the call.
pub(super) unsafe fn borrowed_error(e: *const rd::rd_kafka_error_t, what: &str) -> Result<(), Failure> {
    if e.is_null() {
        return Ok(());
    }
    // SAFETY: non-null and alive (the caller's contract).
    let (code, detail) = unsafe { (rd::rd_kafka_error_code(e), text(rd::rd_kafka_error_string(e))) };
    Err(refused(code, what, &detail))
}

/// Sends one admin request (`start` calls librdkafka's function with the
/// client, the options and the result queue) and waits on this thread for
/// its result event. A request-level error is a Failure.
pub(super) fn request(
    client: &Client,
    api: rd::rd_kafka_admin_op_t,
    what: &str,
    start: impl FnOnce(*mut rd::rd_kafka_t, *const rd::rd_kafka_AdminOptions_t, *mut rd::rd_kafka_queue_t),
) -> Result<Owned<rd::rd_kafka_event_t>, Failure> {
    let rk = client.ptr();
    let mut errstr = [0 as c_char; 256];
    // SAFETY: `rk` is alive (the client is borrowed for the whole call); the
    // options and the queue are owned here and destroyed after the event
    // arrived (or the wait gave up: librdkafka keeps its own reference to
    // the queue of a request in flight).
    unsafe {
        let opts =
            Owned::from_ptr(rd::rd_kafka_AdminOptions_new(rk, api)).ok_or_else(|| invalid(what, "no options"))?;
        rd::rd_kafka_AdminOptions_set_request_timeout(opts.ptr(), REQUEST_TIMEOUT_MS, errstr.as_mut_ptr(), 256);
        let with_operation = [
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_CREATETOPICS,
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETETOPICS,
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_CREATEPARTITIONS,
            rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETERECORDS,
        ];
        if with_operation.contains(&api) {
            rd::rd_kafka_AdminOptions_set_operation_timeout(opts.ptr(), OPERATION_TIMEOUT_MS, errstr.as_mut_ptr(), 256);
        }
        let queue = Owned::from_ptr(rd::rd_kafka_queue_new(rk)).ok_or_else(|| invalid(what, "no result queue"))?;
        start(rk, opts.ptr(), queue.ptr());
        let wait = REQUEST_TIMEOUT_MS + OPERATION_TIMEOUT_MS + 5_000;
        let Some(ev) = Owned::from_ptr(rd::rd_kafka_queue_poll(queue.ptr(), wait)) else {
            let code = rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR__TIMED_OUT;
            return Err(refused(code, what, &format!("no answer within {} ms", wait)));
        };
        let code = rd::rd_kafka_event_error(ev.ptr());
        if code != NO_ERROR {
            return Err(refused(code, what, &text(rd::rd_kafka_event_error_string(ev.ptr()))));
        }
        Ok(ev)
    }
}

/// The first failed topic result among `cnt` at `results`.
///
/// # Safety
/// `results` points to `cnt` topic results alive for the call.
pub(super) unsafe fn check_topic_results(
    results: *mut *const rd::rd_kafka_topic_result_t,
    cnt: usize,
    what: &str,
) -> Result<(), Failure> {
    for i in 0..cnt {
        // SAFETY: within the array (the caller's contract).
        let (code, detail) = unsafe {
            let r = *results.add(i);
            (rd::rd_kafka_topic_result_error(r), text(rd::rd_kafka_topic_result_error_string(r)))
        };
        if code != NO_ERROR {
            return Err(refused(code, what, &detail));
        }
    }
    Ok(())
}
