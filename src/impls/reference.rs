//! The reference model as an [`Implementation`], in process (no protocol, no JSON
//! round trip of the snapshot).

use serde_json::Value;

use super::{Answer, HarnessError, Implementation, Request};
use crate::model::{Model, ModelError};
use crate::scenario::ErrorCode;

/// The reference model behind the [`Implementation`] trait.
#[derive(Debug, Default)]
pub struct Reference {
    model: Option<Model>,
    pending: std::collections::VecDeque<Pending>,
}

#[derive(Debug)]
enum Pending {
    Load(Value),
    Apply(Value),
    Snapshot,
}

impl Reference {
    /// A reference with nothing loaded.
    pub fn new() -> Reference {
        Reference::default()
    }
}

fn answer(r: Result<&crate::model::Snapshot, ModelError>) -> Answer {
    match r {
        Ok(s) => Answer::Snapshot(Box::new(s.clone())),
        Err(e) => Answer::Rejected {
            code: match e {
                ModelError::InvalidNetwork(_) => ErrorCode::InvalidNetwork,
                ModelError::InvalidEvent(_) => ErrorCode::InvalidEvent,
            },
            message: e.message().to_string(),
        },
    }
}

impl Implementation for Reference {
    fn hello(&mut self) -> Result<String, HarnessError> {
        Ok(crate::protocol::SERVER_NAME.to_string())
    }

    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError> {
        self.pending.push_back(match request {
            Request::Load(n) => Pending::Load(n.clone()),
            Request::Apply(e) => Pending::Apply(e.clone()),
            Request::Snapshot => Pending::Snapshot,
        });
        Ok(())
    }

    fn receive(&mut self) -> Result<Answer, HarnessError> {
        match self.pending.pop_front() {
            None => Err(HarnessError::Protocol("nothing was asked".into())),
            Some(Pending::Load(network)) => match Model::load(&network, "network") {
                Ok(m) => {
                    let a = Answer::Snapshot(Box::new(m.snapshot().clone()));
                    self.model = Some(m);
                    Ok(a)
                }
                Err(e) => Ok(answer(Err(e))),
            },
            Some(Pending::Apply(event)) => {
                let m = self
                    .model
                    .as_mut()
                    .ok_or_else(|| HarnessError::Protocol("apply before load".into()))?;
                Ok(answer(m.apply_json(&event, "event")))
            }
            Some(Pending::Snapshot) => {
                let m = self
                    .model
                    .as_ref()
                    .ok_or_else(|| HarnessError::Protocol("snapshot before load".into()))?;
                Ok(Answer::Snapshot(Box::new(m.snapshot().clone())))
            }
        }
    }

    fn discard(&mut self) {
        self.pending.clear();
    }
}
