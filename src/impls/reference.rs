//! The reference model, driven in process as any [`Driven`], in process (no protocol, no JSON
//! round trip of the snapshot).

use std::collections::VecDeque;

use super::{Driven, HarnessError};
use crate::model::{Event, Model, ModelError, Network};
use crate::protocol::ErrorCode;
use crate::protocol::{Answer, Request};

/// The reference model behind the [`Driven`] trait.
#[derive(Debug, Default)]
pub struct Reference {
    model: Option<Model>,
    pending: VecDeque<Pending>,
}

/// A request waiting for `receive`. Parsed when sent rather than kept as JSON:
/// parsing depends on nothing but the request, and it spares a copy of it.
#[derive(Debug)]
enum Pending {
    Load(Result<Network, ModelError>),
    Apply(Result<Event, ModelError>),
    Snapshot,
}

impl Reference {
    /// A reference with nothing loaded.
    pub fn new() -> Reference {
        Reference::default()
    }

    fn model(&mut self, what: &str) -> Result<&mut Model, HarnessError> {
        self.model
            .as_mut()
            .ok_or_else(|| HarnessError::Protocol(format!("{what} before load")))
    }
}

fn rejected(e: ModelError) -> Answer {
    Answer::Rejected {
        code: ErrorCode::from(&e),
        message: e.message().to_string(),
    }
}

impl Driven for Reference {
    fn hello(&mut self) -> Result<String, HarnessError> {
        Ok(crate::protocol::SERVER_NAME.to_string())
    }

    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError> {
        self.pending.push_back(match request {
            Request::Load(n) => Pending::Load(Network::from_json(n, "network")),
            Request::Apply(e) => Pending::Apply(Event::from_json(e, "event")),
            Request::Snapshot => Pending::Snapshot,
            Request::Hello | Request::Bye => {
                return Err(HarnessError::Protocol(format!(
                    "`{}` is not a request of a case",
                    request.op()
                )))
            }
        });
        Ok(())
    }

    fn receive(&mut self) -> Result<Answer, HarnessError> {
        match self.pending.pop_front() {
            None => Err(HarnessError::Protocol("nothing was asked".into())),
            Some(Pending::Load(Ok(network))) => {
                let m = Model::new(network);
                let a = Answer::Snapshot(m.shared_snapshot());
                self.model = Some(m);
                Ok(a)
            }
            Some(Pending::Load(Err(e))) => Ok(rejected(e)),
            Some(Pending::Apply(event)) => {
                let m = self.model("apply")?;
                Ok(match event.and_then(|e| m.apply(&e).map(|_| ())) {
                    Ok(()) => Answer::Snapshot(m.shared_snapshot()),
                    Err(e) => rejected(e),
                })
            }
            Some(Pending::Snapshot) => {
                Ok(Answer::Snapshot(self.model("snapshot")?.shared_snapshot()))
            }
        }
    }

    fn discard(&mut self) {
        self.pending.clear();
    }
}
