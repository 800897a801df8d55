//! Digests that bind a verdict to what made it: the model and rules it was
//! judged by, the rule catalogue, a report's files, the lines exchanged with
//! an implementation. SHA-256, written as 64 lowercase hex digits.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

include!(concat!(env!("OUT_DIR"), "/judge_sources.rs"));

/// SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// 32 bytes in lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The digest of the model: of the sources of the reference model, the rule
/// catalogue and the checkers (src/model, src/rules, src/check), each path
/// and text in order. Any change to how a case is judged changes it; so does
/// a change to a comment there, which is the price of a digest that needs no
/// judgement of what a change means.
pub fn model() -> &'static str {
    static MODEL: OnceLock<String> = OnceLock::new();
    MODEL.get_or_init(|| {
        let mut h = Sha256::new();
        for (path, text) in JUDGE_SOURCES {
            for part in [path.as_bytes(), text.as_bytes()] {
                h.update((part.len() as u64).to_le_bytes());
                h.update(part);
            }
        }
        hex(&h.finalize())
    })
}

/// The digest of the rule catalogue as `selc rules --format json` prints it
/// (IDs, statements, sources): what a claim's rules say, apart from how the
/// model implements them.
pub fn catalogue() -> &'static str {
    static CATALOGUE: OnceLock<String> = OnceLock::new();
    CATALOGUE.get_or_init(|| sha256_hex(crate::rules::to_json().as_bytes()))
}

/// A running digest of the lines exchanged in one case: each request line
/// and each answer, in order, each prefixed with its length and direction.
#[derive(Clone, Debug, Default)]
pub struct Exchange(Sha256);

impl Exchange {
    /// A request line as sent.
    pub fn request(&mut self, line: &[u8]) {
        self.part(b'>', line);
    }

    /// An answer line (in canonical form).
    pub fn answer(&mut self, line: &[u8]) {
        self.part(b'<', line);
    }

    fn part(&mut self, dir: u8, line: &[u8]) {
        self.0.update([dir]);
        self.0.update((line.len() as u64).to_le_bytes());
        self.0.update(line);
    }

    /// The digest so far.
    pub fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

/// The digest of a run's exchanges: of each case's exchange digest in case
/// order (`(case, digest)` sorted by case), so that the same cases answered
/// the same way give the same digest whatever `--jobs` dealt them to.
pub fn of_cases(mut cases: Vec<(String, [u8; 32])>) -> String {
    cases.sort();
    let mut h = Sha256::new();
    for (case, d) in &cases {
        h.update((case.len() as u64).to_le_bytes());
        h.update(case.as_bytes());
        h.update(d);
    }
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_model_digest_covers_the_judge() {
        assert_eq!(model().len(), 64);
        let paths: Vec<&str> = JUDGE_SOURCES.iter().map(|(p, _)| *p).collect();
        for must in [
            "src/model/mod.rs",
            "src/rules/catalogue.rs",
            "src/check/mod.rs",
        ] {
            assert!(paths.contains(&must), "{must} not in {paths:?}");
        }
    }

    #[test]
    fn an_exchange_digest_depends_on_every_line_and_its_direction() {
        let d = |parts: &[(bool, &str)]| {
            let mut e = Exchange::default();
            for (req, l) in parts {
                if *req {
                    e.request(l.as_bytes())
                } else {
                    e.answer(l.as_bytes())
                }
            }
            e.finish()
        };
        let base = d(&[(true, "a"), (false, "b")]);
        assert_eq!(base, d(&[(true, "a"), (false, "b")]));
        assert_ne!(base, d(&[(false, "a"), (true, "b")]));
        assert_ne!(base, d(&[(true, "ab")]));
        assert_ne!(base, d(&[(true, "a"), (false, "c")]));
    }
}
