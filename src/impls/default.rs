//! The implementation `selc verify` and `selc bench` run when given none: the
//! bundled Python example, or `selc serve` itself where no Python is found.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The bundled Python example, written to a temporary file so that `selc verify`
/// works from any directory.
const PYTHON_EXAMPLE: &str = include_str!("../../examples/impls/python/selc_impl.py");

/// The first Python interpreter on the `PATH`, if any, as a word for `sh`.
///
/// It is named by the interpreter's own path (`sys.executable`), found once:
/// a version manager's `python3` is often a shim (pyenv's is a shell script
/// running a dozen programs, 60 ms here), and every worker, and every restart
/// after a failure, would pay for it again.
pub fn python() -> Option<&'static str> {
    static PYTHON: OnceLock<Option<String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            ["python3", "python"].into_iter().find_map(|name| {
                let out = Command::new(name)
                    .args(["-c", "import sys; print(sys.executable or '')"])
                    .stdin(Stdio::null())
                    .stderr(Stdio::null())
                    .output()
                    .ok()
                    .filter(|o| o.status.success())?;
                let exe = String::from_utf8_lossy(&out.stdout).trim().to_string();
                Some(if Path::new(&exe).is_file() {
                    crate::shell::quote(&exe)
                } else {
                    name.to_string()
                })
            })
        })
        .as_deref()
}

/// The Python interpreter the tests and examples need: a test that needs it
/// fails with this message rather than passing without it (`.ci/run` installs it).
pub fn python_or_fail() -> &'static str {
    python().expect("python3 is needed to run the bundled Python examples: install it (scripts/ci-deps.sh does)")
}

/// The command of `selc serve`, by this executable's own path.
pub fn serve_command() -> String {
    let me = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "selc".into());
    format!("{} serve", crate::shell::quote(&me))
}

/// The default implementation's command line.
pub fn default_command() -> String {
    let script =
        std::env::temp_dir().join(format!("selc-example-{}.py", env!("CARGO_PKG_VERSION")));
    match python() {
        Some(py) if std::fs::write(&script, PYTHON_EXAMPLE).is_ok() => {
            format!(
                "{py} {}",
                crate::shell::quote(&script.display().to_string())
            )
        }
        _ => serve_command(),
    }
}
