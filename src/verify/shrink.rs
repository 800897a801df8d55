//! Shrinking a failing case to a minimal one that still fails the same way: first
//! the random spec (proptest's shrinker), then the scenario itself (dropping
//! whole systems and single events), so shipped scenarios shrink too.
//!
//! "The same way" is: the same rule for a rules failure; the same kind of
//! harness failure (timeout, exit, bad response) for one the harness saw. Each
//! candidate of a harness failure may cost a whole timeout, so those get a small
//! total budget of their own.

use std::time::{Duration, Instant};

use super::case::{run_case, StepFailure};
use super::config::ShrinkBudget;
use super::random::SpecTree;
use crate::check::Mode;
use crate::impls::{Driven, HarnessError};
use crate::rules::RuleId;
use crate::scenario::Scenario;

/// A scenario and how it fails.
pub type Found = (Scenario, StepFailure);

/// Whether failure `f`, first seen on `scenario`, is the case's own: the
/// case runs again alone on a fresh start of the implementation. A timeout
/// is not run again (it would cost another timeout; shrinking confirms it).
/// Returns the failure (as `not_reproduced` makes it when it did not happen
/// again) and whether it was confirmed, or `None` if the run was interrupted
/// while confirming: then whether the failure is the case's own is unknown,
/// and it is not reported. `selc verify` and `selc fuzz` both judge with it.
pub fn own(
    imp: &mut dyn Driven,
    mode: Mode,
    budget: &ShrinkBudget,
    scenario: &Scenario,
    f: StepFailure,
) -> Option<(StepFailure, bool)> {
    let timed_out = matches!(f.harness, Some(HarnessError::Timeout(_)));
    let confirmed = timed_out
        || Shrinker::new(imp, mode, &f, budget)
            .confirm(scenario)
            .is_some();
    if crate::interrupt::requested() {
        return None;
    }
    imp.restart();
    Some((
        if confirmed {
            f
        } else {
            super::not_reproduced(f)
        },
        confirmed,
    ))
}

/// Shrink a confirmed failure: a random case's spec `tree` until `spec_end`,
/// then the scenario until `scenario_end()` (asked once the spec is done, so
/// that the scenario's budget starts then). A harness failure's candidates
/// wait only as long as this implementation's answers have been seen to take
/// (20 times their 99th percentile, at least 200 ms). The minimal case must
/// fail on its own too, on a fresh start; if it does not, the case as found
/// (already confirmed) is kept. `selc verify` and `selc fuzz` both shrink
/// with it.
pub fn minimal(
    imp: &mut dyn Driven,
    mode: Mode,
    budget: &ShrinkBudget,
    found: Found,
    tree: Option<SpecTree>,
    spec_end: Instant,
    scenario_end: &dyn Fn() -> Instant,
) -> Found {
    let harness = found.1.harness.is_some();
    let restore = imp.timeout();
    if harness {
        if let (Some(t), Some(p99)) = (restore, imp.latency_p99()) {
            let short = (p99 * 20).max(Duration::from_millis(200)).min(t);
            imp.set_timeout(short);
        }
    }
    let first = found.clone();
    let mut shrinker = Shrinker::new(imp, mode, &found.1, budget);
    let found = match tree {
        Some(t) => shrinker.spec(t, found, spec_end),
        None => found,
    };
    let found = shrinker.scenario(found, scenario_end());
    if let Some(t) = restore {
        imp.set_timeout(t);
    }
    if matches!(found.1.harness, Some(HarnessError::Timeout(_))) {
        imp.restart();
        return found;
    }
    match Shrinker::new(imp, mode, &found.1, budget).confirm(&found.0) {
        Some(f) => (found.0, f),
        None => first,
    }
}

/// Runs candidates against the implementation within the budget.
pub struct Shrinker<'a> {
    imp: &'a mut dyn Driven,
    mode: Mode,
    rule: RuleId,
    harness: Option<std::mem::Discriminant<crate::impls::HarnessError>>,
    candidates: u32,
}

