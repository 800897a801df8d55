//! Oracles for section 6: R-GRACE, R-EXPIRY, R-RESTART, R-UPGRADE, R-RECONNECT.
//! The frozen shares are not in the snapshot, so these follow each system from
//! the snapshot before to the one after.

use super::show;
use super::step::{Facts, Sink, StepInput};
use crate::model::{Counts, Event, LinkState, Role, Status, SystemSnapshot, GRACE_SECONDS};

fn down(s: &SystemSnapshot) -> bool {
    matches!(s.link, LinkState::Grace | LinkState::Lapsed)
}

/// Iterate the secondary and expansion systems present in the snapshot after.
fn linked<'a>(input: &'a StepInput<'a>) -> impl Iterator<Item = (usize, &'a SystemSnapshot)> + 'a {
    input
        .network
        .systems
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role.has_link())
        .filter_map(|(i, _)| input.after_system(i).map(|s| (i, s)))
}

/// A snapshot without the split among connected non-primary systems (their
/// shares, and the voicemail channels that follow from the Secondary's). An event
/// that "changes nothing" still lets an implementation in rules mode choose
/// another lawful split, since allocation is computed afresh after every event;
/// the split itself is judged by the allocation checkers.
fn without_split(s: &crate::model::Snapshot) -> crate::model::Snapshot {
    let mut s = s.clone();
    for x in &mut s.systems {
        if x.link == LinkState::Connected {
            x.in_effect.clear();
            x.reserved.clear();
            x.voicemail = None;
        }
    }
    s
}

