//! Which properties of the input domain one case exercises: read from the
//! network the reference loaded and the events it was given, so that what is
//! counted is what was sent, whatever generated it.

use unicode_normalization::UnicodeNormalization;

use super::{DomainId, DomainSet};
use crate::model::{Event, Kind, ModelError, Network, Release};

/// How large a case is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Size {
    /// Systems of its network.
    pub systems: u64,
    /// Licenses of its longest configuration (as loaded, and as events grow it).
    pub licenses: u64,
    /// Events.
    pub events: u64,
}

/// Which clause of RULES.md §1–2 (D-NET-*) a network broke, from the
/// reference model's words for its rejection (`ModelError::message`), or
/// `None` for a rejection of another kind. The reference reads no other
/// property from a network it rejects; this is how a rejected network that
/// no generator labelled (a shipped scenario, a fuzzed input) counts toward
/// the reach. `gen::invalid`'s tests keep it in step with the model's words
/// for every clause broken every way.
pub fn rejected(message: &str) -> Option<DomainId> {
    let has = |w: &str| message.contains(w);
    Some(if has(": duplicate name ") {
        DomainId::NetDupName
    } else if has(": duplicate sid ") {
        DomainId::NetDupSid
    } else if has(": unknown kind ") {
        DomainId::NetKind
    } else if has(": bad release ") {
        DomainId::NetRelease
    } else if has(": missing field `") || has(" system needs a ") {
        DomainId::NetMissing
    } else if has(" system has no ") || has(": Voicemail Pro runs only on ") {
        DomainId::NetRoleField
    } else {
        return None;
    })
}

/// The properties a case of `network` and `events` exercises, and its size.
pub fn of_case(network: &Network, events: &[Result<Event, ModelError>]) -> (DomainSet, Size) {
    let mut set = DomainSet::default();
    let events: Vec<&Event> = events.iter().filter_map(|e| e.as_ref().ok()).collect();
    let names: Vec<&str> = network.systems.iter().map(|s| &*s.name).collect();
    let sids: Vec<&str> = network
        .systems
        .iter()
        .filter_map(|s| s.sid.as_deref())
        .collect();
    let mut keys: Vec<&str> = Vec::new();
    let mut licensed_sids: Vec<&str> = Vec::new();
    for s in &network.systems {
        for l in &s.licenses {
            keys.push(&l.key);
            licensed_sids.push(&l.sid);
        }
    }
    for e in &events {
        if let Event::AddLicense { license, .. } = e {
            keys.push(&license.key);
            licensed_sids.push(&license.sid);
        }
    }
    for class in [&names, &sids, &keys] {
        identifiers(class, &mut set);
    }
    for id in licensed_sids {
        one_identifier(id, &mut set);
    }
    releases(network, &events, &mut set);
    numbers(network, &events, &mut set);
    let mut longest = network
        .systems
        .iter()
        .map(|s| s.licenses.len())
        .max()
        .unwrap_or(0);
    let mut added = vec![0usize; network.systems.len()];
    let mut downs = vec![0u32; network.systems.len()];
    for e in &events {
        match e {
            Event::AddLicense { system, .. } => {
                if let Some(i) = network.index_of(system) {
                    added[i] += 1;
                    longest = longest.max(network.systems[i].licenses.len() + added[i]);
                }
            }
            Event::LinkDown { system } => {
                if let Some(i) = network.index_of(system) {
                    downs[i] += 1;
                }
            }
            _ => {}
        }
    }
    let size = Size {
        systems: network.systems.len() as u64,
        licenses: longest as u64,
        events: events.len() as u64,
    };
    for (id, hit) in [
        (DomainId::Systems32, size.systems > 32),
        (DomainId::Systems150, size.systems >= 150),
        (DomainId::Licenses64, size.licenses >= 64),
        (DomainId::Events200, size.events >= 200),
        (DomainId::Outages, downs.iter().any(|&d| d >= 5)),
    ] {
        if hit {
            set.insert(id);
        }
    }
    (set, size)
}

