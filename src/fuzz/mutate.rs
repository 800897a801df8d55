//! Mutations on a scenario's structure (AFL's havoc, but on networks and
//! histories rather than bytes): insert, delete and repeat events; splice two
//! corpus entries; move a number to a boundary of the input domain; grow or
//! shrink the network and a configuration. A mutant may be invalid (an event
//! aimed at a system that is gone): that is a case like any other, answered
//! `invalid_event` or `invalid_network` by a correct implementation.

use serde_json::{json, Value};

use crate::model::{Kind, GRACE_SECONDS};
use crate::scenario::Scenario;

/// A small deterministic generator (splitmix64): a mutation replays from its
/// seed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// From a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The mutations, by name (reports and tests).
pub const MUTATIONS: [&str; 10] = [
    "insert event",
    "delete events",
    "repeat events",
    "splice",
    "boundary value",
    "grow network",
    "shrink network",
    "grow configuration",
    "outage cycle",
    "break network",
];

/// A scenario's events are kept below this many, and its systems below
/// [`MAX_SYSTEMS`], so that the corpus does not grow without end.
pub const MAX_EVENTS: usize = 400;
/// See [`MAX_EVENTS`].
pub const MAX_SYSTEMS: usize = 300;

fn systems(s: &Scenario) -> Vec<Value> {
    s.network["systems"].as_array().cloned().unwrap_or_default()
}

/// The systems to change: `None` for a network that is not an object with a
/// list of systems (an invalid network: left as it is).
fn systems_mut(s: &mut Scenario) -> Option<&mut Vec<Value>> {
    s.network.get_mut("systems").and_then(Value::as_array_mut)
}

fn names(s: &Scenario) -> Vec<Value> {
    systems(s).iter().map(|x| x["name"].clone()).collect()
}

/// A non-primary system's index, if any.
fn other(s: &Scenario, rng: &mut Rng) -> Option<usize> {
    let all = systems(s);
    let others: Vec<usize> = (0..all.len())
        .filter(|&i| all[i]["role"] != "primary")
        .collect();
    (!others.is_empty()).then(|| *rng.pick(&others))
}

const U32_EDGES: [u64; 6] = [0, 1, 2, u32::MAX as u64 - 1, u32::MAX as u64, 1 << 31];
const SECONDS_EDGES: [u64; 7] = [
    0,
    1,
    GRACE_SECONDS - 1,
    GRACE_SECONDS,
    GRACE_SECONDS + 1,
    u64::MAX - 1,
    u64::MAX,
];

/// A fresh event aimed at one of the network's systems.
fn event(s: &Scenario, rng: &mut Rng) -> Value {
    let names = names(s);
    let name = if names.is_empty() {
        json!("primary")
    } else {
        rng.pick(&names).clone()
    };
    let kinds: Vec<Kind> = Kind::centralized().collect();
    let kind = rng.pick(&kinds).as_str();
    match rng.below(8) {
        0 => json!({"advance": {"seconds": *rng.pick(&SECONDS_EDGES)}}),
        1 => json!({"link_down": {"system": name}}),
        2 => json!({"link_up": {"system": name}}),
        3 => json!({"restart": {"system": name}}),
        4 => {
            json!({"upgrade": {"system": name, "release": *rng.pick(&["9.1", "6.0", "9.2", "09.01", "10.0", "9.10"])}})
        }
        5 => json!({"set_need": {"system": name, "kind": kind, "count": *rng.pick(&U32_EDGES)}}),
        6 => {
            let sid = systems(s)
                .iter()
                .find(|x| x["name"] == name)
                .map(|x| x["sid"].clone())
                .unwrap_or(json!("SID"));
            json!({"add_license": {"system": name, "license": {"key": format!("F{}", rng.below(1000)), "kind": kind, "sid": sid, "count": *rng.pick(&U32_EDGES)}}})
        }
        _ => {
            let keys: Vec<Value> = systems(s)
                .iter()
                .filter(|x| x["name"] == name)
                .flat_map(|x| x["licenses"].as_array().cloned().unwrap_or_default())
                .map(|l| l["key"].clone())
                .collect();
            let key = if keys.is_empty() {
                json!("K0")
            } else {
                rng.pick(&keys).clone()
            };
            json!({"remove_license": {"system": name, "key": key}})
        }
    }
}

