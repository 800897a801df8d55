//! The network as given (section 1) and its validation. Input types mirror the
//! JSON exactly, with every optional field an `Option` so that a field a role
//! does not have is caught even when it holds the default value. Validation turns
//! them into [`Network`], whose invariants the rest of the model relies on.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::counts::Counts;
use super::types::{Kind, Link, Release, Role};
use super::ModelError;

/// A license as entered in a system's configuration (section 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// Non-empty; counted once across the network (R-DUPLICATE).
    pub key: String,
    /// Any known kind; unsupported kinds are kept and diagnosed (R-UNSUPPORTED).
    pub kind: Kind,
    /// Non-empty; the System ID it was issued for (R-SID).
    pub sid: String,
    /// 0 is allowed and grants nothing.
    pub count: u32,
}

impl License {
    /// The field-level checks serde cannot express: returns (field, message).
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if self.key.is_empty() {
            return Err(("key", "must not be empty".into()));
        }
        if self.sid.is_empty() {
            return Err(("sid", "must not be empty".into()));
        }
        Ok(())
    }
}

/// Needs as given: centralized kind → count (section 1).
///
/// Networks are parsed from a JSON value, so a kind repeated inside one object is
/// resolved by the JSON parser (the last one wins) before selc sees it.
pub type Needs = BTreeMap<Kind, u32>;

/// An optional field that, when written, holds a value: `null` is not a
/// string, a list or a map, so `"licenses": null` is an invalid network
/// (section 1: "anything else is an invalid network"), not an absent field.
/// The spec does not name `null`; this is the reading a careful
/// implementation makes, and the Python example's.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// One system as written in a network file (section 1). Use [`Network::from_input`]
/// to validate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemInput {
    /// Unique, non-empty.
    pub name: String,
    /// Exactly one primary, at most one secondary.
    pub role: Role,
    /// Required but for a portal; unique across the network, portals included.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub sid: Option<String>,
    /// Required but for a portal.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub release: Option<Release>,
    /// Only on primary and secondary (`false` is tolerated on an expansion).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub voicemail_pro: Option<bool>,
    /// Centralized kinds only; not on a portal.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub needs: Option<Needs>,
    /// Not on a portal.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub licenses: Option<Vec<License>>,
    /// Secondary and expansion only.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub link: Option<Link>,
}

/// A network as written in a file or a `load` request (section 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkInput {
    /// In network order (R-ORDER, R-DUPLICATE).
    pub systems: Vec<SystemInput>,
}

/// A validated system: every field its role needs is present and nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct System {
    /// Unique, non-empty. Shared with every snapshot (section 9), which would
    /// otherwise copy every name after every event.
    pub name: Arc<str>,
    /// Its role.
    pub role: Role,
    /// `None` only for a portal that was given no SID.
    pub sid: Option<String>,
    /// `None` only for a portal.
    pub release: Option<Release>,
    /// Only ever true on primary or secondary.
    pub voicemail_pro: bool,
    /// Centralized kinds only, zero counts dropped; each fits in a u32 (the
    /// input and `set_need` give u32 counts).
    pub needs: Counts,
    /// Its own configuration, in order. Empty for a portal.
    pub licenses: Vec<License>,
    /// The link at time 0; `Up` for primary and portal, which have none.
    pub link: Link,
}

impl System {
    /// The need for one centralized kind (0 when absent).
    pub fn need(&self, kind: Kind) -> u64 {
        self.needs.get(kind)
    }
}

/// A validated network. Systems keep their input order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    /// In network order.
    pub systems: Vec<System>,
    /// Index of the one primary.
    pub primary: usize,
    /// Index of the secondary, if any.
    pub secondary: Option<usize>,
}

fn invalid(path: String, msg: impl fmt::Display) -> ModelError {
    ModelError::InvalidNetwork(format!("{path}: {msg}"))
}

