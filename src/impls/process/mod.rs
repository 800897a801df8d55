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

mod group;
mod reader;

use std::collections::VecDeque;
use std::io::Write;
use std::process::Child;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::{Driven, HarnessError};
use crate::protocol::{parse_answer, parse_hello, preview, Answer, Op, Request};
use group::end_group;
pub use group::{end_all, TERM_GRACE};
use reader::{Awaited, Expectation, Inbox, Out};
pub use reader::{MAX_RESPONSE_BYTES, STDERR_LINES};

/// How often the harness says what it waits on, once a request takes this long.
const WAIT_REPORT: Duration = Duration::from_secs(1);
/// Latencies kept for [`Driven::latency_p99`].
const LATENCIES: usize = 1024;
/// Queued request bytes are written once they reach this size, even before an
/// answer is waited for.
const FLUSH_BYTES: usize = 1 << 16;

/// Called while a request is slow: what is waited on, and for how long.
pub type WaitHook = Box<dyn FnMut(&str, Duration) + Send>;

struct Running {
    child: Child,
    to_stdin: Sender<Vec<u8>>,
    from_stdout: Arc<Inbox>,
    /// One entry per request line, in order: the answer expected, if any.
    expect: Sender<Awaited>,
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

    /// Start `command` and exchange `hello`: the program and the name it gave,
    /// or why it cannot be driven, with the last lines it wrote to stderr. The
    /// timeout is at least 1 ms.
    pub fn started(command: &str, timeout: Duration) -> Result<(Process, String), String> {
        let mut p = Process::new(command, timeout.max(Duration::from_millis(1)));
        match p.hello() {
            Ok(name) => Ok((p, name)),
            Err(e) => {
                let mut why = e.to_string();
                for l in p.stderr_tail() {
                    why.push_str("\n  | ");
                    why.push_str(&l);
                }
                Err(why)
            }
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
        if crate::interrupt::requested() {
            return Err(HarnessError::Interrupted);
        }
        let mut child = group::spawn(&self.command)?;
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
        let (expect, expected) = mpsc::channel::<Awaited>();
        reader::answers(stdout, Arc::clone(&from_stdout), expected);
        reader::stderr_tail(stderr, Arc::clone(&self.stderr));
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
            // An interruption ends the program: whatever it then says or does
            // not say is not its failure.
            if crate::interrupt::requested() {
                break Err(HarnessError::Interrupted);
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

impl Process {
    /// Send one raw line and take the line that answers it (see
    /// [`Driven::exchange`]); a snapshot the reader parsed is written back in
    /// canonical form.
    fn exchange_line(&mut self, line: &str) -> Result<String, HarnessError> {
        self.discard();
        self.write_line(line, None)?;
        match self.read_out()? {
            Out::Line(l) => Ok(l),
            Out::Snapshot(s) => Ok(String::from_utf8_lossy(
                &crate::protocol::snapshot_answer_line(&s),
            )
            .into_owned()),
            Out::TooLong | Out::NotUtf8 | Out::Eof => {
                Err(HarnessError::BadResponse("no answer line".into()))
            }
        }
    }
}

impl Driven for Process {
    fn exchange(&mut self, line: &str) -> Option<Result<String, HarnessError>> {
        Some(self.exchange_line(line))
    }

    fn set_hello(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.hello, on)
    }

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
