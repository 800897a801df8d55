//! `selc diff --impl A --impl B`: the same cases (shipped, exhaustive,
//! random) sent to two implementations, each judged against the reference
//! by the oracle of `selc verify`, and every case on which they differ
//! classified: a **regression** (A right, B wrong), a **fix** (B right, A
//! wrong), a **legal change** (both lawful, in `rules` mode say, but their
//! answers differ: a changed split), or **both wrong**. The types here are
//! what every output (text, JSON, HTML) renders.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::check::Mode;
use crate::gen::exhaustive::{Enumeration, Scope};
use crate::impls::{Answer, Driven, HarnessError, Request};
use crate::rules::RuleId;
use crate::scenario::Scenario;
use crate::verify::case::{run_case, send_plan};
use crate::verify::config::CaseId;
use crate::verify::observe::{Observation, Observe, Status};
use crate::verify::plan::{plan, Expected};
use crate::verify::{random_case, Shard, VerifyConfig};

/// What to send.
#[derive(Clone, Debug)]
pub struct DiffConfig {
    /// How each answer is judged.
    pub mode: Mode,
    /// The seed of the random cases.
    pub seed: u64,
    /// Random cases.
    pub cases: u64,
    /// The exhaustive scope (`None`: no exhaustive part).
    pub scope: Option<Scope>,
    /// Send the shipped scenarios.
    pub golden: bool,
    /// Where each case is told as it is judged (`--observe`).
    pub observe: Option<std::sync::Arc<dyn Observe>>,
}

impl Default for DiffConfig {
    fn default() -> Self {
        DiffConfig {
            mode: Mode::Rules,
            seed: 0x5e1c,
            cases: 200,
            scope: Some(crate::gen::exhaustive::DEFAULT_SCOPE),
            golden: true,
            observe: None,
        }
    }
}

/// How the two implementations differ on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// A agrees with the reference, B does not.
    Regression,
    /// B agrees with the reference, A does not.
    Fix,
    /// Both agree with the reference (per mode), and answer differently.
    LegalChange,
    /// Neither agrees with the reference.
    BothWrong,
}

impl Class {
    /// Every class, in the order reports list them.
    pub const ALL: [Class; 4] = [
        Class::Regression,
        Class::Fix,
        Class::LegalChange,
        Class::BothWrong,
    ];

    /// As reports say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Regression => "regression",
            Class::Fix => "fix",
            Class::LegalChange => "legal change",
            Class::BothWrong => "both wrong",
        }
    }
}

/// One side's verdict on a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Side {
    /// It agreed with the reference.
    pub passed: bool,
    /// The rules it broke.
    pub rules: Vec<RuleId>,
    /// Why not, in one line.
    pub message: String,
}

impl Side {
    /// Its verdict in words: `agrees with the reference`, or the rules broken and why.
    pub fn words(&self) -> String {
        if self.passed {
            "agrees with the reference".into()
        } else {
            format!(
                "breaks {}: {}",
                crate::rules::join(&self.rules),
                self.message
            )
        }
    }
}

/// A case on which A and B differ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difference {
    /// Which case (`shipped scenarios/…`, `exhaustive case 12`, `random case 3`).
    pub case: String,
    /// How they differ.
    pub class: Class,
    /// The scenario, as a file `selc run` replays.
    pub scenario: String,
    /// The first request whose answers differ (0: the load).
    pub request_index: usize,
    /// That request.
    pub request: Value,
    /// The reference's answer to it.
    pub reference: Value,
    /// A's answer.
    pub a_answer: Value,
    /// B's answer.
    pub b_answer: Value,
    /// A's verdict on the case.
    pub a: Side,
    /// B's verdict on the case.
    pub b: Side,
}

/// An implementation in a diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    /// Its command.
    pub command: String,
    /// The name it gave in `hello`.
    pub name: String,
}

/// The report of `selc diff`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffReport {
    /// selc's version.
    pub selc_version: String,
    /// [`crate::digest::model`].
    pub model_digest: String,
    /// A, the baseline.
    pub a: Named,
    /// B, the candidate.
    pub b: Named,
    /// How answers were judged.
    pub mode: Mode,
    /// The seed of the random cases.
    pub seed: u64,
    /// The exhaustive scope (`none`).
    pub scope: String,
    /// Cases sent to both.
    pub cases: u64,
    /// Cases answered alike by both.
    pub same: u64,
    /// Regressions.
    pub regressions: u64,
    /// Fixes.
    pub fixes: u64,
    /// Legal changes.
    pub legal_changes: u64,
    /// Cases both got wrong (answering differently or not).
    pub both_wrong: u64,
    /// Wall time.
    pub seconds: f64,
    /// The cases that differ, in case order.
    pub differences: Vec<Difference>,
}

