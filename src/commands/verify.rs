//! `selc verify`: the run against one implementation ([`crate::verify::jobs`]),
//! its outputs, and a report even when the run cannot take place.

use std::path::PathBuf;
use std::time::Duration;

use super::progress::CliProgress;
use super::{CommandError, Outcome};
use crate::impls::default::default_command;
use crate::impls::process::WaitHook;
use crate::report::record::{Report, RunInfo};
use crate::report::terminal::{failure_text, groups_text, report_text};
use crate::report::write::{write_all, Outputs};
use crate::verify::jobs::{self, Jobs};
use crate::verify::VerifyConfig;

/// What `selc verify` is asked for.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// The implementation's command; `None` for the default.
    pub implementation: Option<String>,
    /// The run.
    pub config: VerifyConfig,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The reports and pages to write.
    pub outputs: Outputs,
    /// Where to save shrunk failures.
    pub save_failures: PathBuf,
    /// Implementation processes run at once (workers).
    pub jobs: usize,
}

/// Run `selc verify`. Every outcome, the run that could not start and the
/// interrupted run included, writes the outputs asked for, so a CI job always
/// has its artifact.
pub fn verify(opts: &VerifyOptions) -> Result<Outcome, CommandError> {
    let command = opts.implementation.clone().unwrap_or_else(default_command);
    let mut progress = CliProgress::new(opts.config.cases);
    let hook = progress.waiting_hook();
    let on_wait = move || -> WaitHook { Box::new(hook.clone()) };
    let run = Jobs {
        command: &command,
        jobs: opts.jobs,
        timeout: opts.timeout,
        save_to: Some(&opts.save_failures),
        on_wait: Some(&on_wait),
    };
    let verified = jobs::run(&run, &opts.config, &mut progress);
    progress.finish();
    let summary = verified.summary;
    let info = RunInfo::new(&command, &verified.name, &opts.config, &summary);
    let report = Report::new(&summary, &info);
    for f in &summary.failures {
        println!("{}", failure_text(f, Some((&command, opts.config.mode))));
    }
    print!("{}", groups_text(&report));
    print!("{}", report_text(&report));
    write_all(&opts.outputs, &report, &summary.failures)?;
    Ok(match report.error {
        Some(why) => return Err(CommandError::Implementation { command, why }),
        None if report.interrupted => Outcome::Interrupted,
        None if report.compliant => Outcome::Pass,
        None => Outcome::Fail,
    })
}
