//! Shrinking a failing case to a minimal one that still fails the same way: first
//! the random spec (proptest's shrinker), then the scenario itself (dropping
//! whole systems and single events), so shipped scenarios shrink too.
//!
//! "The same way" is: the same rule for a rules failure; the same kind of
//! harness failure (timeout, exit, bad response) for one the harness saw. Each
//! candidate of a harness failure may cost a whole timeout, so those get a small
//! total budget of their own.

use std::time::Instant;

use super::case::{run_case, StepFailure};
use super::config::ShrinkBudget;
use super::random::SpecTree;
use crate::check::Mode;
use crate::impls::Driven;
use crate::rules::RuleId;
use crate::scenario::Scenario;

/// A scenario and how it fails.
pub type Found = (Scenario, StepFailure);

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
