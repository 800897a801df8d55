//! The report of a `selc verify` run as a type: written as JSON by
//! `--report`, read back by `selc report merge`, and rendered by every other
//! format (terminal text, JUnit, HTML), none of which derives a result of its
//! own. Built from a [`Summary`] and its [`RunInfo`] in one place
//! ([`Report::new`]), with what the verdict rests on ([`basis_lines`]) and the
//! failures grouped by signature ([`group`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::rerun::rerun_command;
use crate::check::coverage::Cell;
use crate::check::{Difference, Mode, Violation};
use crate::domain::{Area, DomainCounts, DomainId};
use crate::gen::exhaustive::thousands;
use crate::rules::RuleId;
use crate::verify::config::CaseKind;
use crate::verify::{CaseId, Failure, Shard, Summary, VerifyConfig};

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
    /// Random cases asked for (for a run on a time budget: reached).
    pub cases: u64,
    /// The shard run.
    pub shard: Shard,
    /// The exact command line to rerun.
    pub rerun: String,
}

impl RunInfo {
    /// The record of a run of `config` against `command` that found `summary`.
    pub fn new(command: &str, name: &str, config: &VerifyConfig, summary: &Summary) -> RunInfo {
        let cases = random_cases(config, summary);
        RunInfo {
            command: command.to_string(),
            name: name.to_string(),
            mode: config.mode,
            seed: config.seed,
            cases,
            shard: config.shard,
            rerun: rerun_command(command, config, cases),
        }
    }
}

/// The random cases a rerun asks for: the count asked for, or, for a run on a
/// time budget, as many as it reached.
fn random_cases(config: &VerifyConfig, summary: &Summary) -> u64 {
    if config.time.is_some() {
        summary.random_through
    } else {
        config.cases
    }
}

/// The implementation a run was against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplementationRecord {
    /// Its command line.
    pub command: String,
    /// The name it gave in `hello`.
    pub name: String,
}

/// A shipped scenario that could not be run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedRecord {
    /// Its path.
    pub scenario: String,
    /// Why.
    pub why: String,
}

/// Systems and events of a failing scenario.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRecord {
    /// Systems.
    pub systems: usize,
    /// Events.
    pub events: usize,
}

/// One failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureRecord {
    /// A shipped scenario's path, or a random index or exhaustive position.
    pub case: Value,
    /// Which part of the run.
    pub case_kind: CaseKind,
    /// What tells this failure's bug from another's ([`Signature`]).
    pub signature: Signature,
    /// The rules broken, in catalogue order.
    pub rules: Vec<RuleId>,
    /// The event index; `null` for the load.
    pub step: Option<usize>,
    /// What went wrong.
    pub message: String,
    /// The harness error, when it failed on the harness.
    pub harness_error: Option<String>,
    /// The request that caused it.
    pub request: Value,
    /// What the checkers found.
    pub violations: Vec<Violation>,
    /// Expected against actual, field by field.
    pub diffs: Vec<Difference>,
    /// The implementation's last stderr lines.
    pub stderr: Vec<String>,
    /// The size of the (shrunk) scenario.
    pub size: SizeRecord,
    /// Whether it was shrunk.
    pub shrunk: bool,
    /// Where it was saved.
    pub scenario_file: Option<String>,
    /// Why it could not be saved.
    pub save_error: Option<String>,
}

impl FailureRecord {
    /// The record of a failure.
    pub fn new(f: &Failure) -> FailureRecord {
        let case = match &f.case {
            CaseId::Shipped(p) => Value::from(p.as_str()),
            CaseId::Random(i)
            | CaseId::Exhaustive(i)
            | CaseId::Invalid(i)
            | CaseId::Envelope(i)
            | CaseId::Fuzz(i) => Value::from(*i),
        };
        FailureRecord {
            case,
            case_kind: f.case.kind(),
            signature: Signature::of(f),
            rules: f.step.rules.clone(),
            step: f.step.step,
            message: f.step.message.clone(),
            harness_error: f.step.harness.as_ref().map(ToString::to_string),
            request: f.step.request.clone(),
            violations: f.step.violations.clone(),
            diffs: f.step.diffs.clone(),
            stderr: f.step.stderr.clone(),
            size: SizeRecord {
                systems: f.size.0,
                events: f.size.1,
            },
            shrunk: f.shrunk,
            scenario_file: f.saved.as_ref().map(|p| p.display().to_string()),
            save_error: f.save_error.clone(),
        }
    }

