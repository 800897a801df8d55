//! The implementation protocol (docs/protocol.md, section 5), in one place: the
//! version, the error codes, the requests and the answers. `selc serve`
//! ([`server`]) answers it; the client adapter ([`crate::impls::process`]) speaks
//! it to an implementation under test. The line format is public and stable.

pub mod canonical;
pub mod lines;
pub mod server;

use std::sync::Arc;

use serde_json::Value;
use thiserror::Error;

use crate::model::Snapshot;
pub use lines::{preview, read_line_capped, MAX_LINE_BYTES};
pub use server::{serve, Control, Session, SERVER_NAME};

/// The protocol version this crate reads and speaks.
pub const PROTOCOL_VERSION: u64 = 1;

/// An error code of a response (`{"ok": false, "error": {"code": ...}}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The network must be rejected.
    InvalidNetwork,
    /// The event must be rejected, leaving the state unchanged (R-ATOMIC).
    InvalidEvent,
    /// The request itself is malformed (not JSON, unknown op, missing field).
    BadRequest,
}

impl From<&crate::model::ModelError> for ErrorCode {
    /// The code the protocol answers a model error with: the one place the
    /// model's errors meet the protocol's words.
    fn from(e: &crate::model::ModelError) -> ErrorCode {
        match e {
            crate::model::ModelError::InvalidNetwork(_) => ErrorCode::InvalidNetwork,
            crate::model::ModelError::InvalidEvent(_) => ErrorCode::InvalidEvent,
        }
    }
}

impl ErrorCode {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidNetwork => "invalid_network",
            ErrorCode::InvalidEvent => "invalid_event",
            ErrorCode::BadRequest => "bad_request",
        }
    }

    /// Parse the JSON spelling.
    pub fn parse(text: &str) -> Option<ErrorCode> {
        [
            ErrorCode::InvalidNetwork,
            ErrorCode::InvalidEvent,
            ErrorCode::BadRequest,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}

/// A request of the protocol.
#[derive(Clone, Copy, Debug)]
pub enum Request<'a> {
    /// Open the session, naming the protocol version.
    Hello,
    /// Load a network: a fresh case.
    Load(&'a Value),
    /// Apply an event.
    Apply(&'a Value),
    /// Ask for the current snapshot (after a rejected event, to check R-ATOMIC).
    Snapshot,
    /// End the session.
    Bye,
}

impl Request<'_> {
    /// The request line, without its newline (the payload is written as it is,
    /// never copied into a new JSON value).
    pub fn to_line(&self) -> String {
        match self {
            Request::Hello => format!("{{\"op\":\"hello\",\"protocol\":{PROTOCOL_VERSION}}}"),
            Request::Load(n) => format!("{{\"op\":\"load\",\"network\":{n}}}"),
            Request::Apply(e) => format!("{{\"op\":\"apply\",\"event\":{e}}}"),
            Request::Snapshot => "{\"op\":\"snapshot\"}".to_string(),
            Request::Bye => "{\"op\":\"bye\"}".to_string(),
        }
    }

    /// A short name for progress and messages (`apply`).
    pub fn op(&self) -> &'static str {
        self.kind().as_str()
    }

    /// Which request it is.
    pub fn kind(&self) -> Op {
        match self {
            Request::Hello => Op::Hello,
            Request::Load(_) => Op::Load,
            Request::Apply(_) => Op::Apply,
            Request::Snapshot => Op::Snapshot,
            Request::Bye => Op::Bye,
        }
    }
}

/// The `op` of a request: what a request line written ahead is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `hello`.
    Hello,
    /// `load`.
    Load,
    /// `apply`.
    Apply,
    /// `snapshot`.
    Snapshot,
    /// `bye`.
    Bye,
}

impl Op {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Hello => "hello",
            Op::Load => "load",
            Op::Apply => "apply",
            Op::Snapshot => "snapshot",
            Op::Bye => "bye",
        }
    }
}

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

/// A response line that is not what the protocol says.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ResponseError {
    /// Not JSON, or not of the shape of a response.
    #[error("bad response: {0}")]
    Malformed(String),
    /// A `bad_request` answer to a well-formed request, or a refused `hello`.
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// Parse a response line into an [`Answer`] (for `load`, `apply`, `snapshot`).
/// `snapshot_only` is set for `snapshot`, which cannot be rejected.
pub fn parse_answer(line: &str, snapshot_only: bool) -> Result<Answer, ResponseError> {
    if let Some(snapshot) = fast_snapshot(line) {
        return Ok(Answer::Snapshot(Arc::new(snapshot)));
    }
    let bad = |what: String| ResponseError::Malformed(what);
    let v: Value = serde_json::from_str(line)
        .map_err(|e| bad(format!("not JSON ({e}): {}", preview(line))))?;
    match v.get("ok") {
        Some(Value::Bool(true)) => {
            let snap = v
                .get("snapshot")
                .ok_or_else(|| bad(format!("no snapshot in {}", preview(line))))?;
            if v.as_object().map_or(0, |o| o.len()) != 2 {
                return Err(bad(format!("unexpected fields in {}", preview(line))));
            }
            Snapshot::from_json(snap)
                .map(|s| Answer::Snapshot(Arc::new(s)))
                .map_err(|e| bad(format!("snapshot.{e}")))
        }
        Some(Value::Bool(false)) => {
            let code = v["error"]["code"].as_str().unwrap_or_default();
            let message = v["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            match ErrorCode::parse(code) {
                Some(ErrorCode::BadRequest) => Err(ResponseError::Protocol(format!(
                    "bad_request to a well-formed request: {message}"
                ))),
                Some(code) if !snapshot_only => Ok(Answer::Rejected { code, message }),
                _ => Err(bad(format!(
                    "unexpected error code {code:?}: {}",
                    preview(line)
                ))),
            }
        }
        _ => Err(bad(format!("no boolean `ok` in {}", preview(line)))),
    }
}

