//! Reports of a `selc verify` run: text for people, JSON for tools, JUnit for CI.
//! Each renders the same [`Summary`] and [`RunInfo`]; none derives a result.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

use crate::check::Mode;
use crate::impls::default::shell_quote;
use crate::protocol::preview;
use crate::rules::{self, RULES};
use crate::verify::{CaseId, Failure, Summary, VerifyConfig};

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
    /// The record of a run of `config` against `command`.
    pub fn new(command: &str, name: &str, config: &VerifyConfig) -> RunInfo {
        RunInfo {
            command: command.to_string(),
            name: name.to_string(),
            mode: config.mode,
            seed: config.seed,
            cases: config.cases,
            shard: format!("{}/{}", config.shard.0, config.shard.1),
            rerun: rerun_command(command, config),
        }
    }
}

/// The command line that reruns exactly these cases.
pub fn rerun_command(command: &str, config: &VerifyConfig) -> String {
    format!(
        "selc verify --impl {} --mode {} --cases {} --seed {} --max-events {} --max-systems {} --shard {}/{}{}",
        shell_quote(command),
        config.mode.as_str(),
        config.cases,
        config.seed,
        config.max_events,
        config.max_systems,
        config.shard.0,
        config.shard.1,
        if config.golden { "" } else { " --no-golden" }
    )
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
    let mut out = String::new();
    let step = match f.step.step {
        None => "the load".to_string(),
        Some(i) => format!("event {i}"),
    };
    let _ = writeln!(
        out,
        "FAIL {} — broke {}",
        f.case,
        rules::join(&f.step.rules)
    );
    for id in &f.step.rules {
        let r = id.rule();
        let _ = writeln!(out, "  {id}: {}", r.statement);
        if let Some(q) = r.quote {
            let _ = writeln!(out, "    \"{q}\"");
        }
    }
    let _ = writeln!(out, "  at {step}: {}", f.step.message);
    let _ = writeln!(out, "  request: {}", preview(&f.step.request.to_string()));
    for v in &f.step.violations {
        let _ = writeln!(out, "  {}: {}", v.rule, v.message);
    }
    for d in &f.step.diffs {
        let _ = writeln!(out, "  {}", super::text::difference_line(d));
    }
    if !f.step.stderr.is_empty() {
        let _ = writeln!(out, "  last stderr lines of the implementation:");
        for l in &f.step.stderr {
            let _ = writeln!(out, "    | {l}");
        }
    }
    let (systems, events) = f.size;
    if f.shrunk {
        let _ = writeln!(out, "  shrunk to {systems} systems, {events} events");
    } else {
        let _ = writeln!(out, "  {systems} systems, {events} events (not shrunk)");
    }
    if let Some(p) = &f.saved {
        let _ = writeln!(out, "  saved: {}", p.display());
        if let Some((command, mode)) = replay {
            let _ = writeln!(out, "  replay: {}", replay_command(command, mode, p));
        }
    }
    if let Some(e) = &f.save_error {
        let _ = writeln!(out, "  NOT SAVED: {e}");
    }
    out
}

/// The per-rule table and the verdict.
pub fn summary_text(s: &Summary, info: &RunInfo) -> String {
    let mut out = String::new();
    if let Some(e) = &s.error {
        let _ = writeln!(out, "ERROR: {e}");
        let _ = writeln!(out, "NOT VERIFIED: {}", info.command);
        return out;
    }
    let _ = writeln!(out, "\n{:<18} {:>10} {:>7}", "rule", "exercised", "failed");
    for (id, st) in s.coverage.iter() {
        let note = if st.exercised == 0 {
            "  never exercised"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<18} {:>10} {:>7}{note}",
            id.as_str(),
            st.exercised,
            st.failed
        );
    }
    for (path, why) in &s.skipped {
        let _ = writeln!(out, "skipped {path}: {why}");
    }
    let secs = s.elapsed.as_secs_f64();
    let _ = writeln!(
        out,
        "\n{} cases, {} events in {:.1} s ({:.0} events/s), mode {}, seed {}, shard {}",
        s.cases,
        s.events,
        secs,
        s.events as f64 / secs.max(1e-9),
        info.mode.as_str(),
        info.seed,
        info.shard
    );
    if let Some(why) = &s.stopped {
        let _ = writeln!(out, "stopped early: {why}");
    }
    let verdict = if s.compliant() {
        "COMPLIANT"
    } else {
        "NOT COMPLIANT"
    };
    let _ = writeln!(out, "{verdict}: {} ({})", info.name, info.command);
    if !s.compliant() {
        let _ = writeln!(
            out,
            "{} failing case(s); rerun: {}",
            s.failures.len(),
            info.rerun
        );
    }
    out
}

