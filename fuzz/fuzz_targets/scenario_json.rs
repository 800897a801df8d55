//! Arbitrary bytes as a scenario file: parsing and validation never panic; a
//! valid scenario runs through the model with every invariant holding after every
//! step (R-TOTAL and every checker).
#![no_main]

use libfuzzer_sys::fuzz_target;
use selc::check::Mode;
use selc::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::from_json_str(text) else {
        return;
    };
    if let Err(f) = selc::run::check_invariants(&scenario, Mode::Strict) {
        panic!("invariant broken {f}\n{}", scenario.to_json_string());
    }
    // Running with expectations must never panic either, whatever they say.
    let _ = selc::run::run_scenario(&scenario);
});
