//! `selc verify`: the whole run against one implementation, its reports, and a
//! report even when the run cannot take place.

use std::path::PathBuf;
use std::time::Duration;

use super::args::ModeArg;

use super::progress::CliProgress;
use super::{write_file, CommandError, Outcome};
use crate::impls::default::default_command;
use crate::impls::process::Process;
use crate::impls::Implementation;
use std::sync::{Arc, Mutex};

use crate::gen::steer::Choices;
use crate::report::merge::merge;
use crate::report::record::{FailureRecord, Report};
use crate::report::verify::{failure_text, junit_of, report_text, RunInfo};
use crate::verify::{seed::choices, verify_with, Failure, Summary, VerifyConfig};

/// What `selc verify` is asked for.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// The implementation's command; `None` for the default.
    pub implementation: Option<String>,
    /// The run.
    pub config: VerifyConfig,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Where to write the JSON report.
    pub report: Option<PathBuf>,
    /// Where to write the JUnit report.
    pub junit: Option<PathBuf>,
    /// Where to save shrunk failures.
    pub save_failures: PathBuf,
    /// Where to write `index.html` and a page per failure.
    pub html: Option<PathBuf>,
    /// Implementation processes run at once (workers).
    pub jobs: usize,
}

/// The arguments of `selc verify`.
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// The implementation: a command (run by `sh -c`) speaking the JSON-lines
    /// protocol. Default: the bundled Python example (or `selc serve` without python3).
    #[arg(long = "impl", value_name = "CMD")]
    pub implementation: Option<String>,
    /// Compliance mode.
    #[arg(long, value_enum, default_value_t = ModeArg::Rules)]
    pub mode: ModeArg,
    /// Exactly N random cases (reproducible counts). Without it: the shipped
    /// scenarios, the exhaustive default scope, then random cases until --time.
    #[arg(long, value_name = "N")]
    pub cases: Option<u64>,
    /// Without --cases: run random cases for this long (e.g. 20s, 5m).
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = super::args::duration)]
    pub time: Duration,
    /// Run every scenario of the exhaustive scope (the default without --cases).
    #[arg(long)]
    pub exhaustive: bool,
    /// The exhaustive scope, SYSTEMSxEVENTS: non-primary systems and events at
    /// most (implies --exhaustive).
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<crate::gen::exhaustive::Scope>,
    /// Skip the exhaustive part (without --cases).
    #[arg(long, conflicts_with_all = ["exhaustive", "scope"])]
    pub no_exhaustive: bool,
    /// Start the exhaustive part at this position (the `next` of a report).
    #[arg(long, value_name = "POSITION", default_value_t = 0)]
    pub resume_from: u64,
    /// Seed of the random cases.
    #[arg(long, default_value_t = 0x5e1c)]
    pub seed: u64,
    /// Events per random case at most.
    #[arg(long, default_value_t = 24)]
    pub max_events: usize,
    /// Systems per random network at most.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_systems: u16,
    /// Per-request timeout, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub timeout: u64,
    /// Stop after this many failing cases.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub max_failures: usize,
    /// Wall-clock cap of the whole run, in seconds, whatever the implementation
    /// does; the run then ends with its report. 0: no cap.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    pub time_limit: u64,
    /// Run only shard I of N (1-based) of the cases, e.g. 2/4.
    #[arg(long, value_name = "I/N", value_parser = super::args::shard, default_value = "1/1")]
    pub shard: (u64, u64),
    /// Write a JSON report.
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// Write a JUnit report (one test case per rule).
    #[arg(long, value_name = "FILE.xml")]
    pub junit: Option<PathBuf>,
    /// Where to write the shrunk failing scenarios.
    #[arg(long, value_name = "DIR", default_value = "selc-failures")]
    pub save_failures: PathBuf,
    /// Implementation processes at once: cases dealt to N workers by index,
    /// each shrinking its own failures; the report is that of one worker. 1 by
    /// default, since an implementation may keep state outside its process.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Write index.html and a page per failure into DIR.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// Skip the shipped golden and regression scenarios.
    #[arg(long)]
    pub no_golden: bool,
    /// Do not shrink failing cases.
    #[arg(long)]
    pub no_shrink: bool,
    /// Plain random cases, not steered toward what the run exercised least.
    #[arg(long)]
    pub no_steer: bool,
}

