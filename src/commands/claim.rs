//! `selc claim check DIR [--impl CMD]`.

use std::path::Path;

use super::{CommandError, Outcome};
use crate::claim::check::{check as check_claim, recheck_problems};
use crate::gen::exhaustive::thousands;
use crate::report::escape::visible;

/// Check the claim in `dir`; with `implementation`, run it again (the run
/// its `rerun` line asks for, as `options` makes it) and compare.
pub fn check(
    dir: &Path,
    implementation: Option<&str>,
    options: impl Fn(&str, &str) -> Result<super::verify::VerifyOptions, String>,
) -> Result<Outcome, CommandError> {
    let checked = check_claim(dir);
    for p in &checked.problems {
        println!("{}", visible(&p.to_string()));
    }
    let Some(m) = &checked.manifest else {
        return Err(CommandError::Usage(format!(
            "{}: not a claim ({} problem(s) above)",
            dir.display(),
            checked.problems.len()
        )));
    };
    if checked.refused {
        return Err(CommandError::Usage(format!(
            "{}: refused: made by selc {} (model {}), this is selc {} (model {})",
            dir.display(),
            visible(&m.selc_version),
            short(&m.model_digest),
            env!("CARGO_PKG_VERSION"),
            short(crate::digest::model())
        )));
    }
    let mut problems = checked.problems.len();
    if let Some(command) = implementation {
        let opts = options(&m.rerun, command).map_err(CommandError::Usage)?;
        println!(
            "re-running the claim against {command}: {}",
            visible(&m.rerun)
        );
        let again = super::verify::run(&opts)?;
        if let Some(why) = again.error {
            return Err(CommandError::Implementation {
                command: command.to_string(),
                why,
            });
        }
        let re = recheck_problems(m, &again);
        for p in &re {
            println!("{}", visible(&p.to_string()));
        }
        problems += re.len();
        if re.is_empty() {
            println!(
                "re-run: the same verdict, cases and exchange digest ({})",
                short(&m.exchange_digest)
            );
        }
    }
    if problems == 0 {
        let product = format!("{} {}", m.product.name, m.product.version);
        println!(
            "claim {}: holds — {} is {} under selc {} (model {}), {} cases, exchange digest {}",
            dir.display(),
            visible(product.trim()),
            m.verdict,
            visible(&m.selc_version),
            short(&m.model_digest),
            thousands(m.cases),
            short(&m.exchange_digest)
        );
        Ok(Outcome::Pass)
    } else {
        println!(
            "claim {}: does not hold ({problems} problem(s))",
            dir.display()
        );
        Ok(Outcome::Fail)
    }
}

/// The first 12 characters of a digest, as a terminal may show them: a
/// tampered claim's "digest" may be any text.
fn short(digest: &str) -> String {
    visible(digest.get(..12).unwrap_or(digest))
}
