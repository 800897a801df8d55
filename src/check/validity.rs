//! Oracles for sections 3 and 4: R-UNSUPPORTED, R-SID, R-PLACE, R-RELEASE,
//! R-DUPLICATE, R-HOST, R-SE, R-PORTAL, R-VOICENET.
//!
//! Each validity rule compares only the diagnostics with its own reason, so a
//! fault is charged to the rule it breaks. The expected reasons are derived here
//! from the network, independently of the model's code; R-HOST takes the
//! licensed status from the snapshot so that a wrong status is charged to R-SE
//! alone.

use std::collections::HashSet;

use super::step::{Facts, Sink, StepInput};
use crate::model::{Diagnostic, Kind, KindClass, Network, Reason, Role, Status, System};

/// R-UNSUPPORTED: an unsupported kind fails.
fn unsupported(l: &crate::model::License) -> bool {
    l.kind.class() == KindClass::Unsupported
}

/// R-SID: issued for another system's SID.
fn wrong_sid(s: &System, l: &crate::model::License) -> bool {
    s.sid.as_deref() != Some(l.sid.as_str())
}

/// R-PLACE: where each class may be entered.
fn misplaced(s: &System, l: &crate::model::License) -> bool {
    match l.kind {
        Kind::ServerEdition => false,
        Kind::VoicemailChannel => !matches!(s.role, Role::Primary | Role::Secondary),
        _ => s.role != Role::Primary,
    }
}

/// R-RELEASE: the host's release is outside 6.0 ..= 9.1.
fn bad_release(s: &System) -> bool {
    !s.release.is_some_and(|r| r.is_supported())
}

