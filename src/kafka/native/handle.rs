//! One owner for every librdkafka object (rust-rdkafka's `NativePtr<T:
//! KafkaDrop>`): `Owned<T>` holds a non-null pointer and destroys it exactly
//! once, with the destructor `T` names. No other struct in the crate stores a
//! raw librdkafka pointer.

use rdkafka::bindings as rd;
use std::ptr::NonNull;

/// A librdkafka object type and its destructor.
///
/// # Safety
/// `destroy` must be librdkafka's destructor for objects of this type, made
/// by the constructors the crate uses for it.
pub unsafe trait Destroy {
    /// Destroys one object.
    ///
    /// # Safety
    /// `ptr` is a live object of this type that nobody else destroys.
    unsafe fn destroy(ptr: *mut Self);
}

/// Owns one librdkafka object: destroyed when this goes.
pub struct Owned<T: Destroy>(NonNull<T>);

impl<T: Destroy> Owned<T> {
    /// Takes ownership of `ptr`; `None` when it is null (the constructor failed).
    ///
    /// # Safety
    /// `ptr` is null or a live object the caller owns and hands over: nobody
    /// else destroys it.
    pub unsafe fn from_ptr(ptr: *mut T) -> Option<Self> {
        NonNull::new(ptr).map(Owned)
    }

    /// The pointer, for calls into librdkafka (it stays owned here).
    pub fn ptr(&self) -> *mut T {
        self.0.as_ptr()
    }

    /// Hands ownership to librdkafka (e.g. a conf given to `rd_kafka_new`).
    pub fn into_raw(self) -> *mut T {
        let ptr = self.0.as_ptr();
        std::mem::forget(self);
        ptr
    }
}

impl<T: Destroy> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer is live and owned by this value alone (from_ptr's
        // contract); it is destroyed here once, and never used afterwards.
        unsafe { T::destroy(self.0.as_ptr()) }
    }
}

macro_rules! destroy_with {
    ($($ty:ty => $destroy:path),* $(,)?) => {$(
        // SAFETY: `$destroy` is librdkafka's destructor for `$ty`.
        unsafe impl Destroy for $ty {
            unsafe fn destroy(ptr: *mut Self) {
                // SAFETY: forwarded from the caller (a live object, destroyed once).
                unsafe { $destroy(ptr) }
            }
        }
    )*};
}

destroy_with! {
    rd::rd_kafka_t => rd::rd_kafka_destroy,
    rd::rd_kafka_topic_t => rd::rd_kafka_topic_destroy,
    rd::rd_kafka_queue_t => rd::rd_kafka_queue_destroy,
    rd::rd_kafka_conf_t => rd::rd_kafka_conf_destroy,
    rd::rd_kafka_topic_conf_t => rd::rd_kafka_topic_conf_destroy,
    rd::rd_kafka_event_t => rd::rd_kafka_event_destroy,
    rd::rd_kafka_error_t => rd::rd_kafka_error_destroy,
    rd::rd_kafka_topic_partition_list_t => rd::rd_kafka_topic_partition_list_destroy,
    rd::rd_kafka_mock_cluster_t => rd::rd_kafka_mock_cluster_destroy,
    rd::rd_kafka_AdminOptions_t => rd::rd_kafka_AdminOptions_destroy,
    rd::rd_kafka_NewTopic_t => rd::rd_kafka_NewTopic_destroy,
    rd::rd_kafka_DeleteTopic_t => rd::rd_kafka_DeleteTopic_destroy,
    rd::rd_kafka_NewPartitions_t => rd::rd_kafka_NewPartitions_destroy,
    rd::rd_kafka_ConfigResource_t => rd::rd_kafka_ConfigResource_destroy,
    rd::rd_kafka_ListConsumerGroupOffsets_t => rd::rd_kafka_ListConsumerGroupOffsets_destroy,
    rd::rd_kafka_DeleteGroup_t => rd::rd_kafka_DeleteGroup_destroy,
    rd::rd_kafka_DeleteRecords_t => rd::rd_kafka_DeleteRecords_destroy,
}

// SAFETY: librdkafka's metadata is made by rd_kafka_metadata() and freed by
// rd_kafka_metadata_destroy() (which takes it as const).
unsafe impl Destroy for rd::rd_kafka_metadata {
    unsafe fn destroy(ptr: *mut Self) {
        // SAFETY: forwarded from the caller (a live object, destroyed once).
        unsafe { rd::rd_kafka_metadata_destroy(ptr) }
    }
}

// SAFETY: rdkafka.h: a client handle may be used from any thread (every API
// call on it is thread-safe unless documented otherwise), and destroyed from
// any thread but its own callbacks. The consumer hands its client to a
// worker thread for blocking commits and the close.
unsafe impl Send for Owned<rd::rd_kafka_t> {}
// SAFETY: as above: shared use of a client handle from several threads is
// what librdkafka is made for.
unsafe impl Sync for Owned<rd::rd_kafka_t> {}
// SAFETY: queue handles are thread-safe like client handles (rdkafka.h); the
// consumer's queue travels with its client.
unsafe impl Send for Owned<rd::rd_kafka_queue_t> {}
// SAFETY: as above.
unsafe impl Sync for Owned<rd::rd_kafka_queue_t> {}
