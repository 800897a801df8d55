//! Invalid networks, one clause of RULES.md §1–2 broken at a time: a valid
//! network drawn as any other, then made invalid in exactly one way. Each must
//! be answered `invalid_network` (R-TOTAL); `crate::domain` names the clauses
//! D-NET-*.

use serde_json::{json, Value};

use super::ScenarioSpec;
use crate::domain::DomainId;

/// The clauses broken, each with the property it exercises.
pub const CLAUSES: [DomainId; 6] = [
    DomainId::NetDupName,
    DomainId::NetDupSid,
    DomainId::NetMissing,
    DomainId::NetRoleField,
    DomainId::NetRelease,
    DomainId::NetKind,
];

/// Malformed releases: too few parts, too many, too many digits, not digits,
/// empty, with a sign or a space.
const BAD_RELEASES: [&str; 8] = ["9", "9.1.0", "1234.1", "9.a", "", "+9.1", " 9.1", "9.-1"];

/// The network of `spec` with `clause` broken, the `variant`-th way.
pub fn broken(spec: &ScenarioSpec, clause: DomainId, variant: u64) -> Value {
    let (network, _) = spec.network();
    let net = serde_json::to_value(&network).unwrap_or_else(|_| json!({"systems": []}));
    break_network(net, clause, variant)
}

/// Network `net` (valid or not) with `clause` broken, the `variant`-th way:
/// what `selc fuzz` does to a corpus entry's network now and then, so that
/// the invalid networks of RULES.md §1–2 are in its reach too. A `net` with
/// no `systems` list is returned as it is.
pub fn break_network(mut net: Value, clause: DomainId, variant: u64) -> Value {
    // A corpus file may hold any JSON: indexing a non-object would panic.
    let Some(systems) = net
        .as_object_mut()
        .and_then(|o| o.get_mut("systems"))
        .and_then(Value::as_array_mut)
        .filter(|a| a.iter().all(Value::is_object))
    else {
        return net;
    };
    let primary = systems
        .iter()
        .position(|s| s["role"] == "primary")
        .unwrap_or(0);
    // A system that is neither the primary nor a portal: added when there is none.
    let other = match systems
        .iter()
        .position(|s| s["role"] == "expansion" || s["role"] == "secondary")
    {
        Some(i) => i,
        None => {
            systems.push(json!({"name": "added-expansion", "role": "expansion",
                "sid": "added-sid", "release": "9.1"}));
            systems.len() - 1
        }
    };
    let v = variant as usize;
    match clause {
        DomainId::NetDupName => {
            let name = systems[primary]["name"].clone();
            systems[other]["name"] = name;
        }
        DomainId::NetDupSid => {
            let sid = systems[primary]["sid"].clone();
            if v.is_multiple_of(2) {
                systems[other]["sid"] = sid;
            } else {
                // Portal SIDs count toward uniqueness too.
                systems.push(json!({"name": "added-portal", "role": "one_x_portal", "sid": sid}));
            }
        }
        DomainId::NetMissing => {
            let field = ["sid", "release", "name", "role"][v % 4];
            let at = if v.is_multiple_of(2) { other } else { primary };
            if let Some(o) = systems[at].as_object_mut() {
                o.remove(field);
            }
        }
        DomainId::NetRoleField => match v % 4 {
            0 => systems[primary]["link"] = json!("up"),
            1 => systems.push(json!({"name": "added-portal", "role": "one_x_portal", "needs": {}})),
            2 => {
                systems[other]["role"] = json!("expansion");
                systems[other]["voicemail_pro"] = json!(true);
            }
            _ => systems
                .push(json!({"name": "added-portal", "role": "one_x_portal", "release": "9.1"})),
        },
        DomainId::NetRelease => {
            let at = if v.is_multiple_of(2) { other } else { primary };
            systems[at]["release"] = json!(BAD_RELEASES[v % BAD_RELEASES.len()]);
        }
        _ => {
            // Unknown, or a known kind spelled otherwise: kinds are exact.
            let kind = ["gold_edition", "Power_User", "power user", ""][v % 4];
            let license = json!({"key": "added-key", "kind": kind,
                "sid": systems[primary]["sid"].clone(), "count": 1});
            match systems[primary]["licenses"].as_array_mut() {
                Some(l) => l.push(license),
                None => systems[primary]["licenses"] = json!([license]),
            }
        }
    }
    net
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen::seeded::candidate;
    use crate::gen::GenConfig;
    use crate::model::Model;

    #[test]
    fn every_clause_broken_every_way_is_an_invalid_network() {
        for i in 0..300u64 {
            let spec = candidate(GenConfig::default(), 7, i, 0);
            let clause = CLAUSES[(i % 6) as usize];
            let net = broken(&spec, clause, i / 6);
            let err = Model::load(&net, "network").err();
            assert!(err.is_some(), "{clause} #{i} was accepted: {net}");
            // The reference's words name the clause, for the reach of any
            // rejected network (a fuzzed one, a shipped one).
            let why = err.unwrap();
            assert_eq!(
                crate::domain::cells::rejected(why.message()),
                Some(clause),
                "{why}"
            );
        }
    }

    #[test]
    fn breaking_a_network_that_is_not_one_changes_nothing_and_never_panics() {
        for net in [
            json!(7),
            json!([1, 2]),
            json!({"systems": 3}),
            json!({"systems": [1, {"name": "a"}]}),
            json!({}),
        ] {
            for clause in CLAUSES {
                assert_eq!(break_network(net.clone(), clause, 3), net);
            }
        }
    }
}
