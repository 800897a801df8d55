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
use crate::report::verify::{failure_text, json_report, junit, summary_text, RunInfo};
use crate::verify::{verify as run, Summary, VerifyConfig};

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
        }
    }
}

/// Run `selc verify`. Every outcome, the run that could not start included,
/// writes the reports asked for, so a CI job always has its artifact.
pub fn verify(opts: &VerifyOptions) -> Result<Outcome, CommandError> {
    let command = opts.implementation.clone().unwrap_or_else(default_command);
    let mut imp = Process::new(&command, opts.timeout.max(Duration::from_millis(1)));
    let mut progress = CliProgress::new(opts.config.cases);
    imp.on_wait(Box::new(progress.waiting_hook()));
    let (summary, name) = match imp.hello() {
        Ok(name) => {
            let summary = run(
                &mut imp,
                &opts.config,
                Some(&opts.save_failures),
                &mut progress,
            );
            (summary, name)
        }
        Err(e) => {
            let mut why = e.to_string();
            for l in imp.stderr_tail() {
                why.push_str(&format!("\n  | {l}"));
            }
            (Summary::aborted(why), String::new())
        }
    };
    drop(imp);
    progress.finish();
    let info = RunInfo::new(&command, &name, &opts.config, &summary);
    for f in &summary.failures {
        println!("{}", failure_text(f, Some((&command, opts.config.mode))));
    }
    print!("{}", summary_text(&summary, &info));
    if let Some(path) = &opts.report {
        let text = serde_json::to_string_pretty(&json_report(&summary, &info))
            .map_err(std::io::Error::other)?;
        write_file(path, &(text + "\n"))?;
    }
    if let Some(path) = &opts.junit {
        write_file(path, &junit(&summary, &info))?;
    }
    if let Some(dir) = &opts.html {
        write_html(dir, &summary, &info)?;
    }
    match summary.error {
        Some(why) => Err(CommandError::Implementation { command, why }),
        None if summary.compliant() => Ok(Outcome::Pass),
        None => Ok(Outcome::Fail),
    }
}

/// `index.html` and one page per failure, linked from it.
fn write_html(
    dir: &std::path::Path,
    summary: &Summary,
    info: &RunInfo,
) -> Result<(), CommandError> {
    use crate::report::html;
    std::fs::create_dir_all(dir).map_err(|e| CommandError::Write {
        path: dir.display().to_string(),
        why: e.to_string(),
    })?;
    let files: Vec<String> = summary
        .failures
        .iter()
        .enumerate()
        .map(|(i, f)| html::failure_file(i, f))
        .collect();
    for (f, file) in summary.failures.iter().zip(&files) {
        write_file(&dir.join(file), &html::failure_page(f, info))?;
    }
    write_file(
        &dir.join("index.html"),
        &html::index_page(summary, info, &files),
    )
}
