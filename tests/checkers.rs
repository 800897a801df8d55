//! The checkers must catch wrong snapshots, not only pass right ones: every step
//! of random scenarios is corrupted in targeted ways, and the rule that forbids
//! each corruption must report it.

mod common;

use proptest::prelude::*;
use selc::rules::RuleId;

use selc::check::explain::VALIDITY_RULES;
use selc::check::{check_step, Mode, StepInput};
use selc::gen::{scenario, GenConfig};
use selc::model::{Event, Kind, LinkState, Model, Reason, Role, Snapshot, Status};

/// A corruption of a correct snapshot, and the rules any of which must report it.
type Corruption = (&'static str, Snapshot, &'static [RuleId]);

fn corruptions(model: &Model, before: Option<&Snapshot>, rejected: bool) -> Vec<Corruption> {
    let good = model.snapshot();
    let net = model.network();
    let mut out: Vec<Corruption> = Vec::new();
    let mut add = |name, f: &dyn Fn(&mut Snapshot) -> bool, rules| {
        let mut s = good.clone();
        if f(&mut s) && &s != good {
            out.push((name, s, rules));
        }
    };
    if rejected {
        add(
            "state changed by a rejected event",
            &|s| {
                s.now = s.now.wrapping_add(1);
                true
            },
            &[RuleId::Atomic, RuleId::Total],
        );
        add(
            "pool changed by a rejected event",
            &|s| {
                s.pool.add(Kind::Receptionist, 1);
                true
            },
            &[RuleId::Atomic],
        );
        return out;
    }
    add(
        "clock moved",
        &|s| {
            s.now = s.now.wrapping_add(1);
            true
        },
        &[
            RuleId::Total,
            RuleId::Expiry,
            RuleId::Grace,
            RuleId::Restart,
        ],
    );
    add(
        "pool grows",
        &|s| {
            s.pool.add(Kind::PowerUser, 1);
            true
        },
        &[RuleId::Capacity],
    );
    add(
        "systems reordered",
        &|s| {
            if s.systems.len() < 2 {
                return false;
            }
            s.systems.swap(0, 1);
            true
        },
        &[RuleId::Total],
    );
    for (i, sys) in net.systems.iter().enumerate() {
        let portal = sys.role == Role::OneXPortal;
        add(
            "status flipped",
            &|s| {
                let x = &mut s.systems[i];
                x.status = match x.status {
                    Status::Licensed => Status::Unlicensed,
                    Status::Unlicensed => Status::Licensed,
                    Status::Exempt => Status::Licensed,
                };
                true
            },
            if portal {
                &[RuleId::Portal]
            } else {
                &[RuleId::Se]
            },
        );
        add(
            "voice networking flipped",
            &|s| {
                s.systems[i].voice_networking ^= true;
                true
            },
            if portal {
                &[RuleId::Voicenet, RuleId::Portal]
            } else {
                &[RuleId::Voicenet]
            },
        );
        add(
            "voicemail channel added",
            &|s| match &mut s.systems[i].voicemail {
                Some(v) => {
                    v.channels += 1;
                    true
                }
                None => false,
            },
            &[RuleId::VmLicense, RuleId::VmDefault, RuleId::VmFailover],
        );
        add(
            "voicemail appears",
            &|s| {
                let v = &mut s.systems[i].voicemail;
                if v.is_some() {
                    return false;
                }
                *v = Some(selc::model::Voicemail {
                    running: true,
                    channels: 2,
                });
                true
            },
            &[RuleId::VmDefault, RuleId::Portal],
        );
        if portal {
            add(
                "portal connected",
                &|s| {
                    s.systems[i].link = LinkState::Connected;
                    true
                },
                &[RuleId::Portal],
            );
            continue;
        }
        for kind in Kind::centralized() {
            add(
                "one more in effect",
                &|s| {
                    let x = &mut s.systems[i];
                    if !matches!(x.link, LinkState::Connected | LinkState::Primary)
                        || x.status != Status::Licensed
                    {
                        return false;
                    }
                    x.in_effect.add(kind, 1);
                    x.reserved.add(kind, 1);
                    true
                },
                &[
                    RuleId::PrimaryFirst,
                    RuleId::NoOvergrant,
                    RuleId::Capacity,
                    RuleId::WorkConserving,
                    RuleId::Order,
                ],
            );
        }
        add(
            "grace share dropped",
            &|s| {
                let x = &mut s.systems[i];
                if x.link != LinkState::Grace || x.in_effect.is_empty() {
                    return false;
                }
                x.in_effect.clear();
                true
            },
            &[RuleId::Grace],
        );
        add(
            "grace ends early",
            &|s| {
                let x = &mut s.systems[i];
                if x.link != LinkState::Grace {
                    return false;
                }
                x.link = LinkState::Lapsed;
                x.in_effect.clear();
                true
            },
            &[RuleId::Grace, RuleId::Restart],
        );
        add(
            "deadline moved",
            &|s| {
                let x = &mut s.systems[i];
                match &mut x.deadline {
                    Some(d) if before.is_some() => {
                        *d = d.wrapping_sub(1);
                        true
                    }
                    _ => false,
                }
            },
            &[RuleId::Grace, RuleId::Expiry],
        );
        add(
            "lapsed keeps a reservation",
            &|s| {
                let x = &mut s.systems[i];
                let past = x.deadline.is_some_and(|d| s.now >= d) || x.deadline.is_none();
                if x.link != LinkState::Lapsed || !past {
                    return false;
                }
                x.reserved.insert(Kind::PowerUser, 1);
                true
            },
            &[RuleId::Expiry, RuleId::Grace],
        );
    }
    let reasons = Reason::ALL;
    for d in 0..good.diagnostics.len() {
        add(
            "diagnostic dropped",
            &|s| {
                s.diagnostics.remove(d);
                true
            },
            VALIDITY_RULES,
        );
        for r in reasons {
            add(
                "diagnostic reason changed",
                &|s| {
                    s.diagnostics[d].reason = r;
                    true
                },
                VALIDITY_RULES,
            );
        }
    }
    if good.diagnostics.len() >= 2 {
        add(
            "diagnostics out of order",
            &|s| {
                let n = s.diagnostics.len();
                s.diagnostics.swap(0, n - 1);
                true
            },
            VALIDITY_RULES,
        );
    }
    out
}

