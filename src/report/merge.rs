//! `selc report merge`: the reports of the shards of one run (`--shard I/N`) made
//! into the report of the whole run, as wpt.fyi merges chunks: a shard whose run
//! record conflicts with the others is refused, naming the field and the files.
//! The merged report equals the report of one unsharded run with the same seed
//! and cases, timings aside.

use thiserror::Error;

use super::record::{basis_lines, group};
use super::record::{CellRecord, CoverageRecord, PartRecord, RandomRecord, ReachRecord, Report};
use crate::verify::Shard;

/// Why shard reports cannot be merged.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MergeError {
    /// No report given.
    #[error("no shard report given")]
    Empty,
    /// Two reports disagree on the run they belong to.
    #[error(
        "the shards do not belong to one run: `{field}` is {a} in {file_a} but {b} in {file_b}"
    )]
    Conflict {
        /// The field of the run record.
        field: &'static str,
        /// The first file and its value.
        file_a: String,
        /// Its value.
        a: String,
        /// The other file.
        file_b: String,
        /// Its value.
        b: String,
    },
    /// The same shard twice.
    #[error("shard {shard} is given twice: {file_a} and {file_b}")]
    Duplicate {
        /// `I/N`.
        shard: String,
        /// The files.
        file_a: String,
        /// The other file.
        file_b: String,
    },
    /// A shard is missing.
    #[error("shard {shard} is missing (got {got} of {of} shards)")]
    Missing {
        /// `I/N` of the missing one.
        shard: String,
        /// How many were given.
        got: usize,
        /// How many there are.
        of: u64,
    },
}

/// The fields every shard of one run shares, by name.
fn run_record(r: &Report) -> [(&'static str, String); 8] {
    [
        ("selc_version", r.selc_version.clone()),
        ("model_digest", r.model_digest.clone()),
        ("seed", r.seed.to_string()),
        ("mode", r.mode.to_string()),
        ("cases_requested", r.cases_requested.to_string()),
        (
            "exhaustive.scope",
            r.exhaustive
                .as_ref()
                .map_or("none".into(), |x| format!("{} from {}", x.scope, x.from)),
        ),
        ("implementation.command", r.implementation.command.clone()),
        ("shard count", r.shard.count().to_string()),
    ]
}

/// Merge the reports of the shards of one run, given with their file names.
pub fn merge(shards: &[(String, Report)]) -> Result<Report, MergeError> {
    let (first_file, first) = shards.first().ok_or(MergeError::Empty)?;
    let want = run_record(first);
    for (file, r) in &shards[1..] {
        for ((field, a), (_, b)) in want.iter().zip(run_record(r)) {
            if *a != b {
                return Err(MergeError::Conflict {
                    field,
                    file_a: first_file.clone(),
                    a: a.clone(),
                    file_b: file.clone(),
                    b,
                });
            }
        }
    }
    let mut seen: Vec<Option<&str>> = Vec::new();
    let mut count = 0;
    for (file, r) in shards {
        let (i, n) = (r.shard.index(), r.shard.count());
        count = n;
        seen.resize(n as usize, None);
        if let Some(other) = seen[(i - 1) as usize] {
            return Err(MergeError::Duplicate {
                shard: r.shard.to_string(),
                file_a: other.to_string(),
                file_b: file.clone(),
            });
        }
        seen[(i - 1) as usize] = Some(file);
    }
    if let Some(i) = seen.iter().position(Option::is_none) {
        return Err(MergeError::Missing {
            shard: format!("{}/{count}", i + 1),
            got: shards.len(),
            of: count,
        });
    }
    let mut m = first.clone();
    m.shard = Shard::WHOLE;
    // The run began when its first shard did.
    m.started = shards
        .iter()
        .map(|(_, r)| r.started.clone())
        .min()
        .unwrap_or_default();
    m.rerun = first
        .rerun
        .replace(&format!("--shard {}", first.shard), "--shard 1/1");
    m.cases = shards.iter().map(|(_, r)| r.cases).sum();
    m.events = shards.iter().map(|(_, r)| r.events).sum();
    m.seconds = shards.iter().map(|(_, r)| r.seconds).fold(0.0, f64::max);
    m.error = shards.iter().find_map(|(_, r)| r.error.clone());
    m.stopped = shards.iter().find_map(|(_, r)| r.stopped.clone());
    m.skipped = shards.iter().flat_map(|(_, r)| r.skipped.clone()).collect();
    m.failures = shards
        .iter()
        .flat_map(|(_, r)| r.failures.clone())
        .collect();
    m.failures.sort_by_key(|f| f.order());
    m.compliant = shards.iter().all(|(_, r)| r.compliant);
    if let Some(x) = m.exhaustive.as_mut() {
        let parts: Vec<_> = shards
            .iter()
            .filter_map(|(_, r)| r.exhaustive.as_ref())
            .collect();
        x.run = parts.iter().map(|p| p.run).sum();
        x.next = parts.iter().filter_map(|p| p.next).min();
        x.complete = parts.iter().all(|p| p.complete);
    }
    m.invalid_networks = shards.iter().map(|(_, r)| r.invalid_networks).sum();
    m.envelope = shards.iter().map(|(_, r)| r.envelope).sum();
    let mut parts: Vec<PartRecord> = Vec::new();
    for p in shards.iter().flat_map(|(_, r)| &r.parts) {
        match parts.iter_mut().find(|q| q.part == p.part) {
            Some(q) => {
                q.cases += p.cases;
                q.events += p.events;
            }
            None => parts.push(*p),
        }
    }
    parts.sort_by_key(|p| p.part.index());
    m.parts = parts;
    // A merged run's exchanges are its shards': no one digest stands for
    // them (a claim is of one whole run).
    m.exchange_digest = None;
    m.random = RandomRecord {
        cases: shards.iter().map(|(_, r)| r.random.cases).sum(),
        events: shards.iter().map(|(_, r)| r.random.events).sum(),
        indices_below: shards
            .iter()
            .map(|(_, r)| r.random.indices_below)
            .max()
            .unwrap_or(0),
    };
    m.interactions = sum_by(
        shards,
        |r| &r.interactions,
        |a: &mut CellRecord, b| a.steps += b.steps,
    );
    m.coverage = sum_by(
        shards,
        |r| &r.coverage,
        |a: &mut CoverageRecord, b| {
            a.exercised += b.exercised;
            a.failed += b.failed;
        },
    );
    let reaches: Vec<&ReachRecord> = shards.iter().map(|(_, r)| &r.reach).collect();
    if let Some(reach) = ReachRecord::merge(&reaches) {
        m.reach = reach;
    }
    m.groups = group(&m.failures);
    m.basis = basis_lines(&m);
    Ok(m)
}

/// Add up a per-row table over the shards (the rows are in the same order).
fn sum_by<T: Clone>(
    shards: &[(String, Report)],
    rows: impl Fn(&Report) -> &Vec<T>,
    add: impl Fn(&mut T, &T),
) -> Vec<T> {
    let mut out = rows(&shards[0].1).clone();
    for (_, r) in &shards[1..] {
        for (a, b) in out.iter_mut().zip(rows(r)) {
            add(a, b);
        }
    }
    out
}
