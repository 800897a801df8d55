//! Implementations under test: the [`Implementation`] trait, the reference model
//! as one ([`reference::Reference`]), and the subprocess adapter for any language
//! over the JSON-lines protocol ([`process::Process`]). No rule lives here.

pub mod process;
pub mod reference;

use std::sync::Arc;

use serde_json::Value;
use thiserror::Error;

use crate::model::Snapshot;
use crate::scenario::ErrorCode;

/// What an implementation answered to `load`, `apply` or `snapshot`.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// `{"ok": true, "snapshot": ...}`.
    Snapshot(Arc<Snapshot>),
    /// `{"ok": false, "error": {"code": "invalid_network" | "invalid_event", ...}}`.
    Rejected {
        /// The code.
        code: ErrorCode,
        /// The message.
        message: String,
    },
}

/// The implementation failed to answer as the protocol requires. The case fails
/// and, for a process, the program is restarted for the next case.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum HarnessError {
    /// The program could not be started.
    #[error("could not start the implementation: {0}")]
    Spawn(String),
    /// No response line within the timeout.
    #[error("no response within {0} ms")]
    Timeout(u64),
    /// The program exited (or closed its output) before answering.
    #[error("the implementation exited before answering ({0})")]
    Exited(String),
    /// A response line that is not what the protocol says.
    #[error("bad response: {0}")]
    BadResponse(String),
    /// A `bad_request` answer to a well-formed request, or a wrong `hello`.
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// A request of the protocol (docs/protocol.md, section 5), `hello` and `bye` aside.
#[derive(Clone, Copy, Debug)]
pub enum Request<'a> {
    /// Load a network: a fresh case.
    Load(&'a Value),
    /// Apply an event.
    Apply(&'a Value),
    /// Ask for the current snapshot (after a rejected event, to check R-ATOMIC).
    Snapshot,
}

impl Request<'_> {
    /// The request line's JSON.
    pub fn to_json(&self) -> Value {
        match self {
            Request::Load(n) => serde_json::json!({"op": "load", "network": n}),
            Request::Apply(e) => serde_json::json!({"op": "apply", "event": e}),
            Request::Snapshot => serde_json::json!({"op": "snapshot"}),
        }
    }

    /// The request line, without its newline (written directly, no clone of the payload).
    pub fn to_line(&self) -> String {
        match self {
            Request::Load(n) => format!("{{\"op\":\"load\",\"network\":{n}}}"),
            Request::Apply(e) => format!("{{\"op\":\"apply\",\"event\":{e}}}"),
            Request::Snapshot => "{\"op\":\"snapshot\"}".to_string(),
        }
    }
}

/// An implementation of the rules. Requests may be sent ahead of their answers
/// (pipelined), which come back in order: a harness that knows a whole case
/// sends it at once and does not pay a round trip per event.
pub trait Implementation {
    /// The `hello` exchange: the implementation's name. Checks the protocol version.
    fn hello(&mut self) -> Result<String, HarnessError>;
    /// Send a request; its answer comes from a later [`Implementation::receive`].
    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError>;
    /// The answer to the oldest request not yet answered.
    fn receive(&mut self) -> Result<Answer, HarnessError>;
    /// Drop the answers not yet received (after a failure in mid-case).
    fn discard(&mut self);
    /// Load a network and wait for the answer.
    fn load(&mut self, network: &Value) -> Result<Answer, HarnessError> {
        self.send(Request::Load(network))?;
        self.receive()
    }
    /// Apply an event and wait for the answer.
    fn apply(&mut self, event: &Value) -> Result<Answer, HarnessError> {
        self.send(Request::Apply(event))?;
        self.receive()
    }
    /// Ask for the snapshot and wait for the answer.
    fn snapshot(&mut self) -> Result<Answer, HarnessError> {
        self.send(Request::Snapshot)?;
        self.receive()
    }
    /// Called after a failed case: start afresh (a process is restarted).
    fn reset(&mut self) -> Result<(), HarnessError> {
        Ok(())
    }
    /// The last lines the implementation wrote to stderr, for reports.
    fn stderr_tail(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Parse a protocol response line into an [`Answer`] (for `load`, `apply`,
/// `snapshot`). `expect_snapshot_only` is set for `snapshot`, which cannot be
/// rejected.
pub fn parse_answer(line: &str, expect_snapshot_only: bool) -> Result<Answer, HarnessError> {
    if let Ok(FastOk {
        ok: OkTrue,
        snapshot,
    }) = serde_json::from_str::<FastOk>(line)
    {
        return Ok(Answer::Snapshot(Arc::new(snapshot)));
    }
    let v: Value = serde_json::from_str(line)
        .map_err(|e| HarnessError::BadResponse(format!("not JSON ({e}): {}", preview(line))))?;
    match v.get("ok") {
        Some(Value::Bool(true)) => {
            let snap = v.get("snapshot").ok_or_else(|| {
                HarnessError::BadResponse(format!("no snapshot in {}", preview(line)))
            })?;
            let extra = v.as_object().map_or(0, |o| o.len());
            if extra != 2 {
                return Err(HarnessError::BadResponse(format!(
                    "unexpected fields in {}",
                    preview(line)
                )));
            }
            Snapshot::from_json(snap)
                .map(|s| Answer::Snapshot(Arc::new(s)))
                .map_err(|e| HarnessError::BadResponse(format!("snapshot.{e}")))
        }
        Some(Value::Bool(false)) => {
            let code = v["error"]["code"].as_str().unwrap_or_default();
            let message = v["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let code = match code {
                "invalid_network" if !expect_snapshot_only => ErrorCode::InvalidNetwork,
                "invalid_event" if !expect_snapshot_only => ErrorCode::InvalidEvent,
                "bad_request" => {
                    return Err(HarnessError::Protocol(format!(
                        "bad_request to a well-formed request: {message}"
                    )))
                }
                other => {
                    return Err(HarnessError::BadResponse(format!(
                        "unexpected error code {other:?}: {}",
                        preview(line)
                    )))
                }
            };
            Ok(Answer::Rejected { code, message })
        }
        _ => Err(HarnessError::BadResponse(format!(
            "no boolean `ok` in {}",
            preview(line)
        ))),
    }
}

/// The common answer, parsed straight from the text without an intermediate JSON
/// value; anything else takes the slow path in [`parse_answer`] for a precise message.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FastOk {
    ok: OkTrue,
    snapshot: Snapshot,
}

/// The snapshot of a well-formed `{"ok":true,"snapshot":...}` line, parsed
/// without an intermediate JSON value; `None` for anything else.
pub fn fast_snapshot(line: &str) -> Option<Snapshot> {
    serde_json::from_str::<FastOk>(line).ok().map(
        |FastOk {
             ok: OkTrue,
             snapshot,
         }| snapshot,
    )
}

/// `true`, and nothing else.
struct OkTrue;

impl<'de> serde::Deserialize<'de> for OkTrue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if bool::deserialize(d)? {
            Ok(OkTrue)
        } else {
            Err(serde::de::Error::custom("not ok"))
        }
    }
}

/// The first 200 characters of a line, for messages.
pub fn preview(line: &str) -> String {
    let mut p: String = line.chars().take(200).collect();
    if p.len() < line.len() {
        p.push_str(&format!("… ({} bytes)", line.len()));
    }
    p
}
