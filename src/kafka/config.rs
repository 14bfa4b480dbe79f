//! PHP option arrays → librdkafka configuration.
//!
//! Every key and value becomes a string (bools as "true"/"false", numbers in
//! decimal); arrays and objects are a `\TypeError` naming the key. Each
//! property is checked by librdkafka itself, so an unknown key or a bad value
//! is refused with librdkafka's own reason, before any client exists.
//! The options flame_kafka reads itself (the producer's `partitioner_cb` and
//! partition-count refresh, the consumer's `group.id` and fetch back-off) are
//! read here too.

use crate::kafka::error::{kafka_exception, Code};
use crate::kafka::native::conf::{self as native, Level, Settings};
use crate::kafka::partitioner::Partitioner;
use crate::runtime::args::entries;
use crate::runtime::errors::{type_error, type_name};
use ext_php_rs::exception::PhpException;
use ext_php_rs::types::{ZendHashTable, Zval};
use std::ffi::CString;
use std::time::Duration;

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

    fn level(self) -> Level {
        match self {
            Scope::Global => Level::Global,
            Scope::Topic => Level::Topic,
        }
    }
}

fn invalid(message: String) -> PhpException {
    kafka_exception(Code::InvalidArgument, message)
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
            return Err(invalid(format!("{}: option \"{key}\" must be a finite number, {d} given", scope.arg())));
        }
        return Ok(format_double(d));
    }
    if v.is_null() {
        return Ok(String::new());
    }
    if let Some(s) = v.zend_str() {
        let bytes = s.as_bytes();
        if bytes.contains(&0) {
            return Err(invalid(format!("{}: option \"{key}\" contains a NUL byte", scope.arg())));
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

/// All (key, value) pairs of a PHP options array, as strings, leaving out the
/// keys in `ours` (options flame_kafka handles itself). Names are checked
/// (NUL bytes included) by `build`.
pub fn pairs(table: &ZendHashTable, scope: Scope, ours: &[&str]) -> Result<Vec<(String, String)>, PhpException> {
    let mut out = Vec::with_capacity(table.len());
    for (key, value) in entries(table) {
        let key = key.map_err(|lossy| {
            invalid(format!("{}: option name \"{lossy}\" is not valid UTF-8 (no librdkafka property is)", scope.arg()))
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
        return Err(invalid(format!(
            "{}: option \"{key}\" is not supported: librdkafka would take over a process-wide signal from PHP",
            scope.arg()
        )));
    }
    if CALLBACK_ONLY.contains(&key) {
        return Err(invalid(format!(
            "{}: option \"{key}\" can only be set with a C callback in librdkafka and is not supported here",
            scope.arg()
        )));
    }
    Ok(())
}

/// Asks librdkafka whether `key = value` is valid in `scope`.
pub fn check_property(key: &str, value: &str, scope: Scope) -> Result<(), PhpException> {
    if key.contains('\0') {
        return Err(invalid(format!("{}: an option name contains a NUL byte", scope.arg())));
    }
    if PROTOCOL_STRINGS.contains(&key) && value.len() > 32_767 {
        return Err(invalid(format!(
            "{}: invalid option \"{key}\": {} bytes, the Kafka protocol allows at most 32767",
            scope.arg(),
            value.len()
        )));
    }
    let nul = |_| invalid(format!("option \"{key}\" contains a NUL byte"));
    let (ck, cv) = (CString::new(key).map_err(nul)?, CString::new(value).map_err(nul)?);
    native::check_property(&ck, &cv, scope.level())
        .map_err(|refused| invalid(invalid_option_message(scope.arg(), key, value, refused.unknown, &refused.reason)))
}

pub use crate::kafka::native::conf::SENSITIVE;

/// Whether the value of `key` is a secret.
pub fn is_sensitive(key: &str) -> bool {
    SENSITIVE.contains(&key)
}

/// The message for a property librdkafka refused. The value is shown only
/// when it cannot be a secret: never for a sensitive property, and never
/// for a property librdkafka does not know (`unknown`): a misspelled name
/// ("sasl.pasword") may well carry a password. librdkafka's reason is
/// scrubbed of the value too in those cases.
pub fn invalid_option_message(arg: &str, key: &str, value: &str, unknown: bool, reason: &str) -> String {
    if unknown || is_sensitive(key) {
        let reason = if value.is_empty() { reason.to_string() } else { reason.replace(value, "[redacted]") };
        format!("{arg}: invalid option \"{key}\": {reason}")
    } else {
        format!("{arg}: invalid option \"{key}\" = \"{value}\": {reason}")
    }
}

/// Checks already stringified pairs and makes them a client's settings.
/// `bootstrap.servers` or `metadata.broker.list` must be among the global ones.
pub fn build(global: &[(String, String)], topic: &[(String, String)]) -> Result<Settings, PhpException> {
    if !global.iter().any(|(k, _)| k == "bootstrap.servers" || k == "metadata.broker.list") {
        return Err(invalid("$global_opt must contain \"bootstrap.servers\" or \"metadata.broker.list\"".into()));
    }
    // The user's `log_level` (librdkafka's default 6) decides the client's level.
    let log_level = global.iter().find(|(k, _)| k == "log_level").and_then(|(_, v)| v.parse::<i32>().ok()).unwrap_or(6);
    let mut settings =
        Settings { pairs: Vec::with_capacity(global.len() + topic.len()), log_level: log_level_of(log_level) };
    for (k, v) in global {
        refuse_callback_only(k, Scope::Global)?;
        check_property(k, v, Scope::Global)?;
        settings.pairs.push((k.clone(), v.clone()));
    }
    for (k, v) in topic {
        refuse_callback_only(k, Scope::Topic)?;
        check_property(k, v, Scope::Topic)?;
        // A topic property set on the global configuration goes to the
        // default topic configuration of the client.
        settings.pairs.push((k.clone(), v.clone()));
    }
    Ok(settings)
}

/// A `log_level` value clamped to librdkafka's syslog levels (0..=7).
fn log_level_of(level: i32) -> i32 {
    level.clamp(0, 7)
}

/// What a producer is made with.
pub struct ProducerOptions {
    pub settings: Settings,
    pub partitioner: Partitioner,
    /// How long a callable partitioner's partition count is trusted.
    pub partition_count_ttl: Duration,
    /// `flame.persistent`: the identity of the configuration (its options
    /// as librdkafka gets them; the topic is added by the producer).
    pub persistent: Option<String>,
}

/// flame_kafka's own global option: keep the producer's client for later
/// requests of the process (see `kafka/producer/persistent.rs`).
pub const PERSISTENT: &str = "flame.persistent";

/// `flame.persistent`: a bool, or "true"/"false"/1/0 as librdkafka's own
/// boolean properties take them.
fn persistent_flag(v: &Zval) -> Result<bool, PhpException> {
    let s = stringify_value(PERSISTENT, v, Scope::Global)?;
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" | "" => Ok(false),
        _ => Err(invalid(format!("$global_opt: option \"{PERSISTENT}\" must be true or false, \"{s}\" given"))),
    }
}

/// The producer's options: `partitioner_cb` is flame_kafka's (a built-in
/// name goes to librdkafka as `partitioner`), everything else librdkafka's.
pub fn producer(global_opt: &ZendHashTable, topic_opt: &ZendHashTable) -> Result<ProducerOptions, PhpException> {
    let persistent = match global_opt.get(PERSISTENT) {
        Some(v) => persistent_flag(v)?,
        None => false,
    };
    let global = pairs(global_opt, Scope::Global, &[PERSISTENT])?;
    let partitioner = match topic_opt.get("partitioner_cb") {
        Some(v) => Partitioner::from_option(v)?,
        None => Partitioner::Builtin("consistent_random"),
    };
    let mut topic_pairs = pairs(topic_opt, Scope::Topic, &["partitioner_cb"])?;
    if let Partitioner::Builtin(name) = &partitioner {
        topic_pairs.push(("partitioner".to_string(), name.to_string()));
    }
    let settings = build(&global, &topic_pairs)?;
    // The callable partitioner's partition count is refreshed as often as
    // librdkafka refreshes its own metadata (topic.metadata.refresh.interval.ms),
    // at most every 30 s by default, so a topic that grows is noticed.
    let refresh_ms = global
        .iter()
        .find(|(k, _)| k == "topic.metadata.refresh.interval.ms")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .filter(|ms| *ms > 0)
        .unwrap_or(30_000);
    let persistent = persistent.then(|| identity(&global, &topic_pairs));
    Ok(ProducerOptions {
        settings,
        partitioner,
        partition_count_ttl: Duration::from_millis(refresh_ms as u64),
        persistent,
    })
}

/// librdkafka stops fetching a partition for `fetch.queue.backoff.ms`
/// (1000 ms by default) whenever its local queue is over `queued.min.messages`.
/// A PHP consumer drains slower than librdkafka fetches, so with that default
/// it reads ~100,000 messages and then stalls for a second, again and again
/// (152k msg/s here, against 889k msg/s with 50 ms). flame_kafka's default is
/// 50 ms; an explicit value in `$global_opt` wins.
const FETCH_BACKOFF: &str = "fetch.queue.backoff.ms";
const DEFAULT_FETCH_BACKOFF_MS: u32 = 50;

/// The consumer's options: `group.id` is required; `partitioner_cb` (the
/// seed's examples pass one to consumers too) has no meaning and is ignored.
pub fn consumer(global_opt: &ZendHashTable, topic_opt: &ZendHashTable) -> Result<Settings, PhpException> {
    // `rebalance_cb` (a PHP callable) is the consumer's own (consumer/mod.rs).
    let mut global = pairs(global_opt, Scope::Global, &["rebalance_cb"])?;
    if !global.iter().any(|(k, _)| k == FETCH_BACKOFF) {
        global.insert(0, (FETCH_BACKOFF.to_string(), DEFAULT_FETCH_BACKOFF_MS.to_string()));
    }
    if !global.iter().any(|(k, v)| k == "group.id" && !v.is_empty()) {
        return Err(invalid("$global_opt must contain \"group.id\" (the consumer group)".into()));
    }
    let topic_pairs = pairs(topic_opt, Scope::Topic, &["partitioner_cb"])?;
    build(&global, &topic_pairs)
}

/// The identity of a configuration: its sorted options (as the strings
/// given to librdkafka). With the topic added, it is the persistent
/// registry's key (`kafka/producer/persistent.rs`): two producers of the same key
/// would create identical clients.
fn identity(global: &[(String, String)], topic_opts: &[(String, String)]) -> String {
    let norm = |pairs: &[(String, String)]| {
        let mut v: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}\u{1}{v}")).collect();
        v.sort();
        v.join("\u{2}")
    };
    format!("{}\u{3}{}", norm(global), norm(topic_opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_values_of_unknown_or_sensitive_properties_are_not_shown() {
        let reason = "No such configuration property: \"sasl.pasword\"";
        assert_eq!(
            invalid_option_message("$global_opt", "sasl.pasword", "s3cret", true, reason),
            "$global_opt: invalid option \"sasl.pasword\": No such configuration property: \"sasl.pasword\""
        );
        let m = invalid_option_message("$global_opt", "sasl.password", "s3cret", false, "bad value \"s3cret\"");
        assert_eq!(m, "$global_opt: invalid option \"sasl.password\": bad value \"[redacted]\"");
        let m = invalid_option_message("$global_opt", "acks", "x", false, "Invalid value \"x\"");
        assert_eq!(m, "$global_opt: invalid option \"acks\" = \"x\": Invalid value \"x\"");
    }

    /// Every name in SENSITIVE is a property librdkafka knows (a rename in
    /// a new librdkafka would otherwise leave a secret unlisted).
    #[test]
    fn sensitive_names_are_librdkafka_properties() {
        for name in SENSITIVE {
            let (k, v) = (CString::new(*name).unwrap(), CString::new("x").unwrap());
            let unknown = native::check_property(&k, &v, Level::Global).err().is_some_and(|r| r.unknown);
            assert!(!unknown, "{name} is unknown to librdkafka");
        }
        let (k, v) = (CString::new("sasl.pasword").unwrap(), CString::new("x").unwrap());
        assert!(native::check_property(&k, &v, Level::Global).err().is_some_and(|r| r.unknown));
    }

    #[test]
    fn floats_render_in_decimal() {
        assert_eq!(format_double(5.0), "5");
        assert_eq!(format_double(0.5), "0.5");
        assert_eq!(format_double(-3.0), "-3");
    }

    #[test]
    fn log_levels_are_clamped_to_syslog_levels() {
        assert_eq!(log_level_of(3), 3);
        assert_eq!(log_level_of(7), 7);
        assert_eq!(log_level_of(42), 7);
        assert_eq!(log_level_of(-1), 0);
    }

    /// librdkafka's CONFIGURATION.md (the copy the fault suite's fuzzer
    /// uses) says which properties can only be set through a C function
    /// ("see dedicated API"): each of those is in CALLBACK_ONLY, and each
    /// name in CALLBACK_ONLY is a property librdkafka refuses as a string.
    /// The certificate objects (`ssl_ca`, `ssl_certificate`, `ssl_key`,
    /// `rd_kafka_conf_set_ssl_cert()`) are not callbacks: librdkafka refuses
    /// them itself ("Internal property ... not settable").
    #[test]
    fn callback_only_names_match_librdkafka() {
        const REFUSED_BY_LIBRDKAFKA: &[&str] = &["ssl_ca", "ssl_certificate", "ssl_key"];
        let table = include_str!("../../tests/faults/rdkafka_properties.txt");
        let dedicated: Vec<&str> = table
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f.len() >= 5 && f[4] == "see_dedicated_API").then_some(f[1])
            })
            .collect();
        assert!(dedicated.len() >= 20, "the property table lists {} callback-only properties", dedicated.len());
        for name in &dedicated {
            if REFUSED_BY_LIBRDKAFKA.contains(name) {
                let (k, v) = (CString::new(*name).unwrap(), CString::new("x").unwrap());
                assert!(native::check(&k, &v, Level::Global).is_err(), "librdkafka accepts {name} as a string");
                continue;
            }
            assert!(CALLBACK_ONLY.contains(name), "{name} is callback-only in librdkafka");
        }
        for name in CALLBACK_ONLY {
            let (k, v) = (CString::new(*name).unwrap(), CString::new("x").unwrap());
            let refused = native::check(&k, &v, Level::Global).is_err() && native::check(&k, &v, Level::Topic).is_err();
            assert!(refused, "librdkafka accepts {name} as a string");
        }
        assert!(!CALLBACK_ONLY.contains(&"linger.ms"));
    }
}
