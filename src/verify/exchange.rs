//! The exchange digest of a claim (`selc verify --claim`): each case's request
//! lines and answers, hashed as they pass between the harness and the
//! implementation ([`Digesting`], a [`Driven`] around the real one). A
//! deterministic implementation run again on the same cases gives the same
//! digest; `selc claim check --impl` compares them.
//!
//! Answers are hashed in canonical form (a snapshot as selc writes it, a
//! rejection as `{"ok":false,"error":{"code","message"}}`): the same answers
//! give the same digest however their JSON was spaced. The `hello` exchange
//! (sent again at every start of the program, wherever a restart falls) and
//! the envelope probes (lines outside any case) are left out.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::digest::Exchange;
use crate::impls::{Answer, Driven, HarnessError, Op, Request};
use crate::model::Snapshot;
use crate::protocol::{error_answer, snapshot_answer_line};

/// A case's exchange so far, and its answers still to come.
struct Open {
    exchange: Exchange,
    awaited: usize,
}

/// A [`Driven`] that digests each case's exchange on its way through.
pub struct Digesting<'a> {
    inner: &'a mut dyn Driven,
    /// The cases sent and not yet taken, oldest first (cases are sent ahead).
    open: VecDeque<Open>,
}

impl<'a> Digesting<'a> {
    /// Around `inner`.
    pub fn new(inner: &'a mut dyn Driven) -> Digesting<'a> {
        Digesting {
            inner,
            open: VecDeque::new(),
        }
    }

    fn sent(&mut self, op: Op, line: &[u8]) {
        if op == Op::Load || self.open.is_empty() {
            self.open.push_back(Open {
                exchange: Exchange::default(),
                awaited: 0,
            });
        }
        if let Some(o) = self.open.back_mut() {
            o.exchange.request(line);
            o.awaited += 1;
        }
    }

    fn received(&mut self, answer: &Result<Answer, HarnessError>) {
        let Some(o) = self.open.iter_mut().find(|o| o.awaited > 0) else {
            return;
        };
        o.awaited -= 1;
        match answer {
            Ok(Answer::Snapshot(s)) => o.exchange.answer(&snapshot_answer_line(s)),
            Ok(Answer::Rejected { code, message }) => {
                let line = error_answer(*code, message);
                o.exchange.answer(line.to_string().as_bytes());
            }
            // No answer: the case failed on the harness; its digest says so.
            Err(e) => o.exchange.answer(format!("! {}", e.kind()).as_bytes()),
        }
    }
}

impl Driven for Digesting<'_> {
    fn hello(&mut self) -> Result<String, HarnessError> {
        self.inner.hello()
    }

    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError> {
        self.sent(request.kind(), request.to_line().as_bytes());
        self.inner.send(request)
    }

    fn takes_lines(&self) -> bool {
        self.inner.takes_lines()
    }

    fn send_planned(
        &mut self,
        op: Op,
        line: &str,
        request: Option<Request<'_>>,
        expected: Option<(Vec<u8>, Arc<Snapshot>)>,
    ) -> Result<(), HarnessError> {
        self.sent(op, line.as_bytes());
        self.inner.send_planned(op, line, request, expected)
    }

    fn flush(&mut self) {
        self.inner.flush();
    }

    fn receive(&mut self) -> Result<Answer, HarnessError> {
        let a = self.inner.receive();
        self.received(&a);
        a
    }

    fn discard(&mut self) {
        for o in &mut self.open {
            o.awaited = 0;
        }
        self.inner.discard();
    }

    fn restart(&mut self) {
        self.inner.restart();
    }

    fn stderr_tail(&self) -> Vec<String> {
        self.inner.stderr_tail()
    }

    fn set_context(&mut self, case: &str) {
        self.inner.set_context(case);
    }

    fn timeout(&self) -> Option<Duration> {
        self.inner.timeout()
    }

    fn set_timeout(&mut self, timeout: Duration) {
        self.inner.set_timeout(timeout);
    }

    fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.inner.set_deadline(deadline);
    }

    fn latency_p99(&self) -> Option<Duration> {
        self.inner.latency_p99()
    }

    fn exchange(&mut self, line: &str) -> Option<Result<String, HarnessError>> {
        self.inner.exchange(line)
    }

    fn set_hello(&mut self, on: bool) -> bool {
        self.inner.set_hello(on)
    }

    /// The digest of the oldest case sent: the one just judged.
    fn take_exchange(&mut self) -> Option<[u8; 32]> {
        self.open.pop_front().map(|o| o.exchange.finish())
    }

    /// After a failure, cases sent ahead are sent again, and shrinking sends
    /// cases of its own: none of them is a case of the run yet.
    fn forget_exchanges(&mut self) {
        self.open.clear();
    }
}
