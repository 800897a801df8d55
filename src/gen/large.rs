//! Deterministic networks of any size with a realistic license mix, for stress
//! runs and benchmarks (no randomness source needed: a fixed xorshift stream).

use serde_json::{json, Value};

use crate::model::Kind;

/// A small deterministic generator (xorshift64), for reproducible data without
/// a randomness source.
#[derive(Clone, Debug)]
pub struct XorShift(pub u64);

impl XorShift {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// A network of `systems` systems (at least 1): one primary holding every
/// centralized kind, a secondary with local voicemail channels, expansions with
/// small needs (about 1 in 20 without a valid Server Edition license, 1 in 10
/// down at time 0), and a portal every 50 systems. The pool covers roughly 80% of
/// the total need, so allocation runs out part-way (R-WORK-CONSERVING, R-ORDER).
pub fn network(systems: usize, seed: u64) -> Value {
    let mut rng = XorShift(seed | 1);
    let n = systems.max(1);
    let centralized: Vec<Kind> = Kind::centralized().collect();
    let mut out = Vec::with_capacity(n);
    let mut total_need = vec![0u64; centralized.len()];
    let mut others = Vec::with_capacity(n);
    for i in 1..n {
        let sid = format!("S{i:05}");
        if i % 50 == 49 {
            others.push(json!({"name": format!("portal-{i}"), "role": "one_x_portal", "sid": sid}));
            continue;
        }
        let role = if i == 1 { "secondary" } else { "expansion" };
        let mut needs = serde_json::Map::new();
        for (k, kind) in centralized.iter().enumerate() {
            if *kind == Kind::VoicemailChannel && role != "secondary" {
                continue;
            }
            if rng.below(3) > 0 {
                let c = 1 + rng.below(20);
                total_need[k] += c;
                needs.insert(kind.as_str().into(), json!(c));
            }
        }
        let se_sid = if rng.below(20) == 0 {
            "WRONG".to_string()
        } else {
            sid.clone()
        };
        let mut licenses = vec![
            json!({"key": format!("SE-{i}"), "kind": "server_edition", "sid": se_sid, "count": 1}),
        ];
        if role == "secondary" {
            licenses.push(
                json!({"key": "VM-LOCAL", "kind": "voicemail_channel", "sid": sid, "count": 4}),
            );
        }
        let mut sys = json!({"name": format!("exp-{i}"), "role": role, "sid": sid,
            "release": if rng.below(10) == 0 { "9.0" } else { "9.1" },
            "needs": needs, "licenses": licenses,
            "link": if rng.below(10) == 0 { "down" } else { "up" }});
        if role == "secondary" {
            sys["name"] = json!("sec");
            sys["voicemail_pro"] = json!(true);
        }
        others.push(sys);
    }
    let mut licenses =
        vec![json!({"key": "SE-P", "kind": "server_edition", "sid": "P", "count": 1})];
    for (k, kind) in centralized.iter().enumerate() {
        // Split the pool over a few licenses, as a real configuration would have.
        let pool = total_need[k] * 4 / 5 + 10;
        for part in 0..3u64 {
            licenses.push(
                json!({"key": format!("{}-{part}", kind.as_str()), "kind": kind.as_str(),
                "sid": "P", "count": pool / 3 + u64::from(part == 0) * (pool % 3)}),
            );
        }
    }
    out.push(
        json!({"name": "primary", "role": "primary", "sid": "P", "release": "9.1",
        "voicemail_pro": true, "needs": {"power_user": 5, "voicemail_channel": 2},
        "licenses": licenses}),
    );
    out.extend(others);
    json!({ "systems": out })
}

/// A cycle of events touching every event kind on a network from [`network`]:
/// link flaps, restarts in grace, need changes, license churn, upgrades and time
/// advances across a deadline.
pub fn events(systems: usize, count: usize, seed: u64) -> Vec<Value> {
    let mut rng = XorShift(seed | 1);
    let n = systems.max(2) as u64;
    let pick = |rng: &mut XorShift| {
        let i = 1 + rng.below(n - 1);
        if i == 1 {
            "sec".to_string()
        } else if i % 50 == 49 {
            // Portals take no events; aim at the next expansion instead.
            format!("exp-{}", if i + 1 < n { i + 1 } else { 2.min(n - 1) })
        } else {
            format!("exp-{i}")
        }
    };
    (0..count)
        .map(|j| match j % 8 {
            0 => json!({"link_down": {"system": pick(&mut rng)}}),
            1 => json!({"set_need": {"system": pick(&mut rng), "kind": "power_user", "count": rng.below(25)}}),
            2 => json!({"restart": {"system": pick(&mut rng)}}),
            3 => json!({"link_up": {"system": pick(&mut rng)}}),
            4 => json!({"add_license": {"system": "primary", "license":
                {"key": format!("ADD-{j}"), "kind": "office_worker", "sid": "P", "count": 1 + rng.below(5)}}}),
            5 => json!({"advance": {"seconds": 86_400 * (1 + rng.below(8))}}),
            6 => json!({"upgrade": {"system": pick(&mut rng), "release": "9.1"}}),
            _ => json!({"remove_license": {"system": "primary", "key": format!("ADD-{}", j - 3)}}),
        })
        .collect()
}
