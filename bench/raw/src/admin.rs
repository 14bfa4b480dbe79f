//! Topic set-up for the benchmark driver: create / delete topics with the
//! admin API (no Java CLI start-up per topic).

use crate::util::{fail, Args};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::types::RDKafkaErrorCode;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::Duration;

struct Unpark(Thread);
impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on this thread (the admin client has its own
/// polling thread that completes it).
fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park_timeout(Duration::from_millis(100));
    }
}

fn client(args: &Args) -> AdminClient<DefaultClientContext> {
    crate::base_config(args)
        .create()
        .unwrap_or_else(|e| fail(&format!("admin client: {e}")))
}

fn names(args: &Args) -> Vec<&str> {
    args.topic.split(',').filter(|t| !t.is_empty()).collect()
}

pub fn create_topics(args: &Args) {
    let admin = client(args);
    let names = names(args);
    let topics: Vec<NewTopic<'_>> = names
        .iter()
        .map(|t| NewTopic::new(t, args.partitions, TopicReplication::Fixed(1)))
        .collect();
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let res = block_on(admin.create_topics(topics.iter(), &opts))
        .unwrap_or_else(|e| fail(&format!("create topics: {e}")));
    for r in res {
        match r {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((t, e)) => fail(&format!("create topic {t}: {e}")),
        }
    }
    // Wait until the metadata shows every partition with a leader.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    for t in &names {
        loop {
            let ok = admin
                .inner()
                .fetch_metadata(Some(t), Duration::from_secs(5))
                .ok()
                .and_then(|md| {
                    md.topics().iter().find(|x| x.name() == *t).map(|x| {
                        x.error().is_none()
                            && x.partitions().len() == args.partitions as usize
                            && x.partitions()
                                .iter()
                                .all(|p| p.leader() >= 0 && p.error().is_none())
                    })
                })
                .unwrap_or(false);
            if ok {
                break;
            }
            if std::time::Instant::now() > deadline {
                fail(&format!("topic {t} has no leaders after 30 s"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    println!("{{\"created\":{}}}", names.len());
}

pub fn delete_topics(args: &Args) {
    let admin = client(args);
    let names = names(args);
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let res = block_on(admin.delete_topics(&names, &opts))
        .unwrap_or_else(|e| fail(&format!("delete topics: {e}")));
    for r in res {
        if let Err((t, e)) = r {
            if e != RDKafkaErrorCode::UnknownTopicOrPartition {
                eprintln!("bench-raw: delete topic {t}: {e}");
            }
        }
    }
    println!("{{\"deleted\":{}}}", names.len());
}
