//! Rule coverage: which rules a step of the reference model exercises, i.e. where
//! the rule decides something that a wrong implementation could get wrong. The
//! verifier counts these to report rules never exercised.

use super::step::StepInput;
use crate::model::{Event, Kind, LinkState, Role, Status};
use crate::rules::{RuleId, RuleSet};

/// The rules exercised by one step of the reference model, in catalogue order.
pub fn exercised(input: &StepInput<'_>) -> RuleSet {
    let after = input.after;
    let net = input.network;
    let mut out = RuleSet::new();
    for d in &after.diagnostics {
        out.insert(super::explain::rule_for_reason(d.reason));
    }
    if after.systems.iter().any(|s| s.status == Status::Unlicensed) {
        out.insert(RuleId::Se);
    }
    if net.systems.iter().any(|s| s.role == Role::OneXPortal) {
        out.insert(RuleId::Portal);
    }
    if !after.systems.is_empty() {
        out.insert(RuleId::Voicenet);
    }
    let participants: Vec<usize> = (0..net.systems.len())
        .filter(|&i| {
            i != net.primary
                && after
                    .systems
                    .get(i)
                    .is_some_and(|s| s.link == LinkState::Connected && s.status == Status::Licensed)
        })
        .collect();
    let (mut first, mut need, mut capacity, mut short, mut order) =
        (false, false, false, false, false);
    for kind in Kind::centralized() {
        let pool = after.pool.get(kind);
        let p_need = net.systems[net.primary].need(kind);
        // Summed here rather than collected: this runs for every step of every case.
        let (mut wanted, mut needing, mut shorts) = (p_need, 0usize, 0usize);
        for &i in &participants {
            let n = net.systems[i].need(kind);
            wanted = wanted.saturating_add(n);
            needing += usize::from(n > 0);
            shorts += usize::from(after.systems[i].in_effect.get(kind) < n);
        }
        first |= p_need > 0 && pool > 0 && needing > 0;
        need |= needing > 0;
        capacity |= pool > 0 && wanted > pool;
        short |= shorts > 0;
        order |= shorts > 0 && needing >= 2;
    }
    for (hit, rule) in [
        (first, RuleId::PrimaryFirst),
        (need, RuleId::NoOvergrant),
        (capacity, RuleId::Capacity),
        (short, RuleId::WorkConserving),
        (order, RuleId::Order),
    ] {
        if hit {
            out.insert(rule);
        }
    }
    let event = if input.rejected { None } else { input.event };
    let target_was_down = input
        .target()
        .and_then(|i| input.before_system(i))
        .is_some_and(|s| matches!(s.link, LinkState::Grace | LinkState::Lapsed));
    if after.systems.iter().any(|s| s.link == LinkState::Grace)
        || matches!(event, Some(Event::LinkDown { .. }))
    {
        out.insert(RuleId::Grace);
    }
    if after
        .systems
        .iter()
        .any(|s| s.link == LinkState::Lapsed && s.deadline.is_some_and(|d| after.now >= d))
    {
        out.insert(RuleId::Expiry);
    }
    if matches!(event, Some(Event::Restart { .. })) && target_was_down {
        out.insert(RuleId::Restart);
    }
    if matches!(event, Some(Event::Upgrade { .. })) {
        out.insert(RuleId::Upgrade);
    }
    if matches!(event, Some(Event::LinkUp { .. })) && target_was_down {
        out.insert(RuleId::Reconnect);
    }
    let vm = |f: &dyn Fn(&crate::model::SystemSnapshot) -> bool| {
        after.systems.iter().any(|s| s.voicemail.is_some() && f(s))
    };
    if vm(&|s| s.status == Status::Unlicensed) {
        out.insert(RuleId::VmLicense);
    }
    if vm(&|s| {
        s.status == Status::Licensed && matches!(s.link, LinkState::Primary | LinkState::Connected)
    }) {
        out.insert(RuleId::VmDefault);
    }
    if vm(&|s| {
        s.status == Status::Licensed && matches!(s.link, LinkState::Grace | LinkState::Lapsed)
    }) {
        out.insert(RuleId::VmFailover);
    }
    if input.rejected {
        out.insert(RuleId::Atomic);
    }
    out.insert(RuleId::Total);
    out
}

/// Where an event lands, for the interaction table: its kind, and the state of
/// the system it is aimed at (or, for `advance`, where the clock lands against
/// the next grace deadline).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cell {
    /// A targeted event aimed at a system in a link state.
    Targeted(TargetedKind, TargetState),
    /// `advance`, landing against the next deadline.
    Advance(Landing),
}

