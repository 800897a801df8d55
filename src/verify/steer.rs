//! Coverage-steered random generation (anchors: PropEr's targeted
//! property-based testing, Hypothesis' `target()`). The guidance signal is the
//! reference model's own rule hits and interaction cells, and the input-domain
//! properties each case holds (`domain::cells`), so it works for an
//! implementation in any language without instrumenting it.
//!
//! For each random case, a few candidate specs are drawn from seeds derived from
//! the run's seed and the case's index; each is run through the reference model
//! alone, and the one that adds most where the run so far is thinnest is kept.
//! What "so far" means is the reference's coverage of the cases chosen before,
//! every index counted whatever the shard, so the choice depends on the seed and
//! the index only: never on timing, the implementation, or sharding, and any case
//! replays from `--seed` and its index.

use std::sync::{Condvar, Mutex};

use crate::ahead::{made_ahead, makers};
use crate::check::coverage::{of_steps, CellCounts, CELLS};
use crate::domain::{DomainId, DomainSet};
use crate::gen::seeded::candidate;
use crate::gen::{GenConfig, ScenarioSpec};
use crate::model::Model;
use crate::rules::{RuleCounts, RULES};

/// How many candidates each random case is chosen from.
pub const CANDIDATES: u64 = 4;
/// Steering ends once every rule has been exercised this often by the chosen
/// cases...
pub const ENOUGH_PER_RULE: u64 = 500;
/// ...and every interaction cell hit this often: from then on each case is its
/// first candidate, and nothing is run through the reference to choose it (the
/// counts only grow, so steering never resumes).
pub const ENOUGH_PER_CELL: u64 = 50;

/// The steering state of one run: the reference's coverage of the cases
/// chosen so far.
#[derive(Clone, Debug, Default)]
pub struct Steering {
    rules: RuleCounts,
    cells: CellCounts,
    /// Chosen cases per input-domain property, in catalogue order.
    domain: Vec<u64>,
}

impl Steering {
    /// No case chosen yet.
    pub fn new() -> Steering {
        Steering::default()
    }

    /// How much a case with these hits adds: for each rule and cell it hits,
    /// more the less the run has hit it so far.
    fn score(&self, rules: &RuleCounts, cells: &CellCounts, domain: DomainSet) -> f64 {
        let gain = |hit: u64, so_far: u64| {
            if hit > 0 {
                1.0 / (1.0 + so_far as f64)
            } else {
                0.0
            }
        };
        let r: f64 = (0..RULES.len())
            .map(|i| gain(rules.0[i], self.rules.0[i]))
            .sum();
        let c: f64 = (0..CELLS).map(|i| gain(cells.0[i], self.cells.0[i])).sum();
        let d: f64 = domain
            .ids()
            .map(|id| gain(1, self.domain.get(id as usize).copied().unwrap_or(0)))
            .sum();
        r + c + d
    }

    /// Whether every rule and cell has been exercised enough: steering is over.
    /// The domain properties steer while it lasts, but do not keep it going:
    /// some are rare by design (1 case in 256 is a large network), and others
    /// no random case holds (the envelope's, the invalid networks').
    pub fn saturated(&self) -> bool {
        self.rules.0.iter().all(|&n| n >= ENOUGH_PER_RULE)
            && self.cells.0.iter().all(|&n| n >= ENOUGH_PER_CELL)
    }

    /// Choose case `index`: the candidate that adds most (the first on a tie),
    /// and count what it exercises.
    pub fn next(&mut self, config: GenConfig, seed: u64, index: u64) -> ScenarioSpec {
        let c = self.choose(&evaluate(config, seed, index));
        candidate(config, seed, index, c)
    }

    /// Which of a case's evaluated candidates to run (see [`Steering::next`]);
    /// once saturated, always the first.
    pub fn choose(&mut self, candidates: &[Evaluated]) -> u64 {
        if self.saturated() {
            return 0;
        }
        let mut best: Option<(f64, &Evaluated)> = None;
        for e in candidates {
            let score = self.score(&e.rules, &e.cells, e.domain);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, e));
            }
        }
        let Some((_, e)) = best else {
            return 0;
        };
        for (a, b) in self.rules.0.iter_mut().zip(&e.rules.0) {
            *a += b;
        }
        self.cells.merge(&e.cells);
        self.domain.resize(DomainId::ALL.len(), 0);
        for id in e.domain.ids() {
            self.domain[id as usize] += 1;
        }
        e.candidate
    }
}

