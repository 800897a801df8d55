//! Scenario *specs*: a structured description of a random scenario that always
//! renders to a well-formed scenario file. Events name systems by index (taken
//! modulo the number of systems) and keys by a small number, so that dropping a
//! system, a license or an event while shrinking still leaves a valid scenario.
//!
//! The specs derive `arbitrary::Arbitrary` for the fuzz targets; the random
//! draw is in [`super::sample`], the shrinker in [`super::simplify`].

use arbitrary::Arbitrary;
use serde_json::{json, Value};

use crate::model::network::Needs;
use crate::model::{
    Event, Kind, License, Link, Model, NetworkInput, Release, Role, SystemInput, GRACE_SECONDS,
};
use crate::scenario::Scenario;

/// The role of a non-primary system. At most one secondary is rendered: later
/// `Secondary` entries become expansions, so every spec renders a valid network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum RoleSpec {
    /// The (first) secondary.
    Secondary,
    /// An expansion.
    Expansion,
    /// A one-X Portal.
    Portal,
}

/// A count, biased toward the boundaries: 0, small, and around u32::MAX so that
/// sums overflow u32.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum CountSpec {
    /// 0: allowed, grants nothing.
    Zero,
    /// 1..=16.
    Small(u8),
    /// u32::MAX - n.
    NearMax(u8),
    /// Any u32.
    Any(u32),
}

impl CountSpec {
    /// The count it stands for.
    pub fn value(self) -> u32 {
        match self {
            CountSpec::Zero => 0,
            CountSpec::Small(n) => u32::from(n % 16) + 1,
            CountSpec::NearMax(n) => u32::MAX - u32::from(n % 4),
            CountSpec::Any(n) => n,
        }
    }
}

/// Releases around the bounds of R-RELEASE.
pub const RELEASES: &[Release] = &[
    Release::new(5, 0),
    Release::new(5, 9),
    Release::new(6, 0),
    Release::new(8, 1),
    Release::new(9, 0),
    Release::new(9, 1),
    Release::new(9, 2),
    Release::new(9, 10),
    Release::new(10, 0),
    Release::new(11, 1),
];

/// A release: one of [`RELEASES`] by index, or any well-formed one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum ReleaseSpec {
    /// `RELEASES[i % len]`.
    Listed(u8),
    /// Any `MAJOR.MINOR` with 0..=999 each.
    Any(u16, u16),
    /// `RELEASES[i % len]` spelled with leading zeros (D-REL-SPELLING): the
    /// low two bits of the second number add zeros to the major part, the
    /// next two to the minor part, up to three digits each.
    Spelled(u8, u8),
}

impl ReleaseSpec {
    /// The release it stands for.
    pub fn value(self) -> Release {
        match self {
            ReleaseSpec::Listed(i) => RELEASES[usize::from(i) % RELEASES.len()],
            ReleaseSpec::Any(a, b) => Release::new(a % 1000, b % 1000),
            ReleaseSpec::Spelled(i, zeros) => {
                let r = ReleaseSpec::Listed(i).value();
                let digits = |n: u16| n.max(1).ilog10() as u8 + 1;
                // At least one zero, so the spelling always differs.
                let (a, b) = (zeros & 3, (zeros >> 2) & 3);
                let (a, b) = if a + b == 0 { (1, 0) } else { (a, b) };
                r.spelled(digits(r.major) + a, digits(r.minor) + b)
            }
        }
    }
}

/// Whose SID a license is issued for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum SidSpec {
    /// The system whose configuration holds it (passes R-SID).
    Own,
    /// System `i % n`'s SID (another system's, often: fails R-SID).
    OfSystem(u8),
    /// A SID no system has.
    Stranger,
}

/// A license.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub struct LicenseSpec {
    /// Rendered `K{key % 16}`: a small key space makes duplicates common (R-DUPLICATE).
    pub key: u8,
    /// Index into [`Kind::ALL`].
    pub kind: u8,
    /// Whose SID.
    pub sid: SidSpec,
    /// How many.
    pub count: CountSpec,
}

impl LicenseSpec {
    /// The kind it stands for.
    pub fn kind(&self) -> Kind {
        Kind::ALL[usize::from(self.kind) % Kind::ALL.len()]
    }
}

/// The Server Edition license a system is given, if any (R-SE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum SeSpec {
    /// A valid one with count 1.
    Valid,
    /// None at all.
    Missing,
    /// Count 0: valid but licenses nothing.
    CountZero,
    /// Issued for another SID.
    WrongSid,
}

