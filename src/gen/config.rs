//! The generator settings: how large and how wild generated scenarios may be.

/// Knobs for generated scenarios.
#[derive(Clone, Copy, Debug)]
pub struct GenConfig {
    /// Systems per network, at least 1 (R9.0 allows 2 servers + 30 expansions).
    pub max_systems: usize,
    /// Systems per network at least (below `max_systems`): large cases draw
    /// from the upper part of their range.
    pub min_systems: usize,
    /// Events per scenario.
    pub max_events: usize,
    /// Licenses drawn per configuration, besides its Server Edition license.
    pub max_licenses: usize,
    /// Licenses drawn in the Primary's configuration at least (below
    /// `max_licenses`): long configurations draw from the upper part.
    pub min_licenses: usize,
    /// Mix in events that must be rejected (R-ATOMIC).
    pub invalid_events: bool,
    /// Allow time jumps to the end of time (u64 saturation). Off for properties
    /// that shift time.
    pub huge_times: bool,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            max_systems: 32,
            min_systems: 0,
            max_events: 24,
            max_licenses: 5,
            min_licenses: 0,
            invalid_events: true,
            huge_times: true,
        }
    }
}
