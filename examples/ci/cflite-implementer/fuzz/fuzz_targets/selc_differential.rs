#![no_main]
use libfuzzer_sys::fuzz_target;
use selc::gen::ScenarioSpec;

// Your engine, behind selc::impls::Implementation (hello + answer), as in
// examples/rust_implementation.rs.
use my_licensing::SelcAdapter;

fuzz_target!(|spec: ScenarioSpec| {
    // SELC_FUZZ_MODE=strict|rules, SELC_FUZZ_SAVE=dir ("" = don't save),
    // SELC_FUZZ_STATS=N (0 = no statistics).
    let options = selc::fuzz::Options::from_env();
    selc::fuzz::check(SelcAdapter::default(), &spec, &options);
});
