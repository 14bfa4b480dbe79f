//! The librdkafka side of `admin`: the client, owned librdkafka objects, and
//! one blocking function per admin request.
//!
//! Runs on tokio's blocking pool only, never on the PHP thread. Each request
//! gets a private result queue; the worker thread waits on it for the result
//! event, copies what it needs into owned Rust data and frees the event. No
//! PHP value is touched here.

use super::results::{Broker, ConfigEntry, GroupInfo, Member, Metadata, PartitionInfo, TopicInfo};
use crate::kafka::native::handle::Owned;
use crate::kafka::native::text;
use crate::runtime::completion::Failure;
use rdkafka::bindings as rd;
use std::ffi::c_char;
use std::time::Duration;

use super::request::{
    borrowed_error, c_str, check_topic_results, invalid, owned_error, refused, request, NO_ERROR, OPERATION_TIMEOUT_MS,
    REQUEST_TIMEOUT_MS,
};
pub use super::request::{connect, serve_logs, Client};
/// Creates one topic (resolves when the controller has created it).
pub fn create_topic(
    client: &Client,
    what: &str,
    topic: &str,
    partitions: i32,
    replication_factor: i32,
    config: &[(String, String)],
) -> Result<(), Failure> {
    let name = c_str(topic, what)?;
    let mut errstr = [0 as c_char; 512];
    // SAFETY: every pointer passed is alive for the call (owned here or a
    // CString on the stack); librdkafka copies the names and values.
    let new_topic = unsafe {
        let t = rd::rd_kafka_NewTopic_new(name.as_ptr(), partitions, replication_factor, errstr.as_mut_ptr(), 512);
        Owned::from_ptr(t).ok_or_else(|| invalid(what, &text(errstr.as_ptr())))?
    };
    for (k, v) in config {
        let (ck, cv) = (c_str(k, what)?, c_str(v, what)?);
        // SAFETY: the topic is owned here; the strings live for the call.
        let code = unsafe { rd::rd_kafka_NewTopic_set_config(new_topic.ptr(), ck.as_ptr(), cv.as_ptr()) };
        if code != NO_ERROR {
            return Err(refused(code, what, &format!("config \"{k}\"")));
        }
    }
    let mut topics = [new_topic.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_CREATETOPICS, what, |rk, o, q| {
        // SAFETY: the array and the topic it holds outlive the call (librdkafka copies them).
        unsafe { rd::rd_kafka_CreateTopics(rk, topics.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the results point into it.
    unsafe {
        let res = rd::rd_kafka_event_CreateTopics_result(ev.ptr());
        let mut cnt = 0;
        check_topic_results(rd::rd_kafka_CreateTopics_result_topics(res, &mut cnt), cnt, what)?;
    }
    let want = usize::try_from(partitions).unwrap_or(1);
    await_metadata(client, topic, |t| t.is_some_and(|t| t.partitions >= want && t.all_led));
    Ok(())
}

/// What the broker's metadata says about one topic.
struct Seen {
    partitions: usize,
    all_led: bool,
}

/// Waits (bounded) until the broker's metadata of `topic` satisfies `done`
/// (None: the topic is unknown). The controller has carried out a change
/// when it answers; the broker's metadata follows a moment later, and a
/// producer or a metadata() call made in between would not see it yet.
fn await_metadata(client: &Client, topic: &str, done: impl Fn(Option<Seen>) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_millis(OPERATION_TIMEOUT_MS as u64);
    while std::time::Instant::now() < deadline {
        let seen = match client.metadata(Some(topic), Duration::from_secs(5)) {
            Ok(md) => md.topics.iter().find(|t| t.name == topic).and_then(|t| {
                t.error.is_none().then(|| Seen {
                    partitions: t.partitions.len(),
                    all_led: t.partitions.iter().all(|p| p.leader >= 0 && p.error.is_none()),
                })
            }),
            Err(_) => return,
        };
        if done(seen) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Deletes one topic.
pub fn delete_topic(client: &Client, what: &str, topic: &str) -> Result<(), Failure> {
    let name = c_str(topic, what)?;
    // SAFETY: librdkafka copies the name.
    let del = unsafe { Owned::from_ptr(rd::rd_kafka_DeleteTopic_new(name.as_ptr())) }
        .ok_or_else(|| invalid(what, "cannot describe the topic"))?;
    let mut topics = [del.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETETOPICS, what, |rk, o, q| {
        // SAFETY: the array and the object it holds outlive the call.
        unsafe { rd::rd_kafka_DeleteTopics(rk, topics.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the results point into it.
    unsafe {
        let res = rd::rd_kafka_event_DeleteTopics_result(ev.ptr());
        let mut cnt = 0;
        check_topic_results(rd::rd_kafka_DeleteTopics_result_topics(res, &mut cnt), cnt, what)?;
    }
    await_metadata(client, topic, |t| t.is_none());
    Ok(())
}

/// Grows a topic to `total` partitions.
pub fn create_partitions(client: &Client, what: &str, topic: &str, total: usize) -> Result<(), Failure> {
    let name = c_str(topic, what)?;
    let mut errstr = [0 as c_char; 512];
    // SAFETY: librdkafka copies the name; errstr is a buffer of the given size.
    let parts = unsafe {
        let p = rd::rd_kafka_NewPartitions_new(name.as_ptr(), total, errstr.as_mut_ptr(), 512);
        Owned::from_ptr(p).ok_or_else(|| invalid(what, &text(errstr.as_ptr())))?
    };
    let mut list = [parts.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_CREATEPARTITIONS, what, |rk, o, q| {
        // SAFETY: the array and the object it holds outlive the call.
        unsafe { rd::rd_kafka_CreatePartitions(rk, list.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the results point into it.
    unsafe {
        let res = rd::rd_kafka_event_CreatePartitions_result(ev.ptr());
        let mut cnt = 0;
        check_topic_results(rd::rd_kafka_CreatePartitions_result_topics(res, &mut cnt), cnt, what)?;
    }
    await_metadata(client, topic, |t| t.is_some_and(|t| t.partitions >= total && t.all_led));
    Ok(())
}

fn topic_resource(topic: &str, what: &str) -> Result<Owned<rd::rd_kafka_ConfigResource_t>, Failure> {
    let name = c_str(topic, what)?;
    // SAFETY: librdkafka copies the name.
    unsafe {
        Owned::from_ptr(rd::rd_kafka_ConfigResource_new(
            rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_TOPIC,
            name.as_ptr(),
        ))
    }
    .ok_or_else(|| invalid(what, "cannot describe the topic"))
}

/// The error of the first config resource among `cnt` at `res`.
///
/// # Safety
/// `res` points to `cnt` resources alive for the call.
unsafe fn check_resources(
    res: *mut *const rd::rd_kafka_ConfigResource_t,
    cnt: usize,
    what: &str,
) -> Result<(), Failure> {
    for i in 0..cnt {
        // SAFETY: within the array (the caller's contract).
        let (code, detail) = unsafe {
            let r = *res.add(i);
            (rd::rd_kafka_ConfigResource_error(r), text(rd::rd_kafka_ConfigResource_error_string(r)))
        };
        if code != NO_ERROR {
            return Err(refused(code, what, &detail));
        }
    }
    Ok(())
}

/// A topic's configuration: every entry, sensitive values as None.
pub fn describe_config(client: &Client, what: &str, topic: &str) -> Result<Vec<ConfigEntry>, Failure> {
    let resource = topic_resource(topic, what)?;
    let mut list = [resource.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, what, |rk, o, q| {
        // SAFETY: the array and the resource it holds outlive the call.
        unsafe { rd::rd_kafka_DescribeConfigs(rk, list.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; resources and entries point into
    // it and are copied before it is destroyed.
    unsafe {
        let res = rd::rd_kafka_event_DescribeConfigs_result(ev.ptr());
        let mut cnt = 0;
        let resources = rd::rd_kafka_DescribeConfigs_result_resources(res, &mut cnt);
        check_resources(resources, cnt, what)?;
        let mut out = Vec::new();
        for i in 0..cnt {
            let mut n = 0;
            let entries = rd::rd_kafka_ConfigResource_configs(*resources.add(i), &mut n);
            for j in 0..n {
                let e = *entries.add(j);
                let value = rd::rd_kafka_ConfigEntry_value(e);
                let sensitive = rd::rd_kafka_ConfigEntry_is_sensitive(e) != 0;
                out.push(ConfigEntry {
                    name: text(rd::rd_kafka_ConfigEntry_name(e)),
                    value: (!value.is_null() && !sensitive).then(|| text(value)),
                    dynamic: rd::rd_kafka_ConfigEntry_source(e)
                        == rd::rd_kafka_ConfigSource_t::RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG,
                });
            }
        }
        Ok(out)
    }
}

/// Sets (`Some`) or reverts to the default (`None`) the given entries only.
pub fn alter_config(
    client: &Client,
    what: &str,
    topic: &str,
    changes: &[(String, Option<String>)],
) -> Result<(), Failure> {
    let resource = topic_resource(topic, what)?;
    for (k, v) in changes {
        let ck = c_str(k, what)?;
        let cv = v.as_deref().map(|v| c_str(v, what)).transpose()?;
        let (op, value) = match &cv {
            Some(cv) => (rd::rd_kafka_AlterConfigOpType_t::RD_KAFKA_ALTER_CONFIG_OP_TYPE_SET, cv.as_ptr()),
            None => (rd::rd_kafka_AlterConfigOpType_t::RD_KAFKA_ALTER_CONFIG_OP_TYPE_DELETE, std::ptr::null()),
        };
        // SAFETY: the resource is owned here; the strings live for the call;
        // the returned error (if any) is ours.
        unsafe {
            let e = rd::rd_kafka_ConfigResource_add_incremental_config(resource.ptr(), ck.as_ptr(), op, value);
            owned_error(e, &format!("{what}: config \"{k}\""))?;
        }
    }
    let mut list = [resource.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_INCREMENTALALTERCONFIGS, what, |rk, o, q| {
        // SAFETY: the array and the resource it holds outlive the call.
        unsafe { rd::rd_kafka_IncrementalAlterConfigs(rk, list.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the resources point into it.
    unsafe {
        let res = rd::rd_kafka_event_IncrementalAlterConfigs_result(ev.ptr());
        let mut cnt = 0;
        check_resources(rd::rd_kafka_IncrementalAlterConfigs_result_resources(res, &mut cnt), cnt, what)?;
    }
    await_config(client, what, topic, changes);
    Ok(())
}

/// Waits (up to 5 s) until the broker describes `changes` as applied: the
/// controller accepts them first and the broker's view follows a moment
/// later (seen: a describe_config() right after alter_config() showing the
/// old value). A value the broker normalises differently only costs the wait.
fn await_config(client: &Client, what: &str, topic: &str, changes: &[(String, Option<String>)]) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        let Ok(entries) = describe_config(client, what, topic) else { return };
        let applied = changes.iter().all(|(k, v)| {
            entries.iter().find(|e| &e.name == k).is_none_or(|e| match v {
                Some(v) => e.value.as_deref() == Some(v.as_str()) || (e.value.is_none() && e.dynamic),
                None => !e.dynamic,
            })
        });
        if applied {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The ids of all consumer groups the cluster knows, sorted.
pub fn list_groups(client: &Client, what: &str) -> Result<Vec<String>, Failure> {
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, what, |rk, o, q| {
        // SAFETY: the options and the queue are alive for the call.
        unsafe { rd::rd_kafka_ListConsumerGroups(rk, o, q) }
    })?;
    // SAFETY: the event is owned and alive; listings and errors point into it.
    let mut groups = unsafe {
        let res = rd::rd_kafka_event_ListConsumerGroups_result(ev.ptr());
        let mut n_err = 0;
        let errors = rd::rd_kafka_ListConsumerGroups_result_errors(res, &mut n_err);
        if n_err > 0 {
            // A broker did not answer: a partial list would hide groups.
            borrowed_error(*errors, what)?;
        }
        let mut cnt = 0;
        let valid = rd::rd_kafka_ListConsumerGroups_result_valid(res, &mut cnt);
        (0..cnt).map(|i| text(rd::rd_kafka_ConsumerGroupListing_group_id(*valid.add(i)))).collect::<Vec<_>>()
    };
    groups.sort();
    Ok(groups)
}

/// The (topic, partition) pairs and offsets of a partition list.
///
/// # Safety
/// `tpl` is null or a list alive for the call.
unsafe fn partitions_of(
    tpl: *const rd::rd_kafka_topic_partition_list_t,
) -> Vec<(String, i32, i64, rd::rd_kafka_resp_err_t)> {
    // SAFETY: null or alive (the caller's contract); `elems` holds `cnt` entries.
    unsafe {
        let Some(list) = tpl.as_ref() else { return Vec::new() };
        (0..list.cnt.max(0) as usize)
            .map(|i| {
                let e = &*list.elems.add(i);
                (text(e.topic), e.partition, e.offset, e.err)
            })
            .collect()
    }
}

/// A consumer group: state, assignor, members with their assignments.
pub fn describe_group(client: &Client, what: &str, group: &str) -> Result<GroupInfo, Failure> {
    let name = c_str(group, what)?;
    let mut groups = [name.as_ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, what, |rk, o, q| {
        // SAFETY: the array and the name it holds outlive the call (librdkafka copies them).
        unsafe { rd::rd_kafka_DescribeConsumerGroups(rk, groups.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the description, its members and
    // their assignments point into it and are copied before it is destroyed.
    unsafe {
        let res = rd::rd_kafka_event_DescribeConsumerGroups_result(ev.ptr());
        let mut cnt = 0;
        let descs = rd::rd_kafka_DescribeConsumerGroups_result_groups(res, &mut cnt);
        if cnt == 0 {
            return Err(invalid(what, "no description in the answer"));
        }
        let d = *descs;
        borrowed_error(rd::rd_kafka_ConsumerGroupDescription_error(d), what)?;
        let state = text(rd::rd_kafka_consumer_group_state_name(rd::rd_kafka_ConsumerGroupDescription_state(d)));
        let protocol = text(rd::rd_kafka_ConsumerGroupDescription_partition_assignor(d));
        let members = rd::rd_kafka_ConsumerGroupDescription_member_count(d);
        if state == "Dead" && members == 0 && protocol.is_empty() {
            // What the broker answers for a group it does not know.
            let code = rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND;
            return Err(refused(code, what, "no such group (state Dead)"));
        }
        let members = (0..members)
            .map(|i| {
                let m = rd::rd_kafka_ConsumerGroupDescription_member(d, i);
                let assignment = rd::rd_kafka_MemberDescription_assignment(m);
                let parts = if assignment.is_null() {
                    std::ptr::null()
                } else {
                    rd::rd_kafka_MemberAssignment_partitions(assignment)
                };
                Member {
                    client_id: text(rd::rd_kafka_MemberDescription_client_id(m)),
                    member_id: text(rd::rd_kafka_MemberDescription_consumer_id(m)),
                    host: text(rd::rd_kafka_MemberDescription_host(m)),
                    assignment: partitions_of(parts).into_iter().map(|(t, p, _, _)| (t, p)).collect(),
                }
            })
            .collect();
        Ok(GroupInfo { state, protocol, members })
    }
}

/// The committed offsets of a group: (topic, partition, offset), sorted.
pub fn committed_offsets(client: &Client, what: &str, group: &str) -> Result<Vec<(String, i32, i64)>, Failure> {
    let name = c_str(group, what)?;
    // SAFETY: librdkafka copies the name; a null list means "all partitions".
    let req = unsafe { Owned::from_ptr(rd::rd_kafka_ListConsumerGroupOffsets_new(name.as_ptr(), std::ptr::null())) }
        .ok_or_else(|| invalid(what, "cannot describe the group"))?;
    let mut list = [req.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, what, |rk, o, q| {
        // SAFETY: the array and the object it holds outlive the call.
        unsafe { rd::rd_kafka_ListConsumerGroupOffsets(rk, list.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the group result and its list point into it.
    let mut out = unsafe {
        let res = rd::rd_kafka_event_ListConsumerGroupOffsets_result(ev.ptr());
        let mut cnt = 0;
        let groups = rd::rd_kafka_ListConsumerGroupOffsets_result_groups(res, &mut cnt);
        if cnt == 0 {
            return Ok(Vec::new());
        }
        borrowed_error(rd::rd_kafka_group_result_error(*groups), what)?;
        partitions_of(rd::rd_kafka_group_result_partitions(*groups))
    };
    if let Some((t, p, _, code)) = out.iter().find(|e| e.3 != NO_ERROR) {
        return Err(refused(*code, &format!("{what}: {t} [{p}]"), ""));
    }
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    Ok(out.into_iter().map(|(t, p, o, _)| (t, p, o)).collect())
}

/// The partition's high watermark (the offset the next record gets).
pub fn high_watermark(client: &Client, what: &str, topic: &str, partition: i32) -> Result<i64, Failure> {
    client.watermarks(topic, partition, Duration::from_millis(REQUEST_TIMEOUT_MS as u64)).map(|(_, high)| high).map_err(
        |e| {
            Failure::domain(
                crate::kafka::error::code_of(&e) as i32,
                format!("{what}: {topic} [{partition}]: {}", crate::kafka::error::describe(&e)),
            )
        },
    )
}

/// Deletes a consumer group (it must have no active member).
pub fn delete_group(client: &Client, what: &str, group: &str) -> Result<(), Failure> {
    let name = c_str(group, what)?;
    // SAFETY: librdkafka copies the name.
    let del = unsafe { Owned::from_ptr(rd::rd_kafka_DeleteGroup_new(name.as_ptr())) }
        .ok_or_else(|| invalid(what, "cannot describe the group"))?;
    let mut list = [del.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETEGROUPS, what, |rk, o, q| {
        // SAFETY: the array and the object it holds outlive the call.
        unsafe { rd::rd_kafka_DeleteGroups(rk, list.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the group results point into it.
    unsafe {
        let res = rd::rd_kafka_event_DeleteGroups_result(ev.ptr());
        let mut cnt = 0;
        let groups = rd::rd_kafka_DeleteGroups_result_groups(res, &mut cnt);
        for i in 0..cnt {
            borrowed_error(rd::rd_kafka_group_result_error(*groups.add(i)), what)?;
        }
        Ok(())
    }
}

/// Deletes the records of one partition before `before` (-1: all of them);
/// returns the partition's new low watermark.
pub fn delete_records(client: &Client, what: &str, topic: &str, partition: i32, before: i64) -> Result<i64, Failure> {
    let name = c_str(topic, what)?;
    // SAFETY: the list is owned here; librdkafka copies the name and, in
    // DeleteRecords_new, the whole list.
    let del = unsafe {
        let tpl = Owned::from_ptr(rd::rd_kafka_topic_partition_list_new(1)).ok_or_else(|| invalid(what, "no list"))?;
        let elem = rd::rd_kafka_topic_partition_list_add(tpl.ptr(), name.as_ptr(), partition);
        (*elem).offset = before;
        Owned::from_ptr(rd::rd_kafka_DeleteRecords_new(tpl.ptr())).ok_or_else(|| invalid(what, "no request"))?
    };
    let mut list = [del.ptr()];
    let ev = request(client, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETERECORDS, what, |rk, o, q| {
        // SAFETY: the array and the object it holds outlive the call.
        unsafe { rd::rd_kafka_DeleteRecords(rk, list.as_mut_ptr(), 1, o, q) }
    })?;
    // SAFETY: the event is owned and alive; the offsets list points into it.
    let parts = unsafe {
        let res = rd::rd_kafka_event_DeleteRecords_result(ev.ptr());
        partitions_of(rd::rd_kafka_DeleteRecords_result_offsets(res))
    };
    match parts.first() {
        Some((_, _, _, code)) if *code != NO_ERROR => Err(refused(*code, what, "")),
        Some((_, _, low, _)) => Ok(*low),
        None => Err(invalid(what, "no partition in the answer")),
    }
}

/// Brokers, the controller and topics (one, or all with `None`).
pub fn metadata(client: &Client, what: &str, topic: Option<&str>) -> Result<Metadata, Failure> {
    let timeout = Duration::from_millis(REQUEST_TIMEOUT_MS as u64);
    let md = client.metadata(topic, timeout).map_err(|e| {
        Failure::domain(
            crate::kafka::error::code_of(&e) as i32,
            format!("{what}: {}", crate::kafka::error::describe(&e)),
        )
    })?;
    // SAFETY: the client is alive; the call blocks this worker thread only.
    let controller_id = unsafe { rd::rd_kafka_controllerid(client.ptr(), REQUEST_TIMEOUT_MS) };
    let brokers = md.brokers.iter().map(|b| Broker { id: b.id, host: b.host.clone(), port: b.port }).collect();
    let topics = md
        .topics
        .iter()
        .map(|t| TopicInfo {
            name: t.name.clone(),
            error: t.error.map(|e| e as i32).unwrap_or(0),
            partitions: t
                .partitions
                .iter()
                .map(|p| PartitionInfo {
                    id: p.id,
                    leader: p.leader,
                    replicas: p.replicas.clone(),
                    isrs: p.isr.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(Metadata { brokers, controller_id, topics })
}
