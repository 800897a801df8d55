//! A run against a program over the protocol, with one or more processes of it
//! at once (`--jobs`): each worker drives its own process, takes the cases the
//! [`Deal`] gives it as it goes, shrinks its own failures, and reads the one
//! steering of the run; their summaries make the run's. For an implementation
//! whose answers depend only on the case, the result is that of one worker.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use super::{random, worker, Deal, Progress, Summary, VerifyConfig};
use crate::impls::process::{Process, WaitHook};

/// What a run against a program found.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The whole run's summary.
    pub summary: Summary,
    /// The name the implementation gave in `hello` (empty if it never did).
    pub name: String,
}

/// How a run against a program goes.
pub struct Jobs<'a> {
    /// The program's command line.
    pub command: &'a str,
    /// Processes at once, at least 1.
    pub jobs: usize,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Where failures are saved.
    pub save_to: Option<&'a Path>,
    /// A hook for each process, told what a slow request waits on.
    pub on_wait: Option<&'a (dyn Fn() -> WaitHook + Sync)>,
}

/// Run `config` against `jobs.command`, with `jobs.jobs` processes.
pub fn run(
    jobs: &Jobs<'_>,
    config: &VerifyConfig,
    progress: &mut (dyn Progress + Send),
) -> Verified {
    let n = jobs.jobs.max(1);
    let deal = Deal::new(config.shard);
    let choices = random::choices(config);
    // The workers share the cores: each makes its cases on its share of them.
    let config = VerifyConfig {
        makers: (config.makers / n).max(1),
        ..config.clone()
    };
    let shared = Shared::new(progress, n);
    let parts: Vec<(Summary, String)> = std::thread::scope(|s| {
        let _stop = choices.stop_on_drop();
        s.spawn(|| choices.steer());
        let handles: Vec<_> = (0..n)
            .map(|j| {
                let (deal, choices, config, shared) = (&deal, &choices, &config, &shared);
                s.spawn(move || {
                    let mut progress = shared.worker(j);
                    let (mut imp, name) = match Process::started(jobs.command, jobs.timeout) {
                        Ok(started) => started,
                        Err(why) => return (not_started(why), String::new()),
                    };
                    if let Some(hook) = jobs.on_wait {
                        imp.on_wait(hook());
                    }
                    let summary =
                        worker(&mut imp, config, deal, choices, jobs.save_to, &mut progress);
                    (summary, name)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    (Summary::aborted("a worker panicked".into()), String::new())
                })
            })
            .collect()
    });
    let name = parts
        .iter()
        .map(|(_, n)| n.clone())
        .find(|n| !n.is_empty())
        .unwrap_or_default();
    let summary = Summary::merge(parts.into_iter().map(|(s, _)| s).collect()).unwrap_or_default();
    Verified { summary, name }
}

/// The summary of a worker whose program could not be started or refused
/// `hello`; an interruption is not the program's failure.
fn not_started(why: String) -> Summary {
    if crate::interrupt::requested() {
        Summary {
            interrupted: true,
            stopped: Some("the run was interrupted (SIGINT or SIGTERM)".into()),
            ..Summary::default()
        }
    } else {
        Summary::aborted(why)
    }
}

/// One progress for every worker: each reports its own counts, and the sum
/// is shown. Every worker knows the whole shard's total (the cases are dealt
/// as they go), so the total is one worker's.
struct Shared<'a> {
    inner: Mutex<(&'a mut (dyn Progress + Send), Vec<Counts>)>,
}

/// A worker's cases done, the shard's total, and its failures.
type Counts = (u64, u64, usize);

impl<'a> Shared<'a> {
    fn new(progress: &'a mut (dyn Progress + Send), workers: usize) -> Shared<'a> {
        Shared {
            inner: Mutex::new((progress, vec![(0, 0, 0); workers])),
        }
    }

    fn worker(&self, j: usize) -> WorkerProgress<'_, 'a> {
        WorkerProgress { shared: self, j }
    }
}

/// One worker's handle on a [`Shared`] progress.
struct WorkerProgress<'s, 'a> {
    shared: &'s Shared<'a>,
    j: usize,
}

impl Progress for WorkerProgress<'_, '_> {
    fn update(&mut self, done: u64, total: u64, failures: usize) {
        if let Ok(mut g) = self.shared.inner.lock() {
            g.1[self.j] = (done, total, failures);
            let (d, t, f) =
                g.1.iter()
                    .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1.max(b.1), a.2 + b.2));
            g.0.update(d, t, f);
        }
    }

    fn message(&mut self, msg: &str) {
        if let Ok(mut g) = self.shared.inner.lock() {
            let workers = g.1.len();
            if workers > 1 {
                g.0.message(&format!("worker {}: {msg}", self.j + 1));
            } else {
                g.0.message(msg);
            }
        }
    }
}
