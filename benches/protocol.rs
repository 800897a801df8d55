//! The protocol path, measured as a ratio against a baseline that this
//! benchmark includes, so that the figure holds across machines:
//!
//! - `selc_serve`: `selc verify` (the library, as the command runs it) against
//!   `selc serve` over pipes;
//! - `replay_baseline`: the same run against a trivial program that answers
//!   each request with the next pre-recorded answer, over the same pipes. It is
//!   this benchmark's own binary, started with `SELC_REPLAY=FILE`; the answers
//!   are recorded first by the same binary serving the reference
//!   (`SELC_RECORD=FILE`), so both runs do exactly the same work on selc's side.
//!
//! The baseline is the fastest an implementation could be: what is left is the
//! harness itself (generation, planning, pipes, judging). After criterion's
//! figures, the ratio of the medians is printed. Target (docs/performance.md):
//! at least 60,000 events/s against `selc serve`.
//!
//! `cargo bench --bench protocol` (about a minute). The workload is the
//! issue's: 5,000 random cases, no shipped scenarios.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput};

use selc::impls::process::Process;
use selc::impls::Driven;
use selc::verify::{verify, Quiet, Summary, VerifyConfig};

// The allocator `selc` itself ships with (src/main.rs).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REPLAY: &str = "SELC_REPLAY";
const RECORD: &str = "SELC_RECORD";
const GROUP: &str = "protocol_path";

/// The workload: random cases only, unsteered (steering is generation, not
/// the protocol path; docs/performance.md gives the steered figure too).
fn config() -> VerifyConfig {
    VerifyConfig {
        cases: 5000,
        golden: false,
        steer: false,
        exhaustive: None,
        time: None,
        ..VerifyConfig::default()
    }
}

fn run(command: &str) -> Summary {
    let mut imp = Process::new(command, Duration::from_secs(10));
    imp.hello().expect("the implementation starts");
    let summary = verify(&mut imp, &config(), None, &mut Quiet);
    assert!(
        summary.failures.is_empty() && summary.error.is_none(),
        "{command}: not compliant: {:?}",
        summary.failures.first().map(|f| &f.step.message)
    );
    summary
}

/// This binary as a command, with `var=value` set.
fn this_binary_with(var: &str, value: &Path) -> String {
    let exe = std::env::current_exe().expect("the benchmark knows its own path");
    let quote = |p: &Path| shlex::try_quote(&p.to_string_lossy()).map(|q| q.into_owned());
    format!(
        "{var}={} {}",
        quote(value).expect("a quotable path"),
        quote(&exe).expect("a quotable path")
    )
}

fn protocol_path(c: &mut Criterion, answers: &Path) -> u64 {
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let baseline = this_binary_with(REPLAY, answers);
    let events = run(&serve).events;
    assert_eq!(
        run(&baseline).events,
        events,
        "the baseline does the same work"
    );
    let mut g = c.benchmark_group(GROUP);
    g.throughput(Throughput::Elements(events));
    // A run takes about a second: ten of them, one per sample.
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("selc_serve", |b| b.iter(|| run(&serve)));
    g.bench_function("replay_baseline", |b| b.iter(|| run(&baseline)));
    g.finish();
    events
}

/// The median time of one benchmark of the group, from criterion's estimates.
fn median_ns(name: &str) -> Option<f64> {
    let home = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/criterion"));
    let text =
        std::fs::read_to_string(home.join(GROUP).join(name).join("new/estimates.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["median"]["point_estimate"].as_f64()
}

/// Answer each request line with the next recorded answer; flush once the
/// input is drained. Nothing is parsed: the fastest an implementation can be.
fn replay(path: &str) {
    let mut recorded = String::new();
    if std::fs::File::open(path)
        .and_then(|mut f| f.read_to_string(&mut recorded))
        .is_err()
    {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    }
    let mut answers = recorded.lines();
    let mut input = BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let mut output = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut line = Vec::new();
    loop {
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let Some(answer) = answers.next() else {
            return;
        };
        if output
            .write_all(answer.as_bytes())
            .and_then(|_| output.write_all(b"\n"))
            .is_err()
        {
            return;
        }
        if input.buffer().is_empty() && output.flush().is_err() {
            return;
        }
    }
}

/// Serve the reference, keeping a copy of every answer in `path`.
fn record(path: &str) {
    struct Tee<A, B>(A, B);
    impl<A: Write, B: Write> Write for Tee<A, B> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write_all(buf)?;
            self.1.write_all(buf)?;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.0.flush()?;
            self.1.flush()
        }
    }
    let Ok(file) = std::fs::File::create(path) else {
        eprintln!("cannot write {path}");
        std::process::exit(2);
    };
    let out = Tee(
        BufWriter::new(std::io::stdout().lock()),
        BufWriter::new(file),
    );
    let _ = selc::protocol::serve(std::io::stdin().lock(), out);
}

fn main() {
    if let Ok(path) = std::env::var(REPLAY) {
        return replay(&path);
    }
    if let Ok(path) = std::env::var(RECORD) {
        return record(&path);
    }
    let dir = std::env::temp_dir().join(format!("selc-bench-protocol-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let answers = dir.join("answers.jsonl");
    run(&this_binary_with(RECORD, &answers));
    let mut c = Criterion::default().configure_from_args();
    let events = protocol_path(&mut c, &answers);
    c.final_summary();
    let _ = std::fs::remove_dir_all(&dir);
    if let (Some(serve), Some(base)) = (median_ns("selc_serve"), median_ns("replay_baseline")) {
        let rate = |ns: f64| events as f64 / (ns / 1e9);
        println!(
            "\nprotocol path: selc serve {:.0} events/s, pre-recorded answers {:.0} events/s: \
             {:.2} of the baseline ({events} events per run)",
            rate(serve),
            rate(base),
            base / serve
        );
    }
}
