//! The command line: every clap type of `selc` (its commands, their
//! arguments and value parsers) and [`dispatch`], which calls one library
//! function per command. The binary parses, installs the signal handler,
//! dispatches, and maps the result to an exit status
//! ([`commands::exit_status`]).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::check::Mode;
use crate::commands::{self, bench::BenchOptions, run::RunOptions, CommandError, Outcome};
use crate::report::write::Outputs;
use crate::verify::{Shard, VerifyConfig};

/// selc — the Server Edition Licensing Conformance suite.
#[derive(Parser)]
#[command(version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    /// The command.
    pub command: Command,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Run scenario files through the reference model, or through an
    /// implementation compared with the reference (--impl).
    ///
    /// A file with `expect` / `expect_initial` is checked: each differing step is
    /// printed with the rules involved and a field-by-field diff. Without --impl,
    /// a file without expectations prints the snapshot after each step as JSON
    /// lines. With no FILE, runs the golden scenarios built into selc.
    ///
    /// With FILEs and --impl (or --update), the files are a regression corpus:
    /// each is still failing, now passing or stale, and the summary counts each.
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
        /// With --impl and FILEs: move each file that now passes into
        /// `retired/` beside it (a regression corpus keeps what still fails).
        #[arg(long, requires_all = ["implementation", "files"])]
        retire: bool,
        /// Rewrite each stale file (the current reference disagrees with the
        /// expectations saved in it) with the current reference's
        /// expectations, after showing the difference. Needs FILEs: the
        /// built-in scenarios are not files to rewrite.
        #[arg(long, requires = "files")]
        update: bool,
        /// The implementation to compare with the reference.
        #[command(flatten)]
        against: AgainstArgs,
    },
    /// Check an implementation against the rules: replay the shipped scenarios,
    /// then random ones, shrinking every failure to a minimal replayable case.
    ///
    /// Exit status: 0 compliant, 1 not compliant, 2 usage or harness error, 130
    /// interrupted by SIGINT or SIGTERM (the reports are written in every case).
    Verify(VerifyArgs),
    /// Fuzz an implementation over the protocol: mutate a corpus of scenarios
    /// (the shipped ones, saved failures, and what earlier runs kept in
    /// --corpus), keep every input that brings a new feature (the reference's
    /// rule and state cells, link transitions, allocation and answer shapes,
    /// input-domain properties, answer-time buckets), and judge each with the
    /// oracle of `selc verify`. Divergences are shrunk and saved as `selc
    /// verify` saves failures; a request slower than --slow-factor times the
    /// median answer, three runs out of three, is reported as a slow input.
    ///
    /// Exit status: 0 no divergence, 1 a divergence, 2 usage or harness error,
    /// 130 interrupted (the reports are written in every case).
    Fuzz(FuzzArgs),
    /// Compare two implementations (or two versions of one) case by case:
    /// the shipped, exhaustive and random cases go to both, each is judged
    /// against the reference, and every case they answer differently is a
    /// regression (A right, B wrong), a fix (B right, A wrong), a legal change
    /// (both lawful in the mode, answers differ: a changed split) or both
    /// wrong; text, JSON (--report) and HTML (--html, the three answers side
    /// by side).
    ///
    /// Exit status: 0 no regression, 1 a regression, 2 usage or harness
    /// error, 130 interrupted.
    Diff(DiffArgs),
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
        /// The implementation to compare with the reference.
        #[command(flatten)]
        against: AgainstArgs,
        /// Where to write the page.
        #[arg(long, value_name = "OUT.html")]
        html: PathBuf,
    },
    /// Work with reports of `selc verify`.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Check conformance claims (`selc verify --claim DIR`).
    #[command(subcommand)]
    Claim(ClaimCommand),
    /// Serve the reference model over the JSON-lines protocol on stdin/stdout.
    Serve,
    /// Print the rule catalogue.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
}

