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

/// Each broken Python example, the rule it breaks, and the mode that catches it.
#[allow(dead_code)]
pub const BROKEN: [(&str, selc::rules::RuleId, selc::check::Mode); 8] = {
    use selc::check::Mode;
    use selc::rules::RuleId;
    [
        ("broken_r_expiry.py", RuleId::Expiry, Mode::Rules),
        (
            "broken_r_primary_first.py",
            RuleId::PrimaryFirst,
            Mode::Rules,
        ),
        ("broken_r_duplicate.py", RuleId::Duplicate, Mode::Rules),
        ("broken_r_vm_failover.py", RuleId::VmFailover, Mode::Rules),
        ("broken_r_restart.py", RuleId::Restart, Mode::Rules),
        ("broken_r_atomic.py", RuleId::Atomic, Mode::Rules),
        ("broken_r_total.py", RuleId::Total, Mode::Rules),
        ("broken_r_order.py", RuleId::Order, Mode::Strict),
    ]
};

/// Run the `selc` binary with `args`, waiting for it.
#[allow(dead_code)]
pub fn selc<I, S>(args: I) -> std::process::Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    std::process::Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(args)
        .output()
        .expect("the selc binary runs")
}
