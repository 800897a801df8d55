//! Shared by the property tests.

use proptest::test_runner::{Config, FileFailurePersistence};

/// A proptest config: `default` cases unless `PROPTEST_CASES` says otherwise
/// (or `SELC_CASES_PERCENT` scales the defaults, as the mutation run does);
/// failures are kept in `proptest-regressions/<file>.txt` (committed) and
/// replayed first on every run.
#[allow(dead_code)] // Not every test crate that includes `common` has properties.
pub fn config(default: u32, file: &'static str) -> Config {
    let env = |name| std::env::var(name).ok().and_then(|c| c.parse::<u32>().ok());
    let scaled = env("SELC_CASES_PERCENT").map(|p| (default.saturating_mul(p) / 100).max(1));
    let cases = env("PROPTEST_CASES").or(scaled).unwrap_or(default);
    Config {
        cases,
        max_shrink_iters: 20_000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..Config::default()
    }
}

/// The command running one of the bundled Python examples (needs python3).
#[allow(dead_code)] // Not every test crate that includes `common` runs them.
pub fn python_example(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/impls/python")
        .join(name);
    format!("{} {}", selc::impls::default::python_or_fail(), p.display())
}
