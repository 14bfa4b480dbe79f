//! librdkafka configurations: checking one property, building a client's
//! configuration from checked string pairs, reading a property back.

use super::handle::Owned;
use super::{text, ErrBuf};
use rdkafka::bindings as rd;
use rdkafka::error::KafkaError;
use std::ffi::CString;

/// A client's configuration as plain data (checked by `kafka::config`):
/// properties in the order given (a later value for a key wins, as in
/// librdkafka) and the log level to start with.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub pairs: Vec<(String, String)>,
    pub log_level: i32,
}

/// librdkafka's sensitive properties (flagged `_RK_SENSITIVE` in its
/// rdkafka_conf.c, 2.12.1, plus the alias of one): their values are secrets
/// and never appear in a message of ours.
pub const SENSITIVE: &[&str] = &[
    "sasl.username",
    "sasl.password",
    "ssl.key.location",
    "ssl.key.password",
    "ssl.key.pem",
    "ssl_key",
    "ssl.ca.pem",
    "ssl.keystore.password",
    "sasl.oauthbearer.config",
    "sasl.oauthbearer.client.secret",
    "sasl.oauthbearer.client.credentials.client.secret",
    "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.private.key.passphrase",
    "sasl.oauthbearer.assertion.private.key.pem",
];

impl Settings {
    /// The values of the sensitive properties set (to scrub from texts).
    pub fn secrets(&self) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| SENSITIVE.contains(&k.as_str()) && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Which configuration a property is checked against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    Global,
    Topic,
}

/// Why librdkafka refused a property.
#[derive(Debug)]
pub struct Refused {
    /// librdkafka does not know the property (`RD_KAFKA_CONF_UNKNOWN`).
    pub unknown: bool,
    pub reason: String,
}

/// Asks librdkafka whether `key = value` is valid: `Err(librdkafka's reason)`.
/// Both strings must be free of NUL bytes (checked by the caller).
pub fn check(key: &CString, value: &CString, level: Level) -> Result<(), String> {
    check_property(key, value, level).map_err(|r| r.reason)
}

/// `check`, also saying whether the property is unknown to librdkafka.
pub fn check_property(key: &CString, value: &CString, level: Level) -> Result<(), Refused> {
    let refused = |reason: &str| Refused { unknown: false, reason: reason.to_string() };
    let mut errstr = ErrBuf::new();
    let res = match level {
        Level::Global => {
            // SAFETY: a fresh conf, owned here and destroyed at the end of the scope.
            let conf = unsafe { Owned::from_ptr(rd::rd_kafka_conf_new()) }.ok_or_else(|| refused("out of memory"))?;
            // SAFETY: `conf` is live; `key`, `value` and `errstr` outlive the call
            // and librdkafka writes at most `capacity()` bytes into `errstr`.
            unsafe {
                rd::rd_kafka_conf_set(conf.ptr(), key.as_ptr(), value.as_ptr(), errstr.as_mut_ptr(), errstr.capacity())
            }
        }
        Level::Topic => {
            // SAFETY: a fresh topic conf, owned here and destroyed at the end of the scope.
            let conf =
                unsafe { Owned::from_ptr(rd::rd_kafka_topic_conf_new()) }.ok_or_else(|| refused("out of memory"))?;
            // SAFETY: as above, for the topic configuration.
            unsafe {
                rd::rd_kafka_topic_conf_set(
                    conf.ptr(),
                    key.as_ptr(),
                    value.as_ptr(),
                    errstr.as_mut_ptr(),
                    errstr.capacity(),
                )
            }
        }
    };
    if res == rd::rd_kafka_conf_res_t::RD_KAFKA_CONF_OK {
        Ok(())
    } else {
        Err(Refused { unknown: res == rd::rd_kafka_conf_res_t::RD_KAFKA_CONF_UNKNOWN, reason: errstr.to_string() })
    }
}