/// Visit every number of `v` in a fixed order, with the key it stands under;
/// `f` may rewrite it.
fn each_number(v: &mut Value, key: &str, f: &mut dyn FnMut(&str, &mut Value)) {
    match v {
        Value::Number(_) => f(key, v),
        Value::Array(a) => a.iter_mut().for_each(|x| each_number(x, key, f)),
        Value::Object(o) => o.iter_mut().for_each(|(k, x)| each_number(x, k, f)),
        _ => {}
    }
}

/// Move one number of the scenario (a count, a need, seconds) to a boundary
/// of its domain: u32's for counts, u64's and the grace period's for seconds.
fn boundary(s: &mut Scenario, rng: &mut Rng) {
    // A third of the time the pool itself: every count of the Primary's
    // configuration to one boundary (a flood, or a drought). The pool decides
    // how far down the network the allocation reaches, and in a large network
    // it is a few numbers among hundreds.
    if rng.below(3) == 0 {
        let edge = *rng.pick(&U32_EDGES);
        let primary = systems_mut(s)
            .and_then(|a| a.iter_mut().find(|x| x["role"] == "primary"))
            .and_then(|p| p.get_mut("licenses"))
            .and_then(Value::as_array_mut);
        if let Some(ls) = primary.filter(|ls| !ls.is_empty()) {
            for l in ls.iter_mut().filter_map(Value::as_object_mut) {
                if l.get("kind").and_then(Value::as_str) != Some("server_edition") {
                    l.insert("count".into(), json!(edge));
                }
            }
            return;
        }
    }
    let mut n = 0;
    each_number(&mut s.network, "", &mut |_, _| n += 1);
    for e in &mut s.events {
        each_number(e, "", &mut |_, _| n += 1);
    }
    if n == 0 {
        return;
    }
    let chosen = rng.below(n);
    let (seconds, count) = (*rng.pick(&SECONDS_EDGES), *rng.pick(&U32_EDGES));
    let mut k = 0;
    let mut set = |key: &str, v: &mut Value| {
        if k == chosen {
            *v = json!(if key == "seconds" { seconds } else { count });
        }
        k += 1;
    };
    each_number(&mut s.network, "", &mut set);
    for e in &mut s.events {
        each_number(e, "", &mut set);
    }
}

