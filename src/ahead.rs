//! Work made ahead of its turn, on threads of their own, and handed over in
//! order: generating, rendering and planning a case costs more than running it
//! against a fast implementation, so the thread that runs cases must not do it;
//! steering's candidates are evaluated the same way.

use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::thread::Scope;

/// How many items each maker thread runs ahead of the consumer.
const AHEAD: usize = 32;

/// Items travel between threads in batches of this many: a small item (an
/// exhaustive case) costs less to make than a thread's wake-up, and every wake-up
/// on a core the implementation needs is taken from it.
const BATCH: usize = 8;

/// How many threads make cases: one per core, at most 4.
pub fn makers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
}

/// `source` read on a thread of its own, each item turned by `make` on one of
/// `makers` threads (dealt in turn, [`BATCH`] at a time), and the results given
/// back in the order of `source` (an item `make` turns into `None` is skipped).
/// Every thread ends when `source` does or the iterator returned is dropped.
pub fn made_ahead<'scope, S, T, F>(
    s: &'scope Scope<'scope, '_>,
    source: S,
    makers: usize,
    make: F,
) -> impl Iterator<Item = T> + 'scope
where
    S: Iterator + Send + 'scope,
    S::Item: Send + 'scope,
    T: Send + 'scope,
    F: Fn(S::Item) -> Option<T> + Send + Sync + 'scope,
{
    let makers = makers.max(1);
    let make = Arc::new(make);
    let mut inputs = Vec::with_capacity(makers);
    let mut outputs = Vec::with_capacity(makers);
    for _ in 0..makers {
        let (to_maker, batches) = sync_channel::<Vec<S::Item>>(AHEAD / BATCH);
        let (made, from_maker) = sync_channel::<Vec<T>>(AHEAD / BATCH);
        let make = Arc::clone(&make);
        s.spawn(move || {
            for batch in batches {
                let results = batch.into_iter().filter_map(|item| make(item)).collect();
                if made.send(results).is_err() {
                    return;
                }
            }
        });
        inputs.push(to_maker);
        outputs.push(from_maker);
    }
    s.spawn(move || {
        let mut source = source;
        for k in 0.. {
            let batch: Vec<S::Item> = source.by_ref().take(BATCH).collect();
            if batch.is_empty() || inputs[k % makers].send(batch).is_err() {
                return;
            }
        }
    });
    InOrder {
        outputs,
        next: 0,
        current: Vec::new().into_iter(),
    }
}

/// The makers' results, taken from each in turn as the batches were dealt.
struct InOrder<T> {
    outputs: Vec<Receiver<Vec<T>>>,
    next: usize,
    current: std::vec::IntoIter<T>,
}

impl<T> Iterator for InOrder<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(made) = self.current.next() {
                return Some(made);
            }
            // A batch whose items were all skipped comes back empty: go on.
            self.current = self.outputs[self.next].recv().ok()?.into_iter();
            self.next = (self.next + 1) % self.outputs.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_source_whatever_the_makers_take() {
        for makers in 1..=3 {
            let got: Vec<u64> = std::thread::scope(|s| {
                let made = made_ahead(s, 0..200u64, makers, |i| {
                    // Uneven work, and some items skipped, whole batches
                    // among them.
                    if i % 7 == 3 || (40..70).contains(&i) {
                        return None;
                    }
                    std::thread::sleep(std::time::Duration::from_micros((i * 37) % 200));
                    Some(i * 2)
                });
                made.collect()
            });
            let want: Vec<u64> = (0..200)
                .filter(|i| i % 7 != 3 && !(40..70).contains(i))
                .map(|i| i * 2)
                .collect();
            assert_eq!(got, want, "{makers} makers");
        }
    }

    #[test]
    fn dropping_the_results_ends_every_thread() {
        std::thread::scope(|s| {
            let mut made = made_ahead(s, 0.., 2, Some);
            assert_eq!(made.next(), Some(0));
            // Dropped here with an endless source: the scope must still end.
        });
    }
}
