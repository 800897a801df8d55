//! The outputs of `selc diff`: text for people, and one self-contained HTML
//! page with the reference's, A's and B's answers side by side at the first
//! request where A and B differ. Both render [`DiffReport`]; JSON is serde.

use std::fmt::Write as _;

use super::escape::{markup, visible};
use crate::diff::{Class, DiffReport, Difference, Side};

fn who(n: &crate::diff::Named) -> String {
    if n.name.is_empty() {
        visible(&n.command)
    } else {
        format!("{} ({})", visible(&n.name), visible(&n.command))
    }
}

/// The text summary: each difference, then the counts and the verdict.
pub fn text(r: &DiffReport) -> String {
    let mut out = String::new();
    for d in &r.differences {
        let _ = writeln!(
            out,
            "{}  {}  at request {}",
            d.class.as_str().to_uppercase(),
            visible(&d.case),
            d.request_index
        );
        for (label, side) in [("A", &d.a), ("B", &d.b)] {
            let _ = writeln!(out, "  {label} {}", visible(&judged(side)));
        }
    }
    let _ = writeln!(
        out,
        "\ndiff: A = {}, B = {}; {} cases (seed {}, scope {}, mode {}): {} same, {} regressions, {} fixes, {} legal changes, {} both wrong",
        who(&r.a),
        who(&r.b),
        r.cases,
        r.seed,
        r.scope,
        r.mode.as_str(),
        r.same,
        r.regressions,
        r.fixes,
        r.legal_changes,
        r.both_wrong
    );
    let _ = writeln!(
        out,
        "{}",
        if r.regressions > 0 {
            "REGRESSED: B gets wrong what A got right"
        } else {
            "NO REGRESSION: B gets right everything A got right"
        }
    );
    out
}

/// What the reference made of one side's answer, in words: the same in
/// every format, escaped by each for its own medium.
fn judged(side: &Side) -> String {
    if side.passed {
        "agrees with the reference".to_string()
    } else {
        format!(
            "breaks {}: {}",
            crate::rules::join(&side.rules),
            side.message
        )
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn difference(out: &mut String, i: usize, d: &Difference) {
    let _ = write!(
        out,
        "<section id=\"d{i}\"><h2>{} — {}</h2><p>first difference at request {}: <code>{}</code></p>",
        markup(d.class.as_str()),
        markup(&d.case),
        d.request_index,
        markup(&d.request.to_string())
    );
    for (label, side) in [("A", &d.a), ("B", &d.b)] {
        let _ = write!(out, "<p><b>{label}</b> {}</p>", markup(&judged(side)));
    }
    let _ = write!(
        out,
        "<table><tr><th>reference</th><th>A</th><th>B</th></tr><tr><td><pre>{}</pre></td><td><pre>{}</pre></td><td><pre>{}</pre></td></tr></table>",
        markup(&pretty(&d.reference)),
        markup(&pretty(&d.a_answer)),
        markup(&pretty(&d.b_answer))
    );
    let _ = writeln!(
        out,
        "<details><summary>the scenario (a file <code>selc run</code> replays)</summary><pre>{}</pre></details></section>",
        markup(&d.scenario)
    );
}

/// One page for the whole diff.
pub fn html(r: &DiffReport) -> String {
    let mut body = String::new();
    let (class, verdict) = if r.regressions > 0 {
        ("fail", "REGRESSED")
    } else {
        ("pass", "NO REGRESSION")
    };
    let _ = write!(
        body,
        "<h1>selc diff</h1><p class=\"verdict {class}\">{verdict}</p>\
         <table><tr><th>A</th><td>{}</td></tr><tr><th>B</th><td>{}</td></tr>\
         <tr><th>cases</th><td>{} (seed {}, scope {}, mode {})</td></tr>\
         <tr><th>selc</th><td>{} (model {})</td></tr></table><h2>Differences</h2><table><tr><th>class</th><th>cases</th></tr>",
        markup(&who(&r.a)),
        markup(&who(&r.b)),
        r.cases,
        r.seed,
        markup(&r.scope),
        r.mode.as_str(),
        markup(&r.selc_version),
        markup(&r.model_digest[..r.model_digest.len().min(12)])
    );
    let _ = write!(body, "<tr><td>same</td><td>{}</td></tr>", r.same);
    for c in Class::ALL {
        let n = r.differences.iter().filter(|d| d.class == c).count();
        let _ = write!(body, "<tr><td>{}</td><td>{n}</td></tr>", c.as_str());
    }
    body.push_str("</table>\n");
    for (i, d) in r.differences.iter().enumerate() {
        difference(&mut body, i, d);
    }
    super::html::page("selc diff", &body)
}
