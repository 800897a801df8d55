//! Metamorphic properties of the model: relations between two runs that must hold
//! whatever the right answer is.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

mod common;

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value};

use selc::gen::{scenario, GenConfig, ScenarioSpec};
use selc::metamorphic;
use selc::model::Kind;
use selc::protocol::Answer;
use selc::run::run_scenario;

fn small() -> GenConfig {
    GenConfig {
        max_systems: 8,
        max_events: 20,
        ..GenConfig::default()
    }
}

proptest! {
    #![proptest_config(common::config(300, "proptest-regressions/metamorphic.txt"))]

    /// Relabeling systems, SIDs and keys changes nothing but the names.
    #[test]
    fn relabeling_changes_only_names(spec in scenario(small())) {
        let s = spec.render();
        let r = metamorphic::relabeling_changes_only_names(&s);
        prop_assert!(r.is_ok(), "{:?}\n{}", r, s.to_json_string());
    }

    /// Adding a centralized license to the Primary never lowers anyone's in_effect;
    /// raising the Primary's need never raises another system's.
    #[test]
    fn more_pool_never_hurts_and_primary_need_never_helps(
        spec in scenario(small()),
        kind in 0usize..7,
        extra in 1u32..50,
    ) {
        let s = spec.render();
        let kind = Kind::centralized().nth(kind).unwrap();
        let r = metamorphic::more_pool_never_hurts(&s, kind, extra);
        prop_assert!(r.is_ok(), "{:?}\n{}", r, s.to_json_string());
    }

    /// Shifting every time by a constant leaves link states and relative deadlines equal.
    #[test]
    fn shifting_time_shifts_only_now_and_deadlines(
        spec in scenario(GenConfig { huge_times: false, ..small() }),
        shift in 1u64..10_000_000_000,
    ) {
        let s = spec.render();
        let r = metamorphic::shifting_time_shifts_only_now_and_deadlines(&s, shift);
        prop_assert!(r.is_ok(), "{:?}\n{}", r, s.to_json_string());
    }

    /// A scenario and its snapshots survive a serde round trip unchanged.
    #[test]
    fn scenarios_and_snapshots_round_trip(spec in scenario(small())) {
        let s = spec.render();
        let r = metamorphic::round_trips(&s);
        prop_assert!(r.is_ok(), "{:?}", r);
    }
}

/// `selc serve` over the protocol equals the in-process model on random scenarios.
#[test]
fn serve_equals_the_in_process_model() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_selc"))
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let io = std::cell::RefCell::new((
        child.stdin.take().unwrap(),
        BufReader::new(child.stdout.take().unwrap()),
    ));
    let ask = |req: Value| -> Value {
        let (stdin, stdout) = &mut *io.borrow_mut();
        writeln!(stdin, "{req}").unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    };
    let mut runner = TestRunner::new(common::config(200, "proptest-regressions/metamorphic.txt"));
    let result = runner.run(&scenario(small()), |spec: ScenarioSpec| {
        let s = spec.render();
        let requests = std::iter::once(json!({"op": "load", "network": s.network}))
            .chain(s.events.iter().map(|e| json!({"op": "apply", "event": e})));
        let Ok(local) = run_scenario(&s) else {
            return Ok(());
        };
        for (step, req) in local.iter().zip(requests) {
            let resp = ask(req);
            match &step.outcome {
                Answer::Snapshot(snap) => prop_assert_eq!(&resp["snapshot"], &snap.to_value()),
                Answer::Rejected { code, .. } => {
                    prop_assert_eq!(&resp["error"]["code"], code.as_str())
                }
            }
        }
        Ok(())
    });
    ask(json!({"op": "bye"}));
    child.wait().unwrap();
    result.unwrap();
}
