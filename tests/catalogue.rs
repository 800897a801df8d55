//! The rule catalogue is the one source of truth: docs/rules.md is generated from
//! it, and every rule has a focused unit test.

use std::path::Path;

#[test]
fn docs_rules_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let want = selc::rules::to_markdown();
    if std::env::var_os("SELC_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run `SELC_BLESS=1 cargo test --test catalogue` (or `selc rules --format markdown > docs/rules.md`)"
    );
}

#[test]
fn every_rule_has_a_unit_test() {
    let tests = include_str!("../src/model/tests.rs");
    for r in selc::rules::RULES {
        let name = format!("fn {}()", r.id.to_lowercase().replace('-', "_"));
        assert!(tests.contains(&name), "no unit test `{name}` for {}", r.id);
    }
}
