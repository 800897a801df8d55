//! Section 6: a non-primary system's link to the Primary over time — R-GRACE,
//! R-EXPIRY, R-RESTART, R-UPGRADE (via restart) and R-RECONNECT.

use super::counts::Counts;
use super::types::{Link, LinkState, GRACE_SECONDS};

/// The link history of one secondary or expansion that the snapshot needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkTrack {
    /// The link is down now.
    pub down: bool,
    /// Set when the link went down after time 0; cleared when it comes up.
    pub deadline: Option<u64>,
    /// R-RESTART: restarted since the link went down.
    pub restarted: bool,
    /// R-GRACE: its shares as they stood when the link went down.
    pub frozen: Counts,
}

impl LinkTrack {
    /// The state at time 0: a link given as down starts `lapsed`, with no deadline
    /// and nothing reserved (section 6, last paragraph).
    pub fn at_start(link: Link) -> LinkTrack {
        LinkTrack {
            down: link == Link::Down,
            ..LinkTrack::default()
        }
    }

    /// R-GRACE: the link goes down at `now`; `shares` are the system's shares after
    /// the previous event. Down while already down changes nothing.
    pub fn go_down(&mut self, now: u64, shares: &Counts) {
        if self.down {
            return;
        }
        *self = LinkTrack {
            down: true,
            // Saturating: at now = u64::MAX the deadline is now, so at once lapsed.
            deadline: Some(now.saturating_add(GRACE_SECONDS)),
            restarted: false,
            frozen: *shares,
        };
    }

    /// R-RECONNECT: the frozen shares are released. Up while up changes nothing.
    pub fn go_up(&mut self) {
        *self = LinkTrack::default();
    }

    /// R-RESTART: a restart while down ends grace at once; while up it changes nothing.
    pub fn restart(&mut self) {
        if self.down {
            self.restarted = true;
        }
    }

    /// Whether the deadline exists and has not passed (R-EXPIRY: `now >= deadline` ends it).
    fn before_deadline(&self, now: u64) -> bool {
        self.deadline.is_some_and(|d| now < d)
    }

    /// The link state (section 9) at `now`.
    pub fn state(&self, now: u64) -> LinkState {
        if !self.down {
            LinkState::Connected
        } else if self.before_deadline(now) && !self.restarted {
            LinkState::Grace
        } else {
            LinkState::Lapsed
        }
    }

    /// What the Primary counts as lent while the link is down: the frozen shares
    /// until the deadline, even after a restart the Primary cannot see (R-RESTART,
    /// reference choice); nothing after it (R-EXPIRY). `None` while connected.
    pub fn reserved_while_down(&self, now: u64) -> Option<Counts> {
        if !self.down {
            return None;
        }
        Some(if self.before_deadline(now) {
            self.frozen
        } else {
            Counts::new()
        })
    }

    /// What the system may use while the link is down: the frozen shares in grace
    /// while licensed (R-GRACE), otherwise nothing. `None` while connected.
    pub fn in_effect_while_down(&self, now: u64, licensed: bool) -> Option<Counts> {
        if !self.down {
            return None;
        }
        Some(if self.state(now) == LinkState::Grace && licensed {
            self.frozen
        } else {
            Counts::new()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::types::Kind;

    fn shares() -> Counts {
        Counts::from([(Kind::PowerUser, 3)])
    }

    #[test]
    fn grace_ends_exactly_at_the_deadline() {
        let mut t = LinkTrack::at_start(Link::Up);
        t.go_down(10, &shares());
        assert_eq!(t.deadline, Some(10 + GRACE_SECONDS));
        assert_eq!(t.state(10 + GRACE_SECONDS - 1), LinkState::Grace);
        assert_eq!(
            t.reserved_while_down(10 + GRACE_SECONDS - 1),
            Some(shares())
        );
        assert_eq!(t.state(10 + GRACE_SECONDS), LinkState::Lapsed);
        assert_eq!(
            t.reserved_while_down(10 + GRACE_SECONDS),
            Some(Counts::new())
        );
        assert_eq!(
            t.in_effect_while_down(10 + GRACE_SECONDS, true),
            Some(Counts::new())
        );
    }

    #[test]
    fn down_twice_keeps_the_first_deadline() {
        let mut t = LinkTrack::at_start(Link::Up);
        t.go_down(10, &shares());
        t.go_down(20, &Counts::new());
        assert_eq!(t.deadline, Some(10 + GRACE_SECONDS));
        assert_eq!(t.frozen, shares());
    }

    #[test]
    fn restart_in_grace_lapses_but_keeps_the_reservation() {
        let mut t = LinkTrack::at_start(Link::Up);
        t.go_down(0, &shares());
        t.restart();
        assert_eq!(t.state(1), LinkState::Lapsed);
        assert_eq!(t.in_effect_while_down(1, true), Some(Counts::new()));
        assert_eq!(t.reserved_while_down(1), Some(shares()));
        t.go_up();
        assert_eq!(t.state(1), LinkState::Connected);
        assert_eq!(t.deadline, None);
    }

    #[test]
    fn restart_while_up_changes_nothing() {
        let mut t = LinkTrack::at_start(Link::Up);
        t.restart();
        t.go_down(0, &shares());
        assert_eq!(t.state(0), LinkState::Grace);
    }

    #[test]
    fn down_at_time_zero_is_lapsed_with_nothing() {
        let t = LinkTrack::at_start(Link::Down);
        assert_eq!(t.state(0), LinkState::Lapsed);
        assert_eq!(t.deadline, None);
        assert_eq!(t.reserved_while_down(0), Some(Counts::new()));
    }

    #[test]
    fn deadline_saturates_at_the_end_of_time() {
        let mut t = LinkTrack::at_start(Link::Up);
        t.go_down(u64::MAX, &shares());
        assert_eq!(t.deadline, Some(u64::MAX));
        assert_eq!(t.state(u64::MAX), LinkState::Lapsed);
        assert_eq!(t.reserved_while_down(u64::MAX), Some(Counts::new()));
    }

    #[test]
    fn unlicensed_in_grace_uses_nothing_but_keeps_reservation() {
        let mut t = LinkTrack::at_start(Link::Up);
        t.go_down(0, &shares());
        assert_eq!(t.in_effect_while_down(5, false), Some(Counts::new()));
        assert_eq!(t.in_effect_while_down(5, true), Some(shares()));
        assert_eq!(t.reserved_while_down(5), Some(shares()));
    }
}
