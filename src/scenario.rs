//! Scenario files (docs/protocol.md, section 1): a network, a list of events and,
//! optionally, what each step must give.
//!
//! The network and the events are kept as JSON values: a scenario may hold a
//! network or event that must be *rejected*, so they are validated only when run,
//! by the model (or the implementation under test) itself.

use crate::rules::RuleId;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::model::Snapshot;
use crate::protocol::{ErrorCode, PROTOCOL_VERSION};

/// What one step must give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Exactly this snapshot (compared as values).
    Snapshot(Box<Snapshot>),
    /// A rejection with this code.
    Error(ErrorCode),
}

impl Expect {
    fn to_value(&self) -> Value {
        match self {
            Expect::Snapshot(s) => s.to_value(),
            Expect::Error(c) => serde_json::json!({"error": c.as_str()}),
        }
    }
}

/// A scenario, checked for shape but with network and events not yet validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Free metadata.
    pub name: Option<String>,
    /// The rules the scenario is about (an ID not in the catalogue is an error).
    pub rules: Vec<RuleId>,
    /// The network, as given.
    pub network: Value,
    /// The events, as given.
    pub events: Vec<Value>,
    /// What loading must give; `None` when not checked.
    pub expect_initial: Option<Expect>,
    /// One entry per event when present; an entry of `None` skips that step.
    pub expect: Option<Vec<Option<Expect>>>,
}

/// Why a scenario file could not be read.
#[derive(Debug, Error)]
#[error("{path}: {message}")]
pub struct ScenarioError {
    /// JSON path of the offending field (`.` for the whole file).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn err(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        path: path.into(),
        message: message.into(),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    protocol: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rules: Vec<RuleId>,
    network: Value,
    #[serde(default)]
    events: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expect_initial: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expect: Option<Vec<Value>>,
}

/// Parse one expectation. `allowed` is the only error code valid at this place.
fn parse_expect(v: &Value, path: &str, allowed: ErrorCode) -> Result<Expect, ScenarioError> {
    if let Some(code) = v.as_object().and_then(|o| o.get("error")) {
        if v.as_object().is_some_and(|o| o.len() != 1) {
            return Err(err(path, "an error expectation has only the field `error`"));
        }
        return if code.as_str() == Some(allowed.as_str()) {
            Ok(Expect::Error(allowed))
        } else {
            Err(err(
                format!("{path}.error"),
                format!("expected {:?} here, found {code}", allowed.as_str()),
            ))
        };
    }
    Snapshot::from_json(v)
        .map(|s| Expect::Snapshot(Box::new(s)))
        .map_err(|m| err(path, format!("not a snapshot: {m}")))
}

impl Scenario {
    /// Parse a scenario from its text, naming the JSON path of the first problem.
    pub fn from_json_str(text: &str) -> Result<Scenario, ScenarioError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let file: ScenarioFile = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            err(path, e.into_inner().to_string())
        })?;
        if file.protocol != PROTOCOL_VERSION {
            return Err(err(
                "protocol",
                format!(
                    "unsupported protocol version {} (selc speaks {PROTOCOL_VERSION})",
                    file.protocol
                ),
            ));
        }
        let expect_initial = match &file.expect_initial {
            None | Some(Value::Null) => None,
            Some(v) => Some(parse_expect(
                v,
                "expect_initial",
                ErrorCode::InvalidNetwork,
            )?),
        };
        if matches!(expect_initial, Some(Expect::Error(_))) && !file.events.is_empty() {
            return Err(err(
                "events",
                "a scenario whose network must be rejected has no events",
            ));
        }
        let expect = match &file.expect {
            None => None,
            Some(list) => {
                if list.len() != file.events.len() {
                    return Err(err(
                        "expect",
                        format!(
                            "{} entries for {} events: give one per event (null to skip a step)",
                            list.len(),
                            file.events.len()
                        ),
                    ));
                }
                let parsed = list
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match v {
                        Value::Null => Ok(None),
                        v => parse_expect(v, &format!("expect[{i}]"), ErrorCode::InvalidEvent)
                            .map(Some),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Some(parsed)
            }
        };
        Ok(Scenario {
            name: file.name,
            rules: file.rules,
            network: file.network,
            events: file.events,
            expect_initial,
            expect,
        })
    }

    /// Whether the scenario checks anything.
    pub fn has_expectations(&self) -> bool {
        self.expect_initial.is_some() || self.expect.is_some()
    }

    /// The scenario as pretty JSON; reading it back gives an equal scenario.
    pub fn to_json_string(&self) -> String {
        let file = ScenarioFile {
            protocol: PROTOCOL_VERSION,
            name: self.name.clone(),
            rules: self.rules.clone(),
            network: self.network.clone(),
            events: self.events.clone(),
            expect_initial: self.expect_initial.as_ref().map(Expect::to_value),
            expect: self.expect.as_ref().map(|l| {
                l.iter()
                    .map(|e| e.as_ref().map_or(Value::Null, Expect::to_value))
                    .collect()
            }),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let e = Scenario::from_json_str(r#"{"protocol":1,"network":{},"evnts":[]}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `evnts`"), "{e}");
        let e = Scenario::from_json_str(r#"{"protocol":2,"network":{}}"#).unwrap_err();
        assert_eq!(e.path, "protocol");
        let e = Scenario::from_json_str(r#"{"protocol":1,"network":{},"events":[{}],"expect":[]}"#)
            .unwrap_err();
        assert_eq!(e.path, "expect");
        let e = Scenario::from_json_str(
            r#"{"protocol":1,"network":{},"events":[{}],"expect":[{"error":"invalid_network"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path, "expect[0].error");
        let e = Scenario::from_json_str(
            r#"{"protocol":1,"network":{},"events":[{}],"expect":[{"now":0}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path, "expect[0]");
        assert!(e.message.contains("missing field `pool`"), "{}", e.message);
        let e = Scenario::from_json_str("{").unwrap_err();
        assert!(e.message.contains("EOF"), "{}", e.message);
    }

    #[test]
    fn round_trips() {
        let text = format!(
            r#"{{"protocol":1,"name":"n","rules":[{}],"network":{{"systems":[]}},
            "events":[{{"advance":{{"seconds":1}}}},{{"x":1}}],
            "expect":[null,{{"error":"invalid_event"}}]}}"#,
            serde_json::to_string(&RuleId::Se).unwrap()
        );
        let s = Scenario::from_json_str(&text).unwrap();
        assert_eq!(s.rules, [RuleId::Se]);
        let typo = text.replace(RuleId::Se.as_str(), &format!("{}E", RuleId::Se));
        let e = Scenario::from_json_str(&typo).unwrap_err();
        assert!(e.message.contains("unknown rule ID"), "{e}");
        assert_eq!(Scenario::from_json_str(&s.to_json_string()).unwrap(), s);
    }
}
