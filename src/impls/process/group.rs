//! The process group of a program under test: started in a group of its own,
//! so that ending the group ends whatever the program started; every group
//! running is known, so that an interruption ends them all.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::impls::HarnessError;

/// How long a program is given to exit after SIGTERM before its group is killed.
pub const TERM_GRACE: Duration = Duration::from_millis(300);

/// The process groups of every program running now, so that Ctrl-C (or
/// SIGTERM) given to selc can end them all: they do not share selc's group, so
/// the terminal's signal does not reach them.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// End every program selc is running (their whole process groups). Called on
/// an interruption ([`crate::interrupt::on_request`]).
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

fn signal_group(group: i32, sig: nix::sys::signal::Signal) {
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(group), sig);
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
pub(super) fn end_group(mut child: Child) {
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

/// Start `command` with its stdin, stdout and stderr piped, in a group of its
/// own; refused once the run is interrupted.
pub(super) fn spawn(command: &str) -> Result<Child, HarnessError> {
    crate::interrupt::on_request(end_all);
    if crate::interrupt::requested() {
        return Err(HarnessError::Interrupted);
    }
    let child = command_for(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A group of its own: ending it ends whatever the program started.
        .process_group(0)
        .spawn()
        .map_err(|e| HarnessError::Spawn(format!("{command}: {e}")))?;
    if let Ok(mut g) = LIVE_GROUPS.lock() {
        g.push(child.id() as i32);
    }
    // An interruption that read the groups before this one was added has not
    // ended it: it is ended here (the flag is set before they are read).
    if crate::interrupt::requested() {
        end_group(child);
        return Err(HarnessError::Interrupted);
    }
    Ok(child)
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
