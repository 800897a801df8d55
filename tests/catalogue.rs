//! The rule catalogue is the one source of truth: docs/rules.md is generated from
//! it, and every rule has a focused unit test.

use std::path::{Path, PathBuf};

/// A file of `docs/` generated from a catalogue is what the catalogue gives
/// now; `SELC_BLESS=1` writes it.
fn generated_doc_is_current(file: &str, want: String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(file);
    if std::env::var_os("SELC_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/{file} is stale: run `SELC_BLESS=1 cargo test --test catalogue`"
    );
}

#[test]
fn docs_rules_md_is_current() {
    generated_doc_is_current("rules.md", selc::rules::to_markdown());
}

#[test]
fn docs_domain_md_is_current() {
    generated_doc_is_current("domain.md", selc::domain::to_markdown());
}

#[test]
fn every_rule_has_a_unit_test() {
    let tests = include_str!("../src/model/tests.rs");
    for r in selc::rules::RULES {
        let name = format!("fn {}()", r.id.as_str().to_lowercase().replace('-', "_"));
        assert!(tests.contains(&name), "no unit test `{name}` for {}", r.id);
    }
}

/// Rule IDs are a type: outside the catalogue no file under `src/` spells one as
/// a string, so a misspelt ID cannot compile into a check that never fires.
#[test]
fn no_rule_id_string_outside_the_catalogue() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = root.join("src/rules/catalogue.rs");
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    assert!(files.len() > 20, "src/ not found");
    let needle = concat!('"', "R-");
    let mut found = Vec::new();
    for f in files.iter().filter(|f| **f != catalogue) {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains(needle) {
                found.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "rule IDs as strings outside src/rules/catalogue.rs (use selc::rules::RuleId):\n{}",
        found.join("\n")
    );
    // The check itself can fail: the catalogue does spell them.
    assert!(std::fs::read_to_string(&catalogue)
        .unwrap()
        .contains(needle));
}