    /// Which case, as people read it (`random case 3`).
    pub fn label(&self) -> String {
        self.case_id().to_string()
    }

    /// The case it names.
    pub fn case_id(&self) -> CaseId {
        let n = self.case.as_u64().unwrap_or(u64::MAX);
        match self.case_kind {
            CaseKind::Shipped => CaseId::Shipped(match &self.case {
                Value::String(p) => p.clone(),
                c => c.to_string(),
            }),
            CaseKind::Exhaustive => CaseId::Exhaustive(n),
            CaseKind::Invalid => CaseId::Invalid(n),
            CaseKind::Envelope => CaseId::Envelope(n),
            CaseKind::Random => CaseId::Random(n),
            CaseKind::Fuzz => CaseId::Fuzz(n),
        }
    }

    /// Where the case stands in an unsharded run's order ([`CaseId::order`]).
    pub fn order(&self) -> (CaseKind, u64, String) {
        let id = self.case_id();
        let (k, n, p) = id.order();
        (k, n, p.to_string())
    }
}

/// What tells one bug from another: the rules broken, the first field that
/// differs, shallowest first (its path with the indices and names of systems
/// taken out, so the same field of any system is one signature) or the kind of
/// harness failure,
/// and the kind of event that showed it. Failures with one signature are
/// counted as one distinct failure.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// The rules broken.
    pub rules: Vec<RuleId>,
    /// The first differing field (`systems[].link`), or the harness failure
    /// (`timeout`), or `null` when only a checker spoke.
    pub field: Option<String>,
    /// The request's kind: `load`, `snapshot`, or the event (`upgrade`).
    pub event: String,
}

impl Signature {
    /// The signature of a failure.
    pub fn of(f: &Failure) -> Signature {
        let field = match &f.step.harness {
            Some(e) => Some(e.kind().to_string()),
            // The shallowest differing field comes first: a link state that
            // differs explains the counts that differ with it, so one bug is one
            // signature whichever counts its cases happened to hold.
            None => f
                .step
                .diffs
                .iter()
                .map(|d| generic_path(&d.path))
                .min_by_key(|p| (p.matches(['.', '[']).count(), p.clone())),
        };
        Signature {
            rules: f.step.rules.clone(),
            field,
            event: request_kind(&f.step.request),
        }
    }
}

impl std::fmt::Display for Signature {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(out, "{} at {}", crate::rules::join(&self.rules), self.event)?;
        if let Some(field) = &self.field {
            write!(out, ": {field}")?;
        }
        Ok(())
    }
}

/// `systems[1](exp-1).licenses[3].count` as `systems[].licenses[].count`.
fn generic_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        let Some(close) = rest[open..].find(']') else {
            return out;
        };
        out.push(']');
        rest = &rest[open + close + 1..];
        // Only a system carries its name, `(name)`, and nothing after it does:
        // the name, whatever it holds, ends at the path's last `)`.
        if rest.starts_with('(') {
            rest = rest.rfind(')').map_or("", |end| &rest[end + 1..]);
        }
    }
    out.push_str(rest);
    out
}

/// What a request was: `load`, `snapshot`, or the kind of its event.
fn request_kind(request: &Value) -> String {
    match request.get("op").and_then(Value::as_str) {
        Some("apply") => request
            .get("event")
            .and_then(Value::as_object)
            .and_then(|e| e.keys().next().cloned())
            .unwrap_or_else(|| "apply".into()),
        Some(op) => op.to_string(),
        None => "the run".into(),
    }
}

/// Failures with one signature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRecord {
    /// What they share.
    pub signature: Signature,
    /// How many failing cases.
    pub count: usize,
    /// Their positions in `failures`, the smallest counterexample first.
    pub failures: Vec<usize>,
}

/// The failures of a report grouped by signature, in the order of each
/// group's first failure; in a group, the smallest counterexample (fewest
/// systems and events) first.
pub fn group(failures: &[FailureRecord]) -> Vec<GroupRecord> {
    let mut groups: Vec<GroupRecord> = Vec::new();
    for (i, f) in failures.iter().enumerate() {
        match groups.iter_mut().find(|g| g.signature == f.signature) {
            Some(g) => {
                g.count += 1;
                g.failures.push(i);
            }
            None => groups.push(GroupRecord {
                signature: f.signature.clone(),
                count: 1,
                failures: vec![i],
            }),
        }
    }
    for g in &mut groups {
        g.failures
            .sort_by_key(|&i| (failures[i].size.systems + failures[i].size.events, i));
    }
    groups
}

