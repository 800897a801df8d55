//! The command lines a report gives: the rerun of a whole run, and the replay
//! of one saved failure.

use std::path::Path;

use crate::check::Mode;
use crate::shell::quote;
use crate::verify::VerifyConfig;

/// The command line that reruns exactly the cases of a run of `config` with
/// `cases` random cases (a run on a time budget is rerun with the count of
/// random cases it reached).
pub fn rerun_command(command: &str, config: &VerifyConfig, cases: u64) -> String {
    let mut out = format!(
        "selc verify --impl {} --mode {} --cases {cases} --seed {} --max-events {} --max-systems {} --max-licenses {} --shard {}",
        quote(command),
        config.mode,
        config.seed,
        config.max_events,
        config.max_systems,
        config.max_licenses,
        config.shard,
    );
    if let Some(scope) = config.exhaustive {
        out.push_str(&format!(" --scope {scope}"));
        if config.resume_from > 0 {
            out.push_str(&format!(" --resume-from {}", config.resume_from));
        }
    }
    if !config.golden {
        out.push_str(" --no-golden");
    }
    if !config.invalid_networks {
        out.push_str(" --no-invalid-networks");
    }
    if !config.envelope {
        out.push_str(" --no-envelope");
    }
    if !config.steer {
        out.push_str(" --no-steer");
    }
    out
}

/// The command line that replays a saved failure.
pub fn replay_command(command: &str, mode: Mode, file: &Path) -> String {
    format!(
        "selc run --impl {} --mode {mode} {}",
        quote(command),
        quote(&file.display().to_string())
    )
}
