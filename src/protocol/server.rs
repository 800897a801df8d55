//! The protocol served by the reference model: `selc serve`. One JSON request
//! per line in, exactly one JSON response line out, whatever the line holds.

use std::io::{self, BufReader, Read, Write};

use serde_json::{json, Map, Value};

use super::lines::{read_line_capped, MAX_LINE_BYTES};
use super::{error_answer, ErrorCode, PROTOCOL_VERSION};
use crate::model::{Model, ModelError};

/// The name `selc serve` gives in its `hello` answer.
pub const SERVER_NAME: &str = concat!("selc-reference ", env!("CARGO_PKG_VERSION"));

/// Whether the server goes on after a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Read the next line.
    Continue,
    /// `bye` was answered: exit.
    Exit,
}

/// What to answer: a JSON value, or `ok` with the current snapshot.
enum Reply {
    Json(Value),
    Snapshot,
}

/// `{"op":"apply","event":...}` and nothing else. serde refuses what the
/// general path refuses (an unknown or repeated field, an event object with
/// other than one key), so the quick path never answers differently.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickApply {
    #[allow(dead_code)]
    op: ApplyOp,
    event: crate::model::Event,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum ApplyOp {
    Apply,
}

/// One client's session: the loaded case, if any.
#[derive(Debug, Default)]
pub struct Session {
    model: Option<Model>,
}

fn bad_request(msg: impl Into<String>) -> Value {
    error_answer(ErrorCode::BadRequest, &msg.into())
}

fn from_model(e: ModelError) -> Value {
    error_answer(ErrorCode::from(&e), e.message())
}

/// Require exactly the fields `op` plus `fields` in a request.
fn exact_fields(req: &Map<String, Value>, op: &str, fields: &[&str]) -> Result<(), Value> {
    if let Some(extra) = req
        .keys()
        .find(|k| *k != "op" && !fields.contains(&k.as_str()))
    {
        return Err(bad_request(format!(
            "{op}: unknown request field {extra:?}"
        )));
    }
    if let Some(missing) = fields.iter().find(|f| !req.contains_key(**f)) {
        return Err(bad_request(format!(
            "{op}: missing request field {missing:?}"
        )));
    }
    Ok(())
}

impl Session {
    /// A session with nothing loaded.
    pub fn new() -> Session {
        Session::default()
    }

