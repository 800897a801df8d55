//! Section 9: the snapshot the model exposes after loading and after every event.
//! Also the type an implementation under test answers with, so deserialization is
//! strict: unknown fields are errors and nullable fields must be present.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};

pub use super::counts::Counts;
use super::types::{LinkState, Reason, Status};

/// An invalid license and why (section 3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    /// The system whose configuration holds it.
    pub system: Arc<str>,
    /// Its key.
    pub key: String,
    /// Its first failing check.
    pub reason: Reason,
}

/// Voicemail Pro on a primary or secondary that deploys it (section 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voicemail {
    /// R-VM-LICENSE / R-VM-FAILOVER.
    pub running: bool,
    /// R-VM-DEFAULT / R-VM-FAILOVER.
    pub channels: u64,
}

/// One system in a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemSnapshot {
    /// The system's name (shared with the network's).
    pub name: Arc<str>,
    /// R-SE / R-PORTAL.
    pub status: Status,
    /// Section 6.
    pub link: LinkState,
    /// R-GRACE: `t + GRACE` from link-down until link-up; otherwise null.
    #[serde(deserialize_with = "present")]
    pub deadline: Option<u64>,
    /// What it may use now (section 5, R-GRACE).
    pub in_effect: Counts,
    /// What the Primary counts as lent to it (section 5).
    pub reserved: Counts,
    /// Section 7; null where Voicemail Pro is not deployed.
    #[serde(deserialize_with = "present")]
    pub voicemail: Option<Voicemail>,
    /// R-VOICENET.
    pub voice_networking: bool,
}

/// The whole observable state (section 9).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Seconds since time 0.
    pub now: u64,
    /// Nonzero pool per centralized kind (section 5).
    pub pool: Counts,
    /// In network order.
    pub systems: Vec<SystemSnapshot>,
    /// Invalid licenses, in network then configuration order (section 3).
    pub diagnostics: Vec<Diagnostic>,
}

/// A nullable field that must still be present: `Option` alone would accept a
/// missing field as null, hiding a wrong shape.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)
}

impl Snapshot {
    /// Parse a snapshot from JSON, naming the path of the first problem.
    pub fn from_json(value: &serde_json::Value) -> Result<Snapshot, String> {
        if let Ok(s) = Snapshot::deserialize(value) {
            return Ok(s);
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            format!("{path}: {}", e.into_inner())
        })
    }

    /// The snapshot as a JSON value (the form compared and diffed).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a snapshot always serializes")
    }
}
