//! The envelope part: the protocol's own rules (PROTOCOL.md §3, D-ENV-*),
//! sent line by line to a program outside any case. Each probe runs on a fresh
//! start of the program: a few raw lines, each answered by exactly one line
//! with the code the protocol says, and the state unchanged by every line it
//! rejects (the program's own snapshot before and after must agree, whatever
//! split it chose).

use serde_json::{json, Value};

use super::case::StepFailure;
use crate::check::oracle::Verdict;
use crate::domain::DomainId;
use crate::impls::Driven;

/// What one line must be answered with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// `{"ok":true,"snapshot":...}`.
    Snapshot,
    /// The snapshot of step `k`'s answer, unchanged.
    SameAs(usize),
    /// `{"ok":false,"error":{"code":"bad_request"}}`.
    BadRequest,
    /// `{"ok":false,"error":{"code":"invalid_network"}}`.
    InvalidNetwork,
}

/// A probe: its property, what it sends, and what each line must get.
#[derive(Clone, Debug)]
pub struct Probe {
    /// The property of the input domain it exercises.
    pub id: DomainId,
    /// What it does, for reports.
    pub what: &'static str,
    steps: Vec<(String, Want)>,
    /// Whether the program is started with `hello` first, as every other
    /// session is (D-ENV-HELLO starts it without).
    hello: bool,
}

/// A small valid network: the case the probes load.
fn network() -> Value {
    json!({"systems": [
        {"name": "primary", "role": "primary", "sid": "P", "release": "9.1",
         "licenses": [{"key": "SE-P", "kind": "server_edition", "sid": "P", "count": 1},
                      {"key": "PU", "kind": "power_user", "sid": "P", "count": 10}],
         "needs": {"power_user": 2}},
        {"name": "exp-1", "role": "expansion", "sid": "E", "release": "9.1",
         "licenses": [{"key": "SE-E", "kind": "server_edition", "sid": "E", "count": 1}],
         "needs": {"power_user": 3}}
    ]})
}

/// The probes' case as a scenario, for reports: its network, no events.
pub fn scenario() -> crate::scenario::Scenario {
    crate::scenario::Scenario {
        name: Some("the envelope probes' case".into()),
        rules: vec![],
        network: network(),
        events: vec![],
        expect_initial: None,
        expect: None,
    }
}

fn load() -> String {
    json!({"op": "load", "network": network()}).to_string()
}

/// The probes, in order.
pub fn probes() -> Vec<Probe> {
    use Want::*;
    let bad = |line: &str| (line.to_string(), BadRequest);
    let snapshot = || json!({"op": "snapshot"}).to_string();
    let mut invalid = network();
    invalid["systems"][1]["name"] = json!("primary");
    vec![
        Probe {
            id: DomainId::EnvLine,
            what: "blank lines and lines that are not a JSON object, each answered bad_request, the case kept",
            steps: vec![
                (load(), Snapshot),
                bad(""),
                bad("   "),
                bad("not json"),
                bad("[\"op\", \"snapshot\"]"),
                bad("{\"op\": \"snapshot\""),
                (snapshot(), SameAs(0)),
            ],
            hello: true,
        },
        Probe {
            id: DomainId::EnvBadRequest,
            what: "an unknown op, extra and missing request fields, another protocol version, each answered bad_request, the case kept",
            steps: vec![
                (load(), Snapshot),
                bad("{\"op\":\"dance\"}"),
                bad("{\"op\":7}"),
                bad("{}"),
                bad("{\"op\":\"snapshot\",\"extra\":1}"),
                bad("{\"op\":\"apply\"}"),
                bad("{\"op\":\"load\"}"),
                bad("{\"op\":\"hello\",\"protocol\":2}"),
                (snapshot(), SameAs(0)),
            ],
            hello: true,
        },
        Probe {
            id: DomainId::EnvBeforeLoad,
            what: "snapshot and apply before any load, each answered bad_request, then a load",
            steps: vec![
                bad(&snapshot()),
                bad(&json!({"op": "apply", "event": {"advance": {"seconds": 1}}}).to_string()),
                (load(), Snapshot),
                (snapshot(), SameAs(2)),
            ],
            hello: true,
        },
        Probe {
            id: DomainId::EnvRejectedLoad,
            what: "a rejected load after a case, answered invalid_network, the case kept",
            steps: vec![
                (load(), Snapshot),
                (
                    json!({"op": "apply", "event": {"advance": {"seconds": 60}}}).to_string(),
                    Snapshot,
                ),
                (
                    json!({"op": "load", "network": invalid}).to_string(),
                    InvalidNetwork,
                ),
                (snapshot(), SameAs(1)),
            ],
            hello: true,
        },
        Probe {
            id: DomainId::EnvHello,
            what: "a session with no hello: load, apply and snapshot answered as in any other",
            steps: vec![
                (load(), Snapshot),
                (
                    json!({"op": "apply", "event": {"link_down": {"system": "exp-1"}}})
                        .to_string(),
                    Snapshot,
                ),
                (snapshot(), SameAs(1)),
            ],
            hello: false,
        },
    ]
}