/// The first failing reason of every license, in network order. `licensed` gives
/// each system's status for R-HOST.
pub fn expected_reasons(
    network: &Network,
    licensed: &dyn Fn(usize) -> bool,
) -> Vec<Vec<Option<Reason>>> {
    let licenses = network.systems.iter().map(|s| s.licenses.len()).sum();
    let mut claimed: HashSet<&str> = HashSet::with_capacity(licenses);
    network
        .systems
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.licenses
                .iter()
                .map(|l| {
                    if unsupported(l) {
                        Some(Reason::UnsupportedKind)
                    } else if wrong_sid(s, l) {
                        Some(Reason::WrongSid)
                    } else if misplaced(s, l) {
                        Some(Reason::Misplaced)
                    } else if bad_release(s) {
                        Some(Reason::IncompatibleRelease)
                    } else if !claimed.insert(l.key.as_str()) {
                        Some(Reason::DuplicateKey)
                    } else if l.kind != Kind::ServerEdition && !licensed(i) {
                        Some(Reason::HostUnlicensed)
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect()
}

/// R-SE from the network alone: release in range and a valid Server Edition license
/// with count >= 1. Server Edition licenses are not subject to R-HOST, so any
/// `reasons` from [`expected_reasons`] serve, whatever statuses they assumed.
pub fn expected_licensed(network: &Network, reasons: &[Vec<Option<Reason>>]) -> Vec<bool> {
    network
        .systems
        .iter()
        .zip(reasons)
        .map(|(s, r)| {
            s.role != Role::OneXPortal
                && !bad_release(s)
                && s.licenses
                    .iter()
                    .zip(r)
                    .any(|(l, r)| r.is_none() && l.kind == Kind::ServerEdition && l.count >= 1)
        })
        .collect()
}

/// The snapshot's licensed status per network index (false when missing).
pub fn reported_licensed(input: &StepInput<'_>) -> Vec<bool> {
    (0..input.network.systems.len())
        .map(|i| {
            input
                .after_system(i)
                .is_some_and(|s| s.status == Status::Licensed)
        })
        .collect()
}

/// Derive the facts of a step once for all checkers.
pub fn facts<'a>(input: StepInput<'a>) -> Facts<'a> {
    let licensed = reported_licensed(&input);
    let reasons = expected_reasons(input.network, &|i| licensed[i]);
    let diagnostics = diagnostics_of(input.network, &reasons);
    Facts {
        input,
        licensed: expected_licensed(input.network, &reasons),
        reasons,
        diagnostics,
    }
}

/// The diagnostics that `reasons` give, in network then configuration order.
fn diagnostics_of(network: &Network, reasons: &[Vec<Option<Reason>>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (s, rs) in network.systems.iter().zip(reasons) {
        for (l, r) in s.licenses.iter().zip(rs) {
            if let Some(reason) = r {
                out.push(Diagnostic {
                    system: s.name.clone(),
                    key: l.key.clone(),
                    reason: *reason,
                });
            }
        }
    }
    out
}

/// Compare the diagnostics carrying one reason.
fn check_reason(input: &Facts<'_>, reason: Reason, r: &mut Sink<'_>) {
    let want: Vec<&Diagnostic> = input
        .diagnostics
        .iter()
        .filter(|d| d.reason == reason)
        .collect();
    let got: Vec<&Diagnostic> = input
        .after
        .diagnostics
        .iter()
        .filter(|d| d.reason == reason)
        .collect();
    if want != got {
        let show = |ds: &mut dyn Iterator<Item = &Diagnostic>| {
            ds.map(|d| format!("{}/{}", d.system, d.key))
                .collect::<Vec<_>>()
                .join(", ")
        };
        r.fail(format!(
            "diagnostics with reason {}: expected [{}], got [{}]",
            super::show::json(&reason),
            show(&mut want.into_iter()),
            show(&mut got.into_iter())
        ));
    }
}

/// R-UNSUPPORTED.
pub fn r_unsupported(input: &Facts<'_>, r: &mut Sink<'_>) {
    check_reason(input, Reason::UnsupportedKind, r);
    // The whole list is in network order: charge an ordering fault here once.
    let want = &input.diagnostics;
    if *want == input.after.diagnostics {
        return;
    }
    if sorted(want) == sorted(&input.after.diagnostics) {
        r.fail("diagnostics are not in network order, then configuration order".into());
    }
}

/// The diagnostics in one fixed order (system, key, reason), to compare two lists
/// as sets.
fn sorted(ds: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut v: Vec<&Diagnostic> = ds.iter().collect();
    v.sort_by(|a, b| {
        (&*a.system, a.key.as_str(), a.reason as u8).cmp(&(
            &*b.system,
            b.key.as_str(),
            b.reason as u8,
        ))
    });
    v
}

/// R-SID.
pub fn r_sid(input: &Facts<'_>, r: &mut Sink<'_>) {
    check_reason(input, Reason::WrongSid, r);
}

/// R-PLACE.
pub fn r_place(input: &Facts<'_>, r: &mut Sink<'_>) {
    check_reason(input, Reason::Misplaced, r);
}

/// R-RELEASE.
pub fn r_release(input: &Facts<'_>, r: &mut Sink<'_>) {
    check_reason(input, Reason::IncompatibleRelease, r);
}

/// R-DUPLICATE.
pub fn r_duplicate(input: &Facts<'_>, r: &mut Sink<'_>) {
    check_reason(input, Reason::DuplicateKey, r);
}

/// R-HOST.
pub fn r_host(input: &Facts<'_>, r: &mut Sink<'_>) {
    check_reason(input, Reason::HostUnlicensed, r);
}

/// R-SE: status, and an unlicensed system receives no centralized licenses.
pub fn r_se(input: &Facts<'_>, r: &mut Sink<'_>) {
    let want = &input.licensed;
    for (i, s) in input.network.systems.iter().enumerate() {
        if s.role == Role::OneXPortal {
            continue;
        }
        let Some(snap) = input.after_system(i) else {
            r.fail(format!(
                "system {} missing from the snapshot (or out of order)",
                s.name
            ));
            continue;
        };
        let expected = if want[i] {
            Status::Licensed
        } else {
            Status::Unlicensed
        };
        r.expect(|| format!("{}.status", s.name), expected, snap.status);
        // An unlicensed connected system (or primary) gets nothing; one in grace is R-GRACE's.
        if snap.status == Status::Unlicensed
            && matches!(
                snap.link,
                crate::model::LinkState::Connected | crate::model::LinkState::Primary
            )
            && !snap.in_effect.is_empty()
        {
            r.fail(format!(
                "{} is unlicensed but has {} in effect",
                s.name,
                super::show::json(&snap.in_effect)
            ));
        }
    }
    if input.after.systems.len() != input.network.systems.len() {
        r.fail(format!(
            "the snapshot has {} systems, the network {}",
            input.after.systems.len(),
            input.network.systems.len()
        ));
    }
}

/// R-PORTAL: exempt, external, nothing allocated.
pub fn r_portal(input: &Facts<'_>, r: &mut Sink<'_>) {
    for (i, s) in input.network.systems.iter().enumerate() {
        if s.role != Role::OneXPortal {
            continue;
        }
        let Some(p) = input.after_system(i) else {
            continue;
        };
        let ok = p.status == Status::Exempt
            && p.link == crate::model::LinkState::External
            && p.deadline.is_none()
            && p.in_effect.is_empty()
            && p.reserved.is_empty()
            && p.voicemail.is_none()
            && !p.voice_networking;
        if !ok {
            r.fail(format!(
                "portal {} must be exempt, external and hold nothing: {}",
                s.name,
                super::show::json(p)
            ));
        }
    }
}

/// R-VOICENET: voice networking iff licensed.
pub fn r_voicenet(input: &Facts<'_>, r: &mut Sink<'_>) {
    for s in &input.after.systems {
        r.expect(
            || format!("{}.voice_networking", s.name),
            s.status == Status::Licensed,
            s.voice_networking,
        );
    }
}
