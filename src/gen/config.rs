//! The generator settings: how large and how wild generated scenarios may be.

/// Knobs for generated scenarios.
#[derive(Clone, Copy, Debug)]
pub struct GenConfig {
    /// Systems per network, at least 1 (R9.0 allows 2 servers + 30 expansions).
    pub max_systems: usize,
    /// Events per scenario.
    pub max_events: usize,
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
            max_events: 24,
            invalid_events: true,
            huge_times: true,
        }
    }
}