/// One system.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub struct SystemSpec {
    /// Ignored for the system chosen as primary.
    pub role: RoleSpec,
    /// Ignored for a portal.
    pub release: ReleaseSpec,
    /// Rendered only on primary and secondary.
    pub voicemail: bool,
    /// Its Server Edition license.
    pub se: SeSpec,
    /// Needs: (index into the centralized kinds, count).
    pub needs: Vec<(u8, CountSpec)>,
    /// Further licenses in its configuration.
    pub licenses: Vec<LicenseSpec>,
    /// Link down at time 0 (secondary and expansion only).
    pub down: bool,
}

/// How far to advance the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum TimeSpec {
    /// A few seconds.
    Seconds(u16),
    /// A whole grace period.
    Grace,
    /// To the earliest pending grace deadline, then `delta - 1` seconds (one second
    /// before, exactly on, or one second after it); a few seconds when none is pending.
    ToDeadline(u8),
    /// Any u64 (saturating at the end of time).
    Any(u64),
}

/// A malformed or misdirected event (R-ATOMIC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum InvalidSpec {
    /// A system name that does not exist.
    UnknownSystem,
    /// `link_down` of the primary.
    PrimaryLink,
    /// `remove_license` of a key the system does not hold.
    MissingKey(u8),
    /// `set_need` of a kind that is not centralized.
    NotCentralized(u8),
    /// Not an object.
    NotAnObject,
    /// Two event names in one object.
    TwoKeys,
    /// An unknown field inside the event.
    UnknownField,
    /// A malformed release.
    BadRelease,
    /// A count that is not a u32.
    BadCount,
    /// A license with an empty key.
    EmptyKey,
}

/// One event; systems are `index % n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Arbitrary)]
pub enum EventSpec {
    /// `advance`.
    Advance(TimeSpec),
    /// `link_down` (of a primary or portal: rejected).
    LinkDown(u8),
    /// `link_up`.
    LinkUp(u8),
    /// `restart`.
    Restart(u8),
    /// `upgrade`.
    Upgrade(u8, ReleaseSpec),
    /// `set_need` of a centralized kind (index into the centralized kinds).
    SetNeed(u8, u8, CountSpec),
    /// `add_license`.
    AddLicense(u8, LicenseSpec),
    /// `remove_license` of `K{key % 16}` (rejected when absent).
    RemoveLicense(u8, u8),
    /// Something that must be rejected.
    Invalid(u8, InvalidSpec),
}

/// How a scenario's identifiers (names, SIDs, keys) are written: plain
/// (`exp-3`, `SID-3`, `K3`), or at one boundary of what RULES.md §1 allows
/// (`crate::domain`, D-ID-*). Every style keeps names and SIDs unique, as a
/// valid network needs, and keys as distinct as the plain ones (so
/// R-DUPLICATE's collisions stay deliberate): what each style adds are
/// identifiers that a careless implementation takes for equal, or cannot
/// carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Arbitrary)]
pub enum IdentSpec {
    /// `exp-3`, `SID-3`, `K3`.
    #[default]
    Plain,
    /// Pairs that differ only in case: `node-1` and `NODE-1` (D-ID-CASE).
    CaseTwins,
    /// Multi-byte text, and pairs of the same text in NFC and NFD: `café-1`
    /// written both ways (D-ID-UNICODE, D-ID-NFC-NFD).
    Unicode,
    /// Whitespace inside and at either end: ` n 1` and `n 1 ` (D-ID-WHITESPACE).
    Spaces,
    /// What JSON must escape, and markup: quotes, backslashes, control
    /// characters, `<script>`, a right-to-left mark (D-ID-ESCAPE).
    Escapes,
    /// Of length `1 + n % 1100` characters at least: from one character to
    /// over 1 KB (D-ID-SHORT, D-ID-LONG).
    Length(u16),
}

/// The kinds of identifier, each unique on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdClass {
    Name,
    Sid,
    Key,
}

