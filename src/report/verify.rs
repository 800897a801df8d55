//! Reports of a `selc verify` run: text for people, JSON for tools, JUnit for CI.
//! Each renders the same [`Summary`] and [`RunInfo`]; none derives a result.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::record::{FailureRecord, Report, SizeRecord};
use crate::check::Mode;
use crate::gen::exhaustive::thousands;
use crate::impls::default::shell_quote;
use crate::protocol::preview;
use crate::rules::{self, RuleId};
use crate::verify::{Failure, Summary, VerifyConfig};

/// What the report says about the run itself.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The implementation's command (or `(in process)`).
    pub command: String,
    /// The name it gave in `hello` (empty when it gave none).
    pub name: String,
    /// The mode.
    pub mode: Mode,
    /// The seed of the random cases.
    pub seed: u64,
    /// Random cases asked for.
    pub cases: u64,
    /// `i/n`.
    pub shard: String,
    /// The exact command line to rerun.
    pub rerun: String,
}

impl RunInfo {
    /// The record of a run of `config` against `command` that found `summary`.
    pub fn new(command: &str, name: &str, config: &VerifyConfig, summary: &Summary) -> RunInfo {
        RunInfo {
            command: command.to_string(),
            name: name.to_string(),
            mode: config.mode,
            seed: config.seed,
            cases: random_cases(config, summary),
            shard: format!("{}/{}", config.shard.0, config.shard.1),
            rerun: rerun_command(command, config, summary),
        }
    }
}

/// The random cases a rerun asks for: the count asked for, or, for a run on a
/// time budget, as many as it reached.
fn random_cases(config: &VerifyConfig, summary: &Summary) -> u64 {
    if config.time.is_some() {
        summary.random_through
    } else {
        config.cases
    }
}

/// The command line that reruns exactly these cases (a run on a time budget is
/// rerun with the count of random cases it reached).
pub fn rerun_command(command: &str, config: &VerifyConfig, summary: &Summary) -> String {
    let mut out = format!(
        "selc verify --impl {} --mode {} --cases {} --seed {} --max-events {} --max-systems {} --shard {}/{}",
        shell_quote(command),
        config.mode.as_str(),
        random_cases(config, summary),
        config.seed,
        config.max_events,
        config.max_systems,
        config.shard.0,
        config.shard.1,
    );
    if let Some(scope) = config.exhaustive {
        out.push_str(&format!(" --scope {scope}"));
        if config.resume_from > 0 {
            out.push_str(&format!(" --resume-from {}", config.resume_from));
        }
    }
    if !config.golden {
        out.push_str(" --no-golden");
    }
    if !config.steer {
        out.push_str(" --no-steer");
    }
    out
}

