//! Text from certificates, servers and file names made safe to print.
//!
//! A subject, a SAN, a server's banner or a file name may hold anything: ESC sequences that
//! clear a terminal or set its title, a carriage return that overwrites `NOT VALID` with
//! `VALID`, a right-to-left override that reverses what is shown, a zero-width space that
//! hides a difference, a newline that forges a monitoring status line. [`escape`] writes
//! every such character as a visible escape. It is the one place that decides which
//! characters are unsafe ([`is_unsafe`]); the CLI's text output and the monitoring plugin's
//! output (`monitor::sanitize`, feature `fetch`) both go through it.
//!
//! ```
//! use chainscope::escape::{escape, escape_with, Notation};
//! assert_eq!(escape("NOT VALID\rVALID"), "NOT VALID\\rVALID");
//! assert_eq!(escape("CN=a\\,b"), "CN=a\\,b");
//! assert_eq!(escape_with("a|b\n", Notation::Braced, |c| c == '|'), "a\\u{7c}b\\u{a}");
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

/// How [`escape_with`] writes an escaped character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notation {
    /// Terminal text: C0 controls and DEL as `\x1b` (with `\t`, `\n`, `\r` by name), every
    /// other escaped character as `\u{9b}`. A backslash is doubled only where it could be
    /// read as the start of an escape (before `\`, `x`, `u`, `t`, `n`, `r`, or before an
    /// escaped character); any other backslash stays single, so the RFC 4514 escapes of a
    /// distinguished name (`CN=a\,b`) read as they always did.
    Terminal,
    /// Line-oriented machine-read output (monitoring plugins): every escaped character,
    /// and every backslash, as `\u{…}` with the code point in hex (`\u{a}`, `\u{5c}`).
    Braced,
}

/// Whether `c` is a character a terminal or a line-oriented reader could act on, or that
/// hides or reorders text, rather than a character it shows: C0 and C1 controls and DEL,
/// the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
/// the line and paragraph separators (U+2028, U+2029), and the invisible characters (soft
/// hyphen U+00AD, U+180E, the zero-width U+200B–U+200D, U+2060–U+2065, BOM U+FEFF).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00ad}' | '\u{061c}' | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}')
}

/// `text` made safe to print on a terminal: every [unsafe](is_unsafe) character written as
/// a visible escape in the [`Notation::Terminal`] form. The result reads back to the exact
/// original. Text without anything to escape is returned borrowed.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_with(text, Notation::Terminal, |_| false)
}

