//! `selc run`: scenario files through the reference model, or through an
//! implementation compared with the reference. One pipeline for both: the same
//! inputs, the same fallbacks (no FILE: the built-in golden set; an unreadable
//! path is counted and the rest still run) and the same wording.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use super::inputs::inputs;
use super::{CommandError, Outcome};
use crate::check::Mode;
use crate::impls::process::Process;
use crate::impls::Driven;
use crate::report::escape::visible;
use crate::report::terminal::failure_text;
use crate::report::text;
use crate::run::{passed, run_scenario, Verdict};
use crate::scenario::Scenario;
use crate::verify::{run_case, CaseId, Failure};

/// An implementation to run the files against.
#[derive(Clone, Debug)]
pub struct Against {
    /// Its command line.
    pub command: String,
    /// The compliance mode.
    pub mode: Mode,
    /// Per-request timeout.
    pub timeout: Duration,
}

/// What `selc run` is asked for.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Files and directories; empty for the built-in golden set.
    pub files: Vec<PathBuf>,
    /// Pretty-print snapshots (reference only: with an implementation, no
    /// snapshot is printed).
    pub pretty: bool,
    /// Print only failures and the summary.
    pub quiet: bool,
    /// The implementation, if the files are run against one.
    pub against: Option<Against>,
    /// Move the saved failures that now pass into `retired/` beside them.
    pub retire: bool,
    /// Rewrite stale files with the current reference's expectations.
    pub update: bool,
}

/// What runs a scenario and says how it went.
enum Target {
    Reference {
        pretty: bool,
    },
    Implementation {
        imp: Box<Process>,
        command: String,
        mode: Mode,
    },
}

/// How one scenario went.
enum Ran {
    /// Matched: steps checked.
    Ok(usize),
    /// Printed as JSON lines: it has no expectations.
    Printed,
    /// Differed: the report.
    Differs(String),
    /// Could not be run: why.
    Invalid(String),
}

impl Target {
    fn run(
        &mut self,
        scenario: &Scenario,
        name: &str,
        out: &mut impl Write,
    ) -> std::io::Result<Ran> {
        match self {
            Target::Reference { pretty } => {
                let steps = match run_scenario(scenario) {
                    Ok(s) => s,
                    Err(e) => return Ok(Ran::Invalid(e.to_string())),
                };
                if !scenario.has_expectations() {
                    for step in &steps {
                        let v = text::outcome_value(step);
                        let line = if *pretty {
                            serde_json::to_string_pretty(&v)
                        } else {
                            serde_json::to_string(&v)
                        };
                        writeln!(out, "{}", line.unwrap_or_default())?;
                    }
                    return Ok(Ran::Printed);
                }
                let checked = steps
                    .iter()
                    .filter(|s| matches!(s.verdict, Verdict::Match | Verdict::Mismatch(_)))
                    .count();
                Ok(if passed(&steps) {
                    Ran::Ok(checked)
                } else {
                    Ran::Differs(text::mismatches(scenario, &steps))
                })
            }
            Target::Implementation { imp, command, mode } => {
                imp.set_context(name);
                let run = run_case(imp.as_mut(), scenario, *mode);
                Ok(match run.failure {
                    None => Ran::Ok(run.events as usize + 1),
                    Some(step) => {
                        let f =
                            Failure::new(CaseId::Shipped(name.to_string()), scenario, step, false);
                        Ran::Differs(failure_text(&f, Some((command, *mode))))
                    }
                })
            }
        }
    }
}

/// Run `selc run`.
pub fn run(opts: &RunOptions) -> Result<Outcome, CommandError> {
    let mut runner = match &opts.against {
        None => Target::Reference {
            pretty: opts.pretty,
        },
        Some(a) => {
            let (imp, _) = Process::started(&a.command, a.timeout).map_err(|why| {
                CommandError::Implementation {
                    command: a.command.clone(),
                    why,
                }
            })?;
            Target::Implementation {
                imp: Box::new(imp),
                command: a.command.clone(),
                mode: a.mode,
            }
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut ok, mut failed, mut invalid) = (0usize, 0usize, 0usize);
    let mut regress =
        super::regress::Regress::new(!opts.files.is_empty(), opts.retire, opts.update);
    let judged = matches!(runner, Target::Implementation { .. });
    let corpus = regress.applies(judged);
    for input in inputs(&opts.files) {
        let name = input.name;
        let parsed = input
            .text
            .and_then(|t| Scenario::from_json_str(&t).map_err(|e| e.to_string()));
        let ran = match parsed {
            Ok(scenario) => {
                let label = scenario.name.clone().unwrap_or_default();
                let updated = if corpus {
                    regress.stale(&scenario, &name, &label, &mut out)?
                } else {
                    None
                };
                let scenario = updated.unwrap_or(scenario);
                (runner.run(&scenario, &name, &mut out)?, label)
            }
            Err(e) => (Ran::Invalid(e), String::new()),
        };
        // Still failing or now passing: said of an implementation's run only.
        if let (Ran::Ok(_) | Ran::Differs(_), true) = (&ran.0, corpus && judged) {
            regress.ran(&name, matches!(ran.0, Ran::Ok(_)), &mut out)?;
        }
        match ran {
            (Ran::Ok(checked), label) => {
                ok += 1;
                if !opts.quiet {
                    writeln!(
                        out,
                        "ok    {}  {}  ({checked} steps checked)",
                        visible(&name),
                        visible(&label)
                    )?;
                }
            }
            (Ran::Printed, _) => ok += 1,
            (Ran::Differs(report), label) => {
                failed += 1;
                writeln!(out, "FAIL  {}  {}", visible(&name), visible(&label))?;
                write!(out, "{}", visible(&report))?;
            }
            (Ran::Invalid(why), _) => {
                invalid += 1;
                out.flush()?;
                eprintln!("selc run: error: {}: {}", visible(&name), visible(&why));
            }
        }
    }
    writeln!(
        out,
        "\nscenarios: {ok} ok, {failed} differ, {invalid} invalid or unreadable"
    )?;
    if corpus {
        writeln!(out, "{}", regress.summary())?;
    }
    Ok(if invalid > 0 {
        Outcome::Unusable
    } else if failed > 0 {
        Outcome::Fail
    } else {
        Outcome::Pass
    })
}
