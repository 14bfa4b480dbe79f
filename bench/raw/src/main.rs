//! bench-raw: the raw librdkafka baseline for flame_kafka's benchmarks.
//!
//! Same librdkafka (rust-rdkafka 0.39, librdkafka 2.12.1, same features) as
//! the extension, driven the plain way: a `BaseProducer` / `BaseConsumer` on
//! one thread, no coroutines, no PHP. Each workload prints ONE JSON line:
//!
//! {"client":"raw","workload","messages","seconds","msg_per_s","mb_per_s",
//!  "p50_us","p99_us","rss_before_kb","rss_warm_kb","rss_after_kb", ...}
//!
//! RSS (VmRSS, kB) is sampled right before the measured part, once 20% of its
//! messages are done ("rss_warm_kb"; null for runs under 10,000 messages)
//! and right after it.
//!
//! Usage:
//!   bench-raw produce-ff    --brokers B --topic T --messages N [--size 100] [--linger-ms L]
//!   bench-raw produce-await --brokers B --topic T --messages N --concurrency C [--size] [--linger-ms]
//!   bench-raw consume       --brokers B --topic T --messages N [--group G]
//!   bench-raw latency       --brokers B --topic T --messages N [--size] [--linger-ms 0] [--threaded]
//!                           (--threaded: acks via a ThreadedProducer thread + channel, the
//!                            flame_kafka architecture without PHP; a diagnostic)
//!   bench-raw sync          --brokers B --topic T --messages N [--size] [--linger-ms 0]
//!                           (one at a time, each acknowledged before the next)
//!   bench-raw per-request   --brokers B --topic T --messages N [--size] [--linger-ms 0]
//!                           (N times: new producer, one message acknowledged, destroy)
//!   bench-raw create-topic  --brokers B --topic T[,T2...] [--partitions 3]
//!   bench-raw delete-topic  --brokers B --topic T[,T2...]
//!   bench-raw version
//!
//! Timing starts after a warm-up (one acknowledged message for the producer
//! workloads, the first message for consume) so that connection set-up,
//! metadata and the group join are not counted -- on both sides alike.

mod admin;
mod producer;
mod util;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::Message;
use std::process::exit;
use std::time::{Duration, Instant};
use util::{fail, rss_kb, warm_at, Args, Report, Rss};

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = argv.first().cloned() else {
        usage()
    };
    if cmd == "version" {
        let (_, v) = rdkafka::util::get_rdkafka_version();
        println!("{{\"librdkafka\":\"{v}\"}}");
        return;
    }
    let args = Args::parse(&argv[1..]);
    match cmd.as_str() {
        "produce-ff" => producer::produce_ff(&args),
        "produce-await" => producer::produce_await(&args),
        "latency" => producer::latency(&args),
        "sync" => producer::sync(&args),
        "per-request" => producer::per_request(&args),
        "consume" => consume(&args),
        "create-topic" => admin::create_topics(&args),
        "delete-topic" => admin::delete_topics(&args),
        "-h" | "--help" | "help" => usage(),
        other => {
            eprintln!("bench-raw: unknown workload {other:?}");
            usage()
        }
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: bench-raw produce-ff|produce-await|consume|latency|sync|per-request --brokers B --topic T --messages N \
         [--concurrency C] [--size 100] [--linger-ms L] [--group G] [--set key=value]...\n       \
         bench-raw create-topic|delete-topic --brokers B --topic T[,T...] [--partitions 3]\n       \
         bench-raw version"
    );
    exit(2)
}

/// Base client configuration shared by every workload (and mirrored by bench/kafka.php).
pub fn base_config(args: &Args) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", &args.brokers);
    cfg
}

/// The --set properties: applied last, so they win over the workload's own.
pub fn apply_set(cfg: &mut ClientConfig, args: &Args) {
    for (k, v) in &args.set {
        cfg.set(k, v);
    }
}

/// consume: a fresh group reads N messages of a pre-filled topic, from the start.
fn consume(args: &Args) {
    let n = args.messages;
    let group = args
        .group
        .clone()
        .unwrap_or_else(|| format!("bench-raw-{}-{}", std::process::id(), util::unix_ms()));
    let mut cfg = base_config(args);
    // flame_kafka's consumer default (librdkafka's own is 1000 ms), so both
    // sides fetch the same way; --set overrides it on both.
    cfg.set("group.id", &group)
        .set("auto.offset.reset", "earliest")
        .set("fetch.queue.backoff.ms", "50");
    apply_set(&mut cfg, args);
    let consumer: BaseConsumer = cfg
        .create()
        .unwrap_or_else(|e| fail(&format!("consumer: {e}")));
    consumer
        .subscribe(&[&args.topic])
        .unwrap_or_else(|e| fail(&format!("subscribe: {e}")));

    let next = |what: &str| -> usize {
        let give_up = Instant::now() + Duration::from_secs(30);
        loop {
            match consumer.poll(Duration::from_secs(5)) {
                Some(Ok(m)) => return m.payload().map(|p| p.len()).unwrap_or(0),
                Some(Err(e)) => fail(&format!("consume ({what}): {e}")),
                None if Instant::now() >= give_up => fail(&format!(
                    "consume ({what}): no message for 30 s (is the topic pre-filled?)"
                )),
                None => {}
            }
        }
    };
    // Warm-up: the group join and the first fetch are not measured.
    next("warm-up");
    let warm_at = warm_at(n);
    let mut rss = Rss {
        before: rss_kb(),
        ..Rss::default()
    };
    let t = Instant::now();
    let mut bytes = 0usize;
    for i in 0..n {
        if Some(i) == warm_at {
            rss.warm = Some(rss_kb()); // after 20% consumed
        }
        bytes += next("run");
    }
    let secs = t.elapsed().as_secs_f64();
    rss.after = rss_kb();
    if bytes != n * args.size {
        eprintln!(
            "bench-raw: consumed {bytes} payload bytes, expected {} (--size?)",
            n * args.size
        );
    }
    Report {
        workload: "consume",
        messages: n,
        seconds: secs,
        size: args.size,
        lat_ns: None,
        rss,
        concurrency: 0,
    }
    .print();
    drop(consumer);
}