/// The properties of one identifier alone.
fn one_identifier(id: &str, set: &mut DomainSet) {
    if !id.is_ascii() {
        set.insert(DomainId::IdUnicode);
    }
    if id.starts_with(char::is_whitespace) || id.ends_with(char::is_whitespace) {
        set.insert(DomainId::IdWhitespace);
    }
    if id.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        set.insert(DomainId::IdEscape);
    }
    if id.chars().count() == 1 {
        set.insert(DomainId::IdShort);
    }
    if id.len() >= 1024 {
        set.insert(DomainId::IdLong);
    }
}

/// The properties of one class of identifiers (names, SIDs or keys): each
/// alone, and pairs equal ignoring case or once normalized.
fn identifiers(class: &[&str], set: &mut DomainSet) {
    for id in class {
        one_identifier(id, set);
    }
    // Sorting folded forms finds equal pairs without comparing every pair.
    let pairs = |fold: &dyn Fn(&str) -> String| {
        let mut folded: Vec<(String, &str)> = class.iter().map(|id| (fold(id), *id)).collect();
        folded.sort_unstable();
        folded
            .windows(2)
            .any(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1)
    };
    if class.iter().any(|id| id.chars().any(char::is_alphabetic)) && pairs(&|s| s.to_lowercase()) {
        set.insert(DomainId::IdCase);
    }
    if class.iter().any(|id| !id.is_ascii()) && pairs(&|s| s.nfc().collect()) {
        set.insert(DomainId::IdNormalization);
    }
}

fn releases(network: &Network, events: &[&Event], set: &mut DomainSet) {
    let mut all: Vec<Release> = network.systems.iter().filter_map(|s| s.release).collect();
    all.extend(events.iter().filter_map(|e| match e {
        Event::Upgrade { release, .. } => Some(*release),
        _ => None,
    }));
    if all.iter().any(|r| r.major >= 100 || r.minor >= 100) {
        set.insert(DomainId::RelDigits);
    }
    if all.iter().any(|r| r.has_leading_zero()) {
        set.insert(DomainId::RelSpelling);
    }
    let two_digit = all.iter().filter(|r| r.minor >= 10);
    if two_digit
        .clone()
        .any(|r| all.iter().any(|o| o.major == r.major && o.minor < 10))
    {
        set.insert(DomainId::RelOrder);
    }
}

