//! The Rust implementer's route: verify a licensing engine written in Rust in
//! process, without the JSON-lines protocol, by implementing
//! [`selc::impls::Implementation`] for it (two methods: `hello` and `answer`)
//! and handing it to selc in [`selc::impls::InProcess`].
//!
//! `Engine` below is a small implementation of the rules written for this
//! example from docs/rules.md. It shares nothing with selc's reference model but
//! the input and output types (`selc::model::{Network, Event, Snapshot}`), which
//! a Rust implementation may reuse to parse the protocol's JSON. Replace it with
//! yours: only `Adapter` needs to know it.
//!
//! ```sh
//! cargo run --example rust_implementation      # verify it, print the verdict
//! cargo test --example rust_implementation     # the #[test] and the proptest property
//! ```

use std::collections::HashSet;
use std::sync::Arc;

use selc::impls::{HarnessError, Implementation};
use selc::model::{
    Counts, Diagnostic, Event, Kind, KindClass, Link, LinkState, Network, Reason, Role, Snapshot,
    Status, SystemSnapshot, Voicemail, GRACE_SECONDS,
};
use selc::protocol::{Answer, ErrorCode, Request};

/// A system's link history (section 6).
#[derive(Clone, Debug, Default)]
struct Track {
    down: bool,
    deadline: Option<u64>,
    restarted: bool,
    frozen: Counts,
}

/// A deliberate bug, so that the tests show a broken engine is caught.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bug {
    /// None: the engine follows the rules.
    None,
    /// A restart while the link is down is ignored (breaks R-RESTART).
    RestartIgnored,
}

/// A small licensing engine: one loaded case.
#[derive(Clone, Debug)]
pub struct Engine {
    net: Network,
    now: u64,
    tracks: Vec<Track>,
    last: Snapshot,
    bug: Bug,
}

fn placed(kind: Kind, role: Role) -> bool {
    match (kind.class(), kind, role) {
        (KindClass::ServerEdition, _, _) => true,
        (_, Kind::VoicemailChannel, r) => matches!(r, Role::Primary | Role::Secondary),
        (_, _, r) => r == Role::Primary,
    }
}

impl Engine {
    /// Load a network (section 1).
    pub fn load(net: Network, bug: Bug) -> Engine {
        let tracks = net
            .systems
            .iter()
            .map(|s| Track {
                down: s.link == Link::Down,
                ..Track::default()
            })
            .collect();
        let mut e = Engine {
            net,
            now: 0,
            tracks,
            last: Snapshot {
                now: 0,
                pool: Counts::new(),
                systems: Vec::new(),
                diagnostics: Vec::new(),
            },
            bug,
        };
        e.last = e.compute();
        e
    }

    /// Sections 3 and 4: each license's first failing check, and each status.
    fn validity(&self) -> (Vec<Vec<Option<Reason>>>, Vec<bool>) {
        let mut claimed = HashSet::new();
        let mut reasons: Vec<Vec<Option<Reason>>> = Vec::new();
        for s in &self.net.systems {
            let supported = s.release.is_some_and(|r| r.is_supported());
            reasons.push(
                s.licenses
                    .iter()
                    .map(|l| {
                        if l.kind.class() == KindClass::Unsupported {
                            Some(Reason::UnsupportedKind)
                        } else if s.sid.as_deref() != Some(l.sid.as_str()) {
                            Some(Reason::WrongSid)
                        } else if !placed(l.kind, s.role) {
                            Some(Reason::Misplaced)
                        } else if !supported {
                            Some(Reason::IncompatibleRelease)
                        } else if !claimed.insert(l.key.clone()) {
                            Some(Reason::DuplicateKey)
                        } else {
                            None
                        }
                    })
                    .collect(),
            );
        }
        let licensed: Vec<bool> =
            self.net
                .systems
                .iter()
                .zip(&reasons)
                .map(|(s, rs)| {
                    s.role != Role::OneXPortal
                        && s.release.is_some_and(|r| r.is_supported())
                        && s.licenses.iter().zip(rs).any(|(l, r)| {
                            r.is_none() && l.kind == Kind::ServerEdition && l.count >= 1
                        })
                })
                .collect();
        for ((s, rs), &ok) in self.net.systems.iter().zip(&mut reasons).zip(&licensed) {
            for (l, r) in s.licenses.iter().zip(rs.iter_mut()) {
                if r.is_none() && l.kind != Kind::ServerEdition && !ok {
                    *r = Some(Reason::HostUnlicensed);
                }
            }
        }
        (reasons, licensed)
    }

