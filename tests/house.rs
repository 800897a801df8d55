//! One run, one judge, one report: what `selc verify` promises about how a run
//! ends and how it is reported, whatever the implementation does: an
//! interrupted run loses nothing and leaves nothing running; no Rust `Debug`
//! reaches a user; failures of one bug are counted as one.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("selc-house-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The pids of running processes whose command line holds `needle`.
fn running_with(needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = e.file_name().to_string_lossy().into_owned();
        if !pid.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        // A zombie has an empty command line: it is not running. selc's own
        // command line names the program too: it is not the program.
        let cmd = String::from_utf8_lossy(&cmd);
        if cmd.contains(needle) && !cmd.contains("verify") {
            out.push(pid);
        }
    }
    out
}

/// SIGINT in the middle of a default run: the run stops at once, every
/// program it started is ended, every report asked for is written and marked
/// interrupted with what was done, no failure is printed, and the exit status
/// is 130.
#[test]
fn sigint_during_a_default_run_leaves_interrupted_reports_and_nothing_running() {
    let d = dir("sigint");
    // The bundled example under a name of this test's own, to find its processes.
    let script = d.join("impl-under-sigint.py");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/impls/python/selc_impl.py"),
        &script,
    )
    .unwrap();
    let imp = format!(
        "{} {}",
        selc::impls::default::python_or_fail(),
        script.display()
    );
    let (report, junit, html) = (d.join("r.json"), d.join("j.xml"), d.join("h"));
    let child = Command::new(env!("CARGO_BIN_EXE_selc"))
        .args(["verify", "--impl", &imp, "--jobs", "2"])
        .arg(format!("--report={}", report.display()))
        .arg(format!("--junit={}", junit.display()))
        .arg(format!("--html={}", html.display()))
        .arg(format!("--save-failures={}", d.join("failures").display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Into the exhaustive part, with both programs answering.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        running_with("impl-under-sigint.py").len(),
        2,
        "both workers' programs run"
    );
    let sent = Instant::now();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "took {:?}",
        sent.elapsed()
    );
    // `FAIL random case 3 — ...` on stdout, `FAIL random case 3: ...` on
    // stderr (R-VM-FAILOVER in the table is no failure).
    assert!(!stdout.contains("FAIL "), "{stdout}");
    assert!(!stderr.contains("FAIL "), "{stderr}");
    assert!(stdout.contains("INTERRUPTED"), "{stdout}");
    assert!(
        running_with("impl-under-sigint.py").is_empty(),
        "left running"
    );
    let r = json(&report);
    assert_eq!(r["interrupted"], true);
    assert_eq!(r["compliant"], false);
    assert_eq!(r["failures"], serde_json::json!([]));
    assert!(
        r["cases"].as_u64().unwrap() > 100,
        "what was done: {}",
        r["cases"]
    );
    assert!(r["stopped"].as_str().unwrap().contains("interrupted"));
    let x = std::fs::read_to_string(&junit).unwrap();
    assert!(x.contains("interrupted"), "{x}");
    let page = std::fs::read_to_string(html.join("index.html")).unwrap();
    assert!(page.contains("INTERRUPTED"));
}