/// A copy of system `i` under new identifiers (its licenses follow its SID).
fn grow(s: &mut Scenario, rng: &mut Rng) {
    let Some(i) = other(s, rng) else {
        return;
    };
    let all = systems(s);
    if all.len() >= MAX_SYSTEMS {
        return;
    }
    // Mostly a system that takes part in allocation (it needs something): a
    // copy of a portal or of a system with no needs changes little.
    let needy: Vec<usize> = (0..all.len())
        .filter(|&j| all[j]["role"] != "primary")
        .filter(|&j| all[j]["needs"].as_object().is_some_and(|n| !n.is_empty()))
        .collect();
    let i = if !needy.is_empty() && rng.below(4) > 0 {
        *rng.pick(&needy)
    } else {
        i
    };
    let mut copy = all[i].clone();
    if !copy.is_object() {
        return;
    }
    let tag = format!("~{}", rng.below(1_000_000));
    let renamed = |v: &Value| Value::String(format!("{}{tag}", v.as_str().unwrap_or("x")));
    let old_sid = copy.get("sid").cloned().unwrap_or(Value::Null);
    copy["name"] = renamed(&copy["name"]);
    if !old_sid.is_null() {
        copy["sid"] = renamed(&old_sid);
    }
    let new_sid = copy["sid"].clone();
    // `get_mut`: indexing a missing field would write `null` into the copy.
    if let Some(ls) = copy.get_mut("licenses").and_then(Value::as_array_mut) {
        for l in ls.iter_mut().filter_map(Value::as_object_mut) {
            let key = l.get("key").cloned().unwrap_or(Value::Null);
            l.insert("key".into(), renamed(&key));
            if l.get("sid") == Some(&old_sid) {
                l.insert("sid".into(), new_sid.clone());
            }
        }
    }
    let at = rng.below(all.len() + 1);
    // Half the time the Primary's pool grows with the network, as licenses
    // are bought for a new system: otherwise a grown network only ever
    // shares out a pool sized for a small one, and the systems far down the
    // order never get anything to get wrong.
    let matched = rng.below(2) == 0;
    let needs = copy.get("needs").and_then(Value::as_object).cloned();
    if let Some(a) = systems_mut(s) {
        a.insert(at.min(a.len()), copy);
        let primary = a.iter_mut().find(|x| x["role"] == "primary");
        if let (true, Some(p), Some(needs)) = (matched, primary, needs) {
            let sid = p["sid"].clone();
            if let Some(ls) = p.get_mut("licenses").and_then(Value::as_array_mut) {
                for (kind, count) in needs {
                    ls.push(json!({"key": format!("{kind}{tag}"), "kind": kind, "sid": sid, "count": count}));
                }
            }
        }
    }
}

fn grow_configuration(s: &mut Scenario, rng: &mut Rng) {
    let all = systems(s);
    if all.is_empty() {
        return;
    }
    // The Primary's configuration most often: the pool is there.
    let i = match all.iter().position(|x| x["role"] == "primary") {
        Some(p) if rng.below(4) > 0 => p,
        _ => rng.below(all.len()),
    };
    let Some(ls) = systems_mut(s)
        .and_then(|a| a.get_mut(i))
        .and_then(|x| x.get_mut("licenses"))
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    if ls.is_empty() || ls.len() >= 200 {
        return;
    }
    let n = 1 + rng.below(8);
    for _ in 0..n {
        let mut l = ls[rng.below(ls.len())].clone();
        let tag = rng.below(1_000_000);
        if let Some(o) = l.as_object_mut() {
            let key = o
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or("K")
                .to_string();
            o.insert("key".into(), Value::String(format!("{key}~{tag}")));
        }
        ls.push(l);
    }
}

/// One system goes down and up again, `n` times, with time passing between.
fn outage_cycle(s: &mut Scenario, rng: &mut Rng) {
    let Some(i) = other(s, rng) else {
        return;
    };
    let name = systems(s)[i]["name"].clone();
    let n = 1 + rng.below(12);
    let at = rng.below(s.events.len() + 1);
    let mut cycle = Vec::new();
    for _ in 0..n {
        cycle.push(json!({"link_down": {"system": name}}));
        if rng.below(2) == 0 {
            cycle.push(json!({"advance": {"seconds": *rng.pick(&SECONDS_EDGES[..5])}}));
        }
        cycle.push(json!({"link_up": {"system": name}}));
    }
    s.events.splice(at..at, cycle);
}

