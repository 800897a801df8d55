//! Section 3 (which licenses are valid) and section 4 (Server Edition status).
//!
//! The checks run in the order of the spec; the first that fails gives the reason.
//! R-DUPLICATE looks only at earlier copies that passed R-UNSUPPORTED ..
//! R-RELEASE, and R-HOST needs R-SE, which itself needs a valid `server_edition`
//! license: hence three passes.

use std::collections::HashSet;

use super::network::{License, Network, System};
use super::snapshot::Diagnostic;
use super::types::{Kind, KindClass, Reason, Role, Status};

/// The verdict on every license and system of a network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validity {
    /// `valid[s][l]`: license `l` of system `s` passed every check.
    pub valid: Vec<Vec<bool>>,
    /// R-SE / R-PORTAL status of each system.
    pub status: Vec<Status>,
    /// Every invalid license with its first failing check, in network order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Validity {
    /// Whether system `s` is licensed (R-SE).
    pub fn licensed(&self, s: usize) -> bool {
        self.status[s] == Status::Licensed
    }
}

/// R-UNSUPPORTED, R-SID, R-PLACE, R-RELEASE: the checks that do not depend on
/// other licenses. Returns the first failing reason.
fn local_check(system: &System, license: &License) -> Option<Reason> {
    let class = license.kind.class();
    if class == KindClass::Unsupported {
        return Some(Reason::UnsupportedKind);
    }
    if system.sid.as_deref() != Some(license.sid.as_str()) {
        return Some(Reason::WrongSid);
    }
    let placed = match (class, license.kind, system.role) {
        (KindClass::ServerEdition, _, _) => true,
        (_, Kind::VoicemailChannel, role) => matches!(role, Role::Primary | Role::Secondary),
        (_, _, role) => role == Role::Primary,
    };
    if !placed {
        return Some(Reason::Misplaced);
    }
    if !system.release.is_some_and(|r| r.is_supported()) {
        return Some(Reason::IncompatibleRelease);
    }
    None
}

/// Assess every license of the network (section 3) and every system's status
/// (section 4). Cost: O(licenses) with hashing of keys.
pub fn assess(network: &Network) -> Validity {
    // Pass 1: R-UNSUPPORTED .. R-DUPLICATE, in network order. A key is claimed by
    // the first copy passing the local checks (reference choice: first wins), even
    // if that copy later fails R-HOST.
    let mut claimed: HashSet<&str> = HashSet::new();
    let mut first_fail: Vec<Vec<Option<Reason>>> = Vec::with_capacity(network.systems.len());
    for system in &network.systems {
        let row = system
            .licenses
            .iter()
            .map(|l| {
                local_check(system, l)
                    .or_else(|| (!claimed.insert(l.key.as_str())).then_some(Reason::DuplicateKey))
            })
            .collect();
        first_fail.push(row);
    }
    // Pass 2: R-SE and R-PORTAL.
    let status: Vec<Status> = network
        .systems
        .iter()
        .zip(&first_fail)
        .map(|(system, fails)| {
            if !system.role.needs_server_edition() {
                return Status::Exempt;
            }
            let release_ok = system.release.is_some_and(|r| r.is_supported());
            let has_se = system
                .licenses
                .iter()
                .zip(fails)
                .any(|(l, f)| f.is_none() && l.kind == Kind::ServerEdition && l.count >= 1);
            if release_ok && has_se {
                Status::Licensed
            } else {
                Status::Unlicensed
            }
        })
        .collect();
    // Pass 3: R-HOST, then diagnostics.
    let mut valid = Vec::with_capacity(network.systems.len());
    let mut diagnostics = Vec::new();
    for (s, system) in network.systems.iter().enumerate() {
        let mut row = Vec::with_capacity(system.licenses.len());
        for (l, license) in system.licenses.iter().enumerate() {
            let reason = first_fail[s][l].or_else(|| {
                (license.kind != Kind::ServerEdition && status[s] != Status::Licensed)
                    .then_some(Reason::HostUnlicensed)
            });
            if let Some(reason) = reason {
                diagnostics.push(Diagnostic {
                    system: system.name.clone(),
                    key: license.key.clone(),
                    reason,
                });
            }
            row.push(reason.is_none());
        }
        valid.push(row);
    }
    Validity {
        valid,
        status,
        diagnostics,
    }
}

/// Sum of the counts of the valid licenses of `kind` in system `s`'s configuration,
/// in u64 so that many u32 counts never wrap (R-TOTAL).
pub fn valid_sum(network: &Network, validity: &Validity, s: usize, kind: Kind) -> u64 {
    network.systems[s]
        .licenses
        .iter()
        .zip(&validity.valid[s])
        .filter(|(l, ok)| **ok && l.kind == kind)
        .map(|(l, _)| u64::from(l.count))
        .sum()
}