/// The exhaustive part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExhaustiveRecord {
    /// `SxE`.
    pub scope: String,
    /// The alphabet's version.
    pub alphabet: String,
    /// What the whole enumeration is.
    pub statement: String,
    /// Its cases after reduction.
    pub cases: u64,
    /// Before reduction.
    pub cases_before_symmetry_reduction: u64,
    /// The position the run started at.
    pub from: u64,
    /// Cases run.
    pub run: u64,
    /// Where to resume, when stopped early.
    pub next: Option<u64>,
    /// Every case of the enumeration was run (in this shard).
    pub complete: bool,
}

/// The random part.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomRecord {
    /// Cases run.
    pub cases: u64,
    /// Their events.
    pub events: u64,
    /// One past the highest index run.
    pub indices_below: u64,
}

/// Steps per interaction cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellRecord {
    /// The cell (`restart × in grace`).
    pub cell: String,
    /// Steps that hit it.
    pub steps: u64,
}

/// One property of the input domain, and the cases that exercised it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainRecord {
    /// The property.
    pub property: DomainId,
    /// Its area.
    pub area: Area,
    /// Cases that exercised it.
    pub cases: u64,
}

/// What the run's cases reached of the input domain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReachRecord {
    /// The most systems of a case.
    pub max_systems: u64,
    /// Cases of more than 32 systems.
    pub cases_above_32_systems: u64,
    /// The most licenses in one configuration.
    pub max_licenses: u64,
    /// The most events of a case.
    pub max_events: u64,
    /// Per property, in catalogue order.
    pub properties: Vec<DomainRecord>,
}

impl ReachRecord {
    /// The reach of a run's cases.
    pub fn new(d: &DomainCounts) -> ReachRecord {
        ReachRecord {
            max_systems: d.max_systems,
            cases_above_32_systems: d.above_32,
            max_licenses: d.max_licenses,
            max_events: d.max_events,
            properties: DomainId::ALL
                .iter()
                .map(|&id| DomainRecord {
                    property: id,
                    area: id.property().area,
                    cases: d.get(id),
                })
                .collect(),
        }
    }

    /// The reach of a run made of parts (shards).
    pub fn merge(parts: &[&ReachRecord]) -> Option<ReachRecord> {
        let mut whole = (*parts.first()?).clone();
        for p in &parts[1..] {
            whole.max_systems = whole.max_systems.max(p.max_systems);
            whole.cases_above_32_systems += p.cases_above_32_systems;
            whole.max_licenses = whole.max_licenses.max(p.max_licenses);
            whole.max_events = whole.max_events.max(p.max_events);
            for (a, b) in whole.properties.iter_mut().zip(&p.properties) {
                a.cases += b.cases;
            }
        }
        Some(whole)
    }

    /// The reach line of the verdict: the largest cases, then per area the
    /// properties reached of those stated, and what was never reached.
    pub fn line(&self) -> String {
        let mut out = format!(
            "reach: networks of up to {} systems ({} cases above 32), up to {} licenses per configuration, histories up to {} events;",
            thousands(self.max_systems),
            thousands(self.cases_above_32_systems),
            thousands(self.max_licenses),
            thousands(self.max_events)
        );
        let areas: Vec<String> = Area::ALL
            .iter()
            .map(|&area| {
                let of: Vec<&DomainRecord> =
                    self.properties.iter().filter(|p| p.area == area).collect();
                let hit = of.iter().filter(|p| p.cases > 0).count();
                format!("{} {hit}/{}", area.as_str(), of.len())
            })
            .collect();
        out.push(' ');
        out.push_str(&areas.join(", "));
        let never: Vec<&str> = self
            .properties
            .iter()
            .filter(|p| p.cases == 0)
            .map(|p| p.property.as_str())
            .collect();
        if !never.is_empty() {
            out.push_str(&format!("; never reached: {}", never.join(", ")));
        }
        out
    }
}

/// One rule's coverage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRecord {
    /// The rule.
    pub rule: RuleId,
    /// Steps that exercised it.
    pub exercised: u64,
    /// Cases that failed it.
    pub failed: u64,
}

