//! `selc verify`: the whole run against one implementation, its reports, and a
//! report even when the run cannot take place.

use std::path::PathBuf;
use std::time::Duration;

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