/// `selc report ...`.
#[derive(Subcommand)]
pub enum ReportCommand {
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

/// `selc claim ...`.
#[derive(Subcommand)]
pub enum ClaimCommand {
    /// Check a claim mechanically: its files are there, its versions and
    /// digests agree with each other and with this selc, every part of a
    /// default run is there and passed, nothing was skipped. With --impl, run
    /// the claim again against CMD and compare the verdict, the cases and the
    /// exchange digest. Each problem names the file, the field and both values.
    ///
    /// Exit status: 0 the claim holds, 1 it does not, 2 it cannot be checked
    /// (unreadable, or made by another selc or model: the message says which).
    Check {
        /// The claim's directory.
        dir: PathBuf,
        /// Run the claim again against this implementation.
        #[arg(long = "impl", value_name = "CMD")]
        implementation: Option<String>,
    },
}

/// The options of the run a claim's `rerun` line asks for, against
/// `implementation`, with the exchanges digested; no output files.
pub fn rerun_options(
    rerun: &str,
    implementation: &str,
) -> Result<commands::verify::VerifyOptions, String> {
    let words =
        shlex::split(rerun).ok_or_else(|| format!("rerun: not a command line: {rerun:?}"))?;
    let cli = Cli::try_parse_from(&words).map_err(|e| format!("rerun: {}", e.render()))?;
    let Command::Verify(mut args) = cli.command else {
        return Err(format!("rerun: not a `selc verify` line: {rerun:?}"));
    };
    args.implementation = Some(implementation.to_string());
    let mut o = args.into_options();
    o.config.exchange_digest = true;
    // The verdict and the digest are compared, not the failures: a re-run
    // neither shrinks (which only sends more) nor saves into the directory
    // it happens to run in.
    o.config.shrink = false;
    o.save_failures = std::env::temp_dir().join("selc-claim-recheck-failures");
    Ok(o)
}

/// An implementation to compare with the reference (`run` and `show`).
#[derive(clap::Args)]
pub struct AgainstArgs {
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

/// The arguments of `selc bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
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

/// The arguments of `selc verify`.
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// The implementation: a command (run by `sh -c`) speaking the JSON-lines
    /// protocol. Default: the bundled Python example (or `selc serve` without python3).
    #[arg(long = "impl", value_name = "CMD")]
    pub implementation: Option<String>,
    /// Compliance mode.
    #[arg(long, value_enum, default_value_t = ModeArg::Rules)]
    pub mode: ModeArg,
    /// Exactly N random cases (reproducible counts). Without it: the shipped
    /// scenarios, the exhaustive default scope, then random cases until --time.
    #[arg(long, value_name = "N")]
    pub cases: Option<u64>,
    /// Without --cases: run random cases for this long (e.g. 20s, 5m).
    #[arg(long, value_name = "DURATION", default_value = "20s", value_parser = duration)]
    pub time: Duration,
    /// Run every scenario of the exhaustive scope (the default without --cases).
    #[arg(long)]
    pub exhaustive: bool,
    /// The exhaustive scope, SYSTEMSxEVENTS: non-primary systems and events at
    /// most (implies --exhaustive).
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<crate::gen::exhaustive::Scope>,
    /// Skip the exhaustive part (without --cases).
    #[arg(long, conflicts_with_all = ["exhaustive", "scope"])]
    pub no_exhaustive: bool,
    /// Start the exhaustive part at this position (the `next` of a report).
    #[arg(long, value_name = "POSITION", default_value_t = 0)]
    pub resume_from: u64,
    /// Seed of the random cases.
    #[arg(long, default_value_t = 0x5e1c)]
    pub seed: u64,
    /// Events per random case at most: most cases have at most 24, a share
    /// of long histories grows to this.
    #[arg(long, default_value_t = crate::verify::config::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
    /// Systems per random network at most: most have at most 8, a share of
    /// large networks grows to this.
    #[arg(long, default_value_t = crate::verify::config::DEFAULT_MAX_SYSTEMS as u16, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_systems: u16,
    /// Licenses per configuration of a random case at most: most have at
    /// most 5, a share of long configurations grows to this.
    #[arg(long, default_value_t = crate::verify::config::DEFAULT_MAX_LICENSES)]
    pub max_licenses: usize,
    /// Per-request timeout, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub timeout: u64,
    /// Stop after this many failing cases.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub max_failures: usize,
    /// Wall-clock cap of the whole run, in seconds, whatever the implementation
    /// does; the run then ends with its report. 0: no cap.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    pub time_limit: u64,
    /// Run only shard I of N (1-based) of the cases, e.g. 2/4.
    #[arg(long, value_name = "I/N", default_value = "1/1")]
    pub shard: Shard,
    /// Write a JSON report.
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// Write a JUnit report (one test case per rule).
    #[arg(long, value_name = "FILE.xml")]
    pub junit: Option<PathBuf>,
    /// Where to write the shrunk failing scenarios.
    #[arg(long, value_name = "DIR", default_value = "selc-failures")]
    pub save_failures: PathBuf,
    /// Implementation processes at once: the cases (of the --shard asked for)
    /// dealt to N workers in batches as each is ready for more, each shrinking
    /// its own failures; the report is that of one worker. 1 by default, since
    /// an implementation may keep state outside its process.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Write index.html and a page per failure into DIR.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// Skip the shipped golden and regression scenarios.
    #[arg(long)]
    pub no_golden: bool,
    /// Skip the invalid networks (one clause of RULES.md §1-2 broken in each).
    #[arg(long)]
    pub no_invalid_networks: bool,
    /// Skip the envelope probes (PROTOCOL.md §3: blank and malformed lines,
    /// bad requests, requests before a load, a rejected load, a session with no hello).
    #[arg(long)]
    pub no_envelope: bool,
    /// Do not shrink failing cases.
    #[arg(long)]
    pub no_shrink: bool,
    /// Plain random cases, not steered toward what the run exercised least.
    #[arg(long)]
    pub no_steer: bool,
    /// Write a conformance claim into DIR: claim.json (versions, digests of
    /// the model, the catalogue, the exchanges and the files; every part's
    /// seed, scope, cases and events; the verdict), report.json and junit.xml.
    /// Check it with `selc claim check DIR`.
    #[arg(long, value_name = "DIR")]
    pub claim: Option<PathBuf>,
    /// The product's name in the claim (default: the name from `hello`).
    #[arg(long, value_name = "NAME", requires = "claim")]
    pub product: Option<String>,
    /// The product's version in the claim.
    #[arg(long, value_name = "VERSION", requires = "claim")]
    pub product_version: Option<String>,
    /// Write one line per case to FILE.jsonl, in Hypothesis' observability
    /// format (Tyche and pandas read it).
    #[arg(long, value_name = "FILE.jsonl")]
    pub observe: Option<PathBuf>,
}

impl VerifyArgs {
    /// What the arguments ask for.
    pub fn into_options(self) -> commands::verify::VerifyOptions {
        commands::verify::VerifyOptions {
            implementation: self.implementation,
            config: VerifyConfig {
                mode: self.mode.into(),
                cases: self.cases.unwrap_or(u64::MAX),
                time: self.cases.is_none().then_some(self.time),
                exhaustive: self.scope.or_else(|| {
                    (self.exhaustive || (self.cases.is_none() && !self.no_exhaustive))
                        .then_some(crate::gen::exhaustive::DEFAULT_SCOPE)
                }),
                resume_from: self.resume_from,
                seed: self.seed,
                max_events: self.max_events,
                max_systems: usize::from(self.max_systems),
                max_licenses: self.max_licenses,
                shard: self.shard,
                golden: !self.no_golden,
                invalid_networks: !self.no_invalid_networks,
                envelope: !self.no_envelope,
                shrink: !self.no_shrink,
                steer: !self.no_steer,
                max_failures: self.max_failures.max(1),
                time_limit: (self.time_limit > 0).then(|| Duration::from_secs(self.time_limit)),
                ..VerifyConfig::default()
            },
            timeout: Duration::from_millis(self.timeout),
            outputs: Outputs {
                report: self.report,
                junit: self.junit,
                html: self.html,
            },
            save_failures: self.save_failures,
            jobs: usize::from(self.jobs),
            claim: self.claim.map(|dir| {
                (
                    dir,
                    crate::claim::ClaimOptions {
                        product: self.product,
                        version: self.product_version,
                    },
                )
            }),
            observe: self.observe,
        }
    }
}

/// The arguments of `selc diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// A then B: `--impl A --impl B` (A the baseline, B the candidate).
    #[arg(long = "impl", value_name = "CMD", num_args = 1, required = true)]
    pub implementations: Vec<String>,
    /// How each answer is judged.
    #[arg(long, value_enum, default_value_t = ModeArg::Rules)]
    pub mode: ModeArg,
    /// Random cases.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub cases: u64,
    /// The seed of the random cases.
    #[arg(long, default_value_t = 0x5e1c)]
    pub seed: u64,
    /// The exhaustive scope, SYSTEMSxEVENTS.
    #[arg(long, value_name = "SCOPE", default_value = "2x2")]
    pub scope: crate::gen::exhaustive::Scope,
    /// No exhaustive part.
    #[arg(long, conflicts_with = "scope")]
    pub no_exhaustive: bool,
    /// Skip the shipped scenarios.
    #[arg(long)]
    pub no_golden: bool,
    /// Per-request timeout, in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub timeout: u64,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// Write index.html into DIR: every difference, the reference's, A's and
    /// B's answers side by side.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// Write one line per case to FILE.jsonl (Hypothesis' observability format).
    #[arg(long, value_name = "FILE.jsonl")]
    pub observe: Option<PathBuf>,
}

