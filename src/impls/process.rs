//! The subprocess adapter: any program speaking the JSON-lines protocol
//! (docs/protocol.md, section 5). One long-lived process serves many cases; it
//! is ended and started afresh after a harness failure.
//!
//! The harness survives whatever the program does:
//! - it runs in a process group of its own, and every way of ending it (a
//!   restart, a timeout, the end of the run, Ctrl-C, an error or a panic in
//!   selc) ends the whole group: SIGTERM, then SIGKILL after a short grace, so
//!   nothing it spawned outlives selc;
//! - a hang is cut by the per-request timeout; a closed stdout fails at once;
//! - output that is not JSON, too long, not UTF-8, or an answer to no request is
//!   a bad response; a flood on stderr is read continuously, the last lines kept.

use std::collections::VecDeque;
use std::io::{BufReader, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::{HarnessError, Implementation};
use crate::protocol::{
    fast_snapshot, parse_answer, parse_hello, preview, read_line_capped, Answer, Op, Request,
};

/// The longest response line accepted.
pub const MAX_RESPONSE_BYTES: usize = 16 << 20;
/// How many stderr lines are kept for reports.
pub const STDERR_LINES: usize = 20;
/// Longer stderr lines are cut to this many bytes.
const STDERR_LINE_BYTES: usize = 2000;
/// How long a program is given to exit after SIGTERM before its group is killed.
pub const TERM_GRACE: Duration = Duration::from_millis(300);
/// How often the harness says what it waits on, once a request takes this long.
const WAIT_REPORT: Duration = Duration::from_secs(1);
/// Latencies kept for [`Implementation::latency_p99`].
const LATENCIES: usize = 1024;
/// Queued request bytes are written once they reach this size, even before an
/// answer is waited for.
const FLUSH_BYTES: usize = 1 << 16;

/// Called while a request is slow: what is waited on, and for how long.
pub type WaitHook = Box<dyn FnMut(&str, Duration) + Send>;

enum Out {
    /// A well-formed snapshot answer, parsed on the reader thread so that parsing
    /// overlaps the harness's own work.
    Snapshot(Arc<crate::model::Snapshot>),
    Line(String),
    TooLong,
    NotUtf8,
    Eof,
}

struct Running {
    child: Child,
    to_stdin: Sender<Vec<u8>>,
    from_stdout: Arc<Inbox>,
    /// One entry per request line, in order: the answer expected, if any.
    expect: Sender<Awaited>,
}

/// An answer expected in canonical form, and the snapshot it means.
type Expectation = (Vec<u8>, Arc<crate::model::Snapshot>);

/// What the reader thread is told of each request line, in order.
struct Awaited {
    /// The answer expected in canonical form, if any.
    expected: Option<Expectation>,
    /// Its answer is the last of a batch written at once (a whole case): the
    /// harness waits on it, so the reader wakes the harness when it comes.
    wake: bool,
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
struct Inbox {
    /// Each line read, with when it was read: an answer's latency is measured
    /// to its arrival, not to when the harness took it.
    queue: Mutex<VecDeque<(Out, Instant)>>,
    ready: Condvar,
}

impl Inbox {
    fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<(Out, Instant)>> {
        // Each entry is pushed whole: a panic cannot leave it half-written.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, out: Out, wake: bool) {
        self.queue().push_back((out, Instant::now()));
        if wake {
            self.ready.notify_one();
        }
    }

    fn wake(&self) {
        let _queue = self.queue();
        self.ready.notify_one();
    }

    fn try_pop(&self) -> Option<(Out, Instant)> {
        self.queue().pop_front()
    }

    /// The oldest line and when it arrived, waiting at most `d` for one.
    fn pop_timeout(&self, d: Duration) -> Option<(Out, Instant)> {
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

/// A request sent and not yet answered.
struct Pending {
    /// Which request (a `snapshot` cannot be rejected).
    op: Op,
    /// Its position in the case (0 is the load).
    index: usize,
    sent: Instant,
}

/// A program under test, spoken to over its stdin and stdout.
pub struct Process {
    command: String,
    timeout: Duration,
    running: Option<Running>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    hello: bool,
    name: Option<String>,
    pending: VecDeque<Pending>,
    /// Requests sent in the current case.
    in_case: usize,
    context: String,
    deadline: Option<Instant>,
    on_wait: Option<WaitHook>,
    latencies: VecDeque<Duration>,
    /// Request lines queued and not yet handed to the writer thread.
    unsent: Vec<u8>,
    /// The expectation of the last line in `unsent`, sent to the reader with
    /// the batch ([`Awaited::wake`]).
    last_expected: Option<Option<Expectation>>,
    /// When the line last taken from the reader arrived.
    arrived: Instant,
    /// The running program has answered at least once.
    answered: bool,
    /// The timeout given to [`Process::new`], before any `set_timeout`.
    first_timeout: Duration,
}

impl std::fmt::Debug for Process {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Process")
            .field("command", &self.command)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The process groups of every program running now, so that Ctrl-C (or
/// SIGTERM) given to selc can end them all: they do not share selc's group, so
/// the terminal's signal does not reach them.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// End every program selc is running (their whole process groups). Called by
/// the signal handler that [`install_signal_handler`] installs.
pub fn end_all() {
    let groups: Vec<i32> = LIVE_GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
    for g in &groups {
        signal_group(*g, nix::sys::signal::Signal::SIGTERM);
    }
    if !groups.is_empty() {
        thread::sleep(TERM_GRACE);
    }
    for g in groups {
        signal_group(g, nix::sys::signal::Signal::SIGKILL);
    }
}

/// On Ctrl-C or SIGTERM, end every program selc started, then exit with 130.
/// Installed once by the command line; a second call does nothing.
pub fn install_signal_handler() {
    let _ = ctrlc::set_handler(|| {
        end_all();
        std::process::exit(130);
    });
}

fn signal_group(group: i32, sig: nix::sys::signal::Signal) {
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(group), sig);
}

impl Process {
    /// Prepare to run `command` (a shell command line) with a per-request
    /// timeout. The program is started on the first request.
    pub fn new(command: &str, timeout: Duration) -> Process {
        Process {
            command: command.to_string(),
            timeout,
            running: None,
            stderr: Arc::new(Mutex::new(VecDeque::new())),
            hello: false,
            name: None,
            pending: VecDeque::new(),
            in_case: 0,
            context: String::new(),
            deadline: None,
            on_wait: None,
            latencies: VecDeque::new(),
            unsent: Vec::new(),
            last_expected: None,
            arrived: Instant::now(),
            answered: false,
            first_timeout: timeout,
        }
    }

    /// The command line.
    pub fn command(&self) -> &str {
        &self.command
    }

    /// Be told, every second, what a slow request is and how long it has taken.
    pub fn on_wait(&mut self, hook: WaitHook) {
        self.on_wait = Some(hook);
    }

    fn spawn(&mut self) -> Result<(), HarnessError> {
        self.answered = false;
        let mut child = command_for(&self.command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A group of its own: ending it ends whatever the program started.
            .process_group(0)
            .spawn()
            .map_err(|e| HarnessError::Spawn(format!("{}: {e}", self.command)))?;
        if let Ok(mut g) = LIVE_GROUPS.lock() {
            g.push(child.id() as i32);
        }
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            end_group(child);
            return Err(HarnessError::Spawn("no pipes to the program".into()));
        };
        // Writes go through a thread so that a program that stops reading can
        // never block the harness; the timeout on the answer covers it.
        let (to_stdin, lines_in) = mpsc::channel::<Vec<u8>>();
        thread::spawn(move || {
            for line in lines_in {
                if stdin.write_all(&line).and_then(|_| stdin.flush()).is_err() {
                    break;
                }
            }
        });
        let from_stdout = Arc::new(Inbox::default());
        let inbox = Arc::clone(&from_stdout);
        let (expect, expected) = mpsc::channel::<Awaited>();
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
        let tail = Arc::clone(&self.stderr);
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
        self.running = Some(Running {
            child,
            to_stdin,
            from_stdout,
            expect,
        });
        if self.hello {
            self.hello_exchange()?;
        }
        Ok(())
    }

    /// End the program and everything it started; the next request starts it afresh.
    fn kill(&mut self) {
        self.pending.clear();
        self.unsent.clear();
        self.last_expected = None;
        if let Some(r) = self.running.take() {
            end_group(r.child);
        }
    }

    /// Queue one request line; it is written by [`Process::write_queued`], which
    /// `flush` and `receive` call, so that a pipelined case costs one write, not one per
    /// request.
    fn write_line(
        &mut self,
        line: &str,
        expected: Option<Expectation>,
    ) -> Result<(), HarnessError> {
        if self.running.is_none() {
            self.spawn()?;
        }
        if let Some(r) = self.running.as_ref() {
            // The expectation of the line queued last is sent with the batch,
            // marked as the one the harness will wait on.
            if let Some(before) = self.last_expected.replace(expected) {
                let _ = r.expect.send(Awaited {
                    expected: before,
                    wake: false,
                });
            }
        }
        self.unsent.extend_from_slice(line.as_bytes());
        self.unsent.push(b'\n');
        if self.unsent.len() >= FLUSH_BYTES {
            self.write_queued();
        }
        Ok(())
    }

    /// Hand the queued request lines to the writer thread.
    fn write_queued(&mut self) {
        if self.unsent.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.unsent);
        if let Some(r) = self.running.as_mut() {
            if let Some(last) = self.last_expected.take() {
                let _ = r.expect.send(Awaited {
                    expected: last,
                    wake: true,
                });
            }
            let _ = r.to_stdin.send(lines);
        }
    }

    /// What is being waited on, for messages: `random case 3, request 5 (apply)`.
    fn waiting_on(&self) -> String {
        let what = self
            .pending
            .front()
            .map(|p| format!("request {} ({})", p.index, p.op.as_str()))
            .unwrap_or_else(|| "hello".into());
        if self.context.is_empty() {
            what
        } else {
            format!("{}, {what}", self.context)
        }
    }

    /// Wait for one response: a parsed snapshot or a line to parse. Any failure
    /// ends the program.
    fn read_out(&mut self) -> Result<Out, HarnessError> {
        self.write_queued();
        let start = Instant::now();
        // A program's first answer includes its start-up: it is given the
        // timeout the run was started with even while shrinking has cut the
        // timeout to this program's usual latency, so that a slow start is
        // never taken for the failure being shrunk.
        let timeout = if self.answered {
            self.timeout
        } else {
            self.timeout.max(self.first_timeout)
        };
        let result = loop {
            let r = self
                .running
                .as_mut()
                .ok_or_else(|| HarnessError::Exited("is not running".into()))?;
            let mut left = timeout.saturating_sub(start.elapsed());
            let capped = self
                .deadline
                .is_some_and(|d| d.saturating_duration_since(Instant::now()) < left);
            if let Some(d) = self.deadline.filter(|_| capped) {
                left = d.saturating_duration_since(Instant::now());
            }
            let slice = if self.on_wait.is_some() {
                left.min(WAIT_REPORT)
            } else {
                left
            };
            let popped = r.from_stdout.pop_timeout(slice);
            if let Some((_, at)) = &popped {
                self.arrived = *at;
                self.answered = true;
            }
            match popped.map(|(out, _)| out) {
                Some(out @ (Out::Line(_) | Out::Snapshot(_))) => break Ok(out),
                Some(Out::TooLong) => {
                    break Err(HarnessError::BadResponse(format!(
                        "a response line longer than {MAX_RESPONSE_BYTES} bytes"
                    )))
                }
                Some(Out::NotUtf8) => {
                    break Err(HarnessError::BadResponse(
                        "a response line that is not UTF-8".into(),
                    ))
                }
                Some(Out::Eof) => {
                    // Its output is closed: the case fails now, whether or not
                    // the process lives on. A status already there is reported.
                    thread::sleep(Duration::from_millis(20));
                    let why = match r.child.try_wait() {
                        Ok(Some(status)) => format!("exited ({status})"),
                        _ => "closed its output".to_string(),
                    };
                    break Err(HarnessError::Exited(why));
                }
                None if capped && left <= slice => break Err(HarnessError::TimeLimit),
                None if start.elapsed() >= timeout => {
                    break Err(HarnessError::Timeout(timeout.as_millis() as u64))
                }
                None => {
                    let what = self.waiting_on();
                    if let Some(hook) = self.on_wait.as_mut() {
                        hook(&what, start.elapsed());
                    }
                }
            }
        };
        if result.is_err() {
            self.kill();
        }
        result
    }

    /// A line that arrived when no request was waiting for it: an answer to no
    /// request (two answers to one, say) would otherwise be taken for the
    /// answer to the next request.
    fn stray_line(&mut self) -> Option<HarnessError> {
        let r = self.running.as_mut()?;
        let line = match r.from_stdout.try_pop()?.0 {
            Out::Line(l) => l,
            Out::Snapshot(s) => serde_json::to_string(&*s).unwrap_or_default(),
            Out::TooLong | Out::NotUtf8 => "(unreadable)".into(),
            Out::Eof => {
                // Left for the next read, which reports it.
                r.from_stdout.queue().push_front((Out::Eof, Instant::now()));
                return None;
            }
        };
        self.kill();
        Some(HarnessError::BadResponse(format!(
            "an answer to no request (two answers to one?): {}",
            preview(&line)
        )))
    }

    fn hello_exchange(&mut self) -> Result<String, HarnessError> {
        self.write_line(&Request::Hello.to_line(), None)?;
        let line = match self.read_out()? {
            Out::Line(l) => l,
            _ => {
                self.kill();
                return Err(HarnessError::BadResponse(
                    "hello: a snapshot where none was asked for".into(),
                ));
            }
        };
        let name = parse_hello(&line).inspect_err(|_| self.kill())?;
        self.name = Some(name.clone());
        Ok(name)
    }
}

/// How to start `command`. A simple command (words, quotes and leading
/// `NAME=value` assignments, no shell operator) is started directly, so that
/// the program itself holds its stdout: a shell in between would keep the pipe
/// open when the program closes it. Anything else goes through `sh -c`.
fn command_for(command: &str) -> Command {
    const SHELL_SYNTAX: &[char] = &[
        ';', '&', '|', '<', '>', '(', ')', '$', '`', '*', '?', '[', ']', '{', '}', '~', '#', '\n',
        '\\',
    ];
    let words = (!command.contains(SHELL_SYNTAX))
        .then(|| shlex::split(command))
        .flatten()
        .unwrap_or_default();
    let assignment = |w: &str| {
        w.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty()
                && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
                && !name.starts_with(|c: char| c.is_ascii_digit())
        })
    };
    let first = words.iter().position(|w| !assignment(w));
    match first {
        Some(i) => {
            let mut c = Command::new(&words[i]);
            c.args(&words[i + 1..]);
            for w in &words[..i] {
                if let Some((k, v)) = w.split_once('=') {
                    c.env(k, v);
                }
            }
            c
        }
        None => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(command);
            c
        }
    }
}

/// End a program's whole process group: SIGTERM, a grace period for the program
/// to exit, then SIGKILL for whatever is left of the group.
fn end_group(mut child: Child) {
    let group = child.id() as i32;
    signal_group(group, nix::sys::signal::Signal::SIGTERM);
    let start = Instant::now();
    while start.elapsed() < TERM_GRACE {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        thread::sleep(Duration::from_millis(5));
    }
    signal_group(group, nix::sys::signal::Signal::SIGKILL);
    let _ = child.kill();
    let _ = child.wait();
    if let Ok(mut g) = LIVE_GROUPS.lock() {
        g.retain(|&x| x != group);
    }
}

impl Implementation for Process {
    fn hello(&mut self) -> Result<String, HarnessError> {
        self.hello = true;
        if self.running.is_none() {
            self.spawn()?;
            return Ok(self.name.clone().unwrap_or_default());
        }
        self.hello_exchange()
    }

    fn send(&mut self, request: Request<'_>) -> Result<(), HarnessError> {
        self.send_planned(request.kind(), &request.to_line(), None, None)
    }

    fn takes_lines(&self) -> bool {
        true
    }

    fn send_planned(
        &mut self,
        op: Op,
        line: &str,
        _: Option<Request<'_>>,
        expected: Option<Expectation>,
    ) -> Result<(), HarnessError> {
        if op == Op::Load {
            if self.pending.is_empty() {
                if let Some(e) = self.stray_line() {
                    return Err(e);
                }
            }
            self.in_case = 0;
        }
        self.write_line(line, expected)?;
        self.pending.push_back(Pending {
            op,
            index: self.in_case,
            sent: Instant::now(),
        });
        self.in_case += 1;
        Ok(())
    }

    fn flush(&mut self) {
        self.write_queued();
    }

    fn receive(&mut self) -> Result<Answer, HarnessError> {
        let Some(front) = self.pending.front() else {
            return Err(HarnessError::Protocol("nothing was asked".into()));
        };
        let (snapshot_only, sent) = (front.op == Op::Snapshot, front.sent);
        let out = self.read_out()?;
        self.pending.pop_front();
        if self.latencies.len() == LATENCIES {
            self.latencies.pop_front();
        }
        self.latencies
            .push_back(self.arrived.saturating_duration_since(sent));
        match out {
            Out::Snapshot(s) => Ok(Answer::Snapshot(s)),
            Out::Line(line) => parse_answer(&line, snapshot_only).map_err(|e| {
                self.kill();
                e.into()
            }),
            _ => Err(HarnessError::BadResponse("no answer".into())),
        }
    }

    fn discard(&mut self) {
        while !self.pending.is_empty() {
            if self.receive().is_err() {
                break;
            }
        }
    }

    fn restart(&mut self) {
        self.kill();
    }

    fn stderr_tail(&self) -> Vec<String> {
        // Let the reader catch up with what the program wrote just before failing.
        thread::sleep(Duration::from_millis(20));
        self.stderr
            .lock()
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default()
    }

    fn set_context(&mut self, case: &str) {
        self.context.clear();
        self.context.push_str(case);
    }

    fn timeout(&self) -> Option<Duration> {
        Some(self.timeout)
    }

    fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout.max(Duration::from_millis(1));
    }

    fn latency_p99(&self) -> Option<Duration> {
        if self.latencies.is_empty() {
            return None;
        }
        let mut v: Vec<Duration> = self.latencies.iter().copied().collect();
        v.sort_unstable();
        Some(v[(v.len() * 99 / 100).min(v.len() - 1)])
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(r) = self.running.as_mut() {
            let _ = r
                .to_stdin
                .send(format!("{}\n", Request::Bye.to_line()).into_bytes());
            let _ = r.from_stdout.pop_timeout(Duration::from_millis(200));
        }
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(command: &str) -> Vec<String> {
        let c = command_for(command);
        std::iter::once(c.get_program())
            .chain(c.get_args())
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn simple_commands_start_directly_and_the_rest_through_sh() {
        assert_eq!(
            argv("python3 'my impl.py' --x"),
            ["python3", "my impl.py", "--x"]
        );
        let c = command_for("A=1 B_2=x prog");
        assert_eq!(c.get_program(), "prog");
        assert_eq!(c.get_envs().count(), 2);
        assert_eq!(argv("a; b"), ["sh", "-c", "a; b"]);
        assert_eq!(argv("a | b"), ["sh", "-c", "a | b"]);
        assert_eq!(argv("X=$HOME prog"), ["sh", "-c", "X=$HOME prog"]);
        assert_eq!(argv("'unclosed"), ["sh", "-c", "'unclosed"]);
        assert_eq!(argv("A=1"), ["sh", "-c", "A=1"]);
    }
}