fn failure_json(f: &Failure) -> Value {
    json!({
        "case": match &f.case { CaseId::Shipped(p) => json!(p), CaseId::Random(i) => json!(i) },
        "rules": f.step.rules,
        "step": f.step.step,
        "message": f.step.message,
        "harness_error": f.step.harness.as_ref().map(|e| e.to_string()),
        "request": f.step.request,
        "violations": f.step.violations.iter().map(|v| json!({"rule": v.rule, "message": v.message})).collect::<Vec<_>>(),
        "diffs": f.step.diffs.iter().map(|d| json!({"path": d.path, "expected": d.expected, "actual": d.actual, "rules": d.rules})).collect::<Vec<_>>(),
        "stderr": f.step.stderr,
        "size": {"systems": f.size.0, "events": f.size.1},
        "shrunk": f.shrunk,
        "scenario_file": f.saved.as_ref().map(|p| p.display().to_string()),
        "save_error": f.save_error,
    })
}

/// The JSON report.
pub fn json_report(s: &Summary, info: &RunInfo) -> Value {
    json!({
        "selc_version": env!("CARGO_PKG_VERSION"),
        "implementation": {"command": info.command, "name": info.name},
        "mode": info.mode.as_str(),
        "seed": info.seed,
        "cases_requested": info.cases,
        "shard": info.shard,
        "rerun": info.rerun,
        "cases": s.cases,
        "events": s.events,
        "seconds": s.elapsed.as_secs_f64(),
        "compliant": s.compliant(),
        "error": s.error,
        "stopped": s.stopped,
        "skipped": s.skipped.iter().map(|(p, why)| json!({"scenario": p, "why": why})).collect::<Vec<_>>(),
        "failures": s.failures.iter().map(failure_json).collect::<Vec<_>>(),
        "coverage": s.coverage.iter().map(|(id, st)| {
            json!({"rule": id, "exercised": st.exercised, "failed": st.failed})
        }).collect::<Vec<_>>(),
    })
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
    let failed = s.coverage.iter().filter(|(_, c)| c.failed > 0).count();
    let skipped = s
        .coverage
        .iter()
        .filter(|(_, c)| c.exercised == 0 && c.failed == 0)
        .count();
    let run_problem = s.error.as_ref();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"selc verify {}\" tests=\"{}\" failures=\"{failed}\" errors=\"{}\" skipped=\"{skipped}\" time=\"{:.3}\">",
        xml(&info.name),
        RULES.len() + usize::from(run_problem.is_some()),
        usize::from(run_problem.is_some()),
        s.elapsed.as_secs_f64()
    );
    if let Some(why) = run_problem {
        let _ = writeln!(
            out,
            "  <testcase classname=\"selc.harness\" name=\"run\"><error message=\"{}\">{}</error></testcase>",
            xml(why),
            xml(&info.command)
        );
    }
    for (id, st) in s.coverage.iter() {
        let _ = write!(
            out,
            "  <testcase classname=\"selc.rules\" name=\"{}\">",
            id.as_str()
        );
        if st.failed > 0 {
            let text: String = s
                .failures
                .iter()
                .filter(|f| f.step.rules.contains(&id))
                .map(|f| failure_text(f, Some((&info.command, info.mode))))
                .collect();
            let _ = write!(
                out,
                "<failure message=\"{} failing case(s)\">{}</failure>",
                st.failed,
                xml(&text)
            );
        } else if st.exercised == 0 {
            out.push_str("<skipped message=\"never exercised\"/>");
        }
        out.push_str("</testcase>\n");
    }
    if let Some(why) = &s.stopped {
        let _ = writeln!(
            out,
            "  <system-out>stopped early: {}</system-out>",
            xml(why)
        );
    }
    out.push_str("</testsuite></testsuites>\n");
    out
}
