//! `selc report merge`: the merged report of N shards equals the report of one
//! unsharded run with the same seed and cases, timings aside; shards that
//! conflict, are missing or are given twice are refused, naming why.

mod common;

use std::path::{Path, PathBuf};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("selc-merge-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `selc verify` with `args`, its report written to `report`.
fn verify(imp: &str, args: &[&str], report: &Path, failures: &Path) -> i32 {
    let report = format!("--report={}", report.display());
    let failures = format!("--save-failures={}", failures.display());
    let mut all = vec!["verify", "--impl", imp, &report, &failures];
    all.extend_from_slice(args);
    common::selc(all).status.code().unwrap_or(-1)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A report with its timings taken out.
fn timeless(mut v: serde_json::Value) -> serde_json::Value {
    v["seconds"] = serde_json::Value::Null;
    v["started"] = serde_json::Value::Null;
    v
}

fn shards_merge_into_the_unsharded_report(imp: &str, args: &[&str], expect_exit: i32) {
    let d = dir(&args.join("").replace(['-', ' ', '/'], ""));
    let failures = d.join("failures");
    let whole = d.join("whole.json");
    let shard_args = |s: &str| {
        let mut a = args.to_vec();
        a.extend(["--shard", s].iter().copied());
        a.iter().map(|x| x.to_string()).collect::<Vec<_>>()
    };
    let code = |s: &str, out: &Path| {
        let a = shard_args(s);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        verify(imp, &a, out, &failures)
    };
    assert_eq!(code("1/1", &whole), expect_exit);
    let parts: Vec<PathBuf> = (1..=3).map(|i| d.join(format!("shard-{i}.json"))).collect();
    for (i, p) in parts.iter().enumerate() {
        code(&format!("{}/3", i + 1), p);
    }
    let merged = d.join("merged.json");
    let junit = d.join("merged.xml");
    let mut a = vec![
        "report".to_string(),
        "merge".into(),
        format!("--out={}", merged.display()),
        format!("--junit={}", junit.display()),
    ];
    // Given out of order: the order of the files does not matter.
    a.extend(parts.iter().rev().map(|p| p.display().to_string()));
    let out = common::selc(&a);
    assert_eq!(
        out.status.code(),
        Some(expect_exit),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(timeless(json(&merged)), timeless(json(&whole)));
    assert!(std::fs::read_to_string(junit)
        .unwrap()
        .contains("<testsuite"));
}

#[test]
fn the_merge_of_shards_is_the_unsharded_report() {
    for (imp, args, exit) in runs() {
        shards_merge_into_the_unsharded_report(&imp, args, exit);
    }
}

/// A compliant run (the reference, with an exhaustive scope) and a failing one
/// (a broken example, not shrunk, never stopped early): implementation, flags,
/// exit status.
fn runs() -> [(String, &'static [&'static str], i32); 2] {
    [
        (
            format!("{} serve", env!("CARGO_BIN_EXE_selc")),
            &["--cases", "40", "--scope", "1x1"],
            0,
        ),
        (
            common::python_example("broken_r_restart.py"),
            &[
                "--cases",
                "40",
                "--no-golden",
                "--no-shrink",
                "--max-failures",
                "1000",
            ],
            1,
        ),
    ]
}

#[test]
fn conflicting_missing_and_repeated_shards_are_refused() {
    let d = dir("refused");
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let f = d.join("failures");
    let (s1, s2, s2b, other) = (
        d.join("1.json"),
        d.join("2.json"),
        d.join("2b.json"),
        d.join("o.json"),
    );
    verify(&serve, &["--cases", "6", "--shard", "1/2"], &s1, &f);
    verify(&serve, &["--cases", "6", "--shard", "2/2"], &s2, &f);
    verify(&serve, &["--cases", "6", "--shard", "2/2"], &s2b, &f);
    verify(
        &serve,
        &["--cases", "6", "--shard", "2/2", "--seed", "7"],
        &other,
        &f,
    );
    let merged = d.join("m.json");
    let run = |files: &[&Path]| {
        let mut a = vec![
            "report".to_string(),
            "merge".into(),
            format!("--out={}", merged.display()),
        ];
        a.extend(files.iter().map(|p| p.display().to_string()));
        let out = common::selc(&a);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(&[&s1, &other]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("`seed`") && err.contains("o.json") && err.contains("1.json"),
        "{err}"
    );
    let (code, err) = run(&[&s1]);
    assert_eq!(code, Some(2));
    assert!(err.contains("shard 2/2 is missing"), "{err}");
    let (code, err) = run(&[&s1, &s2, &s2b]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("given twice") && err.contains("2b.json"),
        "{err}"
    );
    assert!(
        !merged.exists(),
        "nothing is written when the merge is refused"
    );
    let (code, _) = run(&[&s1, &s2]);
    assert_eq!(code, Some(0));
    // Not a report at all: the file and the field are named.
    std::fs::write(d.join("bad.json"), r#"{"seed": "x"}"#).unwrap();
    let (code, err) = run(&[&d.join("bad.json")]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("bad.json") && err.contains("not a selc verify report"),
        "{err}"
    );
}

/// `--jobs 2`: the same cases dealt to two processes give the report of one.
#[test]
fn two_jobs_give_the_report_of_one() {
    for (imp, args, exit) in runs() {
        let imp = &imp;
        let d = dir(&format!("jobs-{exit}"));
        let failures = d.join("failures");
        let reports: Vec<serde_json::Value> = ["1", "2"]
            .iter()
            .map(|jobs| {
                let out = d.join(format!("jobs-{jobs}.json"));
                let mut a = args.to_vec();
                a.extend(["--jobs", jobs]);
                assert_eq!(verify(imp, &a, &out, &failures), exit, "--jobs {jobs}");
                timeless(json(&out))
            })
            .collect();
        assert_eq!(reports[0], reports[1], "{imp}");
        assert_eq!(reports[0]["compliant"], exit == 0);
    }
}

/// `--jobs` with `--shard`: the workers share out the cases of the shard asked
/// for, as they go, and the report is that of one worker on that shard.
#[test]
fn jobs_within_a_shard_give_the_report_of_one_worker_on_it() {
    for (imp, args, exit) in runs() {
        let imp = &imp;
        let d = dir(&format!("jobs-shard-{exit}"));
        let failures = d.join("failures");
        let reports: Vec<serde_json::Value> = ["1", "2", "3"]
            .iter()
            .map(|jobs| {
                let out = d.join(format!("jobs-{jobs}.json"));
                let mut a = args.to_vec();
                a.extend(["--jobs", jobs, "--shard", "2/3"]);
                assert_eq!(verify(imp, &a, &out, &failures), exit, "--jobs {jobs}");
                timeless(json(&out))
            })
            .collect();
        assert_eq!(reports[0], reports[1], "{imp}");
        assert_eq!(reports[0], reports[2], "{imp}");
        assert_eq!(reports[0]["shard"], "2/3");
        assert!(reports[0]["rerun"]
            .as_str()
            .unwrap()
            .contains("--shard 2/3"));
    }
}
