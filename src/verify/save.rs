//! Writing a failure to disk as a scenario file that `selc run` replays.

use std::path::{Path, PathBuf};

use super::config::CaseId;
use super::summary::Failure;

/// Save `f` under `dir` ([`save`]) and record on it where, or why not: the
/// reason is returned too, for progress messages.
pub fn keep(dir: &Path, f: &mut Failure) -> Result<(), String> {
    match save(dir, f) {
        Ok(p) => {
            f.saved = Some(p);
            Ok(())
        }
        Err(e) => {
            let why = format!("cannot save to {}: {e}", dir.display());
            f.save_error = Some(why.clone());
            Err(why)
        }
    }
}

/// Save `f` under `dir` as `<first rule>-<case>.json`, with the rules and the
/// message as its name.
pub fn save(dir: &Path, f: &Failure) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let tag = match &f.case {
        CaseId::Shipped(p) => p.replace(['/', '.'], "_"),
        CaseId::Random(i) => format!("case-{i}"),
        CaseId::Exhaustive(p) => format!("exhaustive-{p}"),
        CaseId::Invalid(p) => format!("invalid-{p}"),
        CaseId::Envelope(p) => format!("envelope-{p}"),
        CaseId::Fuzz(n) => format!("fuzz-{n}"),
    };
    let path = dir.join(format!(
        "{}-{tag}.json",
        f.step.rules[0].as_str().to_lowercase()
    ));
    let mut s = f.scenario.clone();
    s.name = Some(format!(
        "{}: {}",
        crate::rules::join(&f.step.rules),
        f.step.message
    ));
    s.rules = f.step.rules.clone();
    std::fs::write(&path, s.to_json_string())?;
    Ok(path)
}
