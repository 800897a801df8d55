//! The scenarios a command is given: files, directories searched for `*.json`,
//! or the built-in golden set when none is named.

use std::path::{Path, PathBuf};

/// One input: a name for messages and its text, or why it cannot be read.
pub struct Input {
    /// The path, or `(built-in) <path>` for an embedded scenario.
    pub name: String,
    /// The file's text.
    pub text: Result<String, String>,
}

/// The inputs named by `paths`, in order (directories sorted, searched
/// recursively); with no paths, the golden scenarios built into selc. A path
/// that cannot be read is an input with an error, so the others still run.
pub fn inputs(paths: &[PathBuf]) -> Vec<Input> {
    if paths.is_empty() {
        return crate::golden::scenarios()
            .iter()
            .map(|(name, text)| Input {
                name: format!("(built-in) {name}"),
                text: Ok(text.to_string()),
            })
            .collect();
    }
    let mut out = Vec::new();
    for p in paths {
        let mut files = Vec::new();
        if let Err(e) = collect_json(p, &mut files) {
            out.push(Input {
                name: p.display().to_string(),
                text: Err(e.to_string()),
            });
            continue;
        }
        for f in files {
            out.push(Input {
                name: f.display().to_string(),
                text: std::fs::read_to_string(&f).map_err(|e| e.to_string()),
            });
        }
    }
    out
}

fn collect_json(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for p in entries {
            if p.is_dir() || p.extension().is_some_and(|x| x == "json") {
                collect_json(&p, out)?;
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
    Ok(())
}
