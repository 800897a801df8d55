//! Section 7: Voicemail Pro on the Primary and the Secondary.

use super::snapshot::Voicemail;
use super::types::{LinkState, Role};

/// Voicemail Pro of one system, or `None` where it is not deployed (or cannot be:
/// expansions and portals have no voicemail).
///
/// `centralized` is the system's `in_effect[voicemail_channel]`; `local` the sum of
/// valid `voicemail_channel` licenses in its own configuration.
pub fn voicemail(
    role: Role,
    deployed: bool,
    licensed: bool,
    link: LinkState,
    centralized: u64,
    local: u64,
) -> Option<Voicemail> {
    if !deployed || !role.may_run_voicemail() {
        return None;
    }
    // R-VM-LICENSE
    if !licensed {
        return Some(Voicemail {
            running: false,
            channels: 0,
        });
    }
    Some(match (role, link) {
        // R-VM-DEFAULT: the Primary's own configuration is the pool, so its local
        // licenses reach it as its share; `local` is not added again.
        (Role::Primary, _) => Voicemail {
            running: true,
            channels: 2u64.saturating_add(centralized),
        },
        // R-VM-DEFAULT: the Secondary while connected.
        (_, LinkState::Connected) => Voicemail {
            running: true,
            channels: 2u64.saturating_add(centralized).saturating_add(local),
        },
        // R-VM-FAILOVER (reference choice): only local channels serve while the
        // Primary is unreachable, grace or not.
        _ => Voicemail {
            running: local > 0,
            channels: local,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_case_of_section_7() {
        let vm = |running, channels| Some(Voicemail { running, channels });
        assert_eq!(
            voicemail(Role::Primary, true, false, LinkState::Primary, 0, 0),
            vm(false, 0)
        );
        assert_eq!(
            voicemail(Role::Primary, true, true, LinkState::Primary, 3, 0),
            vm(true, 5)
        );
        assert_eq!(
            voicemail(Role::Secondary, true, true, LinkState::Connected, 3, 4),
            vm(true, 9)
        );
        assert_eq!(
            voicemail(Role::Secondary, true, true, LinkState::Grace, 3, 4),
            vm(true, 4)
        );
        assert_eq!(
            voicemail(Role::Secondary, true, true, LinkState::Lapsed, 3, 0),
            vm(false, 0)
        );
        assert_eq!(
            voicemail(Role::Secondary, false, true, LinkState::Connected, 3, 4),
            None
        );
        assert_eq!(
            voicemail(Role::Expansion, true, true, LinkState::Connected, 3, 4),
            None
        );
    }
}
