//! What admin requests resolve with, as owned data (built on a worker
//! thread) and as the PHP arrays of SPEC §6 (built on the PHP thread).

use crate::kafka::topic_partition::TopicPartition;
use crate::runtime::completion::{Deliverable, Failure};
use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::types::{ZendHashTable, Zval};

pub struct Broker {
    pub id: i32,
    pub host: String,
    pub port: i32,
}

pub struct PartitionInfo {
    pub id: i32,
    pub leader: i32,
    pub replicas: Vec<i32>,
    pub isrs: Vec<i32>,
}

pub struct TopicInfo {
    pub name: String,
    /// librdkafka's code for this topic (0, or e.g. 3 for an unknown topic).
    pub error: i32,
    pub partitions: Vec<PartitionInfo>,
}

pub struct Metadata {
    pub brokers: Vec<Broker>,
    /// -1 when the cluster did not say.
    pub controller_id: i32,
    pub topics: Vec<TopicInfo>,
}

pub struct ConfigEntry {
    pub name: String,
    /// None for a sensitive or unset value.
    pub value: Option<String>,
    /// Set on the topic itself (not a default).
    pub dynamic: bool,
}

pub struct Member {
    pub client_id: String,
    pub member_id: String,
    pub host: String,
    pub assignment: Vec<(String, i32)>,
}

pub struct GroupInfo {
    pub state: String,
    pub protocol: String,
    pub members: Vec<Member>,
}

pub struct GroupOffset {
    pub topic: String,
    pub partition: i32,
    pub committed: i64,
    pub high: i64,
}

/// One admin request's answer.
pub enum Answer {
    Metadata(Metadata),
    Config(Vec<ConfigEntry>),
    Groups(Vec<String>),
    Group(GroupInfo),
    Offsets(Vec<GroupOffset>),
    Int(i64),
}

fn array() -> ZBox<ZendHashTable> {
    ZendHashTable::new()
}

/// Puts `v` at `key` (inserting into a fresh array cannot fail but for
/// memory exhaustion, which PHP reports itself).
fn set<V: IntoZval>(ht: &mut ZendHashTable, key: &str, v: V) {
    let _ = ht.insert(key, v);
}

fn push<V: IntoZval>(ht: &mut ZendHashTable, v: V) {
    let _ = ht.push(v);
}

fn ints(v: &[i32]) -> ZBox<ZendHashTable> {
    let mut ht = array();
    for i in v {
        push(&mut ht, *i as i64);
    }
    ht
}

impl Metadata {
    fn into_php(self) -> ZBox<ZendHashTable> {
        let mut brokers = array();
        for b in self.brokers {
            let mut e = array();
            set(&mut e, "id", b.id as i64);
            set(&mut e, "host", b.host);
            set(&mut e, "port", b.port as i64);
            push(&mut brokers, e);
        }
        let mut topics = array();
        for t in self.topics {
            let mut parts = array();
            for p in t.partitions {
                let mut e = array();
                set(&mut e, "id", p.id as i64);
                set(&mut e, "leader", p.leader as i64);
                set(&mut e, "replicas", ints(&p.replicas));
                set(&mut e, "isrs", ints(&p.isrs));
                push(&mut parts, e);
            }
            let mut e = array();
            set(&mut e, "error", t.error as i64);
            set(&mut e, "partitions", parts);
            set(&mut topics, &t.name, e);
        }
        let mut out = array();
        set(&mut out, "brokers", brokers);
        set(&mut out, "controller_id", self.controller_id as i64);
        set(&mut out, "topics", topics);
        out
    }
}

impl GroupInfo {
    fn into_php(self) -> ZBox<ZendHashTable> {
        let mut members = array();
        for m in self.members {
            let mut assignment = array();
            for (topic, partition) in m.assignment {
                push(&mut assignment, TopicPartition::new(topic, partition, TopicPartition::STORED).into_zval_now());
            }
            let mut e = array();
            set(&mut e, "client_id", m.client_id);
            set(&mut e, "member_id", m.member_id);
            set(&mut e, "host", m.host);
            set(&mut e, "assignment", assignment);
            push(&mut members, e);
        }
        let mut out = array();
        set(&mut out, "state", self.state);
        set(&mut out, "protocol", self.protocol);
        set(&mut out, "members", members);
        out
    }
}

fn offsets_into_php(list: Vec<GroupOffset>) -> ZBox<ZendHashTable> {
    let mut out = array();
    for o in list {
        let mut e = array();
        set(&mut e, "topic", o.topic);
        set(&mut e, "partition", o.partition as i64);
        set(&mut e, "committed", o.committed);
        set(&mut e, "high", o.high);
        set(&mut e, "lag", lag(o.committed, o.high));
        push(&mut out, e);
    }
    out
}

/// Records after the committed offset (all of them when nothing is
/// committed, i.e. a negative logical offset).
pub fn lag(committed: i64, high: i64) -> i64 {
    if committed < 0 {
        high.max(0)
    } else {
        (high - committed).max(0)
    }
}

impl Deliverable for Answer {
    fn into_php(self: Box<Self>) -> Result<Zval, Failure> {
        let ht = match *self {
            Answer::Int(i) => return Ok(i.into_zval(false).unwrap_or_default()),
            Answer::Metadata(m) => m.into_php(),
            Answer::Config(entries) => {
                let mut ht = array();
                for e in entries {
                    set(&mut ht, &e.name, e.value);
                }
                ht
            }
            Answer::Groups(groups) => {
                let mut ht = array();
                for g in groups {
                    push(&mut ht, g);
                }
                ht
            }
            Answer::Group(g) => g.into_php(),
            Answer::Offsets(list) => offsets_into_php(list),
        };
        Ok(ht.into_zval(false).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::lag;

    #[test]
    fn lag_counts_records_after_the_committed_offset() {
        assert_eq!(lag(3, 10), 7);
        assert_eq!(lag(10, 10), 0);
        assert_eq!(lag(-1001, 5), 5);
        assert_eq!(lag(12, 10), 0);
    }
}