impl DiffArgs {
    /// The options of `selc diff`, or why the arguments are not two implementations.
    pub fn into_options(self) -> Result<commands::diff::DiffOptions, String> {
        let [a, b] = <[String; 2]>::try_from(self.implementations).map_err(|v| {
            format!(
                "--impl: give exactly two implementations (A, then B), not {}",
                v.len()
            )
        })?;
        Ok(commands::diff::DiffOptions {
            implementations: (a, b),
            config: crate::diff::DiffConfig {
                mode: self.mode.into(),
                seed: self.seed,
                cases: self.cases,
                scope: (!self.no_exhaustive).then_some(self.scope),
                golden: !self.no_golden,
                observe: None,
            },
            timeout: Duration::from_millis(self.timeout),
            report: self.report,
            html: self.html,
            observe: self.observe,
        })
    }
}

/// The arguments of `selc fuzz`.
#[derive(Debug, clap::Args)]
pub struct FuzzArgs {
    /// The implementation: a command (run by `sh -c`) speaking the JSON-lines
    /// protocol. Default: the bundled Python example (or `selc serve` without python3).
    #[arg(long = "impl", value_name = "CMD")]
    pub implementation: Option<String>,
    /// The corpus directory, created if missing and kept between runs (AFL's
    /// queue): a run starts from what it holds and adds what brought features.
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Fuzz for this long (e.g. 60s, 10m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = duration)]
    pub time: Duration,
    /// Stop after this many inputs (before --time if sooner).
    #[arg(long, value_name = "N")]
    pub inputs: Option<u64>,
    /// Strict or rules compliance.
    #[arg(long, value_enum, default_value_t = ModeArg::Rules)]
    pub mode: ModeArg,
    /// The seed of the mutations and of the fresh cases.
    #[arg(long, default_value_t = 0x5e1c)]
    pub seed: u64,
    /// Processes at once; they share the corpus.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Per-request timeout in milliseconds.
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub timeout: u64,
    /// Stop after this many divergences (1: at the first).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub max_failures: usize,
    /// K: a request slower than K times the median answer time is slow.
    #[arg(long, default_value_t = 50.0, value_name = "K")]
    pub slow_factor: f64,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// Write a JUnit XML file here.
    #[arg(long, value_name = "FILE.xml")]
    pub junit: Option<PathBuf>,
    /// Write HTML pages here.
    #[arg(long, value_name = "DIR")]
    pub html: Option<PathBuf>,
    /// Save shrunk divergences (and slow inputs, under slow/) here; the
    /// failures already there seed the run.
    #[arg(long, value_name = "DIR", default_value = "selc-failures")]
    pub save_failures: PathBuf,
    /// Report divergences as found, unshrunk.
    #[arg(long)]
    pub no_shrink: bool,
    /// Keep the smallest inputs of --corpus with the same features, remove
    /// the others (afl-cmin), and exit.
    #[arg(long, requires = "corpus")]
    pub minimize: bool,
    /// Write one line per input to FILE.jsonl (Hypothesis' observability format).
    #[arg(long, value_name = "FILE.jsonl")]
    pub observe: Option<PathBuf>,
}

