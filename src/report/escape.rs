//! Escaping for markup: HTML pages and JUnit XML alike. Identifiers may hold
//! any text, markup and control characters included; none reaches a page or a
//! JUnit file as anything but text.

/// `s` as text inside an element or a quoted attribute of HTML or XML: `&`,
/// `<`, `>` and both quotes escaped; a control character other than a newline
/// or a tab (which XML 1.0 cannot carry at all) written visibly as `\u{1b}`.
pub fn markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// `s` for a terminal: a control character other than a newline (an escape
/// sequence, a carriage return) written visibly as `\u{1b}`, so that no
/// identifier can move the cursor, recolour or hide text.
pub fn visible(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_text() {
        assert_eq!(
            markup("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(markup("a\u{1b}[31m\u{0}b\n\t"), "a\\u{1b}[31m\\u{0}b\n\t");
        // A right-to-left mark is text, not a control character: kept.
        assert_eq!(markup("a\u{200f}b"), "a\u{200f}b");
        assert_eq!(visible("a\u{1b}[2Jb\r\n"), "a\\u{1b}[2Jb\\u{d}\n");
    }
}
