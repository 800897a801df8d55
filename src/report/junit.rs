//! JUnit XML of a `selc verify` report: one test case per rule, and one for
//! the run itself when it could not take place; why a run stopped early and
//! its distinct failures are its `system-out`.

use std::fmt::Write as _;

use super::escape::markup;
use super::record::Report;
use super::terminal::{groups_text, record_text};

/// JUnit XML of a report (also of a merged one), valid against the Ant JUnit
/// schema (windyroad's `JUnit.xsd`): a `testsuites` of one `testsuite` with
/// `package`, `id`, `name`, `timestamp`, `hostname`, the counts and `time`;
/// `properties` first (seed, selc version, scope, model digest...), then one
/// `testcase` per exercised rule, then `system-out` and `system-err`.
///
/// The schema has no `skipped`: a rule no case exercised is not a test case
/// (a test case with no failure reads as passed), but is named in the
/// `selc.never_exercised` property and in `system-out`. A rule's test case has
/// `time="0"`: a run's cases are timed as a whole, not per rule.
pub fn junit_of(r: &Report) -> String {
    let exercised: Vec<_> = r
        .coverage
        .iter()
        .filter(|c| c.exercised > 0 || c.failed > 0)
        .collect();
    let never: Vec<&str> = r
        .coverage
        .iter()
        .filter(|c| c.exercised == 0 && c.failed == 0)
        .map(|c| c.rule.as_str())
        .collect();
    let failed = exercised.iter().filter(|c| c.failed > 0).count();
    let run_problem = r.error.as_ref();
    let name = if r.implementation.name.is_empty() {
        &r.implementation.command
    } else {
        &r.implementation.name
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites>\n<testsuite package=\"selc\" id=\"0\" name=\"selc verify {}\" timestamp=\"{}\" hostname=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"{}\" time=\"{:.3}\">",
        markup(name),
        markup(&r.started),
        markup(if r.hostname.is_empty() { "localhost" } else { &r.hostname }),
        exercised.len() + usize::from(run_problem.is_some()),
        usize::from(run_problem.is_some()),
        r.seconds
    );
    out.push_str("  <properties>\n");
    for (k, v) in properties(r, &never) {
        let _ = writeln!(
            out,
            "    <property name=\"{}\" value=\"{}\"/>",
            markup(k),
            markup(&v)
        );
    }
    out.push_str("  </properties>\n");
    if let Some(why) = run_problem {
        let _ = writeln!(
            out,
            "  <testcase classname=\"selc.harness\" name=\"run\" time=\"{:.3}\"><error type=\"harness\" message=\"{}\">{}</error></testcase>",
            r.seconds,
            markup(why),
            markup(&r.implementation.command)
        );
    }
    for c in &exercised {
        let _ = write!(
            out,
            "  <testcase classname=\"selc.rules\" name=\"{}\" time=\"0\">",
            c.rule.as_str()
        );
        if c.failed > 0 {
            let text: String = r
                .failures
                .iter()
                .filter(|f| f.rules.contains(&c.rule))
                .map(|f| record_text(f, Some((&r.implementation.command, r.mode))))
                .collect();
            let _ = write!(
                out,
                "<failure type=\"rule_broken\" message=\"{} failing case(s)\">{}</failure>",
                c.failed,
                markup(&text)
            );
        }
        out.push_str("</testcase>\n");
    }
    let mut said = Vec::new();
    if !never.is_empty() {
        said.push(format!("never exercised: {}", never.join(", ")));
    }
    if let Some(why) = &r.stopped {
        said.push(format!("stopped early: {why}"));
    }
    if !r.failures.is_empty() {
        said.push(groups_text(r));
    }
    let _ = writeln!(
        out,
        "  <system-out>{}</system-out>",
        markup(&said.join("\n"))
    );
    out.push_str("  <system-err></system-err>\n");
    out.push_str("</testsuite>\n</testsuites>\n");
    out
}

/// The run's facts, as JUnit properties.
fn properties(r: &Report, never: &[&str]) -> Vec<(&'static str, String)> {
    let mut p = vec![
        ("selc.version", r.selc_version.clone()),
        ("selc.model_digest", r.model_digest.clone()),
        ("selc.catalogue_digest", r.catalogue_digest.clone()),
        ("selc.implementation", r.implementation.command.clone()),
        ("selc.mode", r.mode.as_str().to_string()),
        ("selc.seed", r.seed.to_string()),
        ("selc.shard", r.shard.to_string()),
        (
            "selc.scope",
            r.exhaustive
                .as_ref()
                .map_or_else(|| "none".to_string(), |x| x.scope.clone()),
        ),
        ("selc.cases", r.cases.to_string()),
        ("selc.compliant", r.compliant.to_string()),
        ("selc.rerun", r.rerun.clone()),
    ];
    if let Some(d) = &r.exchange_digest {
        p.push(("selc.exchange_digest", d.clone()));
    }
    if !never.is_empty() {
        p.push(("selc.never_exercised", never.join(" ")));
    }
    p
}
