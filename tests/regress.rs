//! A regression corpus that knows its state: `selc run --impl CMD DIR`
//! classifies each saved failure as still failing, now passing (`--retire`
//! moves it aside) or stale (`--update` rewrites it after showing the
//! difference), and saved failures carry the selc and model that saved them.

mod common;

use std::path::{Path, PathBuf};

fn out(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A corpus of one saved failure of the broken R-RESTART example.
fn corpus(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("selc-regress-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let broken = common::python_example("broken_r_restart.py");
    let o = common::selc([
        "verify",
        "--impl",
        &broken,
        "--cases",
        "300",
        "--no-golden",
        "--max-failures",
        "1",
        "--save-failures",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    (dir, files[0].clone())
}

fn run(args: &[&str]) -> std::process::Output {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    common::selc(all)
}

fn name_of(file: &Path) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    v["name"].as_str().unwrap().to_string()
}

#[test]
fn a_saved_failure_records_the_selc_and_model_that_saved_it() {
    let (dir, file) = corpus("stamp");
    let name = name_of(&file);
    let stamp = format!(
        "[saved by selc {}, model {}]",
        env!("CARGO_PKG_VERSION"),
        &selc::digest::model()[..16]
    );
    assert!(name.ends_with(&stamp), "{name}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn still_failing_then_now_passing_and_retired() {
    let (dir, file) = corpus("classes");
    let d = dir.to_str().unwrap();
    let broken = common::python_example("broken_r_restart.py");
    let o = run(&["--impl", &broken, d]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains(
            "regression corpus: 1 still failing, 0 now passing (0 retired), 0 stale (0 updated)"
        ),
        "{}",
        out(&o)
    );
    let correct = common::python_example("selc_impl.py");
    let o = run(&["--impl", &correct, d]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("0 still failing, 1 now passing (0 retired)"),
        "{}",
        out(&o)
    );
    assert!(file.exists(), "not retired without --retire");
    let o = run(&["--impl", &correct, "--retire", d]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("1 now passing (1 retired)"), "{}", out(&o));
    let retired = dir.join("retired").join(file.file_name().unwrap());
    assert!(!file.exists() && retired.exists(), "moved into retired/");
    // --retire needs an implementation to judge.
    let o = run(&["--retire", d]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stale_file_is_shown_then_updated() {
    let (dir, file) = corpus("stale");
    let d = dir.to_str().unwrap();
    // The model moved on since the file was saved: its expectations are not
    // the reference's any more (here, an expected figure edited, and an
    // older stamp), which is what a model change does to a saved file.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let name = v["name"].as_str().unwrap().to_string();
    let at = name.rfind(" [saved by selc ").unwrap();
    v["name"] = format!(
        "{} [saved by selc 0.3.0, model 0000000000000000]",
        &name[..at]
    )
    .into();
    v["expect_initial"]["now"] = 77.into();
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let correct = common::python_example("selc_impl.py");
    let o = run(&["--impl", &correct, d]);
    let text = out(&o);
    // The implementation is judged against the current reference: it passes.
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("STALE"), "{text}");
    assert!(
        text.contains("saved by selc 0.3.0, model 0000000000000000"),
        "{text}"
    );
    assert!(text.contains("now"), "the difference is shown: {text}");
    assert!(
        text.contains("0 still failing, 0 now passing (0 retired), 1 stale (0 updated)"),
        "{text}"
    );
    let before = std::fs::read_to_string(&file).unwrap();
    let o = run(&["--impl", &correct, "--update", d]);
    let text = out(&o);
    assert!(
        text.contains("STALE") && text.contains("updated "),
        "{text}"
    );
    assert!(text.contains("1 stale (1 updated)"), "{text}");
    assert_ne!(std::fs::read_to_string(&file).unwrap(), before);
    assert!(name_of(&file).ends_with(&format!("model {}]", &selc::digest::model()[..16])));
    // Updated, it is what it was before the model moved: a saved failure
    // that the correct implementation now passes.
    let o = run(&["--impl", &correct, d]);
    assert!(
        out(&o).contains("0 still failing, 1 now passing (0 retired), 0 stale"),
        "{}",
        out(&o)
    );
    // Without --impl, --update checks the expectations against the reference alone.
    std::fs::write(&file, &before).unwrap();
    let o = run(&["--update", d]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("1 stale (1 updated)"), "{}", out(&o));
    // Without an implementation nothing is judged: a file that is not stale
    // is neither still failing nor now passing.
    let o = run(&["--update", d]);
    assert!(
        out(&o).contains("0 still failing, 0 now passing (0 retired), 0 stale (0 updated)"),
        "{}",
        out(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A saved failure is a file anyone may hand over: its name, stamp and
/// difference reach the terminal with every control character written visibly.
#[test]
fn a_hostile_saved_failure_cannot_drive_the_terminal() {
    let (dir, file) = corpus("hostile");
    let d = dir.to_str().unwrap();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    v["name"] = "\u{1b}[31mred\u{7}\r [saved by selc 0.\u{1b}[2J, model \u{9b}x]".into();
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let broken = common::python_example("broken_r_restart.py");
    let correct = common::python_example("selc_impl.py");
    let o = run(&["--impl", &broken, d]);
    let still = out(&o);
    assert_eq!(o.status.code(), Some(1), "{still}");
    assert!(still.contains("1 still failing"), "{still}");
    v["expect_initial"]["now"] = 77.into();
    std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = run(&["--impl", &correct, d]);
    let stale = out(&o);
    assert!(stale.contains("1 stale"), "{stale}");
    for text in [&still, &stale] {
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reached the terminal: {text:?}"
        );
        assert!(text.contains("\\u{1b}[31mred"), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The built-in scenarios are not a regression corpus: no classes are
/// counted for them, and --update and --retire, which rewrite and move
/// files, are refused without FILEs.
#[test]
fn the_built_in_scenarios_are_not_a_regression_corpus() {
    let broken = common::python_example("broken_r_restart.py");
    let o = run(&["--impl", &broken, "--quiet"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(!text.contains("regression corpus"), "{text}");
    for args in [&["--update"][..], &["--retire", "--impl", &broken][..]] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
        assert!(out(&o).contains("<FILES>"), "{args:?}: {}", out(&o));
    }
}
