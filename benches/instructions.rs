//! Instruction counts (gungraun, under valgrind's callgrind) of `load` and
//! `apply` at 32 and 1,000 systems, and of verifying the first 50 random cases of
//! `selc verify` in process: a regression check that machine noise cannot blur. Run with `scripts/bench-instructions.sh`, which installs the matching
//! gungraun-runner.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group};
use serde_json::{json, Value};

use selc::check::Mode;
use selc::gen::large;
use selc::impls::reference::Reference;
use selc::model::{Event, Model};
use selc::scenario::Scenario;
use selc::verify::{random_case, run_case, VerifyConfig};

fn network(systems: usize) -> Value {
    large::network(systems, 7)
}

fn loaded_with_event(systems: usize) -> (Model, Event) {
    let model = Model::load(&network(systems), "network").expect("generated networks are valid");
    let event = Event::from_json(
        &json!({"set_need": {"system": "exp-3", "kind": "power_user", "count": 7}}),
        "event",
    )
    .expect("a valid event");
    (model, event)
}

#[library_benchmark]
#[bench::systems_32(args = (32), setup = network)]
#[bench::systems_1000(args = (1000), setup = network)]
fn load(net: Value) -> Model {
    black_box(Model::load(black_box(&net), "network").expect("valid"))
}

#[library_benchmark]
#[bench::systems_32(args = (32), setup = loaded_with_event)]
#[bench::systems_1000(args = (1000), setup = loaded_with_event)]
fn apply((mut model, event): (Model, Event)) -> Model {
    model.apply(black_box(&event)).expect("valid");
    model
}

/// The first `n` random cases of `selc verify`'s default run (the same as the
/// criterion benchmark `verify_in_process`).
fn random_cases(n: u64) -> Vec<Scenario> {
    let config = VerifyConfig::default();
    (0..n).map(|i| random_case(&config, i).render()).collect()
}

#[library_benchmark]
#[bench::cases_50(args = (50), setup = random_cases)]
fn verify_in_process(cases: Vec<Scenario>) -> u64 {
    let mut imp = Reference::new();
    let mut events = 0;
    for s in &cases {
        let run = run_case(&mut imp, black_box(s), Mode::Rules);
        assert!(run.failure.is_none());
        events += run.events;
    }
    events
}

library_benchmark_group!(name = model; benchmarks = load, apply);
library_benchmark_group!(name = harness; benchmarks = verify_in_process);

/// gungraun's generated `main`, kept in a module so that the real `main` can skip
/// it when gungraun-runner is not installed.
mod counted {
    use super::{harness, model};
    use gungraun::main;

    main!(library_benchmark_groups = model, harness);

    pub fn run() {
        main();
    }
}

/// Whether gungraun can find its runner: the variable gungraun reads, or the
/// program on the `PATH`.
fn runner_installed() -> bool {
    std::env::var_os("GUNGRAUN_RUNNER").is_some()
        || std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| dir.join("gungraun-runner").is_file())
        })
}

/// `cargo bench` runs every benchmark: without gungraun-runner (a separate
/// install of about 5 minutes) this one says so and steps aside rather than
/// failing the criterion benchmarks that follow it.
fn main() {
    let from_runner = std::env::args().nth(1).as_deref() == Some("--gungraun-run");
    if from_runner || runner_installed() {
        counted::run();
    } else {
        eprintln!(
            "benches/instructions.rs: skipped, gungraun-runner is not installed \
             (scripts/bench-instructions.sh installs it and runs these)"
        );
    }
}
