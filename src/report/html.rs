//! Self-contained HTML pages: one per scenario or failure (a timeline of the
//! links, every step's figures, the reference and the implementation side by
//! side with the first divergence marked) and one per run (the verdict, the run
//! record, rule coverage as a chart, the failures).
//!
//! One more renderer of the types the text, JSON and JUnit reports render: a
//! page draws a case's [`TraceStep`]s (what the reference and the implementation
//! gave at each step, as the run recorded them), its [`StepFailure`] (rules,
//! diffs, message) and a run's [`Report`]. It derives no result of its own.
//! Pages need nothing outside themselves: styles inline, no script, no font, no
//! external address; the picture is inline SVG with native tooltips.

use std::fmt::Write as _;

use serde_json::Value;

use super::record::Report;
use super::rerun::replay_command;
use crate::model::{LinkState, Snapshot, Status, SystemSnapshot};
use crate::protocol::Answer;
use crate::rules::RuleId;
use crate::scenario::Scenario;
use crate::verify::case::{StepFailure, TraceStep};
use crate::verify::Failure;

/// HTML-escape text ([`super::escape::markup`], shared with JUnit).
fn esc(s: &str) -> String {
    super::escape::markup(s)
}

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em auto;max-width:80em;padding:0 1em;color:#1b1b1b;background:#fff}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
h3{font-size:1.05em;margin:1.2em 0 .3em}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
pre{background:#f5f5f5;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#eee}
.verdict{font-size:1.3em;font-weight:700;padding:.3em .6em;display:inline-block;border:3px solid}
.pass{border-color:#0072B2;color:#0072B2}.fail{border-color:#D55E00;color:#D55E00}
.diff{background:#fff3b0;font-weight:700;outline:2px solid #1b1b1b}
.diff::before{content:"\2260 "}
.rule{border-left:4px solid #D55E00;padding:.2em .6em;margin:.4em 0;background:#fafafa}
.quote{font-style:italic;color:#444}
.first{outline:3px solid #1b1b1b;outline-offset:2px}
.rejected{text-decoration:line-through}
nav a{margin-right:1em}
svg text{font-family:system-ui,sans-serif}
@media print{body{max-width:none;margin:0;font-size:11px}details{display:block}details>summary{display:none}a{color:inherit;text-decoration:none}.noprint{display:none}section{break-inside:avoid}}
"#;

pub(super) fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n",
        esc(title)
    )
}

pub use crate::check::show::clock;

/// A duration in a few characters, for labels: `5 s`, `3 min`, `15 d 00:00`.
fn short(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{:02}:{:02} h", s / 3600, s % 3600 / 60),
        s => format!(
            "{} d {:02}:{:02}",
            s / 86_400,
            s % 86_400 / 3600,
            s % 3600 / 60
        ),
    }
}

fn link_name(l: LinkState) -> &'static str {
    match l {
        LinkState::Primary => "primary",
        LinkState::Connected => "connected",
        LinkState::Grace => "grace",
        LinkState::Lapsed => "lapsed",
        LinkState::External => "portal",
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Licensed => "licensed",
        Status::Unlicensed => "unlicensed",
        Status::Exempt => "exempt",
    }
}

/// Fill and pattern of a link state: told apart by pattern and label as well as
/// colour (Okabe–Ito colours, readable with colour blindness).
fn band_fill(l: LinkState) -> &'static str {
    match l {
        LinkState::Primary => "#CC79A7",
        LinkState::Connected => "url(#p-connected)",
        LinkState::Grace => "url(#p-grace)",
        LinkState::Lapsed => "url(#p-lapsed)",
        LinkState::External => "#eeeeee",
    }
}

const PATTERNS: &str = r##"<defs>
<pattern id="p-connected" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#56B4E9"/></pattern>
<pattern id="p-grace" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#E69F00"/><rect width="3" height="8" fill="#f6d28a"/></pattern>
<pattern id="p-lapsed" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#8c8c8c"/><path d="M0 0L8 8M8 0L0 8" stroke="#5a5a5a" stroke-width="1.2"/></pattern>
</defs>"##;

/// One step of a page: what each side gave.
struct Row<'a> {
    event: Option<usize>,
    reference: &'a Result<std::sync::Arc<Snapshot>, String>,
    /// `None`: no implementation on this page; `Some(None)`: it gave no answer.
    implementation: Option<Option<&'a Answer>>,
}

