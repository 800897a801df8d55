//! The `selc` command line: thin, every decision lives in the library.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

/// The harness and `selc serve` allocate many small maps per event; mimalloc
/// roughly halves their cost over the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use selc::check::Mode;
use selc::impls::process::Process;
use selc::impls::Implementation;
use selc::report::text;
use selc::run::{passed, run_scenario, Verdict};
use selc::scenario::Scenario;
use selc::verify::{run_case, verify, Progress, VerifyConfig};

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
        /// Run the files against this implementation (a command speaking the
        /// protocol) and compare it with the reference model, as `verify` does.
        #[arg(long = "impl", value_name = "CMD")]
        implementation: Option<String>,
        /// Compliance mode with --impl.
        #[arg(long, value_enum, default_value_t = ModeArg::Rules)]
        mode: ModeArg,
        /// Per-request timeout with --impl, in milliseconds.
        #[arg(long, default_value_t = 5000, value_name = "MS")]
        timeout: u64,
    },
    /// Check an implementation against the rules: replay the shipped scenarios,
    /// then random ones, shrinking every failure to a minimal replayable case.
    ///
    /// Exit status: 0 compliant, 1 not compliant, 2 usage or harness error.
    Verify(VerifyArgs),
    /// Benchmark an implementation over the protocol against the reference:
    /// latency of load and apply (p50, p95, p99, max) and events per second on
    /// generated networks of each size; writes bench.json and bench.svg.
    ///
    /// Exit status: 0 when every answer was right, 1 when one was wrong, 2 on a
    /// usage or harness error.
    Bench(BenchArgs),
    /// Serve the reference model over the JSON-lines protocol on stdin/stdout.
    Serve,
    /// Print the rule catalogue.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    /// Every snapshot equals the reference model's.
    Strict,
    /// Any split meeting R-NO-OVERGRANT, R-CAPACITY and R-WORK-CONSERVING.
    Rules,
}

impl ModeArg {
    fn mode(self) -> Mode {
        match self {
            ModeArg::Strict => Mode::Strict,
            ModeArg::Rules => Mode::Rules,
        }
    }
    fn name(self) -> &'static str {
        match self {
            ModeArg::Strict => "strict",
            ModeArg::Rules => "rules",
        }
    }
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// The implementation: a command (run by `sh -c`) speaking the JSON-lines
    /// protocol. Default: the bundled Python example (or `selc serve` without python3).
    #[arg(long = "impl", value_name = "CMD")]
    implementation: Option<String>,
    /// Compliance mode.
    #[arg(long, value_enum, default_value_t = ModeArg::Rules)]
    mode: ModeArg,
    /// Random cases after the shipped scenarios.
    #[arg(long, default_value_t = 200)]
    cases: u64,
    /// Seed of the random cases.
    #[arg(long, default_value_t = 0x5e1c)]
    seed: u64,
    /// Events per random case at most.
    #[arg(long, default_value_t = 24)]
    max_events: usize,
    /// Systems per random network at most.
    #[arg(long, default_value_t = 8)]
    max_systems: usize,
    /// Per-request timeout, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    timeout: u64,
    /// Run only shard I of N (1-based) of the cases, e.g. 2/4.
    #[arg(long, value_name = "I/N", value_parser = parse_shard, default_value = "1/1")]
    shard: (u64, u64),
    /// Write a JSON report.
    #[arg(long, value_name = "FILE.json")]
    report: Option<PathBuf>,
    /// Write a JUnit report (one test case per rule).
    #[arg(long, value_name = "FILE.xml")]
    junit: Option<PathBuf>,
    /// Where to write the shrunk failing scenarios.
    #[arg(long, value_name = "DIR", default_value = "selc-failures")]
    save_failures: PathBuf,
    /// Skip the shipped golden and regression scenarios.
    #[arg(long)]
    no_golden: bool,
    /// Do not shrink failing cases.
    #[arg(long)]
    no_shrink: bool,
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s.split_once('/').ok_or("expected I/N, e.g. 2/4")?;
    let i: u64 = i
        .trim()
        .parse()
        .map_err(|_| format!("bad shard index {i:?}"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("bad shard count {n:?}"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("shard {i}/{n}: need 1 <= I <= N"));
    }
    Ok((i, n))
}

