//! `selc report merge`: shard reports into the report of the whole run.

use std::path::{Path, PathBuf};

use super::{CommandError, Outcome};
use crate::report::merge::merge as merge_reports;
use crate::report::record::Report;
use crate::report::write::{write_all, Outputs};

/// Read a report, naming the file and the JSON path of what is wrong.
fn read(path: &Path) -> Result<Report, CommandError> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| CommandError::Usage(format!("{name}: {e}")))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        CommandError::Usage(format!(
            "{name}: not a selc verify report: {}: {}",
            e.path(),
            e.inner()
        ))
    })
}

/// Run `selc report merge`: nothing is written unless every shard is read and
/// they merge.
pub fn merge(
    shards: &[PathBuf],
    out: &Path,
    junit: Option<&Path>,
) -> Result<Outcome, CommandError> {
    let reports = shards
        .iter()
        .map(|p| read(p).map(|r| (p.display().to_string(), r)))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = merge_reports(&reports).map_err(|e| CommandError::Usage(e.to_string()))?;
    let outputs = Outputs {
        report: Some(out.to_path_buf()),
        junit: junit.map(Path::to_path_buf),
        html: None,
    };
    write_all(&outputs, &merged, &[])?;
    for line in &merged.basis {
        println!("{line}");
    }
    println!(
        "merged {} shards: {} cases, {} events, {} failing: {}",
        reports.len(),
        merged.cases,
        merged.events,
        merged.failures.len(),
        crate::report::record::verdict(merged.compliant)
    );
    Ok(if merged.compliant {
        Outcome::Pass
    } else {
        Outcome::Fail
    })
}