/// The JSON report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// selc's version.
    pub selc_version: String,
    /// The digest of the model, rules and checkers the run was judged by
    /// ([`crate::digest::model`]).
    #[serde(default)]
    pub model_digest: String,
    /// The digest of the rule catalogue ([`crate::digest::catalogue`]).
    #[serde(default)]
    pub catalogue_digest: String,
    /// When the run began: UTC, `YYYY-MM-DDTHH:MM:SS`.
    #[serde(default)]
    pub started: String,
    /// The machine it ran on.
    #[serde(default)]
    pub hostname: String,
    /// The digest of every case's exchange with the implementation, in case
    /// order ([`crate::verify::exchange`]); only when asked for (a claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_digest: Option<String>,
    /// The implementation.
    pub implementation: ImplementationRecord,
    /// `strict` or `rules`.
    pub mode: Mode,
    /// The seed.
    pub seed: u64,
    /// Random cases asked for (for a run on a time budget: reached).
    pub cases_requested: u64,
    /// `I/N`.
    pub shard: Shard,
    /// The command line that reruns exactly this run.
    pub rerun: String,
    /// Cases run.
    pub cases: u64,
    /// Events applied.
    pub events: u64,
    /// Wall time.
    pub seconds: f64,
    /// The verdict.
    pub compliant: bool,
    /// A signal stopped the run: the report holds what was done before it.
    pub interrupted: bool,
    /// Why the run could not take place.
    pub error: Option<String>,
    /// Why it stopped early.
    pub stopped: Option<String>,
    /// Shipped scenarios that could not be run.
    pub skipped: Vec<SkippedRecord>,
    /// Every failure, in case order.
    pub failures: Vec<FailureRecord>,
    /// The failures grouped by signature: the distinct failures.
    pub groups: Vec<GroupRecord>,
    /// Cases and events of each part that ran, in run order.
    #[serde(default)]
    pub parts: Vec<PartRecord>,
    /// The exhaustive part.
    pub exhaustive: Option<ExhaustiveRecord>,
    /// Invalid networks sent (one clause broken in each).
    pub invalid_networks: u64,
    /// Envelope probes run.
    pub envelope: u64,
    /// The random part.
    pub random: RandomRecord,
    /// What the verdict rests on, as the text summary says it.
    pub basis: Vec<String>,
    /// Steps per interaction cell, in table order.
    pub interactions: Vec<CellRecord>,
    /// What the cases reached of the input domain.
    pub reach: ReachRecord,
    /// Per rule, in catalogue order.
    pub coverage: Vec<CoverageRecord>,
    /// What `selc fuzz` adds: its inputs, corpus, features and slow inputs
    /// (absent from a `selc verify` report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzz: Option<FuzzRecord>,
}

/// `t` in UTC as `YYYY-MM-DDTHH:MM:SS` (JUnit's timestamp, with no zone).
pub fn utc(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// This machine's name, or `localhost` when it has none to give.
pub fn hostname() -> String {
    nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// The cases and events of one part of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartRecord {
    /// Which part.
    pub part: CaseKind,
    /// Cases run.
    pub cases: u64,
    /// Events applied.
    pub events: u64,
}

/// What a fuzzing run (`selc fuzz`) found beyond the cases of a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuzzRecord {
    /// Inputs run.
    pub inputs: u64,
    /// Inputs per second, over the run.
    pub execs_per_second: f64,
    /// Entries of the corpus at the end.
    pub corpus: u64,
    /// Entries this run added.
    pub corpus_added: u64,
    /// The corpus directory, if kept.
    pub corpus_dir: Option<String>,
    /// (feature, bucket) pairs seen.
    pub features: u64,
    /// Seconds from the start to the first divergence.
    pub first_divergence_seconds: Option<f64>,
    /// K: an input costing more than K × the median is slow.
    pub slow_factor: f64,
    /// The median cost of an input at the end: its time per request and per
    /// system, in ns.
    pub median_cost_nanos: u64,
    /// The slow inputs.
    pub slow: Vec<SlowRecord>,
}

