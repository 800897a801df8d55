//! Shared by the property tests.

use proptest::test_runner::{Config, FileFailurePersistence};

/// A proptest config: `default` cases unless `PROPTEST_CASES` says otherwise;
/// failures are kept in `proptest-regressions/<file>.txt` (committed) and
/// replayed first on every run.
pub fn config(default: u32, file: &'static str) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        max_shrink_iters: 20_000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..Config::default()
    }
}
