//! flame_kafka: an asynchronous, coroutine-style Kafka client for PHP.
//!
//! This file only wires the module: classes, functions, ini settings,
//! lifecycle hooks and `php --ri flame_kafka`. The architecture lives in
//! `runtime/` (coroutines, completion channel, awaitable) and `kafka/`.

#![cfg_attr(windows, feature(abi_vectorcall))]

pub mod kafka;
pub mod runtime;

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::prelude::*;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs, ModuleEntry};
use ext_php_rs::{info_table_end, info_table_row, info_table_start};
use std::panic::{catch_unwind, AssertUnwindSafe};

static INI_ENTRIES: IniEntryDefs<3> = IniEntryDefs::new([
    IniEntryDef::new(c"flame_kafka.shutdown_timeout_ms", c"10000", IniEntryPermission::All),
    IniEntryDef::new(c"flame_kafka.max_persistent", c"16", IniEntryPermission::All),
    IniEntryDef::end(),
]);

extern "C" fn startup(_ty: i32, module_number: i32) -> i32 {
    let ok = catch_unwind(|| {
        IniEntryDef::register(INI_ENTRIES.as_slice(), module_number);
        // A panic becomes a PHP exception; its message must not be printed
        // into the script's output (set FLAME_KAFKA_DEBUG to see it).
        if std::env::var_os("FLAME_KAFKA_DEBUG").is_none() {
            std::panic::set_hook(Box::new(|_| {}));
        }
        runtime::sensitive::after_startup(mark_sensitive_parameters);
        kafka::error::register_exception_class()
    });
    match ok {
        Ok(Ok(())) => 0,
        _ => -1,
    }
}

/// The options arrays of the client constructors carry passwords and keys:
/// `#[\SensitiveParameter]` keeps them out of exception traces.
fn mark_sensitive_parameters() {
    use ext_php_rs::class::RegisteredClass;
    runtime::sensitive::mark(kafka::producer::Producer::get_metadata().ce(), "__construct", 0);
    runtime::sensitive::mark(kafka::consumer::Consumer::get_metadata().ce(), "__construct", 0);
    runtime::sensitive::mark(kafka::admin::Admin::get_metadata().ce(), "__construct", 0);
}

extern "C" fn request_shutdown(_ty: i32, _module_number: i32) -> i32 {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        kafka::log::reset_request();
        runtime::scheduler::reset_request();
        runtime::drivers::reset_request();
        runtime::held::end_request();
    }));
    0
}

/// The librdkafka version string.
pub fn librdkafka_version() -> String {
    rdkafka::util::get_rdkafka_version().1
}

/// librdkafka's `builtin.features`.
pub fn librdkafka_features() -> String {
    kafka::native::conf::default_value(c"builtin.features")
}

extern "C" fn module_shutdown(_ty: i32, _module_number: i32) -> i32 {
    // Persistent producer clients: flushed (bounded) and destroyed.
    let _ = catch_unwind(kafka::producer::persistent::shutdown);
    0
}

extern "C" fn module_info(_module: *mut ModuleEntry) {
    let _ = catch_unwind(|| {
        info_table_start!();
        info_table_row!("flame_kafka support", "enabled");
        info_table_row!("flame_kafka version", env!("CARGO_PKG_VERSION"));
        info_table_row!(
            "thread safety",
            if ext_php_rs::PHP_ZTS { "ZTS (one completion channel per PHP thread)" } else { "NTS" }
        );
        info_table_row!("librdkafka version", librdkafka_version());
        info_table_row!("librdkafka builtin features", librdkafka_features());
        info_table_row!("built with", env!("FLAME_KAFKA_BUILD_INFO"));
        let (open, created, reused) = kafka::producer::persistent::stats();
        info_table_row!(
            "persistent producers",
            format!("{open} open in this process ({created} made, {reused} reused)")
        );
        info_table_end!();
    });
}

#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    kafka::log::register(runtime::drivers::register(runtime::functions::register(module)))
        .request_shutdown_function(request_shutdown)
        .shutdown_function(module_shutdown)
        .info_function(module_info)
        .class::<runtime::awaitable::Awaitable>()
        .class::<kafka::message::Message>()
        .class::<kafka::producer::Producer>()
        .class::<kafka::consumer::Consumer>()
        .class::<kafka::mock_cluster::MockCluster>()
        .class::<kafka::topic_partition::TopicPartition>()
        .class::<kafka::admin::Admin>()
}
