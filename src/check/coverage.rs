//! Rule coverage: which rules a step of the reference model exercises, i.e. where
//! the rule decides something that a wrong implementation could get wrong. The
//! verifier counts these to report rules never exercised.

use super::step::StepInput;
use crate::model::{Event, Kind, LinkState, Reason, Role, Status};
use crate::rules::{RuleId, RuleSet};

/// The rules exercised by one step of the reference model, in catalogue order.
pub fn exercised(input: &StepInput<'_>) -> RuleSet {
    let after = input.after;
    let net = input.network;
    let mut out = RuleSet::new();
    let has_reason = |r: Reason| after.diagnostics.iter().any(|d| d.reason == r);
    for (reason, rule) in [
        (Reason::UnsupportedKind, RuleId::Unsupported),
        (Reason::WrongSid, RuleId::Sid),
        (Reason::Misplaced, RuleId::Place),
        (Reason::IncompatibleRelease, RuleId::Release),
        (Reason::DuplicateKey, RuleId::Duplicate),
        (Reason::HostUnlicensed, RuleId::Host),
    ] {
        if has_reason(reason) {
            out.insert(rule);
        }
    }
    if after.systems.iter().any(|s| s.status == Status::Unlicensed) {
        out.insert(RuleId::Se);
    }
    if net.systems.iter().any(|s| s.role == Role::OneXPortal) {
        out.insert(RuleId::Portal);
    }
    if !after.systems.is_empty() {
        out.insert(RuleId::Voicenet);
    }
    let participants: Vec<usize> = (0..net.systems.len())
        .filter(|&i| {
            i != net.primary
                && after
                    .systems
                    .get(i)
                    .is_some_and(|s| s.link == LinkState::Connected && s.status == Status::Licensed)
        })
        .collect();
    let (mut first, mut need, mut capacity, mut short, mut order) =
        (false, false, false, false, false);
    for kind in Kind::centralized() {
        let pool = after.pool.get(kind);
        let p_need = net.systems[net.primary].need(kind);
        // Summed here rather than collected: this runs for every step of every case.
        let (mut wanted, mut needing, mut shorts) = (p_need, 0usize, 0usize);
        for &i in &participants {
            let n = net.systems[i].need(kind);
            wanted = wanted.saturating_add(n);
            needing += usize::from(n > 0);
            shorts += usize::from(after.systems[i].in_effect.get(kind) < n);
        }
        first |= p_need > 0 && pool > 0 && needing > 0;
        need |= needing > 0;
        capacity |= pool > 0 && wanted > pool;
        short |= shorts > 0;
        order |= shorts > 0 && needing >= 2;
    }
    for (hit, rule) in [
        (first, RuleId::PrimaryFirst),
        (need, RuleId::NoOvergrant),
        (capacity, RuleId::Capacity),
        (short, RuleId::WorkConserving),
        (order, RuleId::Order),
    ] {
        if hit {
            out.insert(rule);
        }
    }
    let event = if input.rejected { None } else { input.event };
    let target_was_down = input
        .target()
        .and_then(|i| input.before_system(i))
        .is_some_and(|s| matches!(s.link, LinkState::Grace | LinkState::Lapsed));
    if after.systems.iter().any(|s| s.link == LinkState::Grace)
        || matches!(event, Some(Event::LinkDown { .. }))
    {
        out.insert(RuleId::Grace);
    }
    if after
        .systems
        .iter()
        .any(|s| s.link == LinkState::Lapsed && s.deadline.is_some_and(|d| after.now >= d))
    {
        out.insert(RuleId::Expiry);
    }
    if matches!(event, Some(Event::Restart { .. })) && target_was_down {
        out.insert(RuleId::Restart);
    }
    if matches!(event, Some(Event::Upgrade { .. })) {
        out.insert(RuleId::Upgrade);
    }
    if matches!(event, Some(Event::LinkUp { .. })) && target_was_down {
        out.insert(RuleId::Reconnect);
    }
    let vm = |f: &dyn Fn(&crate::model::SystemSnapshot) -> bool| {
        after.systems.iter().any(|s| s.voicemail.is_some() && f(s))
    };
    if vm(&|s| s.status == Status::Unlicensed) {
        out.insert(RuleId::VmLicense);
    }
    if vm(&|s| {
        s.status == Status::Licensed && matches!(s.link, LinkState::Primary | LinkState::Connected)
    }) {
        out.insert(RuleId::VmDefault);
    }
    if vm(&|s| {
        s.status == Status::Licensed && matches!(s.link, LinkState::Grace | LinkState::Lapsed)
    }) {
        out.insert(RuleId::VmFailover);
    }
    if input.rejected {
        out.insert(RuleId::Atomic);
    }
    out.insert(RuleId::Total);
    out
}
