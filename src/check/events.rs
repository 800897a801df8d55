//! Oracles for section 8 and 10: R-ATOMIC and R-TOTAL.

use super::step::{Facts, Sink};
use crate::model::Event;

/// R-ATOMIC: a rejected event changes nothing.
pub fn r_atomic(input: &Facts<'_>, r: &mut Sink<'_>) {
    if input.rejected {
        r.expect(
            || "state after a rejected event".into(),
            input.before,
            Some(input.after),
        );
    }
}

/// R-TOTAL: time moves only by `advance`, saturating; the snapshot lists the
/// network's systems in order.
pub fn r_total(input: &Facts<'_>, r: &mut Sink<'_>) {
    let names: Vec<&str> = input.network.systems.iter().map(|s| &*s.name).collect();
    let got: Vec<&str> = input.after.systems.iter().map(|s| &*s.name).collect();
    r.expect(|| "systems in network order".into(), names, got);
    let Some(before) = input.before else {
        r.expect(|| "now after load".into(), 0, input.after.now);
        return;
    };
    let want = match input.event {
        Some(Event::Advance { seconds }) if !input.rejected => before.now.saturating_add(*seconds),
        _ => before.now,
    };
    r.expect(|| "now".into(), want, input.after.now);
}

/// R-TOTAL, overflow: a pool that is the true sum less a multiple of 2^32 has
/// wrapped in 32 bits (sums of u32 counts need u64).
pub fn r_total_overflow(input: &Facts<'_>, r: &mut Sink<'_>) {
    let net = input.network;
    for kind in crate::model::Kind::centralized() {
        let want = input.valid_sum(net.primary, kind);
        let got = input.after.pool.get(kind);
        if got < want && (want - got).is_multiple_of(1u64 << 32) {
            r.fail(format!(
                "pool of {kind} is {got}, the true sum {want} less a multiple of 2^32: it wrapped"
            ));
        }
    }
}
