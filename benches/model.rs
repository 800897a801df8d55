//! Criterion benchmarks of the model, the checkers and the harness. Throughput is
//! set so that criterion reports elements (systems or events) per second.
//!
//! Targets (docs/performance.md): `apply` on 32 systems at most 10 µs per event;
//! cost per system flat within 2x from 32 to 10,000 systems; verify in process at
//! least 200,000 events/s; over the protocol against `selc serve` at least 20,000.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Value};

use selc::check::{check_step, Mode, StepInput};
use selc::gen::large;
use selc::impls::reference::Reference;
use selc::impls::Driven;
use selc::model::{Event, Model};
use selc::scenario::Scenario;
use selc::verify::{run_case, VerifyConfig};

// The allocator `selc` itself ships with (src/main.rs), so that the figures are
// those of the tool as users run it.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: &[usize] = &[2, 8, 32, 150, 1000, 10_000];

fn loaded(n: usize) -> (Value, Model) {
    let net = large::network(n, 7);
    let model = Model::load(&net, "network").expect("generated networks are valid");
    (net, model)
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    for &n in SIZES {
        let (net, _) = loaded(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &net, |b, net| {
            b.iter(|| Model::load(black_box(net), "network").unwrap())
        });
    }
    g.finish();
}

/// One event of each kind, chosen so that it does something on the generated network.
fn events_of_each_kind(n: usize) -> Vec<(&'static str, Value)> {
    let target = if n > 3 { "exp-3" } else { "sec" };
    vec![
        (
            "advance_across_deadline",
            json!({"advance": {"seconds": 1_296_000}}),
        ),
        ("link_down", json!({"link_down": {"system": target}})),
        ("link_up", json!({"link_up": {"system": target}})),
        ("restart", json!({"restart": {"system": target}})),
        (
            "set_need",
            json!({"set_need": {"system": target, "kind": "power_user", "count": 7}}),
        ),
        (
            "add_license",
            json!({"add_license": {"system": "primary", "license":
            {"key": "BENCH", "kind": "office_worker", "sid": "P", "count": 3}}}),
        ),
        (
            "remove_license",
            json!({"remove_license": {"system": "primary", "key": "power_user-0"}}),
        ),
        (
            "upgrade",
            json!({"upgrade": {"system": target, "release": "9.1"}}),
        ),
    ]
}

fn apply(c: &mut Criterion) {
    for &n in &[32usize, 10_000] {
        let mut g = c.benchmark_group(format!("apply/{n}"));
        g.throughput(Throughput::Elements(1));
        let (_, base) = loaded(n);
        // Link events are measured from a state where they change something.
        let mut down = base.clone();
        let target = if n > 3 { "exp-3" } else { "sec" };
        down.apply_json(&json!({"link_down": {"system": target}}), "e")
            .unwrap();
        for (name, e) in events_of_each_kind(n) {
            let event = Event::from_json(&e, "event").unwrap();
            let start = match name {
                "link_up" | "restart" | "advance_across_deadline" => &down,
                _ => &base,
            };
            g.bench_function(name, |b| {
                b.iter_batched(
                    || start.clone(),
                    |mut m| {
                        m.apply(black_box(&event)).unwrap();
                        m
                    },
                    BatchSize::LargeInput,
                )
            });
        }
        g.finish();
    }
}

