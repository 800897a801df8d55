//! The reference model of Server Edition licensing: pure, no I/O, no clock, no
//! randomness. [`Model::load`] and [`Model::apply`] return a snapshot or an error
//! value (R-TOTAL); a rejected event changes nothing (R-ATOMIC).
//!
//! The snapshot is a function of the configuration, the time and each system's
//! link history; it is recomputed from scratch after every event (section 5:
//! "computed afresh after every event"), in O(systems × kinds + licenses).

pub mod allocation;
pub mod counts;
pub mod events;
pub mod grace;
pub mod network;
pub mod snapshot;
pub mod types;
pub mod validity;
pub mod voicemail;

#[cfg(test)]
mod tests;

use std::sync::Arc;

use thiserror::Error;

pub use events::Event;
pub use network::{License, Network, NetworkInput, System, SystemInput};
pub use snapshot::{Counts, Diagnostic, Snapshot, SystemSnapshot, Voicemail};
pub use types::{Kind, KindClass, Link, LinkState, Reason, Release, Role, Status, GRACE_SECONDS};

use grace::LinkTrack;

/// Why the model refused an input. The message names the JSON path at fault.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ModelError {
    /// The network is malformed (section 1); nothing was loaded.
    #[error("invalid network: {0}")]
    InvalidNetwork(String),
    /// The event is malformed or does not apply (section 8); nothing changed (R-ATOMIC).
    #[error("invalid event: {0}")]
    InvalidEvent(String),
}

impl ModelError {
    /// The message without the code.
    pub fn message(&self) -> &str {
        match self {
            ModelError::InvalidNetwork(m) | ModelError::InvalidEvent(m) => m,
        }
    }
}

/// `text` quoted as JSON quotes it, for messages: an identifier holding
/// quotes, control characters or markup reads as the JSON of the request
/// that named it (never as Rust's `Debug` of it).
pub(crate) fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The reference model: a loaded network and its state over time.
#[derive(Clone, Debug)]
pub struct Model {
    network: Network,
    now: u64,
    /// One per system; only meaningful for secondary and expansion systems.
    links: Vec<LinkTrack>,
    /// Shares of the connected non-primary systems adopted from an
    /// implementation's answer in `rules` mode, in place of R-ORDER, until the
    /// next event. Indexed by system.
    split: Option<Vec<Counts>>,
    /// Sections 3 and 4 depend only on the configurations (licenses, releases),
    /// which only `add_license`, `remove_license` and `upgrade` change: assessed
    /// again after those (when the next snapshot is computed), reused after every
    /// other event.
    validity: validity::Validity,
    /// A configuration changed since `validity` was assessed. Planning
    /// ([`Model::apply_unobserved`]) never needs validity, so it is assessed
    /// again only when a snapshot is computed.
    validity_stale: bool,
    /// Shared so that a harness can hand the same snapshot on without a copy.
    snapshot: Arc<Snapshot>,
}

impl Model {
    /// Load a validated network at time 0.
    pub fn new(network: Network) -> Model {
        let links = network
            .systems
            .iter()
            .map(|s| {
                if s.role.has_link() {
                    LinkTrack::at_start(s.link)
                } else {
                    LinkTrack::default()
                }
            })
            .collect();
        let validity = validity::assess(&network);
        let mut model = Model {
            network,
            validity,
            validity_stale: false,
            now: 0,
            links,
            split: None,
            snapshot: Arc::new(Snapshot {
                now: 0,
                pool: Counts::new(),
                systems: Vec::new(),
                diagnostics: Vec::new(),
            }),
        };
        model.snapshot = Arc::new(model.compute());
        model
    }

    /// Parse, validate and load a network from JSON (`prefix` names its path).
    pub fn load(value: &serde_json::Value, prefix: &str) -> Result<Model, ModelError> {
        Network::from_json(value, prefix).map(Model::new)
    }

