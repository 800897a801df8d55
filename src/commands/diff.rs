//! `selc diff --impl A --impl B`: the run ([`crate::diff`]) and its outputs.

use std::path::PathBuf;
use std::time::Duration;

use super::progress::CliProgress;
use super::{CommandError, Outcome};
use crate::diff::{diff as run_diff, DiffConfig, Named};
use crate::impls::process::Process;

/// What `selc diff` is asked for.
#[derive(Clone, Debug, Default)]
pub struct DiffOptions {
    /// A (the baseline) and B (the candidate).
    pub implementations: (String, String),
    /// The cases and the mode.
    pub config: DiffConfig,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Write the JSON report here.
    pub report: Option<PathBuf>,
    /// Write the HTML page here (a directory: index.html).
    pub html: Option<PathBuf>,
    /// Write one observation per case here.
    pub observe: Option<PathBuf>,
}

fn start(command: &str, timeout: Duration) -> Result<(Process, Named), CommandError> {
    let (p, name) =
        Process::started(command, timeout).map_err(|why| CommandError::Implementation {
            command: command.to_string(),
            why,
        })?;
    Ok((
        p,
        Named {
            command: command.to_string(),
            name,
        },
    ))
}

/// Run `selc diff`: exit 1 on any regression.
pub fn diff(opts: &DiffOptions) -> Result<Outcome, CommandError> {
    let mut config = opts.config.clone();
    let observer =
        crate::report::observe::open(opts.observe.as_deref()).map_err(CommandError::Usage)?;
    if let Some(o) = &observer {
        config.observe = Some(o.clone());
    }
    let (mut a, na) = start(&opts.implementations.0, opts.timeout)?;
    let (mut b, nb) = start(&opts.implementations.1, opts.timeout)?;
    let mut progress = CliProgress::of("selc diff", 0).counting("differing");
    let r = run_diff((&mut a, na), (&mut b, nb), &config, &mut progress);
    progress.finish();
    print!("{}", crate::report::diff::text(&r));
    if let Some(o) = observer {
        o.finish().map_err(CommandError::Usage)?;
    }
    if let Some(p) = &opts.report {
        let text =
            serde_json::to_string_pretty(&r).map_err(|e| CommandError::Usage(e.to_string()))?;
        super::write_file(p, &(text + "\n"))?;
    }
    if let Some(dir) = &opts.html {
        std::fs::create_dir_all(dir)?;
        super::write_file(&dir.join("index.html"), &crate::report::diff::html(&r))?;
    }
    Ok(if crate::interrupt::requested() {
        Outcome::Interrupted
    } else if r.regressions > 0 {
        Outcome::Fail
    } else {
        Outcome::Pass
    })
}
