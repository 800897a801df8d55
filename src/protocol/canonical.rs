//! The canonical form of a snapshot answer, written by hand: what
//! `serde_json::to_writer` writes for `{"ok":true,"snapshot":...}`, byte for
//! byte (a test holds it to that over every golden scenario and random cases),
//! in a third of the time. `selc serve` writes every answer with it, and the
//! verifier writes the reference's expected answers with it
//! ([`crate::verify::plan`]), so both sides of the protocol path pay less for
//! the same bytes.
//!
//! The `load` and `apply` requests of generated cases are written here too,
//! from the typed network and events, as `Request::to_line` writes them from
//! JSON values (keys in sorted order, as `serde_json::Value` keeps them): the
//! cases of `selc verify` are then never built as JSON values unless one fails.

use crate::model::snapshot::{Counts, Snapshot, SystemSnapshot};
use crate::model::{Event, License, NetworkInput};

/// `{"op":"load","network":...}` (no newline), the keys of the network's
/// objects in sorted order: the line `Request::Load(&value).to_line()` gives
/// for the network's JSON value.
pub fn load_line(network: &NetworkInput) -> String {
    let mut out = Vec::with_capacity(256 * network.systems.len() + 32);
    out.extend_from_slice(b"{\"op\":\"load\",\"network\":{\"systems\":[");
    for (i, s) in network.systems.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut o = Object::new(&mut out);
        if let Some(licenses) = &s.licenses {
            o.key("licenses");
            o.out.push(b'[');
            for (j, l) in licenses.iter().enumerate() {
                if j > 0 {
                    o.out.push(b',');
                }
                license(o.out, l);
            }
            o.out.push(b']');
        }
        if let Some(link) = s.link {
            o.key("link");
            string(
                o.out,
                if link == crate::model::Link::Down {
                    "down"
                } else {
                    "up"
                },
            );
        }
        o.key("name");
        string(o.out, &s.name);
        if let Some(needs) = &s.needs {
            // Kinds in the order of their spelling, as a JSON object keeps them.
            let mut sorted: Vec<_> = needs.iter().map(|(k, n)| (k.as_str(), *n)).collect();
            sorted.sort_unstable();
            o.key("needs");
            let mut n = Object::new(o.out);
            for (k, c) in sorted {
                n.key(k);
                number(n.out, u64::from(c));
            }
            n.end();
        }
        if let Some(r) = s.release {
            o.key("release");
            string(o.out, &r.to_string());
        }
        o.key("role");
        string(o.out, s.role.as_str());
        if let Some(sid) = &s.sid {
            o.key("sid");
            string(o.out, sid);
        }
        if let Some(v) = s.voicemail_pro {
            o.key("voicemail_pro");
            o.out.extend_from_slice(if v { b"true" } else { b"false" });
        }
        o.end();
    }
    out.extend_from_slice(b"]}}");
    into_string(out)
}

/// `{"op":"apply","event":...}` (no newline), the event's keys sorted: the
/// line `Request::Apply(&value).to_line()` gives for the event's JSON value.
pub fn apply_line(event: &Event) -> String {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(b"{\"op\":\"apply\",\"event\":{");
    string(&mut out, event.name());
    out.push(b':');
    let mut o = Object::new(&mut out);
    match event {
        Event::Advance { seconds } => {
            o.key("seconds");
            number(o.out, *seconds);
        }
        Event::LinkDown { system } | Event::LinkUp { system } | Event::Restart { system } => {
            o.key("system");
            string(o.out, system);
        }
        Event::Upgrade { system, release } => {
            o.key("release");
            string(o.out, &release.to_string());
            o.key("system");
            string(o.out, system);
        }
        Event::SetNeed {
            system,
            kind,
            count,
        } => {
            o.key("count");
            number(o.out, u64::from(*count));
            o.key("kind");
            string(o.out, kind.as_str());
            o.key("system");
            string(o.out, system);
        }
        Event::AddLicense { system, license: l } => {
            o.key("license");
            license(o.out, l);
            o.key("system");
            string(o.out, system);
        }
        Event::RemoveLicense { system, key } => {
            o.key("key");
            string(o.out, key);
            o.key("system");
            string(o.out, system);
        }
    }
    o.end();
    out.extend_from_slice(b"}}");
    into_string(out)
}

