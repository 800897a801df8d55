//! Strict comparison of two snapshots, each difference explained by the rules
//! that govern the field.

use serde_json::Value;

use super::diff::{diff_values, ValueDiff};
use super::explain::{rule_for_reason, rules_for_field, FieldContext};
use crate::model::Snapshot;
use crate::rules::RuleId;

/// A difference between an expected and an actual snapshot.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difference {
    /// Where, with the system's name when the path is inside `systems`
    /// (`systems[1](exp-1).link`).
    pub path: String,
    /// Expected value (absent: `None`).
    pub expected: Option<Value>,
    /// Actual value (absent: `None`).
    pub actual: Option<Value>,
    /// The rule IDs that govern this field.
    pub rules: Vec<RuleId>,
}

/// The rules behind one differing path of a snapshot.
fn rules_for(
    diff: &ValueDiff,
    expected: &Snapshot,
    actual: &Snapshot,
    event: Option<&str>,
) -> Vec<RuleId> {
    use crate::model::LinkState;
    let path = diff.path.as_str();
    let (field, primary, down) = match path.strip_prefix("systems[") {
        Some(rest) => {
            let (idx, tail) = rest.split_once(']').unwrap_or((rest, ""));
            let i: usize = idx.parse().unwrap_or(usize::MAX);
            let field = tail
                .trim_start_matches('.')
                .split(['.', '['])
                .next()
                .unwrap_or("");
            let link_is = |s: &Snapshot, states: &[LinkState]| {
                s.systems.get(i).is_some_and(|s| states.contains(&s.link))
            };
            let primary = [LinkState::Primary];
            let down = [LinkState::Grace, LinkState::Lapsed];
            (
                field,
                link_is(expected, &primary) || link_is(actual, &primary),
                link_is(expected, &down) || link_is(actual, &down),
            )
        }
        None => (path.split(['.', '[']).next().unwrap_or(""), false, false),
    };
    if field == "diagnostics" {
        // The reason at stake names the rule exactly.
        let reasons: Vec<RuleId> = [&diff.expected, &diff.actual]
            .into_iter()
            .flatten()
            .filter_map(|v| {
                serde_json::from_value::<crate::model::Reason>(v.get("reason").unwrap_or(v).clone())
                    .ok()
            })
            .map(rule_for_reason)
            .collect();
        if !reasons.is_empty() {
            let mut r = reasons;
            r.dedup();
            return r;
        }
    }
    let ctx = FieldContext {
        primary,
        down,
        event,
    };
    rules_for_field(field, ctx).to_vec()
}

/// Every difference between `expected` and `actual`, compared as values. `event`
/// is the name of the event of this step, if any, to narrow the rules cited.
pub fn compare_snapshots(
    expected: &Snapshot,
    actual: &Snapshot,
    event: Option<&str>,
) -> Vec<Difference> {
    if expected == actual {
        return Vec::new();
    }
    diff_values(&expected.to_value(), &actual.to_value())
        .into_iter()
        .map(|d| {
            let rules = rules_for(&d, expected, actual, event);
            let path = name_systems(&d.path, expected, actual);
            Difference {
                path,
                expected: d.expected,
                actual: d.actual,
                rules,
            }
        })
        .collect()
}

/// `systems[1].link` → `systems[1](exp-1).link`, for a reader who thinks in names.
fn name_systems(path: &str, expected: &Snapshot, actual: &Snapshot) -> String {
    let Some(rest) = path.strip_prefix("systems[") else {
        return path.to_string();
    };
    let Some((idx, tail)) = rest.split_once(']') else {
        return path.to_string();
    };
    let name = idx
        .parse::<usize>()
        .ok()
        .and_then(|i| expected.systems.get(i).or(actual.systems.get(i)))
        .map(|s| s.name.clone());
    match name {
        Some(n) => format!("systems[{idx}]({n}){tail}"),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, LinkState, Model, Reason};
    use serde_json::json;

    fn model() -> Model {
        let net = json!({"systems": [
            {"name": "p", "role": "primary", "sid": "P", "release": "9.1", "needs": {"power_user": 2},
             "licenses": [{"key": "SE", "kind": "server_edition", "sid": "P", "count": 1},
                          {"key": "PU", "kind": "power_user", "sid": "P", "count": 5},
                          {"key": "X", "kind": "ccc", "sid": "P", "count": 1}]},
            {"name": "e", "role": "expansion", "sid": "E", "release": "9.1", "needs": {"power_user": 2},
             "licenses": [{"key": "SE-E", "kind": "server_edition", "sid": "E", "count": 1}]}]});
        Model::load(&net, "network").unwrap()
    }

    #[test]
    fn equal_snapshots_have_no_difference() {
        let m = model();
        assert!(compare_snapshots(m.snapshot(), m.snapshot(), None).is_empty());
    }

    #[test]
    fn differences_name_the_system_and_the_rules() {
        let m = model();
        let mut bad = m.snapshot().clone();
        bad.systems[1].in_effect.insert(Kind::PowerUser, 3);
        bad.systems[0].in_effect.insert(Kind::PowerUser, 1);
        bad.systems[1].link = LinkState::Grace;
        bad.diagnostics[0].reason = Reason::WrongSid;
        let d = compare_snapshots(m.snapshot(), &bad, Some("link_down"));
        let find = |p: &str| {
            d.iter()
                .find(|x| x.path == p)
                .unwrap_or_else(|| panic!("{p} in {d:?}"))
        };
        assert_eq!(
            find("systems[0](p).in_effect.power_user").rules,
            [RuleId::PrimaryFirst, RuleId::Capacity]
        );
        assert_eq!(
            find("systems[1](e).in_effect.power_user").rules,
            [RuleId::Grace]
        );
        assert_eq!(find("systems[1](e).link").rules, [RuleId::Grace]);
        assert_eq!(
            find("diagnostics[0].reason").rules,
            [RuleId::Unsupported, RuleId::Sid]
        );
        let e = find("systems[1](e).in_effect.power_user");
        assert_eq!(
            (e.expected.clone(), e.actual.clone()),
            (Some(json!(2)), Some(json!(3)))
        );
    }

    #[test]
    fn connected_shares_cite_the_allocation_rules() {
        let m = model();
        let mut bad = m.snapshot().clone();
        bad.systems[1].reserved.insert(Kind::PowerUser, 9);
        let d = compare_snapshots(m.snapshot(), &bad, None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].rules,
            [
                RuleId::NoOvergrant,
                RuleId::Capacity,
                RuleId::WorkConserving,
                RuleId::Order
            ]
        );
        let mut bad = m.snapshot().clone();
        bad.now = 3;
        let d = compare_snapshots(m.snapshot(), &bad, None);
        assert_eq!((d[0].path.as_str(), d[0].rules.len()), ("now", 0));
    }
}
