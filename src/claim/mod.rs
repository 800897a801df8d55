//! Conformance claims (anchor: the Kubernetes conformance program, whose bot
//! checks a submission's files mechanically). `selc verify --claim DIR`
//! writes a claim: [`Manifest`] (`claim.json`), the JSON report and the JUnit
//! file; `selc claim check DIR` checks it ([`check`]), and with `--impl`
//! re-runs it and compares the verdict and the exchange digest
//! ([`check::recheck_problems`]).
//!
//! A claim binds a verdict to what made it: selc's version, the digests of
//! the model and of the rule catalogue, the alphabet of the exhaustive part,
//! every part's seed, scope, cases and events, and the digests of the files
//! it carries. Editing any file, or any field, is seen; a claim made by
//! another selc or model is refused, naming both versions.

pub mod check;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::Mode;
use crate::report::record::{PartRecord, Report};

/// The claim's manifest file.
pub const MANIFEST: &str = "claim.json";
/// The JSON report it carries.
pub const REPORT: &str = "report.json";
/// The JUnit file it carries.
pub const JUNIT: &str = "junit.xml";
/// The manifest's format.
pub const FORMAT: u32 = 1;

/// The product the claim is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// As given by `--product`, else the name the implementation gave in `hello`.
    pub name: String,
    /// As given by `--product-version` (empty when not given).
    pub version: String,
    /// The name it gave in `hello`.
    pub hello: String,
    /// The command that ran it.
    pub command: String,
}

/// The digests of the files a claim carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Files {
    /// SHA-256 of `report.json`.
    pub report: String,
    /// SHA-256 of `junit.xml`.
    pub junit: String,
}

/// `claim.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// What was verified.
    pub product: Product,
    /// selc's version.
    pub selc_version: String,
    /// [`crate::digest::model`].
    pub model_digest: String,
    /// [`crate::digest::catalogue`].
    pub catalogue_digest: String,
    /// The alphabet of the exhaustive part ([`crate::gen::exhaustive::ALPHABET`]).
    pub alphabet: String,
    /// The mode.
    pub mode: Mode,
    /// The seed of the random part.
    pub seed: u64,
    /// The scope of the exhaustive part (`none` without one).
    pub scope: String,
    /// Cases and events of every part.
    pub parts: Vec<PartRecord>,
    /// Cases in all.
    pub cases: u64,
    /// Events in all.
    pub events: u64,
    /// `COMPLIANT` or `NOT COMPLIANT`.
    pub verdict: String,
    /// What the verdict rests on: the report's basis lines, the reach among them.
    pub basis: Vec<String>,
    /// The line that re-runs the claim.
    pub rerun: String,
    /// The digest of every request and answer, case by case, in case order.
    pub exchange_digest: String,
    /// When the run began (UTC).
    pub started: String,
    /// The files' digests.
    pub files: Files,
}

pub use crate::report::record::verdict;

/// What `--claim` is given beyond the run.
#[derive(Clone, Debug, Default)]
pub struct ClaimOptions {
    /// `--product`.
    pub product: Option<String>,
    /// `--product-version`.
    pub version: Option<String>,
}

/// The manifest of `report` (written as `report_text`) and `junit_text`.
pub fn manifest(
    report: &Report,
    report_text: &str,
    junit_text: &str,
    o: &ClaimOptions,
) -> Manifest {
    let hello = report.implementation.name.clone();
    Manifest {
        format: FORMAT,
        product: Product {
            name: o.product.clone().unwrap_or_else(|| hello.clone()),
            version: o.version.clone().unwrap_or_default(),
            hello,
            command: report.implementation.command.clone(),
        },
        selc_version: report.selc_version.clone(),
        model_digest: report.model_digest.clone(),
        catalogue_digest: report.catalogue_digest.clone(),
        alphabet: crate::gen::exhaustive::ALPHABET.to_string(),
        mode: report.mode,
        seed: report.seed,
        scope: scope_of(report),
        parts: report.parts.clone(),
        cases: report.cases,
        events: report.events,
        verdict: verdict(report.compliant).to_string(),
        basis: report.basis.clone(),
        rerun: report.rerun.clone(),
        exchange_digest: report.exchange_digest.clone().unwrap_or_default(),
        started: report.started.clone(),
        files: Files {
            report: crate::digest::sha256_hex(report_text.as_bytes()),
            junit: crate::digest::sha256_hex(junit_text.as_bytes()),
        },
    }
}

/// The exhaustive scope of a report, `none` without an exhaustive part.
pub fn scope_of(report: &Report) -> String {
    report
        .exhaustive
        .as_ref()
        .map_or_else(|| "none".to_string(), |x| x.scope.clone())
}

/// Write the claim of `report` into `dir` (created if missing): the report,
/// the JUnit file, then the manifest, which names their digests.
pub fn write(dir: &Path, report: &Report, o: &ClaimOptions) -> Result<Manifest, String> {
    let report_text = serde_json::to_string_pretty(report).map_err(|e| e.to_string())? + "\n";
    let junit_text = crate::report::junit::junit_of(report);
    let m = manifest(report, &report_text, &junit_text, o);
    let manifest_text = serde_json::to_string_pretty(&m).map_err(|e| e.to_string())? + "\n";
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, text) in [
        (REPORT, &report_text),
        (JUNIT, &junit_text),
        (MANIFEST, &manifest_text),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(m)
}
