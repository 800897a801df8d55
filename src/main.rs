//! The `selc` command line: parses arguments and calls one library function per
//! command ([`selc::commands`]); exit statuses are decided in one place.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

/// The harness and `selc serve` allocate many small maps per event; mimalloc
/// roughly halves their cost over the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use selc::check::Mode;
use selc::commands::{self, bench::BenchOptions, run::RunOptions, verify::VerifyOptions};
use selc::verify::VerifyConfig;

/// selc — the Server Edition Licensing Conformance suite.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenario files through the reference model, or through an
    /// implementation compared with the reference (--impl).
    ///
    /// A file with `expect` / `expect_initial` is checked: each differing step is
    /// printed with the rules involved and a field-by-field diff. Without --impl,
    /// a file without expectations prints the snapshot after each step as JSON
    /// lines. With no FILE, runs the golden scenarios built into selc.
    ///
    /// Exit status: 0 all match, 1 a step differs, 2 a file is unreadable or
    /// invalid, or the implementation cannot be started.
    Run {
        /// Scenario files or directories (searched for *.json).
        files: Vec<PathBuf>,
        /// Pretty-print snapshots (without --impl, which prints no snapshot).
        #[arg(long, conflicts_with = "implementation")]
        pretty: bool,
        /// Print only failures and the summary.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        against: AgainstArgs,
    },
    /// Check an implementation against the rules: replay the shipped scenarios,
    /// then random ones, shrinking every failure to a minimal replayable case.
    ///
    /// Exit status: 0 compliant, 1 not compliant, 2 usage or harness error (the
    /// reports are written in every case).
    Verify(VerifyArgs),
    /// Benchmark an implementation over the protocol against the reference:
    /// latency of load and apply (p50, p95, p99, max) and events per second on
    /// generated networks of each size; writes bench.json and bench.svg.
    ///
    /// Exit status: 0 when every answer was right, 1 when one was wrong, 2 on a
    /// usage or harness error.
    Bench(BenchArgs),
    /// Write a self-contained HTML page of a scenario: through the reference
    /// alone or, with --impl, beside the implementation, divergence marked.
    ///
    /// Exit status: 0 written (and the implementation agrees), 1 it diverges, 2 error.
    Show {
        /// A scenario file: golden, regression, or a saved failure.
        file: PathBuf,
        #[command(flatten)]
        against: AgainstArgs,
        /// Where to write the page.
        #[arg(long, value_name = "OUT.html")]
        html: PathBuf,
    },
    /// Serve the reference model over the JSON-lines protocol on stdin/stdout.
    Serve,
    /// Print the rule catalogue.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = commands::RulesFormat::Text)]
        format: commands::RulesFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ModeArg {
    /// Every snapshot equals the reference model's.
    Strict,
    /// Any split meeting R-NO-OVERGRANT, R-CAPACITY and R-WORK-CONSERVING.
    Rules,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Strict => Mode::Strict,
            ModeArg::Rules => Mode::Rules,
        }
    }
}

/// An implementation to compare with the reference (`run` and `show`).
#[derive(clap::Args)]
struct AgainstArgs {
    /// The implementation: a command speaking the protocol, compared with the
    /// reference model step by step, as `verify` does.
    #[arg(long = "impl", value_name = "CMD")]
    implementation: Option<String>,
    /// Compliance mode with --impl.
    #[arg(long, value_enum, default_value_t = ModeArg::Rules)]
    mode: ModeArg,
    /// Per-request timeout with --impl, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    timeout: u64,
}

