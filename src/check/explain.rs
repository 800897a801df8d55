//! Which rules govern a snapshot field: the explanation attached to each
//! difference found by [`super::compare`].

use crate::model::Reason;
use crate::rules::RuleId::{self, *};

/// The rule behind each diagnostic reason (section 3).
pub fn rule_for_reason(reason: Reason) -> RuleId {
    match reason {
        Reason::UnsupportedKind => Unsupported,
        Reason::WrongSid => Sid,
        Reason::Misplaced => Place,
        Reason::IncompatibleRelease => Release,
        Reason::DuplicateKey => Duplicate,
        Reason::HostUnlicensed => Host,
    }
}

/// What is known about where a snapshot field differs, to narrow the rules.
#[derive(Clone, Copy, Debug, Default)]
pub struct FieldContext<'a> {
    /// The field belongs to the Primary.
    pub primary: bool,
    /// The system's link is down (grace or lapsed) on either side.
    pub down: bool,
    /// The name of the event of this step (`None` for the load).
    pub event: Option<&'a str>,
}

/// The section 6 rules an event exercises, if any.
fn grace_rules_of_event(event: &str) -> Option<&'static [RuleId]> {
    Some(match event {
        "link_down" => &[Grace],
        "link_up" => &[Reconnect],
        "restart" => &[Restart],
        "upgrade" => &[Upgrade, Restart],
        "advance" => &[Expiry],
        _ => return None,
    })
}

/// The rules the pool follows from: section 3 (which licenses count) and R-SE
/// (an unlicensed Primary distributes nothing).
const POOL_RULES: &[RuleId] = &[Unsupported, Sid, Place, Release, Duplicate, Host, Se];

/// The rules of section 3, in check order: each gives one diagnostic reason.
pub const VALIDITY_RULES: &[RuleId] = POOL_RULES.split_at(6).0;

/// The rules that govern a snapshot field, for explaining a difference. `field` is
/// the first named field of a JSON path below the system (`in_effect`, `link`, ...),
/// or a top-level field (`pool`, `diagnostics`, `now`).
pub fn rules_for_field(field: &str, ctx: FieldContext<'_>) -> &'static [RuleId] {
    const GRACE_RULES: &[RuleId] = &[Grace, Expiry, Restart, Upgrade, Reconnect];
    match field {
        "pool" => POOL_RULES,
        "diagnostics" => VALIDITY_RULES,
        "status" => &[Se, Portal],
        "voice_networking" => &[Voicenet],
        "link" | "deadline" => ctx
            .event
            .and_then(grace_rules_of_event)
            .unwrap_or(GRACE_RULES),
        "voicemail" => &[VmLicense, VmDefault, VmFailover],
        "in_effect" | "reserved" if ctx.primary => &[PrimaryFirst, Capacity],
        "in_effect" | "reserved" if ctx.down => ctx
            .event
            .and_then(grace_rules_of_event)
            .unwrap_or(&[Grace, Expiry, Restart]),
        "in_effect" | "reserved" => &[NoOvergrant, Capacity, WorkConserving, Order],
        "error" => &[Atomic],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_rules_are_the_first_six_of_the_catalogue_in_check_order() {
        assert_eq!(VALIDITY_RULES, &RuleId::ALL[..6]);
        for (reason, rule) in Reason::ALL.into_iter().zip(VALIDITY_RULES) {
            assert_eq!(rule_for_reason(reason), *rule);
        }
    }

    #[test]
    fn every_field_has_its_rules() {
        let none = FieldContext::default();
        assert_eq!(
            rules_for_field("pool", none),
            [Unsupported, Sid, Place, Release, Duplicate, Host, Se]
        );
        assert_eq!(rules_for_field("diagnostics", none), VALIDITY_RULES);
        assert_eq!(rules_for_field("status", none), [Se, Portal]);
        assert_eq!(rules_for_field("voice_networking", none), [Voicenet]);
        assert_eq!(
            rules_for_field("voicemail", none),
            [VmLicense, VmDefault, VmFailover]
        );
        assert_eq!(rules_for_field("error", none), [Atomic]);
        assert_eq!(
            rules_for_field("in_effect", none),
            [NoOvergrant, Capacity, WorkConserving, Order]
        );
        for (event, rules) in [
            ("link_down", &[Grace][..]),
            ("link_up", &[Reconnect]),
            ("restart", &[Restart]),
            ("upgrade", &[Upgrade, Restart]),
            ("advance", &[Expiry]),
        ] {
            let ctx = FieldContext {
                event: Some(event),
                ..none
            };
            assert_eq!(rules_for_field("deadline", ctx), rules, "{event}");
        }
        let other = FieldContext {
            event: Some("set_need"),
            ..none
        };
        assert_eq!(rules_for_field("link", other).len(), 5);
    }

    #[test]
    fn the_field_context_narrows_the_rules() {
        let ctx = |primary, down, event| FieldContext {
            primary,
            down,
            event,
        };
        assert_eq!(
            rules_for_field("in_effect", ctx(true, false, None)),
            [PrimaryFirst, Capacity]
        );
        assert_eq!(
            rules_for_field("reserved", ctx(false, true, Some("restart"))),
            [Restart]
        );
        assert_eq!(
            rules_for_field("link", ctx(false, false, Some("upgrade"))),
            [Upgrade, Restart]
        );
        assert_eq!(rules_for_field("link", ctx(false, false, None)).len(), 5);
        assert!(rules_for_field("now", ctx(false, false, None)).is_empty());
    }
}
