//! `selc bench`: latency of `load` and `apply` of an implementation over the
//! protocol, on generated networks of several sizes, side by side with the
//! reference (`selc serve`). Every answer is also checked as `selc verify --mode
//! rules` does, so a fast wrong answer is never reported as a good result.
//! This module measures; [`report`] renders the results.

use std::time::{Duration, Instant};

use serde::Serialize;

pub mod report;

use crate::check::Mode;
use crate::gen::large;
use crate::impls::{Answer, Driven};
use crate::scenario::Scenario;
use crate::verify::run_case;

/// Latency percentiles of one kind of request, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Latency {
    /// Median.
    pub p50_us: f64,
    /// 95th percentile.
    pub p95_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// Slowest.
    pub max_us: f64,
}

impl Latency {
    /// Percentiles of a set of durations (nearest rank).
    pub fn of(samples: &mut [Duration]) -> Latency {
        if samples.is_empty() {
            return Latency::default();
        }
        samples.sort_unstable();
        let at = |p: f64| {
            let i = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1;
            samples[i].as_secs_f64() * 1e6
        };
        Latency {
            p50_us: at(0.50),
            p95_us: at(0.95),
            p99_us: at(0.99),
            max_us: at(1.0),
        }
    }
}

/// One implementation at one network size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SizeResult {
    /// Systems in the network.
    pub systems: usize,
    /// Events applied.
    pub events: usize,
    /// `load` latency, in microseconds.
    pub load_us: f64,
    /// `apply` latencies.
    pub apply: Latency,
    /// Events per second, one request at a time.
    pub events_per_s: f64,
    /// Whether every answer agreed with the reference in rules mode.
    pub correct: bool,
    /// What went wrong, when not correct.
    pub failure: Option<String>,
}

/// The scenario measured at one size: a deterministic network and events that
/// touch every event kind (see [`crate::gen::large`]).
pub fn scenario(systems: usize, events: usize) -> Scenario {
    Scenario {
        name: Some(format!("bench {systems} systems")),
        rules: Vec::new(),
        network: large::network(systems, 1),
        events: large::events(systems, events, 1),
        expect_initial: None,
        expect: None,
    }
}

/// Measure one implementation at one size: one request at a time (no
/// pipelining, so each latency is a full round trip), then the same case again
/// judged against the reference in rules mode.
pub fn measure(imp: &mut dyn Driven, systems: usize, events: usize) -> SizeResult {
    let s = scenario(systems, events);
    let mut result = SizeResult {
        systems,
        events: 0,
        load_us: 0.0,
        apply: Latency::default(),
        events_per_s: 0.0,
        correct: false,
        failure: None,
    };
    let start = Instant::now();
    match imp.load(&s.network) {
        Ok(Answer::Snapshot(_)) => {}
        Ok(Answer::Rejected { message, .. }) => {
            result.failure = Some(format!("load rejected: {message}"));
            return result;
        }
        Err(e) => {
            result.failure = Some(e.to_string());
            return result;
        }
    }
    result.load_us = start.elapsed().as_secs_f64() * 1e6;
    let mut samples = Vec::with_capacity(s.events.len());
    let all = Instant::now();
    for e in &s.events {
        let t = Instant::now();
        if let Err(err) = imp.apply(e) {
            result.failure = Some(err.to_string());
            return result;
        }
        samples.push(t.elapsed());
    }
    let total = all.elapsed();
    result.events = samples.len();
    result.events_per_s = samples.len() as f64 / total.as_secs_f64().max(1e-9);
    result.apply = Latency::of(&mut samples);
    match run_case(imp, &s, Mode::Rules).failure {
        None => result.correct = true,
        Some(f) => {
            let at = f
                .step
                .map_or("the load".to_string(), |i| format!("event {i}"));
            result.failure = Some(format!(
                "{} at {at}: {}",
                crate::rules::join(&f.rules),
                f.message
            ))
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut v: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        let l = Latency::of(&mut v);
        assert_eq!(
            (l.p50_us, l.p95_us, l.p99_us, l.max_us),
            (50.0, 95.0, 99.0, 100.0)
        );
        assert_eq!(Latency::of(&mut []), Latency::default());
    }

    #[test]
    fn the_reference_measures_correct() {
        let mut imp = crate::impls::reference::Reference::new();
        let r = measure(&mut imp, 8, 16);
        assert!(r.correct, "{:?}", r.failure);
        assert_eq!(r.events, 16);
    }
}
