//! Shared by the property tests.

use proptest::test_runner::{Config, FileFailurePersistence};

/// A proptest config: `default` cases unless `PROPTEST_CASES` says otherwise
/// (or `SELC_CASES_PERCENT` scales the defaults, as the mutation run does);
/// failures are kept in `proptest-regressions/<file>.txt` (committed) and
/// replayed first on every run.
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
