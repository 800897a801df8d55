//! The canonical fast path ([`selc::verify::plan`]): a case planned with the
//! reference's answers is judged exactly as it is step by step. For a correct
//! implementation that answers in canonical form (every answer taken unparsed),
//! for broken ones (the first other answer sends the case down the step-by-step
//! path from the start), and in both modes.

mod common;

use selc::check::Mode;
use selc::impls::process::Process;
use selc::impls::Driven;
use selc::scenario::Scenario;
use selc::verify::case::{judge_case, send_plan, CaseRun};
use selc::verify::plan::plan;
use selc::verify::{random_case, VerifyConfig};

fn judged(imp: &mut dyn Driven, s: &Scenario, mode: Mode, expect: bool) -> CaseRun {
    let sent = send_plan(imp, || s, plan(s, expect));
    let run = judge_case(imp, || s, mode, sent);
    if run.failure.is_some() {
        imp.restart();
    }
    run
}

/// Judge `cases` both ways against `command` (stopping after 5 failing cases,
/// each of which costs the implementation a restart); the number of answers
/// taken unparsed and of failing cases.
fn same_both_ways(command: &str, mode: Mode, cases: u64) -> (usize, usize) {
    let mut imp = Process::new(command, std::time::Duration::from_secs(10));
    imp.hello().expect("the implementation starts");
    let config = VerifyConfig::default();
    let (mut canonical, mut failing) = (0, 0);
    for i in 0..cases {
        let s = random_case(&config, i).render();
        let fast = judged(&mut imp, &s, mode, true);
        let slow = judged(&mut imp, &s, mode, false);
        assert_eq!(fast.events, slow.events, "case {i}");
        assert_eq!(fast.exercised, slow.exercised, "case {i}");
        assert_eq!(fast.interactions, slow.interactions, "case {i}");
        let what = |r: &CaseRun| {
            r.failure
                .as_ref()
                .map(|f| (f.rules.clone(), f.step, f.message.clone(), f.diffs.clone()))
        };
        assert_eq!(what(&fast), what(&slow), "case {i}");
        assert_eq!(slow.canonical, 0, "nothing is expected without a plan");
        canonical += fast.canonical;
        failing += usize::from(fast.failure.is_some());
        if failing == 5 {
            break;
        }
    }
    (canonical, failing)
}

#[test]
fn a_correct_implementation_in_canonical_form_is_judged_as_step_by_step() {
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    for mode in [Mode::Strict, Mode::Rules] {
        let (canonical, failing) = same_both_ways(&serve, mode, 150);
        assert_eq!(failing, 0);
        // Every answer but rejections is taken unparsed.
        assert!(canonical > 1000, "{canonical} answers taken unparsed");
    }
}

#[test]
fn broken_implementations_fail_alike_either_way() {
    for (file, _, mode) in common::BROKEN {
        let (_, failing) = same_both_ways(&common::python_example(file), mode, 150);
        assert!(failing > 0, "{file}: no case failed");
    }
    // Rules mode adopts a lawful split that differs from the reference's:
    // the fast path must hand such a case over too.
    let order = common::python_example("broken_r_order.py");
    let (canonical, failing) = same_both_ways(&order, Mode::Rules, 40);
    assert_eq!(failing, 0, "a lawful split is not a failure in rules mode");
    assert!(canonical > 0);
}

/// The canonical writer writes what serde_json writes, byte for byte, for every
/// snapshot of the golden scenarios and of random cases.
#[test]
fn the_canonical_form_is_serde_json_s() {
    let mut scenarios: Vec<Scenario> = selc::golden::scenarios()
        .iter()
        .map(|(path, text)| Scenario::from_json_str(text).unwrap_or_else(|e| panic!("{path}: {e}")))
        .collect();
    let config = VerifyConfig::default();
    scenarios.extend((0..300).map(|i| random_case(&config, i).render()));
    let mut written = 0;
    for s in &scenarios {
        let Ok(mut model) = selc::model::Model::load(&s.network, "network") else {
            continue;
        };
        let mut check = |snapshot: &selc::model::Snapshot| {
            let mut serde = b"{\"ok\":true,\"snapshot\":".to_vec();
            serde.extend(serde_json::to_vec(snapshot).unwrap());
            serde.push(b'}');
            let ours = selc::protocol::snapshot_answer_line(snapshot);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(serde).unwrap()
            );
            written += 1;
        };
        check(model.snapshot());
        for e in &s.events {
            if let Ok(event) = selc::model::Event::from_json(e, "event") {
                if let Ok(snapshot) = model.apply(&event) {
                    check(snapshot);
                }
            }
        }
    }
    assert!(written > 2000, "{written} snapshots");
}

