//! The canonical form of a snapshot answer, written by hand: what
//! `serde_json::to_writer` writes for `{"ok":true,"snapshot":...}`, byte for
//! byte (a test holds it to that over every golden scenario and random cases),
//! in a third of the time. `selc serve` writes every answer with it, and the
//! verifier writes the reference's expected answers with it
//! ([`crate::verify::plan`]), so both sides of the protocol path pay less for
//! the same bytes.

use crate::model::snapshot::{Counts, Snapshot, SystemSnapshot};

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