/// Apply one mutation (a few, now and then) to `s`; `other` is a second
/// corpus entry, for splicing. Returns the names of what was done.
pub fn mutate(s: &mut Scenario, other_entry: &Scenario, rng: &mut Rng) -> Vec<&'static str> {
    let rounds = 1 + usize::from(rng.below(4) == 0) * rng.below(4);
    let mut done = Vec::new();
    for _ in 0..rounds {
        let m = rng.below(MUTATIONS.len());
        let n = s.events.len();
        match m {
            0 => {
                let at = rng.below(n + 1);
                let e = if n > 0 && rng.below(3) == 0 {
                    s.events[rng.below(n)].clone()
                } else {
                    event(s, rng)
                };
                s.events.insert(at, e);
            }
            1 if n > 0 => {
                let at = rng.below(n);
                let len = 1 + rng.below((n - at).min(4));
                s.events.drain(at..at + len);
            }
            2 if n > 0 => {
                let at = rng.below(n);
                let len = 1 + rng.below((n - at).min(6));
                let block: Vec<Value> = s.events[at..at + len].to_vec();
                let times = 1 + rng.below(8);
                for _ in 0..times {
                    s.events.splice(at + len..at + len, block.iter().cloned());
                }
            }
            3 => {
                if rng.below(2) == 0 {
                    let cut = rng.below(n + 1);
                    let from = rng.below(other_entry.events.len() + 1);
                    s.events.truncate(cut);
                    s.events.extend(other_entry.events[from..].iter().cloned());
                } else {
                    s.network = other_entry.network.clone();
                }
            }
            4 => boundary(s, rng),
            5 => {
                // Mostly a few systems; now and then many at once, so that
                // a network outgrows a table of R9.0's 32 systems in a step
                // or two rather than in a chain of lucky finds.
                for _ in 0..*rng.pick(&[1, 1, 2, 3, 4, 8, 16, 32]) {
                    grow(s, rng);
                }
            }
            6 => {
                if let Some(i) = other(s, rng) {
                    if let Some(a) = systems_mut(s) {
                        a.remove(i);
                    }
                }
            }
            7 => grow_configuration(s, rng),
            8 => outage_cycle(s, rng),
            // Rarely: an invalid network ends its case at the load, so it
            // reaches the rejections of RULES.md §1–2 and nothing else.
            9 if rng.below(4) == 0 => {
                let clause = *rng.pick(&crate::gen::invalid::CLAUSES);
                let variant = rng.below(64) as u64;
                s.network = crate::gen::invalid::break_network(s.network.clone(), clause, variant);
            }
            _ => continue,
        }
        done.push(MUTATIONS[m]);
    }
    s.events.truncate(MAX_EVENTS);
    s.expect_initial = None;
    s.expect = None;
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Scenario {
        let (_, text) = crate::golden::scenarios()
            .iter()
            .find(|(_, t)| t.contains("expansion") && t.contains("link_down"))
            .unwrap();
        Scenario::from_json_str(text).unwrap()
    }

    #[test]
    fn every_mutation_changes_the_scenario_and_replays_from_its_seed() {
        let (a, b) = (base(), base());
        let mut changed = std::collections::HashSet::new();
        for seed in 0..400 {
            let (mut x, mut y) = (a.clone(), a.clone());
            let done = mutate(&mut x, &b, &mut Rng::new(seed));
            mutate(&mut y, &b, &mut Rng::new(seed));
            assert_eq!(x, y, "seed {seed}");
            if x != a {
                changed.extend(done);
            }
            assert!(x.events.len() <= MAX_EVENTS);
        }
        for m in MUTATIONS {
            assert!(changed.contains(m), "{m} never changed a scenario");
        }
    }

    #[test]
    fn no_mutation_panics_on_a_network_that_is_not_one() {
        for network in [
            json!([]),
            json!("x"),
            json!({"systems": 5}),
            json!({"systems": [5, null, {"name": 1, "licenses": [7]}]}),
            json!({}),
        ] {
            let mut s = base();
            s.network = network;
            for seed in 0..200 {
                let mut x = s.clone();
                mutate(&mut x, &base(), &mut Rng::new(seed));
            }
        }
    }

    #[test]
    fn growing_keeps_the_network_valid() {
        let mut s = base();
        let mut rng = Rng::new(3);
        for _ in 0..20 {
            grow(&mut s, &mut rng);
            grow_configuration(&mut s, &mut rng);
        }
        assert!(s.network["systems"].as_array().unwrap().len() > 10);
        crate::model::Model::load(&s.network, "network").expect("a grown network is valid");
    }
}