/// A generated case planned straight from its spec (typed, one walk of the
/// reference, lines written by hand) is the plan of its rendered scenario:
/// the same request lines byte for byte, the same parsed events, the same
/// expected answers and coverage (and steering's evaluation of the spec, the
/// coverage of the scenario). Over random specs of every size (the
/// invalid events and overflowing counts included) and the whole default
/// exhaustive scope's first cases.
#[test]
fn a_spec_is_planned_as_its_rendered_scenario() {
    use selc::gen::exhaustive::{Enumeration, Scope};
    use selc::verify::plan::{plan_spec, Expected};
    let config = VerifyConfig::default();
    let mut specs: Vec<selc::gen::ScenarioSpec> =
        (0..400).map(|i| random_case(&config, i)).collect();
    let big = selc::gen::GenConfig::default();
    specs.extend((0..100).map(|i| selc::gen::seeded::candidate(big, 3, i, 1)));
    let scope: Scope = "1x2".parse().expect("a scope");
    specs.extend(Enumeration::new(scope).cases(0).take(3000).map(|c| c.spec));
    let (mut events, mut rejected) = (0, 0);
    for (n, spec) in specs.iter().enumerate() {
        let scenario = spec.render();
        // Steering's evaluation walks the spec the same way.
        assert_eq!(
            selc::verify::steer::of_spec(spec),
            selc::check::coverage::of_scenario(&scenario),
            "spec {n}"
        );
        for expect in [true, false] {
            let a = plan_spec(spec, expect);
            let b = plan(&scenario, expect);
            assert_eq!(a.lines, b.lines, "spec {n}: {spec:?}");
            let kinds = |p: &selc::verify::plan::Plan| {
                p.requests
                    .iter()
                    .map(|r| (r.kind, r.end))
                    .collect::<Vec<_>>()
            };
            assert_eq!(kinds(&a), kinds(&b), "spec {n}");
            assert_eq!(a.events, b.events, "spec {n}");
            let snapshot = |r: &Result<selc::model::Model, selc::model::ModelError>| {
                r.as_ref().ok().map(|m| m.shared_snapshot())
            };
            assert_eq!(snapshot(&a.reference), snapshot(&b.reference), "spec {n}");
            for (x, y) in a.requests.iter().zip(&b.requests) {
                match (&x.expected, &y.expected) {
                    (None, None) => {}
                    (
                        Some(Expected::Snapshot {
                            line: l1,
                            snapshot: s1,
                        }),
                        Some(Expected::Snapshot {
                            line: l2,
                            snapshot: s2,
                        }),
                    ) => assert!(l1 == l2 && s1 == s2, "spec {n}"),
                    (Some(Expected::Rejected(c1)), Some(Expected::Rejected(c2))) => {
                        assert_eq!(c1, c2, "spec {n}");
                        rejected += 1;
                    }
                    other => panic!("spec {n}: {other:?}"),
                }
            }
            match (&a.expected, &b.expected) {
                (Some(x), Some(y)) => {
                    assert_eq!(x.events, y.events, "spec {n}");
                    assert_eq!(x.exercised, y.exercised, "spec {n}");
                    assert_eq!(x.interactions, y.interactions, "spec {n}");
                    events += x.events;
                }
                (None, None) => assert!(!expect),
                _ => panic!("spec {n}: expectations differ"),
            }
        }
    }
    // The comparison had something to compare.
    assert!(
        events > 10_000 && rejected > 500,
        "{events} events, {rejected} rejections"
    );
}

/// An in-process implementation sent a planned line without its request (the
/// trait's default `send_planned`) reads the line itself: the same answers as
/// the requests sent whole.
#[test]
fn a_planned_line_alone_reaches_an_in_process_implementation() {
    use selc::impls::reference::Reference;
    use selc::protocol::Answer;
    let config = VerifyConfig::default();
    let mut answers = 0;
    for i in 0..50 {
        let s = random_case(&config, i).render();
        let p = plan(&s, false);
        let (mut by_line, mut whole) = (Reference::new(), Reference::new());
        for (k, r) in p.requests.iter().enumerate() {
            by_line
                .send_planned(r.kind.op(), p.line(k), None, None)
                .expect("a planned line is sent");
            whole.send(r.kind.request(&s)).expect("a request is sent");
            let (a, b) = (by_line.receive(), whole.receive());
            let same = match (&a, &b) {
                (Ok(Answer::Snapshot(x)), Ok(Answer::Snapshot(y))) => x == y,
                (Ok(Answer::Rejected { code: x, .. }), Ok(Answer::Rejected { code: y, .. })) => {
                    x == y
                }
                _ => false,
            };
            assert!(same, "case {i}, request {k}: {a:?} vs {b:?}");
            answers += 1;
        }
    }
    assert!(answers > 500, "{answers} answers");
}