    fn valid_sum(&self, reasons: &[Vec<Option<Reason>>], i: usize, kind: Kind) -> u64 {
        self.net.systems[i]
            .licenses
            .iter()
            .zip(&reasons[i])
            .filter(|(l, r)| r.is_none() && l.kind == kind)
            .fold(0u64, |a, (l, _)| a.saturating_add(u64::from(l.count)))
    }

    fn in_grace_window(&self, t: &Track) -> bool {
        t.deadline.is_some_and(|d| self.now < d)
    }

    /// Sections 5 to 9: the snapshot, from scratch.
    fn compute(&self) -> Snapshot {
        let (reasons, licensed) = self.validity();
        let systems = &self.net.systems;
        let p = self.net.primary;
        let reserved_down: Vec<Counts> = self
            .tracks
            .iter()
            .map(|t| {
                if t.down && self.in_grace_window(t) {
                    t.frozen
                } else {
                    Counts::new()
                }
            })
            .collect();
        // The Secondary first, then expansions in network order (R-ORDER).
        let order: Vec<usize> = (0..systems.len())
            .filter(|&i| systems[i].role == Role::Secondary)
            .chain((0..systems.len()).filter(|&i| systems[i].role == Role::Expansion))
            .filter(|&i| !self.tracks[i].down && licensed[i])
            .collect();
        let mut pool = Counts::new();
        let mut shares = vec![Counts::new(); systems.len()];
        for kind in Kind::centralized() {
            let total = self.valid_sum(&reasons, p, kind);
            if total > 0 {
                pool.insert(kind, total);
            }
            let held = (0..systems.len())
                .filter(|&i| self.tracks[i].down && systems[i].role.has_link())
                .fold(0u64, |a, i| a.saturating_add(reserved_down[i].get(kind)));
            let mut left = total.saturating_sub(held);
            let primary_need = if licensed[p] {
                systems[p].need(kind)
            } else {
                0
            };
            let mine = primary_need.min(left);
            left -= mine;
            if mine > 0 {
                shares[p].insert(kind, mine);
            }
            for &i in &order {
                let share = systems[i].need(kind).min(left);
                left -= share;
                if share > 0 {
                    shares[i].insert(kind, share);
                }
            }
        }
        let mut out = Vec::with_capacity(systems.len());
        for (i, s) in systems.iter().enumerate() {
            let t = &self.tracks[i];
            let name = Arc::clone(&s.name);
            if s.role == Role::OneXPortal {
                out.push(SystemSnapshot {
                    name,
                    status: Status::Exempt,
                    link: LinkState::External,
                    deadline: None,
                    in_effect: Counts::new(),
                    reserved: Counts::new(),
                    voicemail: None,
                    voice_networking: false,
                });
                continue;
            }
            let (link, deadline, in_effect, reserved) = if s.role == Role::Primary {
                (LinkState::Primary, None, shares[i], shares[i])
            } else if !t.down {
                (LinkState::Connected, None, shares[i], shares[i])
            } else {
                let grace = self.in_grace_window(t) && !t.restarted;
                let link = if grace {
                    LinkState::Grace
                } else {
                    LinkState::Lapsed
                };
                let in_effect = if grace && licensed[i] {
                    t.frozen
                } else {
                    Counts::new()
                };
                (link, t.deadline, in_effect, reserved_down[i])
            };
            let local = if s.role == Role::Secondary {
                self.valid_sum(&reasons, i, Kind::VoicemailChannel)
            } else {
                0
            };
            let voicemail = (s.voicemail_pro && s.role.may_run_voicemail()).then(|| {
                if !licensed[i] {
                    Voicemail {
                        running: false,
                        channels: 0,
                    }
                } else if matches!(link, LinkState::Primary | LinkState::Connected) {
                    Voicemail {
                        running: true,
                        channels: 2u64
                            .saturating_add(in_effect.get(Kind::VoicemailChannel))
                            .saturating_add(local),
                    }
                } else {
                    Voicemail {
                        running: local > 0,
                        channels: local,
                    }
                }
            });
            out.push(SystemSnapshot {
                name,
                status: if licensed[i] {
                    Status::Licensed
                } else {
                    Status::Unlicensed
                },
                link,
                deadline,
                in_effect,
                reserved,
                voicemail,
                voice_networking: licensed[i],
            });
        }
        let diagnostics = systems
            .iter()
            .zip(&reasons)
            .flat_map(|(s, rs)| {
                s.licenses.iter().zip(rs).filter_map(|(l, r)| {
                    r.map(|reason| Diagnostic {
                        system: Arc::clone(&s.name),
                        key: l.key.clone(),
                        reason,
                    })
                })
            })
            .collect();
        Snapshot {
            now: self.now,
            pool,
            systems: out,
            diagnostics,
        }
    }