/// An input whose cost (time per request and per system) was more than K ×
/// the median cost, three runs out of three, with its slowest request: a
/// performance finding, not a failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlowRecord {
    /// The input's number.
    pub input: u64,
    /// The slow request's position in the case (0: the load).
    pub request_index: u64,
    /// The slow request, shortened.
    pub request: String,
    /// Its time when sent alone, in µs.
    pub micros: u64,
    /// The input's cost (time per request and system, fastest of three), in ns.
    pub cost_nanos: u64,
    /// The median cost then, in ns.
    pub median_cost_nanos: u64,
    /// Where the input was saved.
    pub file: Option<String>,
}

impl Report {
    /// This report with what a fuzzing run adds, and its basis said again.
    pub fn with_fuzz(mut self, f: FuzzRecord) -> Report {
        self.fuzz = Some(f);
        self.basis = basis_lines(&self);
        self
    }

    /// The report of a run.
    pub fn new(s: &Summary, info: &RunInfo) -> Report {
        let started = std::time::SystemTime::now()
            .checked_sub(s.elapsed)
            .unwrap_or(std::time::UNIX_EPOCH);
        let mut r = Report {
            selc_version: env!("CARGO_PKG_VERSION").to_string(),
            model_digest: crate::digest::model().to_string(),
            catalogue_digest: crate::digest::catalogue().to_string(),
            started: utc(started),
            hostname: hostname(),
            exchange_digest: (!s.exchanges.is_empty())
                .then(|| crate::digest::of_cases(s.exchanges.clone())),
            implementation: ImplementationRecord {
                command: info.command.clone(),
                name: info.name.clone(),
            },
            mode: info.mode,
            seed: info.seed,
            cases_requested: info.cases,
            shard: info.shard,
            rerun: info.rerun.clone(),
            cases: s.cases,
            events: s.events,
            seconds: s.elapsed.as_secs_f64(),
            compliant: s.compliant(),
            interrupted: s.interrupted,
            error: s.error.clone(),
            stopped: s.stopped.clone(),
            skipped: s
                .skipped
                .iter()
                .map(|(p, why)| SkippedRecord {
                    scenario: p.clone(),
                    why: why.clone(),
                })
                .collect(),
            failures: s.failures.iter().map(FailureRecord::new).collect(),
            groups: Vec::new(),
            parts: CaseKind::ALL
                .iter()
                .map(|&part| {
                    let (cases, events) = s.parts[part.index()];
                    PartRecord {
                        part,
                        cases,
                        events,
                    }
                })
                .filter(|p| p.cases > 0)
                .collect(),
            exhaustive: s.exhaustive.as_ref().map(|x| ExhaustiveRecord {
                scope: x.scope.to_string(),
                alphabet: crate::gen::exhaustive::ALPHABET.to_string(),
                statement: x.statement.clone(),
                cases: x.total,
                cases_before_symmetry_reduction: x.raw,
                from: x.from,
                run: x.run,
                next: x.next,
                complete: x.complete(),
            }),
            invalid_networks: s.invalid_networks,
            envelope: s.envelope,
            random: RandomRecord {
                cases: s.random.0,
                events: s.random.1,
                indices_below: s.random_through,
            },
            basis: Vec::new(),
            reach: ReachRecord::new(&s.domain),
            interactions: Cell::all()
                .map(|c| CellRecord {
                    cell: c.to_string(),
                    steps: s.interactions.0[c.index()],
                })
                .collect(),
            coverage: s
                .coverage
                .iter()
                .map(|(rule, st)| CoverageRecord {
                    rule,
                    exercised: st.exercised,
                    failed: st.failed,
                })
                .collect(),
            fuzz: None,
        };
        r.groups = group(&r.failures);
        r.basis = basis_lines(&r);
        r
    }
}

/// The failing cases of one part of a run.
fn failing(r: &Report, kind: CaseKind) -> usize {
    r.failures.iter().filter(|f| f.case_kind == kind).count()
}

