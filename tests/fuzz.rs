//! Fuzzing an implementation (docs/fuzzing.md): the in-process entry point
//! judges as `selc verify` does; `selc fuzz` finds a broken program, saves a
//! divergence that replays, keeps and resumes its corpus, and refuses bad
//! options naming them.

mod common;

#[allow(dead_code, unused_imports)]
#[path = "../examples/rust_implementation.rs"]
mod example;

use selc::check::Mode;
use selc::fuzz::{judge_scenario, Options, Outcome};
use selc::scenario::Scenario;

fn shipped() -> Vec<(String, Scenario)> {
    selc::golden::scenarios()
        .iter()
        .map(|(p, t)| (p.to_string(), Scenario::from_json_str(t).unwrap()))
        .collect()
}

/// On every shipped scenario, `selc::fuzz` comes to the verdict `selc
/// verify`'s `run_case` comes to, rule for rule, against the correct engine
/// and the broken one (R-RESTART).
#[test]
fn the_fuzz_entry_point_judges_as_verify_does_on_the_shipped_scenarios() {
    let options = Options {
        mode: Mode::Rules,
        save_to: None,
        stats_every: 0,
        shrink: std::time::Duration::from_millis(200),
    };
    let mut diverged = 0;
    for bug in [example::Bug::None, example::Bug::RestartIgnored] {
        for (path, s) in shipped() {
            let verify = selc::verify::run_case(&mut example::driven(bug), &s, Mode::Rules);
            let fuzz = judge_scenario(&mut example::driven(bug), &s, &options);
            match (&verify.failure, &fuzz) {
                (None, Outcome::Agreed) => {}
                (Some(v), Outcome::Diverged(f)) => {
                    // Shrinking keeps the first rule.
                    assert_eq!(v.rules[0], f.step.rules[0], "{path}");
                    diverged += 1;
                }
                (v, f) => panic!("{path} ({bug:?}): verify {v:?}, fuzz {f:?}"),
            }
        }
    }
    assert!(
        diverged > 0,
        "the broken engine diverged on no shipped scenario"
    );
}

fn out_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("selc-fuzz-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `selc fuzz` finds a broken program (a restart while down ignored),
/// stops at the first divergence, shrinks and saves it, and the saved file
/// replays the failure with `selc run`.
#[test]
fn selc_fuzz_finds_a_broken_program_and_its_divergence_replays() {
    let d = out_dir("broken");
    let imp = common::python_example("broken_r_restart.py");
    let out = common::selc([
        "fuzz",
        "--impl",
        &imp,
        "--inputs",
        "3000",
        "--max-failures",
        "1",
        "--corpus",
        &d.join("corpus").display().to_string(),
        "--save-failures",
        &d.join("failures").display().to_string(),
        "--report",
        &d.join("r.json").display().to_string(),
        "--junit",
        &d.join("j.xml").display().to_string(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    let f = &r["failures"][0];
    assert_eq!(f["case_kind"], "fuzz", "{f}");
    assert!(
        f["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "R-RESTART"),
        "{f}"
    );
    assert!(r["fuzz"]["inputs"].as_u64().unwrap() >= 1);
    assert!(r["fuzz"]["first_divergence_seconds"].is_f64());
    assert!(f["size"]["systems"].as_u64().unwrap() <= 3, "{f}");
    let saved = f["scenario_file"].as_str().unwrap();
    let replay = common::selc(["run", "--impl", &imp, saved]);
    assert_eq!(
        replay.status.code(),
        Some(1),
        "the saved divergence did not replay"
    );
    assert!(std::fs::read_to_string(d.join("j.xml"))
        .unwrap()
        .contains("<failure"));
    assert!(text.contains("fuzz: "), "{text}");
}

/// The broken examples beyond the exhaustive scope that docs/fuzzing.md
/// measures: `selc fuzz` finds each within a budget of inputs many times what
/// it needed there (its features and mutations are what find them: the
/// random part of `selc verify` needs thousands of cases for two of them).
#[test]
fn selc_fuzz_finds_the_deep_broken_examples() {
    for (example, rule, inputs) in [
        ("broken_deep_outages.py", "R-GRACE", "1500"),
        ("broken_deep_config.py", "R-", "3000"),
    ] {
        let d = out_dir(example);
        let imp = common::python_example(example);
        let out = common::selc([
            "fuzz",
            "--impl",
            &imp,
            "--inputs",
            inputs,
            "--max-failures",
            "1",
            "--no-shrink",
            "--seed",
            "1",
            "--corpus",
            &d.join("corpus").display().to_string(),
            "--save-failures",
            &d.join("failures").display().to_string(),
            "--report",
            &d.join("r.json").display().to_string(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{example}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let r: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
        let rules = r["failures"][0]["rules"].to_string();
        assert!(rules.contains(rule), "{example}: {rules}");
        assert_eq!(r["failures"][0]["case_kind"], "fuzz");
        // Beyond the shipped scenarios, which the run replays first: they
        // all pass against this example.
        let shipped = common::selc(["run", "--impl", &imp, "--quiet"]);
        assert_eq!(shipped.status.code(), Some(0), "{example}");
        let _ = std::fs::remove_dir_all(&d);
    }
}

/// Against the correct example: no divergence, the corpus is written, and a
/// second run resumes from it (it starts with what the first kept).
#[test]
fn selc_fuzz_keeps_its_corpus_and_resumes_from_it() {
    let d = out_dir("corpus");
    let corpus = d.join("corpus");
    let run = |seed: &str| {
        common::selc([
            "fuzz",
            "--impl",
            &common::python_example("selc_impl.py"),
            "--inputs",
            "400",
            "--seed",
            seed,
            "--corpus",
            &corpus.display().to_string(),
            "--save-failures",
            &d.join("failures").display().to_string(),
            "--report",
            &d.join("r.json").display().to_string(),
        ])
    };
    let first = run("1");
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stdout)
    );
    let kept = std::fs::read_dir(&corpus).unwrap().count();
    assert!(kept > 10, "the corpus kept {kept} inputs");
    let second = run("2");
    assert_eq!(second.status.code(), Some(0));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
    assert!(
        r["fuzz"]["corpus"].as_u64().unwrap() >= kept as u64,
        "{}",
        r["fuzz"]
    );
    assert_eq!(r["compliant"], true);
    // Minimizing keeps fewer inputs, each a scenario, and refuses nothing.
    let min = common::selc([
        "fuzz",
        "--impl",
        &common::python_example("selc_impl.py"),
        "--corpus",
        &corpus.display().to_string(),
        "--minimize",
    ]);
    assert_eq!(
        min.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&min.stderr)
    );
    let after = std::fs::read_dir(&corpus).unwrap().count();
    assert!(after > 0 && after < r["fuzz"]["corpus"].as_u64().unwrap() as usize);
}

/// Bad options: exit 2, the option named, nothing written.
#[test]
fn bad_fuzz_options_are_refused_naming_them() {
    let d = out_dir("bad");
    for (args, named) in [
        (
            vec!["fuzz", "--slow-factor", "0.5", "--inputs", "1"],
            "--slow-factor",
        ),
        (vec!["fuzz", "--minimize"], "--corpus"),
        (vec!["fuzz", "--time", "5x"], "--time"),
    ] {
        let mut args = args;
        let report = d.join("r.json").display().to_string();
        args.extend(["--report", &report]);
        let out = common::selc(args.clone());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(!d.join("r.json").exists(), "{args:?} wrote a report");
    }
}