/// The events that name a system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetedKind {
    /// `link_down`.
    LinkDown,
    /// `link_up`.
    LinkUp,
    /// `restart`.
    Restart,
    /// `upgrade`.
    Upgrade,
    /// `set_need`.
    SetNeed,
    /// `add_license`.
    AddLicense,
    /// `remove_license`.
    RemoveLicense,
}

/// The state of the system an event is aimed at, before the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetState {
    /// The Primary.
    Primary,
    /// Connected.
    Connected,
    /// In grace.
    Grace,
    /// Lapsed.
    Lapsed,
}

/// Where an `advance` lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Landing {
    /// Before the next deadline.
    Before,
    /// Exactly on it.
    On,
    /// After it.
    After,
    /// No deadline pending.
    NoDeadline,
}

const TARGETED: [TargetedKind; 7] = [
    TargetedKind::LinkDown,
    TargetedKind::LinkUp,
    TargetedKind::Restart,
    TargetedKind::Upgrade,
    TargetedKind::SetNeed,
    TargetedKind::AddLicense,
    TargetedKind::RemoveLicense,
];
const STATES: [TargetState; 4] = [
    TargetState::Primary,
    TargetState::Connected,
    TargetState::Grace,
    TargetState::Lapsed,
];
const LANDINGS: [Landing; 4] = [
    Landing::Before,
    Landing::On,
    Landing::After,
    Landing::NoDeadline,
];

/// How many cells the interaction table has.
pub const CELLS: usize = TARGETED.len() * STATES.len() + LANDINGS.len();

impl Cell {
    /// Every cell, in table order.
    pub fn all() -> impl Iterator<Item = Cell> {
        TARGETED
            .into_iter()
            .flat_map(|k| STATES.into_iter().map(move |s| Cell::Targeted(k, s)))
            .chain(LANDINGS.into_iter().map(Cell::Advance))
    }

    /// Its position in [`Cell::all`].
    pub fn index(self) -> usize {
        match self {
            Cell::Targeted(k, s) => k as usize * STATES.len() + s as usize,
            Cell::Advance(l) => TARGETED.len() * STATES.len() + l as usize,
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = |k: TargetedKind| match k {
            TargetedKind::LinkDown => "link_down",
            TargetedKind::LinkUp => "link_up",
            TargetedKind::Restart => "restart",
            TargetedKind::Upgrade => "upgrade",
            TargetedKind::SetNeed => "set_need",
            TargetedKind::AddLicense => "add_license",
            TargetedKind::RemoveLicense => "remove_license",
        };
        match self {
            Cell::Targeted(k, s) => {
                let state = match s {
                    TargetState::Primary => "the Primary",
                    TargetState::Connected => "connected",
                    TargetState::Grace => "in grace",
                    TargetState::Lapsed => "lapsed",
                };
                write!(f, "{} × {state}", kind(*k))
            }
            Cell::Advance(l) => {
                let at = match l {
                    Landing::Before => "before the deadline",
                    Landing::On => "on the deadline",
                    Landing::After => "after the deadline",
                    Landing::NoDeadline => "no deadline pending",
                };
                write!(f, "advance × {at}")
            }
        }
    }
}

/// The interaction cell of an event step (accepted or rejected, as long as the
/// event parsed), from the snapshot before it; `None` for the load, an event
/// that did not parse, or one aimed at a Portal or an unknown system.
pub fn interaction(input: &StepInput<'_>) -> Option<Cell> {
    let event = input.event?;
    let before = input.before?;
    if let Event::Advance { seconds } = event {
        let next = before
            .systems
            .iter()
            .filter_map(|s| s.deadline)
            .filter(|&d| d > before.now)
            .min();
        let lands = before.now.saturating_add(*seconds);
        return Some(Cell::Advance(match next {
            None => Landing::NoDeadline,
            Some(d) if lands < d => Landing::Before,
            Some(d) if lands == d => Landing::On,
            Some(_) => Landing::After,
        }));
    }
    let kind = match event {
        Event::LinkDown { .. } => TargetedKind::LinkDown,
        Event::LinkUp { .. } => TargetedKind::LinkUp,
        Event::Restart { .. } => TargetedKind::Restart,
        Event::Upgrade { .. } => TargetedKind::Upgrade,
        Event::SetNeed { .. } => TargetedKind::SetNeed,
        Event::AddLicense { .. } => TargetedKind::AddLicense,
        Event::RemoveLicense { .. } => TargetedKind::RemoveLicense,
        Event::Advance { .. } => return None,
    };
    let i = input.network.index_of(event.system()?)?;
    let state = match before.systems.get(i)?.link {
        LinkState::Primary => TargetState::Primary,
        LinkState::Connected => TargetState::Connected,
        LinkState::Grace => TargetState::Grace,
        LinkState::Lapsed => TargetState::Lapsed,
        LinkState::External => return None,
    };
    Some(Cell::Targeted(kind, state))
}

/// How many steps hit each interaction cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellCounts(pub [u64; CELLS]);

impl Default for CellCounts {
    fn default() -> Self {
        CellCounts([0; CELLS])
    }
}

impl CellCounts {
    /// Count a step's cell, if it has one.
    pub fn add(&mut self, cell: Option<Cell>) {
        if let Some(c) = cell {
            self.0[c.index()] += 1;
        }
    }

