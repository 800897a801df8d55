//! `selc run --impl CMD DIR` over a regression corpus (saved failures): each
//! file is **still failing**, **now passing** (`--retire` moves it into
//! `retired/` beside it), or **stale**: the current reference disagrees with
//! the expectations saved in it, because the model changed since (a persisted
//! case outlives its generator and its oracle: proptest's move from seeds to
//! stored cases). A stale file's difference is shown, and `--update`
//! rewrites it with the current reference's expectations after showing it,
//! as `cargo insta review` does. The exit status is unchanged: the
//! implementation is judged against the current reference either way.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use crate::report::escape::visible;
use crate::report::text;
use crate::run::{passed, run_scenario};
use crate::scenario::Scenario;
use crate::verify::save::{stamp, stamp_of, stamped};
use crate::verify::with_expectations;

/// The classes of a regression corpus, as files are run.
#[derive(Debug, Default)]
pub struct Regress {
    corpus: bool,
    retire: bool,
    update: bool,
    stale: HashSet<String>,
    still_failing: usize,
    now_passing: usize,
    retired: usize,
    updated: usize,
}

impl Regress {
    /// For files given (a `corpus`; the built-in scenarios are not one),
    /// with `--retire` and `--update` as asked.
    pub fn new(corpus: bool, retire: bool, update: bool) -> Regress {
        Regress {
            corpus,
            retire,
            update,
            ..Regress::default()
        }
    }

    /// Files are checked for staleness: against an implementation
    /// (`judged`), or when asked to update them.
    pub fn applies(&self, judged: bool) -> bool {
        self.corpus && (judged || self.update)
    }

    /// Whether the expectations saved in `scenario` (file `name`, named
    /// `label`) are still the reference's; if not, say so and show how, and
    /// with `--update` rewrite the file. Returns the scenario as updated.
    pub fn stale(
        &mut self,
        scenario: &Scenario,
        name: &str,
        label: &str,
        out: &mut impl Write,
    ) -> std::io::Result<Option<Scenario>> {
        if !scenario.has_expectations() {
            return Ok(None);
        }
        let Ok(steps) = run_scenario(scenario) else {
            return Ok(None);
        };
        if passed(&steps) {
            return Ok(None);
        }
        self.stale.insert(name.to_string());
        let saved = match stamp_of(label) {
            Some((v, m)) => format!("saved by selc {v}, model {m}"),
            None => "saved with no stamp: by a selc before 0.5".to_string(),
        };
        let now = stamp();
        let now = now.trim_start_matches("[saved by ").trim_end_matches(']');
        writeln!(
            out,
            "STALE {}: the current reference ({now}) disagrees with the expectations saved in it ({}):",
            visible(name),
            visible(&saved)
        )?;
        write!(out, "{}", visible(&text::mismatches(scenario, &steps)))?;
        if !self.update {
            return Ok(None);
        }
        if !Path::new(name).is_file() {
            writeln!(out, "not updated {}: not a file", visible(name))?;
            return Ok(None);
        }
        let mut s = with_expectations(scenario);
        s.name = Some(stamped(label));
        std::fs::write(name, s.to_json_string())?;
        self.updated += 1;
        writeln!(
            out,
            "updated {}: its expectations are now the current reference's",
            visible(name)
        )?;
        Ok(Some(s))
    }

    /// The implementation ran file `name`: it `passed` or not.
    pub fn ran(&mut self, name: &str, passed: bool, out: &mut impl Write) -> std::io::Result<()> {
        if self.stale.contains(name) {
            return Ok(());
        }
        if !passed {
            self.still_failing += 1;
            return Ok(());
        }
        self.now_passing += 1;
        let path = Path::new(name);
        if !self.retire || !path.is_file() {
            return Ok(());
        }
        let dir = path.parent().unwrap_or(Path::new(".")).join("retired");
        let to = dir.join(path.file_name().unwrap_or_default());
        std::fs::create_dir_all(&dir).and_then(|_| std::fs::rename(path, &to))?;
        self.retired += 1;
        writeln!(
            out,
            "retired {}: it passes now (moved to {})",
            visible(name),
            visible(&to.display().to_string())
        )
    }

    /// The counts of each class.
    pub fn summary(&self) -> String {
        format!(
            "regression corpus: {} still failing, {} now passing ({} retired), {} stale ({} updated)",
            self.still_failing,
            self.now_passing,
            self.retired,
            self.stale.len(),
            self.updated
        )
    }
}
