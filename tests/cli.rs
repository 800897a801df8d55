//! The command line: exit codes CI can use, and the rule catalogue formats.

use std::path::Path;
use std::process::{Command, Output};

fn selc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(args)
        .output()
        .expect("run selc")
}

fn root(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .to_string_lossy()
        .into_owned()
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("selc-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn run_with_no_files_checks_the_built_in_golden_set() {
    let out = selc(&["run", "--quiet"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("0 differ, 0 invalid"), "{stdout}");
}

#[test]
fn run_exits_1_on_a_differing_step_and_names_rule_and_field() {
    let text = std::fs::read_to_string(root("scenarios/grace/freeze-and-deadline.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["expect"][4]["systems"][1]["link"] = "grace".into();
    let f = temp("differs.json", &v.to_string());
    let out = selc(&["run", &f]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("R-EXPIRY"), "{stdout}");
    assert!(
        stdout.contains(r#"systems[1](exp-1).link: expected "grace", got "lapsed""#),
        "{stdout}"
    );
}

#[test]
fn run_exits_2_on_an_invalid_or_missing_file() {
    let f = temp(
        "invalid.json",
        r#"{"protocol": 1, "network": {"systems": []}, "extra": 1}"#,
    );
    let out = selc(&["run", &f]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `extra`"));
    let f = temp(
        "badnet.json",
        r#"{"protocol": 1, "network": {"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1",
            "licenses": [{"key": "k", "kind": "mobilty", "sid": "P", "count": 1}]}]}}"#,
    );
    let out = selc(&["run", &f]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains(r#"network.systems[0].licenses[0].kind: unknown kind "mobilty""#));
    let out = selc(&["run", "/nonexistent/selc.json"]);
    assert_eq!(out.status.code(), Some(2));
    let out = selc(&["run", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn run_without_expectations_prints_json_lines() {
    let f = temp(
        "plain.json",
        r#"{"protocol": 1, "network": {"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1"}]},
            "events": [{"advance": {"seconds": 5}}, {"restart": {"system": "nobody"}}]}"#,
    );
    let out = selc(&["run", &f]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["now"], 5);
    assert_eq!(lines[2]["error"]["code"], "invalid_event");
}

#[test]
fn rules_in_every_format() {
    let text = selc(&["rules"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("R-VM-FAILOVER"));
    let json = selc(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), selc::rules::RULES.len());
    let md = selc(&["rules", "--format", "markdown"]);
    assert_eq!(
        String::from_utf8_lossy(&md.stdout),
        selc::rules::to_markdown()
    );
}

/// Without a terminal, progress is a line every tenth of the cases known; the
/// random cases of a time budget are not among them, and are counted alone
/// rather than as `N/M` with N past M.
#[test]
fn progress_on_a_time_budget_never_counts_past_its_total() {
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let out = selc(&[
        "verify",
        "--impl",
        &serve,
        "--no-exhaustive",
        "--time",
        "2s",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("selc verify: "))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("cases (random cases until the time budget ends)")),
        "{err}"
    );
    for l in &lines {
        let count = l.split(' ').next().unwrap_or_default();
        if let Some((done, total)) = count.split_once('/') {
            let (done, total): (u64, u64) = (done.parse().unwrap(), total.parse().unwrap());
            assert!(done <= total, "{l}");
        }
    }
}
