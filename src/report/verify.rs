//! Reports of a `selc verify` run: text for people, JSON for tools, JUnit for CI.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::rules::{rule, RULES};
use crate::verify::{CaseId, Failure, Summary};

/// What the report says about the run itself.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The implementation's command (or `(in process)`).
    pub command: String,
    /// The name it gave in `hello`.
    pub name: String,
    /// `strict` or `rules`.
    pub mode: &'static str,
    /// The seed of the random cases.
    pub seed: u64,
    /// Random cases asked for.
    pub cases: u64,
    /// `i/n`.
    pub shard: String,
    /// The exact command line to rerun.
    pub rerun: String,
}

/// One failure as people read it.
pub fn failure_text(f: &Failure) -> String {
    let mut out = String::new();
    let step = match f.step.step {
        None => "the load".to_string(),
        Some(i) => format!("event {i}"),
    };
    let _ = writeln!(out, "FAIL {} — broke {}", f.case, f.step.rules.join(", "));
    for id in &f.step.rules {
        if let Some(r) = rule(id) {
            let _ = writeln!(out, "  {id}: {}", r.statement);
            if let Some(q) = r.quote {
                let _ = writeln!(out, "    \"{q}\"");
            }
        }
    }
    let _ = writeln!(out, "  at {step}: {}", f.step.message);
    let _ = writeln!(
        out,
        "  request: {}",
        crate::impls::preview(&f.step.request.to_string())
    );
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
    let _ = writeln!(out, "  shrunk to {} systems, {} events", f.size.0, f.size.1);
    if let Some(p) = &f.saved {
        let _ = writeln!(out, "  saved: {}", p.display());
    }
    out
}

/// The per-rule table and the verdict.
pub fn summary_text(s: &Summary, info: &RunInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{:<18} {:>10} {:>7}", "rule", "exercised", "failed");
    for r in RULES {
        let st = s.coverage.get(r.id).copied().unwrap_or_default();
        let note = if st.exercised == 0 {
            "  never exercised"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<18} {:>10} {:>7}{note}",
            r.id, st.exercised, st.failed
        );
    }
    let secs = s.elapsed.as_secs_f64();
    let _ = writeln!(
        out,
        "\n{} cases, {} events in {:.1} s ({:.0} events/s), mode {}, seed {}, shard {}",
        s.cases,
        s.events,
        secs,
        s.events as f64 / secs.max(1e-9),
        info.mode,
        info.seed,
        info.shard
    );
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

/// The JSON report.
pub fn json_report(s: &Summary, info: &RunInfo) -> Value {
    let failures: Vec<Value> = s
        .failures
        .iter()
        .map(|f| {
            json!({
                "case": match &f.case { CaseId::Shipped(p) => json!(p), CaseId::Random(i) => json!(i) },
                "rules": f.step.rules,
                "step": f.step.step,
                "message": f.step.message,
                "request": f.step.request,
                "violations": f.step.violations.iter().map(|v| json!({"rule": v.rule, "message": v.message})).collect::<Vec<_>>(),
                "diffs": f.step.diffs.iter().map(|d| json!({"path": d.path, "expected": d.expected, "actual": d.actual, "rules": d.rules})).collect::<Vec<_>>(),
                "stderr": f.step.stderr,
                "size": {"systems": f.size.0, "events": f.size.1},
                "scenario_file": f.saved.as_ref().map(|p| p.display().to_string()),
            })
        })
        .collect();
    json!({
        "selc_version": env!("CARGO_PKG_VERSION"),
        "implementation": {"command": info.command, "name": info.name},
        "mode": info.mode,
        "seed": info.seed,
        "cases_requested": info.cases,
        "shard": info.shard,
        "rerun": info.rerun,
        "cases": s.cases,
        "events": s.events,
        "seconds": s.elapsed.as_secs_f64(),
        "compliant": s.compliant(),
        "failures": failures,
        "coverage": RULES.iter().map(|r| {
            let st = s.coverage.get(r.id).copied().unwrap_or_default();
            json!({"rule": r.id, "exercised": st.exercised, "failed": st.failed})
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

/// JUnit XML: one test case per rule.
pub fn junit(s: &Summary, info: &RunInfo) -> String {
    let failed = RULES
        .iter()
        .filter(|r| s.coverage.get(r.id).is_some_and(|c| c.failed > 0))
        .count();
    let skipped = RULES
        .iter()
        .filter(|r| {
            s.coverage
                .get(r.id)
                .is_none_or(|c| c.exercised == 0 && c.failed == 0)
        })
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites><testsuite name=\"selc verify {}\" tests=\"{}\" failures=\"{failed}\" skipped=\"{skipped}\" time=\"{:.3}\">",
        xml(&info.name),
        RULES.len(),
        s.elapsed.as_secs_f64()
    );
    for r in RULES {
        let st = s.coverage.get(r.id).copied().unwrap_or_default();
        let _ = write!(
            out,
            "  <testcase classname=\"selc.rules\" name=\"{}\">",
            r.id
        );
        if st.failed > 0 {
            let text: String = s
                .failures
                .iter()
                .filter(|f| f.step.rules.contains(&r.id))
                .map(failure_text)
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
    out.push_str("</testsuite></testsuites>\n");
    out
}
