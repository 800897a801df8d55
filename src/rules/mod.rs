//! The rules: the catalogue (the one source of truth for rule IDs and their
//! text), sets and counts of rules, and the renderers of `selc rules`.

pub mod catalogue;
pub mod render;
pub mod set;

pub use catalogue::{Rule, RuleId, Source, RULES};
pub use render::{to_json, to_markdown, to_text};
pub use set::{RuleCounts, RuleSet};

/// Sort rule IDs into catalogue order and drop repeats.
pub fn in_catalogue_order(mut ids: Vec<RuleId>) -> Vec<RuleId> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Rule IDs as a comma-separated list, for messages (`R-SID, R-GRACE`).
pub fn join(ids: &[RuleId]) -> String {
    ids.iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_order_is_enum_order() {
        assert_eq!(
            in_catalogue_order(vec![
                RuleId::Total,
                RuleId::Sid,
                RuleId::Total,
                RuleId::Unsupported
            ]),
            [RuleId::Unsupported, RuleId::Sid, RuleId::Total]
        );
    }
}
