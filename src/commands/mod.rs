//! One library function per command of the `selc` binary. Each prints what the
//! command prints and returns an [`Outcome`] or a [`CommandError`]; the binary
//! maps both to an exit status in one place ([`exit_status`]).

pub mod bench;
pub mod claim;
pub mod diff;
pub mod fuzz;
pub mod inputs;
pub mod progress;
pub mod regress;
pub mod report;
pub mod run;
pub mod show;
pub mod verify;

use thiserror::Error;

/// How a command ended, when it ran to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything checked agreed: exit status 0.
    Pass,
    /// Something checked did not (a rule broken, a step differing): exit status 1.
    Fail,
    /// Some input could not be used (already reported): exit status 2.
    Unusable,
    /// A signal (SIGINT, SIGTERM) stopped it; what was done is reported: exit
    /// status 130, as a shell gives a program ended by SIGINT.
    Interrupted,
}

/// Why a command could not do its job: exit status 2.
#[derive(Debug, Error)]
pub enum CommandError {
    /// A flag or argument is wrong.
    #[error("{0}")]
    Usage(String),
    /// The implementation could not be started or refused the protocol.
    #[error("{command}: {why}")]
    Implementation {
        /// Its command line.
        command: String,
        /// What went wrong.
        why: String,
    },
    /// A file could not be written.
    #[error(transparent)]
    Write(#[from] crate::report::write::WriteError),
    /// Standard input or output failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The exit status of a command's result; an error is printed first, as
/// `selc <command>: error: ...`. The only place exit statuses are decided.
pub fn exit_status(command: &str, result: &Result<Outcome, CommandError>) -> u8 {
    match result {
        Ok(Outcome::Interrupted) => 130,
        // A command that stopped on a signal ends as an interrupted one, whatever
        // the programs it was driving did when they were ended.
        _ if crate::interrupt::requested() => {
            eprintln!("selc {command}: interrupted");
            130
        }
        Ok(Outcome::Pass) => 0,
        Ok(Outcome::Fail) => 1,
        Ok(Outcome::Unusable) => 2,
        Err(e) => {
            eprintln!("selc {command}: error: {e}");
            2
        }
    }
}

/// `selc serve`: the reference model over the protocol on stdin and stdout.
pub fn serve() -> Result<Outcome, CommandError> {
    let stdin = std::io::stdin().lock();
    let stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match crate::protocol::serve(stdin, stdout) {
        Ok(()) => Ok(Outcome::Pass),
        // A closed stdout (the client went away) is the end of the session.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Outcome::Pass),
        Err(e) => Err(e.into()),
    }
}

/// The formats of `selc rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    /// For people.
    Text,
    /// For tools.
    Json,
    /// `docs/rules.md`.
    Markdown,
}

/// `selc rules`: print the catalogue.
pub fn rules(format: RulesFormat) -> Result<Outcome, CommandError> {
    let out = match format {
        RulesFormat::Text => crate::rules::to_text(),
        RulesFormat::Json => crate::rules::to_json(),
        RulesFormat::Markdown => crate::rules::to_markdown(),
    };
    print!("{out}");
    Ok(Outcome::Pass)
}

/// Write `text` to `path`, naming the file in the error.
pub(crate) fn write_file(path: &std::path::Path, text: &str) -> Result<(), CommandError> {
    Ok(crate::report::write::write_file(path, text)?)
}
