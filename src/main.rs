//! The `selc` command line: parses arguments and calls one library function per
//! command ([`selc::commands`]); exit statuses are decided in one place.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// The harness and `selc serve` allocate many small maps per event; mimalloc
/// roughly halves their cost over the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use selc::commands::{self, bench::BenchOptions, run::RunOptions};

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
    Verify(commands::verify::VerifyArgs),
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
    /// Work with reports of `selc verify`.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Serve the reference model over the JSON-lines protocol on stdin/stdout.
    Serve,
    /// Print the rule catalogue.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = commands::RulesFormat::Text)]
        format: commands::RulesFormat,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Merge the JSON reports of the shards of one run (`--shard I/N`) into the
    /// report of the whole run; shards that conflict, are missing or are given
    /// twice are refused, naming the field and the files.
    ///
    /// Exit status: 0 the merged run is compliant, 1 it is not, 2 error.
    Merge {
        /// Where to write the merged JSON report.
        #[arg(long, value_name = "MERGED.json")]
        out: PathBuf,
        /// Also write a JUnit report of the merged run.
        #[arg(long, value_name = "FILE.xml")]
        junit: Option<PathBuf>,
        /// The shards' JSON reports.
        #[arg(required = true, value_name = "SHARD.json")]
        shards: Vec<PathBuf>,
    },
}

/// An implementation to compare with the reference (`run` and `show`).
#[derive(clap::Args)]
struct AgainstArgs {
    /// The implementation: a command speaking the protocol, compared with the
    /// reference model step by step, as `verify` does.
    #[arg(long = "impl", value_name = "CMD")]
    implementation: Option<String>,
    /// Compliance mode with --impl.
    #[arg(long, value_enum, default_value_t = commands::args::ModeArg::Rules)]
    mode: commands::args::ModeArg,
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
        Command::Verify(a) => ("verify", commands::verify::verify(&a.into_options())),
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
        Command::Report(ReportCommand::Merge { out, junit, shards }) => (
            "report merge",
            commands::report::merge(&shards, &out, junit.as_deref()),
        ),
        Command::Serve => ("serve", commands::serve()),
        Command::Rules { format } => ("rules", commands::rules(format)),
    };
    ExitCode::from(commands::exit_status(name, &result))
}