/// What the reference exercises on one candidate of a case.
#[derive(Clone, Debug)]
pub struct Evaluated {
    /// Which candidate.
    pub candidate: u64,
    /// Steps per rule.
    pub rules: RuleCounts,
    /// Steps per interaction cell.
    pub cells: CellCounts,
    /// The input-domain properties it holds.
    pub domain: DomainSet,
}

/// Run each candidate of case `index` through the reference alone: a function
/// of the seed and the index only, so cases can be evaluated on any thread, in
/// any order, and chosen in order after.
pub fn evaluate(config: GenConfig, seed: u64, index: u64) -> Vec<Evaluated> {
    (0..CANDIDATES)
        .map(|c| evaluated(&candidate(config, seed, index, c), c))
        .collect()
}

/// What the reference exercises on `spec`, and the domain properties it holds.
fn evaluated(spec: &ScenarioSpec, candidate: u64) -> Evaluated {
    let (network, names) = spec.network();
    let model = Model::from_input(network, "network");
    let net = model.as_ref().ok().map(|m| m.network().clone());
    let mut events = Vec::with_capacity(spec.events.len());
    let (rules, cells) = of_steps(model, spec.events.len(), |i, model| {
        let e = spec.event(&spec.events[i], &names, Some(model)).parsed();
        events.push(e.clone());
        e
    });
    let domain = net.map_or_else(DomainSet::default, |n| {
        crate::domain::cells::of_case(&n, &events).0
    });
    Evaluated {
        candidate,
        rules,
        cells,
        domain,
    }
}

/// What the reference exercises on a spec:
/// [`of_scenario`](crate::check::coverage::of_scenario) of its rendering,
/// walked once from the typed network and events (a test holds the two equal).
pub fn of_spec(spec: &ScenarioSpec) -> (RuleCounts, CellCounts) {
    let (network, names) = spec.network();
    of_steps(
        Model::from_input(network, "network"),
        spec.events.len(),
        |i, model| spec.event(&spec.events[i], &names, Some(model)).parsed(),
    )
}

/// The candidate of every random case of a run, chosen once, in index order,
/// by one thread ([`Choices::steer`]) and read by any number of workers
/// ([`Choices::get`]). With `--jobs`, each worker's cases are then those of
/// the one steering of the whole run (the cases of a run with one worker), and
/// steering is paid for once, not once per worker.
pub struct Choices {
    config: GenConfig,
    seed: u64,
    cases: u64,
    steer: bool,
    /// How far steering may run ahead of the highest index asked for.
    lead: u64,
    state: Mutex<ChoiceState>,
    ready: Condvar,
}

/// How many cases steering may choose beyond the highest one asked for. It
/// starts with the run, while the shipped and exhaustive cases run; a long
/// exhaustive scope (hours) would otherwise keep a core busy and the choices
/// growing for nothing when some rule cannot reach saturation (`--max-systems
/// 1`, say). 10,000 is more than 20 s of random cases against the bundled
/// example, and steering usually saturates within a few thousand.
pub const LEAD: u64 = 10_000;

#[derive(Default)]
struct ChoiceState {
    /// The candidate of each index chosen so far.
    chosen: Vec<u8>,
    /// Steering saturated here: this index and every later one is candidate 0.
    saturated_from: Option<u64>,
    /// The run is over: nobody waits for more choices.
    stopped: bool,
    /// One past the highest index asked for.
    asked: u64,
    /// Steering waits for [`ChoiceState::asked`] to grow.
    leading: bool,
}

