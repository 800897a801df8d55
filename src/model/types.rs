//! The vocabulary of the model: roles, kinds and their classes, releases, link
//! states and the grace period. Parsing of each from its JSON string form lives
//! here so that every input path (network, event, snapshot) gives the same
//! error for the same mistake.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// R-GRACE: the grace period, 15 days, in seconds.
pub const GRACE_SECONDS: u64 = 15 * 86_400;

/// The role of a system in the Server Edition network (section 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Exactly one per network; holds the centralized licenses.
    Primary,
    /// At most one; served first among non-primary systems (R-ORDER).
    Secondary,
    /// Any number; served in network order (R-ORDER).
    Expansion,
    /// External one-X Portal server; exempt from licensing (R-PORTAL).
    OneXPortal,
}

impl Role {
    /// Systems that need a Server Edition license (R-SE); the portal does not (R-PORTAL).
    pub fn needs_server_edition(self) -> bool {
        !matches!(self, Role::OneXPortal)
    }

    /// Roles that have a link to the Primary (section 6).
    pub fn has_link(self) -> bool {
        matches!(self, Role::Secondary | Role::Expansion)
    }

    /// Roles on which Voicemail Pro may be deployed (section 7).
    pub fn may_run_voicemail(self) -> bool {
        matches!(self, Role::Primary | Role::Secondary)
    }

    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Secondary => "secondary",
            Role::Expansion => "expansion",
            Role::OneXPortal => "one_x_portal",
        }
    }
}

/// The class of a license kind (section 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KindClass {
    /// `server_edition`: licenses the system it is entered on (R-SE).
    ServerEdition,
    /// Entered on the Primary and shared out (section 5).
    Centralized,
    /// Never valid in a Server Edition network (R-UNSUPPORTED).
    Unsupported,
}

macro_rules! kinds {
    ($( $variant:ident => $name:literal, $class:ident; )*) => {
        /// A license kind (section 2). Unknown kind strings are errors, never ignored.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind { $( #[doc = $name] $variant, )* }

        impl Kind {
            /// Every kind, in catalogue order.
            pub const ALL: &'static [Kind] = &[ $( Kind::$variant, )* ];

            /// How many kinds there are.
            pub const COUNT: usize = Kind::ALL.len();

            /// The kind's position in [`Kind::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The JSON spelling.
            pub fn as_str(self) -> &'static str {
                match self { $( Kind::$variant => $name, )* }
            }

            /// Which class the kind is in (section 2).
            pub fn class(self) -> KindClass {
                match self { $( Kind::$variant => KindClass::$class, )* }
            }
        }

        impl FromStr for Kind {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $( $name => Ok(Kind::$variant), )*
                    _ => Err(format!("unknown kind {}", super::quoted(s))),
                }
            }
        }
    };
}

kinds! {
    ServerEdition => "server_edition", ServerEdition;
    OfficeWorker => "office_worker", Centralized;
    PowerUser => "power_user", Centralized;
    Receptionist => "receptionist", Centralized;
    AvayaIpEndpoint => "avaya_ip_endpoint", Centralized;
    ThirdPartyIpEndpoint => "third_party_ip_endpoint", Centralized;
    SipTrunkChannel => "sip_trunk_channel", Centralized;
    VoicemailChannel => "voicemail_channel", Centralized;
    EssentialEdition => "essential_edition", Unsupported;
    PreferredEdition => "preferred_edition", Unsupported;
    Ip500VoiceNetworking => "ip500_voice_networking", Unsupported;
    Teleworker => "teleworker", Unsupported;
    MobileWorker => "mobile_worker", Unsupported;
    EmbeddedMessagingPorts => "embedded_messaging_ports", Unsupported;
    CcrAgent => "ccr_agent", Unsupported;
    CcrSupervisor => "ccr_supervisor", Unsupported;
    VmproNetworkedMessaging => "vmpro_networked_messaging", Unsupported;
    DatabaseInterface => "database_interface", Unsupported;
    VisualBasicScript => "visual_basic_script", Unsupported;
    Ccc => "ccc", Unsupported;
    VcmChannels => "vcm_channels", Unsupported;
    Mobility => "mobility", Unsupported;
}

