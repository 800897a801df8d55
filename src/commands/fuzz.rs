//! `selc fuzz`: a fuzzing run against one program ([`crate::fuzz::run`]), its
//! outputs (the reports of `selc verify`, with what the fuzzer adds), and
//! `--minimize`.

use super::progress::CliProgress;
use super::{CommandError, Outcome};
use crate::fuzz::run::{self, FuzzConfig};
use crate::impls::default::default_command;
use crate::report::record::{Report, RunInfo};
use crate::report::terminal::{failure_text, groups_text, report_text};
use crate::report::write::{write_all, Outputs};
use crate::verify::VerifyConfig;

/// What `selc fuzz` is asked for.
#[derive(Clone, Debug, Default)]
pub struct FuzzOptions {
    /// The implementation's command; `None` for the default.
    pub implementation: Option<String>,
    /// The run.
    pub config: FuzzConfig,
    /// The reports and pages to write.
    pub outputs: Outputs,
    /// Minimize the corpus instead of fuzzing.
    pub minimize: bool,
    /// Write one observation per input here.
    pub observe: Option<std::path::PathBuf>,
}

/// Run `selc fuzz`.
pub fn fuzz(opts: &FuzzOptions) -> Result<Outcome, CommandError> {
    let command = opts.implementation.clone().unwrap_or_else(default_command);
    let mut config = opts.config.clone();
    let observer =
        crate::report::observe::open(opts.observe.as_deref()).map_err(CommandError::Usage)?;
    if let Some(o) = &observer {
        config.observe = Some(o.clone());
    }
    let config = &config;
    if !(config.slow_factor.is_finite() && config.slow_factor >= 1.0) {
        return Err(CommandError::Usage(format!(
            "--slow-factor {}: expected a number of at least 1",
            config.slow_factor
        )));
    }
    if opts.minimize {
        let Some(dir) = &config.corpus else {
            return Err(CommandError::Usage("--minimize needs --corpus DIR".into()));
        };
        let (before, kept) =
            run::minimize(&command, dir, config).map_err(|why| CommandError::Implementation {
                command: command.clone(),
                why,
            })?;
        println!(
            "corpus {}: kept {kept} of {before} inputs with the same features",
            dir.display()
        );
        return Ok(Outcome::Pass);
    }
    let mut progress = CliProgress::of("selc fuzz", u64::MAX);
    let fuzzed =
        run::run(&command, config, &mut progress).map_err(|why| CommandError::Implementation {
            command: command.clone(),
            why,
        });
    progress.finish();
    let fuzzed = fuzzed?;
    if let Some(o) = observer {
        o.finish().map_err(CommandError::Usage)?;
    }
    let summary = fuzzed.summary;
    // The report's fields of `selc verify` that a fuzzing run shares.
    let as_verify = VerifyConfig {
        mode: config.mode,
        seed: config.seed,
        cases: summary.cases,
        golden: false,
        exhaustive: None,
        ..VerifyConfig::default()
    };
    let mut info = RunInfo::new(&command, &fuzzed.name, &as_verify, &summary);
    info.rerun = rerun(&command, config);
    let report = Report::new(&summary, &info).with_fuzz(fuzzed.record);
    for f in &summary.failures {
        println!("{}", failure_text(f, Some((&command, config.mode))));
    }
    print!("{}", groups_text(&report));
    print!("{}", report_text(&report));
    write_all(&opts.outputs, &report, &summary.failures)?;
    Ok(if report.interrupted {
        Outcome::Interrupted
    } else if report.compliant {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}

/// The command line that runs this fuzzing run again (from its corpus: a
/// mutational run replays from the corpus it started with, not from a seed
/// alone).
fn rerun(command: &str, c: &FuzzConfig) -> String {
    let mut words = vec![
        "selc".to_string(),
        "fuzz".into(),
        "--impl".into(),
        command.to_string(),
        "--mode".into(),
        c.mode.to_string(),
        "--seed".into(),
        c.seed.to_string(),
    ];
    if let Some(d) = &c.corpus {
        words.extend(["--corpus".into(), d.display().to_string()]);
    }
    if let Some(t) = c.time {
        words.extend(["--time".into(), format!("{}s", t.as_secs())]);
    }
    if let Some(n) = c.inputs {
        words.extend(["--inputs".into(), n.to_string()]);
    }
    words
        .iter()
        .map(|w| crate::shell::quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}
