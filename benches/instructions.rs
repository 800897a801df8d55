//! Instruction counts (gungraun, under valgrind's callgrind) of `load` and
//! `apply` at 32 and 1,000 systems: a regression check that machine noise cannot
//! blur. Run with `scripts/bench-instructions.sh`, which installs the matching
//! gungraun-runner.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use serde_json::{json, Value};

use selc::gen::large;
use selc::model::{Event, Model};

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

library_benchmark_group!(name = model; benchmarks = load, apply);

main!(library_benchmark_groups = model);
