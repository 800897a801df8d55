//! Metamorphic relations of the model: relations between two runs that must hold
//! whatever the right answer is. Shared by the property suite
//! (`tests/metamorphic.rs`) and the `metamorphic` fuzz target. Each returns a
//! message naming the step that broke the relation.

use serde_json::{json, Value};

use crate::model::{Kind, Model, Snapshot};
use crate::protocol::Answer;
use crate::run::{run_scenario, Step};
use crate::scenario::Scenario;

fn steps(s: &Scenario) -> Vec<Step> {
    run_scenario(s).unwrap_or_default()
}

/// Apply `f` to every name, SID and key in a network or event. The empty string
/// is not a label (it is always invalid) and stays as it is.
pub fn relabel(v: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
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
        sys.name = f(&sys.name).into();
    }
    for d in &mut s.diagnostics {
        d.system = f(&d.system).into();
        d.key = f(&d.key);
    }
    s
}

fn outcome_eq(a: &Answer, b: &Answer, map: &dyn Fn(&Snapshot) -> Snapshot) -> bool {
    match (a, b) {
        (Answer::Snapshot(x), Answer::Snapshot(y)) => map(x) == **y,
        (Answer::Rejected { code: x, .. }, Answer::Rejected { code: y, .. }) => x == y,
        _ => false,
    }
}

/// Relabeling systems, SIDs and keys (injectively) changes nothing but the names.
pub fn relabeling_changes_only_names(a: &Scenario) -> Result<(), String> {
    relabeling_by(a, &|s: &str| format!("x{s}"))
}

/// `a` with every name, SID and key relabeled by `f`.
pub fn relabeled(a: &Scenario, f: &dyn Fn(&str) -> String) -> Scenario {
    let mut b = a.clone();
    b.network = relabel(&a.network, f);
    b.events = a.events.iter().map(|e| relabel(e, f)).collect();
    b
}

/// Relabeling by `f`, an injective renaming (a permutation of some labels, say),
/// changes nothing but the names: the symmetry the exhaustive enumeration
/// reduces by ([`crate::gen::exhaustive`]) rests on it.
pub fn relabeling_by(a: &Scenario, f: &dyn Fn(&str) -> String) -> Result<(), String> {
    let f = |s: &str| f(s);
    let mut b = a.clone();
    b.network = relabel(&a.network, &f);
    b.events = a.events.iter().map(|e| relabel(e, &f)).collect();
    let (sa, sb) = (steps(a), steps(&b));
    if sa.len() != sb.len() {
        return Err(format!("{} steps, {} after relabeling", sa.len(), sb.len()));
    }
    for (i, (x, y)) in sa.iter().zip(&sb).enumerate() {
        if !outcome_eq(&x.outcome, &y.outcome, &|s| relabel_snapshot(s, &f)) {
            return Err(format!("step {i} differs after relabeling"));
        }
    }
    Ok(())
}

/// At every step of `s`: adding `extra` of a centralized `kind` to the Primary
/// never lowers anyone's `in_effect`; raising the Primary's need for it never
/// raises another system's share.
pub fn more_pool_never_hurts(s: &Scenario, kind: Kind, extra: u32) -> Result<(), String> {
    let Ok(mut model) = Model::load(&s.network, "network") else {
        return Ok(());
    };
    let extra = extra.max(1);
    let primary = model.network().primary;
    let probe = |model: &Model, i: usize| -> Result<(), String> {
        let before = model.snapshot();
        let p = &model.network().systems[primary];
        let sid = p.sid.clone().unwrap_or_default();
        let added = json!({"add_license": {"system": p.name, "license":
            {"key": format!("FRESH-{i}"), "kind": kind.as_str(), "sid": sid, "count": extra}}});
        let mut more = model.clone();
        let after = more
            .apply_json(&added, "event")
            .map_err(|e| e.to_string())?;
        for (b, a) in before.systems.iter().zip(&after.systems) {
            for k in Kind::centralized() {
                if a.in_effect.get(k) < b.in_effect.get(k) {
                    return Err(format!(
                        "step {i}: adding {extra} {kind} lowered {}'s {k}",
                        a.name
                    ));
                }
            }
        }
        let need = u32::try_from(p.need(kind))
            .unwrap_or(u32::MAX)
            .saturating_add(extra);
        let raised = json!({"set_need": {"system": p.name, "kind": kind.as_str(), "count": need}});
        let mut needier = model.clone();
        let after = needier
            .apply_json(&raised, "event")
            .map_err(|e| e.to_string())?;
        for (j, (b, a)) in before.systems.iter().zip(&after.systems).enumerate() {
            if j != primary && a.in_effect.get(kind) > b.in_effect.get(kind) {
                return Err(format!(
                    "step {i}: raising the primary's need raised {}'s {kind}",
                    a.name
                ));
            }
        }
        Ok(())
    };
    probe(&model, 0)?;
    for (i, e) in s.events.iter().enumerate() {
        let _ = model.apply_json(e, "event");
        probe(&model, i + 1)?;
    }
    Ok(())
}

/// Shifting every time by `shift` (an `advance` first) shifts `now` and the
/// deadlines by it and changes nothing else. Holds while nothing saturates, so
/// times near the end of u64 are out of its scope.
pub fn shifting_time_shifts_only_now_and_deadlines(a: &Scenario, shift: u64) -> Result<(), String> {
    let mut b = a.clone();
    b.events.insert(0, json!({"advance": {"seconds": shift}}));
    let (sa, sb) = (steps(a), steps(&b));
    if sa.len() + 1 != sb.len() {
        return Err("the shifted run has a different number of steps".into());
    }
    let horizon = u64::MAX / 4;
    let shifted = |s: &Snapshot| {
        let mut s = s.clone();
        s.now = s.now.saturating_add(shift);
        for sys in &mut s.systems {
            sys.deadline = sys.deadline.map(|d| d.saturating_add(shift));
        }
        s
    };
    for (i, (x, y)) in sa.iter().skip(1).zip(sb.iter().skip(2)).enumerate() {
        if let Answer::Snapshot(s) = &x.outcome {
            let late = s
                .systems
                .iter()
                .filter_map(|x| x.deadline)
                .any(|d| d > horizon);
            if s.now > horizon || shift > horizon || late {
                return Ok(());
            }
        }
        if !outcome_eq(&x.outcome, &y.outcome, &shifted) {
            return Err(format!("event {i} differs when time is shifted by {shift}"));
        }
    }
    Ok(())
}

/// A scenario and its snapshots survive a serde round trip unchanged.
pub fn round_trips(s: &Scenario) -> Result<(), String> {
    let again = Scenario::from_json_str(&s.to_json_string()).map_err(|e| e.to_string())?;
    if &again != s {
        return Err("the scenario changed in a round trip".into());
    }
    for step in steps(s) {
        if let Answer::Snapshot(snap) = step.outcome {
            let text = serde_json::to_string(&*snap).map_err(|e| e.to_string())?;
            let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            if Snapshot::from_json(&v)? != *snap {
                return Err("a snapshot changed in a round trip".into());
            }
        }
    }
    Ok(())
}
