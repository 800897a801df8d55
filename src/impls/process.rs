//! The subprocess adapter: any program speaking the JSON-lines protocol
//! (docs/protocol.md, section 5). One long-lived process serves many cases; it
//! is restarted after a failure. The harness survives whatever the program does:
//! a crash, a hang (per-request timeout), output that is not JSON or too long,
//! or a flood on stderr (read continuously, only the last lines kept).

use std::collections::VecDeque;
use std::io::{BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use serde_json::{json, Value};

use super::{parse_answer, preview, Answer, HarnessError, Implementation, Request};
use crate::protocol::read_line_capped;
use crate::scenario::PROTOCOL_VERSION;

/// The longest response line accepted.
pub const MAX_RESPONSE_BYTES: usize = 16 << 20;
/// How many stderr lines are kept for reports.
pub const STDERR_LINES: usize = 20;
/// Longer stderr lines are cut to this many bytes.
const STDERR_LINE_BYTES: usize = 2000;

enum Out {
    /// A well-formed snapshot answer, parsed on the reader thread so that parsing
    /// overlaps the harness's own work.
    Snapshot(std::sync::Arc<crate::model::Snapshot>),
    Line(String),
    TooLong,
    NotUtf8,
    Eof,
}

struct Running {
    child: Child,
    to_stdin: Sender<Vec<u8>>,
    from_stdout: Receiver<Out>,
}

/// A program under test, spoken to over its stdin and stdout.
pub struct Process {
    command: String,
    timeout: Duration,
    running: Option<Running>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    hello: bool,
    name: Option<String>,
    /// Requests sent and not yet answered: whether each was `snapshot`.
    pending: VecDeque<bool>,
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
    /// Prepare to run `command` (through `sh -c`) with a per-request timeout. The
    /// program is started on the first request.
    pub fn new(command: &str, timeout: Duration) -> Process {
        Process {
            command: command.to_string(),
            timeout,
            running: None,
            stderr: Arc::new(Mutex::new(VecDeque::new())),
            hello: false,
            name: None,
            pending: VecDeque::new(),
        }
    }

    /// The command line.
    pub fn command(&self) -> &str {
        &self.command
    }

    fn spawn(&mut self) -> Result<(), HarnessError> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| HarnessError::Spawn(format!("{}: {e}", self.command)))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| HarnessError::Spawn("no stdin".into()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| HarnessError::Spawn("no stdout".into()))?;
        let stderr = child
            .stderr
            .take()
            .ok_or_else(|| HarnessError::Spawn("no stderr".into()))?;
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
        let (out_tx, from_stdout) = mpsc::channel();
        thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 16, stdout);
            let mut buf = Vec::new();
            loop {
                let msg = match read_line_capped(&mut r, &mut buf, MAX_RESPONSE_BYTES) {
                    Ok(Some(true)) => Out::TooLong,
                    Ok(Some(false)) => match String::from_utf8(std::mem::take(&mut buf)) {
                        Ok(s) => match super::fast_snapshot(&s) {
                            Some(snap) => Out::Snapshot(std::sync::Arc::new(snap)),
                            None => Out::Line(s),
                        },
                        Err(_) => Out::NotUtf8,
                    },
                    Ok(None) | Err(_) => Out::Eof,
                };
                let end = matches!(msg, Out::Eof);
                if out_tx.send(msg).is_err() || end {
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
        });
        if self.hello {
            self.hello_exchange()?;
        }
        Ok(())
    }

    fn kill(&mut self) {
        self.pending.clear();
        if let Some(mut r) = self.running.take() {
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
    }

    /// Send one request line and wait for one response line.
    fn request(&mut self, req: &Value) -> Result<String, HarnessError> {
        self.write(req)?;
        self.read()
    }

    /// Send one request line.
    fn write(&mut self, req: &Value) -> Result<(), HarnessError> {
        self.write_line(req.to_string())
    }

    /// Send one request line given as text (without its newline).
    fn write_line(&mut self, line: String) -> Result<(), HarnessError> {
        if self.running.is_none() {
            self.spawn()?;
        }
        let r = self
            .running
            .as_mut()
            .ok_or_else(|| HarnessError::Spawn("not running".into()))?;
        let mut line = line.into_bytes();
        line.push(b'\n');
        let _ = r.to_stdin.send(line);
        Ok(())
    }

    /// Wait for one response line.
    fn read(&mut self) -> Result<String, HarnessError> {
        match self.read_out()? {
            Out::Line(l) => Ok(l),
            _ => {
                self.kill();
                Err(HarnessError::BadResponse(
                    "a snapshot where none was asked for".into(),
                ))
            }
        }
    }

    /// Wait for one response: a parsed snapshot or a line to parse.
    fn read_out(&mut self) -> Result<Out, HarnessError> {
        let r = self
            .running
            .as_mut()
            .ok_or_else(|| HarnessError::Exited("not running".into()))?;
        let result = match r.from_stdout.recv_timeout(self.timeout) {
            Ok(out @ (Out::Line(_) | Out::Snapshot(_))) => Ok(out),
            Ok(Out::TooLong) => Err(HarnessError::BadResponse(format!(
                "a response line longer than {MAX_RESPONSE_BYTES} bytes"
            ))),
            Ok(Out::NotUtf8) => Err(HarnessError::BadResponse(
                "a response line that is not UTF-8".into(),
            )),
            Ok(Out::Eof) | Err(RecvTimeoutError::Disconnected) => {
                // Give the exit status a moment to be collected.
                let status = (0..50)
                    .find_map(|_| match r.child.try_wait() {
                        Ok(Some(s)) => Some(s.to_string()),
                        _ => {
                            thread::sleep(Duration::from_millis(10));
                            None
                        }
                    })
                    .unwrap_or_else(|| "closed its output".into());
                Err(HarnessError::Exited(status))
            }
            Err(RecvTimeoutError::Timeout) => {
                Err(HarnessError::Timeout(self.timeout.as_millis() as u64))
            }
        };
        if result.is_err() {
            self.kill();
        }
        result
    }

    fn hello_exchange(&mut self) -> Result<String, HarnessError> {
        let line = self.request(&json!({"op": "hello", "protocol": PROTOCOL_VERSION}))?;
        let v: Value = serde_json::from_str(&line).map_err(|e| {
            HarnessError::BadResponse(format!("hello: not JSON ({e}): {}", preview(&line)))
        })?;
        if v["ok"] != json!(true) {
            return Err(HarnessError::Protocol(format!(
                "hello refused: {}",
                preview(&line)
            )));
        }
        if v["protocol"].as_u64() != Some(PROTOCOL_VERSION) {
            return Err(HarnessError::Protocol(format!(
                "hello: the implementation speaks protocol {}, selc speaks {PROTOCOL_VERSION}",
                v["protocol"]
            )));
        }
        let name = v["name"].as_str().unwrap_or("(unnamed)").to_string();
        self.name = Some(name.clone());
        Ok(name)
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
        self.write_line(request.to_line())?;
        self.pending.push_back(matches!(request, Request::Snapshot));
        Ok(())
    }

    fn receive(&mut self) -> Result<Answer, HarnessError> {
        let snapshot_only = self
            .pending
            .pop_front()
            .ok_or_else(|| HarnessError::Protocol("nothing was asked".into()))?;
        match self.read_out()? {
            Out::Snapshot(s) => Ok(Answer::Snapshot(s)),
            Out::Line(line) => parse_answer(&line, snapshot_only).inspect_err(|_| self.kill()),
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

    fn reset(&mut self) -> Result<(), HarnessError> {
        self.kill();
        Ok(())
    }

    fn stderr_tail(&self) -> Vec<String> {
        // Let the reader catch up with what the program wrote just before failing.
        thread::sleep(Duration::from_millis(20));
        self.stderr
            .lock()
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Some(r) = self.running.as_mut() {
            let _ = r.to_stdin.send(b"{\"op\":\"bye\"}\n".to_vec());
            let _ = r.from_stdout.recv_timeout(Duration::from_millis(200));
        }
        self.kill();
    }
}