    fn restart(&mut self, i: usize) {
        if self.bug == Bug::RestartIgnored {
            return;
        }
        if self.net.systems[i].role.has_link() && self.tracks[i].down {
            self.tracks[i].restarted = true;
        }
    }

    /// Apply an event (section 8); a rejected one changes nothing (R-ATOMIC).
    pub fn apply(&mut self, event: &Event) -> Result<&Snapshot, String> {
        // selc's own check of the event against the network: which events are
        // invalid is input validation, shared like the input types.
        let target = event
            .check(&self.net)
            .map_err(|e| e.message().to_string())?;
        match (event, target) {
            (Event::Advance { seconds }, _) => self.now = self.now.saturating_add(*seconds),
            (Event::LinkDown { .. }, Some(i)) if !self.tracks[i].down => {
                self.tracks[i] = Track {
                    down: true,
                    deadline: Some(self.now.saturating_add(GRACE_SECONDS)),
                    restarted: false,
                    frozen: self.last.systems[i].reserved,
                }
            }
            (Event::LinkUp { .. }, Some(i)) => self.tracks[i] = Track::default(),
            (Event::Restart { .. }, Some(i)) => self.restart(i),
            (Event::Upgrade { release, .. }, Some(i)) => {
                self.net.systems[i].release = Some(*release);
                self.restart(i);
            }
            (Event::SetNeed { kind, count, .. }, Some(i)) => {
                // A need of 0 is no need at all.
                let needs = &mut self.net.systems[i].needs;
                needs.remove(*kind);
                (*count > 0).then(|| needs.insert(*kind, u64::from(*count)));
            }
            (Event::AddLicense { license, .. }, Some(i)) => {
                self.net.systems[i].licenses.push(license.clone())
            }
            (Event::RemoveLicense { key, .. }, Some(i)) => {
                self.net.systems[i].licenses.retain(|l| &l.key != key)
            }
            _ => {}
        }
        self.last = self.compute();
        Ok(&self.last)
    }
}

/// The engine behind selc's [`Implementation`] trait: the name it gives, and
/// its answer to each request. selc drives it through
/// [`selc::impls::InProcess`], which queues the answers of a case sent at once.
pub struct Adapter {
    engine: Option<Engine>,
    bug: Bug,
}

impl Adapter {
    /// A fresh adapter.
    pub fn new(bug: Bug) -> Adapter {
        Adapter { engine: None, bug }
    }
}

/// The adapter, driven in process by selc.
pub type InProcess = selc::impls::InProcess<Adapter>;

/// A fresh engine with `bug`, ready for selc to drive.
pub fn driven(bug: Bug) -> InProcess {
    selc::impls::InProcess::new(Adapter::new(bug))
}

