//! Bounded-exhaustive verification: exact counts, symmetry reduction that is
//! sound and changes no verdict, shards that add up, resuming, and the steered
//! random generator's determinism.

mod common;

use std::time::Duration;

use selc::check::Mode;
use selc::gen::exhaustive::{Enumeration, Scope, DEFAULT_SCOPE};
use selc::gen::GenConfig;
use selc::impls::process::Process;
use selc::impls::Driven;
use selc::metamorphic::{relabeled, relabeling_by};
use selc::verify::steer::Steering;
use selc::verify::{verify, CaseId, Quiet, Summary, VerifyConfig};

/// The exhaustive part alone (`--exhaustive --no-golden --cases 0`).
fn exhaustive_only(scope: Scope) -> VerifyConfig {
    VerifyConfig {
        exhaustive: Some(scope),
        golden: false,
        cases: 0,
        ..VerifyConfig::default()
    }
}

fn run(command: &str, config: &VerifyConfig) -> Summary {
    let mut imp = Process::new(command, Duration::from_secs(10));
    imp.hello().unwrap();
    verify(&mut imp, config, None, &mut Quiet)
}

fn serve() -> String {
    format!("{} serve", env!("CARGO_BIN_EXE_selc"))
}

#[test]
fn the_default_scope_catches_every_broken_example_small() {
    for (file, rule, mode) in common::BROKEN {
        let config = VerifyConfig {
            mode,
            max_failures: 1,
            shrink: false,
            ..exhaustive_only(DEFAULT_SCOPE)
        };
        let s = run(&common::python_example(file), &config);
        let f = s
            .failures
            .first()
            .unwrap_or_else(|| panic!("{file} passed"));
        assert!(
            matches!(f.case, CaseId::Exhaustive(_)),
            "{file}: {}",
            f.case
        );
        assert!(f.step.rules.contains(&rule), "{file}: {:?}", f.step.rules);
        // Smallest first: the first failure is already small.
        assert!(f.size.0 <= 3 && f.size.1 <= 2, "{file}: {:?}", f.size);
    }
}

#[test]
fn symmetry_reduction_changes_no_verdict_on_the_broken_examples() {
    for (file, rule, mode) in common::BROKEN {
        let verdict = |symmetry| {
            let config = VerifyConfig {
                mode,
                max_failures: 1,
                shrink: false,
                symmetry,
                ..exhaustive_only(DEFAULT_SCOPE)
            };
            let s = run(&common::python_example(file), &config);
            (
                s.compliant(),
                s.failures.first().map(|f| f.step.rules.contains(&rule)),
            )
        };
        assert_eq!(verdict(true), (false, Some(true)), "{file} with reduction");
        assert_eq!(
            verdict(false),
            (false, Some(true)),
            "{file} without reduction"
        );
    }
}

/// Every scenario reduction skips is a renaming of the fresh keys of one it
/// runs, and the reference model gives the same answers to both but for the
/// names (the relabeling relation).
#[test]
fn every_skipped_scenario_is_a_renaming_of_one_that_runs() {
    let swap = |s: &str| match s {
        "K14" => "K15".to_string(),
        "K15" => "K14".to_string(),
        other => other.to_string(),
    };
    let e = Enumeration::new(Scope {
        systems: 1,
        events: 2,
    });
    let mut skipped = 0;
    for (canonical, spec) in e.all() {
        if canonical {
            continue;
        }
        skipped += 1;
        let mut rep = spec.clone();
        rep.events = Enumeration::representative(&spec.events);
        assert!(selc::gen::exhaustive::canonical(&rep.events));
        let (a, b) = (spec.render(), rep.render());
        assert_eq!(relabeled(&a, &swap), b, "{:?}", spec.events);
        relabeling_by(&a, &swap).unwrap();
    }
    assert_eq!(skipped, e.raw_count() - e.count());
    assert!(skipped > 1000, "{skipped}");
}

#[test]
fn shards_of_an_exhaustive_run_add_up_to_the_whole() {
    let scope = Scope {
        systems: 1,
        events: 1,
    };
    let whole = run(&serve(), &exhaustive_only(scope));
    let total = whole.exhaustive.as_ref().unwrap().total;
    assert_eq!(whole.exhaustive.as_ref().unwrap().run, total);
    let parts: Vec<Summary> = (1..=3)
        .map(|i| {
            run(
                &serve(),
                &VerifyConfig {
                    shard: selc::verify::Shard::new(i, 3).unwrap(),
                    ..exhaustive_only(scope)
                },
            )
        })
        .collect();
    let run_counts: Vec<u64> = parts
        .iter()
        .map(|p| p.exhaustive.as_ref().unwrap().run)
        .collect();
    assert_eq!(run_counts.iter().sum::<u64>(), total, "{run_counts:?}");
    assert_eq!(parts.iter().map(|p| p.events).sum::<u64>(), whole.events);
    assert!(parts.iter().all(Summary::compliant));
}

