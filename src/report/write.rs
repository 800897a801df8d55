//! Every output of a `selc verify` run asked for, written in one place: the
//! JSON report, the JUnit file and the HTML pages, all rendering one
//! [`Report`].

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::html;
use super::junit::junit_of;
use super::record::Report;
use crate::verify::Failure;

/// Where to write each output; `None`: not asked for.
#[derive(Clone, Debug, Default)]
pub struct Outputs {
    /// The JSON report.
    pub report: Option<PathBuf>,
    /// The JUnit file.
    pub junit: Option<PathBuf>,
    /// The directory of `index.html` and a page per failure.
    pub html: Option<PathBuf>,
}

/// A file that could not be written.
#[derive(Debug, Error)]
#[error("cannot write {path}: {why}")]
pub struct WriteError {
    /// The file or directory.
    pub path: String,
    /// The error.
    pub why: String,
}

/// Write `text` to `path`, naming the file in the error.
pub fn write_file(path: &Path, text: &str) -> Result<(), WriteError> {
    std::fs::write(path, text).map_err(|e| WriteError {
        path: path.display().to_string(),
        why: e.to_string(),
    })
}

/// Write every output asked for. `failures` are the run's, in the report's
/// order, for the HTML pages of each (none for a merged report).
pub fn write_all(
    outputs: &Outputs,
    report: &Report,
    failures: &[Failure],
) -> Result<(), WriteError> {
    if let Some(path) = &outputs.report {
        let text = serde_json::to_string_pretty(report).map_err(|e| WriteError {
            path: path.display().to_string(),
            why: e.to_string(),
        })?;
        write_file(path, &(text + "\n"))?;
    }
    if let Some(path) = &outputs.junit {
        write_file(path, &junit_of(report))?;
    }
    if let Some(dir) = &outputs.html {
        std::fs::create_dir_all(dir).map_err(|e| WriteError {
            path: dir.display().to_string(),
            why: e.to_string(),
        })?;
        let command = &report.implementation.command;
        let files: Vec<String> = (0..failures.len())
            .map(|i| html::failure_file(i, &failures[i]))
            .collect();
        for (f, file) in failures.iter().zip(&files) {
            write_file(
                &dir.join(file),
                &html::failure_page(f, command, report.mode),
            )?;
        }
        write_file(&dir.join("index.html"), &html::index_page(report, &files))?;
    }
    Ok(())
}
