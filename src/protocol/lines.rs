//! Reading protocol lines with a cap on their length, so that a runaway peer
//! cannot exhaust memory: used by `selc serve` and by the client adapter.

use std::io::{self, BufRead};

/// Lines longer than this are answered with `bad_request` and not parsed.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Read one line of at most `cap` bytes into `buf` (without the newline).
/// Returns `None` at end of input, `Some(true)` when the line was longer than `cap`
/// (the rest of it is consumed and dropped).
pub fn read_line_capped<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(read_any.then_some(too_long));
        }
        read_any = true;
        // memchr: lines are kilobytes long, and every answer and request is scanned.
        let (part, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        if !too_long {
            if buf.len() + part.len() > cap {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = done.unwrap_or(chunk.len());
        r.consume(used);
        if done.is_some() {
            return Ok(Some(too_long));
        }
    }
}

/// The first 200 characters of a line, for messages.
pub fn preview(line: &str) -> String {
    let mut p: String = line.chars().take(200).collect();
    if p.len() < line.len() {
        p.push_str(&format!("… ({} bytes)", line.len()));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reader_drops_long_lines_and_keeps_going() {
        let input = b"aaaaaaaaaa\nbb\nccc";
        let mut r = io::BufReader::with_capacity(3, &input[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_capped(&mut r, &mut buf, 5).unwrap(), Some(true));
        assert_eq!(read_line_capped(&mut r, &mut buf, 5).unwrap(), Some(false));
        assert_eq!(buf, b"bb");
        assert_eq!(read_line_capped(&mut r, &mut buf, 5).unwrap(), Some(false));
        assert_eq!(buf, b"ccc");
        assert_eq!(read_line_capped(&mut r, &mut buf, 5).unwrap(), None);
    }
}
