//! Rule coverage: which rules a step of the reference model exercises, i.e. where
//! the rule decides something that a wrong implementation could get wrong. The
//! verifier counts these to report rules never exercised.

use super::step::StepInput;
use crate::model::{Event, Kind, LinkState, Reason, Role, Status};

/// The rules exercised by one step of the reference model, in catalogue order.
pub fn exercised(input: &StepInput<'_>) -> Vec<&'static str> {
    let after = input.after;
    let net = input.network;
    let mut out = Vec::new();
    let has_reason = |r: Reason| after.diagnostics.iter().any(|d| d.reason == r);
    for (reason, rule) in [
        (Reason::UnsupportedKind, "R-UNSUPPORTED"),
        (Reason::WrongSid, "R-SID"),
        (Reason::Misplaced, "R-PLACE"),
        (Reason::IncompatibleRelease, "R-RELEASE"),
        (Reason::DuplicateKey, "R-DUPLICATE"),
        (Reason::HostUnlicensed, "R-HOST"),
    ] {
        if has_reason(reason) {
            out.push(rule);
        }
    }
    if after.systems.iter().any(|s| s.status == Status::Unlicensed) {
        out.push("R-SE");
    }
    if net.systems.iter().any(|s| s.role == Role::OneXPortal) {
        out.push("R-PORTAL");
    }
    if !after.systems.is_empty() {
        out.push("R-VOICENET");
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
        let needs: Vec<u64> = participants
            .iter()
            .map(|&i| net.systems[i].need(kind))
            .collect();
        let wanted: u64 = needs.iter().sum::<u64>() + p_need;
        let shorts = participants
            .iter()
            .filter(|&&i| after.systems[i].in_effect.get(kind) < net.systems[i].need(kind))
            .count();
        first |= p_need > 0 && pool > 0 && needs.iter().any(|&n| n > 0);
        need |= needs.iter().any(|&n| n > 0);
        capacity |= pool > 0 && wanted > pool;
        short |= shorts > 0;
        order |= shorts > 0 && needs.iter().filter(|&&n| n > 0).count() >= 2;
    }
    for (hit, rule) in [
        (first, "R-PRIMARY-FIRST"),
        (need, "R-NO-OVERGRANT"),
        (capacity, "R-CAPACITY"),
        (short, "R-WORK-CONSERVING"),
        (order, "R-ORDER"),
    ] {
        if hit {
            out.push(rule);
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
        out.push("R-GRACE");
    }
    if after
        .systems
        .iter()
        .any(|s| s.link == LinkState::Lapsed && s.deadline.is_some_and(|d| after.now >= d))
    {
        out.push("R-EXPIRY");
    }
    if matches!(event, Some(Event::Restart { .. })) && target_was_down {
        out.push("R-RESTART");
    }
    if matches!(event, Some(Event::Upgrade { .. })) {
        out.push("R-UPGRADE");
    }
    if matches!(event, Some(Event::LinkUp { .. })) && target_was_down {
        out.push("R-RECONNECT");
    }
    let vm = |f: &dyn Fn(&crate::model::SystemSnapshot) -> bool| {
        after.systems.iter().any(|s| s.voicemail.is_some() && f(s))
    };
    if vm(&|s| s.status == Status::Unlicensed) {
        out.push("R-VM-LICENSE");
    }
    if vm(&|s| {
        s.status == Status::Licensed && matches!(s.link, LinkState::Primary | LinkState::Connected)
    }) {
        out.push("R-VM-DEFAULT");
    }
    if vm(&|s| {
        s.status == Status::Licensed && matches!(s.link, LinkState::Grace | LinkState::Lapsed)
    }) {
        out.push("R-VM-FAILOVER");
    }
    if input.rejected {
        out.push("R-ATOMIC");
    }
    out.push("R-TOTAL");
    out
}