fn rows(trace: &[TraceStep], with_implementation: bool) -> Vec<Row<'_>> {
    trace
        .iter()
        .map(|t| Row {
            event: t.event,
            reference: &t.reference,
            implementation: with_implementation.then_some(t.implementation.as_ref()),
        })
        .collect()
}

fn event_value(scenario: &Scenario, event: Option<usize>) -> Option<&Value> {
    event.and_then(|i| scenario.events.get(i))
}

/// `link_down exp-1`, `advance 86400 s`, or the JSON of a malformed event.
fn event_label(v: &Value) -> String {
    match v.as_object().filter(|o| o.len() == 1) {
        Some(o) => {
            let (name, body) = o
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v))
                .unwrap_or(("?", v));
            let detail = match name {
                "advance" => body["seconds"]
                    .as_u64()
                    .map(|s| format!("+{}", short(s)))
                    .unwrap_or_else(|| body.to_string()),
                "upgrade" => format!(
                    "{} → {}",
                    body["system"].as_str().unwrap_or("?"),
                    body["release"].as_str().unwrap_or("?")
                ),
                "set_need" => format!(
                    "{} {}={}",
                    body["system"].as_str().unwrap_or("?"),
                    body["kind"].as_str().unwrap_or("?"),
                    body["count"]
                ),
                "add_license" | "remove_license" => format!(
                    "{} {}",
                    body["system"].as_str().unwrap_or("?"),
                    body["license"]["key"]
                        .as_str()
                        .or(body["key"].as_str())
                        .unwrap_or("?")
                ),
                _ => body["system"].as_str().unwrap_or("").to_string(),
            };
            format!("{name} {detail}")
        }
        None => v.to_string(),
    }
}

fn snapshot_of(r: &Result<std::sync::Arc<Snapshot>, String>) -> Option<&Snapshot> {
    r.as_ref().ok().map(|s| &**s)
}

/// The last snapshot of each side at or before each step (a rejected step
/// leaves the state as it was).
fn states<'a>(rows: &[Row<'a>]) -> Vec<(Option<&'a Snapshot>, Option<&'a Snapshot>)> {
    let (mut ours, mut theirs): (Option<&Snapshot>, Option<&Snapshot>) = (None, None);
    rows.iter()
        .map(|r| {
            if let Some(s) = snapshot_of(r.reference) {
                ours = Some(s);
            }
            if let Some(Some(Answer::Snapshot(s))) = r.implementation {
                theirs = Some(s);
            }
            (ours, theirs)
        })
        .collect()
}

