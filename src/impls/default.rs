//! The implementation `selc verify` and `selc bench` run when given none: the
//! bundled Python example, or `selc serve` itself where no Python is found.

use std::process::{Command, Stdio};

/// The bundled Python example, written to a temporary file so that `selc verify`
/// works from any directory.
const PYTHON_EXAMPLE: &str = include_str!("../../examples/impls/python/selc_impl.py");

/// The first Python interpreter on the `PATH`, if any.
pub fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
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
    format!("{} serve", shell_quote(&me))
}

/// The default implementation's command line.
pub fn default_command() -> String {
    let script =
        std::env::temp_dir().join(format!("selc-example-{}.py", env!("CARGO_PKG_VERSION")));
    match python() {
        Some(py) if std::fs::write(&script, PYTHON_EXAMPLE).is_ok() => {
            format!("{py} {}", shell_quote(&script.display().to_string()))
        }
        _ => serve_command(),
    }
}

/// Quote a word for `sh`, unless it needs none.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(shell_quote("a/b-c.py"), "a/b-c.py");
        assert_eq!(shell_quote("it's here"), "'it'\\''s here'");
        assert_eq!(shell_quote(""), "''");
    }
}
