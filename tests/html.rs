//! The HTML pages: `selc show` on every golden scenario, and `selc verify --html`
//! against a broken example. Pages are self-contained (no external address),
//! light, and carry the rule IDs, the quoted rules and the replay command. The
//! browser check (rendering in headless Chromium) is scripts/browser-check.py,
//! run by .ci/run.

mod common;

use std::path::{Path, PathBuf};

use selc::rules::RuleId;

/// Text as the pages write it (HTML-escaped).
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("selc-html-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// No address outside the page: no scheme, no `src`, no `url(` but the page's
/// own `url(#pattern)`.
fn assert_self_contained(page: &str, what: &str) {
    for needle in ["http://", "https://", "file://", "src=", "@import", "<link"] {
        assert!(!page.contains(needle), "{what}: contains {needle:?}");
    }
    for (i, _) in page.match_indices("url(") {
        assert!(
            page[i..].starts_with("url(#"),
            "{what}: {}",
            &page[i..i + 30]
        );
    }
    assert!(page.len() <= 1 << 20, "{what}: {} bytes", page.len());
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.contains("<svg"),
        "{what}"
    );
}

#[test]
fn show_writes_a_page_for_every_golden_scenario() {
    let dir = out_dir("golden");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for (path, text) in selc::golden::scenarios() {
        let scenario = selc::scenario::Scenario::from_json_str(text).unwrap();
        let out = dir.join(format!("{n}.html"));
        let file = root.join(path);
        let status = common::selc([
            "show",
            file.to_str().unwrap(),
            "--html",
            out.to_str().unwrap(),
        ]);
        assert_eq!(status.status.code(), Some(0), "{path}");
        let page = std::fs::read_to_string(&out).unwrap();
        assert_self_contained(&page, path);
        for id in &scenario.rules {
            assert!(page.contains(id.as_str()), "{path}: {id} missing");
            if let Some(q) = id.rule().quote {
                assert!(
                    page.contains(&escaped(q)),
                    "{path}: the quote of {id} missing"
                );
            }
        }
        n += 1;
    }
    assert!(n >= 48, "{n}");
}

#[test]
fn verify_html_writes_an_index_and_a_page_per_failure() {
    let dir = out_dir("verify");
    let broken = common::python_example("broken_r_restart.py");
    let (html, failures) = (dir.join("html"), dir.join("failures"));
    let out = common::selc([
        "verify",
        "--impl",
        &broken,
        "--cases",
        "100",
        "--no-golden",
        "--max-failures",
        "2",
        "--html",
        html.to_str().unwrap(),
        "--save-failures",
        failures.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let index = std::fs::read_to_string(dir.join("html/index.html")).unwrap();
    assert_self_contained(&index, "index");
    assert!(
        index.contains("NOT COMPLIANT") && index.contains("rerun"),
        "{index}"
    );
    let pages: Vec<PathBuf> = std::fs::read_dir(dir.join("html"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("failure-")
        })
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    for p in &pages {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            index.contains(&format!("href=\"{name}\"")),
            "{name} not linked"
        );
        let page = std::fs::read_to_string(p).unwrap();
        assert_self_contained(&page, &name);
        assert!(page.contains("first divergence"), "{name}");
        assert!(
            page.contains("selc run --impl"),
            "{name}: no replay command"
        );
        assert!(
            page.contains(RuleId::Restart.as_str()) || page.contains(RuleId::Upgrade.as_str()),
            "{name}"
        );
        let statement = escaped(RuleId::Restart.rule().statement);
        let upgrade = escaped(RuleId::Upgrade.rule().statement);
        assert!(
            page.contains(&statement) || page.contains(&upgrade),
            "{name}: the rule is not quoted"
        );
    }
}

#[test]
fn show_with_an_implementation_marks_the_divergence_and_exits_1() {
    let dir = out_dir("show-impl");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = root.join("scenarios/grace/restart-in-grace-then-reconnect.json");
    let (broken, page) = (
        common::python_example("broken_r_restart.py"),
        dir.join("p.html"),
    );
    let out = common::selc([
        "show",
        scenario.to_str().unwrap(),
        "--impl",
        &broken,
        "--html",
        page.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let page = std::fs::read_to_string(dir.join("p.html")).unwrap();
    assert_self_contained(&page, "show --impl");
    assert!(page.contains("class=\"diff\"") && page.contains("first divergence"));
    // A file that is not a scenario is an error naming it, and writes nothing.
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let no = dir.join("no.html");
    let out = common::selc([
        "show",
        bad.to_str().unwrap(),
        "--html",
        no.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
    assert!(!dir.join("no.html").exists());
}