    /// The loaded model, if any.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_ref()
    }

    /// Answer one request line (without its newline) as a JSON value. Never panics.
    pub fn handle_line(&mut self, line: &[u8]) -> (Value, Control) {
        let (reply, control) = self.reply(line);
        let value = match reply {
            Reply::Json(v) => v,
            Reply::Snapshot => {
                json!({"ok": true, "snapshot": self.model.as_ref().map(Model::snapshot)})
            }
        };
        (value, control)
    }

    /// Answer one request line straight into `out` (no newline), without building
    /// a JSON value of the snapshot. Never panics.
    pub fn write_reply<W: Write>(&mut self, line: &[u8], out: &mut W) -> io::Result<Control> {
        let (reply, control) = self.reply(line);
        match (reply, self.model.as_ref()) {
            (Reply::Snapshot, Some(m)) => super::write_snapshot_answer(out, m.snapshot())?,
            (Reply::Json(v), _) => serde_json::to_writer(&mut *out, &v)?,
            (Reply::Snapshot, None) => {
                serde_json::to_writer(&mut *out, &bad_request("no case loaded"))?
            }
        }
        Ok(control)
    }

    fn reply(&mut self, line: &[u8]) -> (Reply, Control) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(text) = std::str::from_utf8(line) else {
            return (
                Reply::Json(bad_request("the line is not UTF-8")),
                Control::Continue,
            );
        };
        if let Some(reply) = self.quick_apply(text) {
            return (reply, Control::Continue);
        }
        self.reply_general(text)
    }

    fn reply_general(&mut self, text: &str) -> (Reply, Control) {
        if text.trim().is_empty() {
            return (
                Reply::Json(bad_request("empty line: expected a JSON request")),
                Control::Continue,
            );
        }
        let req = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                return (
                    Reply::Json(bad_request("a request is a JSON object")),
                    Control::Continue,
                )
            }
            Err(e) => {
                return (
                    Reply::Json(bad_request(format!("not JSON: {e}"))),
                    Control::Continue,
                )
            }
        };
        match self.handle(&req) {
            Ok((v, c)) => (v, c),
            Err(v) => (Reply::Json(v), Control::Continue),
        }
    }

    /// The common request, `apply` of a well-formed event to a loaded case,
    /// parsed straight from the text; anything else (`None`) takes the general
    /// path, which answers it exactly as it would have and words any error.
    fn quick_apply(&mut self, text: &str) -> Option<Reply> {
        let model = self.model.as_mut()?;
        let req = serde_json::from_str::<QuickApply>(text).ok()?;
        Some(match model.apply(&req.event) {
            Ok(_) => Reply::Snapshot,
            Err(e) => Reply::Json(from_model(e)),
        })
    }

    fn handle(&mut self, req: &Map<String, Value>) -> Result<(Reply, Control), Value> {
        let op = match req.get("op") {
            Some(Value::String(op)) => op.as_str(),
            Some(_) => return Err(bad_request("`op` must be a string")),
            None => return Err(bad_request("missing request field \"op\"")),
        };
        let go = |v| Ok((Reply::Json(v), Control::Continue));
        let snapshot = || Ok((Reply::Snapshot, Control::Continue));
        match op {
            "hello" => {
                exact_fields(req, op, &["protocol"])?;
                if req["protocol"].as_u64() != Some(PROTOCOL_VERSION) {
                    return Err(bad_request(format!(
                        "hello: unsupported protocol {} (selc speaks {PROTOCOL_VERSION})",
                        req["protocol"]
                    )));
                }
                go(json!({"ok": true, "name": SERVER_NAME, "protocol": PROTOCOL_VERSION}))
            }
            "load" => {
                exact_fields(req, op, &["network"])?;
                // A rejected load keeps the previous case.
                let model = Model::load(&req["network"], "network").map_err(from_model)?;
                self.model = Some(model);
                snapshot()
            }
            "apply" => {
                exact_fields(req, op, &["event"])?;
                let model = self
                    .model
                    .as_mut()
                    .ok_or_else(|| bad_request("apply: no case loaded yet"))?;
                model
                    .apply_json(&req["event"], "event")
                    .map_err(from_model)?;
                snapshot()
            }
            "snapshot" => {
                exact_fields(req, op, &[])?;
                if self.model.is_none() {
                    return Err(bad_request("snapshot: no case loaded yet"));
                }
                snapshot()
            }
            "bye" => {
                exact_fields(req, op, &[])?;
                Ok((Reply::Json(json!({"ok": true})), Control::Exit))
            }
            other => Err(bad_request(format!(
                "unknown op {other:?}: expected hello, load, apply, snapshot or bye"
            ))),
        }
    }
}