fn per_system_cost(c: &mut Criterion) {
    // set_need forces a full recomputation: elements = systems, so criterion's
    // throughput shows the cost per system at each size.
    let mut g = c.benchmark_group("apply_per_system");
    for &n in SIZES {
        let (_, model) = loaded(n);
        let e = Event::from_json(
            &json!({"set_need": {"system": "primary", "kind": "receptionist", "count": 3}}),
            "e",
        )
        .unwrap();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &model, |b, m| {
            b.iter_batched(
                || m.clone(),
                |mut m| {
                    m.apply(&e).unwrap();
                    m
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn checkers(c: &mut Criterion) {
    let mut g = c.benchmark_group("check_step");
    for &n in &[32usize, 1000] {
        let (_, mut model) = loaded(n);
        let before = model.snapshot().clone();
        let e = Event::from_json(&json!({"link_down": {"system": "exp-3"}}), "e").unwrap();
        model.apply(&e).unwrap();
        g.throughput(Throughput::Elements(1));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                let input = StepInput {
                    network: model.network(),
                    before: Some(&before),
                    event: Some(&e),
                    rejected: false,
                    after: model.snapshot(),
                };
                check_step(black_box(&input), Mode::Strict)
            })
        });
    }
    g.finish();
}

/// The first 50 random cases of `selc verify`'s default run, and their events.
fn random_cases() -> (Vec<Scenario>, usize) {
    let config = VerifyConfig::default();
    let cases: Vec<Scenario> = (0..50)
        .map(|i| selc::verify::random_case(&config, i).render())
        .collect();
    let events = cases.iter().map(|s| s.events.len()).sum();
    (cases, events)
}

/// Every case through `imp`, as `selc verify` judges them.
fn run_all(imp: &mut dyn Driven, cases: &[Scenario]) {
    for s in cases {
        assert!(run_case(imp, s, Mode::Rules).failure.is_none());
    }
}

/// A whole verify run in process: the model as the implementation under test.
/// Its counterpart over the protocol is `protocol/selc_serve_subprocess`.
fn verify_in_process(c: &mut Criterion) {
    let (cases, events) = random_cases();
    let mut g = c.benchmark_group("verify_in_process");
    g.throughput(Throughput::Elements(events as u64));
    g.bench_function("50_random_cases", |b| {
        b.iter(|| run_all(&mut Reference::new(), &cases))
    });
    g.finish();
}

/// The same cases as `verify_in_process`, against `selc serve` as a subprocess.
fn protocol_round_trip(c: &mut Criterion) {
    let (cases, events) = random_cases();
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let mut g = c.benchmark_group("protocol");
    g.throughput(Throughput::Elements(events as u64));
    let mut imp = selc::impls::process::Process::new(&serve, Duration::from_secs(10));
    g.bench_function("selc_serve_subprocess", |b| {
        b.iter(|| run_all(&mut imp, &cases))
    });
    g.finish();
}

/// The exhaustive part of `selc verify` against `selc serve` as a subprocess:
/// scope 1x2 (5,203 cases), pipelined as the verifier runs it, once per
/// iteration. Throughput in cases; events per case are printed.
fn exhaustive(c: &mut Criterion) {
    use selc::gen::exhaustive::Scope;
    use selc::verify::{verify, Quiet};
    let serve = format!("{} serve", env!("CARGO_BIN_EXE_selc"));
    let config = VerifyConfig {
        exhaustive: Some(Scope {
            systems: 1,
            events: 2,
        }),
        golden: false,
        cases: 0,
        ..VerifyConfig::default()
    };
    let mut imp = selc::impls::process::Process::new(&serve, Duration::from_secs(10));
    let probe = verify(&mut imp, &config, None, &mut Quiet);
    assert!(probe.compliant());
    eprintln!(
        "exhaustive 1x2: {} cases, {} events per run ({:.2} events per case)",
        probe.cases,
        probe.events,
        probe.events as f64 / probe.cases as f64
    );
    let mut g = c.benchmark_group("exhaustive");
    g.throughput(Throughput::Elements(probe.cases));
    g.sample_size(10);
    g.bench_function("serve_1x2_cases", |b| {
        b.iter(|| verify(&mut imp, &config, None, &mut Quiet))
    });
    g.finish();
}

fn parsing(c: &mut Criterion) {
    let mut g = c.benchmark_group("scenario_parse");
    for (path, text) in selc::golden::scenarios().iter().take(1) {
        let _ = path;
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function("golden", |b| {
            b.iter(|| Scenario::from_json_str(black_box(text)).unwrap())
        });
    }
    let big = Scenario {
        name: None,
        rules: vec![],
        network: large::network(1000, 3),
        events: large::events(1000, 200, 3),
        expect_initial: None,
        expect: None,
    }
    .to_json_string();
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("1000_systems_200_events", |b| {
        b.iter(|| Scenario::from_json_str(black_box(&big)).unwrap())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = load, apply, per_system_cost, checkers, verify_in_process, protocol_round_trip, exhaustive, parsing
}
criterion_main!(benches);
