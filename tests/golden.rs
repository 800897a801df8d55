//! The golden scenarios: every one passes against the reference model, every one
//! checks every step, and every rule is exercised by at least two of them.

use std::collections::BTreeMap;

use selc::run::{passed, run_scenario, Verdict};
use selc::scenario::{Expect, Scenario};

fn golden() -> Vec<(&'static str, Scenario)> {
    selc::golden::scenarios()
        .iter()
        .map(|(path, text)| {
            let s = Scenario::from_json_str(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            (*path, s)
        })
        .collect()
}

#[test]
fn every_golden_scenario_matches_the_model() {
    let mut failures = Vec::new();
    for (path, s) in golden() {
        match run_scenario(&s) {
            Ok(steps) if passed(&steps) => {}
            Ok(steps) => failures.push(format!(
                "{path}\n{}",
                selc::report::text::mismatches(&s, &steps)
            )),
            Err(e) => failures.push(format!("{path}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_golden_scenario_checks_every_step() {
    for (path, s) in golden() {
        match &s.expect_initial {
            Some(Expect::Error(_)) => assert!(s.events.is_empty(), "{path}"),
            Some(Expect::Snapshot(_)) => {
                let expect = s
                    .expect
                    .as_ref()
                    .unwrap_or_else(|| panic!("{path}: no expect"));
                assert!(
                    expect.iter().all(Option::is_some),
                    "{path}: a step is skipped"
                );
            }
            None => panic!("{path}: no expect_initial"),
        }
        let steps = run_scenario(&s).unwrap();
        assert!(
            steps.iter().all(|st| st.verdict == Verdict::Match),
            "{path}: a step was not checked"
        );
    }
}

#[test]
fn every_rule_has_at_least_two_golden_scenarios() {
    let mut uses: BTreeMap<selc::rules::RuleId, Vec<&str>> =
        selc::rules::RULES.iter().map(|r| (r.id, vec![])).collect();
    for (path, s) in golden() {
        assert!(!s.rules.is_empty(), "{path}: names no rule");
        for id in &s.rules {
            uses.entry(*id).or_default().push(path);
        }
    }
    for (id, paths) in uses {
        assert!(
            paths.len() >= 2,
            "{id} has {} golden scenario(s): {paths:?}",
            paths.len()
        );
    }
}

#[test]
fn the_embedded_set_is_the_scenarios_directory() {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut on_disk = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        &mut on_disk,
    );
    on_disk.sort();
    let embedded: Vec<String> = selc::golden::scenarios()
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn golden_scenarios_survive_a_round_trip() {
    for (path, s) in golden() {
        let again = Scenario::from_json_str(&s.to_json_string()).unwrap();
        assert_eq!(again, s, "{path}");
    }
}

#[test]
fn every_invariant_holds_on_every_golden_scenario() {
    for (path, s) in golden() {
        if let Err(f) = selc::run::check_invariants(&s, selc::check::Mode::Strict) {
            panic!("{path}: {f}");
        }
    }
}