/// Nothing a broken example makes selc print, write as JSON or render as HTML
/// holds Rust's `Debug` spelling of an option.
#[test]
fn no_broken_example_output_holds_a_debug_option() {
    for (file, _, mode) in common::BROKEN {
        let d = dir(file);
        let (report, html) = (d.join("r.json"), d.join("h"));
        let out = common::selc([
            "verify",
            "--impl",
            &common::python_example(file),
            "--mode",
            mode.as_str(),
            "--cases",
            "300",
            "--max-failures",
            "3",
            &format!("--report={}", report.display()),
            &format!("--junit={}", d.join("j.xml").display()),
            &format!("--html={}", html.display()),
            &format!("--save-failures={}", d.join("failures").display()),
        ]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let mut texts = vec![
            ("stdout", String::from_utf8_lossy(&out.stdout).into_owned()),
            ("stderr", String::from_utf8_lossy(&out.stderr).into_owned()),
            ("report", std::fs::read_to_string(&report).unwrap()),
            ("junit", std::fs::read_to_string(d.join("j.xml")).unwrap()),
        ];
        for page in std::fs::read_dir(&html).unwrap().flatten() {
            let name = page.file_name().to_string_lossy().into_owned();
            texts.push((
                "a page",
                std::fs::read_to_string(page.path()).unwrap() + &name,
            ));
        }
        for (what, text) in texts {
            for debug in ["Some(", "None"] {
                assert!(
                    !text.contains(debug),
                    "{file}: {what} holds {debug}: …{}…",
                    around(&text, debug)
                );
            }
        }
    }
    // `selc bench` names the step of a wrong answer as a step.
    let d = dir("bench");
    let out = common::selc([
        "bench",
        "--impl",
        &common::python_example("broken_r_total.py"),
        "--sizes",
        "2,32",
        "--events",
        "300",
        &format!("--out={}", d.display()),
    ]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned()
        + &std::fs::read_to_string(d.join("bench.json")).unwrap_or_default();
    assert!(!text.contains("None") && !text.contains("Some("), "{text}");
}

fn around<'a>(text: &'a str, what: &str) -> &'a str {
    let at = text.find(what).unwrap_or(0);
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(80)
        .map_or(0, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .nth(80)
        .map_or(text.len(), |(i, _)| at + i);
    &text[start..end]
}

/// The restart bug of `broken_r_restart.py` shows in two ways, on a restart
/// (R-RESTART) and on an upgrade (R-UPGRADE, which restarts): however many
/// cases fail, the report counts two distinct failures, each with its
/// smallest counterexample first.
#[test]
fn failures_of_one_bug_are_grouped_as_one() {
    let d = dir("groups");
    let report = d.join("r.json");
    let out = common::selc([
        "verify",
        "--impl",
        &common::python_example("broken_r_restart.py"),
        "--cases",
        "120",
        "--no-golden",
        "--max-failures",
        "1000",
        &format!("--report={}", report.display()),
        &format!("--junit={}", d.join("j.xml").display()),
        &format!("--html={}", d.join("h").display()),
        &format!("--save-failures={}", d.join("failures").display()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&report);
    let failures = r["failures"].as_array().unwrap();
    let groups = r["groups"].as_array().unwrap();
    assert!(failures.len() >= 10, "{} failures", failures.len());
    assert_eq!(groups.len(), 2, "{:#}", r["groups"]);
    let mut seen = vec![0; failures.len()];
    for g in groups {
        let members = g["failures"].as_array().unwrap();
        assert_eq!(g["count"].as_u64().unwrap() as usize, members.len());
        let size = |i: &serde_json::Value| {
            let f = &failures[i.as_u64().unwrap() as usize];
            f["size"]["systems"].as_u64().unwrap() + f["size"]["events"].as_u64().unwrap()
        };
        assert!(
            members.iter().all(|m| size(&members[0]) <= size(m)),
            "smallest first"
        );
        for m in members {
            let f = &failures[m.as_u64().unwrap() as usize];
            assert_eq!(f["signature"], g["signature"]);
            seen[m.as_u64().unwrap() as usize] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n == 1), "each failure in one group");
    let events: Vec<&str> = groups
        .iter()
        .map(|g| g["signature"]["event"].as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"restart") && events.contains(&"upgrade"),
        "{events:?}"
    );
    let line = format!("2 distinct failures in {} failing cases", failures.len());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&line), "{stdout}");
    assert!(std::fs::read_to_string(d.join("j.xml"))
        .unwrap()
        .contains(&line));
    assert!(std::fs::read_to_string(d.join("h/index.html"))
        .unwrap()
        .contains(&line));
}
