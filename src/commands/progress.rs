//! Progress of a long run on stderr: a bar on a terminal, otherwise a plain
//! line every tenth of the run; and what the harness waits on when a request
//! is slow.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::verify::Progress;

/// Progress of `selc verify` (and of `selc fuzz` and `selc diff`).
pub struct CliProgress {
    bar: Option<indicatif::ProgressBar>,
    /// `selc verify`, `selc fuzz`...: what each plain line starts with.
    label: &'static str,
    /// What the count of bad cases is called: `failing`; `differing` for
    /// `selc diff`, whose cases differ between A and B rather than fail.
    bad: &'static str,
    /// Without a terminal: the count at which the next line is due (0: not
    /// known before the first update).
    next_line: u64,
}

impl CliProgress {
    /// Progress of `selc verify` over `total` cases.
    pub fn new(total: u64) -> CliProgress {
        CliProgress::of("selc verify", total)
    }

    /// Progress of command `label` over `total` cases.
    pub fn of(label: &'static str, total: u64) -> CliProgress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} cases {msg} [{elapsed_precise}, eta {eta}]",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        CliProgress {
            bar,
            next_line: 0,
            label,
            bad: "failing",
        }
    }

    /// The count of bad cases called `bad` (`differing`).
    pub fn counting(mut self, bad: &'static str) -> CliProgress {
        self.bad = bad;
        self
    }

    /// The bar, to report waits on (it is shared with the harness's hook).
    pub fn waiting_hook(&self) -> impl FnMut(&str, Duration) + Send + Clone + 'static {
        let bar = self.bar.clone();
        let label = self.label;
        let last = Arc::new(Mutex::new(0u64));
        move |what: &str, waited: Duration| {
            let secs = waited.as_secs();
            let msg = format!("waiting on {what} for {secs} s");
            match &bar {
                Some(b) => b.set_message(msg),
                None => {
                    // Without a terminal, one line per wait, then every 5 s.
                    if let Ok(mut l) = last.lock() {
                        if secs <= 1 || secs >= *l + 5 {
                            *l = secs;
                            eprintln!("{label}: {msg}");
                        }
                    }
                }
            }
        }
    }

    /// Clear the bar before the report is printed.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for CliProgress {
    fn update(&mut self, done: u64, total: u64, failures: usize) {
        // Random cases on a time budget are not in `total` (nobody knows how
        // many there will be): past it, the count goes on alone.
        let open = done > total;
        match &self.bar {
            Some(b) => {
                b.set_length(total.max(done));
                b.set_position(done);
                b.set_message(if open {
                    format!(
                        "{failures} {}, random cases until the time budget ends",
                        self.bad
                    )
                } else {
                    format!("{failures} {}", self.bad)
                });
            }
            None => {
                // A line every tenth of the cases known, and at least 1,000
                // cases apart on a time budget.
                let step = (total / 10).max(if open { 1000 } else { 1 });
                if self.next_line == 0 {
                    self.next_line = step;
                }
                if done >= self.next_line || done == total {
                    self.next_line = done + step;
                    if open {
                        eprintln!("{}: {done} cases (random cases until the time budget ends), {failures} {}", self.label, self.bad);
                    } else {
                        eprintln!(
                            "{}: {done}/{total} cases, {failures} {}",
                            self.label, self.bad
                        );
                    }
                }
            }
        }
    }

    fn message(&mut self, msg: &str) {
        match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("{}: {msg}", self.label),
        }
    }
}
