//! PHP option arrays → librdkafka configuration.
//!
//! Every key and value becomes a string (bools as "true"/"false", numbers in
//! decimal); arrays and objects are a `\TypeError` naming the key. Each
//! property is checked by librdkafka itself, so an unknown key or a bad value
//! is refused with librdkafka's own reason, before any client exists.

use crate::kafka::error::{kafka_exception, type_error};
use ext_php_rs::exception::PhpException;
use ext_php_rs::types::{ZendHashTable, Zval};
use rdkafka::bindings as rdsys;
use rdkafka::ClientConfig;
use std::ffi::{CStr, CString};

/// Properties librdkafka only accepts as C callbacks or pointers: refused by name.
const CALLBACK_ONLY: &[&str] = &[
    "dr_cb",
    "dr_msg_cb",
    "error_cb",
    "throttle_cb",
    "stats_cb",
    "log_cb",
    "oauthbearer_token_refresh_cb",
    "rebalance_cb",
    "offset_commit_cb",
    "socket_cb",
    "connect_cb",
    "closesocket_cb",
    "open_cb",
    "resolve_cb",
    "opaque",
    "default_topic_conf",
    "ssl.certificate.verify_cb",
    "background_event_cb",
    "interceptors",
    "consume_cb",
    "ssl_engine_callback_data",
    "partitioner_cb",
    "msg_order_cmp",
];

/// Properties refused outright: librdkafka would install a process-wide
/// signal handler (replacing PHP's own) or kill the process with it.
const REFUSED: &[&str] = &["internal.termination.signal"];

/// Properties sent to the broker as Kafka protocol strings (at most 32,767
/// bytes: longer values crash librdkafka's metadata parser).
const PROTOCOL_STRINGS: &[&str] = &["client.id", "group.id", "group.instance.id", "client.rack", "transactional.id"];

/// Which librdkafka configuration a property belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    Global,
    Topic,
}

impl Scope {
    fn arg(self) -> &'static str {
        match self {
            Scope::Global => "$global_opt",
            Scope::Topic => "$topic_opt",
        }
    }
}

/// Converts one option value to librdkafka's string form.
pub fn stringify_value(key: &str, v: &Zval, scope: Scope) -> Result<String, PhpException> {
    let v = v.dereference();
    if let Some(b) = v.bool() {
        return Ok(if b { "true" } else { "false" }.to_string());
    }
    if let Some(l) = v.long() {
        return Ok(l.to_string());
    }
    if let Some(d) = v.double() {
        if !d.is_finite() {
            return Err(kafka_exception(
                -186,
                format!("{}: option \"{key}\" must be a finite number, {d} given", scope.arg()),
            ));
        }
        return Ok(format_double(d));
    }
    if v.is_null() {
        return Ok(String::new());
    }
    if let Some(s) = v.zend_str() {
        let bytes = s.as_bytes();
        if bytes.contains(&0) {
            return Err(kafka_exception(-186, format!("{}: option \"{key}\" contains a NUL byte", scope.arg())));
        }
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    }
    Err(type_error(format!(
        "{}: option \"{key}\" must be a scalar (string, int, float or bool), {} given",
        scope.arg(),
        type_name(v)
    )))
}

/// PHP's decimal form of a float for configuration values.
pub fn format_double(d: f64) -> String {
    if d.is_finite() && d.fract() == 0.0 && d.abs() < 1e15 {
        format!("{}", d as i64)
    } else {
        format!("{d}")
    }
}

fn type_name(v: &Zval) -> &'static str {
    if v.is_array() {
        "array"
    } else if v.is_object() {
        "object"
    } else if v.is_resource() {
        "resource"
    } else {
        "value"
    }
}

/// All (key, value) pairs of a PHP options array, as strings, leaving out the
/// keys in `ours` (options flame_kafka handles itself). Names are checked
/// (NUL bytes included) by `build`.
pub fn pairs(table: &ZendHashTable, scope: Scope, ours: &[&str]) -> Result<Vec<(String, String)>, PhpException> {
    let mut out = Vec::with_capacity(table.len());
    for (key, value) in crate::runtime::php::entries(table) {
        let key = key.map_err(|lossy| {
            kafka_exception(
                -186,
                format!("{}: option name \"{lossy}\" is not valid UTF-8 (no librdkafka property is)", scope.arg()),
            )
        })?;
        if ours.contains(&key.as_str()) {
            continue;
        }
        let value = stringify_value(&key, value, scope)?;
        out.push((key, value));
    }
    Ok(out)
}

/// Refuses callback-only properties by name.
pub fn refuse_callback_only(key: &str, scope: Scope) -> Result<(), PhpException> {
    if REFUSED.contains(&key) {
        return Err(kafka_exception(
            -186,
            format!(
                "{}: option \"{key}\" is not supported: librdkafka would take over a process-wide signal from PHP",
                scope.arg()
            ),
        ));
    }
    if CALLBACK_ONLY.contains(&key) {
        return Err(kafka_exception(
            -186,
            format!(
                "{}: option \"{key}\" can only be set with a C callback in librdkafka and is not supported here",
                scope.arg()
            ),
        ));
    }
    Ok(())
}

