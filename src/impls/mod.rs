//! Implementations under test: the [`Implementation`] trait a Rust implementer
//! writes, the [`Driven`] trait the harness drives (with [`InProcess`] between
//! them), the reference model ([`reference::Reference`]), and the subprocess
//! adapter for any language over the JSON-lines protocol ([`process::Process`]).
//! No rule lives here.

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
    /// The run was interrupted (SIGINT or SIGTERM): not the implementation's doing.
    #[error("the run was interrupted")]
    Interrupted,
    /// An implementation in process does not support this request (a feature
    /// it leaves out on purpose). `selc verify` counts it a failure, as any
    /// other missing answer; `selc::fuzz` skips the input, as wasmtime's
    /// differential oracles skip what one engine does not support.
    #[error("not supported: {0}")]
    Unsupported(String),
}

impl HarnessError {
    /// The kind of failure, as reports group failures by it (`timeout`).
    pub fn kind(&self) -> &'static str {
        match self {
            HarnessError::Spawn(_) => "could not start",
            HarnessError::Timeout(_) => "timeout",
            HarnessError::Exited(_) => "exited",
            HarnessError::BadResponse(_) => "bad response",
            HarnessError::Protocol(_) => "protocol error",
            HarnessError::TimeLimit => "time limit",
            HarnessError::Interrupted => "interrupted",
            HarnessError::Unsupported(_) => "not supported",
        }
    }

    /// Whether the run itself cut the case short (its time limit, an
    /// interruption): such a case is neither passed nor failed.
    pub fn is_the_runs_own(&self) -> bool {
        matches!(self, HarnessError::TimeLimit | HarnessError::Interrupted)
    }
}

impl From<ResponseError> for HarnessError {
    fn from(e: ResponseError) -> Self {
        match e {
            ResponseError::Malformed(m) => HarnessError::BadResponse(m),
            ResponseError::Protocol(m) => HarnessError::Protocol(m),
        }
    }
}

/// An implementation of the rules, as a Rust implementer writes it: the name
/// it gives, and its answer to each request (`load`, `apply`, `snapshot`; see
/// docs/protocol.md). Verify it in process by wrapping it in [`InProcess`]:
/// `selc::verify::verify(&mut InProcess::new(engine), &config, None, &mut Quiet)`.
pub trait Implementation {
    /// The implementation's name (the `hello` exchange).
    fn hello(&mut self) -> Result<String, HarnessError>;
    /// The answer to one request: a snapshot, or a rejection with its code.
    fn answer(&mut self, request: Request<'_>) -> Result<Answer, HarnessError>;
    /// Start afresh after a failed case: nothing kept from earlier requests
    /// may reach the next case. By default, nothing to do.
    fn restart(&mut self) {}
}

/// An [`Implementation`] driven by the harness in process: its answers are
/// computed when the request is sent and queued until received.
#[derive(Debug)]
pub struct InProcess<I> {
    imp: I,
    answers: std::collections::VecDeque<Result<Answer, HarnessError>>,
}

impl<I: Implementation> InProcess<I> {
    /// `imp`, ready to be driven.
    pub fn new(imp: I) -> InProcess<I> {
        InProcess {
            imp,
            answers: std::collections::VecDeque::new(),
        }
    }

    /// The implementation itself.
    pub fn inner(&mut self) -> &mut I {
        &mut self.imp
    }
}

impl<I: Implementation> Driven for InProcess<I> {
    fn hello(&mut self) -> Result<String, HarnessError> {
        self.imp.hello()
    }

    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError> {
        let a = self.imp.answer(request);
        self.answers.push_back(a);
        Ok(())
    }

    fn receive(&mut self) -> Result<Answer, HarnessError> {
        self.answers
            .pop_front()
            .unwrap_or_else(|| Err(HarnessError::Protocol("nothing was asked".into())))
    }

    fn discard(&mut self) {
        self.answers.clear();
    }

    fn restart(&mut self) {
        self.answers.clear();
        self.imp.restart();
    }
}

/// An implementation as the harness drives it: requests may be sent ahead of
/// their answers (pipelined), which come back in order, so a harness that
/// knows a whole case sends it at once and does not pay a round trip per
/// event; and the harness's own concerns (timeouts, the run's deadline,
/// planned lines, latencies, stderr) where a program has them. A program over
/// the protocol ([`process::Process`]), the reference ([`reference::Reference`])
/// and any [`Implementation`] in process ([`InProcess`]) are driven alike.
pub trait Driven {
    /// The `hello` exchange: the implementation's name. Checks the protocol version.
    fn hello(&mut self) -> Result<String, HarnessError>;
    /// Send a request of a case (`load`, `apply`, `snapshot`); its answer comes
    /// from a later [`Driven::receive`].
    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError>;
    /// Whether requests reach this implementation as lines (a process): then
    /// [`Driven::send_planned`] needs no [`Request`], and a generated
    /// case is sent without being built as JSON values.
    fn takes_lines(&self) -> bool {
        false
    }
    /// Send a request of a planned case ([`crate::verify::plan`]): `line` is
    /// the request written ahead, `request` the request itself unless
    /// [`Driven::takes_lines`]; `expected`, the reference's answer in
    /// canonical form and the snapshot it means. An answer equal to that line
    /// byte for byte may be received as that very snapshot (the same `Arc`,
    /// which is how a judge tells), unparsed. By default,
    /// [`Driven::send`] of `request` (or of `line` parsed again).
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
    /// Send `line` as it is, outside any case and with nothing in flight, and
    /// wait for the one line that answers it: the protocol's envelope
    /// (`crate::verify::envelope`). `None`: this implementation takes no raw
    /// lines (one in process has no envelope).
    fn exchange(&mut self, _line: &str) -> Option<Result<String, HarnessError>> {
        None
    }
    /// Whether each start of the program begins with `hello`; returns what it
    /// was. The envelope probes turn it off to check that `hello` is optional
    /// (D-ENV-HELLO). Nothing to do for an implementation with no start.
    fn set_hello(&mut self, _on: bool) -> bool {
        false
    }
    /// The exchange digest of the oldest case sent and not yet taken, when
    /// exchanges are digested (`crate::verify::exchange::Digesting`).
    fn take_exchange(&mut self) -> Option<[u8; 32]> {
        None
    }
    /// Forget the exchanges of every case sent and not taken.
    fn forget_exchanges(&mut self) {}
}
