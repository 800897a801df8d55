//! The `selc` command line: thin, every decision lives in the library.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use selc::report::text;
use selc::run::{passed, run_scenario, Verdict};
use selc::scenario::Scenario;

/// selc — the Server Edition Licensing Conformance suite.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenario files through the reference model.
    ///
    /// A file with `expect` / `expect_initial` is checked: each differing step is
    /// printed with the rules involved and a field-by-field diff. A file without
    /// expectations prints the snapshot after each step as JSON lines. With no
    /// FILE, runs the golden scenarios built into selc.
    ///
    /// Exit status: 0 all match, 1 a step differs, 2 a file is unreadable or invalid.
    Run {
        /// Scenario files or directories (searched for *.json).
        files: Vec<PathBuf>,
        /// Pretty-print snapshots.
        #[arg(long)]
        pretty: bool,
        /// Print only failures and the summary.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Serve the reference model over the JSON-lines protocol on stdin/stdout.
    Serve,
    /// Print the rule catalogue.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            files,
            pretty,
            quiet,
        } => cmd_run(&files, pretty, quiet),
        Command::Serve => {
            let stdin = io::stdin().lock();
            let stdout = io::BufWriter::new(io::stdout().lock());
            match selc::protocol::serve(stdin, stdout) {
                Ok(()) => ExitCode::SUCCESS,
                // A closed stdout (the client went away) is the end of the session.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("selc serve: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Rules { format } => {
            let out = match format {
                Format::Text => selc::rules::to_text(),
                Format::Json => selc::rules::to_json(),
                Format::Markdown => selc::rules::to_markdown(),
            };
            print!("{out}");
            ExitCode::SUCCESS
        }
    }
}

fn collect_json(path: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
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

fn cmd_run(paths: &[PathBuf], pretty: bool, quiet: bool) -> ExitCode {
    let mut inputs: Vec<(String, Result<String, String>)> = Vec::new();
    if paths.is_empty() {
        for (name, text) in selc::golden::scenarios() {
            inputs.push((format!("(built-in) {name}"), Ok(text.to_string())));
        }
    } else {
        for p in paths {
            let mut files = Vec::new();
            if let Err(e) = collect_json(p, &mut files) {
                inputs.push((p.display().to_string(), Err(e.to_string())));
                continue;
            }
            for f in files {
                let text = std::fs::read_to_string(&f).map_err(|e| e.to_string());
                inputs.push((f.display().to_string(), text));
            }
        }
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let (mut ok, mut failed, mut invalid) = (0usize, 0usize, 0usize);
    for (name, text) in inputs {
        let scenario =
            match text.and_then(|t| Scenario::from_json_str(&t).map_err(|e| e.to_string())) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("error: {name}: {e}");
                    invalid += 1;
                    continue;
                }
            };
        let steps = match run_scenario(&scenario) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {name}: {e}");
                invalid += 1;
                continue;
            }
        };
        if !scenario.has_expectations() {
            for step in &steps {
                let v = text::outcome_value(step);
                let line = if pretty {
                    serde_json::to_string_pretty(&v)
                } else {
                    serde_json::to_string(&v)
                };
                let _ = writeln!(out, "{}", line.unwrap_or_default());
            }
            ok += 1;
            continue;
        }
        let label = scenario.name.as_deref().unwrap_or("");
        let checked = steps
            .iter()
            .filter(|s| matches!(s.verdict, Verdict::Match | Verdict::Mismatch(_)))
            .count();
        if passed(&steps) {
            ok += 1;
            if !quiet {
                let _ = writeln!(out, "ok    {name}  {label}  ({checked} steps checked)");
            }
        } else {
            failed += 1;
            let _ = writeln!(out, "FAIL  {name}  {label}");
            let _ = write!(out, "{}", text::mismatches(&scenario, &steps));
        }
    }
    let _ = writeln!(
        out,
        "\nscenarios: {ok} ok, {failed} differ, {invalid} invalid or unreadable"
    );
    if invalid > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