/// What the verdict rests on, one line per part: the exhaustive statement, the
/// random cases, the interaction cells, the least-exercised rules.
pub fn basis_lines(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(x) = &r.exhaustive {
        let failing = r
            .failures
            .iter()
            .filter(|f| f.case_kind == "exhaustive")
            .count();
        let outcome = if failing > 0 {
            format!("{failing} failing")
        } else {
            "all agree".to_string()
        };
        let line = match x.next {
            None if x.from == 0 && r.shard == "1/1" => {
                format!("exhaustive: {}: {outcome}", x.statement)
            }
            None => format!(
                "exhaustive: shard {} of {}, positions {}.. ({} cases run): {outcome}",
                r.shard,
                x.statement,
                x.from,
                thousands(x.run)
            ),
            Some(next) => format!(
                "exhaustive: INCOMPLETE, {} cases run of {}: {outcome}; resume with --resume-from {next}",
                thousands(x.run),
                x.statement
            ),
        };
        out.push(line);
    }
    out.push(format!(
        "random: {} cases, {} events (seed {}{})",
        thousands(r.random.cases),
        thousands(r.random.events),
        r.seed,
        if r.random.cases > 0 {
            format!(", indices below {}", r.random.indices_below)
        } else {
            String::new()
        }
    ));
    let missing: Vec<&str> = r
        .interactions
        .iter()
        .filter(|c| c.steps == 0)
        .map(|c| c.cell.as_str())
        .collect();
    out.push(format!(
        "interactions: {}/{} cells hit{}",
        r.interactions.len() - missing.len(),
        r.interactions.len(),
        if missing.is_empty() {
            String::new()
        } else {
            format!("; never: {}", missing.join(", "))
        }
    ));
    let mut rules: Vec<(RuleId, u64)> = r.coverage.iter().map(|c| (c.rule, c.exercised)).collect();
    rules.sort_by_key(|&(id, n)| (n, id));
    out.push(format!(
        "least exercised: {}",
        rules
            .iter()
            .take(3)
            .map(|(id, n)| format!("{id} {}", thousands(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out
}

/// The command line that replays a saved failure.
pub fn replay_command(command: &str, mode: Mode, file: &Path) -> String {
    format!(
        "selc run --impl {} --mode {} {}",
        shell_quote(command),
        mode.as_str(),
        shell_quote(&file.display().to_string())
    )
}

/// One failure as people read it; `replay` is the implementation's command and
/// mode, for the replay line of a saved failure.
pub fn failure_text(f: &Failure, replay: Option<(&str, Mode)>) -> String {
    record_text(&FailureRecord::new(f), replay)
}

/// A failure's record as people read it (the terminal and JUnit).
pub fn record_text(f: &FailureRecord, replay: Option<(&str, Mode)>) -> String {
    let mut out = String::new();
    let step = match f.step {
        None => "the load".to_string(),
        Some(i) => format!("event {i}"),
    };
    let _ = writeln!(out, "FAIL {} — broke {}", f.label(), rules::join(&f.rules));
    for id in &f.rules {
        let r = id.rule();
        let _ = writeln!(out, "  {id}: {}", r.statement);
        if let Some(q) = r.quote {
            let _ = writeln!(out, "    \"{q}\"");
        }
    }
    let _ = writeln!(out, "  at {step}: {}", f.message);
    let _ = writeln!(out, "  request: {}", preview(&f.request.to_string()));
    for v in &f.violations {
        let _ = writeln!(out, "  {}: {}", v.rule, v.message);
    }
    for d in &f.diffs {
        let _ = writeln!(out, "  {}", super::text::difference_line(d));
    }
    if !f.stderr.is_empty() {
        let _ = writeln!(out, "  last stderr lines of the implementation:");
        for l in &f.stderr {
            let _ = writeln!(out, "    | {l}");
        }
    }
    let SizeRecord { systems, events } = f.size;
    if f.shrunk {
        let _ = writeln!(out, "  shrunk to {systems} systems, {events} events");
    } else {
        let _ = writeln!(out, "  {systems} systems, {events} events (not shrunk)");
    }
    if let Some(p) = &f.scenario_file {
        let _ = writeln!(out, "  saved: {p}");
        if let Some((command, mode)) = replay {
            let _ = writeln!(
                out,
                "  replay: {}",
                replay_command(command, mode, Path::new(p))
            );
        }
    }
    if let Some(e) = &f.save_error {
        let _ = writeln!(out, "  NOT SAVED: {e}");
    }
    out
}

/// Every failure of a run as people read it, one after another.
pub fn failures_text(s: &Summary) -> String {
    s.failures
        .iter()
        .map(|f| failure_text(f, None))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The per-rule table and the verdict.
pub fn summary_text(s: &Summary, info: &RunInfo) -> String {
    report_text(&Report::new(s, info))
}

/// The per-rule table, what the verdict rests on, and the verdict, of a report
/// (also of a merged one).
pub fn report_text(r: &Report) -> String {
    let mut out = String::new();
    if let Some(e) = &r.error {
        let _ = writeln!(out, "ERROR: {e}");
        let _ = writeln!(out, "NOT VERIFIED: {}", r.implementation.command);
        return out;
    }
    let _ = writeln!(out, "\n{:<18} {:>10} {:>7}", "rule", "exercised", "failed");
    for c in &r.coverage {
        let note = if c.exercised == 0 {
            "  never exercised"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<18} {:>10} {:>7}{note}",
            c.rule.as_str(),
            c.exercised,
            c.failed
        );
    }
    for s in &r.skipped {
        let _ = writeln!(out, "skipped {}: {}", s.scenario, s.why);
    }
    let _ = writeln!(
        out,
        "\n{} cases, {} events in {:.1} s ({:.0} events/s), mode {}, seed {}, shard {}",
        r.cases,
        r.events,
        r.seconds,
        r.events as f64 / r.seconds.max(1e-9),
        r.mode,
        r.seed,
        r.shard
    );
    if let Some(why) = &r.stopped {
        let _ = writeln!(out, "stopped early: {why}");
    }
    for line in &r.basis {
        let _ = writeln!(out, "{line}");
    }
    let verdict = if r.compliant {
        "COMPLIANT"
    } else {
        "NOT COMPLIANT"
    };
    let _ = writeln!(
        out,
        "{verdict}: {} ({})",
        r.implementation.name, r.implementation.command
    );
    if !r.compliant {
        let _ = writeln!(
            out,
            "{} failing case(s); rerun: {}",
            r.failures.len(),
            r.rerun
        );
    }
    out
}

/// The JSON report.
pub fn json_report(s: &Summary, info: &RunInfo) -> Value {
    serde_json::to_value(Report::new(s, info)).unwrap_or(Value::Null)
}

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// JUnit XML: one test case per rule, and one for the run itself when it could
/// not take place; why a run stopped early is its `system-out`.
pub fn junit(s: &Summary, info: &RunInfo) -> String {
    junit_of(&Report::new(s, info))
}

/// JUnit XML of a report (also of a merged one).
pub fn junit_of(r: &Report) -> String {
    let failed = r.coverage.iter().filter(|c| c.failed > 0).count();
    let skipped = r
        .coverage
        .iter()
        .filter(|c| c.exercised == 0 && c.failed == 0)
        .count();
    let run_problem = r.error.as_ref();
    let name = if r.implementation.name.is_empty() {
        &r.implementation.command
    } else {
        &r.implementation.name
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"selc verify {}\" tests=\"{}\" failures=\"{failed}\" errors=\"{}\" skipped=\"{skipped}\" time=\"{:.3}\">",
        xml(name),
        r.coverage.len() + usize::from(run_problem.is_some()),
        usize::from(run_problem.is_some()),
        r.seconds
    );
    if let Some(why) = run_problem {
        let _ = writeln!(
            out,
            "  <testcase classname=\"selc.harness\" name=\"run\"><error message=\"{}\">{}</error></testcase>",
            xml(why),
            xml(&r.implementation.command)
        );
    }
    let mode = if r.mode == Mode::Strict.as_str() {
        Mode::Strict
    } else {
        Mode::Rules
    };
    for c in &r.coverage {
        let _ = write!(
            out,
            "  <testcase classname=\"selc.rules\" name=\"{}\">",
            c.rule.as_str()
        );
        if c.failed > 0 {
            let text: String = r
                .failures
                .iter()
                .filter(|f| f.rules.contains(&c.rule))
                .map(|f| record_text(f, Some((&r.implementation.command, mode))))
                .collect();
            let _ = write!(
                out,
                "<failure message=\"{} failing case(s)\">{}</failure>",
                c.failed,
                xml(&text)
            );
        } else if c.exercised == 0 {
            out.push_str("<skipped message=\"never exercised\"/>");
        }
        out.push_str("</testcase>\n");
    }
    if let Some(why) = &r.stopped {
        let _ = writeln!(
            out,
            "  <system-out>stopped early: {}</system-out>",
            xml(why)
        );
    }
    out.push_str("</testsuite></testsuites>\n");
    out
}
