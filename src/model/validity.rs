//! Section 3 (which licenses are valid) and section 4 (Server Edition status).
//!
//! The checks run in the order of the spec; the first that fails gives the reason.
//! R-DUPLICATE looks only at earlier copies that passed R-UNSUPPORTED ..
//! R-RELEASE, and R-HOST needs R-SE, which itself needs a valid `server_edition`
//! license: hence three passes.

use std::collections::HashSet;
use std::sync::Arc;

use super::counts::Counts;
use super::network::{License, Network, System};
use super::snapshot::Diagnostic;
use super::types::{Kind, KindClass, Reason, Role, Status};

/// The verdict on every license and system of a network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validity {
    /// The first failing check of every license (`None`: valid), in network then
    /// configuration order; system `s`'s licenses start at `starts[s]`. One flat
    /// vector rather than one per system: assessed again after every
    /// configuration change, so its allocations count.
    reasons: Vec<Option<Reason>>,
    starts: Vec<usize>,
    /// R-SE / R-PORTAL status of each system.
    pub status: Vec<Status>,
    /// Every invalid license with its first failing check, in network order.
    pub diagnostics: Vec<Diagnostic>,
    /// Per system, the sum of the counts of its valid licenses of each kind, in
    /// u64 so that many u32 counts never wrap (R-TOTAL).
    pub totals: Vec<Counts>,
}

impl Validity {
    /// Whether system `s` is licensed (R-SE).
    pub fn licensed(&self, s: usize) -> bool {
        self.status[s] == Status::Licensed
    }

    /// The sum of the counts of the valid licenses of `kind` in system `s`'s
    /// configuration (the pool on the Primary, local channels on the Secondary).
    pub fn total(&self, s: usize, kind: Kind) -> u64 {
        self.totals[s].get(kind)
    }

    /// The first failing check of each license of system `s`, in configuration
    /// order (`None`: valid).
    pub fn reasons(&self, s: usize) -> &[Option<Reason>] {
        let end = self
            .starts
            .get(s + 1)
            .copied()
            .unwrap_or(self.reasons.len());
        &self.reasons[self.starts[s]..end]
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
    let systems = &network.systems;
    let mut starts = Vec::with_capacity(systems.len());
    let mut total_licenses = 0;
    for system in systems {
        starts.push(total_licenses);
        total_licenses += system.licenses.len();
    }
    // Pass 1: R-UNSUPPORTED .. R-DUPLICATE, in network order. A key is claimed by
    // the first copy passing the local checks (reference choice: first wins), even
    // if that copy later fails R-HOST.
    let mut claimed: HashSet<&str> = HashSet::with_capacity(total_licenses);
    let mut reasons: Vec<Option<Reason>> = Vec::with_capacity(total_licenses);
    for system in systems {
        reasons.extend(system.licenses.iter().map(|l| {
            local_check(system, l)
                .or_else(|| (!claimed.insert(l.key.as_str())).then_some(Reason::DuplicateKey))
        }));
    }
    // Pass 2: R-SE and R-PORTAL.
    let status: Vec<Status> = systems
        .iter()
        .zip(&starts)
        .map(|(system, &start)| {
            if !system.role.needs_server_edition() {
                return Status::Exempt;
            }
            let release_ok = system.release.is_some_and(|r| r.is_supported());
            let has_se = system
                .licenses
                .iter()
                .zip(&reasons[start..])
                .any(|(l, f)| f.is_none() && l.kind == Kind::ServerEdition && l.count >= 1);
            if release_ok && has_se {
                Status::Licensed
            } else {
                Status::Unlicensed
            }
        })
        .collect();
    // Pass 3: R-HOST, then diagnostics and totals.
    let mut diagnostics = Vec::new();
    let mut totals = Vec::with_capacity(systems.len());
    for ((system, &start), &status) in systems.iter().zip(&starts).zip(&status) {
        let mut total = Counts::new();
        for (license, reason) in system.licenses.iter().zip(&mut reasons[start..]) {
            if reason.is_none() && license.kind != Kind::ServerEdition && status != Status::Licensed
            {
                *reason = Some(Reason::HostUnlicensed);
            }
            match *reason {
                Some(reason) => diagnostics.push(Diagnostic {
                    system: Arc::clone(&system.name),
                    key: license.key.clone(),
                    reason,
                }),
                None => total.add(license.kind, u64::from(license.count)),
            }
        }
        totals.push(total);
    }
    Validity {
        reasons,
        starts,
        status,
        diagnostics,
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_per_system_and_in_configuration_order() {
        let net = Network::from_json(
            &serde_json::json!({"systems": [
                {"name": "p", "role": "primary", "sid": "P", "release": "9.1", "licenses": [
                    {"key": "SE", "kind": "server_edition", "sid": "P", "count": 1},
                    {"key": "A", "kind": "power_user", "sid": "X", "count": 5},
                    {"key": "B", "kind": "power_user", "sid": "P", "count": 5}]},
                {"name": "x", "role": "one_x_portal", "sid": "Q"},
                {"name": "e", "role": "expansion", "sid": "E", "release": "9.1", "licenses": [
                    {"key": "B", "kind": "server_edition", "sid": "E", "count": 1}]}]}),
            "network",
        )
        .unwrap();
        let v = assess(&net);
        assert_eq!(v.reasons(0), [None, Some(Reason::WrongSid), None]);
        assert_eq!(v.reasons(1), []);
        assert_eq!(v.reasons(2), [Some(Reason::DuplicateKey)]);
        assert_eq!(v.total(0, Kind::PowerUser), 5);
        assert_eq!(
            v.status,
            [Status::Licensed, Status::Exempt, Status::Unlicensed]
        );
    }
}
