//! Section 5: centralized allocation of one kind, computed afresh after every event.

/// How one centralized kind is shared out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindAllocation {
    /// `pool - held`, floored at 0.
    pub avail: u64,
    /// R-PRIMARY-FIRST: `min(need_primary, avail)`.
    pub primary: u64,
    /// One share per participant, in the order given.
    pub shares: Vec<u64>,
}

/// Allocate one kind.
///
/// `pool` is the sum of valid licenses of the kind on the Primary, `held` what
/// down systems in grace keep reserved, `primary_need` the Primary's need (0 when
/// it is unlicensed), and `needs` those of the licensed, connected non-primary
/// systems in R-ORDER order: the Secondary first, then expansions in network order.
///
/// R-PRIMARY-FIRST: the Primary is served before anyone. R-ORDER (reference
/// choice): then each participant takes `min(need, what is left)`, which gives
/// R-NO-OVERGRANT, R-CAPACITY and R-WORK-CONSERVING by construction.
pub fn allocate(pool: u64, held: u64, primary_need: u64, needs: &[u64]) -> KindAllocation {
    let avail = pool.saturating_sub(held);
    let primary = primary_need.min(avail);
    let mut left = avail - primary;
    let shares = needs
        .iter()
        .map(|&need| {
            let share = need.min(left);
            left -= share;
            share
        })
        .collect();
    KindAllocation {
        avail,
        primary,
        shares,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_is_served_first() {
        let a = allocate(10, 0, 8, &[5]);
        assert_eq!((a.primary, a.shares), (8, vec![2]));
    }

    #[test]
    fn held_comes_off_before_the_primary() {
        let a = allocate(10, 4, 8, &[5]);
        assert_eq!((a.avail, a.primary, a.shares), (6, 6, vec![0]));
        let a = allocate(3, 4, 8, &[5]);
        assert_eq!((a.avail, a.primary), (0, 0));
    }

    #[test]
    fn order_is_first_come_and_work_conserving() {
        let a = allocate(10, 0, 0, &[4, 4, 4]);
        assert_eq!(a.shares, vec![4, 4, 2]);
        let a = allocate(100, 0, 1, &[4, 0, 4]);
        assert_eq!((a.primary, a.shares), (1, vec![4, 0, 4]));
    }

    #[test]
    fn no_overflow_at_the_extremes() {
        let big = u64::from(u32::MAX) * 3;
        let a = allocate(big, 0, u64::from(u32::MAX), &[u64::from(u32::MAX); 3]);
        assert_eq!(a.shares, vec![u64::from(u32::MAX), u64::from(u32::MAX), 0]);
    }
}
