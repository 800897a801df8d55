//! One case: a scenario driven through an implementation and the reference model
//! side by side, compared step by step per mode.

use std::collections::VecDeque;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::check::coverage::{exercised, interaction, CellCounts};
use crate::check::oracle::{self, Verdict};
use crate::check::{Difference, Mode, StepInput, Violation};
use crate::impls::{Driven, HarnessError};
use crate::model::{Event, Model, ModelError, Snapshot};
use crate::protocol::ErrorCode;
use crate::protocol::{Answer, Request};
use crate::rules::{RuleCounts, RuleId};
use crate::scenario::Scenario;

use super::plan::{plan, Expected, ExpectedRun, Plan};

/// Why a case failed.
#[derive(Clone, Debug, PartialEq)]
pub struct StepFailure {
    /// The rule IDs broken, in catalogue order (never empty).
    pub rules: Vec<RuleId>,
    /// The event index (`None`: the load).
    pub step: Option<usize>,
    /// The request that caused it.
    pub request: Value,
    /// What went wrong, in one line.
    pub message: String,
    /// Expected (reference) vs actual, field by field.
    pub diffs: Vec<Difference>,
    /// What the checkers found in the implementation's answer.
    pub violations: Vec<Violation>,
    /// The implementation's last stderr lines (harness failures).
    pub stderr: Vec<String>,
    /// The harness error, when the implementation failed to answer as the
    /// protocol requires (R-TOTAL) rather than answering wrongly.
    pub harness: Option<HarnessError>,
    /// The case's steps as they ran, up to and including the failing one.
    pub trace: Vec<TraceStep>,
}

impl StepFailure {
    /// Whether the run itself cut the case short (its time limit, an
    /// interruption) rather than the implementation failing it: such a case
    /// is neither passed nor failed, and is not counted.
    pub fn cut_short(&self) -> bool {
        crate::interrupt::requested()
            || self
                .harness
                .as_ref()
                .is_some_and(HarnessError::is_the_runs_own)
    }
}

/// One step of a case as it ran: what the reference gave (after adopting the
/// implementation's split when rules mode found it lawful) and what the
/// implementation answered. The HTML pages draw these; nothing re-derives them.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceStep {
    /// The event's index; `None` for the load.
    pub event: Option<usize>,
    /// The reference's snapshot, or why it rejected the step.
    pub reference: Result<Arc<Snapshot>, String>,
    /// The implementation's answer; `None` when it gave none (a harness failure).
    pub implementation: Option<Answer>,
}

/// What running one case observed.
#[derive(Clone, Debug, Default)]
pub struct CaseRun {
    /// Events applied (requests answered).
    pub events: u64,
    /// How many steps exercised each rule.
    pub exercised: RuleCounts,
    /// How many steps hit each interaction cell.
    pub interactions: CellCounts,
    /// The failure, if any.
    pub failure: Option<StepFailure>,
    /// Every step as it ran, up to the failure if any; empty for a case that
    /// passed as planned.
    pub trace: Vec<TraceStep>,
    /// Answers that were the reference's own line, byte for byte.
    pub canonical: usize,
}

/// The failure of step `step` (`None`: the load), on `request`, as the
/// oracle judged it.
pub(super) fn failure(step: Option<usize>, request: Value, v: Verdict) -> StepFailure {
    StepFailure {
        rules: v.rules,
        step,
        request,
        message: v.message,
        diffs: v.diffs,
        violations: v.violations,
        stderr: Vec::new(),
        harness: None,
        trace: Vec::new(),
    }
}

/// A harness failure (crash, hang, garbage): the implementation broke R-TOTAL.
fn harness(
    step: Option<usize>,
    request: Value,
    e: HarnessError,
    imp: &Inflight<'_>,
) -> StepFailure {
    let mut f = failure(step, request, Verdict::harness(e.to_string()));
    f.stderr = imp.imp.stderr_tail();
    f.harness = Some(e);
    f
}

/// Send the whole case at once: the load, every event, and a `snapshot` after
/// each event the reference rejects (to check R-ATOMIC). Which events are rejected
/// depends only on the configurations, never on the split, so the reference
/// knows it in advance ([`plan`]). The loaded reference and the parsed events
/// are kept for [`judge_case`], which would otherwise load and parse them again.
pub fn send_case(imp: &mut dyn Driven, scenario: &Scenario) -> Sent {
    send_plan(imp, || scenario, plan(scenario, false))
}

