//! `selc verify` end to end: the bundled Python examples (the correct one passes
//! in both modes, each broken one fails naming its rule with a small shrunk case),
//! and the harness against misbehaving programs.

mod common;

use selc::rules::RuleId;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use selc::check::Mode;
use selc::impls::process::Process;
use selc::impls::Driven;
use selc::scenario::Scenario;
use selc::verify::{run_case, verify, Quiet, VerifyConfig};

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("selc-verify-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn the_correct_python_example_passes_in_both_modes() {
    for mode in [Mode::Rules, Mode::Strict] {
        let mut imp = Process::new(
            &common::python_example("selc_impl.py"),
            Duration::from_secs(10),
        );
        imp.hello().unwrap();
        let config = VerifyConfig {
            mode,
            cases: 120,
            ..VerifyConfig::default()
        };
        let s = verify(&mut imp, &config, None, &mut Quiet);
        let failures = selc::report::terminal::failures_text(&s);
        assert!(s.compliant(), "{mode:?}:\n{failures}");
        assert!(s.events > 1000, "{} events", s.events);
    }
}

#[test]
fn each_broken_python_example_fails_naming_its_rule() {
    for (file, rule, mode) in common::BROKEN {
        let mut imp = Process::new(&common::python_example(file), Duration::from_secs(10));
        imp.hello().unwrap();
        // Random cases only, so that shrinking is exercised.
        let config = VerifyConfig {
            mode,
            golden: false,
            max_failures: 1,
            ..VerifyConfig::default()
        };
        let dir = tmp(file);
        let s = verify(&mut imp, &config, Some(&dir), &mut Quiet);
        assert!(!s.compliant(), "{file} passed");
        let f = &s.failures[0];
        // An upgrade is a restart (R-UPGRADE), so the restart bug may show as either.
        let also = if rule == RuleId::Restart {
            RuleId::Upgrade
        } else {
            rule
        };
        assert!(
            f.step.rules.contains(&rule) || f.step.rules.contains(&also),
            "{file}: expected {rule}, got {:?}",
            f.step.rules
        );
        assert!(
            f.size.0 <= 4 && f.size.1 <= 6,
            "{file}: shrunk only to {:?}",
            f.size
        );
        // The saved case replays against the implementation, and is a valid
        // golden file the reference passes.
        let saved = f.saved.clone().expect("saved");
        let text = std::fs::read_to_string(&saved).unwrap();
        let scenario = Scenario::from_json_str(&text).unwrap();
        assert!(selc::run::passed(
            &selc::run::run_scenario(&scenario).unwrap()
        ));
        let replay = run_case(&mut imp, &scenario, mode);
        assert!(
            replay
                .failure
                .is_some_and(|r| r.rules.contains(&rule) || r.rules.contains(&also)),
            "{file}: replay passed"
        );
    }
}

#[test]
fn the_order_variant_is_lawful_in_rules_mode() {
    let mut imp = Process::new(
        &common::python_example("broken_r_order.py"),
        Duration::from_secs(10),
    );
    imp.hello().unwrap();
    let s = verify(
        &mut imp,
        &VerifyConfig {
            cases: 120,
            ..VerifyConfig::default()
        },
        None,
        &mut Quiet,
    );
    assert!(
        s.compliant(),
        "{:?}",
        s.failures
            .first()
            .map(|f| selc::report::terminal::failure_text(f, None))
    );
}

fn tiny() -> Scenario {
    Scenario::from_json_str(
        r#"{"protocol": 1, "network": {"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1"}]},
            "events": [{"advance": {"seconds": 1}}]}"#,
    )
    .unwrap()
}

fn misbehave(script: &str, timeout_ms: u64) -> selc::verify::CaseRun {
    let mut imp = Process::new(script, Duration::from_millis(timeout_ms));
    run_case(&mut imp, &tiny(), Mode::Rules)
}

fn assert_harness_failure(script: &str, timeout_ms: u64, message: &str) {
    let run = misbehave(script, timeout_ms);
    let f = run
        .failure
        .unwrap_or_else(|| panic!("{script}: no failure"));
    assert_eq!(f.rules, [RuleId::Total], "{script}");
    assert!(f.message.contains(message), "{script}: {}", f.message);
    assert_eq!(f.request["op"], "load", "{script}");
}

#[test]
fn a_crash_is_a_failure_with_the_last_stderr_lines() {
    let run = misbehave("read l; echo 'about to fail' >&2; exit 3", 2000);
    let f = run.failure.unwrap();
    assert_eq!(f.rules, [RuleId::Total]);
    assert!(f.message.contains("exited"), "{}", f.message);
    assert_eq!(f.stderr, ["about to fail"]);
}