/// Write the answer `{"ok":true,"snapshot":...}` in canonical form: compact,
/// fields in the order of docs/protocol.md ([`canonical`]). `selc serve`
/// answers so, and an implementation's answer equal to it byte for byte need
/// not be parsed ([`crate::verify::plan`]).
pub fn write_snapshot_answer<W: std::io::Write>(
    out: &mut W,
    snapshot: &Snapshot,
) -> std::io::Result<()> {
    out.write_all(&snapshot_answer_line(snapshot))
}

/// [`write_snapshot_answer`] into a new line (without the newline).
pub fn snapshot_answer_line(snapshot: &Snapshot) -> Vec<u8> {
    // About 200 bytes a system; sized once rather than grown twice or three times.
    let mut line = Vec::with_capacity(256 + 256 * snapshot.systems.len());
    canonical::write_answer(&mut line, snapshot);
    line
}

/// A rejection as `selc serve` answers it: `{"ok": false, "error": {"code",
/// "message"}}`.
pub fn error_answer(code: ErrorCode, message: &str) -> serde_json::Value {
    serde_json::json!({"ok": false, "error": {"code": code.as_str(), "message": message}})
}

/// The answer to `hello`: the implementation's name, once its protocol version
/// is checked.
pub fn parse_hello(line: &str) -> Result<String, ResponseError> {
    let v: Value = serde_json::from_str(line).map_err(|e| {
        ResponseError::Malformed(format!("hello: not JSON ({e}): {}", preview(line)))
    })?;
    if v["ok"] != Value::Bool(true) {
        return Err(ResponseError::Protocol(format!(
            "hello refused: {}",
            preview(line)
        )));
    }
    if v["protocol"].as_u64() != Some(PROTOCOL_VERSION) {
        return Err(ResponseError::Protocol(format!(
            "hello: the implementation speaks protocol {}, selc speaks {PROTOCOL_VERSION}",
            v["protocol"]
        )));
    }
    Ok(v["name"].as_str().unwrap_or("(unnamed)").to_string())
}

/// The common answer, parsed straight from the text without an intermediate JSON
/// value; anything else takes the slow path in [`parse_answer`] for a precise message.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FastOk {
    #[allow(dead_code)]
    ok: OkTrue,
    snapshot: Snapshot,
}

/// The snapshot of a well-formed `{"ok":true,"snapshot":...}` line, parsed
/// without an intermediate JSON value; `None` for anything else.
pub fn fast_snapshot(line: &str) -> Option<Snapshot> {
    serde_json::from_str::<FastOk>(line)
        .ok()
        .map(|f| f.snapshot)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse_or_say_what_is_wrong() {
        let rejected = r#"{"ok":false,"error":{"code":"invalid_event","message":"m"}}"#;
        assert_eq!(
            parse_answer(rejected, false),
            Ok(Answer::Rejected {
                code: ErrorCode::InvalidEvent,
                message: "m".into()
            })
        );
        assert!(matches!(
            parse_answer(rejected, true),
            Err(ResponseError::Malformed(_))
        ));
        let bad = r#"{"ok":false,"error":{"code":"bad_request","message":"m"}}"#;
        assert!(matches!(
            parse_answer(bad, false),
            Err(ResponseError::Protocol(_))
        ));
        for line in [
            "nope",
            "{}",
            r#"{"ok":true}"#,
            r#"{"ok":true,"snapshot":{}}"#,
        ] {
            assert!(
                matches!(parse_answer(line, false), Err(ResponseError::Malformed(_))),
                "{line}"
            );
        }
    }

    #[test]
    fn hello_checks_the_version() {
        let hello = |v: u64| format!(r#"{{"ok":true,"name":"x","protocol":{v}}}"#);
        assert_eq!(parse_hello(&hello(PROTOCOL_VERSION)), Ok("x".into()));
        let e = parse_hello(&hello(PROTOCOL_VERSION + 1)).unwrap_err();
        assert!(e.to_string().contains("speaks protocol 2"), "{e}");
        assert!(parse_hello(r#"{"ok":false}"#).is_err());
        assert_eq!(Request::Hello.to_line(), r#"{"op":"hello","protocol":1}"#);
    }
}