/// Answers written down, replayed to the judge as if they came now.
struct Recorded(VecDeque<Result<Answer, HarnessError>>);

impl Driven for Recorded {
    fn hello(&mut self) -> Result<String, HarnessError> {
        Ok(String::new())
    }
    fn send(&mut self, _: Request<'_>) -> Result<(), HarnessError> {
        Ok(())
    }
    fn receive(&mut self) -> Result<Answer, HarnessError> {
        self.0
            .pop_front()
            .unwrap_or_else(|| Err(HarnessError::Protocol("no answer".into())))
    }
    fn discard(&mut self) {
        self.0.clear();
    }
}

/// Every answer of `imp` to the requests of `scenario` (as `selc verify`
/// sends them).
fn answers(imp: &mut dyn Driven, scenario: &Scenario) -> Vec<Result<Answer, HarnessError>> {
    let p = plan(scenario, false);
    let n = p.requests.len();
    drop(send_plan(imp, || scenario, p));
    let out: Vec<_> = (0..n).map(|_| imp.receive()).collect();
    if out.iter().any(Result::is_err) {
        imp.restart();
    }
    out
}

/// Two answers are the same answer: the same snapshot, or a rejection with
/// the same code (messages are free text).
fn same(a: &Result<Answer, HarnessError>, b: &Result<Answer, HarnessError>) -> bool {
    match (a, b) {
        (Ok(Answer::Snapshot(x)), Ok(Answer::Snapshot(y))) => x == y,
        (Ok(Answer::Rejected { code: x, .. }), Ok(Answer::Rejected { code: y, .. })) => x == y,
        (Err(x), Err(y)) => x.kind() == y.kind(),
        _ => false,
    }
}

fn value(a: &Result<Answer, HarnessError>) -> Value {
    match a {
        Ok(Answer::Snapshot(s)) => serde_json::to_value(&**s).unwrap_or(Value::Null),
        Ok(Answer::Rejected { code, message }) => {
            json!({"error": {"code": code.as_str(), "message": message}})
        }
        Err(e) => json!({"no answer": e.to_string()}),
    }
}

/// The reference's answer, as the plan made with expectations holds it.
fn expected_value(e: &Expected) -> Value {
    match e {
        Expected::Snapshot { snapshot, .. } => {
            serde_json::to_value(&**snapshot).unwrap_or(Value::Null)
        }
        Expected::Rejected(code) => json!({"error": {"code": code.as_str()}}),
    }
}

fn side(imp_answers: &[Result<Answer, HarnessError>], scenario: &Scenario, mode: Mode) -> Side {
    let run = run_case(
        &mut Recorded(imp_answers.iter().cloned().collect()),
        scenario,
        mode,
    );
    match run.failure {
        None => Side {
            passed: true,
            rules: Vec::new(),
            message: String::new(),
        },
        Some(f) => Side {
            passed: false,
            rules: f.rules,
            message: f.message,
        },
    }
}

/// The cases of a diff, in order: shipped, exhaustive, random.
fn cases(config: &DiffConfig) -> Vec<(CaseId, Result<Scenario, String>)> {
    let mut out = Vec::new();
    if config.golden {
        for (path, text) in crate::golden::scenarios() {
            let s = Scenario::from_json_str(text).map_err(|e| e.to_string());
            out.push((CaseId::Shipped((*path).to_string()), s));
        }
    }
    if let Some(scope) = config.scope {
        for c in Enumeration::new(scope).cases(0) {
            out.push((CaseId::Exhaustive(c.position), Ok(c.spec.render())));
        }
    }
    let verify = VerifyConfig {
        seed: config.seed,
        ..VerifyConfig::default()
    };
    for i in 0..config.cases {
        out.push((CaseId::Random(i), Ok(random_case(&verify, i).render())));
    }
    out
}

