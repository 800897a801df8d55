//! `selc verify` against hostile implementations (issue: the harness survives
//! any implementation): each program of tests/hostile/hostile_impl.py speaks the
//! protocol until one request, then misbehaves. Every run must end within its
//! bound with the right exit status and a report, and leave no process behind.
//!
//! The per-request timeout is `SELC_HOSTILE_TIMEOUT_MS` (default 1000, so that
//! the suite stays short); docs/verify.md gives the bounds measured with 5000.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn timeout_ms() -> u64 {
    std::env::var("SELC_HOSTILE_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// The bound of a run: five timeouts (the stop rule), the run-wide budget for
/// shrinking harness failures (10 s), restarts, and wide slack for a loaded
/// machine: this checks that the run ends (before this work, such runs went on
/// for many minutes), not how fast; scripts/hostile.sh measures the times.
fn bound() -> Duration {
    Duration::from_millis(5 * timeout_ms()) + Duration::from_secs(60)
}

fn dir(mode: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("selc-hostile-{}-{mode}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Processes whose environment holds `tag` (the program and anything it
/// spawned), zombies aside.
fn survivors(tag: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let p = e.path();
        if !p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .chars()
            .all(|c| c.is_ascii_digit())
        {
            continue;
        }
        let Ok(env) = std::fs::read(p.join("environ")) else {
            continue;
        };
        let zombie = std::fs::read_to_string(p.join("stat"))
            .map(|s| {
                s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(true);
        if !zombie && env.windows(tag.len()).any(|w| w == tag.as_bytes()) {
            let cmd = std::fs::read(p.join("cmdline")).unwrap_or_default();
            found.push(format!(
                "{}: {}",
                p.display(),
                String::from_utf8_lossy(&cmd).replace('\0', " ")
            ));
        }
    }
    found
}

struct Ran {
    code: Option<i32>,
    elapsed: Duration,
    report: serde_json::Value,
    junit: String,
    stdout: String,
}

fn run(mode: &str) -> Ran {
    run_as(&["verify", "--cases", "50"], mode)
}

/// `selc fuzz` gets what `selc verify` gets: bounded time, no process left
/// behind, a report for every outcome.
fn fuzz(mode: &str) -> Ran {
    run_as(&["fuzz", "--inputs", "50", "--time", "60s"], mode)
}

fn run_as(verb: &[&str], mode: &str) -> Ran {
    let python = selc::impls::default::python_or_fail();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/hostile_impl.py");
    let tag = format!("SELC_HOSTILE_TAG={}-{}-{mode}", std::process::id(), verb[0]);
    let d = dir(&format!("{}-{mode}", verb[0]));
    let command = format!("env {tag} {python} {} {mode}", script.display());
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(verb)
        .args(["--impl", &command, "--timeout"])
        .arg(timeout_ms().to_string())
        .arg("--report")
        .arg(d.join("r.json"))
        .arg("--junit")
        .arg(d.join("r.xml"))
        .arg("--save-failures")
        .arg(d.join("failures"))
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let left = survivors(&tag);
    assert!(
        left.is_empty(),
        "{mode}: processes left behind:\n{}",
        left.join("\n")
    );
    assert!(
        elapsed < bound(),
        "{mode}: took {elapsed:?}, over its bound of {:?}\n{stdout}\n{stderr}",
        bound()
    );
    let report = std::fs::read_to_string(d.join("r.json"))
        .unwrap_or_else(|e| panic!("{mode}: no JSON report ({e})\n{stdout}\n{stderr}"));
    let junit = std::fs::read_to_string(d.join("r.xml"))
        .unwrap_or_else(|e| panic!("{mode}: no JUnit report ({e})"));
    Ran {
        code: out.status.code(),
        elapsed,
        report: serde_json::from_str(&report).unwrap(),
        junit,
        stdout,
    }
}

/// A run that must end NOT COMPLIANT (exit 1) with its first failure saying `why`.
fn fails_with(mode: &str, why: &str) -> Ran {
    judged(run(mode), mode, why)
}

fn judged(r: Ran, mode: &str, why: &str) -> Ran {
    assert_eq!(r.code, Some(1), "{mode}: {}", r.stdout);
    assert_eq!(r.report["compliant"], false, "{mode}");
    let first = &r.report["failures"][0];
    let text = format!("{} {}", first["message"], first["harness_error"]);
    assert!(text.contains(why), "{mode}: expected {why:?} in {text}");
    assert!(r.junit.contains("<failure"), "{mode}: {}", r.junit);
    eprintln!("{mode}: exit 1 after {:.1?}", r.elapsed);
    r
}

#[test]
fn a_program_that_hangs_is_stopped() {
    let r = fails_with("hang", "no response within");
    // It answers the load and hangs at an event: the answers it gave before
    // hanging reach the harness (they are held back from waking it only while
    // more are coming), so the timeout is at that event, not at the load.
    for f in r.report["failures"].as_array().expect("failures") {
        assert!(
            !f["step"].is_null(),
            "answers before the hang were lost: {f}"
        );
    }
    assert!(
        r.report["stopped"]
            .as_str()
            .is_some_and(|s| s.contains("stopped answering")),
        "{}",
        r.report["stopped"]
    );
}

#[test]
fn a_program_that_answers_after_the_timeout() {
    let r = fails_with("late", "no response within");
    // It also starts slowly, more slowly than the timeout shrinking uses (20
    // times its usual latency, at least 200 ms): every failure must still be
    // the late answer to an event, never a timeout at the load.
    let failures = r.report["failures"].as_array().expect("failures");
    for f in failures {
        assert!(
            !f["step"].is_null(),
            "a slow start taken for the failure: {f}"
        );
    }
}

#[test]
fn a_program_that_writes_no_newline_then_hangs() {
    fails_with("no-newline", "no response within");
}

#[test]
fn a_program_that_closes_stdout_but_lives() {
    let r = fails_with("close-stdout", "closed its output");
    // It failed at once, not after a timeout.
    assert!(!r.report["failures"][0]["message"]
        .as_str()
        .unwrap()
        .contains("no response"),);
}

#[test]
fn a_program_that_spawns_a_child_then_hangs() {
    fails_with("spawn-hang", "no response within");
}

#[test]
fn a_program_that_crashes_on_load() {
    let r = fails_with("crash-on-load", "exited");
    assert!(r.report["failures"][0]["stderr"]
        .to_string()
        .contains("cannot load"));
}

#[test]
fn a_program_that_crashes_midway() {
    fails_with("crash-mid", "exited");
}

#[test]
fn a_program_that_writes_garbage() {
    fails_with("garbage", "not JSON");
}

#[test]
fn a_program_that_answers_the_wrong_shape() {
    fails_with("wrong-shape", "snapshot");
}

#[test]
fn a_program_that_writes_a_line_over_16_mib() {
    fails_with("huge-line", "longer than");
}

#[test]
fn a_program_that_writes_other_than_utf8() {
    fails_with("not-utf8", "not UTF-8");
}

#[test]
fn a_program_that_answers_twice() {
    fails_with("two-answers", "");
}

#[test]
fn a_program_of_another_protocol_version_still_gets_a_report() {
    let r = run("wrong-version");
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(
        r.report["error"]
            .as_str()
            .is_some_and(|e| e.contains("protocol 2")),
        "{}",
        r.report
    );
    assert_eq!(r.report["compliant"], false);
    assert!(r.junit.contains("<error"), "{}", r.junit);
}

#[test]
fn a_program_that_cannot_start_still_gets_a_report() {
    let d = dir("cannot-start");
    let report = format!("--report={}", d.join("r.json").display());
    let junit = format!("--junit={}", d.join("r.xml").display());
    let out = common::selc(["verify", "--impl=/nonexistent/impl", &report, &junit]);
    assert_eq!(out.status.code(), Some(2));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert!(report["error"].is_string(), "{report}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("selc verify: error:"));
}

#[test]
fn a_program_that_floods_stderr_is_judged_on_its_answers() {
    // Otherwise correct: the flood must neither block the run nor fail it.
    let r = run("flood-stderr");
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    assert_eq!(r.report["compliant"], true);
}

#[test]
fn selc_fuzz_stops_a_program_that_hangs() {
    judged(fuzz("hang"), "hang", "no response within");
}

#[test]
fn selc_fuzz_survives_a_program_that_crashes_midway() {
    judged(fuzz("crash-mid"), "crash-mid", "exited");
}

#[test]
fn selc_fuzz_survives_a_program_that_spawns_a_child_then_hangs() {
    judged(fuzz("spawn-hang"), "spawn-hang", "no response within");
}