impl FuzzArgs {
    /// The options of `selc fuzz`.
    pub fn into_options(self) -> commands::fuzz::FuzzOptions {
        use crate::fuzz::run::FuzzConfig;
        commands::fuzz::FuzzOptions {
            implementation: self.implementation,
            config: FuzzConfig {
                mode: self.mode.into(),
                seed: self.seed,
                time: Some(self.time),
                inputs: self.inputs,
                max_failures: self.max_failures.max(1),
                corpus: self.corpus,
                seeds: vec![self.save_failures.clone()],
                save_to: self.save_failures,
                slow_factor: self.slow_factor,
                shrink: !self.no_shrink,
                timeout: Duration::from_millis(self.timeout),
                jobs: usize::from(self.jobs),
                ..FuzzConfig::default()
            },
            outputs: Outputs {
                report: self.report,
                junit: self.junit,
                html: self.html,
            },
            minimize: self.minimize,
            observe: self.observe,
        }
    }
}

/// The compliance mode on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ModeArg {
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

/// `20s`, `5m`, `1h` or plain seconds.
pub fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("bad duration {s:?}: expected e.g. 20s, 5m, 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("bad duration {s:?}: the unit is s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

/// The formats of `selc rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// For people.
    Text,
    /// For tools.
    Json,
    /// `docs/rules.md`.
    Markdown,
}