/// Serve the protocol until `bye` or end of input. Answers are flushed once no
/// request is waiting in `input`'s buffer: a client that waits for each answer
/// gets it at once, and one that pipelines gets them in few writes.
pub fn serve<R: Read, W: Write>(input: R, mut output: W) -> io::Result<()> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let mut session = Session::new();
    let mut line = Vec::new();
    while let Some(too_long) = read_line_capped(&mut input, &mut line, MAX_LINE_BYTES)? {
        let control = if too_long {
            let response = bad_request(format!("line longer than {MAX_LINE_BYTES} bytes"));
            serde_json::to_writer(&mut output, &response)?;
            Control::Continue
        } else {
            session.write_reply(&line, &mut output)?
        };
        output.write_all(b"\n")?;
        if input.buffer().is_empty() {
            output.flush()?;
        }
        if control == Control::Exit {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(v: &Value) -> Option<&str> {
        v["error"]["code"].as_str()
    }

    #[test]
    fn envelope_errors_are_bad_requests() {
        let mut s = Session::new();
        for line in [
            "",
            "   ",
            "nope",
            "[1]",
            "{}",
            r#"{"op":1}"#,
            r#"{"op":"dance"}"#,
            r#"{"op":"hello"}"#,
            r#"{"op":"hello","protocol":2}"#,
            r#"{"op":"hello","protocol":1,"x":1}"#,
            r#"{"op":"snapshot"}"#,
            r#"{"op":"apply","event":{"advance":{"seconds":1}}}"#,
            r#"{"op":"load"}"#,
        ] {
            let (v, c) = s.handle_line(line.as_bytes());
            assert_eq!(code(&v), Some("bad_request"), "{line}: {v}");
            assert_eq!(c, Control::Continue);
        }
        let (v, _) = s.handle_line(b"\xff\xfe");
        assert_eq!(code(&v), Some("bad_request"));
    }

    #[test]
    fn the_quick_apply_answers_as_the_general_path_does() {
        let load = r#"{"op":"load","network":{"systems":[{"name":"p","role":"primary","sid":"P","release":"9.1","licenses":[{"key":"SE","kind":"server_edition","sid":"P","count":1}]},{"name":"e","role":"expansion","sid":"E","release":"9.1"}]}}"#;
        let lines = [
            r#"{"op":"apply","event":{"advance":{"seconds":5}}}"#,
            r#"{"event":{"link_down":{"system":"e"}},"op":"apply"}"#,
            r#"{"op":"apply","event":{"link_down":{"system":"p"}}}"#,
            r#"{"op":"apply","event":{"restart":{"system":"nope"}}}"#,
            r#"{"op":"apply","event":{"restart":{"system":"e","system":"p"}}}"#,
            r#"{"op":"apply","event":{"advance":{"seconds":1},"restart":{"system":"e"}}}"#,
            r#"{"op":"apply","event":{"advance":{"seconds":-1}}}"#,
            r#"{"op":"apply","event":{"advance":{"seconds":1}},"x":1}"#,
            r#"{"op":"apply","op":"apply","event":{"advance":{"seconds":1}}}"#,
            r#"{"op":"apply","event":{"upgrade":{"system":"e","release":"9.0"}}}"#,
            r#"{"op":"apply","event":{"set_need":{"system":"e","kind":"power_user","count":3}}}"#,
            r#"{"op":"apply","event":[]}"#,
        ];
        let (mut quick, mut general) = (Session::new(), Session::new());
        let answer = |s: &mut Session, line: &str, general: bool| {
            let (reply, _) = if general {
                s.reply_general(line)
            } else {
                s.reply(line.as_bytes())
            };
            match reply {
                Reply::Json(v) => v.to_string(),
                Reply::Snapshot => serde_json::to_string(s.model().unwrap().snapshot()).unwrap(),
            }
        };
        assert_eq!(
            answer(&mut quick, load, false),
            answer(&mut general, load, true)
        );
        // The quick path takes the common request and leaves the odd one.
        let mut probe = Session::new();
        probe.reply(load.as_bytes());
        assert!(probe.quick_apply(lines[0]).is_some());
        assert!(probe.quick_apply(lines[7]).is_none());
        for line in lines {
            assert_eq!(
                answer(&mut quick, line, false),
                answer(&mut general, line, true),
                "{line}"
            );
        }
    }

    #[test]
    fn rejected_load_keeps_the_previous_case() {
        let mut s = Session::new();
        let ok = r#"{"op":"load","network":{"systems":[{"name":"p","role":"primary","sid":"P","release":"9.1"}]}}"#;
        assert_eq!(s.handle_line(ok.as_bytes()).0["ok"], true);
        let (v, _) = s.handle_line(br#"{"op":"load","network":{"systems":[]}}"#);
        assert_eq!(code(&v), Some("invalid_network"));
        let (v, _) = s.handle_line(br#"{"op":"load","network":7}"#);
        assert_eq!(code(&v), Some("invalid_network"));
        let (v, _) = s.handle_line(br#"{"op":"apply","event":"advance"}"#);
        assert_eq!(code(&v), Some("invalid_event"));
        let (v, _) = s.handle_line(br#"{"op":"snapshot"}"#);
        assert_eq!(v["snapshot"]["systems"][0]["name"], "p");
        let (v, c) = s.handle_line(br#"{"op":"bye"}"#);
        assert_eq!((v, c), (json!({"ok": true}), Control::Exit));
    }
}
