//! Which cases a worker runs: the cases of the run's shard, dealt among the
//! run's workers in batches as each asks for more (work stealing), so a worker
//! on a faster core never idles while a slower one finishes. Every worker walks
//! each part's positions in order and claims the next batch when it passes the
//! end of its own; which worker runs a case changes nothing in the report, since
//! every case starts with its own `load` and is judged alone.
//!
//! The stop rules are shared too: once one worker stops (too many failures, an
//! implementation that stopped answering, the time limit, an interruption),
//! every worker stops before its next case, for the same reason.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::config::CaseKind;
use super::shard::Shard;

/// Cases claimed at once: small enough that the last batches even out the
/// workers' finishing times, large enough that claiming costs nothing.
pub const BATCH: u64 = 8;

/// The dealing of one run's cases to its workers, and its shared stop.
#[derive(Debug)]
pub struct Deal {
    shard: Shard,
    /// Per part ([`CaseKind`]), the next batch nobody has claimed.
    next: [AtomicU64; CaseKind::ALL.len()],
    /// Failures found by all the workers.
    failures: AtomicUsize,
    /// Why the run stopped early, once a worker has stopped it.
    stopped: OnceLock<String>,
}

impl Deal {
    /// The dealing of `shard`'s cases.
    pub fn new(shard: Shard) -> Deal {
        Deal {
            shard,
            next: Default::default(),
            failures: AtomicUsize::new(0),
            stopped: OnceLock::new(),
        }
    }

    /// The shard dealt.
    pub fn shard(&self) -> Shard {
        self.shard
    }

    /// A worker's hand in `part`: it walks the part's positions in order.
    pub fn hand(&self, part: CaseKind) -> Hand<'_> {
        Hand {
            deal: self,
            part,
            mine: None,
        }
    }

    /// Count a failure found by some worker; the run's failures so far.
    pub fn failed(&self) -> usize {
        self.failures.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Failures found by all the workers.
    pub fn failures(&self) -> usize {
        self.failures.load(Ordering::Relaxed)
    }

    /// Stop every worker, for `why`; the first reason given is kept.
    pub fn stop(&self, why: String) {
        let _ = self.stopped.set(why);
    }

    /// Why the run stopped, once it has.
    pub fn stopped(&self) -> Option<&str> {
        self.stopped.get().map(String::as_str)
    }

    /// Claim the first batch at or after `batch` that nobody has.
    fn claim(&self, part: CaseKind, batch: u64) -> u64 {
        let next = &self.next[part.index()];
        // Workers start a part at the same batch and then claim only the batch
        // after their own, which the counter has passed: raising it to `batch`
        // skips no batch that holds a case.
        next.fetch_max(batch, Ordering::Relaxed);
        next.fetch_add(1, Ordering::Relaxed)
    }
}

/// One worker's claims in one part of a [`Deal`].
#[derive(Debug)]
pub struct Hand<'a> {
    deal: &'a Deal,
    part: CaseKind,
    mine: Option<u64>,
}

impl Hand<'_> {
    /// Whether this worker runs position `p`. Positions must be asked for in
    /// increasing order.
    pub fn takes(&mut self, p: u64) -> bool {
        let shard = self.deal.shard;
        if !shard.holds(p) {
            return false;
        }
        let batch = shard.ordinal(p) / BATCH;
        loop {
            match self.mine {
                Some(m) if m >= batch => return m == batch,
                _ => self.mine = Some(self.deal.claim(self.part, batch)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_of_the_shard_goes_to_exactly_one_worker() {
        let deal = Deal::new("2/3".parse().unwrap());
        let positions: Vec<u64> = (5..500).collect();
        let mut hands = [deal.hand(CaseKind::Random), deal.hand(CaseKind::Random)];
        let mut taken = vec![Vec::new(), Vec::new()];
        // The two workers take turns unevenly, as a fast and a slow core would.
        let (mut a, mut b) = (positions.iter().peekable(), positions.iter().peekable());
        while a.peek().is_some() || b.peek().is_some() {
            for _ in 0..3 {
                if let Some(&p) = a.next() {
                    if hands[0].takes(p) {
                        taken[0].push(p);
                    }
                }
            }
            if let Some(&p) = b.next() {
                if hands[1].takes(p) {
                    taken[1].push(p);
                }
            }
        }
        let mut all: Vec<u64> = taken.concat();
        all.sort_unstable();
        let want: Vec<u64> = positions.into_iter().filter(|p| p % 3 == 1).collect();
        assert_eq!(all, want);
        // The faster worker took more batches than the slower one.
        assert!(taken[0].len() > taken[1].len(), "{taken:?}");
        assert!(!taken[1].is_empty());
    }

    #[test]
    fn the_first_stop_reason_is_kept_and_failures_add_up() {
        let deal = Deal::new(Shard::WHOLE);
        assert_eq!(deal.failed(), 1);
        assert_eq!(deal.failed(), 2);
        deal.stop("first".into());
        deal.stop("second".into());
        assert_eq!((deal.failures(), deal.stopped()), (2, Some("first")));
    }
}