/// Send every case to `a` and `b`, judge both, and classify the differences.
pub fn diff(
    a: (&mut dyn Driven, Named),
    b: (&mut dyn Driven, Named),
    config: &DiffConfig,
    progress: &mut dyn crate::verify::Progress,
) -> DiffReport {
    let start = Instant::now();
    let run_start = SystemTime::now();
    let (imp_a, named_a) = a;
    let (imp_b, named_b) = b;
    let all = cases(config);
    let total = all.len() as u64;
    let mut r = DiffReport {
        selc_version: env!("CARGO_PKG_VERSION").to_string(),
        model_digest: crate::digest::model().to_string(),
        a: named_a,
        b: named_b,
        mode: config.mode,
        seed: config.seed,
        scope: config
            .scope
            .map_or_else(|| "none".into(), |s| s.to_string()),
        cases: 0,
        same: 0,
        regressions: 0,
        fixes: 0,
        legal_changes: 0,
        both_wrong: 0,
        seconds: 0.0,
        differences: Vec::new(),
    };
    for (id, scenario) in all {
        if crate::interrupt::requested() {
            break;
        }
        let turn = Instant::now();
        let scenario = match scenario {
            Ok(s) => s,
            Err(why) => {
                observe(
                    config,
                    &id,
                    None,
                    Status::GaveUp(why),
                    turn.elapsed(),
                    run_start,
                );
                continue;
            }
        };
        r.cases += 1;
        let (xa, xb) = (answers(imp_a, &scenario), answers(imp_b, &scenario));
        let (sa, sb) = (
            side(&xa, &scenario, config.mode),
            side(&xb, &scenario, config.mode),
        );
        let first = (0..xa.len().max(xb.len())).find(|&i| match (xa.get(i), xb.get(i)) {
            (Some(x), Some(y)) => !same(x, y),
            _ => true,
        });
        let class = match (sa.passed, sb.passed, first) {
            (true, false, _) => Some(Class::Regression),
            (false, true, _) => Some(Class::Fix),
            (false, false, _) => Some(Class::BothWrong),
            (true, true, Some(_)) => Some(Class::LegalChange),
            (true, true, None) => None,
        };
        let status = match class {
            None => Status::Passed,
            Some(c) => Status::Failed(format!(
                "{}: A {}; B {}",
                c.as_str(),
                sa.words(),
                sb.words()
            )),
        };
        observe(
            config,
            &id,
            Some(&scenario),
            status,
            turn.elapsed(),
            run_start,
        );
        let Some(class) = class else {
            r.same += 1;
            progress.update(r.cases, total, r.differences.len());
            continue;
        };
        match class {
            Class::Regression => r.regressions += 1,
            Class::Fix => r.fixes += 1,
            Class::LegalChange => r.legal_changes += 1,
            Class::BothWrong => r.both_wrong += 1,
        }
        let i = first.unwrap_or(0);
        // With expectations: the reference's answer to each request too.
        let p = plan(&scenario, true);
        r.differences.push(Difference {
            case: id.to_string(),
            class,
            scenario: crate::verify::with_expectations(&scenario).to_json_string(),
            request_index: i,
            request: p.requests.get(i).map_or(Value::Null, |q| {
                serde_json::from_str(p.line(i)).unwrap_or_else(|_| json!(q.kind.op().as_str()))
            }),
            reference: p
                .requests
                .get(i)
                .and_then(|q| q.expected.as_ref())
                .map_or(Value::Null, expected_value),
            a_answer: xa.get(i).map_or(Value::Null, value),
            b_answer: xb.get(i).map_or(Value::Null, value),
            a: sa,
            b: sb,
        });
        progress.message(&format!("{}: {}", class.as_str().to_uppercase(), id));
        progress.update(r.cases, total, r.differences.len());
    }
    r.seconds = start.elapsed().as_secs_f64();
    r
}

fn observe(
    config: &DiffConfig,
    id: &CaseId,
    scenario: Option<&Scenario>,
    status: Status,
    took: Duration,
    run_start: SystemTime,
) {
    let Some(o) = &config.observe else {
        return;
    };
    o.case(&Observation {
        command: "diff",
        case: id.to_string(),
        index: id.order().1,
        how: id.kind().how(false),
        scenario,
        run: None,
        status,
        domain: None,
        took,
        run_start,
        seed: config.seed,
        shard: Shard::WHOLE,
    });
}