impl IdentSpec {
    /// Identifier `i` of `class`; `i` is the system's position for names and
    /// SIDs, the key's number for keys.
    fn ident(self, class: IdClass, i: usize) -> String {
        let prefix = match class {
            IdClass::Name => "node",
            IdClass::Sid => "sid",
            IdClass::Key => "key",
        };
        // Twins share `i / 2` and differ in how it is written.
        let (base, twin) = (i / 2, i % 2 == 1);
        match self {
            IdentSpec::Plain => match class {
                IdClass::Name => format!("exp-{i}"),
                IdClass::Sid => format!("SID-{i}"),
                IdClass::Key => format!("K{i}"),
            },
            IdentSpec::CaseTwins => {
                let s = format!("{prefix}-{base}");
                if twin {
                    s.to_uppercase()
                } else {
                    s
                }
            }
            IdentSpec::Unicode => {
                let e = if twin { "e\u{301}" } else { "\u{e9}" };
                let (head, tail) = match class {
                    IdClass::Name => ("caf", "-日本"),
                    IdClass::Sid => ("SID-", "-Ω"),
                    IdClass::Key => ("clé-", "-ключ"),
                };
                format!("{head}{e}{tail}-{base}")
            }
            IdentSpec::Spaces => {
                if twin {
                    format!("{prefix} {base} ")
                } else {
                    format!(" {prefix} {base}")
                }
            }
            IdentSpec::Escapes => {
                format!("<script>\"{prefix}\"</script>\\\u{1b}[1m\t\u{200f}{i}\n\u{0}")
            }
            IdentSpec::Length(n) => {
                let mut s = base36(i, class);
                let len = 1 + usize::from(n) % 1100;
                // '-' is no base-36 digit: two identifiers padded to one
                // length stay distinct.
                while s.chars().count() < len {
                    s.push('-');
                }
                s
            }
        }
    }
}

/// `i` in base 36, one character for `i` below 36: with a class's own first
/// letters beyond, so that two classes never share an identifier.
fn base36(i: usize, class: IdClass) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut n = i;
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    let s = String::from_utf8(out).unwrap_or_default();
    match class {
        IdClass::Name => s,
        IdClass::Sid => format!("S{s}"),
        IdClass::Key => format!("K{s}"),
    }
}

/// A whole scenario.
///
/// Systems are named in events by a stable number: 0 is the primary, `k >= 1` is
/// `others[k - 1]` (taken modulo when out of range). Shrinking that drops a later
/// system or shrinks a number toward 0 therefore keeps, or simplifies, the target.
#[derive(Clone, Debug, PartialEq, Eq, Arbitrary)]
pub struct ScenarioSpec {
    /// The primary (its `role` and `down` are ignored).
    pub primary: SystemSpec,
    /// Where the primary stands among the others (clamped to their number).
    pub primary_at: u8,
    /// The other systems, in network order.
    pub others: Vec<SystemSpec>,
    /// The events.
    pub events: Vec<EventSpec>,
    /// How its identifiers are written.
    pub idents: IdentSpec,
}

impl IdentSpec {
    fn name_of(self, i: usize, role: Role) -> String {
        if self != IdentSpec::Plain {
            return self.ident(IdClass::Name, i);
        }
        match role {
            Role::Primary => "primary".into(),
            Role::Secondary => "sec".into(),
            Role::OneXPortal => format!("portal-{i}"),
            Role::Expansion => format!("exp-{i}"),
        }
    }

    fn sid_of(self, i: usize) -> String {
        self.ident(IdClass::Sid, i)
    }

    /// License key `k`: one of 16, so that duplicates are common (R-DUPLICATE).
    fn key_of(self, k: u8) -> String {
        self.ident(IdClass::Key, usize::from(k % 16))
    }

    /// The Server Edition license key of system `i`: never a [`Self::key_of`].
    fn se_key_of(self, i: usize) -> String {
        match self {
            IdentSpec::Plain => format!("SE-{i}"),
            _ => self.ident(IdClass::Key, 16 + i),
        }
    }

    /// A SID no system has.
    fn stranger_sid(self) -> String {
        match self {
            IdentSpec::Plain => "SID-stranger".into(),
            _ => self.ident(IdClass::Sid, usize::MAX / 4),
        }
    }
}

/// The names of a spec's systems in network order, and how events find them.
pub struct Names {
    names: Vec<String>,
    /// Network index of each stable number (0: the primary).
    number_of: Vec<usize>,
    primary: usize,
}

impl Names {
    /// The network index of stable system number `k`.
    fn index(&self, k: u8) -> usize {
        let k = usize::from(k);
        let n = self.number_of.len();
        self.number_of[if k < n {
            k
        } else {
            1 + (k - 1) % (n - 1).max(1)
        }
        .min(n - 1)]
    }

    /// The name of stable system number `k`.
    fn of(&self, k: u8) -> String {
        self.names[self.index(k)].clone()
    }
}

/// One event of a spec as it is sent: a well-formed event, or JSON that must be
/// rejected (R-ATOMIC) and is sent as written.
#[derive(Clone, Debug)]
pub enum EventInput {
    /// An event the protocol can express (the model may still reject it).
    Event(Event),
    /// Malformed or misdirected JSON.
    Json(Value),
}

