//! The outputs of `selc diff`: text for people, and one self-contained HTML
//! page with the reference's, A's and B's answers side by side at the first
//! request where A and B differ. Both render [`DiffReport`]; JSON is serde.

use std::fmt::Write as _;

use super::escape::{markup, visible};
use crate::diff::{Class, DiffReport, Difference, Side};
use crate::gen::exhaustive::thousands;

fn who(n: &crate::diff::Named) -> String {
    if n.name.is_empty() {
        visible(&n.command)
    } else {
        format!("{} ({})", visible(&n.name), visible(&n.command))
    }
}

/// Cases listed by name under each group of the text summary; the rest
/// are counted (every case is in the JSON report and the HTML page).
const LISTED: usize = 3;

/// The text summary: the differences in groups, then the counts and the
/// verdict. Differences alike (the same class, the same rules broken on each
/// side) are one group, its smallest case first with both verdicts in words:
/// one bug of B reads as one group however many cases show it, as
/// `selc verify` groups its failures by signature.
pub fn text(r: &DiffReport) -> String {
    let mut out = String::new();
    let key = |d: &Difference| {
        let side = |s: &Side| (s.passed, s.rules.clone());
        (d.class, side(&d.a), side(&d.b))
    };
    let mut groups: Vec<Vec<&Difference>> = Vec::new();
    for class in Class::ALL {
        for d in r.differences.iter().filter(|d| d.class == class) {
            match groups.iter_mut().find(|g| key(g[0]) == key(d)) {
                Some(g) => g.push(d),
                None => groups.push(vec![d]),
            }
        }
    }
    for g in &mut groups {
        // Stable: among cases of one size, the order the run met them in.
        g.sort_by_key(|d| d.scenario.len());
        let first = g[0];
        let _ = writeln!(
            out,
            "{} in {} case{}",
            first.class.as_str().to_uppercase(),
            thousands(g.len() as u64),
            if g.len() == 1 { "" } else { "s" }
        );
        for (label, side) in [("A", &first.a), ("B", &first.b)] {
            let _ = writeln!(out, "  {label} {}", visible(&side.words()));
        }
        let listed: Vec<String> = g
            .iter()
            .take(LISTED)
            .map(|d| format!("{} (request {})", visible(&d.case), d.request_index))
            .collect();
        let more = g.len().saturating_sub(LISTED);
        let _ = writeln!(
            out,
            "  {}: {}{}",
            if g.len() == 1 {
                "case"
            } else {
                "smallest cases"
            },
            listed.join(", "),
            if more > 0 {
                format!(", and {} more", thousands(more as u64))
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        out,
        "\n{} distinct difference{} in {} differing case{}",
        groups.len(),
        if groups.len() == 1 { "" } else { "s" },
        thousands(r.differences.len() as u64),
        if r.differences.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "diff: A = {}, B = {}; {} cases (seed {}, scope {}, mode {}): {} same, {} regressions, {} fixes, {} legal changes, {} both wrong",
        who(&r.a),
        who(&r.b),
        thousands(r.cases),
        r.seed,
        visible(&r.scope),
        r.mode.as_str(),
        thousands(r.same),
        thousands(r.regressions),
        thousands(r.fixes),
        thousands(r.legal_changes),
        thousands(r.both_wrong)
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
        let _ = write!(out, "<p><b>{label}</b> {}</p>", markup(&side.words()));
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
