//! The librdkafka boundary shared by every client: the one handle owner
//! (`handle`), configurations (`conf`), client creation and the event queue
//! (`client`), the mock cluster's C API (`mock`). The producer's and the
//! consumer's own calls are in `producer/native.rs` and `consumer/native.rs`.
//!
//! Clients are made with librdkafka's C API directly (rust-rdkafka's
//! `Client::new` loses one queue handle per client). rust-rdkafka's
//! `KafkaError` and `RDKafkaErrorCode` stay the vocabulary for errors.

pub mod client;
pub mod conf;
pub mod handle;
pub mod metadata;
pub mod mock;

use std::ffi::CStr;
use std::os::raw::c_char;

/// A NUL-terminated C string as owned Rust text (lossy; empty for null).
///
/// # Safety
/// `ptr` is null or a NUL-terminated string that lives during the call.
pub unsafe fn text(ptr: *const c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: non-null and NUL-terminated (the caller's contract).
    unsafe { CStr::from_ptr(ptr) }.to_string_lossy().into_owned()
}

/// An error buffer as librdkafka fills it (`errstr`, `errstr_size`).
pub struct ErrBuf([c_char; 512]);

impl ErrBuf {
    pub fn new() -> Self {
        ErrBuf([0; 512])
    }

    pub fn as_mut_ptr(&mut self) -> *mut c_char {
        self.0.as_mut_ptr()
    }

    pub fn capacity(&self) -> usize {
        self.0.len()
    }
}

impl Default for ErrBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for ErrBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The buffer is zeroed at birth and librdkafka NUL-terminates what it
        // writes, so the last byte is always 0.
        let bytes: Vec<u8> = self.0.iter().take_while(|c| **c != 0).map(|c| *c as u8).collect();
        f.write_str(&String::from_utf8_lossy(&bytes))
    }
}

/// librdkafka's description of an error code (`rd_kafka_err2str`).
pub fn err2str(code: rdkafka::bindings::rd_kafka_resp_err_t) -> String {
    // SAFETY: rd_kafka_err2str returns a static NUL-terminated string for any code.
    unsafe { text(rdkafka::bindings::rd_kafka_err2str(code)) }
}

/// Whether `code` is one librdkafka defines (its own error table), as the enum.
pub fn known_error(code: i64) -> Option<rdkafka::bindings::rd_kafka_resp_err_t> {
    let mut descs: *const rdkafka::bindings::rd_kafka_err_desc = std::ptr::null();
    let mut count: usize = 0;
    // SAFETY: only writes the address and length of librdkafka's static table.
    unsafe { rdkafka::bindings::rd_kafka_get_err_descs(&mut descs, &mut count) };
    if descs.is_null() {
        return None;
    }
    // SAFETY: the table is static: `descs` points to `count` initialised entries.
    let table = unsafe { std::slice::from_raw_parts(descs, count) };
    let code = i32::try_from(code).ok()?;
    table.iter().find(|d| !d.name.is_null() && d.code as i32 == code).map(|d| d.code)
}

/// A message's timestamp in milliseconds (0 when it has none, as
/// rust-rdkafka's `Timestamp::to_millis().unwrap_or(0)`).
pub fn timestamp_ms(m: &rdkafka::bindings::rd_kafka_message_t) -> i64 {
    use rdkafka::bindings::rd_kafka_timestamp_type_t as T;
    let mut kind = T::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    // SAFETY: `m` is a live message.
    let ts = unsafe { rdkafka::bindings::rd_kafka_message_timestamp(m, &mut kind) };
    if ts == -1 || kind == T::RD_KAFKA_TIMESTAMP_NOT_AVAILABLE {
        0
    } else {
        ts
    }
}