fn assert_caught(
    model: &Model,
    before: Option<&Snapshot>,
    event: Option<&Event>,
    rejected: bool,
) -> Result<(), TestCaseError> {
    for (name, bad, rules) in corruptions(model, before, rejected) {
        let input = StepInput {
            network: model.network(),
            before,
            event,
            rejected,
            after: &bad,
        };
        let found = check_step(&input, Mode::Strict);
        prop_assert!(
            found.iter().any(|v| rules.contains(&v.rule)),
            "corruption {:?} not reported by any of {:?}; reported: {:?}",
            name,
            rules,
            found
        );
    }
    Ok(())
}

/// Targeted corruptions of the split, each of which one named rule must report.
/// Returns (name, snapshot, rule that must report it, lawful in rules mode).
fn split_corruptions(model: &Model) -> Vec<(&'static str, Snapshot, RuleId, bool)> {
    let good = model.snapshot();
    let net = model.network();
    let mut out = Vec::new();
    let order: Vec<usize> = net
        .secondary
        .into_iter()
        .chain((0..net.systems.len()).filter(|&i| net.systems[i].role == Role::Expansion))
        .filter(|&i| {
            good.systems[i].link == LinkState::Connected
                && good.systems[i].status == Status::Licensed
        })
        .collect();
    let share = |s: &Snapshot, i: usize, k: Kind| s.systems[i].in_effect.get(k);
    let set = |s: &mut Snapshot, i: usize, k: Kind, n: u64| {
        let x = &mut s.systems[i];
        for m in [&mut x.in_effect, &mut x.reserved] {
            if n == 0 {
                m.remove(k);
            } else {
                m.insert(k, n);
            }
        }
    };
    // Voicemail channels also move the voicemail figures; keep to the other kinds.
    for kind in Kind::centralized().filter(|k| *k != Kind::VoicemailChannel) {
        let p = net.primary;
        if share(good, p, kind) > 0 {
            let mut s = good.clone();
            set(&mut s, p, kind, share(good, p, kind) - 1);
            out.push(("primary short of its need", s, RuleId::PrimaryFirst, false));
        }
        for (n, &i) in order.iter().enumerate() {
            let (have, need) = (share(good, i, kind), net.systems[i].need(kind));
            if have == need {
                let mut s = good.clone();
                set(&mut s, i, kind, have + 1);
                out.push(("given more than it needs", s, RuleId::NoOvergrant, false));
            }
            if have > 0 {
                let mut s = good.clone();
                set(&mut s, i, kind, have - 1);
                out.push(("short while some is left", s, RuleId::WorkConserving, false));
                if let Some(&j) = order[n + 1..]
                    .iter()
                    .find(|&&j| share(good, j, kind) < net.systems[j].need(kind))
                {
                    let mut s = good.clone();
                    set(&mut s, i, kind, have - 1);
                    set(&mut s, j, kind, share(good, j, kind) + 1);
                    out.push(("another lawful split", s, RuleId::Order, true));
                }
            }
        }
    }
    out
}

fn assert_split_caught(
    model: &Model,
    before: Option<&Snapshot>,
    event: Option<&Event>,
) -> Result<(), TestCaseError> {
    for (name, bad, rule, lawful) in split_corruptions(model) {
        let input = StepInput {
            network: model.network(),
            before,
            event,
            rejected: false,
            after: &bad,
        };
        let strict = check_step(&input, Mode::Strict);
        prop_assert!(
            strict.iter().any(|v| v.rule == rule),
            "{:?}: {} not reported: {:?}",
            name,
            rule,
            strict
        );
        let rules = check_step(&input, Mode::Rules);
        if lawful {
            prop_assert!(
                rules.is_empty(),
                "{:?} is lawful in rules mode, yet: {:?}",
                name,
                rules
            );
        } else {
            prop_assert!(
                rules.iter().any(|v| v.rule == rule),
                "{:?}: {} not reported in rules mode",
                name,
                rule
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(common::config(200, "proptest-regressions/checkers.txt"))]

    #[test]
    fn allocation_checkers_name_the_rule(spec in scenario(GenConfig { max_systems: 6, max_events: 12, invalid_events: false, ..GenConfig::default() })) {
        let s = spec.render();
        let Ok(mut model) = Model::load(&s.network, "network") else { return Ok(()) };
        assert_split_caught(&model, None, None)?;
        for e in &s.events {
            let before = model.snapshot().clone();
            let event = Event::from_json(e, "event").ok();
            if model.apply_json(e, "event").is_ok() {
                assert_split_caught(&model, Some(&before), event.as_ref())?;
            }
        }
    }


    #[test]
    fn checkers_catch_corrupted_snapshots(spec in scenario(GenConfig { max_systems: 6, max_events: 16, ..GenConfig::default() })) {
        let s = spec.render();
        let Ok(mut model) = Model::load(&s.network, "network") else { return Ok(()) };
        assert_caught(&model, None, None, false)?;
        for e in &s.events {
            let before = model.snapshot().clone();
            let event = Event::from_json(e, "event").ok();
            let rejected = model.apply_json(e, "event").is_err();
            assert_caught(&model, Some(&before), event.as_ref(), rejected)?;
        }
    }
}