impl Choices {
    /// The choices of a run's random cases (`cases` at most); all candidate 0
    /// without `steer`.
    pub fn new(config: GenConfig, seed: u64, cases: u64, steer: bool) -> Choices {
        Choices {
            config,
            seed,
            cases,
            steer,
            lead: LEAD,
            state: Mutex::new(ChoiceState::default()),
            ready: Condvar::new(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ChoiceState> {
        // A panic elsewhere cannot leave the choices half-written: each is
        // pushed whole.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Choose every case in index order until all are chosen, steering
    /// saturates, or [`Choices::stop`]: run it in a thread of its own.
    pub fn steer(&self) {
        if !self.steer {
            return;
        }
        // However steering ends (all chosen, saturated, stopped, or a panic),
        // nobody waits for a choice that will never come.
        let _stop = self.stop_on_drop();
        let mut steering = Steering::new();
        // Candidates are evaluated ahead on every core; the choice itself,
        // which depends on the choices before it, is made here, in order.
        std::thread::scope(|s| {
            let (config, seed) = (self.config, self.seed);
            let evaluated = made_ahead(s, 0..self.cases, makers(), move |index| {
                Some(evaluate(config, seed, index))
            });
            for (index, candidates) in (0..self.cases).zip(evaluated) {
                if self.state().stopped {
                    return;
                }
                if steering.saturated() {
                    self.state().saturated_from = Some(index);
                    self.ready.notify_all();
                    return;
                }
                let c = steering.choose(&candidates);
                let mut state = self.state();
                while index >= state.asked.saturating_add(self.lead) && !state.stopped {
                    state.leading = true;
                    state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
                }
                state.leading = false;
                state.chosen.push(c as u8);
                drop(state);
                self.ready.notify_all();
            }
        });
    }

    /// The candidate of case `index`, waiting until it is chosen; `None` once
    /// the run is stopped.
    pub fn get(&self, index: u64) -> Option<u64> {
        if !self.steer {
            return Some(0);
        }
        let mut state = self.state();
        if index >= state.asked {
            state.asked = index + 1;
            if state.leading {
                self.ready.notify_all();
            }
        }
        loop {
            if let Some(&c) = state.chosen.get(index as usize) {
                return Some(u64::from(c));
            }
            if state.saturated_from.is_some_and(|k| index >= k) || index >= self.cases {
                return Some(0);
            }
            if state.stopped {
                return None;
            }
            state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The run is over: [`Choices::steer`] returns, and a wait for a choice not
    /// made gets `None`.
    pub fn stop(&self) {
        self.state().stopped = true;
        self.ready.notify_all();
    }

    /// [`Choices::stop`] when the guard is dropped, however its scope ends
    /// (a panic included).
    pub fn stop_on_drop(&self) -> StopOnDrop<'_> {
        StopOnDrop(self)
    }
}

/// Stops its [`Choices`] when dropped ([`Choices::stop_on_drop`]).
pub struct StopOnDrop<'a>(&'a Choices);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steering runs no further than its lead beyond the cases asked for, and
    /// goes on as they are.
    #[test]
    fn a_domain_property_the_run_lacks_wins_a_tie() {
        let plain = |candidate| Evaluated {
            candidate,
            rules: RuleCounts::default(),
            cells: CellCounts::default(),
            domain: DomainSet::default(),
        };
        let mut spelled = plain(1);
        spelled.domain.insert(DomainId::RelSpelling);
        let mut steering = Steering::new();
        assert_eq!(steering.choose(&[plain(0), spelled.clone()]), 1);
        // Once the run holds it, it adds less than one it has not seen.
        let mut case = plain(1);
        case.domain.insert(DomainId::IdCase);
        assert_eq!(steering.choose(&[spelled, case]), 1);
        // The evaluation reads the properties off the candidate itself.
        let config = GenConfig::default();
        let e = (0..200)
            .flat_map(|i| evaluate(config, 7, i))
            .find(|e| e.domain.contains(DomainId::RelSpelling));
        assert!(
            e.is_some(),
            "no candidate of 200 cases spelled a release with a zero"
        );
    }

    #[test]
    fn steering_waits_within_its_lead_of_the_cases_asked_for() {
        let config = GenConfig {
            max_systems: 1,
            max_events: 2,
            invalid_events: true,
            huge_times: true,
            ..GenConfig::default()
        };
        let choices = Choices {
            lead: 20,
            ..Choices::new(config, 7, 1_000, true)
        };
        let chosen = || choices.state().chosen.len();
        std::thread::scope(|s| {
            s.spawn(|| choices.steer());
            let settled = || {
                let mut last = usize::MAX;
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    let now = chosen();
                    if now == last {
                        return now;
                    }
                    last = now;
                }
            };
            // One system cannot exercise every rule: steering never saturates.
            assert_eq!(settled(), 20);
            assert!(choices.get(4).is_some());
            assert_eq!(settled(), 25);
            choices.stop();
        });
        assert!(choices.state().saturated_from.is_none());
    }
}
