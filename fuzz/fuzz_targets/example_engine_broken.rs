//! selc's own use of the in-process target template (docs/fuzzing.md):
//! differential fuzzing of `examples/rust_implementation.rs` (Bug::RestartIgnored)
//! against the reference.
//! This is the deliberately broken variant: libFuzzer must find it (the CI smoke
//! run, scripts/fuzz.sh, fails if it does not).
#![no_main]

#[allow(dead_code, unused_imports)]
#[path = "../../examples/rust_implementation.rs"]
mod example;

use libfuzzer_sys::fuzz_target;
use selc::gen::ScenarioSpec;

fuzz_target!(|spec: ScenarioSpec| {
    let options = selc::fuzz::Options::from_env();
    selc::fuzz::check(example::Adapter::new(example::Bug::RestartIgnored), &spec, &options);
});
