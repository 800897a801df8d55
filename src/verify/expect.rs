//! The reference's expectations written into a scenario, so that a saved
//! counterexample is also a golden file `selc run` checks without an
//! implementation.

use crate::model::Model;
use crate::protocol::ErrorCode;
use crate::scenario::{Expect, Scenario};

/// The scenario with the reference model's expected snapshots filled in (strict).
pub fn with_expectations(scenario: &Scenario) -> Scenario {
    let mut s = scenario.clone();
    match Model::load(&s.network, "network") {
        Err(_) => {
            s.expect_initial = Some(Expect::Error(ErrorCode::InvalidNetwork));
            s.events.clear();
            s.expect = None;
        }
        Ok(mut m) => {
            s.expect_initial = Some(Expect::Snapshot(Box::new(m.snapshot().clone())));
            let expect = s
                .events
                .iter()
                .map(|e| {
                    Some(match m.apply_json(e, "event") {
                        Ok(snap) => Expect::Snapshot(Box::new(snap.clone())),
                        Err(_) => Expect::Error(ErrorCode::InvalidEvent),
                    })
                })
                .collect();
            s.expect = Some(expect);
        }
    }
    s
}

/// Systems and events of a scenario, as reports give its size.
pub fn size_of(s: &Scenario) -> (usize, usize) {
    let systems = s.network["systems"].as_array().map_or(0, Vec::len);
    (systems, s.events.len())
}