impl<'a> Shrinker<'a> {
    /// A shrinker for a case that failed as `first` did.
    pub fn new(
        imp: &'a mut dyn Driven,
        mode: Mode,
        first: &StepFailure,
        budget: &ShrinkBudget,
    ) -> Shrinker<'a> {
        Shrinker {
            imp,
            mode,
            rule: first.rules[0],
            harness: first.harness.as_ref().map(std::mem::discriminant),
            candidates: budget.candidates,
        }
    }

    /// Whether `s` still fails the same way; `None` too once the candidates are
    /// spent. (An implementation that failed on the harness was already ended;
    /// one that answered wrongly goes on: restarting it after every failing
    /// candidate would cost more than the rest of shrinking. The result is
    /// confirmed on a fresh start by [`Shrinker::confirm`].)
    fn fails(&mut self, s: &Scenario) -> Option<StepFailure> {
        // An interrupted run tries nothing more: every candidate would fail on
        // the interruption, not on the implementation.
        if crate::interrupt::requested() {
            self.candidates = 0;
            return None;
        }
        self.candidates = self.candidates.checked_sub(1)?;
        let f = run_case(self.imp, s, self.mode).failure?;
        let same = match (&self.harness, &f.harness) {
            (Some(kind), Some(e)) => *kind == std::mem::discriminant(e),
            (None, None) => f.rules.contains(&self.rule),
            _ => false,
        };
        same.then_some(f)
    }

    /// Run `s` once more, on a fresh start of the implementation: the failure
    /// it gives if it fails the same way as the one this shrinker was made for.
    pub fn confirm(&mut self, s: &Scenario) -> Option<StepFailure> {
        self.imp.restart();
        self.candidates = self.candidates.max(1);
        let f = self.fails(s);
        self.imp.restart();
        f
    }

    /// Shrink a random case's spec until `deadline`: the smallest spec the
    /// shrinker reaches that still fails.
    pub fn spec(&mut self, mut tree: SpecTree, mut best: Found, deadline: Instant) -> Found {
        if !tree.simplify() {
            return best;
        }
        while Instant::now() < deadline && self.candidates > 0 {
            let s = tree.current().render();
            let more = match self.fails(&s) {
                Some(f) => {
                    best = (s, f);
                    tree.simplify()
                }
                None => tree.complicate(),
            };
            if !more {
                break;
            }
        }
        best
    }

    /// Drop whole systems (with the events that name them) and single events
    /// while the case still fails, until nothing more can go or `deadline`.
    pub fn scenario(&mut self, mut best: Found, deadline: Instant) -> Found {
        let live = |c: &Self| Instant::now() < deadline && c.candidates > 0;
        loop {
            let mut progress = false;
            for name in non_primary_names(&best.0) {
                if !live(self) {
                    return best;
                }
                let s = without_system(&best.0, &name);
                if let Some(f) = self.fails(&s) {
                    best = (s, f);
                    progress = true;
                }
            }
            let mut i = 0;
            while i < best.0.events.len() && live(self) {
                let mut s = best.0.clone();
                s.events.remove(i);
                match self.fails(&s) {
                    Some(f) => {
                        best = (s, f);
                        progress = true;
                    }
                    None => i += 1,
                }
            }
            if !progress || !live(self) {
                return best;
            }
        }
    }
}

fn non_primary_names(s: &Scenario) -> Vec<String> {
    s.network["systems"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|s| s["role"] != "primary")
                .map(|s| s["name"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The scenario without system `name` and without the events aimed at it.
fn without_system(s: &Scenario, name: &str) -> Scenario {
    let mut s = s.clone();
    if let Some(a) = s.network["systems"].as_array_mut() {
        a.retain(|x| x["name"] != name);
    }
    s.events.retain(|e| {
        e.as_object()
            .and_then(|o| o.values().next())
            .and_then(|b| b.get("system"))
            .is_none_or(|n| n != name)
    });
    s
}