/// A client configuration with every pair of `settings` set (a topic
/// property set here goes to the client's default topic configuration).
pub fn build(settings: &Settings) -> Result<Owned<rd::rd_kafka_conf_t>, KafkaError> {
    // SAFETY: a fresh conf, owned by the returned value (or destroyed on error).
    let conf = unsafe { Owned::from_ptr(rd::rd_kafka_conf_new()) }
        .ok_or_else(|| KafkaError::ClientCreation("rd_kafka_conf_new failed".into()))?;
    for (key, value) in &settings.pairs {
        set(&conf, key, value)?;
    }
    Ok(conf)
}

/// Sets one property (rust-rdkafka's `NativeClientConfig::set`, same error).
pub fn set(conf: &Owned<rd::rd_kafka_conf_t>, key: &str, value: &str) -> Result<(), KafkaError> {
    let nul = |_| KafkaError::ClientCreation(format!("option \"{key}\" contains a NUL byte"));
    let (ckey, cvalue) = (CString::new(key).map_err(nul)?, CString::new(value).map_err(nul)?);
    let mut errstr = ErrBuf::new();
    // SAFETY: `conf` is live; the strings and `errstr` outlive the call.
    let res = unsafe {
        rd::rd_kafka_conf_set(conf.ptr(), ckey.as_ptr(), cvalue.as_ptr(), errstr.as_mut_ptr(), errstr.capacity())
    };
    if res == rd::rd_kafka_conf_res_t::RD_KAFKA_CONF_OK {
        Ok(())
    } else {
        Err(KafkaError::ClientConfig(res, errstr.to_string(), key.to_string(), value.to_string()))
    }
}

/// The value of a global property in librdkafka's defaults (e.g.
/// `builtin.features`), empty if unknown.
pub fn default_value(key: &std::ffi::CStr) -> String {
    let mut buf = [0 as std::os::raw::c_char; 1024];
    let mut len = buf.len();
    // SAFETY: a fresh conf, owned here and destroyed at the end of the function.
    let Some(conf) = (unsafe { Owned::from_ptr(rd::rd_kafka_conf_new()) }) else { return String::new() };
    // SAFETY: `conf` is live; `buf`/`len` describe a writable buffer that outlives
    // the call, and librdkafka NUL-terminates what it writes (it is zeroed besides).
    let res = unsafe { rd::rd_kafka_conf_get(conf.ptr(), key.as_ptr(), buf.as_mut_ptr(), &mut len) };
    if res != rd::rd_kafka_conf_res_t::RD_KAFKA_CONF_OK {
        return String::new();
    }
    // SAFETY: `buf` is NUL-terminated (see above).
    unsafe { text(buf.as_ptr()) }
}

/// The names of librdkafka's global and topic properties as its dumps list
/// them (the checks in `kafka::config`'s tests compare against these).
pub fn property_names() -> Vec<String> {
    let mut names = Vec::new();
    // SAFETY: fresh confs, owned here and destroyed at the end of the function.
    let (conf, topic) =
        unsafe { (Owned::from_ptr(rd::rd_kafka_conf_new()), Owned::from_ptr(rd::rd_kafka_topic_conf_new())) };
    let mut collect = |arr: *mut *const std::os::raw::c_char, count: usize| {
        if arr.is_null() {
            return;
        }
        // SAFETY: a dump is `count` NUL-terminated strings, name then value, freed below.
        unsafe {
            for i in (0..count).step_by(2) {
                names.push(text(*arr.add(i)));
            }
            rd::rd_kafka_conf_dump_free(arr, count);
        }
    };
    if let Some(conf) = &conf {
        let mut count = 0;
        // SAFETY: `conf` is live; the dump returned is freed by `collect`.
        let arr = unsafe { rd::rd_kafka_conf_dump(conf.ptr(), &mut count) };
        collect(arr, count);
    }
    if let Some(topic) = &topic {
        let mut count = 0;
        // SAFETY: `topic` is live; the dump returned is freed by `collect`.
        let arr = unsafe { rd::rd_kafka_topic_conf_dump(topic.ptr(), &mut count) };
        collect(arr, count);
    }
    names
}