impl Implementation for Adapter {
    fn hello(&mut self) -> Result<String, HarnessError> {
        Ok("rust-example-engine".into())
    }

    fn answer(&mut self, request: Request<'_>) -> Result<Answer, HarnessError> {
        let snap = |s: &Snapshot| Answer::Snapshot(Arc::new(s.clone()));
        let rejected = |code, message: String| Answer::Rejected { code, message };
        match request {
            Request::Load(v) => Ok(match Network::from_json(v, "network") {
                Ok(net) => {
                    let e = Engine::load(net, self.bug);
                    let a = snap(&e.last);
                    self.engine = Some(e);
                    a
                }
                Err(e) => rejected(ErrorCode::InvalidNetwork, e.message().to_string()),
            }),
            Request::Apply(v) => {
                let engine = self
                    .engine
                    .as_mut()
                    .ok_or_else(|| HarnessError::Protocol("apply before load".into()))?;
                Ok(
                    match Event::from_json(v, "event")
                        .map_err(|e| e.message().to_string())
                        .and_then(|e| engine.apply(&e).map(snap))
                    {
                        Ok(a) => a,
                        Err(m) => rejected(ErrorCode::InvalidEvent, m),
                    },
                )
            }
            Request::Snapshot => match &self.engine {
                Some(e) => Ok(snap(&e.last)),
                None => Err(HarnessError::Protocol("snapshot before load".into())),
            },
            Request::Hello | Request::Bye => Err(HarnessError::Protocol(format!(
                "`{}` is not a request of a case",
                request.op()
            ))),
        }
    }
}

fn main() {
    use selc::report::record::RunInfo;
    use selc::report::terminal::summary_text;
    use selc::verify::{verify, Quiet, VerifyConfig};
    let config = VerifyConfig {
        cases: 500,
        ..VerifyConfig::default()
    };
    let mut imp = driven(Bug::None);
    let summary = verify(&mut imp, &config, None, &mut Quiet);
    for f in &summary.failures {
        println!("{}", selc::report::terminal::failure_text(f, None));
    }
    let info = RunInfo::new(
        "(in process) examples/rust_implementation.rs",
        "rust-example-engine",
        &config,
        &summary,
    );
    print!("{}", summary_text(&summary, &info));
    std::process::exit(if summary.compliant() { 0 } else { 1 });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use selc::check::Mode;
    use selc::gen::{scenario, GenConfig};
    use selc::rules::RuleId;
    use selc::verify::{run_case, verify, Quiet, VerifyConfig};

    #[test]
    fn the_engine_is_compliant_in_strict_mode() {
        let config = VerifyConfig {
            mode: Mode::Strict,
            cases: 300,
            ..VerifyConfig::default()
        };
        let s = verify(&mut driven(Bug::None), &config, None, &mut Quiet);
        assert!(
            s.compliant(),
            "{}",
            selc::report::terminal::failures_text(&s)
        );
        assert!(s.events > 1000);
    }

    #[test]
    fn a_broken_engine_is_caught_naming_its_rule() {
        let config = VerifyConfig {
            golden: false,
            max_failures: 1,
            ..VerifyConfig::default()
        };
        let s = verify(&mut driven(Bug::RestartIgnored), &config, None, &mut Quiet);
        let f = s.failures.first().expect("the bug was not found");
        assert!(
            f.step.rules.contains(&RuleId::Restart) || f.step.rules.contains(&RuleId::Upgrade),
            "{:?}",
            f.step.rules
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every scenario selc's generators make: the engine agrees with the
        /// reference at every step, split included (strict mode).
        #[test]
        fn agrees_with_the_reference(spec in scenario(GenConfig { invalid_events: true, huge_times: true, ..GenConfig::default() })) {
            let s = spec.render();
            let run = run_case(&mut driven(Bug::None), &s, Mode::Strict);
            if let Some(f) = run.failure {
                prop_assert!(false, "{} at {:?}: {}\n{}", selc::rules::join(&f.rules), f.step, f.message, s.to_json_string());
            }
        }
    }
}
