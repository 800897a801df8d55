//! Ctrl-C and SIGTERM: the run in progress stops at once and ends every program
//! it started, then writes its reports, marked interrupted. Nothing here exits
//! the process; the command line maps an interrupted run to exit status 130 in
//! its one place ([`crate::commands::exit_status`]). What must be ended on an
//! interruption registers itself ([`on_request`]), so this module depends on
//! nothing that starts programs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Set once a signal asked the run to stop.
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// What to call when the run is asked to stop.
static HOOKS: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Ask the run to stop, as SIGINT or SIGTERM does: the flag is set first, so
/// that nothing is started after the hooks (which end what runs) have read
/// what is running.
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
    let hooks: Vec<fn()> = HOOKS.lock().map(|h| h.clone()).unwrap_or_default();
    for hook in hooks {
        hook();
    }
}

/// Whether the run was asked to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Call `hook` when the run is asked to stop (once, however often it is
/// registered).
pub fn on_request(hook: fn()) {
    if let Ok(mut hooks) = HOOKS.lock() {
        if !hooks.contains(&hook) {
            hooks.push(hook);
        }
    }
}

/// Install the handler of SIGINT and SIGTERM ([`request`]). Installed once by
/// the command line; a second call does nothing.
pub fn install_handler() {
    let _ = ctrlc::set_handler(request);
}