#[derive(clap::Args)]
struct BenchArgs {
    /// The implementation: a command speaking the protocol. Default: as `verify`.
    #[arg(long = "impl", value_name = "CMD")]
    implementation: Option<String>,
    /// Network sizes, in systems.
    #[arg(long, value_delimiter = ',', default_value = "2,32,150,1000")]
    sizes: Vec<usize>,
    /// Events applied per size.
    #[arg(long, default_value_t = 200)]
    events: usize,
    /// Per-request timeout, in milliseconds.
    #[arg(long, default_value_t = 30_000, value_name = "MS")]
    timeout: u64,
    /// Where to write bench.json and bench.svg.
    #[arg(long, value_name = "DIR", default_value = "selc-bench")]
    out: PathBuf,
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
            implementation: Some(cmd),
            mode,
            timeout,
        } => {
            let _ = (pretty, quiet);
            cmd_run_impl(&files, &cmd, mode, timeout)
        }
        Command::Run {
            files,
            pretty,
            quiet,
            ..
        } => cmd_run(&files, pretty, quiet),
        Command::Verify(args) => cmd_verify(args),
        Command::Bench(args) => cmd_bench(args),
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

/// The bundled Python example, written to a temporary file so that `selc verify`
/// works from any directory.
const PYTHON_EXAMPLE: &str = include_str!("../examples/impls/python/selc_impl.py");

fn default_impl() -> String {
    let python = ["python3", "python"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    let script =
        std::env::temp_dir().join(format!("selc-example-{}.py", env!("CARGO_PKG_VERSION")));
    match python {
        Some(py) if std::fs::write(&script, PYTHON_EXAMPLE).is_ok() => {
            format!("{py} {}", shell_quote(&script.display().to_string()))
        }
        _ => {
            let me = std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "selc".into());
            format!("{} serve", shell_quote(&me))
        }
    }
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+=:".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Progress on a terminal: a bar; otherwise a plain line every tenth of the run.
struct CliProgress {
    bar: Option<indicatif::ProgressBar>,
    last_tenth: u64,
}

impl CliProgress {
    fn new(total: u64) -> CliProgress {
        use std::io::IsTerminal;
        let bar = io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} cases {msg} [{elapsed_precise}, eta {eta}]",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        CliProgress { bar, last_tenth: 0 }
    }
}

impl Progress for CliProgress {
    fn update(&mut self, done: u64, total: u64, failures: usize) {
        match &self.bar {
            Some(b) => {
                b.set_length(total);
                b.set_position(done);
                b.set_message(format!("{failures} failing"));
            }
            None => {
                let tenth = done * 10 / total.max(1);
                if tenth > self.last_tenth {
                    self.last_tenth = tenth;
                    eprintln!("selc verify: {done}/{total} cases, {failures} failing");
                }
            }
        }
    }
    fn message(&mut self, msg: &str) {
        match &self.bar {
            Some(b) => b.println(msg),
            None => eprintln!("selc verify: {msg}"),
        }
    }
}

fn cmd_verify(args: VerifyArgs) -> ExitCode {
    let command = args.implementation.clone().unwrap_or_else(default_impl);
    let mut imp = Process::new(&command, Duration::from_millis(args.timeout.max(1)));
    let name = match imp.hello() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("selc verify: {command}: {e}");
            for l in imp.stderr_tail() {
                eprintln!("  | {l}");
            }
            return ExitCode::from(2);
        }
    };
    let config = VerifyConfig {
        mode: args.mode.mode(),
        cases: args.cases,
        seed: args.seed,
        max_events: args.max_events,
        max_systems: args.max_systems.max(1),
        shard: args.shard,
        golden: !args.no_golden,
        shrink: !args.no_shrink,
        ..VerifyConfig::default()
    };
    let rerun = format!(
        "selc verify --impl {} --mode {} --cases {} --seed {} --max-events {} --max-systems {} --shard {}/{}{}",
        shell_quote(&command),
        args.mode.name(),
        args.cases,
        args.seed,
        args.max_events,
        config.max_systems,
        args.shard.0,
        args.shard.1,
        if args.no_golden { " --no-golden" } else { "" }
    );
    let info = selc::report::verify::RunInfo {
        command: command.clone(),
        name,
        mode: args.mode.name(),
        seed: args.seed,
        cases: args.cases,
        shard: format!("{}/{}", args.shard.0, args.shard.1),
        rerun,
    };
    let mut progress = CliProgress::new(args.cases);
    let summary = verify(&mut imp, &config, Some(&args.save_failures), &mut progress);
    if let Some(b) = &progress.bar {
        b.finish_and_clear();
    }
    for f in &summary.failures {
        print!("{}", selc::report::verify::failure_text(f));
        if let Some(p) = &f.saved {
            println!(
                "  replay: selc run --impl {} --mode {} {}",
                shell_quote(&command),
                args.mode.name(),
                p.display()
            );
        }
        println!();
    }
    print!("{}", selc::report::verify::summary_text(&summary, &info));
    let mut status = if summary.compliant() { 0 } else { 1 };
    if let Some(path) = &args.report {
        let text =
            serde_json::to_string_pretty(&selc::report::verify::json_report(&summary, &info))
                .unwrap_or_default();
        if let Err(e) = std::fs::write(path, text + "\n") {
            eprintln!("selc verify: cannot write {}: {e}", path.display());
            status = 2;
        }
    }
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, selc::report::verify::junit(&summary, &info)) {
            eprintln!("selc verify: cannot write {}: {e}", path.display());
            status = 2;
        }
    }
    ExitCode::from(status)
}