impl Kind {
    /// The centralized kinds, in catalogue order (section 5 allocates each).
    pub fn centralized() -> impl Iterator<Item = Kind> {
        Kind::ALL
            .iter()
            .copied()
            .filter(|k| k.class() == KindClass::Centralized)
    }

    /// Only centralized kinds may be needed (section 2).
    pub fn is_centralized(self) -> bool {
        self.class() == KindClass::Centralized
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An IP Office release `MAJOR.MINOR`, compared as the integer pair (section 1):
/// `9.10` is after `9.1`, `09.01` equals `9.1` (D-REL-ORDER, D-REL-SPELLING).
///
/// It keeps the spelling it was read with (the digits of each part, leading
/// zeros included), so that a scenario sends an implementation `09.01` as
/// written; equality, order and hashing look at the integer pair alone.
#[derive(Clone, Copy, Debug)]
pub struct Release {
    /// 0..=999
    pub major: u16,
    /// 0..=999
    pub minor: u16,
    /// The digits written for each part (1..=3); 0 writes the number as it is.
    width: [u8; 2],
}

impl PartialEq for Release {
    fn eq(&self, other: &Self) -> bool {
        self.pair() == other.pair()
    }
}
impl Eq for Release {}
impl PartialOrd for Release {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Release {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.pair().cmp(&other.pair())
    }
}
impl std::hash::Hash for Release {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.pair().hash(state);
    }
}

impl Release {
    /// R-RELEASE / R-SE: the first release the license works on.
    pub const FIRST_SUPPORTED: Release = Release::new(6, 0);
    /// R-RELEASE / R-SE: the last release the license works on ("NOT work on R10.0 or higher").
    pub const LAST_SUPPORTED: Release = Release::new(9, 1);

    /// Build a release from its two numbers, spelled with no leading zero.
    pub const fn new(major: u16, minor: u16) -> Release {
        Release {
            major,
            minor,
            width: [0, 0],
        }
    }

    /// The same release spelled with `major` and `minor` digits (each at most
    /// 3, and never fewer than the number needs): `9.1` spelled (2, 2) is
    /// `09.01` (D-REL-SPELLING).
    pub fn spelled(self, major: u8, minor: u8) -> Release {
        Release {
            width: [major.min(3), minor.min(3)],
            ..self
        }
    }

    /// Whether a part is written with a leading zero (`09.1`, `9.01`, `00.0`).
    pub fn has_leading_zero(self) -> bool {
        let digits = |n: u16| n.max(1).ilog10() as u8 + 1;
        self.width[0] > digits(self.major) || self.width[1] > digits(self.minor)
    }

    fn pair(self) -> (u16, u16) {
        (self.major, self.minor)
    }

    /// R-RELEASE: within 6.0 ..= 9.1.
    pub fn is_supported(self) -> bool {
        (Self::FIRST_SUPPORTED..=Self::LAST_SUPPORTED).contains(&self)
    }
}

impl FromStr for Release {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "bad release {}: expected MAJOR.MINOR, each 1-3 ASCII digits",
                super::quoted(s)
            )
        };
        let (major, minor) = s.split_once('.').ok_or_else(bad)?;
        let part = |p: &str| -> Result<u16, String> {
            if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        // Both parts are 1-3 digits, checked above.
        let width = |p: &str| p.len() as u8;
        Ok(Release::new(part(major)?, part(minor)?).spelled(width(major), width(minor)))
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b] = self.width.map(usize::from);
        write!(f, "{:0a$}.{:0b$}", self.major, self.minor)
    }
}

impl Serialize for Release {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Release {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The state of a system's link to the Primary as given in a network (time 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// Connected to the Primary.
    #[default]
    Up,
    /// Not connected; at time 0 this means `lapsed` with no deadline (section 6).
    Down,
}

/// A system's licensing status in a snapshot (section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// R-SE holds.
    Licensed,
    /// R-SE does not hold.
    Unlicensed,
    /// R-PORTAL: a one-X Portal.
    Exempt,
}

/// A system's link state in a snapshot (section 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// The Primary itself.
    Primary,
    /// Link up.
    Connected,
    /// R-GRACE: link down, before the deadline, not restarted.
    Grace,
    /// R-EXPIRY / R-RESTART: link down, grace over.
    Lapsed,
    /// R-PORTAL: a one-X Portal.
    External,
}