impl VerifyArgs {
    /// What the arguments ask for.
    pub fn into_options(self) -> VerifyOptions {
        VerifyOptions {
            implementation: self.implementation,
            config: VerifyConfig {
                mode: self.mode.into(),
                cases: self.cases.unwrap_or(u64::MAX),
                time: self.cases.is_none().then_some(self.time),
                exhaustive: self.scope.or_else(|| {
                    (self.exhaustive || (self.cases.is_none() && !self.no_exhaustive))
                        .then_some(crate::gen::exhaustive::DEFAULT_SCOPE)
                }),
                resume_from: self.resume_from,
                seed: self.seed,
                max_events: self.max_events,
                max_systems: usize::from(self.max_systems),
                shard: self.shard,
                golden: !self.no_golden,
                shrink: !self.no_shrink,
                steer: !self.no_steer,
                max_failures: self.max_failures.max(1),
                time_limit: (self.time_limit > 0).then(|| Duration::from_secs(self.time_limit)),
                ..VerifyConfig::default()
            },
            timeout: Duration::from_millis(self.timeout),
            report: self.report,
            junit: self.junit,
            save_failures: self.save_failures,
            html: self.html,
            jobs: usize::from(self.jobs),
        }
    }
}

/// One worker's run: shard `shard` of the run against its own process.
fn worker(
    command: &str,
    opts: &VerifyOptions,
    shard: (u64, u64),
    progress: &mut dyn crate::verify::Progress,
    on_wait: Option<crate::impls::process::WaitHook>,
    choices: Option<&Choices>,
) -> (Summary, String) {
    let mut imp = Process::new(command, opts.timeout.max(Duration::from_millis(1)));
    if let Some(hook) = on_wait {
        imp.on_wait(hook);
    }
    // The workers share the cores: each makes its cases on its share of them.
    let workers = opts.jobs.max(1);
    let config = VerifyConfig {
        shard,
        makers: (opts.config.makers / workers).max(1),
        ..opts.config.clone()
    };
    match imp.hello() {
        Ok(name) => {
            let save = Some(opts.save_failures.as_path());
            let summary = verify_with(&mut imp, &config, save, progress, choices);
            (summary, name)
        }
        Err(e) => {
            let mut why = e.to_string();
            for l in imp.stderr_tail() {
                why.push_str(&format!("\n  | {l}"));
            }
            (Summary::aborted(why), String::new())
        }
    }
}