/// Asks librdkafka whether `key = value` is valid in `scope`.
pub fn check_property(key: &str, value: &str, scope: Scope) -> Result<(), PhpException> {
    if key.contains('\0') {
        return Err(kafka_exception(-186, format!("{}: an option name contains a NUL byte", scope.arg())));
    }
    if PROTOCOL_STRINGS.contains(&key) && value.len() > 32_767 {
        return Err(kafka_exception(
            -186,
            format!(
                "{}: invalid option \"{key}\": {} bytes, the Kafka protocol allows at most 32767",
                scope.arg(),
                value.len()
            ),
        ));
    }
    let ck = CString::new(key).map_err(|_| kafka_exception(-186, format!("option \"{key}\" contains a NUL byte")))?;
    let cv = CString::new(value).map_err(|_| kafka_exception(-186, format!("option \"{key}\" contains a NUL byte")))?;
    let mut errstr = [0 as std::os::raw::c_char; 512];
    // SAFETY: each conf is created, used and destroyed here (never shared); `ck`, `cv` and `errstr` outlive
    // the calls and librdkafka writes at most `errstr.len()` bytes (NUL-terminated) into `errstr`.
    let res = unsafe {
        match scope {
            Scope::Global => {
                let conf = rdsys::rd_kafka_conf_new();
                let r = rdsys::rd_kafka_conf_set(conf, ck.as_ptr(), cv.as_ptr(), errstr.as_mut_ptr(), errstr.len());
                rdsys::rd_kafka_conf_destroy(conf);
                r
            }
            Scope::Topic => {
                let conf = rdsys::rd_kafka_topic_conf_new();
                let r =
                    rdsys::rd_kafka_topic_conf_set(conf, ck.as_ptr(), cv.as_ptr(), errstr.as_mut_ptr(), errstr.len());
                rdsys::rd_kafka_topic_conf_destroy(conf);
                r
            }
        }
    };
    if res == rdsys::rd_kafka_conf_res_t::RD_KAFKA_CONF_OK {
        return Ok(());
    }
    // SAFETY: `errstr` is NUL-terminated: zero-initialised and written by librdkafka with a terminating NUL.
    let reason = unsafe { CStr::from_ptr(errstr.as_ptr()) }.to_string_lossy().into_owned();
    Err(kafka_exception(
        -186, // RD_KAFKA_RESP_ERR__INVALID_ARG
        format!("{}: invalid option \"{key}\" = \"{value}\": {reason}", scope.arg()),
    ))
}

/// Builds a librdkafka configuration from already stringified pairs.
/// `bootstrap.servers` or `metadata.broker.list` must be among the global ones.
pub fn build(global: &[(String, String)], topic: &[(String, String)]) -> Result<ClientConfig, PhpException> {
    if !global.iter().any(|(k, _)| k == "bootstrap.servers" || k == "metadata.broker.list") {
        return Err(kafka_exception(
            -186,
            "$global_opt must contain \"bootstrap.servers\" or \"metadata.broker.list\"",
        ));
    }
    let mut cfg = ClientConfig::new();
    // rust-rdkafka would cap librdkafka's log level at "error" (from the Rust
    // `log` crate); the user's `log_level` (librdkafka's default 6) decides.
    let level = global.iter().find(|(k, _)| k == "log_level").and_then(|(_, v)| v.parse::<i32>().ok()).unwrap_or(6);
    cfg.set_log_level(log_level(level));
    for (k, v) in global {
        refuse_callback_only(k, Scope::Global)?;
        check_property(k, v, Scope::Global)?;
        cfg.set(k, v);
    }
    for (k, v) in topic {
        refuse_callback_only(k, Scope::Topic)?;
        check_property(k, v, Scope::Topic)?;
        // A topic property set on the global configuration goes to the
        // default topic configuration of the client.
        cfg.set(k, v);
    }
    Ok(cfg)
}

fn log_level(level: i32) -> rdkafka::config::RDKafkaLogLevel {
    use rdkafka::config::RDKafkaLogLevel as L;
    match level {
        i32::MIN..=0 => L::Emerg,
        1 => L::Alert,
        2 => L::Critical,
        3 => L::Error,
        4 => L::Warning,
        5 => L::Notice,
        6 => L::Info,
        _ => L::Debug,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_render_in_decimal() {
        assert_eq!(format_double(5.0), "5");
        assert_eq!(format_double(0.5), "0.5");
        assert_eq!(format_double(-3.0), "-3");
    }

    #[test]
    fn log_levels_map_to_librdkafka() {
        assert_eq!(log_level(3) as i32, 3);
        assert_eq!(log_level(7) as i32, 7);
        assert_eq!(log_level(42) as i32, 7);
        assert_eq!(log_level(-1) as i32, 0);
    }

    #[test]
    fn callback_only_names_are_known() {
        assert!(CALLBACK_ONLY.contains(&"dr_msg_cb"));
        assert!(CALLBACK_ONLY.contains(&"rebalance_cb"));
        assert!(!CALLBACK_ONLY.contains(&"linger.ms"));
    }
}
