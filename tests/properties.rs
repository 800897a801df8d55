//! The property suite: random scenarios through the model, with every checker
//! (every rule, R-ORDER included) run after every step. The metamorphic
//! relations are in `tests/metamorphic.rs`. `PROPTEST_CASES` raises the case
//! count (see docs/testing.md for the deep run).

mod common;

use proptest::prelude::*;

use selc::check::Mode;
use selc::gen::{scenario, GenConfig, ScenarioSpec};
use selc::run::check_invariants;

/// Every invariant holds after every step of `spec`; the failure message gives
/// the counterexample's size (scripts/break-rules.py reads it) and the scenario.
fn invariants_hold(spec: &ScenarioSpec) -> Result<(), TestCaseError> {
    let s = spec.render();
    if let Err(f) = check_invariants(&s, Mode::Strict) {
        let (systems, events) = spec.size();
        return Err(TestCaseError::fail(format!(
            "{f}\ncounterexample size: {systems} systems, {events} events\nscenario:\n{}",
            s.to_json_string()
        )));
    }
    Ok(())
}

proptest! {
    #![proptest_config(common::config(4000, "proptest-regressions/properties.txt"))]

    /// Networks of up to 8 systems, up to 24 events.
    #[test]
    fn invariants_hold_on_random_scenarios(spec in scenario(GenConfig { max_systems: 8, max_events: 24, ..GenConfig::default() })) {
        invariants_hold(&spec)?;
    }
}

proptest! {
    #![proptest_config(common::config(100, "proptest-regressions/properties.txt"))]

    /// Networks up to the R9.0 maximum of 32 systems.
    #[test]
    fn invariants_hold_on_full_size_networks(spec in scenario(GenConfig::default())) {
        invariants_hold(&spec)?;
    }
}