#[test]
fn a_stopped_run_resumes_where_it_stopped() {
    let scope = Scope {
        systems: 1,
        events: 2,
    };
    // Stopped at its first failure: the report says where to go on from.
    let broken = common::python_example("broken_r_restart.py");
    let stopped = run(
        &broken,
        &VerifyConfig {
            max_failures: 1,
            shrink: false,
            ..exhaustive_only(scope)
        },
    );
    let x = stopped.exhaustive.as_ref().unwrap();
    let CaseId::Exhaustive(at) = stopped.failures[0].case else {
        panic!("{}", stopped.failures[0].case)
    };
    assert_eq!(x.next, Some(at + 1));
    assert!(!x.complete());
    // Resumed against the reference: exactly the rest of the enumeration runs.
    let rest = run(
        &serve(),
        &VerifyConfig {
            resume_from: at + 1,
            ..exhaustive_only(scope)
        },
    );
    let y = rest.exhaustive.as_ref().unwrap();
    assert_eq!((y.from, y.run, y.next), (at + 1, y.total - (at + 1), None));
    assert!(
        !y.complete(),
        "a resumed run is not the whole enumeration by itself"
    );
}

#[test]
fn the_steered_generator_is_deterministic_for_a_seed() {
    let config = GenConfig {
        max_systems: 8,
        max_events: 24,
        invalid_events: true,
        huge_times: true,
        ..GenConfig::default()
    };
    let specs = |seed| {
        let mut s = Steering::new();
        (0..300)
            .map(|i| s.next(config, seed, i))
            .collect::<Vec<_>>()
    };
    let a = specs(7);
    assert_eq!(a, specs(7));
    assert_ne!(a, specs(8));
    // It steers: the floor rises (the least exercised rule is exercised more
    // often), and the rules an unsteered run hits least are hit more often.
    let coverage = |specs: &[selc::gen::ScenarioSpec]| {
        let mut total = selc::rules::RuleCounts::default();
        for s in specs {
            let (r, _) = selc::check::coverage::of_scenario(&s.render());
            for (a, b) in total.0.iter_mut().zip(r.0) {
                *a += b;
            }
        }
        total
    };
    let plain: Vec<_> = (0..300)
        .map(|i| selc::gen::seeded::candidate(config, 7, i, 0))
        .collect();
    let (steered, unsteered) = (coverage(&a), coverage(&plain));
    let floor = |c: &selc::rules::RuleCounts| c.0.iter().min().copied().unwrap_or(0);
    assert!(
        floor(&steered) > floor(&unsteered),
        "least exercised: {} steered, {} unsteered",
        floor(&steered),
        floor(&unsteered)
    );
    let mut rarest: Vec<usize> = (0..selc::rules::RULES.len()).collect();
    rarest.sort_by_key(|&i| unsteered.0[i]);
    let sum = |c: &selc::rules::RuleCounts| rarest[..3].iter().map(|&i| c.0[i]).sum::<u64>();
    assert!(
        sum(&steered) > sum(&unsteered),
        "the three rarest rules: {} steered, {} unsteered",
        sum(&steered),
        sum(&unsteered)
    );
}

/// The reference model itself, through every checker after every step of every
/// scenario of the default scope. `scripts/break-rules.py --exhaustive` runs it
/// against each hand-written break of the model.
#[test]
#[ignore = "run by scripts/break-rules.py --exhaustive (or by hand, --release)"]
fn invariants_hold_on_every_exhaustive_scenario() {
    let e = Enumeration::new(DEFAULT_SCOPE);
    for case in e.cases(0) {
        let s = case.spec.render();
        if let Err(f) = selc::run::check_invariants(&s, Mode::Strict) {
            panic!(
                "{f}\ncounterexample size: {} systems, {} events\nexhaustive position {}\nscenario:\n{}",
                case.spec.others.len() + 1,
                case.spec.events.len(),
                case.position,
                s.to_json_string()
            );
        }
    }
}