/// What a program answered, as far as a probe looks.
enum Got {
    Snapshot(Value),
    Error(String),
    Other,
}

fn read(line: &str) -> Got {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        return Got::Other;
    };
    match (&v["ok"], &v["snapshot"], &v["error"]["code"]) {
        (Value::Bool(true), s @ Value::Object(_), _) => Got::Snapshot(s.clone()),
        (Value::Bool(false), _, Value::String(code)) => Got::Error(code.clone()),
        _ => Got::Other,
    }
}

/// Run `probe` on a fresh start of `imp`: `None` when `imp` takes no raw
/// lines (an implementation in process has no envelope), else the failure,
/// if any. A failure breaks R-TOTAL (every line answered as the protocol says)
/// and names its property.
pub fn run(imp: &mut dyn Driven, probe: &Probe) -> Option<Result<(), StepFailure>> {
    let hello = imp.set_hello(probe.hello);
    imp.restart();
    let out = steps(imp, probe);
    imp.set_hello(hello);
    imp.restart();
    out
}

fn steps(imp: &mut dyn Driven, probe: &Probe) -> Option<Result<(), StepFailure>> {
    let mut snapshots: Vec<Option<Value>> = Vec::new();
    for (i, (line, want)) in probe.steps.iter().enumerate() {
        // An envelope answer the protocol does not allow breaks R-TOTAL: the
        // oracle's harness verdict, named by the property probed.
        let fail = |message: String| {
            let verdict = Verdict::harness(format!("{}: {message}", probe.id));
            super::case::failure(Some(i), Value::String(line.clone()), verdict)
        };
        let answer = match imp.exchange(line)? {
            Ok(a) => a,
            Err(e) => {
                let mut f = fail(format!("line {i} ({}) got no answer: {e}", shown(line)));
                f.stderr = imp.stderr_tail();
                f.harness = Some(e);
                return Some(Err(f));
            }
        };
        let got = read(&answer);
        let ok = match (want, &got) {
            (Want::Snapshot, Got::Snapshot(_)) => true,
            (Want::SameAs(k), Got::Snapshot(s)) => {
                snapshots.get(*k).and_then(Option::as_ref) == Some(s)
            }
            (Want::BadRequest, Got::Error(c)) => c == "bad_request",
            (Want::InvalidNetwork, Got::Error(c)) => c == "invalid_network",
            _ => false,
        };
        if !ok {
            let expected = match want {
                Want::Snapshot => "a snapshot".to_string(),
                Want::SameAs(k) => format!("the snapshot of line {k}, unchanged"),
                Want::BadRequest => "bad_request".to_string(),
                Want::InvalidNetwork => "invalid_network".to_string(),
            };
            return Some(Err(fail(format!(
                "line {i} ({}) was answered {}; expected {expected}",
                shown(line),
                crate::protocol::preview(&answer)
            ))));
        }
        snapshots.push(match got {
            Got::Snapshot(s) => Some(s),
            _ => None,
        });
    }
    Some(Ok(()))
}

/// A line as a report shows it: JSON-quoted, so a blank one shows.
fn shown(line: &str) -> String {
    serde_json::to_string(line).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    #[test]
    fn the_probes_load_a_valid_network_and_reject_an_invalid_one() {
        assert!(Model::load(&network(), "network").is_ok());
        let ps = probes();
        assert_eq!(ps.len(), 5);
        let rejected = &ps[3].steps[2].0;
        let v: Value = serde_json::from_str(rejected).unwrap();
        assert!(Model::load(&v["network"], "network").is_err());
        // Every envelope property is probed, once; only hello's probe
        // starts without hello.
        for id in [
            DomainId::EnvLine,
            DomainId::EnvBadRequest,
            DomainId::EnvBeforeLoad,
            DomainId::EnvRejectedLoad,
            DomainId::EnvHello,
        ] {
            assert_eq!(ps.iter().filter(|p| p.id == id).count(), 1, "{id}");
        }
        assert!(ps.iter().all(|p| p.hello == (p.id != DomainId::EnvHello)));
    }
}
