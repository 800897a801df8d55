//! The terminal text of a `selc verify` run: each failure, the distinct
//! failures, the per-rule table, what the verdict rests on, and the verdict.
//! It renders a [`Report`]; identifiers are shown escaped ([`preview`]), so a
//! name holding control characters cannot drive the terminal.

use std::fmt::Write as _;
use std::path::Path;

use super::escape::visible;
use super::record::{FailureRecord, Report, RunInfo, SizeRecord};
use super::rerun::replay_command;
use super::text::difference_line;
use crate::check::Mode;
use crate::protocol::preview;
use crate::rules;
use crate::verify::config::CaseKind;
use crate::verify::{Failure, Summary};

/// One failure as people read it; `replay` is the implementation's command and
/// mode, for the replay line of a saved failure.
pub fn failure_text(f: &Failure, replay: Option<(&str, Mode)>) -> String {
    record_text(&FailureRecord::new(f), replay)
}

/// A failure's record as people read it (the terminal and JUnit).
pub fn record_text(f: &FailureRecord, replay: Option<(&str, Mode)>) -> String {
    let mut out = String::new();
    let step = match (f.case_kind, f.step) {
        (_, None) => "the load".to_string(),
        // An envelope probe's steps are raw lines, not events.
        (CaseKind::Envelope, Some(i)) => format!("line {i}"),
        (_, Some(i)) => format!("event {i}"),
    };
    let _ = writeln!(
        out,
        "FAIL {} — broke {}",
        visible(&f.label()),
        rules::join(&f.rules)
    );
    for id in &f.rules {
        let r = id.rule();
        let _ = writeln!(out, "  {id}: {}", r.statement);
        if let Some(q) = r.quote {
            let _ = writeln!(out, "    \"{q}\"");
        }
    }
    let _ = writeln!(out, "  at {step}: {}", visible(&f.message));
    let _ = writeln!(out, "  request: {}", preview(&f.request.to_string()));
    for v in &f.violations {
        let _ = writeln!(out, "  {}: {}", v.rule, visible(&v.message));
    }
    for d in &f.diffs {
        let _ = writeln!(out, "  {}", difference_line(d));
    }
    if !f.stderr.is_empty() {
        let _ = writeln!(out, "  last stderr lines of the implementation:");
        for l in &f.stderr {
            let _ = writeln!(out, "    | {}", visible(l));
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
        let _ = writeln!(out, "NOT VERIFIED: {}", visible(&r.implementation.command));
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
        let _ = writeln!(out, "skipped {}: {}", visible(&s.scenario), s.why);
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
    let verdict = if !r.compliant && r.interrupted && r.failures.is_empty() {
        "INTERRUPTED, NOT VERIFIED"
    } else {
        super::record::verdict(r.compliant)
    };
    let _ = writeln!(
        out,
        "{verdict}: {} ({})",
        visible(&r.implementation.name),
        visible(&r.implementation.command)
    );
    if !r.failures.is_empty() {
        let _ = writeln!(out, "{}; rerun: {}", distinct_line(r), r.rerun);
    } else if r.interrupted {
        let _ = writeln!(out, "rerun: {}", r.rerun);
    }
    out
}

/// `2 distinct failures in 10 failing cases`.
pub fn distinct_line(r: &Report) -> String {
    let (groups, cases) = (r.groups.len(), r.failures.len());
    format!(
        "{groups} distinct failure{} in {cases} failing case{}",
        if groups == 1 { "" } else { "s" },
        if cases == 1 { "" } else { "s" }
    )
}

/// The distinct failures, one line each with its count and its smallest
/// counterexample: what to fix first.
pub fn groups_text(r: &Report) -> String {
    let mut out = String::new();
    if r.failures.is_empty() {
        return out;
    }
    let _ = writeln!(out, "{}:", distinct_line(r));
    for (i, g) in r.groups.iter().enumerate() {
        let smallest = &r.failures[g.failures[0]];
        let _ = writeln!(
            out,
            "  {}. {} — {} case{}; smallest: {} ({} systems, {} events)",
            i + 1,
            visible(&g.signature.to_string()),
            g.count,
            if g.count == 1 { "" } else { "s" },
            visible(&smallest.label()),
            smallest.size.systems,
            smallest.size.events
        );
    }
    out
}