    /// Validate a network already built as typed input (a generated one) and
    /// load it, as [`Model::load`] does its JSON.
    pub fn from_input(input: NetworkInput, prefix: &str) -> Result<Model, ModelError> {
        Network::from_input(input, prefix).map(Model::new)
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// The current snapshot, shared (no copy).
    pub fn shared_snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot)
    }

    /// The network as it stands now (configurations, needs and releases changed by events).
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Parse and apply an event given as JSON (`prefix` names its path).
    pub fn apply_json(
        &mut self,
        value: &serde_json::Value,
        prefix: &str,
    ) -> Result<&Snapshot, ModelError> {
        let event = Event::from_json(value, prefix)?;
        self.apply(&event)
    }

    /// Apply one event (section 8). R-ATOMIC: on error nothing has changed.
    pub fn apply(&mut self, event: &Event) -> Result<&Snapshot, ModelError> {
        self.apply_unobserved(event)?;
        self.snapshot = Arc::new(self.observe());
        Ok(&self.snapshot)
    }

    /// Apply one event and hand back the snapshot from before it (saves the
    /// harness a copy per event). R-ATOMIC: on error nothing has changed.
    pub fn apply_keeping_previous(&mut self, event: &Event) -> Result<Arc<Snapshot>, ModelError> {
        self.apply_unobserved(event)?;
        let next = Arc::new(self.observe());
        Ok(std::mem::replace(&mut self.snapshot, next))
    }

    /// Apply one event without recomputing the snapshot: for planning a case
    /// (which events are rejected, when deadlines fall), which depends only on
    /// configurations, links and time. Shares frozen by a `link_down` come from
    /// the last computed snapshot, so after this call the model is only good for
    /// more planning: use [`Model::apply`] to observe.
    pub fn apply_unobserved(&mut self, event: &Event) -> Result<(), ModelError> {
        let target = event.check(&self.network)?;
        // From here on nothing can fail.
        match (event, target) {
            (Event::Advance { seconds }, _) => self.now = self.now.saturating_add(*seconds),
            (Event::LinkDown { .. }, Some(i)) => {
                // R-GRACE: freeze the shares as they stood after the previous event.
                let shares = &self.snapshot.systems[i].reserved;
                self.links[i].go_down(self.now, shares);
            }
            (Event::LinkUp { .. }, Some(i)) => self.links[i].go_up(),
            (Event::Restart { .. }, Some(i)) => self.links[i].restart(),
            (Event::Upgrade { release, .. }, Some(i)) => {
                // R-UPGRADE: always a restart, even to the same release.
                self.network.systems[i].release = Some(*release);
                self.links[i].restart();
            }
            (Event::SetNeed { kind, count, .. }, Some(i)) => {
                let needs = &mut self.network.systems[i].needs;
                if *count == 0 {
                    needs.remove(*kind);
                } else {
                    needs.insert(*kind, u64::from(*count));
                }
            }
            (Event::AddLicense { license, .. }, Some(i)) => {
                self.network.systems[i].licenses.push(license.clone());
            }
            (Event::RemoveLicense { key, .. }, Some(i)) => {
                self.network.systems[i].licenses.retain(|l| &l.key != key);
            }
            // `check` returns a target for every event that names a system.
            (_, None) => {}
        }
        if matches!(
            event,
            Event::AddLicense { .. } | Event::RemoveLicense { .. } | Event::Upgrade { .. }
        ) {
            self.validity_stale = true;
        }
        self.split = None;
        Ok(())
    }

    /// The earliest grace deadline still ahead (section 6), if any.
    pub fn next_deadline(&self) -> Option<u64> {
        self.links
            .iter()
            .filter(|t| t.down)
            .filter_map(|t| t.deadline)
            .filter(|&d| d > self.now)
            .min()
    }

    /// The clock.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// `rules` mode: adopt another split of the centralized licenses among the
    /// connected non-primary systems (R-ORDER is a reference choice), taken from
    /// `other`, an implementation's snapshot of the same step. Everything that
    /// follows from the split (reserved, voicemail channels, the shares frozen at
    /// a later link_down) is then computed by the model itself.
    ///
    /// The split must give no system more than it needs (R-NO-OVERGRANT) and hand
    /// out no more than is available (R-CAPACITY); R-WORK-CONSERVING is for the
    /// caller's checkers to judge. On error nothing changes.
    pub fn adopt_split(&mut self, other: &Snapshot) -> Result<&Snapshot, String> {
        let net = &self.network;
        let mut split = vec![Counts::new(); net.systems.len()];
        let mut handed_out = Counts::new();
        for (i, s) in self.snapshot.systems.iter().enumerate() {
            let participant = s.link == LinkState::Connected && s.status == Status::Licensed;
            if !participant {
                continue;
            }
            let theirs = other
                .systems
                .get(i)
                .filter(|o| o.name == s.name)
                .ok_or_else(|| format!("system {} is missing from the snapshot", s.name))?;
            for (kind, n) in theirs.in_effect.iter() {
                if !kind.is_centralized() || n > net.systems[i].need(kind) {
                    return Err(format!(
                        "{} is given {n} {kind}, more than it needs",
                        s.name
                    ));
                }
                split[i].add(kind, n);
                handed_out.add(kind, n);
            }
        }
        for kind in Kind::centralized() {
            let held: u64 = self
                .snapshot
                .systems
                .iter()
                .filter(|s| matches!(s.link, LinkState::Grace | LinkState::Lapsed))
                .map(|s| s.reserved.get(kind))
                .fold(0, u64::saturating_add);
            let primary = self.snapshot.systems[net.primary].in_effect.get(kind);
            let avail = self.snapshot.pool.get(kind).saturating_sub(held);
            if handed_out.get(kind).saturating_add(primary) > avail {
                return Err(format!("more {kind} handed out than the {avail} available"));
            }
        }
        self.split = Some(split);
        self.snapshot = Arc::new(self.observe());
        Ok(&self.snapshot)
    }

    /// The snapshot of the current state, after assessing validity again if a
    /// configuration changed.
    fn observe(&mut self) -> Snapshot {
        if self.validity_stale {
            self.validity = validity::assess(&self.network);
            self.validity_stale = false;
        }
        self.compute()
    }

    /// Section 9: the snapshot of the current state, computed from scratch.
    fn compute(&self) -> Snapshot {
        let net = &self.network;
        let now = self.now;
        let validity = &self.validity;
        let primary = net.primary;
        let primary_licensed = validity.licensed(primary);

        // Section 6: down systems keep their frozen shares reserved until the deadline.
        let down_reserved: Vec<Option<Counts>> = net
            .systems
            .iter()
            .zip(&self.links)
            .map(|(s, t)| {
                if s.role.has_link() {
                    t.reserved_while_down(now)
                } else {
                    None
                }
            })
            .collect();
        let mut held = Counts::new();
        for reserved in down_reserved.iter().flatten() {
            for (kind, n) in reserved.iter() {
                held.add(kind, n);
            }
        }

        // R-ORDER: the Secondary first, then expansions in network order; only
        // licensed, connected systems take part.
        let participants: Vec<usize> = net
            .secondary
            .into_iter()
            .chain(
                net.systems
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.role == Role::Expansion)
                    .map(|(i, _)| i),
            )
            .filter(|&i| down_reserved[i].is_none() && validity.licensed(i))
            .collect();

        let mut pool = Counts::new();
        let mut shares: Vec<Counts> = vec![Counts::new(); net.systems.len()];
        let mut needs: Vec<u64> = Vec::with_capacity(participants.len());
        for kind in Kind::centralized() {
            let kind_pool = validity.total(primary, kind);
            pool.add(kind, kind_pool);
            let primary_need = if primary_licensed {
                net.systems[primary].need(kind)
            } else {
                0
            };
            needs.clear();
            needs.extend(participants.iter().map(|&i| net.systems[i].need(kind)));
            let a = allocation::allocate(kind_pool, held.get(kind), primary_need, &needs);
            shares[primary].add(kind, a.primary);
            for (&i, &share) in participants.iter().zip(&a.shares) {
                // An adopted split (rules mode) replaces R-ORDER's.
                let share = self.split.as_ref().map_or(share, |s| s[i].get(kind));
                shares[i].add(kind, share);
            }
        }

        let systems = net
            .systems
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let status = validity.status[i];
                let licensed = status == Status::Licensed;
                let track = &self.links[i];
                let (link, deadline, in_effect, reserved) = match s.role {
                    Role::OneXPortal => (LinkState::External, None, Counts::new(), Counts::new()),
                    Role::Primary => (LinkState::Primary, None, shares[i], shares[i]),
                    Role::Secondary | Role::Expansion => match &down_reserved[i] {
                        None => (LinkState::Connected, None, shares[i], shares[i]),
                        Some(reserved) => (
                            track.state(now),
                            track.deadline,
                            track
                                .in_effect_while_down(now, licensed)
                                .unwrap_or_default(),
                            *reserved,
                        ),
                    },
                };
                let local = if s.role == Role::Secondary {
                    validity.total(i, Kind::VoicemailChannel)
                } else {
                    0
                };
                let vm = voicemail::voicemail(
                    s.role,
                    s.voicemail_pro,
                    licensed,
                    link,
                    in_effect.get(Kind::VoicemailChannel),
                    local,
                );
                SystemSnapshot {
                    name: Arc::clone(&s.name),
                    status,
                    link,
                    deadline,
                    in_effect,
                    reserved,
                    voicemail: vm,
                    // R-VOICENET
                    voice_networking: licensed,
                }
            })
            .collect();

        Snapshot {
            now,
            pool,
            systems,
            diagnostics: validity.diagnostics.clone(),
        }
    }
}
