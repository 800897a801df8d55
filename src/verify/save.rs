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
    s.name = Some(stamped(&format!(
        "{}: {}",
        crate::rules::join(&f.step.rules),
        f.step.message
    )));
    s.rules = f.step.rules.clone();
    std::fs::write(&path, s.to_json_string())?;
    Ok(path)
}

/// What a saved failure's name ends with: the selc and the model that saved
/// it (`[saved by selc 0.5.0, model 0123456789abcdef]`). In the name because
/// PROTOCOL.md §1 fixes a scenario file's fields; `selc run` reads it back
/// to say what a stale file was saved under.
pub fn stamp() -> String {
    format!(
        "[saved by selc {}, model {}]",
        env!("CARGO_PKG_VERSION"),
        &crate::digest::model()[..16]
    )
}

/// `name` with this selc's stamp, in place of any earlier one.
pub fn stamped(name: &str) -> String {
    let bare = split_stamp(name).map_or(name, |(bare, _, _)| bare);
    format!("{bare} {}", stamp())
}

/// The selc version and model digest (16 hex digits) a name is stamped with.
pub fn stamp_of(name: &str) -> Option<(String, String)> {
    split_stamp(name).map(|(_, version, model)| (version.to_string(), model.to_string()))
}

/// A stamped name's parts: the name before its stamp, the version, the model.
fn split_stamp(name: &str) -> Option<(&str, &str, &str)> {
    const OPEN: &str = " [saved by selc ";
    let at = name.rfind(OPEN)?;
    let rest = name[at + OPEN.len()..].strip_suffix(']')?;
    let (version, model) = rest.split_once(", model ")?;
    Some((&name[..at], version, model))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_and_replaces_an_older_one() {
        let name = stamped("frozen shares lost");
        let (v, m) = stamp_of(&name).unwrap();
        assert_eq!(v, env!("CARGO_PKG_VERSION"));
        assert_eq!(m, &crate::digest::model()[..16]);
        let old = "x [saved by selc 0.1.0, model 0000000000000000]";
        assert_eq!(stamp_of(old).unwrap().0, "0.1.0");
        assert_eq!(stamped(old), format!("x {}", stamp()));
        assert_eq!(stamp_of("no stamp"), None);
    }
}