fn numbers(network: &Network, events: &[&Event], set: &mut DomainSet) {
    let mut counts: Vec<(Kind, u32)> = Vec::new();
    for s in &network.systems {
        counts.extend(s.licenses.iter().map(|l| (l.kind, l.count)));
    }
    let mut needs: Vec<u32> = Vec::new();
    let mut clock: u128 = 0;
    for e in events {
        match e {
            Event::AddLicense { license, .. } => counts.push((license.kind, license.count)),
            Event::SetNeed { count, .. } => needs.push(*count),
            Event::Advance { seconds } => clock += u128::from(*seconds),
            _ => {}
        }
    }
    for s in &network.systems {
        needs.extend(
            Kind::centralized()
                .map(|k| s.need(k))
                .filter(|&n| n > 0)
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        );
    }
    let all = counts.iter().map(|c| c.1).chain(needs.iter().copied());
    if all.clone().any(|c| c == 0) {
        set.insert(DomainId::CountZero);
    }
    if all.clone().any(|c| c == u32::MAX) {
        set.insert(DomainId::CountMax);
    }
    let over = Kind::ALL.iter().any(|&k| {
        counts
            .iter()
            .filter(|c| c.0 == k)
            .map(|c| u64::from(c.1))
            .sum::<u64>()
            > u64::from(u32::MAX)
    });
    if over {
        set.insert(DomainId::CountSum);
    }
    if clock > u128::from(u64::MAX) {
        set.insert(DomainId::Seconds);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use serde_json::json;

    fn cells(net: serde_json::Value, events: &[serde_json::Value]) -> DomainSet {
        let m = Model::load(&net, "network").unwrap();
        let events: Vec<_> = events
            .iter()
            .map(|e| Event::from_json(e, "event"))
            .collect();
        of_case(m.network(), &events).0
    }

    fn system(name: &str, sid: &str, key: &str) -> serde_json::Value {
        json!({"name": name, "role": "expansion", "sid": sid, "release": "9.1",
               "licenses": [{"key": key, "kind": "server_edition", "sid": sid, "count": 1}]})
    }

    #[test]
    fn identifiers_are_read_as_written() {
        let primary = json!({"name": "p", "role": "primary", "sid": "P", "release": "9.1"});
        let plain = cells(
            json!({"systems": [primary, system("exp-1", "S1", "K1")]}),
            &[],
        );
        for id in [
            DomainId::IdCase,
            DomainId::IdUnicode,
            DomainId::IdWhitespace,
            DomainId::IdEscape,
        ] {
            assert!(!plain.contains(id), "{id}");
        }
        assert!(plain.contains(DomainId::IdShort), "\"p\" is one character");
        let twins = cells(
            json!({"systems": [primary, system("a", "S1", "K1"), system("A", "s1", "k1")]}),
            &[],
        );
        assert!(twins.contains(DomainId::IdCase));
        let nfc_nfd = cells(
            json!({"systems": [primary, system("caf\u{e9}", "S1", "K1"), system("cafe\u{301}", "S2", "K2")]}),
            &[],
        );
        assert!(
            nfc_nfd.contains(DomainId::IdNormalization) && nfc_nfd.contains(DomainId::IdUnicode)
        );
        let odd = cells(
            json!({"systems": [primary, system(" x", "S\"1", "K1"), system(&"y".repeat(1024), "S2", "K\u{1b}")]}),
            &[],
        );
        for id in [DomainId::IdWhitespace, DomainId::IdEscape, DomainId::IdLong] {
            assert!(odd.contains(id), "{id}");
        }
    }

    #[test]
    fn numbers_releases_and_sizes() {
        let primary = json!({"name": "p", "role": "primary", "sid": "P", "release": "9.10",
            "licenses": [{"key": "A", "kind": "power_user", "sid": "P", "count": 4294967295u64},
                         {"key": "B", "kind": "power_user", "sid": "P", "count": 1},
                         {"key": "C", "kind": "power_user", "sid": "P", "count": 0}]});
        let mut systems = vec![primary];
        systems
            .extend((0..40).map(|i| system(&format!("e{i}"), &format!("S{i}"), &format!("K{i}"))));
        let mut events = vec![json!({"upgrade": {"system": "e1", "release": "9.1"}})];
        let spelled = [json!({"upgrade": {"system": "e1", "release": "09.1"}})];
        let zero = cells(json!({"systems": systems.clone()}), &spelled);
        assert!(zero.contains(DomainId::RelSpelling));
        events.extend((0..5).flat_map(|_| {
            [
                json!({"link_down": {"system": "e2"}}),
                json!({"link_up": {"system": "e2"}}),
            ]
        }));
        events.push(json!({"advance": {"seconds": u64::MAX}}));
        events.push(json!({"advance": {"seconds": 1}}));
        let s = cells(json!({"systems": systems}), &events);
        for id in [
            DomainId::CountZero,
            DomainId::CountMax,
            DomainId::CountSum,
            DomainId::Seconds,
            DomainId::RelOrder,
            DomainId::Systems32,
            DomainId::Outages,
        ] {
            assert!(s.contains(id), "{id}");
        }
        for id in [
            DomainId::Systems150,
            DomainId::Events200,
            DomainId::Licenses64,
            DomainId::RelDigits,
            DomainId::RelSpelling,
        ] {
            assert!(!s.contains(id), "{id}");
        }
    }
}