/// The index of the failing step among the rows.
fn failing_row(rows: &[Row<'_>], failure: Option<&StepFailure>) -> Option<usize> {
    let f = failure?;
    rows.iter().position(|r| r.event == f.step)
}

/// Which (system index, field) the failure's diffs name, for highlighting:
/// `systems[1](exp-1).in_effect.power_user` is (1, "in_effect").
fn diff_fields(f: Option<&StepFailure>) -> Vec<(Option<usize>, String)> {
    let Some(f) = f else {
        return Vec::new();
    };
    f.diffs
        .iter()
        .map(|d| match d.path.strip_prefix("systems[") {
            Some(rest) => {
                let (i, tail) = rest.split_once(']').unwrap_or((rest, ""));
                let tail = tail.split_once(").").map_or(tail, |(_, t)| t);
                let field = tail
                    .trim_start_matches('.')
                    .split(['.', '['])
                    .next()
                    .unwrap_or("");
                (i.parse().ok(), field.to_string())
            }
            None => (
                None,
                d.path.split(['.', '[']).next().unwrap_or("").to_string(),
            ),
        })
        .collect()
}

/// The timeline: one lane per system, the link state as labelled bands, each
/// event a labelled tick, time compressed to one column per step with the
/// clock written under it (long quiet stretches show as a break).
fn timeline(scenario: &Scenario, rows: &[Row<'_>], failing: Option<usize>) -> String {
    let st = states(rows);
    let names: Vec<String> = st
        .iter()
        .find_map(|(o, _)| *o)
        .map(|s| s.systems.iter().map(|x| x.name.to_string()).collect())
        .unwrap_or_default();
    let with_impl = rows.iter().any(|r| r.implementation.is_some());
    let (col, left, top, lane) = (128usize, 120usize, 78usize, if with_impl { 46 } else { 30 });
    let width = left + col * rows.len().max(1) + 10;
    let height = top + lane * names.len() + 40;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"timeline of the case\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">{PATTERNS}"
    );
    let _ = write!(svg, "<text x=\"4\" y=\"14\" font-size=\"12\" font-weight=\"700\">step</text><text x=\"4\" y=\"58\" font-size=\"11\">clock</text>");
    let mut prev_now: Option<u64> = None;
    for (c, r) in rows.iter().enumerate() {
        let x = left + c * col;
        let rejected = r.reference.is_err() && r.event.is_some();
        let label = match event_value(scenario, r.event) {
            None => "load".to_string(),
            Some(v) => event_label(v),
        };
        let mark = match event_value(scenario, r.event)
            .and_then(|v| v.as_object())
            .and_then(|o| o.keys().next())
            .map(String::as_str)
        {
            Some("restart") => "↻ ",
            Some("upgrade") => "⇧ ",
            _ => "",
        };
        let brief: String = label.chars().take(20).collect();
        if Some(c) == failing {
            let _ = write!(
                svg,
                "<rect x=\"{}\" y=\"2\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#1b1b1b\" stroke-width=\"3\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"700\">▲ first divergence</text>",
                x + 1,
                col - 2,
                height - 24,
                x + 4,
                height - 8
            );
        }
        let _ = write!(
            svg,
            "<g><title>{}</title><line x1=\"{x}\" y1=\"20\" x2=\"{x}\" y2=\"{}\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>\
             <text x=\"{}\" y=\"14\" font-size=\"11\" font-weight=\"700\">{}</text>\
             <text x=\"{}\" y=\"30\" font-size=\"11\"{}>{}{}</text>",
            esc(&label),
            top + lane * names.len(),
            x + 4,
            match r.event {
                None => "load".to_string(),
                Some(i) => format!("event {i}"),
            },
            x + 4,
            if rejected { " text-decoration=\"line-through\"" } else { "" },
            mark,
            esc(&brief)
        );
        if rejected {
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"44\" font-size=\"11\" font-weight=\"700\">✗ rejected</text>",
                x + 4
            );
        }
        if let Some(now) = st[c].0.map(|s| s.now) {
            if prev_now.is_some_and(|p| now.saturating_sub(p) >= 3600) {
                let _ = write!(
                    svg,
                    "<text x=\"{}\" y=\"70\" font-size=\"10\">≈ +{}</text>",
                    x - 30,
                    esc(&short(now - prev_now.unwrap_or(0)))
                );
            }
            prev_now = Some(now);
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"58\" font-size=\"11\" class=\"mono\">{}</text>",
                x + 4,
                esc(&clock(now))
            );
        }
        svg.push_str("</g>");
        for (lane_i, name) in names.iter().enumerate() {
            let y = top + lane_i * lane;
            let sys = |s: Option<&Snapshot>| {
                s.and_then(|s| s.systems.iter().find(|x| *x.name == **name))
                    .cloned()
            };
            let ours = sys(st[c].0);
            let theirs = sys(st[c].1);
            if let Some(o) = &ours {
                band(&mut svg, x, y, col, 26, o, "reference");
            }
            if with_impl {
                match &theirs {
                    Some(t) => band(&mut svg, x, y + 28, col, 14, t, "implementation"),
                    None => {
                        let _ = write!(
                            svg,
                            "<text x=\"{}\" y=\"{}\" font-size=\"10\">(no answer)</text>",
                            x + 4,
                            y + 39
                        );
                    }
                }
                if let (Some(o), Some(t)) = (&ours, &theirs) {
                    if o != t {
                        let _ = write!(
                            svg,
                            "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"700\">≠</text>",
                            x + col - 16,
                            y + 40
                        );
                    }
                }
            }
        }
    }
    for (lane_i, name) in names.iter().enumerate() {
        let y = top + lane_i * lane;
        let _ = write!(
            svg,
            "<text x=\"4\" y=\"{}\" font-size=\"12\" font-weight=\"700\">{}</text>",
            y + 17,
            esc(name)
        );
        if with_impl {
            let _ = write!(
                svg,
                "<text x=\"4\" y=\"{}\" font-size=\"9\">implementation</text>",
                y + 39
            );
        }
    }
    svg.push_str("</svg>");
    let legend = "<p class=\"mono\">Bands: <b>primary</b> (solid purple) · <b>connected</b> (blue) · \
         <b>grace</b> (orange, striped, with its deadline) · <b>lapsed</b> (grey, crossed) · \
         <b>portal</b> (light grey). ↻ restart · ⇧ upgrade · ✗ rejected event · ≠ the implementation differs. \
         One column per step; the clock under each, breaks where time jumps.</p>";
    format!("<div style=\"overflow-x:auto\">{svg}</div>{legend}")
}

