//! Section 8: events, their parsing and their validation. Applying an event is
//! split in two so that R-ATOMIC holds by construction: [`Event::check`] finds
//! every reason to reject without touching anything, and only then does the model
//! change.

use serde::{Deserialize, Serialize};

use super::network::{License, Network};
use super::types::{Kind, Release, Role};
use super::ModelError;

/// An event (section 8): an object with exactly one key, the event's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// `now += seconds`, saturating.
    Advance {
        /// Seconds to move on.
        seconds: u64,
    },
    /// R-GRACE.
    LinkDown {
        /// A secondary or expansion.
        system: String,
    },
    /// R-RECONNECT.
    LinkUp {
        /// A secondary or expansion.
        system: String,
    },
    /// R-RESTART.
    Restart {
        /// Any system but a portal.
        system: String,
    },
    /// R-UPGRADE: set the release, then restart.
    Upgrade {
        /// Any system but a portal.
        system: String,
        /// The new release (any well-formed one, 10.0 included).
        release: Release,
    },
    /// Set a system's need for one centralized kind.
    SetNeed {
        /// Any system but a portal.
        system: String,
        /// A centralized kind.
        kind: Kind,
        /// The new need.
        count: u32,
    },
    /// Append a license to a system's configuration.
    AddLicense {
        /// Any system but a portal.
        system: String,
        /// Any known kind; validity is judged by section 3 afterwards.
        license: License,
    },
    /// Remove every license with this key from a system's configuration.
    RemoveLicense {
        /// Any system but a portal.
        system: String,
        /// Must be present in that configuration.
        key: String,
    },
}

fn invalid(msg: impl std::fmt::Display) -> ModelError {
    ModelError::InvalidEvent(msg.to_string())
}

impl Event {
    /// Parse an event from JSON. Errors name the path under `prefix` (`event` in a
    /// request, `events[3]` in a scenario).
    pub fn from_json(value: &serde_json::Value, prefix: &str) -> Result<Event, ModelError> {
        match value.as_object() {
            Some(o) if o.len() == 1 => {}
            _ => {
                return Err(invalid(format!(
                    "{prefix}: an event is an object with exactly one key, the event's name"
                )))
            }
        }
        // The fast path; on error, parse again tracking the path for the message.
        if let Ok(event) = Event::deserialize(value) {
            return Ok(event);
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let inner = e.path().to_string();
            let path = if inner == "." {
                prefix.to_string()
            } else {
                format!("{prefix}.{inner}")
            };
            invalid(format!("{path}: {}", e.into_inner()))
        })
    }

    /// The event's name as written in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Advance { .. } => "advance",
            Event::LinkDown { .. } => "link_down",
            Event::LinkUp { .. } => "link_up",
            Event::Restart { .. } => "restart",
            Event::Upgrade { .. } => "upgrade",
            Event::SetNeed { .. } => "set_need",
            Event::AddLicense { .. } => "add_license",
            Event::RemoveLicense { .. } => "remove_license",
        }
    }

    /// The system the event names, if any.
    pub fn system(&self) -> Option<&str> {
        match self {
            Event::Advance { .. } => None,
            Event::LinkDown { system }
            | Event::LinkUp { system }
            | Event::Restart { system }
            | Event::Upgrade { system, .. }
            | Event::SetNeed { system, .. }
            | Event::AddLicense { system, .. }
            | Event::RemoveLicense { system, .. } => Some(system),
        }
    }

    /// Every reason to reject this event against `network` (section 8, "invalid
    /// when"). Returns the index of the system it names, if any.
    pub fn check(&self, network: &Network) -> Result<Option<usize>, ModelError> {
        let name = self.name();
        let Some(system) = self.system() else {
            return Ok(None);
        };
        let idx = network.index_of(system).ok_or_else(|| {
            invalid(format!(
                "{name}.system: unknown system {}",
                super::quoted(system)
            ))
        })?;
        let role = network.systems[idx].role;
        if role == Role::OneXPortal {
            return Err(invalid(format!(
                "{name}.system: {} is a one-X Portal, which has no licensing",
                super::quoted(system)
            )));
        }
        match self {
            Event::LinkDown { .. } | Event::LinkUp { .. } if role == Role::Primary => {
                return Err(invalid(format!(
                    "{name}.system: {} is the primary, which has no link to itself",
                    super::quoted(system)
                )));
            }
            Event::SetNeed { kind, .. } if !kind.is_centralized() => {
                return Err(invalid(format!(
                    "{name}.kind: {kind} is not a centralized kind; needs exist only for those"
                )));
            }
            Event::AddLicense { license, .. } => {
                license
                    .check()
                    .map_err(|(field, msg)| invalid(format!("{name}.license.{field}: {msg}")))?;
            }
            Event::RemoveLicense { key, .. }
                if !network.systems[idx].licenses.iter().any(|l| &l.key == key) =>
            {
                return Err(invalid(format!(
                    "{name}.key: no license with key {} in the configuration of {}",
                    super::quoted(key),
                    super::quoted(system)
                )));
            }
            _ => {}
        }
        Ok(Some(idx))
    }
}