/// Send a case planned ahead (perhaps with the reference's answers, see
/// [`super::plan`]). `scenario` is asked for only by an implementation that
/// does not take lines ([`Driven::takes_lines`]).
pub fn send_plan<'s>(
    imp: &mut dyn Driven,
    scenario: impl FnOnce() -> &'s Scenario,
    mut plan: Plan,
) -> Sent {
    let scenario = (!imp.takes_lines()).then(scenario);
    let mut requests = Ok(0);
    for i in 0..plan.requests.len() {
        let expected = match &mut plan.requests[i].expected {
            Some(Expected::Snapshot { line, snapshot }) => {
                line.take().map(|l| (l, Arc::clone(snapshot)))
            }
            _ => None,
        };
        let kind = plan.requests[i].kind;
        let request = scenario.map(|s| kind.request(s));
        if let Err(e) = imp.send_planned(kind.op(), plan.line(i), request, expected) {
            requests = Err(e);
            break;
        }
        requests = Ok(i + 1);
    }
    imp.flush();
    let expected = plan
        .expected
        .map(|run| (plan.requests.into_iter().map(|r| r.expected).collect(), run));
    Sent {
        requests,
        reference: plan.reference,
        events: plan.events,
        expected,
    }
}

/// What [`send_case`] sent (how many requests, or why it could not send them
/// all) and what judging the case reuses.
#[derive(Debug)]
pub struct Sent {
    requests: Result<usize, HarnessError>,
    /// The reference model as loaded, or why the network is invalid.
    reference: Result<Model, ModelError>,
    /// The events parsed, as many as were sent.
    events: Vec<Result<Event, ModelError>>,
    /// The reference's answer to each request, and what the case exercises if
    /// every answer is it; only for a case planned with expectations.
    expected: Option<(Vec<Option<Expected>>, ExpectedRun)>,
}

/// Run one scenario through `imp` and the reference model, pipelined.
pub fn run_case(imp: &mut dyn Driven, scenario: &Scenario, mode: Mode) -> CaseRun {
    let sent = send_case(imp, scenario);
    judge_case(imp, || scenario, mode, sent)
}

/// The answers of one case still to come; whatever is left after a failure is
/// read and dropped, so the next case (possibly already sent) starts clean.
struct Inflight<'a> {
    imp: &'a mut dyn Driven,
    left: usize,
}

impl Inflight<'_> {
    fn receive(&mut self) -> Result<Answer, HarnessError> {
        self.left = self.left.saturating_sub(1);
        self.imp.receive()
    }
}

impl Drop for Inflight<'_> {
    fn drop(&mut self) {
        while self.left > 0 {
            self.left -= 1;
            if self.imp.receive().is_err() {
                break;
            }
        }
    }
}

/// Judge the answers to a case sent by [`send_case`] or [`send_plan`]. A case
/// planned with expectations whose every answer is the reference's own (the
/// same snapshot, received unparsed; the same rejection code) passes as
/// planned; at the first other answer, the case is judged step by step from
/// the start, the answers already received included, as any other case is;
/// only then is `scenario` asked for.
pub fn judge_case<'s>(
    imp: &mut dyn Driven,
    scenario: impl FnOnce() -> &'s Scenario,
    mode: Mode,
    mut sent: Sent,
) -> CaseRun {
    let mut got = VecDeque::new();
    let mut canonical = 0;
    if let (Ok(_), Some((expected, planned))) = (&sent.requests, sent.expected.take()) {
        let mut all = true;
        for e in &expected {
            let answer = imp.receive();
            let same = match (&answer, e) {
                (Ok(Answer::Snapshot(s)), Some(Expected::Snapshot { snapshot, .. })) => {
                    Arc::ptr_eq(s, snapshot)
                }
                (Ok(Answer::Rejected { code, .. }), Some(Expected::Rejected(c))) => code == c,
                _ => false,
            };
            canonical += usize::from(same && matches!(e, Some(Expected::Snapshot { .. })));
            got.push_back(answer);
            if !same {
                all = false;
                break;
            }
        }
        if all {
            return CaseRun {
                events: planned.events,
                exercised: planned.exercised,
                interactions: planned.interactions,
                canonical,
                ..CaseRun::default()
            };
        }
    }
    let mut replay = Replay { got, imp };
    let mut imp = Inflight {
        left: *sent.requests.as_ref().unwrap_or(&0),
        imp: &mut replay,
    };
    let mut run = judge(&mut imp, scenario(), mode, sent);
    run.canonical = canonical;
    if let Some(f) = run.failure.as_mut() {
        f.trace = run.trace.clone();
    }
    run
}

/// The answers already received, then the implementation's.
struct Replay<'a> {
    got: VecDeque<Result<Answer, HarnessError>>,
    imp: &'a mut dyn Driven,
}

impl Driven for Replay<'_> {
    fn hello(&mut self) -> Result<String, HarnessError> {
        self.imp.hello()
    }
    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError> {
        self.imp.send(request)
    }
    fn receive(&mut self) -> Result<Answer, HarnessError> {
        self.got.pop_front().unwrap_or_else(|| self.imp.receive())
    }
    fn discard(&mut self) {
        self.got.clear();
        self.imp.discard();
    }
    fn stderr_tail(&self) -> Vec<String> {
        self.imp.stderr_tail()
    }
}