fn cmd_bench(args: BenchArgs) -> ExitCode {
    if args.sizes.is_empty() || args.sizes.contains(&0) {
        eprintln!("selc bench: --sizes takes positive numbers of systems, e.g. 2,32,150");
        return ExitCode::from(2);
    }
    let command = args.implementation.clone().unwrap_or_else(default_impl);
    let timeout = Duration::from_millis(args.timeout.max(1));
    let me = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "selc".into());
    let mut theirs = Process::new(&command, timeout);
    let mut reference = Process::new(&format!("{} serve", shell_quote(&me)), timeout);
    let name = match theirs.hello() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("selc bench: {command}: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = reference.hello() {
        eprintln!("selc bench: the reference: {e}");
        return ExitCode::from(2);
    }
    let (mut ours, mut their) = (Vec::new(), Vec::new());
    for &n in &args.sizes {
        eprintln!("selc bench: {n} systems, {} events", args.events);
        ours.push(selc::bench::measure(&mut reference, n, args.events));
        their.push(selc::bench::measure(&mut theirs, n, args.events));
    }
    print!("{}", selc::bench::table(&name, &ours, &their));
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("selc bench: cannot create {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let json = serde_json::json!({
        "selc_version": env!("CARGO_PKG_VERSION"),
        "implementation": {"command": command, "name": name},
        "events_per_size": args.events,
        "reference": ours,
        "implementation_results": their,
    });
    let report = args.out.join("bench.json");
    let svg = args.out.join("bench.svg");
    let written = std::fs::write(
        &report,
        serde_json::to_string_pretty(&json).unwrap_or_default() + "\n",
    )
    .map_err(|e| e.to_string())
    .and_then(|_| selc::bench::plot(&svg, &name, &ours, &their));
    if let Err(e) = written {
        eprintln!("selc bench: cannot write {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    println!("wrote {} and {}", report.display(), svg.display());
    if their.iter().chain(&ours).all(|r| r.correct) {
        ExitCode::SUCCESS
    } else {
        eprintln!("selc bench: some answers were wrong: their timings are not a result");
        ExitCode::from(1)
    }
}

fn cmd_run_impl(paths: &[PathBuf], command: &str, mode: ModeArg, timeout: u64) -> ExitCode {
    let mut files = Vec::new();
    for p in paths {
        if let Err(e) = collect_json(p, &mut files) {
            eprintln!("error: {}: {e}", p.display());
            return ExitCode::from(2);
        }
    }
    let mut imp = Process::new(command, Duration::from_millis(timeout.max(1)));
    if let Err(e) = imp.hello() {
        eprintln!("selc run: {command}: {e}");
        return ExitCode::from(2);
    }
    let (mut ok, mut failed, mut invalid) = (0, 0, 0);
    for f in files {
        let scenario = match std::fs::read_to_string(&f)
            .map_err(|e| e.to_string())
            .and_then(|t| Scenario::from_json_str(&t).map_err(|e| e.to_string()))
        {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {}: {e}", f.display());
                invalid += 1;
                continue;
            }
        };
        let run = run_case(&mut imp, &scenario, mode.mode());
        match run.failure {
            None => {
                ok += 1;
                println!("ok    {}", f.display());
            }
            Some(step) => {
                failed += 1;
                let failure = selc::verify::Failure {
                    case: selc::verify::CaseId::Shipped(f.display().to_string()),
                    size: (
                        scenario.network["systems"].as_array().map_or(0, Vec::len),
                        scenario.events.len(),
                    ),
                    scenario,
                    step,
                    saved: None,
                };
                print!("{}", selc::report::verify::failure_text(&failure));
            }
        }
    }
    println!("\nscenarios: {ok} ok, {failed} differ, {invalid} invalid or unreadable");
    ExitCode::from(if invalid > 0 {
        2
    } else if failed > 0 {
        1
    } else {
        0
    })
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