impl From<RulesFormat> for commands::RulesFormat {
    fn from(f: RulesFormat) -> commands::RulesFormat {
        match f {
            RulesFormat::Text => commands::RulesFormat::Text,
            RulesFormat::Json => commands::RulesFormat::Json,
            RulesFormat::Markdown => commands::RulesFormat::Markdown,
        }
    }
}

/// Run the command asked for: its name (for messages) and its result.
pub fn dispatch(cli: Cli) -> (&'static str, Result<Outcome, CommandError>) {
    match cli.command {
        Command::Run {
            files,
            pretty,
            quiet,
            retire,
            update,
            against,
        } => (
            "run",
            commands::run::run(&RunOptions {
                files,
                pretty,
                quiet,
                against: against.against(),
                retire,
                update,
            }),
        ),
        Command::Verify(a) => ("verify", commands::verify::verify(&a.into_options())),
        Command::Fuzz(a) => ("fuzz", commands::fuzz::fuzz(&a.into_options())),
        Command::Diff(a) => (
            "diff",
            a.into_options()
                .map_err(CommandError::Usage)
                .and_then(|o| commands::diff::diff(&o)),
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
        Command::Report(ReportCommand::Merge { out, junit, shards }) => (
            "report merge",
            commands::report::merge(&shards, &out, junit.as_deref()),
        ),
        Command::Claim(ClaimCommand::Check {
            dir,
            implementation,
        }) => (
            "claim check",
            commands::claim::check(&dir, implementation.as_deref(), rerun_options),
        ),
        Command::Serve => ("serve", commands::serve()),
        Command::Rules { format } => ("rules", commands::rules(format.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_or_say_why_not() {
        assert_eq!(duration("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(duration("90"), Ok(Duration::from_secs(90)));
        assert!(duration("5d").unwrap_err().contains("s, m or h"));
        assert!(duration("soon").is_err());
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
