//! `selc claim check`: a claim checked mechanically, file by file and field
//! by field. Each problem names the file, the field and both values.

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::{scope_of, verdict, Manifest, FORMAT, JUNIT, MANIFEST, REPORT};
use crate::report::record::Report;
use crate::verify::config::CaseKind;
use crate::verify::Shard;

/// One thing wrong with a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// The field (a JSON path, or a JUnit element).
    pub field: String,
    /// What is wrong, both values said.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.field, self.message)
    }
}

fn problem(file: &str, field: &str, message: String) -> Problem {
    Problem {
        file: file.to_string(),
        field: field.to_string(),
        message,
    }
}

/// What checking a claim found: the manifest and report when they could be
/// read, and every problem.
#[derive(Debug, Default)]
pub struct Checked {
    /// `claim.json`, parsed.
    pub manifest: Option<Manifest>,
    /// `report.json`, parsed.
    pub report: Option<Report>,
    /// The problems, in the order checked.
    pub problems: Vec<Problem>,
    /// The claim was made by another selc or model: refused, not checked.
    pub refused: bool,
}

fn read(dir: &Path, name: &str, problems: &mut Vec<Problem>) -> Option<String> {
    match std::fs::read_to_string(dir.join(name)) {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(problem(name, "(file)", format!("cannot be read: {e}")));
            None
        }
    }
}

fn parse<T: DeserializeOwned>(name: &str, text: &str, problems: &mut Vec<Problem>) -> Option<T> {
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize(de) {
        Ok(v) => Some(v),
        Err(e) => {
            let field = e.path().to_string();
            problems.push(problem(name, &field, format!("invalid: {}", e.inner())));
            None
        }
    }
}

