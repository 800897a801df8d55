//! The property suite: random scenarios through the model with every invariant
//! checked after every step, plus metamorphic properties. `PROPTEST_CASES` raises
//! the case count (see docs/testing.md for the deep run).

mod common;

use proptest::prelude::*;

use selc::check::Mode;
use selc::gen::{scenario, GenConfig};
use selc::run::check_invariants;

proptest! {
    #![proptest_config(common::config(4000, "proptest-regressions/properties.txt"))]

    /// Every invariant, strict mode (R-ORDER included), after every step.
    #[test]
    fn invariants_hold_on_random_scenarios(spec in scenario(GenConfig { max_systems: 8, max_events: 24, ..GenConfig::default() })) {
        let s = spec.render();
        if let Err(f) = check_invariants(&s, Mode::Strict) {
            prop_assert!(false, "{}\ncounterexample size: {} systems, {} events\nscenario:\n{}",
                f, spec.size().0, spec.size().1, s.to_json_string());
        }
    }
}

proptest! {
    #![proptest_config(common::config(100, "proptest-regressions/properties.txt"))]

    /// Networks up to the R9.0 maximum of 32 systems.
    #[test]
    fn invariants_hold_on_full_size_networks(spec in scenario(GenConfig::default())) {
        let s = spec.render();
        if let Err(f) = check_invariants(&s, Mode::Strict) {
            prop_assert!(false, "{}\ncounterexample size: {} systems, {} events\nscenario:\n{}",
                f, spec.size().0, spec.size().1, s.to_json_string());
        }
    }
}
