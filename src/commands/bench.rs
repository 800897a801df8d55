//! `selc bench`: an implementation and the reference measured side by side.

use std::path::PathBuf;
use std::time::Duration;

use super::{write_file, CommandError, Outcome};
use crate::bench::{measure, report};
use crate::impls::default::{default_command, serve_command};
use crate::impls::process::Process;
use crate::report::write::WriteError;

/// What `selc bench` is asked for.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// The implementation's command; `None` for the default.
    pub implementation: Option<String>,
    /// Network sizes, in systems.
    pub sizes: Vec<usize>,
    /// Events applied per size.
    pub events: usize,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Where to write `bench.json` and `bench.svg`.
    pub out: PathBuf,
}

/// Run `selc bench`.
pub fn bench(opts: &BenchOptions) -> Result<Outcome, CommandError> {
    if opts.sizes.is_empty() || opts.sizes.contains(&0) {
        return Err(CommandError::Usage(
            "--sizes takes positive numbers of systems, e.g. 2,32,150".into(),
        ));
    }
    let command = opts.implementation.clone().unwrap_or_else(default_command);
    let timeout = opts.timeout.max(Duration::from_millis(1));
    let start = |command: &str| {
        Process::started(command, timeout).map_err(|why| CommandError::Implementation {
            command: command.to_string(),
            why,
        })
    };
    let (mut theirs, name) = start(&command)?;
    let (mut reference, _) = start(&serve_command())?;
    let (mut ours, mut their) = (Vec::new(), Vec::new());
    for &n in &opts.sizes {
        eprintln!("selc bench: {n} systems, {} events", opts.events);
        ours.push(measure(&mut reference, n, opts.events));
        their.push(measure(&mut theirs, n, opts.events));
    }
    print!("{}", report::table(&name, &ours, &their));
    std::fs::create_dir_all(&opts.out).map_err(|e| WriteError {
        path: opts.out.display().to_string(),
        why: e.to_string(),
    })?;
    let json = report::json_report(&command, &name, opts.events, &ours, &their);
    let json_path = opts.out.join("bench.json");
    let svg = opts.out.join("bench.svg");
    write_file(
        &json_path,
        &(serde_json::to_string_pretty(&json).map_err(std::io::Error::other)? + "\n"),
    )?;
    report::plot(&svg, &name, &ours, &their).map_err(|why| WriteError {
        path: svg.display().to_string(),
        why,
    })?;
    println!("wrote {} and {}", json_path.display(), svg.display());
    if their.iter().chain(&ours).all(|r| r.correct) {
        Ok(Outcome::Pass)
    } else {
        eprintln!("selc bench: some answers were wrong: their timings are not a result");
        Ok(Outcome::Fail)
    }
}