impl AgainstArgs {
    fn against(self) -> Option<commands::run::Against> {
        let (mode, timeout) = (self.mode.into(), Duration::from_millis(self.timeout));
        self.implementation.map(|command| commands::run::Against {
            command,
            mode,
            timeout,
        })
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
    /// Exactly N random cases (reproducible counts). Without it: the shipped
    /// scenarios, the exhaustive default scope, then random cases until --time.
    #[arg(long, value_name = "N")]
    cases: Option<u64>,
    /// Without --cases: run random cases for this long (e.g. 20s, 5m).
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = commands::args::duration)]
    time: Duration,
    /// Run every scenario of the exhaustive scope (the default without --cases).
    #[arg(long)]
    exhaustive: bool,
    /// The exhaustive scope, SYSTEMSxEVENTS: non-primary systems and events at
    /// most (implies --exhaustive).
    #[arg(long, value_name = "SCOPE")]
    scope: Option<selc::gen::exhaustive::Scope>,
    /// Skip the exhaustive part (without --cases).
    #[arg(long, conflicts_with_all = ["exhaustive", "scope"])]
    no_exhaustive: bool,
    /// Start the exhaustive part at this position (the `next` of a report).
    #[arg(long, value_name = "POSITION", default_value_t = 0)]
    resume_from: u64,
    /// Seed of the random cases.
    #[arg(long, default_value_t = 0x5e1c)]
    seed: u64,
    /// Events per random case at most.
    #[arg(long, default_value_t = 24)]
    max_events: usize,
    /// Systems per random network at most.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    max_systems: u16,
    /// Per-request timeout, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    timeout: u64,
    /// Stop after this many failing cases.
    #[arg(long, default_value_t = 10, value_name = "N")]
    max_failures: usize,
    /// Wall-clock cap of the whole run, in seconds, whatever the implementation
    /// does; the run then ends with its report. 0: no cap.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    time_limit: u64,
    /// Run only shard I of N (1-based) of the cases, e.g. 2/4.
    #[arg(long, value_name = "I/N", value_parser = commands::args::shard, default_value = "1/1")]
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
    /// Write index.html and a page per failure into DIR.
    #[arg(long, value_name = "DIR")]
    html: Option<PathBuf>,
    /// Skip the shipped golden and regression scenarios.
    #[arg(long)]
    no_golden: bool,
    /// Do not shrink failing cases.
    #[arg(long)]
    no_shrink: bool,
    /// Plain random cases, not steered toward what the run exercised least.
    #[arg(long)]
    no_steer: bool,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C ends the implementations selc started (they run in groups of their own).
    selc::impls::process::install_signal_handler();
    let (name, result) = match cli.command {
        Command::Run {
            files,
            pretty,
            quiet,
            against,
        } => (
            "run",
            commands::run::run(&RunOptions {
                files,
                pretty,
                quiet,
                against: against.against(),
            }),
        ),
        Command::Verify(a) => (
            "verify",
            commands::verify::verify(&VerifyOptions {
                implementation: a.implementation,
                config: VerifyConfig {
                    mode: a.mode.into(),
                    cases: a.cases.unwrap_or(u64::MAX),
                    time: a.cases.is_none().then_some(a.time),
                    exhaustive: a.scope.or_else(|| {
                        (a.exhaustive || (a.cases.is_none() && !a.no_exhaustive))
                            .then_some(selc::gen::exhaustive::DEFAULT_SCOPE)
                    }),
                    resume_from: a.resume_from,
                    seed: a.seed,
                    max_events: a.max_events,
                    max_systems: usize::from(a.max_systems),
                    shard: a.shard,
                    golden: !a.no_golden,
                    shrink: !a.no_shrink,
                    steer: !a.no_steer,
                    max_failures: a.max_failures.max(1),
                    time_limit: (a.time_limit > 0).then(|| Duration::from_secs(a.time_limit)),
                    ..VerifyConfig::default()
                },
                timeout: Duration::from_millis(a.timeout),
                report: a.report,
                junit: a.junit,
                save_failures: a.save_failures,
                html: a.html,
            }),
        ),
        Command::Bench(a) => (
            "bench",
            commands::bench::bench(&BenchOptions {
                implementation: a.implementation,
                sizes: a.sizes,
                events: a.events,
                timeout: Duration::from_millis(a.timeout),
                out: a.out,
            }),
        ),
        Command::Show {
            file,
            against,
            html,
        } => (
            "show",
            commands::show::show(&commands::show::ShowOptions {
                file,
                against: against.against(),
                html,
            }),
        ),
        Command::Serve => ("serve", commands::serve()),
        Command::Rules { format } => ("rules", commands::rules(format)),
    };
    ExitCode::from(commands::exit_status(name, &result))
}
