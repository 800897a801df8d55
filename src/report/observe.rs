//! `--observe FILE.jsonl`: each case as a line of Hypothesis' observability
//! format (`type: "test_case"`), which Tyche and pandas read. Written as cases
//! are judged, by every worker, one whole line at a time.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde_json::{json, Map, Value};

use crate::rules::RULES;
use crate::verify::observe::{Observation, Observe, Status};

/// The property every line is of: what a case checks.
pub const PROPERTY: &str = "the implementation's answers agree with the reference model";

/// A JSON-lines file of observations.
#[derive(Debug)]
pub struct JsonLines {
    out: Mutex<BufWriter<File>>,
    path: String,
}

impl JsonLines {
    /// Create (or truncate) `path`.
    pub fn create(path: &Path) -> Result<JsonLines, String> {
        let file = File::create(path).map_err(|e| format!("--observe {}: {e}", path.display()))?;
        Ok(JsonLines {
            out: Mutex::new(BufWriter::new(file)),
            path: path.display().to_string(),
        })
    }

    /// Write what is buffered; the error names the file.
    pub fn finish(&self) -> Result<(), String> {
        let mut out = self
            .out
            .lock()
            .map_err(|_| format!("{}: a writer panicked", self.path))?;
        out.flush().map_err(|e| format!("{}: {e}", self.path))
    }
}

/// The observer `--observe PATH` asks for: created before anything runs, so
/// that a path that cannot be written is refused with nothing done.
pub fn open(path: Option<&Path>) -> Result<Option<std::sync::Arc<JsonLines>>, String> {
    path.map(|p| JsonLines::create(p).map(std::sync::Arc::new))
        .transpose()
}

/// One observation as a Hypothesis `test_case` line.
pub fn line(o: &Observation<'_>) -> Value {
    let (status, reason) = match &o.status {
        Status::Passed => ("passed", String::new()),
        Status::Failed(why) => ("failed", why.clone()),
        Status::GaveUp(why) => ("gave_up", why.clone()),
    };
    let (systems, events) = o.scenario.map(crate::verify::size_of).unwrap_or((0, 0));
    let mut features = Map::new();
    if let Some(run) = o.run {
        for (rule, n) in RULES.iter().zip(run.exercised.0) {
            if n > 0 {
                features.insert(format!("rule {}", rule.id.as_str()), json!(n));
            }
        }
        features.insert("events".into(), json!(run.events));
    }
    if let Some((set, size)) = o.domain {
        features.insert("systems".into(), json!(size.systems));
        features.insert("licenses".into(), json!(size.licenses));
        for d in set.ids() {
            features.insert(format!("domain {}", d.as_str()), json!(1));
        }
    } else if o.scenario.is_some() {
        features.insert("systems".into(), json!(systems));
    }
    let representation = o
        .scenario
        .map(|s| s.to_json_string())
        .unwrap_or_else(|| format!("{} (raw protocol lines)", o.case));
    json!({
        "type": "test_case",
        "run_start": o.run_start.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64()),
        "property": PROPERTY,
        "status": status,
        "status_reason": reason,
        "representation": representation,
        "arguments": {"case": o.case, "systems": systems, "events": events},
        "how_generated": o.how.as_str(),
        "features": features,
        "coverage": Value::Null,
        "timing": {"execute:test": o.took.as_secs_f64()},
        "metadata": {
            "command": format!("selc {}", o.command),
            "case": o.case,
            "index": o.index,
            "seed": o.seed,
            "shard": o.shard.to_string(),
            "selc_version": env!("CARGO_PKG_VERSION"),
            "model_digest": crate::digest::model(),
        },
    })
}

impl Observe for JsonLines {
    fn case(&self, o: &Observation<'_>) {
        let mut text = line(o).to_string();
        text.push('\n');
        if let Ok(mut out) = self.out.lock() {
            // A write error shows at `finish`, which the command reports.
            let _ = out.write_all(text.as_bytes());
        }
    }
}