#[test]
fn a_hang_times_out() {
    let start = std::time::Instant::now();
    assert_harness_failure("sleep 30", 300, "no response within 300 ms");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn output_that_is_not_json_or_of_the_wrong_shape_fails() {
    assert_harness_failure("while read l; do echo nope; done", 2000, "not JSON");
    assert_harness_failure(
        r#"while read l; do echo '{"ok":true}'; done"#,
        2000,
        "no snapshot",
    );
    assert_harness_failure(
        r#"while read l; do echo '{"ok":true,"snapshot":{"now":0}}'; done"#,
        2000,
        "snapshot",
    );
    assert_harness_failure(
        r#"while read l; do echo '{"ok":false,"error":{"code":"bad_request","message":"?"}}'; done"#,
        2000,
        "bad_request",
    );
}

#[test]
fn a_line_over_16_mib_fails_without_exhausting_memory() {
    assert_harness_failure(
        "read l; head -c 17000000 /dev/zero | tr '\\0' x; echo",
        10_000,
        "longer than",
    );
}

#[test]
fn a_stderr_flood_neither_blocks_nor_floods_the_report() {
    let run = misbehave("yes flooding >&2 & read l; sleep 1; kill $!; exit 1", 5000);
    let f = run.failure.unwrap();
    assert!(
        f.stderr.len() <= 20 && !f.stderr.is_empty(),
        "{}",
        f.stderr.len()
    );
}

#[test]
fn a_wrong_protocol_version_is_refused_at_hello() {
    let mut imp = Process::new(
        r#"read l; echo '{"ok":true,"name":"old","protocol":2}'"#,
        Duration::from_secs(2),
    );
    let e = imp.hello().unwrap_err();
    assert!(e.to_string().contains("protocol 2"), "{e}");
}

#[test]
fn the_program_is_restarted_for_the_next_case() {
    let mark = tmp("restart-mark");
    let serve = env!("CARGO_BIN_EXE_selc");
    let script = format!(
        "if [ -e {m} ]; then exec {serve} serve; else touch {m}; exit 1; fi",
        m = mark.display()
    );
    let mut imp = Process::new(&script, Duration::from_secs(5));
    assert!(run_case(&mut imp, &tiny(), Mode::Rules).failure.is_some());
    assert!(run_case(&mut imp, &tiny(), Mode::Rules).failure.is_none());
    let _ = std::fs::remove_file(&mark);
}

#[test]
fn shards_together_cover_one_run() {
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let run = |shard| {
        let mut imp = Process::new(&serve, Duration::from_secs(5));
        let config = VerifyConfig {
            cases: 30,
            shard,
            ..VerifyConfig::default()
        };
        verify(&mut imp, &config, None, &mut Quiet)
    };
    let whole = run(selc::verify::Shard::WHOLE);
    let parts: Vec<_> = (1..=3)
        .map(|i| run(selc::verify::Shard::new(i, 3).unwrap()))
        .collect();
    assert_eq!(parts.iter().map(|p| p.cases).sum::<u64>(), whole.cases);
    assert_eq!(parts.iter().map(|p| p.events).sum::<u64>(), whole.events);
    assert!(whole.compliant());
}

#[test]
fn the_cli_writes_reports_and_exits_by_verdict() {
    let dir = tmp("cli");
    std::fs::create_dir_all(&dir).unwrap();
    let (json, junit) = (dir.join("r.json"), dir.join("r.xml"));
    let out = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args([
            "verify",
            "--impl",
            &common::python_example("broken_r_restart.py"),
            "--cases",
            "60",
        ])
        .arg("--report")
        .arg(&json)
        .arg("--junit")
        .arg(&junit)
        .arg("--save-failures")
        .arg(dir.join("failures"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("NOT COMPLIANT"), "{stdout}");
    assert!(stdout.contains("replay: selc run --impl"), "{stdout}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["compliant"], false);
    assert_eq!(report["mode"], "rules");
    assert!(report["rerun"]
        .as_str()
        .unwrap()
        .starts_with("selc verify --impl"));
    assert!(report["failures"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == RuleId::Restart.as_str()));
    let xml = std::fs::read_to_string(&junit).unwrap();
    // One test case per rule a case exercised (the Ant schema has no
    // `skipped`: the others are named in a property).
    let never = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["exercised"] == 0 && c["failed"] == 0)
        .count();
    assert_eq!(
        xml.matches("<testcase ").count(),
        selc::rules::RULES.len() - never
    );
    assert!(
        xml.contains(&format!(r#"name="{}" time="0"><failure"#, RuleId::Restart)),
        "{xml}"
    );
    // Replay of a saved failure with `selc run --impl`.
    let saved = report["failures"][0]["scenario_file"].as_str().unwrap();
    let replay = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args([
            "run",
            "--impl",
            &common::python_example("broken_r_restart.py"),
            saved,
        ])
        .output()
        .unwrap();
    assert_eq!(replay.status.code(), Some(1));
    // The correct example is compliant: exit 0.
    let ok = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args([
            "verify",
            "--impl",
            &common::python_example("selc_impl.py"),
            "--cases",
            "20",
        ])
        .output()
        .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    // A command that cannot start is a harness error: exit 2.
    let bad = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(["verify", "--impl", "/nonexistent/impl", "--cases", "1"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// The bundled example writes its answers in batches (docs/protocol.md,
/// section 5): whatever it has read is answered before it waits for more, a
/// request split across reads is answered once whole, and the end of input
/// after a newline is not taken for one more (empty) request.
#[test]
fn the_python_example_answers_what_it_has_read_before_it_waits() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(common::python_example("selc_impl.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the Python example");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let next = || rx.recv_timeout(Duration::from_secs(10));
    let mut send = |bytes: &[u8]| {
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(Duration::from_millis(50));
    };
    send(b"{\"op\":\"hel");
    send(b"lo\",\"protocol\":1}\n{\"op\":\"snap");
    // The hello is answered while the next request is still half written.
    assert!(next().expect("the hello answer").contains("python-example"));
    send(b"shot\"}\n");
    assert!(next()
        .expect("the snapshot answer")
        .contains("no case loaded"));
    send(b"{\"op\":\"snapshot\"}\n");
    drop(stdin);
    assert!(next().expect("the last answer").contains("no case loaded"));
    assert!(child.wait().unwrap().success());
    // Nothing for the end of the input.
    assert_eq!(next().ok(), None);
}
