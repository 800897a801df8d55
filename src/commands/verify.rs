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
    /// Write a conformance claim into this directory.
    pub claim: Option<(PathBuf, crate::claim::ClaimOptions)>,
    /// Write one observation per case here (JSON lines).
    pub observe: Option<PathBuf>,
}

/// Run `selc verify`. Every outcome, the run that could not start and the
/// interrupted run included, writes the outputs asked for, so a CI job always
/// has its artifact.
pub fn verify(opts: &VerifyOptions) -> Result<Outcome, CommandError> {
    let report = run(opts)?;
    Ok(match report.error {
        Some(why) => {
            return Err(CommandError::Implementation {
                command: report.implementation.command,
                why,
            })
        }
        None if report.interrupted => Outcome::Interrupted,
        None if report.compliant => Outcome::Pass,
        None => Outcome::Fail,
    })
}

/// Run `selc verify` and write its outputs: the report of the run.
pub fn run(opts: &VerifyOptions) -> Result<Report, CommandError> {
    let command = opts.implementation.clone().unwrap_or_else(default_command);
    let mut config = opts.config.clone();
    if let Some((dir, _)) = &opts.claim {
        if config.shard != crate::verify::Shard::WHOLE {
            return Err(CommandError::Usage(format!(
                "--claim {}: a claim is of a whole run, not of shard {}",
                dir.display(),
                config.shard
            )));
        }
        config.exchange_digest = true;
        // A directory that cannot be made is refused before the run, not after.
        std::fs::create_dir_all(dir)
            .map_err(|e| CommandError::Usage(format!("--claim {}: {e}", dir.display())))?;
    }
    let observer =
        crate::report::observe::open(opts.observe.as_deref()).map_err(CommandError::Usage)?;
    if let Some(o) = &observer {
        config.observe = Some(o.clone());
    }
    let opts = &VerifyOptions {
        config,
        ..opts.clone()
    };
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
    if let Some(o) = observer {
        o.finish().map_err(CommandError::Usage)?;
    }
    if let Some((dir, claim)) = &opts.claim {
        crate::claim::write(dir, &report, claim).map_err(CommandError::Usage)?;
        println!(
            "claim: {} ({}; check it with `selc claim check {}`)",
            dir.display(),
            crate::claim::verdict(report.compliant),
            crate::shell::quote(&dir.display().to_string())
        );
    }
    Ok(report)
}
