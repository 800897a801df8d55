//! Structure-aware: an `Arbitrary` scenario spec (network and events, rendered by
//! `selc::gen`), run through the model with every invariant checked after every
//! step, R-ATOMIC for invalid events and R-TOTAL (no overflow, no panic) for any
//! counts and times.
#![no_main]

use libfuzzer_sys::fuzz_target;
use selc::check::Mode;
use selc::gen::ScenarioSpec;

fuzz_target!(|spec: ScenarioSpec| {
    // Keep to the R9.0 maximum of 32 systems and a case of moderate length: larger
    // inputs find nothing new here and slow every execution down.
    let mut spec = spec;
    spec.others.truncate(31);
    spec.events.truncate(64);
    let scenario = spec.render();
    if let Err(f) = selc::run::check_invariants(&scenario, Mode::Strict) {
        panic!("invariant broken {f}\n{}", scenario.to_json_string());
    }
});
