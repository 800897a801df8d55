//! Sets and counts of rules, by catalogue position: what a step exercises is
//! computed for every step of every case, so both are allocation-free.

use super::catalogue::{RuleId, RULES};

// One bit per rule in a `RuleSet`.
const _: () = assert!(RULES.len() <= 64);

/// A set of rules, one bit per catalogue position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleSet(u64);

impl RuleSet {
    /// No rules.
    pub const fn new() -> RuleSet {
        RuleSet(0)
    }

    /// Add a rule.
    pub fn insert(&mut self, id: RuleId) {
        self.0 |= 1 << id.index();
    }

    /// Whether the rule is in the set.
    pub fn contains(&self, id: RuleId) -> bool {
        self.0 & (1 << id.index()) != 0
    }

    /// The rules in the set, in catalogue order.
    pub fn ids(self) -> impl Iterator<Item = RuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .filter(move |&r| self.contains(r))
    }
}

/// How many times each rule was counted, by catalogue position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCounts(pub [u64; RULES.len()]);

impl Default for RuleCounts {
    fn default() -> RuleCounts {
        RuleCounts([0; RULES.len()])
    }
}

impl RuleCounts {
    /// Count every rule of `set` once.
    pub fn add(&mut self, set: RuleSet) {
        for id in set.ids() {
            self.0[id.index()] += 1;
        }
    }

    /// The count of a rule.
    pub fn get(&self, id: RuleId) -> u64 {
        self.0[id.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_sets_and_counts_are_by_catalogue_position() {
        let mut set = RuleSet::new();
        set.insert(RuleId::Total);
        set.insert(RuleId::Sid);
        set.insert(RuleId::Sid);
        assert_eq!(set.ids().collect::<Vec<_>>(), [RuleId::Sid, RuleId::Total]);
        assert!(set.contains(RuleId::Sid) && !set.contains(RuleId::Se));
        let mut counts = RuleCounts::default();
        counts.add(set);
        counts.add(set);
        assert_eq!((counts.get(RuleId::Sid), counts.get(RuleId::Se)), (2, 0));
        assert_eq!(counts.0.iter().sum::<u64>(), 4);
    }
}