    /// Add another table.
    pub fn merge(&mut self, other: &CellCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// The cells never hit, in table order.
    pub fn missing(&self) -> Vec<Cell> {
        Cell::all().filter(|c| self.0[c.index()] == 0).collect()
    }
}

/// What the reference model exercises on a whole scenario: per rule, the steps
/// that exercise it, and per interaction cell, the steps that hit it. An
/// invalid network exercises nothing.
pub fn of_scenario(scenario: &crate::scenario::Scenario) -> (crate::rules::RuleCounts, CellCounts) {
    of_steps(
        crate::model::Model::load(&scenario.network, "network"),
        scenario.events.len(),
        |i, _| Event::from_json(&scenario.events[i], "event"),
    )
}

/// What the reference exercises from `reference` as loaded through `events`
/// events, event `i` being `event(i, reference before it)` (or why it cannot
/// be parsed): [`of_scenario`]'s walk, for cases not written as JSON.
pub fn of_steps(
    reference: Result<crate::model::Model, crate::model::ModelError>,
    events: usize,
    mut event: impl FnMut(usize, &crate::model::Model) -> Result<Event, crate::model::ModelError>,
) -> (crate::rules::RuleCounts, CellCounts) {
    let (mut rules, mut cells) = (crate::rules::RuleCounts::default(), CellCounts::default());
    let Ok(mut model) = reference else {
        return (rules, cells);
    };
    rules.add(exercised(&StepInput::load(&model)));
    for i in 0..events {
        let event = event(i, &model).ok();
        let (before, rejected) = match &event {
            Some(e) => match model.apply_keeping_previous(e) {
                Ok(previous) => (previous, false),
                Err(_) => (model.shared_snapshot(), true),
            },
            None => (model.shared_snapshot(), true),
        };
        let step = StepInput::after_event(&model, &before, event.as_ref(), rejected);
        rules.add(exercised(&step));
        cells.add(interaction(&step));
    }
    (rules, cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_numbered_densely_in_table_order() {
        let all: Vec<Cell> = Cell::all().collect();
        assert_eq!(all.len(), CELLS);
        for (i, c) in all.iter().enumerate() {
            assert_eq!(c.index(), i, "{c}");
        }
        assert_eq!(
            Cell::Targeted(TargetedKind::Restart, TargetState::Grace).to_string(),
            "restart × in grace"
        );
    }

    #[test]
    fn an_advance_lands_before_on_or_after_the_next_deadline() {
        use crate::model::Model;
        let net = serde_json::json!({"systems": [
            {"name": "p", "role": "primary", "sid": "P", "release": "9.1"},
            {"name": "e", "role": "expansion", "sid": "E", "release": "9.1"}]});
        let mut m = Model::load(&net, "network").unwrap();
        let down =
            Event::from_json(&serde_json::json!({"link_down": {"system": "e"}}), "e").unwrap();
        m.apply(&down).unwrap();
        let before = m.snapshot().clone();
        let deadline = before.systems[1].deadline.unwrap();
        let cell = |e: Event| interaction(&StepInput::after_event(&m, &before, Some(&e), false));
        for (seconds, landing) in [
            (deadline - 1, Landing::Before),
            (deadline, Landing::On),
            (deadline + 1, Landing::After),
        ] {
            assert_eq!(
                cell(Event::Advance { seconds }),
                Some(Cell::Advance(landing))
            );
        }
        assert_eq!(
            cell(Event::Restart { system: "e".into() }),
            Some(Cell::Targeted(TargetedKind::Restart, TargetState::Grace))
        );
    }
}