/// Check the claim in `dir` without running anything.
pub fn check(dir: &Path) -> Checked {
    let mut c = Checked::default();
    let p = &mut c.problems;
    let Some(text) = read(dir, MANIFEST, p) else {
        return c;
    };
    let Some(m) = parse::<Manifest>(MANIFEST, &text, p) else {
        return c;
    };
    // Made by another selc or model: nothing else can be judged by this one.
    let ours = [
        ("format", m.format.to_string(), FORMAT.to_string()),
        (
            "selc_version",
            m.selc_version.clone(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        (
            "model_digest",
            m.model_digest.clone(),
            crate::digest::model().to_string(),
        ),
        (
            "catalogue_digest",
            m.catalogue_digest.clone(),
            crate::digest::catalogue().to_string(),
        ),
        (
            "alphabet",
            m.alphabet.clone(),
            crate::gen::exhaustive::ALPHABET.to_string(),
        ),
    ];
    for (field, theirs, ours) in ours {
        if theirs != ours {
            c.refused = true;
            p.push(problem(
                MANIFEST,
                field,
                format!(
                    "the claim was made with {field} {}, this selc ({}) has {}: check it with the selc that made it",
                    json!(theirs),
                    env!("CARGO_PKG_VERSION"),
                    json!(ours)
                ),
            ));
        }
    }
    if c.refused {
        c.manifest = Some(m);
        return c;
    }
    let report_text = read(dir, REPORT, p);
    let junit_text = read(dir, JUNIT, p);
    for (name, text, claimed) in [
        (REPORT, &report_text, &m.files.report),
        (JUNIT, &junit_text, &m.files.junit),
    ] {
        if let Some(t) = text {
            let got = crate::digest::sha256_hex(t.as_bytes());
            if &got != claimed {
                let field = if name == REPORT {
                    "files.report"
                } else {
                    "files.junit"
                };
                p.push(problem(
                    MANIFEST,
                    field,
                    format!("the claim says {name} has SHA-256 {claimed}, the file has {got}"),
                ));
            }
        }
    }
    let report = report_text.and_then(|t| parse::<Report>(REPORT, &t, p));
    if let Some(r) = &report {
        agree(&m, r, p);
        complete(r, p);
        if let Some(j) = &junit_text {
            let expected = crate::report::junit::junit_of(r);
            if *j != expected {
                let line = j
                    .lines()
                    .zip(expected.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| j.lines().count().min(expected.lines().count()));
                p.push(problem(
                    JUNIT,
                    &format!("line {}", line + 1),
                    format!(
                        "not the JUnit of report.json: the file has {}, the report gives {}",
                        json!(j.lines().nth(line).unwrap_or("")),
                        json!(expected.lines().nth(line).unwrap_or(""))
                    ),
                ));
            }
        }
    }
    c.manifest = Some(m);
    c.report = report;
    c
}

/// A problem with manifest field `field` if the claim's value is not what
/// the other side (`says`: "report.json says", "the re-run gives") has.
fn disagree(p: &mut Vec<Problem>, field: &str, claim: Value, says: &str, other: Value) {
    if claim != other {
        p.push(problem(
            MANIFEST,
            field,
            format!("the claim says {claim}, {says} {other}"),
        ));
    }
}

/// The manifest and the report say the same.
fn agree(m: &Manifest, r: &Report, p: &mut Vec<Problem>) {
    let mut same = |field: &str, claim: Value, report: Value| {
        disagree(p, field, claim, "report.json says", report);
    };
    same("selc_version", json!(m.selc_version), json!(r.selc_version));
    same("model_digest", json!(m.model_digest), json!(r.model_digest));
    same(
        "catalogue_digest",
        json!(m.catalogue_digest),
        json!(r.catalogue_digest),
    );
    same("mode", json!(m.mode.as_str()), json!(r.mode.as_str()));
    same("seed", json!(m.seed), json!(r.seed));
    same("scope", json!(m.scope), json!(scope_of(r)));
    same("parts", json!(m.parts), json!(r.parts));
    same("cases", json!(m.cases), json!(r.cases));
    same("events", json!(m.events), json!(r.events));
    same("verdict", json!(m.verdict), json!(verdict(r.compliant)));
    same("basis", json!(m.basis), json!(r.basis));
    same("rerun", json!(m.rerun), json!(r.rerun));
    same(
        "exchange_digest",
        json!(m.exchange_digest),
        json!(r.exchange_digest.clone().unwrap_or_default()),
    );
    same("started", json!(m.started), json!(r.started));
    same(
        "product.hello",
        json!(m.product.hello),
        json!(r.implementation.name),
    );
    same(
        "product.command",
        json!(m.product.command),
        json!(r.implementation.command),
    );
}

/// Every part of a default run is there and passed, and nothing was skipped.
fn complete(r: &Report, p: &mut Vec<Problem>) {
    let mut need = |field: &str, ok: bool, what: String| {
        if !ok {
            p.push(problem(REPORT, field, what));
        }
    };
    need(
        "compliant",
        r.compliant && r.failures.is_empty(),
        format!(
            "the verdict is {} with {} failures",
            verdict(r.compliant),
            r.failures.len()
        ),
    );
    need(
        "error",
        r.error.is_none(),
        format!("the run could not take place: {}", json!(r.error)),
    );
    need(
        "interrupted",
        !r.interrupted,
        "the run was interrupted".into(),
    );
    need(
        "stopped",
        r.stopped.is_none(),
        format!("the run stopped early: {}", json!(r.stopped)),
    );
    need(
        "skipped",
        r.skipped.is_empty(),
        format!("{} shipped scenarios were skipped", r.skipped.len()),
    );
    need(
        "shard",
        r.shard == Shard::WHOLE,
        format!("a claim is of a whole run, this is shard {}", r.shard),
    );
    need(
        "exchange_digest",
        r.exchange_digest.as_deref().is_some_and(|d| d.len() == 64),
        format!("no exchange digest: {}", json!(r.exchange_digest)),
    );
    let cases = |k: CaseKind| r.parts.iter().find(|x| x.part == k).map_or(0, |x| x.cases);
    let required = [
        (
            CaseKind::Envelope,
            crate::verify::envelope::probes().len() as u64,
            "every envelope probe",
        ),
        (
            CaseKind::Shipped,
            crate::golden::scenarios().len() as u64,
            "every shipped scenario",
        ),
        (CaseKind::Invalid, 1, "invalid networks"),
        (CaseKind::Random, 1, "random cases"),
    ];
    for (k, at_least, what) in required {
        let n = cases(k);
        need(
            &format!("parts.{}", k.as_str()),
            n >= at_least,
            format!("a default run has {what} (at least {at_least} cases), this one ran {n}"),
        );
    }
    let default = crate::gen::exhaustive::DEFAULT_SCOPE.to_string();
    match &r.exhaustive {
        Some(x) => {
            need(
                "exhaustive.scope",
                x.scope == default,
                format!(
                    "a default run's scope is {default}, this one's is {}",
                    x.scope
                ),
            );
            need(
                "exhaustive.complete",
                x.complete && x.from == 0,
                format!(
                    "the exhaustive part ran {} of {} cases from position {}",
                    x.run, x.cases, x.from
                ),
            );
        }
        None => need(
            "exhaustive",
            false,
            format!("a default run has an exhaustive part (scope {default}), this one has none"),
        ),
    }
}

/// Compare a re-run with the claim: the verdict, the cases and the exchange digest.
pub fn recheck_problems(m: &Manifest, again: &Report) -> Vec<Problem> {
    let mut p = Vec::new();
    let mut same = |field: &str, claim: Value, rerun: Value| {
        disagree(&mut p, field, claim, "the re-run gives", rerun);
    };
    same("verdict", json!(m.verdict), verdict(again.compliant).into());
    same("cases", json!(m.cases), json!(again.cases));
    same("parts", json!(m.parts), json!(again.parts));
    same(
        "exchange_digest",
        json!(m.exchange_digest),
        json!(again.exchange_digest.clone().unwrap_or_default()),
    );
    p
}
