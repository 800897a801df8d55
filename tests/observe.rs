//! `--observe FILE.jsonl` on verify, fuzz and diff: every line is a
//! Hypothesis observability `test_case` with the fields docs/verify.md lists.

mod common;

use serde_json::Value;

fn serve() -> String {
    format!("{} serve", env!("CARGO_BIN_EXE_selc"))
}

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("selc-observe-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

const HOW: [&str; 7] = [
    "shipped",
    "exhaustive",
    "steered",
    "random",
    "invalid network",
    "envelope",
    "fuzzed",
];

/// Every field of the list, of its type.
fn check_line(l: &Value, command: &str) {
    assert_eq!(l["type"], "test_case", "{l}");
    assert!(l["run_start"].as_f64().is_some_and(|t| t > 1.6e9), "{l}");
    assert!(l["property"].as_str().is_some_and(|p| !p.is_empty()), "{l}");
    let status = l["status"].as_str().unwrap();
    assert!(["passed", "failed", "gave_up"].contains(&status), "{l}");
    let reason = l["status_reason"].as_str().unwrap();
    assert_eq!(status == "passed", reason.is_empty(), "{l}");
    assert!(
        l["representation"].as_str().is_some_and(|r| !r.is_empty()),
        "{l}"
    );
    assert!(l["arguments"]["case"].as_str().is_some(), "{l}");
    assert!(HOW.contains(&l["how_generated"].as_str().unwrap()), "{l}");
    assert!(l["features"].is_object(), "{l}");
    assert!(l.get("coverage").is_some_and(Value::is_null), "{l}");
    assert!(
        l["timing"]["execute:test"]
            .as_f64()
            .is_some_and(|t| t >= 0.0),
        "{l}"
    );
    let m = &l["metadata"];
    assert_eq!(m["command"], format!("selc {command}"), "{l}");
    assert!(
        m["seed"].as_u64().is_some() && m["index"].as_u64().is_some(),
        "{l}"
    );
    assert!(
        m["shard"].as_str().is_some() && m["case"].as_str().is_some(),
        "{l}"
    );
    assert_eq!(m["selc_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["model_digest"], selc::digest::model());
}

#[test]
fn verify_observes_every_case_of_every_part() {
    let d = temp("verify");
    let f = d.join("cases.jsonl");
    let o = common::selc([
        "verify",
        "--impl",
        &serve(),
        "--cases",
        "30",
        "--scope",
        "1x1",
        "--observe",
        f.to_str().unwrap(),
        "--report",
        d.join("r.json").to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ls = lines(&f);
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert_eq!(
        ls.len() as u64,
        report["cases"].as_u64().unwrap(),
        "one line per case"
    );
    for l in &ls {
        check_line(l, "verify");
        assert_eq!(l["status"], "passed");
    }
    let hows: std::collections::BTreeSet<&str> = ls
        .iter()
        .map(|l| l["how_generated"].as_str().unwrap())
        .collect();
    for how in [
        "shipped",
        "exhaustive",
        "steered",
        "invalid network",
        "envelope",
    ] {
        assert!(hows.contains(how), "{how} missing: {hows:?}");
    }
    assert!(ls.iter().any(|l| l["features"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.starts_with("rule R-"))));
    assert!(ls.iter().any(|l| l["features"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.starts_with("domain D-"))));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_failing_case_is_observed_failed_with_its_rules() {
    let d = temp("failing");
    let f = d.join("cases.jsonl");
    let broken = common::python_example("broken_r_restart.py");
    let o = common::selc([
        "verify",
        "--impl",
        &broken,
        "--cases",
        "300",
        "--no-golden",
        "--no-shrink",
        "--max-failures",
        "1",
        "--observe",
        f.to_str().unwrap(),
        "--save-failures",
        d.join("f").to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ls = lines(&f);
    ls.iter().for_each(|l| check_line(l, "verify"));
    let failed: Vec<&Value> = ls.iter().filter(|l| l["status"] == "failed").collect();
    assert!(!failed.is_empty());
    assert!(
        failed
            .iter()
            .all(|l| l["status_reason"].as_str().unwrap().contains("R-RESTART")),
        "{failed:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn fuzz_and_diff_observe_their_cases() {
    let d = temp("fuzz-diff");
    let f = d.join("fuzz.jsonl");
    let o = common::selc([
        "fuzz",
        "--impl",
        &serve(),
        "--inputs",
        "60",
        "--corpus",
        d.join("corpus").to_str().unwrap(),
        "--save-failures",
        d.join("f").to_str().unwrap(),
        "--observe",
        f.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ls = lines(&f);
    assert_eq!(ls.len(), 60);
    for l in &ls {
        check_line(l, "fuzz");
        assert_eq!(l["how_generated"], "fuzzed");
    }
    let f = d.join("diff.jsonl");
    let o = common::selc([
        "diff",
        "--impl",
        &serve(),
        "--impl",
        &serve(),
        "--cases",
        "20",
        "--scope",
        "1x1",
        "--observe",
        f.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ls = lines(&f);
    assert!(ls.len() > 20);
    ls.iter().for_each(|l| check_line(l, "diff"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn an_observe_file_that_cannot_be_written_is_refused_before_anything_runs() {
    let d = temp("bad");
    let report = d.join("r.json");
    let o = common::selc([
        "verify",
        "--impl",
        &serve(),
        "--cases",
        "5",
        "--observe",
        "/nonexistent/dir/cases.jsonl",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--observe /nonexistent/dir/cases.jsonl"));
    assert!(!report.exists(), "nothing ran");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn the_docs_pandas_one_liner_reads_the_fields_the_stream_has() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/verify.md")).unwrap();
    let line = doc
        .lines()
        .find(|l| l.contains("pd.read_json("))
        .expect("a pandas one-liner");
    assert!(line.contains("lines=True"));
    for field in ["how_generated", "status", "timing", "execute:test"] {
        assert!(line.contains(field), "{field}");
    }
}

/// A case that the run itself cuts short (its time limit, here while the
/// implementation hangs) is neither passed nor failed: it is `gave_up`.
#[test]
fn a_case_the_run_cuts_short_is_observed_as_gave_up() {
    let d = temp("cut");
    let f = d.join("fuzz.jsonl");
    let hang = format!(
        "{} {} hang",
        selc::impls::default::python_or_fail(),
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/hostile/hostile_impl.py")
            .display()
    );
    let o = common::selc([
        "fuzz",
        "--impl",
        &hang,
        "--time",
        "3s",
        "--timeout",
        "60000",
        "--corpus",
        d.join("corpus").to_str().unwrap(),
        "--save-failures",
        d.join("failures").to_str().unwrap(),
        "--observe",
        f.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}");
    let ls = lines(&f);
    ls.iter().for_each(|l| check_line(l, "fuzz"));
    let last = ls.last().expect("a line");
    assert_eq!(last["status"], "gave_up", "{last}");
    assert!(
        last["status_reason"]
            .as_str()
            .unwrap()
            .starts_with("cut short by the run: "),
        "{last}"
    );
    assert!(ls.iter().all(|l| l["status"] != "failed"));
    let _ = std::fs::remove_dir_all(&d);
}

/// `selc verify` with a wall-clock cap that falls while the implementation
/// hangs: the case cut short is observed `gave_up`, and is not counted among
/// the report's cases (it neither passed nor failed).
#[test]
fn verify_does_not_count_a_case_its_time_limit_cuts_short() {
    let d = temp("verify-cut");
    let f = d.join("cases.jsonl");
    let hang = format!(
        "{} {} hang",
        selc::impls::default::python_or_fail(),
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/hostile/hostile_impl.py")
            .display()
    );
    let o = common::selc([
        "verify",
        "--impl",
        &hang,
        "--time-limit",
        "4",
        "--timeout",
        "60000",
        "--no-golden",
        "--no-exhaustive",
        "--observe",
        f.to_str().unwrap(),
        "--report",
        d.join("r.json").to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    let ls = lines(&f);
    ls.iter().for_each(|l| check_line(l, "verify"));
    let last = ls.last().expect("a line");
    assert_eq!(last["status"], "gave_up", "{last}\n{text}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert_eq!(
        report["cases"].as_u64().unwrap(),
        ls.iter().filter(|l| l["status"] != "gave_up").count() as u64,
        "{text}"
    );
    assert!(report["failures"].as_array().unwrap().is_empty(), "{text}");
    let _ = std::fs::remove_dir_all(&d);
}