fn event_on(input: &StepInput<'_>, i: usize) -> Option<&'static str> {
    (input.target() == Some(i))
        .then(|| input.event.map(Event::name))
        .flatten()
}

/// R-GRACE.
pub fn r_grace(input: &Facts<'_>, r: &mut Sink<'_>) {
    let now = input.after.now;
    for (i, s) in linked(input) {
        let name = &input.network.systems[i].name;
        if s.link == LinkState::Grace {
            match s.deadline {
                Some(d) if now < d => {}
                _ => r.fail(format!(
                    "{name} is in grace but its deadline {} is not after now {}",
                    show::deadline(s.deadline),
                    show::time(now)
                )),
            }
            let want = if s.status == Status::Licensed {
                s.reserved
            } else {
                Counts::new()
            };
            r.expect(
                || {
                    format!(
                        "{name} in grace ({}): in_effect = frozen shares",
                        show::json(&s.status)
                    )
                },
                &want,
                &s.in_effect,
            );
        }
        if !down(s) && s.deadline.is_some() {
            r.fail(format!(
                "{name} is connected but has deadline {}",
                show::deadline(s.deadline)
            ));
        }
        if down(s) && s.deadline.is_none() {
            // Down since time 0: lapsed, nothing.
            let ok = s.link == LinkState::Lapsed && s.in_effect.is_empty() && s.reserved.is_empty();
            if !ok {
                r.fail(format!(
                    "{name} is down with no deadline: it must be lapsed with nothing, got {}",
                    show::json(s)
                ));
            }
        }
        let Some(b) = input.before_system(i) else {
            continue;
        };
        let before_now = input.before.map_or(0, |x| x.now);
        match (event_on(input, i), down(b), down(s)) {
            (Some("link_down"), false, _) => {
                let d = before_now.saturating_add(GRACE_SECONDS);
                r.expect_deadline(
                    || {
                        format!(
                            "{name}.deadline after link_down at {}",
                            show::time(before_now)
                        )
                    },
                    Some(d),
                    s.deadline,
                );
                let frozen = if now < d { b.reserved } else { Counts::new() };
                r.expect(
                    || format!("{name}.reserved frozen at link_down"),
                    &frozen,
                    &s.reserved,
                );
                let state = if now < d {
                    LinkState::Grace
                } else {
                    LinkState::Lapsed
                };
                r.expect(|| format!("{name}.link after link_down"), state, s.link);
            }
            (Some("link_down"), true, _) => {
                r.expect(
                    || format!("{name} already down: link_down changes nothing"),
                    b,
                    s,
                );
            }
            (Some("link_up"), _, _) => {}
            (_, true, true) => {
                r.expect_deadline(
                    || format!("{name}.deadline while down"),
                    b.deadline,
                    s.deadline,
                );
                let held_before = b.deadline.is_some_and(|d| before_now < d);
                let held_after = s.deadline.is_some_and(|d| now < d);
                if held_before && held_after {
                    r.expect(
                        || format!("{name}.reserved (frozen) while down"),
                        &b.reserved,
                        &s.reserved,
                    );
                }
            }
            _ => {}
        }
    }
}

/// R-EXPIRY: at or after the deadline, lapsed with nothing.
pub fn r_expiry(input: &Facts<'_>, r: &mut Sink<'_>) {
    let now = input.after.now;
    for (i, s) in linked(input) {
        if let Some(d) = s.deadline {
            if down(s) && now >= d {
                let ok =
                    s.link == LinkState::Lapsed && s.in_effect.is_empty() && s.reserved.is_empty();
                if !ok {
                    r.fail(format!(
                        "{} is past its deadline {} (now {}): lapsed with nothing expected, got link {}, in_effect {}, reserved {}",
                        input.network.systems[i].name,
                        show::time(d),
                        show::time(now),
                        show::json(&s.link),
                        show::json(&s.in_effect),
                        show::json(&s.reserved)
                    ));
                }
            }
        }
    }
}

/// The restart part of R-RESTART and R-UPGRADE: a down system lapses at once and
/// keeps its reservation; a connected one, or the Primary, is not changed by the
/// restart itself.
fn restarted(input: &StepInput<'_>, r: &mut Sink<'_>, event: &str) {
    let Some(i) = input.target() else { return };
    if event_on(input, i) != Some(event) {
        return;
    }
    let name = &input.network.systems[i].name;
    let (Some(b), Some(s)) = (input.before_system(i), input.after_system(i)) else {
        return;
    };
    if input.network.systems[i].role.has_link() && down(b) {
        r.expect(
            || format!("{name}.link after {event} while down"),
            LinkState::Lapsed,
            s.link,
        );
        r.expect(
            || format!("{name}.in_effect after {event} while down"),
            &Counts::new(),
            &s.in_effect,
        );
        if s.deadline.is_some_and(|d| input.after.now < d) {
            r.expect(
                || format!("{name}.reserved stays frozen after {event}"),
                &b.reserved,
                &s.reserved,
            );
        }
    } else if event == "restart" {
        r.expect(
            || format!("restart of {name} while connected (or the primary) changes nothing"),
            input.before.map(without_split),
            Some(without_split(input.after)),
        );
    }
}

/// R-RESTART: a down system lapses at once on restart, and only a restart (or
/// upgrade) or the deadline ends grace; lapsing lasts while the link stays down.
pub fn r_restart(input: &Facts<'_>, r: &mut Sink<'_>) {
    restarted(input, r, "restart");
    let now = input.after.now;
    for (i, s) in linked(input) {
        let Some(b) = input.before_system(i) else {
            continue;
        };
        let name = &input.network.systems[i].name;
        let event = event_on(input, i);
        if event == Some("link_up") || !down(s) {
            continue;
        }
        if b.link == LinkState::Lapsed && s.link != LinkState::Lapsed {
            r.fail(format!(
                "{name} lapsed and is still down: it cannot be back in {}",
                show::json(&s.link)
            ));
        }
        let restarted_now = matches!(event, Some("restart" | "upgrade"));
        let before_deadline = s.deadline.is_some_and(|d| now < d);
        if b.link == LinkState::Grace
            && before_deadline
            && !restarted_now
            && s.link != LinkState::Grace
        {
            r.fail(format!(
                "{name} left grace before its deadline without a restart: {}",
                show::json(&s.link)
            ));
        }
    }
}

/// R-UPGRADE: the release is set and the system restarts.
pub fn r_upgrade(input: &Facts<'_>, r: &mut Sink<'_>) {
    restarted(input, r, "upgrade");
    if let (Some(Event::Upgrade { release, .. }), Some(i)) = (input.event, input.target()) {
        let s = &input.network.systems[i];
        if s.role != Role::OneXPortal {
            r.expect(
                || format!("{}.release after upgrade", s.name),
                Some(*release),
                s.release,
            );
        }
    }
}

/// R-RECONNECT: link_up brings a down system back, clears its deadline; up while
/// up changes nothing.
pub fn r_reconnect(input: &Facts<'_>, r: &mut Sink<'_>) {
    let Some(i) = input.target() else { return };
    if event_on(input, i) != Some("link_up") {
        return;
    }
    let name = &input.network.systems[i].name;
    let (Some(b), Some(s)) = (input.before_system(i), input.after_system(i)) else {
        return;
    };
    if down(b) {
        r.expect(
            || format!("{name}.link after link_up"),
            LinkState::Connected,
            s.link,
        );
        r.expect(
            || format!("{name}.deadline after link_up"),
            None,
            s.deadline,
        );
    } else {
        r.expect(
            || format!("{name} already up: link_up changes nothing"),
            input.before.map(without_split),
            Some(without_split(input.after)),
        );
    }
}
