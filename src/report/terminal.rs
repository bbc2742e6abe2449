//! Text for a terminal: control characters and escape sequences made visible.
//!
//! Documents and ids are untrusted: an `ESC ] 52` sequence in a document would write
//! the clipboard, `ESC [ 2J` would clear the screen, a stray U+0019 misaligns a table.
//! Every terminal output of reprint (the `diff` view, the `pairs`, `clusters` and
//! `sources` tables, and messages on stderr that echo ids or paths) passes text through
//! [`terminal_safe`], which shows such characters as visible escapes:
//!
//! | character | shown as |
//! |---|---|
//! | ESC (U+001B) | `\e` |
//! | tab, line feed, carriage return | `\t`, `\n`, `\r` |
//! | other C0 controls (U+0000 to U+001F) and DEL (U+007F) | `\xNN`, e.g. `\x07`, `\x19` |
//! | C1 controls (U+0080 to U+009F) | `\u{NN}`, e.g. `\u{9b}` |
//! | bidirectional overrides and isolates (U+202A to U+202E, U+2066 to U+2069), line and paragraph separators (U+2028, U+2029) | `\u{NNNN}` |
//!
//! Everything else, including backslashes, is shown as it is: the escapes are for
//! reading, not for parsing back (the JSON, JSON Lines, CSV and TSV outputs carry the
//! exact text). In the body of a `diff`, line breaks end lines, and tabs and the other
//! white-space controls (CR, VT, FF, NEL, U+2028, U+2029) are white space between words,
//! shown as one space each ([`layout_space`]); they are escaped only inside ids.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown as an escape by [`terminal_safe`].
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character and terminal escape sequence shown as a visible
/// escape (see the module docs); borrowed when there is none, which is the common case.
///
/// ```
/// use reprint::report::terminal_safe;
/// assert_eq!(terminal_safe("plain text"), "plain text");
/// assert_eq!(terminal_safe("\x1b]52;c;cHduZWQ=\x07"), "\\e]52;c;cHduZWQ=\\x07");
/// assert_eq!(terminal_safe("a\tb\x19c\u{9b}"), "a\\tb\\x19c\\u{9b}");
/// ```
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(needs_escape) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\x1b' => out.push_str("\\e"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x20 || c == '\x7f' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// A run of white space laid out in a terminal column: control white space (tab, CR,
/// VT, FF, NEL) and the line and paragraph separators become one space each. The
/// caller splits lines at `\n` first.
pub fn layout_space(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if needs_escape(c) { ' ' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_raw_remains() {
        let hostile = "\x1b]52;c;cHduZWQ=\x07 \x1b[2J \u{19} \u{9b}31m \u{202e}abc \x7f\0";
        let safe = terminal_safe(hostile);
        assert!(!safe.chars().any(needs_escape), "{safe:?}");
        assert_eq!(
            safe,
            "\\e]52;c;cHduZWQ=\\x07 \\e[2J \\x19 \\u{9b}31m \\u{202e}abc \\x7f\\x00"
        );
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            terminal_safe("héllo wörld — ok"),
            Cow::Borrowed(_)
        ));
        assert_eq!(layout_space(" \t\r\u{2028} "), "     ");
    }
}