impl EventInput {
    /// Its JSON value, as a scenario file holds it.
    pub fn to_value(&self) -> Value {
        match self {
            // An event serializes to the object it is parsed from.
            EventInput::Event(e) => serde_json::to_value(e).unwrap_or(Value::Null),
            EventInput::Json(v) => v.clone(),
        }
    }

    /// The event as the model reads it from its JSON.
    pub fn parsed(self) -> Result<Event, crate::model::ModelError> {
        match self {
            EventInput::Event(e) => Ok(e),
            EventInput::Json(v) => Event::from_json(&v, "event"),
        }
    }

    /// Its `apply` request line (no newline), as `Request::Apply` writes it.
    pub fn line(&self) -> String {
        match self {
            EventInput::Event(e) => crate::protocol::canonical::apply_line(e),
            EventInput::Json(v) => crate::protocol::Request::Apply(v).to_line(),
        }
    }
}

impl ScenarioSpec {
    /// The systems in network order, and each one's stable number.
    fn ordered(&self) -> (Vec<&SystemSpec>, Vec<usize>, usize) {
        let at = usize::from(self.primary_at).min(self.others.len());
        let mut specs: Vec<&SystemSpec> = self.others.iter().collect();
        specs.insert(at, &self.primary);
        // number_of[k] = network index of stable number k.
        let number_of: Vec<usize> = std::iter::once(at)
            .chain((0..self.others.len()).map(|j| if j < at { j } else { j + 1 }))
            .collect();
        (specs, number_of, at)
    }

    /// The network, typed, with the names events use.
    pub fn network(&self) -> (NetworkInput, Names) {
        let (specs, number_of, primary) = self.ordered();
        let n = specs.len();
        let mut have_secondary = false;
        let roles: Vec<Role> = specs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i == primary {
                    return Role::Primary;
                }
                match s.role {
                    RoleSpec::Secondary if !have_secondary => {
                        have_secondary = true;
                        Role::Secondary
                    }
                    RoleSpec::Portal => Role::OneXPortal,
                    _ => Role::Expansion,
                }
            })
            .collect();
        let names: Vec<String> = roles
            .iter()
            .enumerate()
            .map(|(i, r)| self.idents.name_of(i, *r))
            .collect();
        let systems = specs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let role = roles[i];
                let mut o = SystemInput {
                    name: names[i].clone(),
                    role,
                    sid: Some(self.idents.sid_of(i)),
                    release: None,
                    voicemail_pro: None,
                    needs: None,
                    licenses: None,
                    link: None,
                };
                if role == Role::OneXPortal {
                    return o;
                }
                o.release = Some(s.release.value());
                if s.voicemail && role.may_run_voicemail() {
                    o.voicemail_pro = Some(true);
                }
                // A kind named twice: the last count wins, as in a JSON object.
                let needs: Needs = s
                    .needs
                    .iter()
                    .map(|&(k, c)| (need_kind(k), c.value()))
                    .collect();
                o.needs = (!needs.is_empty()).then_some(needs);
                let mut licenses = Vec::new();
                let se_sid = if s.se == SeSpec::WrongSid {
                    self.idents.sid_of(i + 1)
                } else {
                    self.idents.sid_of(i)
                };
                let se = |count| License {
                    key: self.idents.se_key_of(i),
                    kind: Kind::ServerEdition,
                    sid: se_sid.clone(),
                    count,
                };
                match s.se {
                    SeSpec::Missing => {}
                    SeSpec::CountZero => licenses.push(se(0)),
                    _ => licenses.push(se(1)),
                }
                licenses.extend(s.licenses.iter().map(|l| license(self.idents, l, i, n)));
                o.licenses = (!licenses.is_empty()).then_some(licenses);
                if matches!(role, Role::Secondary | Role::Expansion) {
                    o.link = Some(if s.down { Link::Down } else { Link::Up });
                }
                o
            })
            .collect();
        let names = Names {
            names,
            number_of,
            primary,
        };
        (NetworkInput { systems }, names)
    }

    /// Event `e` as sent, resolved against the reference as it stands before it
    /// (`None`: the network is invalid), which an advance to the next deadline
    /// depends on.
    pub fn event(&self, e: &EventSpec, names: &Names, model: Option<&Model>) -> EventInput {
        let n = names.names.len();
        let sys = |i: u8| names.of(i);
        EventInput::Event(match *e {
            EventSpec::Advance(t) => {
                let seconds = match t {
                    TimeSpec::Seconds(s) => u64::from(s),
                    TimeSpec::Grace => GRACE_SECONDS,
                    TimeSpec::Any(s) => s,
                    TimeSpec::ToDeadline(d) => {
                        let next = model.and_then(|m| m.next_deadline().map(|dl| dl - m.now()));
                        match next {
                            Some(gap) => (gap + u64::from(d % 3)).saturating_sub(1),
                            None => u64::from(d % 3),
                        }
                    }
                };
                Event::Advance { seconds }
            }
            EventSpec::LinkDown(i) => Event::LinkDown { system: sys(i) },
            EventSpec::LinkUp(i) => Event::LinkUp { system: sys(i) },
            EventSpec::Restart(i) => Event::Restart { system: sys(i) },
            EventSpec::Upgrade(i, rel) => Event::Upgrade {
                system: sys(i),
                release: rel.value(),
            },
            EventSpec::SetNeed(i, k, c) => Event::SetNeed {
                system: sys(i),
                kind: need_kind(k),
                count: c.value(),
            },
            EventSpec::AddLicense(i, l) => Event::AddLicense {
                system: sys(i),
                license: license(self.idents, &l, names.index(i), n),
            },
            EventSpec::RemoveLicense(i, k) => Event::RemoveLicense {
                system: sys(i),
                key: self.idents.key_of(k),
            },
            EventSpec::Invalid(i, what) => {
                return EventInput::Json(invalid_event(&sys(i), &names.names[names.primary], what))
            }
        })
    }

    /// Render to a scenario without expectations. Events that depend on the state
    /// (advance to a deadline) are resolved by running the reference model.
    pub fn render(&self) -> Scenario {
        let (network, names) = self.network();
        let value = serde_json::to_value(&network).unwrap_or(Value::Null);
        let mut model = Model::from_input(network, "network").ok();
        let mut events = Vec::with_capacity(self.events.len());
        for e in &self.events {
            let input = self.event(e, &names, model.as_ref());
            events.push(input.to_value());
            if let (Some(m), Ok(e)) = (model.as_mut(), input.parsed()) {
                let _ = m.apply_unobserved(&e);
            }
        }
        Scenario {
            name: Some("generated".into()),
            rules: vec![],
            network: value,
            events,
            expect_initial: None,
            expect: None,
        }
    }

    /// Systems plus events: the size a shrunk counterexample is judged by.
    pub fn size(&self) -> (usize, usize) {
        (self.others.len() + 1, self.events.len())
    }
}

