//! What a program under test writes: its answers, read on a thread of their
//! own and handed to the harness in an [`Inbox`] (a snapshot equal to the one
//! expected taken unparsed), and the last lines of its stderr.

use std::collections::VecDeque;
use std::io::{BufReader, Read};
use std::os::fd::AsFd;
use std::process::{ChildStderr, ChildStdout};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::protocol::{fast_snapshot, read_line_capped};

/// The longest response line accepted.
pub const MAX_RESPONSE_BYTES: usize = 16 << 20;
/// How many stderr lines are kept for reports.
pub const STDERR_LINES: usize = 20;
/// Longer stderr lines are cut to this many bytes.
const STDERR_LINE_BYTES: usize = 2000;

/// A line the program wrote, as the reader hands it over.
pub(super) enum Out {
    /// A well-formed snapshot answer, parsed on the reader thread so that parsing
    /// overlaps the harness's own work.
    Snapshot(Arc<crate::model::Snapshot>),
    Line(String),
    TooLong,
    NotUtf8,
    Eof,
}

/// An answer expected in canonical form, and the snapshot it means.
pub(super) type Expectation = (Vec<u8>, Arc<crate::model::Snapshot>);

/// What the reader thread is told of each request line, in order.
pub(super) struct Awaited {
    /// The answer expected in canonical form, if any.
    pub(super) expected: Option<Expectation>,
    /// Its answer is the last of a batch written at once (a whole case): the
    /// harness waits on it, so the reader wakes the harness when it comes.
    pub(super) wake: bool,
}

/// How long the reader holds answers that arrived without a wake-up before
/// handing them over anyway, once the program has gone quiet: a program that
/// stops in mid-case has its answers so far judged, and its timeout counted,
/// as if each had woken the harness.
const HOLD: Duration = Duration::from_millis(5);

/// The answers read so far, handed from the reader thread to the harness.
///
/// Why not a channel: an implementation that flushes every answer (most do)
/// would wake the harness once per answer, and those wake-ups cost more than
/// the harness's own work per answer. The reader wakes it only when it waits
/// on something: the last answer of a case, anything that is not an answer to
/// a request in flight, or answers held while the program has gone quiet.
#[derive(Default)]
pub(super) struct Inbox {
    /// Each line read, with when it was read: an answer's latency is measured
    /// to its arrival, not to when the harness took it.
    queue: Mutex<VecDeque<(Out, Instant)>>,
    ready: Condvar,
}

impl Inbox {
    pub(super) fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<(Out, Instant)>> {
        // Each entry is pushed whole: a panic cannot leave it half-written.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn push(&self, out: Out, wake: bool) {
        self.queue().push_back((out, Instant::now()));
        if wake {
            self.ready.notify_one();
        }
    }

    pub(super) fn wake(&self) {
        let _queue = self.queue();
        self.ready.notify_one();
    }

    pub(super) fn try_pop(&self) -> Option<(Out, Instant)> {
        self.queue().pop_front()
    }

    /// The oldest line and when it arrived, waiting at most `d` for one.
    pub(super) fn pop_timeout(&self, d: Duration) -> Option<(Out, Instant)> {
        let end = Instant::now() + d;
        let mut queue = self.queue();
        loop {
            if let Some(out) = queue.pop_front() {
                return Some(out);
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            queue = self
                .ready
                .wait_timeout(queue, left)
                .map(|(q, _)| q)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }
}

/// Whether `fd` has something to read (or is closed) within `d`.
fn readable_within(fd: std::os::fd::BorrowedFd<'_>, d: Duration) -> bool {
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
    let ms = PollTimeout::try_from(d).unwrap_or(PollTimeout::MAX);
    let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
    // An error (interrupted, say) counts as ready: the read that follows tells.
    poll(&mut fds, ms).map_or(true, |n| n > 0)
}

/// Read the answers of `stdout` on a thread of its own into `inbox`, each line
/// paired with what `expected` says of the request it answers.
pub(super) fn answers(stdout: ChildStdout, inbox: Arc<Inbox>, expected: Receiver<Awaited>) {
    thread::spawn(move || {
        let mut r = BufReader::with_capacity(1 << 16, stdout);
        let mut buf = Vec::new();
        // Answers handed over without waking the harness.
        let mut held = false;
        loop {
            if held && r.buffer().is_empty() && !readable_within(r.get_ref().as_fd(), HOLD) {
                inbox.wake();
            }
            let read = read_line_capped(&mut r, &mut buf, MAX_RESPONSE_BYTES);
            // Each line is paired with the next request's expectation (the
            // expectation is queued before the request is written). A line
            // equal to it is that snapshot, unparsed; a line that is not
            // (a stray answer included) is parsed as before.
            let awaited = expected.try_recv().ok();
            let wake = awaited.as_ref().is_none_or(|a| a.wake);
            let hit = match (&read, awaited.and_then(|a| a.expected)) {
                (Ok(Some(false)), Some((line, snapshot))) if line == buf => Some(snapshot),
                _ => None,
            };
            let msg = match (read, hit) {
                (Ok(Some(_)), Some(snapshot)) => Out::Snapshot(snapshot),
                (Ok(Some(true)), None) => Out::TooLong,
                (Ok(Some(false)), None) => match String::from_utf8(std::mem::take(&mut buf)) {
                    Ok(s) => match fast_snapshot(&s) {
                        Some(snap) => Out::Snapshot(Arc::new(snap)),
                        None => Out::Line(s),
                    },
                    Err(_) => Out::NotUtf8,
                },
                (Ok(None) | Err(_), _) => Out::Eof,
            };
            let end = matches!(msg, Out::Eof);
            let wake = wake || !matches!(msg, Out::Snapshot(_) | Out::Line(_));
            inbox.push(msg, wake);
            held = !wake;
            if end {
                break;
            }
        }
    });
}

/// Keep the last [`STDERR_LINES`] lines of `stderr` in `tail`, on a thread of
/// its own, and drain the rest, so the program never blocks on stderr.
pub(super) fn stderr_tail(stderr: ChildStderr, tail: Arc<Mutex<VecDeque<String>>>) {
    tail.lock().map(|mut t| t.clear()).ok();
    thread::spawn(move || {
        let mut r = BufReader::new(stderr);
        let mut buf = Vec::new();
        while let Ok(Some(_)) = read_line_capped(&mut r, &mut buf, STDERR_LINE_BYTES) {
            let line = String::from_utf8_lossy(&buf).into_owned();
            if let Ok(mut t) = tail.lock() {
                if t.len() == STDERR_LINES {
                    t.pop_front();
                }
                t.push_back(line);
            }
        }
        // Drain whatever is left so the program never blocks on stderr.
        let _ = std::io::copy(&mut r.take(u64::MAX), &mut std::io::sink());
    });
}
