//! An `Arbitrary` scenario and a transformation; the relations of the property
//! suite (`selc::metamorphic`) must hold.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use selc::gen::ScenarioSpec;
use selc::metamorphic;
use selc::model::Kind;

#[derive(Debug, Arbitrary)]
enum Transform {
    Relabel,
    AddLicense { kind: u8, count: u32 },
    TimeShift(u64),
    RoundTrip,
}

fuzz_target!(|input: (ScenarioSpec, Transform)| {
    let (spec, transform) = input;
    let s = spec.render();
    let result = match transform {
        Transform::Relabel => metamorphic::relabeling_changes_only_names(&s),
        Transform::AddLicense { kind, count } => {
            let kind = Kind::centralized()
                .nth(usize::from(kind) % 7)
                .unwrap_or(Kind::PowerUser);
            metamorphic::more_pool_never_hurts(&s, kind, count)
        }
        Transform::TimeShift(shift) => {
            metamorphic::shifting_time_shifts_only_now_and_deadlines(&s, shift)
        }
        Transform::RoundTrip => metamorphic::round_trips(&s),
    };
    if let Err(e) = result {
        panic!("{transform:?}: {e}\n{}", s.to_json_string());
    }
});
