//! Oracles for section 7: R-VM-LICENSE, R-VM-DEFAULT, R-VM-FAILOVER.

use super::step::{Facts, Sink};
use crate::model::{Kind, LinkState, Role, Status, Voicemail};
use crate::rules::RuleId;

/// Which rule governs a system's voicemail now, and what it must be.
fn expected(input: &Facts<'_>, i: usize) -> Option<(RuleId, Option<Voicemail>)> {
    let s = &input.network.systems[i];
    let snap = input.after_system(i)?;
    if !(s.voicemail_pro && matches!(s.role, Role::Primary | Role::Secondary)) {
        return Some((RuleId::VmDefault, None));
    }
    if snap.status != Status::Licensed {
        return Some((
            RuleId::VmLicense,
            Some(Voicemail {
                running: false,
                channels: 0,
            }),
        ));
    }
    let centralized = snap.in_effect.get(Kind::VoicemailChannel);
    let local = if s.role == Role::Secondary {
        input.valid_sum(i, Kind::VoicemailChannel)
    } else {
        0
    };
    Some(match (s.role, snap.link) {
        (Role::Primary, _) | (_, LinkState::Connected) => (
            RuleId::VmDefault,
            Some(Voicemail {
                running: true,
                channels: 2u64.saturating_add(centralized).saturating_add(local),
            }),
        ),
        _ => (
            RuleId::VmFailover,
            Some(Voicemail {
                running: local > 0,
                channels: local,
            }),
        ),
    })
}

/// R-VM-LICENSE, R-VM-DEFAULT, R-VM-FAILOVER: each system's voicemail, held to
/// whichever of the three governs it now; `r` says which rule is being checked.
/// R-VM-LICENSE: unlicensed, not running, 0 channels. R-VM-DEFAULT: 2 +
/// centralized (+ local on the connected Secondary); null where not deployed.
/// R-VM-FAILOVER: the Secondary with its link down runs on its local channels only.
pub fn r_voicemail(input: &Facts<'_>, r: &mut Sink<'_>) {
    for i in 0..input.network.systems.len() {
        if let Some((governs, want)) = expected(input, i) {
            if governs == r.rule {
                let got = input.after_system(i).and_then(|s| s.voicemail);
                r.expect(
                    || format!("{}.voicemail", input.network.systems[i].name),
                    want,
                    got,
                );
            }
        }
    }
}
