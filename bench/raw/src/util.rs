//! Flags, RSS, percentiles and the JSON line.

use std::process::exit;

pub struct Args {
    pub brokers: String,
    pub topic: String,
    pub messages: usize,
    pub concurrency: usize,
    pub size: usize,
    pub linger_ms: Option<u64>,
    pub group: Option<String>,
    pub partitions: i32,
    /// Extra librdkafka properties (--set key=value, repeatable), on top of the workload's own.
    pub set: Vec<(String, String)>,
    /// latency only: acks through a ThreadedProducer's polling thread and a
    /// channel, as flame_kafka does (a diagnostic, not the baseline).
    pub threaded: bool,
}

pub fn fail(msg: &str) -> ! {
    eprintln!("bench-raw: {msg}");
    exit(1)
}

impl Args {
    pub fn parse(argv: &[String]) -> Args {
        let mut a = Args {
            brokers: std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "127.0.0.1:29092".into()),
            topic: String::new(),
            messages: 100_000,
            concurrency: 1,
            size: 100,
            linger_ms: None,
            group: None,
            partitions: 3,
            set: Vec::new(),
            threaded: false,
        };
        let mut it = argv.iter();
        while let Some(flag) = it.next() {
            if flag == "--threaded" {
                a.threaded = true;
                continue;
            }
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (flag.clone(), None),
            };
            let mut value = || -> String {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .unwrap_or_else(|| fail(&format!("{name} needs a value")))
            };
            let num = |s: String| -> usize {
                s.replace('_', "")
                    .parse()
                    .unwrap_or_else(|_| fail(&format!("{name}: not a number: {s}")))
            };
            match name.as_str() {
                "--brokers" => a.brokers = value(),
                "--topic" => a.topic = value(),
                "--messages" => a.messages = num(value()),
                "--concurrency" => a.concurrency = num(value()).max(1),
                "--size" => a.size = num(value()),
                "--linger-ms" => a.linger_ms = Some(num(value()) as u64),
                "--group" => a.group = Some(value()),
                "--partitions" => a.partitions = num(value()) as i32,
                "--set" => {
                    let kv = value();
                    let (k, v) = kv
                        .split_once('=')
                        .unwrap_or_else(|| fail(&format!("--set {kv}: expected key=value")));
                    a.set.push((k.to_string(), v.to_string()));
                }
                _ => fail(&format!("unknown flag {name}")),
            }
        }
        if a.topic.is_empty() {
            fail("--topic is required");
        }
        a
    }
}

/// VmRSS of this process in kB.
pub fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

pub fn unix_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// Nearest-rank percentile (same definition as bench/kafka.php), in µs.
pub fn percentile_us(sorted_ns: &[u64], p: f64) -> f64 {
    if sorted_ns.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted_ns.len() as f64).ceil() as usize;
    let idx = rank.clamp(1, sorted_ns.len()) - 1;
    sorted_ns[idx] as f64 / 1000.0
}

/// A buffer for n latencies whose pages are already resident, so that
/// recording latencies does not show up as RSS growth.
pub fn latency_buffer(n: usize) -> Vec<u64> {
    let mut v: Vec<u64> = Vec::with_capacity(n);
    v.resize(n, u64::MAX); // writes every element: pages faulted in now
    v.clear();
    v
}

/// Smallest run that gets a warm-up RSS sample (`rss_warm_kb`); same in bench/kafka.php.
pub const WARM_MIN_MESSAGES: usize = 10_000;

/// After how many of n measured messages RSS is sampled once more (20%):
/// the one-time working set (librdkafka's queues, malloc arenas) has filled
/// up by then, so after - warm is the growth of a steady state. None for
/// runs shorter than WARM_MIN_MESSAGES.
pub fn warm_at(n: usize) -> Option<usize> {
    (n >= WARM_MIN_MESSAGES).then_some(n / 5)
}

/// RSS figures of one measured run, in kB.
#[derive(Clone, Copy, Default)]
pub struct Rss {
    pub before: u64,
    /// Once 20% of the messages are done (see `warm_at`).
    pub warm: Option<u64>,
    pub after: u64,
}

/// Runs `one` n times, timing each call: (latencies in ns, total seconds, RSS).
/// RSS is sampled before, after call n/5 (`warm_at`, outside any message's
/// timing) and after.
pub fn time_each(n: usize, mut one: impl FnMut()) -> (Vec<u64>, f64, Rss) {
    let mut lat = latency_buffer(n);
    let warm_at = warm_at(n);
    let mut rss = Rss {
        before: rss_kb(),
        ..Rss::default()
    };
    let t = std::time::Instant::now();
    for i in 0..n {
        if Some(i) == warm_at {
            rss.warm = Some(rss_kb());
        }
        let t0 = std::time::Instant::now();
        one();
        lat.push(t0.elapsed().as_nanos() as u64);
    }
    let secs = t.elapsed().as_secs_f64();
    rss.after = rss_kb();
    (lat, secs, rss)
}

pub struct Report<'a> {
    pub workload: &'a str,
    pub messages: usize,
    pub seconds: f64,
    pub size: usize,
    /// Per-message latencies in ns (sorted here).
    pub lat_ns: Option<Vec<u64>>,
    pub rss: Rss,
    pub concurrency: usize,
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.3}")
    } else {
        "null".into()
    }
}

impl Report<'_> {
    pub fn print(self) {
        let (p50, p99) = match self.lat_ns {
            Some(mut l) if !l.is_empty() => {
                l.sort_unstable();
                (percentile_us(&l, 50.0), percentile_us(&l, 99.0))
            }
            _ => (f64::NAN, f64::NAN),
        };
        let msg_s = self.messages as f64 / self.seconds;
        let mb_s = (self.messages * self.size) as f64 / self.seconds / 1e6;
        println!(
            "{{\"client\":\"raw\",\"workload\":\"{}\",\"concurrency\":{},\"messages\":{},\"size\":{},\"seconds\":{},\
             \"msg_per_s\":{},\"mb_per_s\":{},\"p50_us\":{},\"p99_us\":{},\"rss_before_kb\":{},\"rss_warm_kb\":{},\"rss_after_kb\":{}}}",
            self.workload,
            self.concurrency,
            self.messages,
            self.size,
            num(self.seconds),
            num(msg_s),
            num(mb_s),
            num(p50),
            num(p99),
            self.rss.before,
            self.rss.warm.map_or("null".to_string(), |w| w.to_string()),
            self.rss.after
        );
    }
}
