//! `selc show`: one scenario as a self-contained HTML page, through the
//! reference alone or beside an implementation.

use std::path::PathBuf;

use super::run::Against;
use super::{write_file, CommandError, Outcome};
use crate::check::Mode;
use crate::impls::process::Process;
use crate::impls::reference::Reference;
use crate::report::html;
use crate::report::rerun::replay_command;
use crate::scenario::Scenario;
use crate::verify::run_case;

/// What `selc show` is asked for.
#[derive(Clone, Debug)]
pub struct ShowOptions {
    /// The scenario file (golden, regression, or a saved failure).
    pub file: PathBuf,
    /// The implementation to show beside the reference, if any.
    pub against: Option<Against>,
    /// Where to write the page.
    pub html: PathBuf,
}

/// Run `selc show`: exit 0 when the page is written and the implementation (if
/// any) agrees, 1 when it diverges.
pub fn show(opts: &ShowOptions) -> Result<Outcome, CommandError> {
    let name = opts.file.display().to_string();
    let text = std::fs::read_to_string(&opts.file)
        .map_err(|e| CommandError::Usage(format!("{name}: {e}")))?;
    let scenario =
        Scenario::from_json_str(&text).map_err(|e| CommandError::Usage(format!("{name}: {e}")))?;
    let (page, outcome) = match &opts.against {
        None => {
            let run = run_case(&mut Reference::new(), &scenario, Mode::Strict);
            (
                html::reference_page(&name, &scenario, &run.trace),
                Outcome::Pass,
            )
        }
        Some(a) => {
            let (mut imp, _) = Process::started(&a.command, a.timeout).map_err(|why| {
                CommandError::Implementation {
                    command: a.command.clone(),
                    why,
                }
            })?;
            let run = run_case(&mut imp, &scenario, a.mode);
            let replay = replay_command(&a.command, a.mode, &opts.file);
            let failed = run.failure.is_some();
            let page = html::case_page(
                &name,
                &scenario,
                &run.trace,
                run.failure.as_ref(),
                &a.command,
                Some(&replay),
            );
            (page, if failed { Outcome::Fail } else { Outcome::Pass })
        }
    };
    write_file(&opts.html, &page)?;
    println!("wrote {}", opts.html.display());
    Ok(outcome)
}
