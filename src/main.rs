//! The `selc` command line: parses the arguments ([`selc::cli`]), calls the
//! library, and maps the result to an exit status in one place.

use std::process::ExitCode;

use clap::Parser;

/// The harness and `selc serve` allocate many small maps per event; mimalloc
/// roughly halves their cost over the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = selc::cli::Cli::parse();
    // `selc serve` ends on SIGINT as any filter does; every other command
    // stops its run, ends the programs it started and writes its reports.
    if !matches!(cli.command, selc::cli::Command::Serve) {
        selc::interrupt::install_handler();
    }
    let (name, result) = selc::cli::dispatch(cli);
    ExitCode::from(selc::commands::exit_status(name, &result))
}