fn license(out: &mut Vec<u8>, l: &License) {
    let mut o = Object::new(out);
    o.key("count");
    number(o.out, u64::from(l.count));
    o.key("key");
    string(o.out, &l.key);
    o.key("kind");
    string(o.out, l.kind.as_str());
    o.key("sid");
    string(o.out, &l.sid);
    o.end();
}

/// A JSON object being written: a comma before every key but the first.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Object<'a> {
    fn new(out: &'a mut Vec<u8>) -> Object<'a> {
        out.push(b'{');
        Object { out, first: true }
    }

    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        string(self.out, k);
        self.out.push(b':');
    }

    fn end(self) {
        self.out.push(b'}');
    }
}

fn into_string(out: Vec<u8>) -> String {
    // Only `&str`s and ASCII were written.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Append `{"ok":true,"snapshot":...}` (no newline) to `out`.
pub fn write_answer(out: &mut Vec<u8>, s: &Snapshot) {
    out.extend_from_slice(b"{\"ok\":true,\"snapshot\":{\"now\":");
    number(out, s.now);
    out.extend_from_slice(b",\"pool\":");
    counts(out, &s.pool);
    out.extend_from_slice(b",\"systems\":[");
    for (i, sys) in s.systems.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        system(out, sys);
    }
    out.extend_from_slice(b"],\"diagnostics\":[");
    for (i, d) in s.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"system\":");
        string(out, &d.system);
        out.extend_from_slice(b",\"key\":");
        string(out, &d.key);
        out.extend_from_slice(b",\"reason\":\"");
        out.extend_from_slice(d.reason.as_str().as_bytes());
        out.extend_from_slice(b"\"}");
    }
    out.extend_from_slice(b"]}}");
}

fn system(out: &mut Vec<u8>, s: &SystemSnapshot) {
    out.extend_from_slice(b"{\"name\":");
    string(out, &s.name);
    out.extend_from_slice(b",\"status\":\"");
    out.extend_from_slice(s.status.as_str().as_bytes());
    out.extend_from_slice(b"\",\"link\":\"");
    out.extend_from_slice(s.link.as_str().as_bytes());
    out.extend_from_slice(b"\",\"deadline\":");
    match s.deadline {
        Some(d) => number(out, d),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"in_effect\":");
    counts(out, &s.in_effect);
    out.extend_from_slice(b",\"reserved\":");
    counts(out, &s.reserved);
    out.extend_from_slice(b",\"voicemail\":");
    match s.voicemail {
        Some(v) => {
            out.extend_from_slice(if v.running {
                b"{\"running\":true,\"channels\":"
            } else {
                b"{\"running\":false,\"channels\":"
            });
            number(out, v.channels);
            out.push(b'}');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(if s.voice_networking {
        b",\"voice_networking\":true}"
    } else {
        b",\"voice_networking\":false}"
    });
}

fn counts(out: &mut Vec<u8>, c: &Counts) {
    out.push(b'{');
    for (i, (k, n)) in c.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(k.as_str().as_bytes());
        out.extend_from_slice(b"\":");
        number(out, n);
    }
    out.push(b'}');
}

fn number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A JSON string as serde_json writes it: raw unless a byte needs escaping
/// (a quote, a backslash, a control character), then serde_json's own escaping.
fn string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_need_escaping_are_escaped_as_serde_json_does() {
        for name in [
            "plain",
            "quo\"te",
            "back\\slash",
            "tab\there",
            "ünï",
            "\u{7f}",
            "",
        ] {
            let mut ours = Vec::new();
            string(&mut ours, name);
            assert_eq!(ours, serde_json::to_vec(name).unwrap(), "{name:?}");
        }
    }
}