/// `text` with every [unsafe](is_unsafe) character, and every character `also` picks (a
/// format's own separator, such as the plugin protocol's `|`), written as an escape in
/// `notation`. Text without anything to escape is returned borrowed.
pub fn escape_with(text: &str, notation: Notation, also: impl Fn(char) -> bool) -> Cow<'_, str> {
    let escaped = |c: char| is_unsafe(c) || also(c);
    if !text.chars().any(|c| c == '\\' || escaped(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && notation == Notation::Terminal {
            out.push('\\');
            if chars.peek().is_some_and(|&next| {
                matches!(next, '\\' | 'x' | 'u' | 't' | 'n' | 'r') || escaped(next)
            }) {
                out.push('\\');
            }
            continue;
        }
        if c != '\\' && !escaped(c) {
            out.push(c);
            continue;
        }
        let code = u32::from(c);
        let _ = match (notation, c) {
            (Notation::Terminal, '\t') => out.write_str("\\t"),
            (Notation::Terminal, '\n') => out.write_str("\\n"),
            (Notation::Terminal, '\r') => out.write_str("\\r"),
            (Notation::Terminal, _) if code < 0x80 => write!(out, "\\x{code:02x}"),
            _ => write!(out, "\\u{{{code:x}}}"),
        };
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads [`escape`]'s output back: the inverse the escaping must allow.
    fn unescape(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.peek().copied() {
                Some('\\') => {
                    chars.next();
                    out.push('\\');
                }
                Some('t') => {
                    chars.next();
                    out.push('\t');
                }
                Some('n') => {
                    chars.next();
                    out.push('\n');
                }
                Some('r') => {
                    chars.next();
                    out.push('\r');
                }
                Some('x') => {
                    chars.next();
                    let hex: String = chars.by_ref().take(2).collect();
                    out.push(char::from(u8::from_str_radix(&hex, 16).unwrap()));
                }
                Some('u') => {
                    chars.next();
                    assert_eq!(chars.next(), Some('{'));
                    let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                _ => out.push('\\'),
            }
        }
        out
    }

    #[test]
    fn controls_are_shown_as_escapes() {
        assert_eq!(escape("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(escape("NOT VALID\rVALID    "), "NOT VALID\\rVALID    ");
        assert_eq!(escape("\x07\x08\t\n\x7f"), "\\x07\\x08\\t\\n\\x7f");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(escape("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn invisible_characters_are_shown_as_escapes() {
        assert_eq!(escape("exa\u{200b}mple"), "exa\\u{200b}mple");
        assert_eq!(escape("\u{feff}CN=a"), "\\u{feff}CN=a");
        assert_eq!(escape("soft\u{ad}hyphen"), "soft\\u{ad}hyphen");
        assert_eq!(escape("word\u{2060}joiner"), "word\\u{2060}joiner");
    }

    #[test]
    fn plain_text_is_borrowed_and_unchanged() {
        assert!(matches!(
            escape("CN=proxy.hospital.local, é ✔"),
            Cow::Borrowed(_)
        ));
        assert_eq!(escape("CN=a\\,b"), "CN=a\\,b");
        assert!(matches!(
            escape_with("Ünïcødé", Notation::Braced, |c| c == '|'),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn backslashes_that_could_start_an_escape_are_doubled() {
        assert_eq!(escape("\\x1b"), "\\\\x1b");
        assert_eq!(escape("a\\\\b"), "a\\\\\\b");
        assert_eq!(escape("\\\x1b"), "\\\\\\x1b");
        assert_eq!(escape("end\\"), "end\\");
    }

    #[test]
    fn braced_notation_escapes_every_backslash_and_the_chosen_separators() {
        let plugin = |text| escape_with(text, Notation::Braced, |c| c == '|').into_owned();
        assert_eq!(plugin("a|b"), "a\\u{7c}b");
        assert_eq!(plugin("a\nOK"), "a\\u{a}OK");
        assert_eq!(plugin("\u{1b}[31m"), "\\u{1b}[31m");
        assert_eq!(plugin("back\\slash"), "back\\u{5c}slash");
        // The separator is escaped only where asked for.
        assert_eq!(escape_with("a|b", Notation::Braced, |_| false), "a|b");
        assert_eq!(
            escape_with("a|b", Notation::Terminal, |c| c == '|'),
            "a\\x7cb"
        );
    }

    #[test]
    fn every_rendering_reads_back_to_the_original() {
        let alphabet = [
            '\\', 'x', 'u', 't', 'n', 'r', '{', '}', '1', 'b', ',', ' ', '\x1b', '\r', '\n', '\t',
            '\x7f', '\u{85}', '\u{202e}', '\u{200b}', 'é', '|',
        ];
        // Every string of up to four characters from the alphabet.
        let mut cases = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = cases
                .iter()
                .flat_map(|s| alphabet.iter().map(move |&c| format!("{s}{c}")))
                .collect();
            cases.extend(longer);
        }
        for case in cases {
            let shown = escape(&case);
            assert!(!shown.chars().any(is_unsafe), "{case:?} shown as {shown:?}");
            assert_eq!(unescape(&shown), case, "shown as {shown:?}");
            let braced = escape_with(&case, Notation::Braced, |c| c == '|');
            assert!(
                !braced.chars().any(|c| is_unsafe(c) || c == '|'),
                "{case:?} braced as {braced:?}"
            );
            assert_eq!(unescape(&braced), case, "braced as {braced:?}");
        }
    }
}
