//! Metamorphic properties of the model: relations between two runs that must hold
//! whatever the right answer is.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

mod common;

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value};

use selc::gen::{scenario, GenConfig, ScenarioSpec};
use selc::model::{snapshot::count, Kind, Model, Snapshot};
use selc::run::{run_scenario, Outcome, Step};
use selc::scenario::Scenario;

fn small() -> GenConfig {
    GenConfig {
        max_systems: 8,
        max_events: 20,
        ..GenConfig::default()
    }
}

fn steps(s: &Scenario) -> Vec<Step> {
    run_scenario(s).unwrap_or_default()
}

/// Apply `f` to every name, SID and key in a network or event.
fn relabel(v: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        // The empty string is not a label (it is always invalid).
                        ("name" | "sid" | "key" | "system", Value::String(s)) if !s.is_empty() => {
                            Value::String(f(s))
                        }
                        _ => relabel(v, f),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| relabel(v, f)).collect()),
        other => other.clone(),
    }
}

fn relabel_snapshot(s: &Snapshot, f: &dyn Fn(&str) -> String) -> Snapshot {
    let mut s = s.clone();
    for sys in &mut s.systems {
        sys.name = f(&sys.name);
    }
    for d in &mut s.diagnostics {
        d.system = f(&d.system);
        d.key = f(&d.key);
    }
    s
}

fn outcome_eq(a: &Outcome, b: &Outcome, map: &dyn Fn(&Snapshot) -> Snapshot) -> bool {
    match (a, b) {
        (Outcome::Snapshot(x), Outcome::Snapshot(y)) => map(x) == **y,
        (Outcome::Rejected { code: x, .. }, Outcome::Rejected { code: y, .. }) => x == y,
        _ => false,
    }
}

proptest! {
    #![proptest_config(common::config(300, "proptest-regressions/metamorphic.txt"))]

    /// Relabeling systems, SIDs and keys changes nothing but the names.
    #[test]
    fn relabeling_changes_only_names(spec in scenario(small())) {
        let a = spec.render();
        let f = |s: &str| format!("x{s}");
        let mut b = a.clone();
        b.network = relabel(&a.network, &f);
        b.events = a.events.iter().map(|e| relabel(e, &f)).collect();
        let (sa, sb) = (steps(&a), steps(&b));
        prop_assert_eq!(sa.len(), sb.len());
        for (i, (x, y)) in sa.iter().zip(&sb).enumerate() {
            prop_assert!(outcome_eq(&x.outcome, &y.outcome, &|s| relabel_snapshot(s, &f)),
                "step {} differs after relabeling\n{}", i, a.to_json_string());
        }
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
        let Ok(mut model) = Model::load(&s.network, "network") else { return Ok(()) };
        let kind = Kind::centralized().nth(kind).unwrap();
        let primary = model.network().primary;
        let probe = |model: &Model, i: usize| -> Result<(), TestCaseError> {
            let before = model.snapshot().clone();
            let p = &model.network().systems[primary];
            let sid = p.sid.clone().unwrap_or_default();
            let mut more = model.clone();
            let added = json!({"add_license": {"system": p.name, "license":
                {"key": format!("FRESH-{i}"), "kind": kind.as_str(), "sid": sid, "count": extra}}});
            let after = more.apply_json(&added, "event").unwrap().clone();
            for (b, a) in before.systems.iter().zip(&after.systems) {
                for k in Kind::centralized() {
                    prop_assert!(count(&a.in_effect, k) >= count(&b.in_effect, k),
                        "adding {} {} lowered {}'s {}", extra, kind, a.name, k);
                }
            }
            let mut needier = model.clone();
            let need = u32::try_from(p.need(kind)).unwrap_or(u32::MAX).saturating_add(extra);
            let raised = json!({"set_need": {"system": p.name, "kind": kind.as_str(), "count": need}});
            let after = needier.apply_json(&raised, "event").unwrap().clone();
            for (j, (b, a)) in before.systems.iter().zip(&after.systems).enumerate() {
                if j != primary {
                    prop_assert!(count(&a.in_effect, kind) <= count(&b.in_effect, kind),
                        "raising the primary's need raised {}'s {}", a.name, kind);
                }
            }
            Ok(())
        };
        probe(&model, 0)?;
        for (i, e) in s.events.iter().enumerate() {
            let _ = model.apply_json(e, "event");
            probe(&model, i + 1)?;
        }
    }

    /// Shifting every time by a constant leaves link states and relative deadlines equal.
    #[test]
    fn shifting_time_shifts_only_now_and_deadlines(
        spec in scenario(GenConfig { huge_times: false, ..small() }),
        shift in 1u64..10_000_000_000,
    ) {
        let a = spec.render();
        let mut b = a.clone();
        b.events.insert(0, json!({"advance": {"seconds": shift}}));
        let (sa, sb) = (steps(&a), steps(&b));
        prop_assert_eq!(sa.len() + 1, sb.len());
        let shifted = |s: &Snapshot| {
            let mut s = s.clone();
            s.now += shift;
            for sys in &mut s.systems {
                sys.deadline = sys.deadline.map(|d| d + shift);
            }
            s
        };
        // Skip the load and the added advance.
        for (i, (x, y)) in sa.iter().skip(1).zip(sb.iter().skip(2)).enumerate() {
            prop_assert!(outcome_eq(&x.outcome, &y.outcome, &shifted),
                "event {} differs when time is shifted by {}\n{}", i, shift, a.to_json_string());
        }
    }

    /// A scenario and its snapshots survive a serde round trip unchanged.
    #[test]
    fn scenarios_and_snapshots_round_trip(spec in scenario(small())) {
        let s = spec.render();
        let again = Scenario::from_json_str(&s.to_json_string()).unwrap();
        prop_assert_eq!(&again, &s);
        for step in steps(&s) {
            if let Outcome::Snapshot(snap) = step.outcome {
                let text = serde_json::to_string(&*snap).unwrap();
                let v: Value = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(Snapshot::from_json(&v).unwrap(), *snap);
            }
        }
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
                Outcome::Snapshot(snap) => prop_assert_eq!(&resp["snapshot"], &snap.to_value()),
                Outcome::Rejected { code, .. } => {
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
