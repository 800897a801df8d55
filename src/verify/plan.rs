//! What the reference does with a case, worked out before the case is sent, on
//! the thread that makes cases: the request lines, which events it rejects (a
//! `snapshot` request follows each, for R-ATOMIC), and, when asked for, its own
//! answers in canonical form with what the case exercises.
//!
//! The canonical form is the line `selc serve` writes (compact JSON, fields in
//! the order of docs/protocol.md), which the bundled examples write too. An
//! answer equal to it byte for byte is the reference's answer: the client
//! adapter does not parse it, and a case answered so throughout is judged
//! without running the model again ([`super::case::judge_case`]). Any other
//! answer is parsed and judged step by step, as it always was: the fast path
//! decides nothing that the slow one would not.

use std::sync::{Arc, OnceLock};

use crate::check::coverage::{exercised, interaction, CellCounts};
use crate::check::StepInput;
use crate::domain::cells::Size;
use crate::domain::DomainSet;
use crate::gen::ScenarioSpec;
use crate::model::{Event, Model, ModelError, Snapshot};
use crate::protocol::{snapshot_answer_line, ErrorCode, Request};
use crate::rules::RuleCounts;
use crate::scenario::Scenario;

/// One request of a planned case.
#[derive(Debug)]
pub struct PlannedRequest {
    /// What it is: the load, event `i`, or the `snapshot` after rejected event `i`.
    pub kind: RequestKind,
    /// Where its line ends in [`Plan::lines`] (after the newline).
    pub end: usize,
    /// The reference's answer, when the plan was made with expectations.
    pub expected: Option<Expected>,
}

/// Which request of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// `load`.
    Load,
    /// `apply` of event `i`.
    Apply(usize),
    /// `snapshot` after event `i`, which the reference rejects.
    Snapshot(usize),
}

impl RequestKind {
    /// Its `op`.
    pub fn op(&self) -> crate::protocol::Op {
        match self {
            RequestKind::Load => crate::protocol::Op::Load,
            RequestKind::Apply(_) => crate::protocol::Op::Apply,
            RequestKind::Snapshot(_) => crate::protocol::Op::Snapshot,
        }
    }

    /// The request itself, over the scenario's own JSON.
    pub fn request<'a>(&self, scenario: &'a Scenario) -> Request<'a> {
        match *self {
            RequestKind::Load => Request::Load(&scenario.network),
            RequestKind::Apply(i) => Request::Apply(&scenario.events[i]),
            RequestKind::Snapshot(_) => Request::Snapshot,
        }
    }
}

/// The reference's answer to one request.
#[derive(Clone, Debug)]
pub enum Expected {
    /// A snapshot: its canonical line (moved into the adapter when sent) and
    /// the snapshot itself.
    Snapshot {
        /// `{"ok":true,"snapshot":...}`, without the newline.
        line: Option<Vec<u8>>,
        /// What an answer equal to `line` means.
        snapshot: Arc<Snapshot>,
    },
    /// A rejection with this code (the message is the implementation's own).
    Rejected(ErrorCode),
}

/// What a case exercises when every answer is the reference's.
#[derive(Clone, Debug, Default)]
pub struct ExpectedRun {
    /// Events applied.
    pub events: u64,
    /// Steps per rule.
    pub exercised: RuleCounts,
    /// Steps per interaction cell.
    pub interactions: CellCounts,
}

/// A case made ready to send.
#[derive(Debug)]
pub struct Plan {
    /// Every request line, each ending in a newline, in order.
    pub lines: String,
    /// The requests, in order.
    pub requests: Vec<PlannedRequest>,
    /// The reference as loaded, or why the network is invalid.
    pub reference: Result<Model, ModelError>,
    /// Every event, parsed (or why it cannot be).
    pub events: Vec<Result<Event, ModelError>>,
    /// With expectations: what the case exercises if every answer is as expected.
    pub expected: Option<ExpectedRun>,
    /// The properties of the input domain the case exercises, and its size
    /// (none for a network the reference rejects).
    pub domain: Option<(DomainSet, Size)>,
}

/// Plan `scenario`; with `expect`, run it through the reference in full and
/// keep its answers, otherwise only as far as telling which events it rejects
/// (which depends only on configurations, links and time, never on the split).
pub fn plan(scenario: &Scenario, expect: bool) -> Plan {
    plan_with(
        Request::Load(&scenario.network).to_line(),
        Model::load(&scenario.network, "network"),
        expect,
        scenario.events.len(),
        |i, _| {
            let value = &scenario.events[i];
            (
                Request::Apply(value).to_line(),
                Event::from_json(value, "event"),
            )
        },
    )
}

/// Plan a generated case straight from its spec, in one walk of the reference
/// and without building its JSON: the request lines are written from the
/// typed network and events (the very lines [`plan`] writes for
/// `spec.render()`, a test holds them to that), and the scenario is rendered
/// only if the case is judged step by step or fails ([`CaseScenario`]).
pub fn plan_spec(spec: &ScenarioSpec, expect: bool) -> Plan {
    let (network, names) = spec.network();
    let load = crate::protocol::canonical::load_line(&network);
    plan_with(
        load,
        Model::from_input(network, "network"),
        expect,
        spec.events.len(),
        |i, model| {
            let input = spec.event(&spec.events[i], &names, Some(model));
            (input.line(), input.parsed())
        },
    )
}