impl Network {
    /// Parse and validate a network from JSON. `prefix` is the JSON path of the
    /// network in the enclosing document (`network` in a scenario or a request),
    /// so that errors name the offending field, e.g.
    /// `network.systems[3].licenses[0].kind: unknown kind "mobilty"`.
    pub fn from_json(value: &serde_json::Value, prefix: &str) -> Result<Network, ModelError> {
        if !value.is_object() {
            return Err(invalid(
                prefix.to_string(),
                "a network must be a JSON object",
            ));
        }
        // The fast path; on error, parse again tracking the path for the message.
        if let Ok(input) = NetworkInput::deserialize(value) {
            return Network::from_input(input, prefix);
        }
        let input: NetworkInput = serde_path_to_error::deserialize(value).map_err(|e| {
            let inner = e.path().to_string();
            let path = if inner == "." {
                prefix.to_string()
            } else {
                format!("{prefix}.{inner}")
            };
            invalid(path, e.into_inner())
        })?;
        Network::from_input(input, prefix)
    }

    /// Validate a parsed network (section 1). Errors name the JSON path under `prefix`.
    pub fn from_input(input: NetworkInput, prefix: &str) -> Result<Network, ModelError> {
        let (primary, secondary) = Network::validate(&input, prefix)?;
        // Validated: the input is moved, not copied (every `load` goes through here).
        let systems = input
            .systems
            .into_iter()
            .map(|s| System {
                name: s.name.into(),
                role: s.role,
                sid: s.sid,
                release: s.release,
                voicemail_pro: s.voicemail_pro.unwrap_or(false),
                needs: s.needs.unwrap_or_default().into_iter().fold(
                    Counts::new(),
                    |mut c, (k, n)| {
                        c.add(k, n.into());
                        c
                    },
                ),
                licenses: s.licenses.unwrap_or_default(),
                link: s.link.unwrap_or_default(),
            })
            .collect();
        Ok(Network {
            systems,
            primary,
            secondary,
        })
    }

    /// Section 1's checks; returns the indices of the primary and the secondary.
    fn validate(input: &NetworkInput, prefix: &str) -> Result<(usize, Option<usize>), ModelError> {
        let mut names: HashMap<&str, usize> = HashMap::new();
        let mut sids: HashMap<&str, usize> = HashMap::new();
        let mut primary = None;
        let mut secondary = None;
        for (i, s) in input.systems.iter().enumerate() {
            let at = |field: &str| format!("{prefix}.systems[{i}].{field}");
            if s.name.is_empty() {
                return Err(invalid(at("name"), "must not be empty"));
            }
            if let Some(j) = names.insert(&s.name, i) {
                return Err(invalid(
                    at("name"),
                    format!(
                        "duplicate name {} (also systems[{j}])",
                        super::quoted(&s.name)
                    ),
                ));
            }
            let what = || format!("a {} system", s.role.as_str());
            let forbid = |present: bool, field: &str| {
                if present {
                    Err(invalid(at(field), format!("{} has no {field}", what())))
                } else {
                    Ok(())
                }
            };
            match s.role {
                Role::Primary => {
                    if let Some(j) = primary.replace(i) {
                        return Err(invalid(
                            at("role"),
                            format!("a second primary (the first is systems[{j}])"),
                        ));
                    }
                }
                Role::Secondary => {
                    if let Some(j) = secondary.replace(i) {
                        return Err(invalid(
                            at("role"),
                            format!("a second secondary (the first is systems[{j}])"),
                        ));
                    }
                }
                Role::Expansion | Role::OneXPortal => {}
            }
            if s.role == Role::OneXPortal {
                forbid(s.release.is_some(), "release")?;
                forbid(s.voicemail_pro.is_some(), "voicemail_pro")?;
                forbid(s.needs.is_some(), "needs")?;
                forbid(s.licenses.is_some(), "licenses")?;
                forbid(s.link.is_some(), "link")?;
            } else {
                if s.sid.is_none() {
                    return Err(invalid(at("sid"), format!("{} needs a sid", what())));
                }
                if s.release.is_none() {
                    return Err(invalid(
                        at("release"),
                        format!("{} needs a release", what()),
                    ));
                }
                if !s.role.has_link() {
                    forbid(s.link.is_some(), "link")?;
                }
                if s.voicemail_pro == Some(true) && !s.role.may_run_voicemail() {
                    return Err(invalid(
                        at("voicemail_pro"),
                        "Voicemail Pro runs only on the primary or the secondary",
                    ));
                }
            }
            if let Some(sid) = &s.sid {
                if sid.is_empty() {
                    return Err(invalid(at("sid"), "must not be empty"));
                }
                if let Some(j) = sids.insert(sid, i) {
                    return Err(invalid(
                        at("sid"),
                        format!("duplicate sid {} (also systems[{j}])", super::quoted(sid)),
                    ));
                }
            }
            let mut needs = s.needs.iter().flat_map(|n| n.keys());
            if let Some(k) = needs.find(|k| !k.is_centralized()) {
                return Err(invalid(
                    at(&format!("needs.{k}")),
                    "needs exist only for centralized kinds",
                ));
            }
            for (j, l) in s.licenses.iter().flatten().enumerate() {
                l.check()
                    .map_err(|(field, msg)| invalid(at(&format!("licenses[{j}].{field}")), msg))?;
            }
        }
        let primary = primary.ok_or_else(|| invalid(format!("{prefix}.systems"), "no primary"))?;
        Ok((primary, secondary))
    }