/// The reference's side of a step: its snapshot, or why it rejected the step.
fn ours(r: &Result<Model, ModelError>) -> Result<Arc<Snapshot>, String> {
    match r {
        Ok(m) => Ok(m.shared_snapshot()),
        Err(e) => Err(e.message().to_string()),
    }
}

fn judge(imp: &mut Inflight<'_>, scenario: &Scenario, mode: Mode, sent: Sent) -> CaseRun {
    let mut run = CaseRun::default();
    // Built only for a report: most cases never need it.
    let load = || json!({"op": "load", "network": scenario.network});
    if let Err(e) = sent.requests {
        run.failure = Some(harness(None, load(), e, imp));
        return run;
    }
    let reference = sent.reference;
    let answer = imp.receive();
    run.trace.push(TraceStep {
        event: None,
        reference: ours(&reference),
        implementation: answer.as_ref().ok().cloned(),
    });
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            run.failure = Some(harness(None, load(), e, imp));
            return run;
        }
    };
    let mut model = match (reference, answer) {
        (Ok(mut m), Answer::Snapshot(theirs)) => {
            run.exercised.add(exercised(&StepInput::load(&m)));
            let verdict = oracle::snapshot(&mut m, None, None, &theirs, mode);
            if let Some(step) = run.trace.last_mut() {
                step.reference = Ok(m.shared_snapshot());
            }
            if let Some(v) = verdict {
                run.failure = Some(failure(None, load(), v));
                return run;
            }
            m
        }
        (reference, answer) => {
            let why = reference.as_ref().err().map(ModelError::message);
            let rejection = match &answer {
                Answer::Rejected { code, message } => Some((*code, message.as_str())),
                Answer::Snapshot(_) => None,
            };
            if let Some(v) = oracle::load_rejection(why, rejection) {
                run.failure = Some(failure(None, load(), v));
            }
            return run;
        }
    };
    for (i, (value, event)) in scenario.events.iter().zip(sent.events).enumerate() {
        let request = || json!({"op": "apply", "event": value});
        let (before, ours) = match &event {
            Ok(e) => match model.apply_keeping_previous(e) {
                Ok(previous) => (previous, Ok(())),
                Err(err) => (model.shared_snapshot(), Err(err.message().to_string())),
            },
            Err(err) => (model.shared_snapshot(), Err(err.message().to_string())),
        };
        let event = event.ok();
        let reference = match &ours {
            Ok(()) => Ok(model.shared_snapshot()),
            Err(why) => Err(why.clone()),
        };
        let answer = imp.receive();
        run.trace.push(TraceStep {
            event: Some(i),
            reference,
            implementation: answer.as_ref().ok().cloned(),
        });
        let answer = match answer {
            Ok(a) => a,
            Err(e) => {
                run.failure = Some(harness(Some(i), request(), e, imp));
                return run;
            }
        };
        run.events += 1;
        let rejected = ours.is_err();
        let step = StepInput::after_event(&model, &before, event.as_ref(), rejected);
        run.exercised.add(exercised(&step));
        run.interactions.add(interaction(&step));
        let fail = match (ours, answer) {
            (Ok(()), Answer::Snapshot(theirs)) => {
                let verdict =
                    oracle::snapshot(&mut model, Some(&before), event.as_ref(), &theirs, mode);
                if let Some(step) = run.trace.last_mut() {
                    step.reference = Ok(model.shared_snapshot());
                }
                verdict.map(|v| failure(Some(i), request(), v))
            }
            (
                Err(_),
                Answer::Rejected {
                    code: ErrorCode::InvalidEvent,
                    ..
                },
            ) => {
                // R-ATOMIC: the state must be as before (the `snapshot`
                // request was sent with the case).
                match imp.receive() {
                    Err(e) => Some(harness(Some(i), json!({"op": "snapshot"}), e, imp)),
                    Ok(Answer::Snapshot(after)) => oracle::after_rejection(&before, &after)
                        .map(|v| failure(Some(i), request(), v)),
                    Ok(Answer::Rejected { .. }) => Some(failure(
                        Some(i),
                        json!({"op": "snapshot"}),
                        Verdict::harness("`snapshot` was answered with an error"),
                    )),
                }
            }
            (ours, answer) => {
                let rejection = match &answer {
                    Answer::Rejected { code, message } => Some((*code, message.as_str())),
                    Answer::Snapshot(_) => None,
                };
                oracle::event_rejection(ours.as_ref().err().map(String::as_str), rejection)
                    .map(|v| failure(Some(i), request(), v))
            }
        };
        if fail.is_some() {
            run.failure = fail;
            return run;
        }
    }
    run
}
