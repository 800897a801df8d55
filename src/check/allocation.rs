//! Oracles for section 5: R-PRIMARY-FIRST, R-NO-OVERGRANT, R-CAPACITY,
//! R-WORK-CONSERVING, R-ORDER. They read the split from the snapshot itself, so
//! in `rules` mode an implementation's own split is judged by the first four and
//! only `strict` mode adds R-ORDER.

use super::step::{Facts, Sink, StepInput};
use crate::model::{Kind, LinkState, Role, Status, SystemSnapshot};

/// The figures of one kind as the snapshot states them.
struct KindView {
    pool: u64,
    held: u64,
    avail: u64,
    primary_need: u64,
    primary_share: u64,
    /// (network index, need, share) of each licensed, connected non-primary system,
    /// the Secondary first, then expansions in network order.
    participants: Vec<(usize, u64, u64)>,
}

fn is_down(s: &SystemSnapshot) -> bool {
    matches!(s.link, LinkState::Grace | LinkState::Lapsed)
}

/// What the Primary counts as lent to a down system: its reserved counts until
/// its deadline.
fn holds(s: &SystemSnapshot, now: u64) -> bool {
    is_down(s) && s.deadline.is_some_and(|d| now < d)
}

/// The systems a kind is shared among, as the snapshot states them: the
/// Primary, and each licensed, connected non-primary system (network index and
/// snapshot), the Secondary first, then expansions in network order. `None` when
/// the snapshot lacks a system (R-SE reports that).
fn sharers<'a>(
    input: &StepInput<'a>,
) -> Option<(&'a SystemSnapshot, Vec<(usize, &'a SystemSnapshot)>)> {
    let net = input.network;
    let primary = input.after_system(net.primary)?;
    let order = net.secondary.into_iter().chain(
        net.systems
            .iter()
            .enumerate()
            .filter(|(_, s)| s.role == Role::Expansion)
            .map(|(i, _)| i),
    );
    let mut participants = Vec::new();
    for i in order {
        let s = input.after_system(i)?;
        if s.link == LinkState::Connected && s.status == Status::Licensed {
            participants.push((i, s));
        }
    }
    Some((primary, participants))
}

fn view(
    input: &StepInput<'_>,
    kind: Kind,
    primary: &SystemSnapshot,
    sharers: &[(usize, &SystemSnapshot)],
) -> KindView {
    let net = input.network;
    let now = input.after.now;
    let held = input
        .after
        .systems
        .iter()
        .filter(|s| holds(s, now))
        .map(|s| s.reserved.get(kind))
        .fold(0u64, u64::saturating_add);
    let pool = input.after.pool.get(kind);
    KindView {
        pool,
        held,
        avail: pool.saturating_sub(held),
        primary_need: if primary.status == Status::Licensed {
            net.systems[net.primary].need(kind)
        } else {
            0
        },
        primary_share: primary.in_effect.get(kind),
        participants: sharers
            .iter()
            .map(|&(i, s)| (i, net.systems[i].need(kind), s.in_effect.get(kind)))
            .collect(),
    }
}

fn each_kind(input: &StepInput<'_>, mut f: impl FnMut(Kind, &KindView)) {
    let Some((primary, sharers)) = sharers(input) else {
        return;
    };
    for kind in Kind::centralized() {
        f(kind, &view(input, kind, primary, &sharers));
    }
}

/// R-PRIMARY-FIRST: the Primary gets min(need, pool - held) before anyone.
pub fn r_primary_first(input: &Facts<'_>, r: &mut Sink<'_>) {
    each_kind(input, |kind, v| {
        r.expect(
            || {
                format!(
                    "primary's {kind} (need {}, pool {} - held {})",
                    v.primary_need, v.pool, v.held
                )
            },
            v.primary_need.min(v.avail),
            v.primary_share,
        );
    });
    if let Some(p) = input.after_system(input.network.primary) {
        r.expect(
            || "primary's reserved equals its in_effect".into(),
            &p.in_effect,
            &p.reserved,
        );
    }
}

/// R-NO-OVERGRANT: no system gets more than it needs.
pub fn r_no_overgrant(input: &Facts<'_>, r: &mut Sink<'_>) {
    each_kind(input, |kind, v| {
        for &(i, need, share) in &v.participants {
            if share > need {
                r.fail(format!(
                    "{} has {share} {kind} but needs {need}",
                    input.network.systems[i].name
                ));
            }
        }
    });
}

/// R-CAPACITY: the pool is the valid licenses on the Primary; the Primary's share
/// plus all connected shares never exceed pool - held; a connected system's
/// reserved is its share.
pub fn r_capacity(input: &Facts<'_>, r: &mut Sink<'_>) {
    let net = input.network;
    for kind in Kind::centralized() {
        let want = input.valid_sum(net.primary, kind);
        r.expect(
            || format!("pool of {kind}"),
            want,
            input.after.pool.get(kind),
        );
    }
    if input.after.pool.values().any(|c| c == 0)
        || input.after.pool.keys().any(|k| !k.is_centralized())
    {
        r.fail(format!(
            "pool holds a zero or non-centralized entry: {}",
            super::show::json(&input.after.pool)
        ));
    }
    each_kind(input, |kind, v| {
        let total = v
            .participants
            .iter()
            .map(|p| p.2)
            .fold(v.primary_share, u64::saturating_add);
        if total > v.avail {
            r.fail(format!(
                "{total} {kind} handed out, but pool {} - held {} = {}",
                v.pool, v.held, v.avail
            ));
        }
    });
    for (i, s) in net.systems.iter().enumerate() {
        if let Some(snap) = input.after_system(i) {
            if snap.link == LinkState::Connected && snap.reserved != snap.in_effect {
                r.fail(format!(
                    "{} is connected: reserved {} must equal in_effect {}",
                    s.name,
                    super::show::json(&snap.reserved),
                    super::show::json(&snap.in_effect)
                ));
            }
        }
    }
}

/// R-WORK-CONSERVING: if a connected system is short, nothing is left over.
pub fn r_work_conserving(input: &Facts<'_>, r: &mut Sink<'_>) {
    each_kind(input, |kind, v| {
        let short = v.participants.iter().find(|p| p.2 < p.1);
        let total = v
            .participants
            .iter()
            .map(|p| p.2)
            .fold(v.primary_share, u64::saturating_add);
        if let Some(&(i, need, share)) = short {
            if total < v.avail {
                r.fail(format!(
                    "{} gets {share} of {need} {kind} while {} of {} is left over",
                    input.network.systems[i].name,
                    v.avail - total,
                    v.avail
                ));
            }
        }
    });
}

/// R-ORDER (strict mode): the Secondary first, then expansions in network order,
/// each taking min(need, what is left).
pub fn r_order(input: &Facts<'_>, r: &mut Sink<'_>) {
    each_kind(input, |kind, v| {
        let mut left = v.avail.saturating_sub(v.primary_share);
        for &(i, need, share) in &v.participants {
            let want = need.min(left);
            left -= want;
            if share != want {
                r.fail(format!(
                    "{} should get {want} {kind} in R-ORDER order, got {share}",
                    input.network.systems[i].name
                ));
                return;
            }
        }
    });
}