    /// The input form of this network: parsing it again gives an equal network.
    pub fn to_input(&self) -> NetworkInput {
        let systems = self
            .systems
            .iter()
            .map(|s| {
                let portal = s.role == Role::OneXPortal;
                SystemInput {
                    name: s.name.to_string(),
                    role: s.role,
                    sid: s.sid.clone(),
                    release: s.release,
                    voicemail_pro: (s.role.may_run_voicemail() && s.voicemail_pro).then_some(true),
                    needs: (!portal && !s.needs.is_empty()).then(|| {
                        s.needs
                            .iter()
                            .map(|(k, n)| (k, u32::try_from(n).unwrap_or(u32::MAX)))
                            .collect()
                    }),
                    licenses: (!portal && !s.licenses.is_empty()).then(|| s.licenses.clone()),
                    link: s.role.has_link().then_some(s.link),
                }
            })
            .collect();
        NetworkInput { systems }
    }

    /// Index of the system with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.systems.iter().position(|s| &*s.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: serde_json::Value) -> String {
        match Network::from_json(&v, "network") {
            Err(ModelError::InvalidNetwork(m)) => m,
            other => panic!("expected invalid_network, got {other:?}"),
        }
    }

    fn primary() -> serde_json::Value {
        json!({"name": "p", "role": "primary", "sid": "P", "release": "9.1"})
    }

    #[test]
    fn errors_name_the_json_path() {
        let mut p = primary();
        p["licenses"] = json!([{"key": "k", "kind": "mobilty", "sid": "P", "count": 1}]);
        let m = err(json!({"systems": [p]}));
        assert_eq!(
            m,
            "network.systems[0].licenses[0].kind: unknown kind \"mobilty\""
        );
    }

    #[test]
    fn rejects_each_malformed_shape() {
        let cases: Vec<(serde_json::Value, &str)> = vec![
            (json!({"systems": []}), "network.systems: no primary"),
            (json!([]), "network: a network must be a JSON object"),
            (
                json!({"systems": [primary(), primary()]}),
                "network.systems[1].name: duplicate name",
            ),
            (
                json!({"systems": [primary(), {"name": "q", "role": "primary", "sid": "Q", "release": "9.1"}]}),
                "network.systems[1].role: a second primary",
            ),
            (
                json!({"systems": [primary(), {"name": "e", "role": "expansion", "sid": "P", "release": "9.1"}]}),
                "network.systems[1].sid: duplicate sid",
            ),
            (
                json!({"systems": [primary(), {"name": "x", "role": "one_x_portal", "sid": "P"}]}),
                "network.systems[1].sid: duplicate sid",
            ),
            (
                json!({"systems": [primary(), {"name": "e", "role": "expansion", "sid": "E", "release": "9.1", "voicemail_pro": true}]}),
                "network.systems[1].voicemail_pro",
            ),
            (
                json!({"systems": [primary(), {"name": "x", "role": "one_x_portal", "needs": {}}]}),
                "network.systems[1].needs: a one_x_portal system has no needs",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1", "link": "up"}]}),
                "network.systems[0].link: a primary system has no link",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1", "needs": {"power_user": 4294967296u64}}]}),
                "network.systems[0].needs.power_user",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1", "needs": {"server_edition": 1}}]}),
                "network.systems[0].needs.server_edition: needs exist only for centralized kinds",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "10"}]}),
                "network.systems[0].release: bad release",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1", "colour": 1}]}),
                "network.systems[0].colour: unknown field `colour`",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "release": "9.1"}]}),
                "network.systems[0].sid: a primary system needs a sid",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1",
                    "licenses": [{"key": "", "kind": "power_user", "sid": "P", "count": 1}]}]}),
                "network.systems[0].licenses[0].key: must not be empty",
            ),
            (
                json!({"systems": [{"name": "p", "role": "primary", "sid": "P", "release": "9.1",
                    "licenses": [{"key": "k", "kind": "power_user", "sid": "P", "count": 5.0}]}]}),
                "network.systems[0].licenses[0].count",
            ),
        ];
        for (v, want) in cases {
            let m = err(v.clone());
            assert!(m.starts_with(want), "for {v}\n got: {m}\nwant: {want}");
        }
    }

    #[test]
    fn portal_and_expansion_defaults_are_allowed() {
        let n = Network::from_json(
            &json!({"systems": [primary(),
                {"name": "e", "role": "expansion", "sid": "E", "release": "9.1", "voicemail_pro": false},
                {"name": "x", "role": "one_x_portal"}]}),
            "network",
        )
        .unwrap();
        let again = Network::from_input(n.to_input(), "network").unwrap();
        assert_eq!(n, again);
    }

    #[test]
    fn to_input_round_trips_and_gives_no_field_a_role_lacks() {
        let se = |sid: &str| json!({"key": format!("SE-{sid}"), "kind": "server_edition", "sid": sid, "count": 1});
        let n = Network::from_json(
            &json!({"systems": [
                {"name": "p", "role": "primary", "sid": "P", "release": "9.1", "voicemail_pro": true,
                 "needs": {"power_user": 2}, "licenses": [se("P")]},
                {"name": "e", "role": "expansion", "sid": "E", "release": "9.1", "link": "down",
                 "needs": {"power_user": 4294967295u32, "receptionist": 0}, "licenses": [se("E")]},
                {"name": "x", "role": "one_x_portal", "sid": "X"},
                {"name": "s", "role": "secondary", "sid": "S", "release": "9.1"}]}),
            "network",
        )
        .unwrap();
        let input = n.to_input();
        let bare = &input.systems[3];
        assert!(bare.needs.is_none() && bare.licenses.is_none(), "{bare:?}");
        assert_eq!(Network::from_input(input.clone(), "network").unwrap(), n);
        let portal = &input.systems[2];
        assert!(portal.needs.is_none() && portal.licenses.is_none() && portal.link.is_none());
        let e = &input.systems[1];
        assert_eq!(
            e.needs.as_ref().map(|m| m.len()),
            Some(1),
            "zero needs dropped"
        );
        assert_eq!(input.systems[0].needs.as_ref().map(|m| m.len()), Some(1));
        assert!(input.systems[0].licenses.is_some() && e.licenses.is_some());
    }
}
