//! Implementations under test: the [`Implementation`] trait, the reference model
//! as one ([`reference::Reference`]), and the subprocess adapter for any language
//! over the JSON-lines protocol ([`process::Process`]). No rule lives here.

pub mod default;
pub mod process;
pub mod reference;

use std::sync::Arc;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::model::Snapshot;
use crate::protocol::ResponseError;
pub use crate::protocol::{Answer, Op, Request};

/// The implementation failed to answer as the protocol requires. The case fails
/// and, for a process, the program is ended and started afresh for the next case.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum HarnessError {
    /// The program could not be started.
    #[error("could not start the implementation: {0}")]
    Spawn(String),
    /// No response line within the timeout.
    #[error("no response within {0} ms")]
    Timeout(u64),
    /// The program exited, or closed its output, before answering.
    #[error("the implementation {0} before answering")]
    Exited(String),
    /// A response line that is not what the protocol says.
    #[error("bad response: {0}")]
    BadResponse(String),
    /// A `bad_request` answer to a well-formed request, or a wrong `hello`.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The run's wall-clock cap came while waiting for an answer.
    #[error("the run's time limit was reached while waiting for an answer")]
    TimeLimit,
}

impl From<ResponseError> for HarnessError {
    fn from(e: ResponseError) -> Self {
        match e {
            ResponseError::Malformed(m) => HarnessError::BadResponse(m),
            ResponseError::Protocol(m) => HarnessError::Protocol(m),
        }
    }
}

/// An implementation of the rules. Requests may be sent ahead of their answers
/// (pipelined), which come back in order: a harness that knows a whole case
/// sends it at once and does not pay a round trip per event.
pub trait Implementation {
    /// The `hello` exchange: the implementation's name. Checks the protocol version.
    fn hello(&mut self) -> Result<String, HarnessError>;
    /// Send a request of a case (`load`, `apply`, `snapshot`); its answer comes
    /// from a later [`Implementation::receive`].
    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError>;
    /// Whether requests reach this implementation as lines (a process): then
    /// [`Implementation::send_planned`] needs no [`Request`], and a generated
    /// case is sent without being built as JSON values.
    fn takes_lines(&self) -> bool {
        false
    }
    /// Send a request of a planned case ([`crate::verify::plan`]): `line` is
    /// the request written ahead, `request` the request itself unless
    /// [`Implementation::takes_lines`]; `expected`, the reference's answer in
    /// canonical form and the snapshot it means. An answer equal to that line
    /// byte for byte may be received as that very snapshot (the same `Arc`,
    /// which is how a judge tells), unparsed. By default,
    /// [`Implementation::send`] of `request` (or of `line` parsed again).
    fn send_planned(
        &mut self,
        op: Op,
        line: &str,
        request: Option<Request<'_>>,
        expected: Option<(Vec<u8>, Arc<Snapshot>)>,
    ) -> Result<(), HarnessError> {
        let _ = expected;
        if let Some(r) = request {
            return self.send(r);
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| HarnessError::Protocol(format!("a planned request is not JSON: {e}")))?;
        match op {
            Op::Load => self.send(Request::Load(&value["network"])),
            Op::Apply => self.send(Request::Apply(&value["event"])),
            Op::Snapshot => self.send(Request::Snapshot),
            Op::Hello => self.send(Request::Hello),
            Op::Bye => self.send(Request::Bye),
        }
    }
    /// Make sure every request sent so far reaches the implementation (a
    /// process queues them, to write a whole case at once). `receive` flushes
    /// too; a harness that sends ahead calls this once the case is sent.
    fn flush(&mut self) {}
    /// The answer to the oldest request not yet answered.
    fn receive(&mut self) -> Result<Answer, HarnessError>;
    /// Drop the answers not yet received (after a failure in mid-case).
    fn discard(&mut self);
    /// Load a network and wait for the answer.
    fn load(&mut self, network: &serde_json::Value) -> Result<Answer, HarnessError> {
        self.send(Request::Load(network))?;
        self.receive()
    }
    /// Apply an event and wait for the answer.
    fn apply(&mut self, event: &serde_json::Value) -> Result<Answer, HarnessError> {
        self.send(Request::Apply(event))?;
        self.receive()
    }
    /// Ask for the snapshot and wait for the answer.
    fn snapshot(&mut self) -> Result<Answer, HarnessError> {
        self.send(Request::Snapshot)?;
        self.receive()
    }
    /// Start afresh after a failed case, whose leftovers (an extra answer, a
    /// half-written line, state kept across `load`) must not reach the next
    /// one: a process is ended, and the next request starts a new one.
    fn restart(&mut self) {}
    /// The last lines the implementation wrote to stderr, for reports.
    fn stderr_tail(&self) -> Vec<String> {
        Vec::new()
    }
    /// Name the case now being run, for progress messages while waiting.
    fn set_context(&mut self, _case: &str) {}
    /// The per-request timeout, when there is one.
    fn timeout(&self) -> Option<Duration> {
        None
    }
    /// Change the per-request timeout (shrinking a harness failure waits less).
    fn set_timeout(&mut self, _timeout: Duration) {}
    /// No answer is waited for past `deadline` (the run's wall-clock cap).
    fn set_deadline(&mut self, _deadline: Option<Instant>) {}
    /// The 99th percentile of the answer latencies seen so far, if any.
    fn latency_p99(&self) -> Option<Duration> {
        None
    }
}