/// The plan of a case whose load line and reference are given, and whose
/// event `i` is `event(i, reference before it)`: its line and its parse.
fn plan_with(
    load: String,
    reference: Result<Model, ModelError>,
    expect: bool,
    events: usize,
    mut event: impl FnMut(usize, &Model) -> (String, Result<Event, ModelError>),
) -> Plan {
    let mut p = Plan {
        // An `apply` line is about 100 bytes: sized once rather than grown.
        lines: String::with_capacity(load.len() + 128 * events + 32),
        requests: Vec::with_capacity(events + 2),
        events: Vec::with_capacity(events),
        expected: expect.then(ExpectedRun::default),
        reference,
        domain: None,
    };
    let first = match &p.reference {
        Ok(m) => expect.then(|| snapshot_expected(m.shared_snapshot())),
        Err(_) => expect.then_some(Expected::Rejected(ErrorCode::InvalidNetwork)),
    };
    p.push(&load, RequestKind::Load, first);
    let loaded = match &p.reference {
        Ok(m) => m,
        Err(e) => {
            // The one property a rejected network exercises: the clause it
            // broke (sized as nothing: the reference loaded no system).
            p.domain = crate::domain::cells::rejected(e.message()).map(|clause| {
                let mut set = DomainSet::default();
                set.insert(clause);
                (set, Size::default())
            });
            return p;
        }
    };
    let mut model = loaded.clone();
    if let Some(run) = p.expected.as_mut() {
        run.exercised.add(exercised(&StepInput::load(&model)));
    }
    for i in 0..events {
        let (line, event) = event(i, &model);
        let (before, rejected) = match (&event, expect) {
            (Ok(e), true) => match model.apply_keeping_previous(e) {
                Ok(previous) => (Some(previous), false),
                Err(_) => (Some(model.shared_snapshot()), true),
            },
            (Ok(e), false) => (None, model.apply_unobserved(e).is_err()),
            (Err(_), _) => (expect.then(|| model.shared_snapshot()), true),
        };
        if let (Some(run), Some(before)) = (p.expected.as_mut(), &before) {
            let step = StepInput::after_event(&model, before, event.as_ref().ok(), rejected);
            run.exercised.add(exercised(&step));
            run.interactions.add(interaction(&step));
            run.events += 1;
        }
        let answer = match (&before, rejected) {
            (None, _) => None,
            (Some(_), true) => Some(Expected::Rejected(ErrorCode::InvalidEvent)),
            (Some(_), false) => Some(snapshot_expected(model.shared_snapshot())),
        };
        p.push(&line, RequestKind::Apply(i), answer);
        if rejected {
            // R-ATOMIC: the state must be as before the event.
            p.push(
                &Request::Snapshot.to_line(),
                RequestKind::Snapshot(i),
                before.map(snapshot_expected),
            );
        }
        p.events.push(event);
    }
    if let Ok(m) = &p.reference {
        p.domain = Some(crate::domain::cells::of_case(m.network(), &p.events));
    }
    p
}

/// A case's scenario: given, or rendered from its spec the first time it is
/// asked for (a generated case that passes on the fast path never is).
#[derive(Debug)]
pub enum CaseScenario {
    /// A scenario as given (shipped ones).
    Given(Scenario),
    /// A generated case, and its rendering once made.
    Spec(ScenarioSpec, OnceLock<Scenario>),
}

impl CaseScenario {
    /// A scenario rendered from `spec` when needed.
    pub fn of_spec(spec: ScenarioSpec) -> CaseScenario {
        CaseScenario::Spec(spec, OnceLock::new())
    }

    /// The scenario.
    pub fn get(&self) -> &Scenario {
        match self {
            CaseScenario::Given(s) => s,
            CaseScenario::Spec(spec, r) => r.get_or_init(|| spec.render()),
        }
    }

    /// The scenario, owned, and the spec it was rendered from, if any.
    pub fn into_parts(self) -> (Scenario, Option<ScenarioSpec>) {
        match self {
            CaseScenario::Given(s) => (s, None),
            CaseScenario::Spec(spec, r) => {
                let s = r.into_inner().unwrap_or_else(|| spec.render());
                (s, Some(spec))
            }
        }
    }
}

impl From<Scenario> for CaseScenario {
    fn from(s: Scenario) -> CaseScenario {
        CaseScenario::Given(s)
    }
}

fn snapshot_expected(snapshot: Arc<Snapshot>) -> Expected {
    Expected::Snapshot {
        line: Some(snapshot_answer_line(&snapshot)),
        snapshot,
    }
}

impl Plan {
    fn push(&mut self, line: &str, kind: RequestKind, expected: Option<Expected>) {
        self.lines.push_str(line);
        self.lines.push('\n');
        self.requests.push(PlannedRequest {
            kind,
            end: self.lines.len(),
            expected,
        });
    }

    /// The line of request `i`, without its newline.
    pub fn line(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.requests[i - 1].end };
        &self.lines[start..self.requests[i].end - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DomainId;

    /// A rejected network exercises the clause it broke, whoever made it
    /// (a shipped scenario, a fuzzed input): it counts toward the reach.
    #[test]
    fn a_rejected_network_exercises_the_clause_it_broke() {
        let spec = crate::gen::seeded::candidate(crate::gen::GenConfig::default(), 5, 1, 0);
        for clause in crate::gen::invalid::CLAUSES {
            let s = Scenario {
                name: None,
                rules: vec![],
                network: crate::gen::invalid::broken(&spec, clause, 0),
                events: vec![],
                expect_initial: None,
                expect: None,
            };
            let (set, _) = plan(&s, true).domain.expect("a domain");
            assert_eq!(set.ids().collect::<Vec<DomainId>>(), vec![clause]);
        }
    }
}