/// What the verdict rests on, one line per part: the exhaustive statement, the
/// random cases, the interaction cells, the least-exercised rules.
pub fn basis_lines(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(x) = &r.exhaustive {
        let failing = failing(r, CaseKind::Exhaustive);
        let outcome = if failing > 0 {
            format!("{failing} failing")
        } else {
            "all agree".to_string()
        };
        let line = match x.next {
            None if x.from == 0 && r.shard.is_whole() => {
                format!("exhaustive: {}: {outcome}", x.statement)
            }
            None => format!(
                "exhaustive: shard {} of {}, positions {}.. ({} cases run): {outcome}",
                r.shard,
                x.statement,
                x.from,
                thousands(x.run)
            ),
            Some(next) => format!(
                "exhaustive: INCOMPLETE, {} cases run of {}: {outcome}; resume with --resume-from {next}",
                thousands(x.run),
                x.statement
            ),
        };
        out.push(line);
    }
    if r.envelope > 0 {
        let failing = failing(r, CaseKind::Envelope);
        out.push(format!(
            "envelope: {} probes of PROTOCOL.md §3 (blank and malformed lines, bad requests, requests before a load, a rejected load, a session with no hello): {}",
            r.envelope,
            if failing > 0 {
                format!("{failing} failing")
            } else {
                "every line answered as it says".to_string()
            }
        ));
    }
    if r.invalid_networks > 0 {
        let failing = failing(r, CaseKind::Invalid);
        out.push(format!(
            "invalid networks: {}, one clause of RULES.md §1-2 broken in each: {}",
            r.invalid_networks,
            if failing > 0 {
                format!("{failing} not rejected")
            } else {
                "all rejected".to_string()
            }
        ));
    }
    if let Some(f) = &r.fuzz {
        out.push(format!(
            "fuzz: {} inputs ({:.0}/s), {} events; corpus {} (+{} this run), {} features; {} divergences; {}",
            thousands(f.inputs),
            f.execs_per_second,
            thousands(r.events),
            thousands(f.corpus),
            thousands(f.corpus_added),
            thousands(f.features),
            r.failures.len(),
            if f.slow.is_empty() {
                format!("no slow input (K = {})", f.slow_factor)
            } else {
                format!("{} slow inputs (K = {})", f.slow.len(), f.slow_factor)
            }
        ));
        for s in &f.slow {
            out.push(format!(
                "slow input {}: {:.0}× the median cost per request and system ({} ns against {} ns); its slowest request, {}, took {} µs alone: {}{}",
                s.input,
                s.cost_nanos as f64 / s.median_cost_nanos.max(1) as f64,
                thousands(s.cost_nanos),
                thousands(s.median_cost_nanos),
                s.request_index,
                thousands(s.micros),
                s.request,
                s.file.as_deref().map(|p| format!(" (saved: {p})")).unwrap_or_default()
            ));
        }
    } else {
        out.push(format!(
            "random: {} cases, {} events (seed {}{})",
            thousands(r.random.cases),
            thousands(r.random.events),
            r.seed,
            if r.random.cases > 0 {
                format!(", indices below {}", r.random.indices_below)
            } else {
                String::new()
            }
        ));
    }
    let missing: Vec<&str> = r
        .interactions
        .iter()
        .filter(|c| c.steps == 0)
        .map(|c| c.cell.as_str())
        .collect();
    out.push(format!(
        "interactions: {}/{} cells hit{}",
        r.interactions.len() - missing.len(),
        r.interactions.len(),
        if missing.is_empty() {
            String::new()
        } else {
            format!("; never: {}", missing.join(", "))
        }
    ));
    out.push(r.reach.line());
    let mut rules: Vec<(RuleId, u64)> = r.coverage.iter().map(|c| (c.rule, c.exercised)).collect();
    rules.sort_by_key(|&(id, n)| (n, id));
    out.push(format!(
        "least exercised: {}",
        rules
            .iter()
            .take(3)
            .map(|(id, n)| format!("{id} {}", thousands(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out
}

/// The verdict's word for a run that is, or is not, compliant: the same in
/// the terminal, a merge of shards and a claim.
pub fn verdict(compliant: bool) -> &'static str {
    if compliant {
        "COMPLIANT"
    } else {
        "NOT COMPLIANT"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_their_indices_and_names() {
        assert_eq!(generic_path("systems[1](exp-1).link"), "systems[].link");
        assert_eq!(
            generic_path("systems[0](a)(b).licenses[3].count"),
            "systems[].licenses[].count"
        );
        assert_eq!(generic_path("allocation.total"), "allocation.total");
        assert_eq!(generic_path("x[1"), "x[");
    }

    #[test]
    fn requests_are_named_by_their_event() {
        let apply = serde_json::json!({"op": "apply", "event": {"upgrade": {"system": "a"}}});
        assert_eq!(request_kind(&apply), "upgrade");
        assert_eq!(request_kind(&serde_json::json!({"op": "load"})), "load");
        assert_eq!(request_kind(&Value::Null), "the run");
    }
}