/// Run `selc verify`. Every outcome, the run that could not start included,
/// writes the reports asked for, so a CI job always has its artifact.
///
/// With `jobs` > 1, worker j runs shard j of `jobs` of the run against its own
/// process (cases dealt by index), in its own thread, shrinking its own
/// failures; their reports are merged as `selc report merge` merges shards,
/// which gives the report of the run with one worker. The random cases are
/// steered once for the whole run, on a thread of its own ([`Choices`]).
pub fn verify(opts: &VerifyOptions) -> Result<Outcome, CommandError> {
    let command = opts.implementation.clone().unwrap_or_else(default_command);
    let jobs = opts.jobs.max(1);
    if jobs > 1 && opts.config.shard != (1, 1) {
        return Err(CommandError::Usage(
            "--jobs with --shard: give each shard of a matrix its own --jobs run, or use --shard alone".into(),
        ));
    }
    let progress = CliProgress::new(opts.config.cases);
    let parts: Vec<(Summary, String)> = if jobs == 1 {
        let mut progress = progress;
        let hook = Box::new(progress.waiting_hook());
        let part = worker(
            &command,
            opts,
            opts.config.shard,
            &mut progress,
            Some(hook),
            None,
        );
        progress.finish();
        vec![part]
    } else {
        let shared = SharedProgress::new(progress, jobs);
        // One steering for the whole run, read by every worker.
        let choices = choices(&opts.config);
        let parts = std::thread::scope(|s| {
            s.spawn(|| choices.steer());
            let handles: Vec<_> = (0..jobs)
                .map(|j| {
                    let (command, mut progress) = (&command, shared.worker(j));
                    let choices = &choices;
                    s.spawn(move || {
                        worker(
                            command,
                            opts,
                            (j as u64 + 1, jobs as u64),
                            &mut progress,
                            None,
                            Some(choices),
                        )
                    })
                })
                .collect();
            let parts = handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        (Summary::aborted("a worker panicked".into()), String::new())
                    })
                })
                .collect();
            choices.stop();
            parts
        });
        shared.finish();
        parts
    };
    let name = parts
        .iter()
        .map(|(_, n)| n.clone())
        .find(|n| !n.is_empty())
        .unwrap_or_default();
    let mut failures: Vec<Failure> = Vec::new();
    let mut shard_reports = Vec::new();
    // On a time budget each worker reaches its own last index: the run reached
    // the highest (and its rerun line asks for as many).
    let reached = Summary {
        random_through: parts
            .iter()
            .map(|(s, _)| s.random_through)
            .max()
            .unwrap_or(0),
        ..Summary::default()
    };
    for (j, (summary, _)) in parts.into_iter().enumerate() {
        let config = VerifyConfig {
            shard: if jobs == 1 {
                opts.config.shard
            } else {
                (j as u64 + 1, jobs as u64)
            },
            ..opts.config.clone()
        };
        let record = if jobs == 1 { &summary } else { &reached };
        let info = RunInfo::new(&command, &name, &config, record);
        shard_reports.push((format!("worker {}", j + 1), Report::new(&summary, &info)));
        failures.extend(summary.failures);
    }
    let report = if jobs == 1 {
        shard_reports.remove(0).1
    } else {
        let mut merged = merge(&shard_reports).map_err(|e| CommandError::Usage(e.to_string()))?;
        // The rerun line of the whole run (one worker's line names its shard).
        merged.rerun = crate::report::verify::rerun_command(&command, &opts.config, &reached);
        merged
    };
    failures.sort_by_key(|f| FailureRecord::new(f).order());
    for f in &failures {
        println!("{}", failure_text(f, Some((&command, opts.config.mode))));
    }
    print!("{}", report_text(&report));
    if let Some(path) = &opts.report {
        let text = serde_json::to_string_pretty(&report).map_err(std::io::Error::other)?;
        write_file(path, &(text + "\n"))?;
    }
    if let Some(path) = &opts.junit {
        write_file(path, &junit_of(&report))?;
    }
    if let Some(dir) = &opts.html {
        write_html(dir, &failures, &report, &command, opts.config.mode)?;
    }
    match report.error {
        Some(why) => Err(CommandError::Implementation { command, why }),
        None if report.compliant => Ok(Outcome::Pass),
        None => Ok(Outcome::Fail),
    }
}

/// The bar, and each worker's cases done, total and failing.
type Shared = Arc<Mutex<(CliProgress, Vec<(u64, u64, usize)>)>>;

/// Progress of several workers on one bar: each reports its own counts.
struct SharedProgress {
    inner: Shared,
}

/// One worker's handle on a [`SharedProgress`].
struct WorkerProgress {
    inner: Shared,
    j: usize,
}

impl SharedProgress {
    fn new(p: CliProgress, jobs: usize) -> SharedProgress {
        SharedProgress {
            inner: Arc::new(Mutex::new((p, vec![(0, 0, 0); jobs]))),
        }
    }
    fn worker(&self, j: usize) -> WorkerProgress {
        WorkerProgress {
            inner: Arc::clone(&self.inner),
            j,
        }
    }
    fn finish(&self) {
        if let Ok(g) = self.inner.lock() {
            g.0.finish();
        }
    }
}

impl crate::verify::Progress for WorkerProgress {
    fn update(&mut self, done: u64, total: u64, failures: usize) {
        if let Ok(mut g) = self.inner.lock() {
            g.1[self.j] = (done, total, failures);
            let (d, t, f) =
                g.1.iter()
                    .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
            g.0.update(d, t, f);
        }
    }
    fn message(&mut self, msg: &str) {
        if let Ok(mut g) = self.inner.lock() {
            g.0.message(&format!("worker {}: {msg}", self.j + 1));
        }
    }
}

/// `index.html` and one page per failure, linked from it.
fn write_html(
    dir: &std::path::Path,
    failures: &[Failure],
    report: &Report,
    command: &str,
    mode: crate::check::Mode,
) -> Result<(), CommandError> {
    use crate::report::html;
    std::fs::create_dir_all(dir).map_err(|e| CommandError::Write {
        path: dir.display().to_string(),
        why: e.to_string(),
    })?;
    let files: Vec<String> = failures
        .iter()
        .enumerate()
        .map(|(i, f)| html::failure_file(i, f))
        .collect();
    for (f, file) in failures.iter().zip(&files) {
        write_file(&dir.join(file), &html::failure_page(f, command, mode))?;
    }
    write_file(&dir.join("index.html"), &html::index_page(report, &files))
}
