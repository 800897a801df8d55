//! JUnit XML of a `selc verify` report: one test case per rule, and one for
//! the run itself when it could not take place; why a run stopped early and
//! its distinct failures are its `system-out`.

use std::fmt::Write as _;

use super::escape::markup;
use super::record::Report;
use super::terminal::{groups_text, record_text};

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
        markup(name),
        r.coverage.len() + usize::from(run_problem.is_some()),
        usize::from(run_problem.is_some()),
        r.seconds
    );
    if let Some(why) = run_problem {
        let _ = writeln!(
            out,
            "  <testcase classname=\"selc.harness\" name=\"run\"><error message=\"{}\">{}</error></testcase>",
            markup(why),
            markup(&r.implementation.command)
        );
    }
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
                .map(|f| record_text(f, Some((&r.implementation.command, r.mode))))
                .collect();
            let _ = write!(
                out,
                "<failure message=\"{} failing case(s)\">{}</failure>",
                c.failed,
                markup(&text)
            );
        } else if c.exercised == 0 {
            out.push_str("<skipped message=\"never exercised\"/>");
        }
        out.push_str("</testcase>\n");
    }
    let mut said = Vec::new();
    if let Some(why) = &r.stopped {
        said.push(format!("stopped early: {why}"));
    }
    if !r.failures.is_empty() {
        said.push(groups_text(r));
    }
    if !said.is_empty() {
        let _ = writeln!(
            out,
            "  <system-out>{}</system-out>",
            markup(&said.join("\n"))
        );
    }
    out.push_str("</testsuite></testsuites>\n");
    out
}