/// Why a license is invalid (section 3), in check order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// R-UNSUPPORTED
    UnsupportedKind,
    /// R-SID
    WrongSid,
    /// R-PLACE
    Misplaced,
    /// R-RELEASE
    IncompatibleRelease,
    /// R-DUPLICATE
    DuplicateKey,
    /// R-HOST
    HostUnlicensed,
}

impl Reason {
    /// Every reason, in check order.
    pub const ALL: [Reason; 6] = [
        Reason::UnsupportedKind,
        Reason::WrongSid,
        Reason::Misplaced,
        Reason::IncompatibleRelease,
        Reason::DuplicateKey,
        Reason::HostUnlicensed,
    ];
}

/// `as_str` and `Serialize` from one list of spellings, for the enums of a
/// snapshot; their derived `Deserialize` reads the same names (a test keeps
/// them alike).
macro_rules! json_names {
    ($ty:ident { $( $variant:ident => $name:literal, )* }) => {
        impl $ty {
            /// The JSON spelling.
            pub fn as_str(self) -> &'static str {
                match self { $( $ty::$variant => $name, )* }
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

json_names!(Status {
    Licensed => "licensed",
    Unlicensed => "unlicensed",
    Exempt => "exempt",
});

json_names!(LinkState {
    Primary => "primary",
    Connected => "connected",
    Grace => "grace",
    Lapsed => "lapsed",
    External => "external",
});

json_names!(Reason {
    UnsupportedKind => "unsupported_kind",
    WrongSid => "wrong_sid",
    Misplaced => "misplaced",
    IncompatibleRelease => "incompatible_release",
    DuplicateKey => "duplicate_key",
    HostUnlicensed => "host_unlicensed",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_enums_read_what_they_write() {
        fn round_trip<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
            v: T,
            text: &str,
        ) {
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{text}\""));
            assert_eq!(
                serde_json::from_str::<T>(&format!("\"{text}\"")).unwrap(),
                v
            );
        }
        for v in [Status::Licensed, Status::Unlicensed, Status::Exempt] {
            round_trip(v, v.as_str());
        }
        for v in [
            LinkState::Primary,
            LinkState::Connected,
            LinkState::Grace,
            LinkState::Lapsed,
            LinkState::External,
        ] {
            round_trip(v, v.as_str());
        }
        for v in Reason::ALL {
            round_trip(v, v.as_str());
        }
    }

    #[test]
    fn release_parses_and_compares_as_integer_pair() {
        let r = |s: &str| s.parse::<Release>().unwrap();
        assert_eq!(r("09.01"), r("9.1"));
        assert!(r("9.10") > r("9.1"));
        // The spelling is kept for the wire, and ignored by comparison.
        for s in ["09.01", "009.1", "9.010", "0.0", "00.00", "999.999"] {
            assert_eq!(r(s).to_string(), s);
        }
        assert!(r("09.01").has_leading_zero() && r("00.0").has_leading_zero());
        assert!(!r("9.10").has_leading_zero() && !r("0.0").has_leading_zero());
        assert_eq!(Release::new(9, 1).spelled(2, 3).to_string(), "09.001");
        assert_eq!(Release::new(100, 1).spelled(1, 1).to_string(), "100.1");
        assert!(r("9.1").is_supported());
        assert!(r("6.0").is_supported());
        assert!(!r("9.2").is_supported());
        assert!(!r("5.999").is_supported());
        assert!(!r("10.0").is_supported());
        for bad in [
            "", "9", "9.", ".1", "1000.0", "9.1.0", "+9.1", "9.-1", " 9.1", "٩.1",
        ] {
            assert!(
                bad.parse::<Release>().is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn kinds_round_trip_and_classes_match_section_2() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>().unwrap(), *k);
        }
        assert_eq!(Kind::centralized().count(), 7);
        assert_eq!(
            Kind::ALL
                .iter()
                .filter(|k| k.class() == KindClass::Unsupported)
                .count(),
            14
        );
        assert!("mobilty".parse::<Kind>().is_err());
        assert!("Power_User".parse::<Kind>().is_err());
    }
}