fn band(svg: &mut String, x: usize, y: usize, w: usize, h: usize, s: &SystemSnapshot, side: &str) {
    let state = link_name(s.link);
    let deadline = s
        .deadline
        .map(|d| format!(" → {}", clock(d)))
        .unwrap_or_default();
    let text_fill = if s.link == LinkState::Lapsed {
        "#fff"
    } else {
        "#1b1b1b"
    };
    let _ = write!(
        svg,
        "<g><title>{}: {} {}, {}{}</title><rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{h}\" fill=\"{}\" stroke=\"#fff\"/>",
        esc(side),
        esc(&s.name),
        state,
        status_name(s.status),
        esc(&deadline),
        x + 1,
        w - 2,
        band_fill(s.link)
    );
    if h >= 20 {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" font-weight=\"700\" fill=\"{text_fill}\">{state}{}</text>",
            x + 5,
            y + 17,
            esc(&deadline)
        );
    } else {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"9\" fill=\"{text_fill}\">{state}</text>",
            x + 5,
            y + h - 3
        );
    }
    svg.push_str("</g>");
}

fn counts(c: &crate::model::Counts) -> String {
    if c.is_empty() {
        return "–".into();
    }
    c.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn voicemail(s: &SystemSnapshot) -> String {
    match s.voicemail {
        None => "–".into(),
        Some(v) => format!(
            "{} ({} ch)",
            if v.running { "running" } else { "stopped" },
            v.channels
        ),
    }
}

/// A system's figures as table cells.
fn fields(s: &SystemSnapshot) -> [(&'static str, String); 7] {
    [
        ("status", status_name(s.status).to_string()),
        ("link", link_name(s.link).to_string()),
        (
            "deadline",
            s.deadline.map(clock).unwrap_or_else(|| "–".into()),
        ),
        ("in_effect", counts(&s.in_effect)),
        ("reserved", counts(&s.reserved)),
        ("voicemail", voicemail(s)),
        ("voice_networking", s.voice_networking.to_string()),
    ]
}

/// Every step's figures: per system, and the pool with what the Primary keeps.
fn step_tables(
    scenario: &Scenario,
    rows: &[Row<'_>],
    failure: Option<&StepFailure>,
    failing: Option<usize>,
) -> String {
    let mut out = String::from("<h2>Step by step</h2>");
    let highlights = diff_fields(failure);
    for (c, r) in rows.iter().enumerate() {
        let first = Some(c) == failing;
        let title = match event_value(scenario, r.event) {
            None => "Load".to_string(),
            Some(v) => format!("Event {}: {}", r.event.unwrap_or(0), v),
        };
        let _ = write!(
            out,
            "<section id=\"step-{c}\"{}><h3>{}{}</h3>",
            if first { " class=\"first\"" } else { "" },
            if first {
                "▲ first divergence — "
            } else {
                ""
            },
            esc(&title)
        );
        if let Err(why) = r.reference {
            let _ = write!(
                out,
                "<p>The reference <b>rejects</b> it: <code>{}</code></p>",
                esc(why)
            );
        }
        match r.implementation {
            Some(None) => out.push_str("<p>The implementation gave <b>no answer</b>.</p>"),
            Some(Some(Answer::Rejected { code, message })) => {
                let _ = write!(
                    out,
                    "<p>The implementation <b>rejects</b> it ({}): <code>{}</code></p>",
                    code.as_str(),
                    esc(message)
                );
            }
            _ => {}
        }
        let ours = snapshot_of(r.reference);
        let theirs = match r.implementation {
            Some(Some(Answer::Snapshot(s))) => Some(&**s),
            _ => None,
        };
        let Some(base) = ours.or(theirs) else {
            out.push_str("</section>");
            continue;
        };
        let primary_keeps = base
            .systems
            .iter()
            .find(|s| s.link == LinkState::Primary)
            .map(|s| counts(&s.in_effect))
            .unwrap_or_else(|| "–".into());
        let _ = write!(
            out,
            "<p class=\"mono\">now {} · pool: {} · the Primary keeps: {}</p>",
            esc(&clock(base.now)),
            esc(&counts(&base.pool)),
            esc(&primary_keeps)
        );
        out.push_str("<table><tr><th>system</th>");
        for (name, _) in fields(&base.systems[0]) {
            let _ = write!(out, "<th>{name}</th>");
        }
        out.push_str("</tr>");
        for (i, s) in base.systems.iter().enumerate() {
            let o = ours.and_then(|x| x.systems.get(i));
            let t = theirs.and_then(|x| x.systems.get(i));
            let _ = write!(out, "<tr><th>{}</th>", esc(&s.name));
            let of = o.map(fields);
            let tf = t.map(fields);
            for f in 0..7 {
                let name = fields(s)[f].0;
                let a = of.as_ref().map(|x| x[f].1.clone());
                let b = tf.as_ref().map(|x| x[f].1.clone());
                let flagged = first
                    && highlights
                        .iter()
                        .any(|(sys, field)| *sys == Some(i) && field == name);
                let cell = match (&a, &b, r.implementation.is_some()) {
                    (Some(a), Some(b), true) if a != b || flagged => {
                        format!("<td class=\"diff\">ref {} · impl {}</td>", esc(a), esc(b))
                    }
                    (Some(a), _, _) => format!("<td>{}</td>", esc(a)),
                    (None, Some(b), _) => format!("<td>impl {}</td>", esc(b)),
                    (None, None, _) => "<td>–</td>".to_string(),
                };
                out.push_str(&cell);
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
        let diags = |s: &Snapshot| {
            s.diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{} {} {}",
                        d.system,
                        d.key,
                        serde_json::to_value(d.reason)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
        };
        let (od, td) = (ours.map(diags).unwrap_or_default(), theirs.map(diags));
        if !od.is_empty() || td.as_ref().is_some_and(|t| !t.is_empty()) {
            let _ = write!(
                out,
                "<p class=\"mono\">diagnostics: {}</p>",
                esc(&od.join("; "))
            );
            if let Some(td) = td.filter(|t| *t != od) {
                let _ = write!(
                    out,
                    "<p class=\"mono diff\">implementation's diagnostics: {}</p>",
                    esc(&td.join("; "))
                );
            }
        }
        out.push_str("</section>");
    }
    out
}

fn rules_block(ids: &[RuleId]) -> String {
    let mut out = String::new();
    for id in ids {
        let r = id.rule();
        let _ = write!(
            out,
            "<div class=\"rule\"><b>{id}</b> — {}",
            esc(r.statement)
        );
        if let Some(q) = r.quote {
            let _ = write!(out, "<br><span class=\"quote\">“{}”</span>", esc(q));
        }
        out.push_str("</div>");
    }
    out
}

fn scenario_block(scenario: &Scenario) -> String {
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "network": scenario.network,
        "events": scenario.events,
    }))
    .unwrap_or_default();
    format!(
        "<details><summary>The scenario (network and events)</summary><pre>{}</pre></details>",
        esc(&text)
    )
}

/// What a failure page says at the top: the rules broken, quoted, where, the
/// message, the diffs and the replay command.
fn failure_block(f: &StepFailure, failing: Option<usize>, replay: Option<&str>) -> String {
    let mut out = format!(
        "<p class=\"verdict fail\">NOT COMPLIANT — broke {}</p>",
        esc(&crate::rules::join(&f.rules))
    );
    out.push_str(&rules_block(&f.rules));
    let at = match f.step {
        None => "the load".to_string(),
        Some(i) => format!("event {i}"),
    };
    let _ = write!(
        out,
        "<p>At <a href=\"#step-{}\">{}</a> (the first divergence): {}</p>",
        failing.unwrap_or(0),
        esc(&at),
        esc(&f.message)
    );
    if !f.violations.is_empty() || !f.diffs.is_empty() {
        out.push_str("<ul class=\"mono\">");
        for v in &f.violations {
            let _ = write!(out, "<li>{}: {}</li>", v.rule, esc(&v.message));
        }
        for d in &f.diffs {
            let _ = write!(out, "<li>{}</li>", esc(&super::text::difference_line(d)));
        }
        out.push_str("</ul>");
    }
    if !f.stderr.is_empty() {
        let _ = write!(
            out,
            "<details><summary>The implementation's last stderr lines</summary><pre>{}</pre></details>",
            esc(&f.stderr.join("\n"))
        );
    }
    if let Some(r) = replay {
        let _ = write!(out, "<p>Replay: <code>{}</code></p>", esc(r));
    }
    out
}

/// A page for a scenario run through the reference alone (`selc show FILE`):
/// how a golden scenario explains its rules.
pub fn reference_page(name: &str, scenario: &Scenario, trace: &[TraceStep]) -> String {
    let rows = rows(trace, false);
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(name),
        esc(scenario.name.as_deref().unwrap_or(""))
    );
    if !scenario.rules.is_empty() {
        body.push_str("<h2>The rules it is about</h2>");
        body.push_str(&rules_block(&scenario.rules));
    }
    body.push_str("<h2>Timeline (the reference model)</h2>");
    body.push_str(&timeline(scenario, &rows, None));
    body.push_str(&step_tables(scenario, &rows, None, None));
    body.push_str(&scenario_block(scenario));
    page(name, &body)
}

/// A page for a scenario run through an implementation beside the reference
/// (`selc show FILE --impl CMD`): `failure` when it failed.
pub fn case_page(
    name: &str,
    scenario: &Scenario,
    trace: &[TraceStep],
    failure: Option<&StepFailure>,
    command: &str,
    replay: Option<&str>,
) -> String {
    let rows = rows(trace, true);
    let failing = failing_row(&rows, failure);
    let mut body = format!(
        "<h1>{}</h1><p class=\"mono\">implementation: {}</p>",
        esc(name),
        esc(command)
    );
    match failure {
        Some(f) => body.push_str(&failure_block(f, failing, replay)),
        None => {
            body.push_str("<p class=\"verdict pass\">Agrees with the reference at every step</p>")
        }
    }
    body.push_str("<h2>Timeline: reference (upper band) and implementation (lower band)</h2>");
    body.push_str(&timeline(scenario, &rows, failing));
    body.push_str(&step_tables(scenario, &rows, failure, failing));
    body.push_str(&scenario_block(scenario));
    page(name, &body)
}

/// A failure of a `selc verify` run against `command` in `mode`.
pub fn failure_page(f: &Failure, command: &str, mode: crate::check::Mode) -> String {
    let replay = f.saved.as_ref().map(|p| replay_command(command, mode, p));
    let size = if f.shrunk {
        format!("shrunk to {} systems, {} events", f.size.0, f.size.1)
    } else {
        format!("{} systems, {} events (not shrunk)", f.size.0, f.size.1)
    };
    let name = format!("{} — {}", f.case, size);
    case_page(
        &name,
        &f.scenario,
        &f.step.trace,
        Some(&f.step),
        command,
        replay.as_deref(),
    )
}

/// The file name of failure `i`'s page in a `--html` directory.
pub fn failure_file(i: usize, f: &Failure) -> String {
    let kind = f.case.kind().as_str();
    format!("failure-{}-{kind}.html", i + 1)
}

/// The coverage chart: per rule, steps that exercised it (bar, log scale) and
/// cases that failed it (a second, crossed bar).
fn coverage_chart(r: &Report) -> String {
    let n = r.coverage.len();
    let (left, w, row) = (150usize, 520usize, 20usize);
    let height = 30 + n * row;
    let max = r
        .coverage
        .iter()
        .map(|c| c.exercised)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"rule coverage\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\">{PATTERNS}\
         <text x=\"{left}\" y=\"14\" font-size=\"11\">steps that exercised the rule (log scale) · failed cases</text>",
        left + w + 120,
        left + w + 120
    );
    for (i, c) in r.coverage.iter().enumerate() {
        let (id, y) = (c.rule, 24 + i * row);
        let len = if c.exercised == 0 {
            0.0
        } else {
            (1.0 + c.exercised as f64).ln() / (1.0 + max).ln() * w as f64
        };
        let _ = write!(
            svg,
            "<g><title>{id}: exercised {} steps, failed {} cases</title>\
             <text x=\"4\" y=\"{}\" font-size=\"11\">{id}</text>\
             <rect x=\"{left}\" y=\"{y}\" width=\"{len:.1}\" height=\"12\" fill=\"#56B4E9\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"10\">{}{}</text>",
            c.exercised,
            c.failed,
            y + 10,
            left as f64 + len + 4.0,
            y + 10,
            c.exercised,
            if c.exercised == 0 {
                " never exercised"
            } else {
                ""
            }
        );
        if c.failed > 0 {
            let bar = (c.failed.min(10) * 6) as usize;
            let _ = write!(
                svg,
                "<rect x=\"{}\" y=\"{y}\" width=\"{bar}\" height=\"12\" fill=\"url(#p-lapsed)\"/><text x=\"{}\" y=\"{}\" font-size=\"10\" font-weight=\"700\">✗ {} failed</text>",
                left + w + 4,
                left + w + 7 + bar,
                y + 10,
                c.failed
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// The run's page (`index.html` of `selc verify --html DIR`), from its report.
pub fn index_page(r: &Report, failure_files: &[String]) -> String {
    let verdict = if let Some(e) = &r.error {
        format!("<p class=\"verdict fail\">NOT VERIFIED: {}</p>", esc(e))
    } else if r.compliant {
        "<p class=\"verdict pass\">COMPLIANT</p>".to_string()
    } else if r.failures.is_empty() {
        "<p class=\"verdict fail\">INTERRUPTED, NOT VERIFIED</p>".to_string()
    } else {
        format!(
            "<p class=\"verdict fail\">NOT COMPLIANT — {}{}</p>",
            esc(&crate::report::terminal::distinct_line(r)),
            if r.interrupted { " (interrupted)" } else { "" }
        )
    };
    let who = if r.implementation.name.is_empty() {
        &r.implementation.command
    } else {
        &r.implementation.name
    };
    let mut body = format!("<h1>selc verify: {}</h1>{verdict}", esc(who));
    body.push_str("<h2>What the verdict rests on</h2><ul>");
    for line in &r.basis {
        let _ = write!(body, "<li>{}</li>", esc(line));
    }
    if let Some(why) = &r.stopped {
        let _ = write!(body, "<li>stopped early: {}</li>", esc(why));
    }
    body.push_str("</ul><h2>The run</h2><table>");
    let scope = r
        .exhaustive
        .as_ref()
        .map(|x| format!("{} (alphabet {})", x.scope, x.alphabet))
        .unwrap_or_else(|| "none".into());
    for (k, v) in [
        ("selc", r.selc_version.clone()),
        ("implementation", r.implementation.command.clone()),
        ("its name", r.implementation.name.clone()),
        ("mode", r.mode.to_string()),
        ("seed", r.seed.to_string()),
        ("exhaustive scope", scope),
        ("shard", r.shard.to_string()),
        (
            "cases, events",
            format!("{}, {} in {:.1} s", r.cases, r.events, r.seconds),
        ),
        ("rerun", r.rerun.clone()),
    ] {
        let _ = write!(
            body,
            "<tr><th>{k}</th><td class=\"mono\">{}</td></tr>",
            esc(&v)
        );
    }
    body.push_str("</table><h2>Failures</h2>");
    if r.failures.is_empty() {
        body.push_str("<p>None.</p>");
    } else {
        let _ = write!(
            body,
            "<h3>{}</h3><ol class=\"groups\">",
            esc(&crate::report::terminal::distinct_line(r))
        );
        for g in &r.groups {
            let i = g.failures[0];
            let f = &r.failures[i];
            let link = failure_files.get(i).map_or(String::new(), |file| {
                format!(" <a href=\"{}\">{}</a>", esc(file), esc(&f.label()))
            });
            let _ = write!(
                body,
                "<li>{} — {} case{}; smallest:{link} ({} systems, {} events)</li>",
                esc(&g.signature.to_string()),
                g.count,
                if g.count == 1 { "" } else { "s" },
                f.size.systems,
                f.size.events
            );
        }
        body.push_str("</ol><h3>Every failing case</h3><ol>");
        for (f, file) in r.failures.iter().zip(failure_files) {
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> — broke {} at {}: {}</li>",
                esc(file),
                esc(&f.label()),
                esc(&crate::rules::join(&f.rules)),
                match f.step {
                    None => "the load".to_string(),
                    Some(i) => format!("event {i}"),
                },
                esc(&f.message)
            );
        }
        body.push_str("</ol>");
    }
    body.push_str("<h2>Rule coverage</h2>");
    body.push_str(&coverage_chart(r));
    body.push_str("<details><summary>Interactions (steps per event kind × target state)</summary><table><tr><th>cell</th><th>steps</th></tr>");
    for c in &r.interactions {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&c.cell),
            c.steps
        );
    }
    body.push_str("</table></details>");
    page("selc verify", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_as_days_and_hours() {
        assert_eq!(clock(0), "0 d 00:00:00");
        assert_eq!(clock(15 * 86_400 + 3661), "15 d 01:01:01");
    }

    #[test]
    fn short_durations_fit_a_label() {
        assert_eq!(short(5), "5 s");
        assert_eq!(short(15 * 86_400), "15 d 00:00");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
    }
}