/// The centralized kind of need index `k`.
fn need_kind(k: u8) -> Kind {
    Kind::centralized()
        .nth(usize::from(k) % 7)
        .unwrap_or(Kind::PowerUser)
}

/// License `l` in the configuration of system `i` of `n`.
fn license(idents: IdentSpec, l: &LicenseSpec, i: usize, n: usize) -> License {
    License {
        key: idents.key_of(l.key),
        kind: l.kind(),
        sid: match l.sid {
            SidSpec::Own => idents.sid_of(i),
            SidSpec::OfSystem(j) => idents.sid_of(usize::from(j) % n),
            SidSpec::Stranger => idents.stranger_sid(),
        },
        count: l.count.value(),
    }
}

fn invalid_event(system: &str, primary: &str, what: InvalidSpec) -> Value {
    match what {
        InvalidSpec::UnknownSystem => json!({"restart": {"system": "no-such-system"}}),
        InvalidSpec::PrimaryLink => json!({"link_down": {"system": primary}}),
        InvalidSpec::MissingKey(k) => {
            json!({"remove_license": {"system": system, "key": format!("missing-{k}")}})
        }
        InvalidSpec::NotCentralized(k) => {
            let kind = Kind::ALL
                .iter()
                .filter(|k| !k.is_centralized())
                .nth(usize::from(k) % 15)
                .copied()
                .unwrap_or(Kind::ServerEdition);
            json!({"set_need": {"system": system, "kind": kind.as_str(), "count": 1}})
        }
        InvalidSpec::NotAnObject => json!(["advance", 1]),
        InvalidSpec::TwoKeys => {
            json!({"advance": {"seconds": 1}, "restart": {"system": system}})
        }
        InvalidSpec::UnknownField => json!({"restart": {"system": system, "force": true}}),
        InvalidSpec::BadRelease => json!({"upgrade": {"system": system, "release": "9"}}),
        InvalidSpec::BadCount => {
            json!({"set_need": {"system": system, "kind": "power_user", "count": 4294967296u64}})
        }
        InvalidSpec::EmptyKey => json!({"add_license": {"system": system,
            "license": {"key": "", "kind": "power_user", "sid": "x", "count": 1}}}),
    }
}
