//! Shared rendering helpers: the output context, colour, error formatting.

use std::borrow::Cow;
use std::io::Write;

/// What a subcommand writes to, and whether it may use colour.
pub struct Ctx<'a> {
    /// Standard output (or the test's buffer).
    pub out: &'a mut dyn Write,
    /// Standard error (or the test's buffer).
    pub err: &'a mut dyn Write,
    /// Whether ANSI colour is wanted.
    pub color: bool,
}

/// Colours used in the text output.
#[derive(Debug, Clone, Copy)]
pub enum Paint {
    /// Good news.
    Green,
    /// Warnings.
    Yellow,
    /// Failures.
    Red,
    /// Headings.
    Bold,
    /// Secondary detail.
    Dim,
}

impl<'a> Ctx<'a> {
    /// A context over the given writers.
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write, color: bool) -> Self {
        Ctx { out, err, color }
    }

    /// `text` wrapped in the ANSI codes for `paint` when colour is on.
    pub fn paint(&self, text: impl std::fmt::Display, paint: Paint) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match paint {
            Paint::Green => "32",
            Paint::Yellow => "33",
            Paint::Red => "31",
            Paint::Bold => "1",
            Paint::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// Writes one JSON document followed by a newline.
    pub fn json(&mut self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        serde_json::to_writer_pretty(&mut *self.out, value)?;
        writeln!(self.out)?;
        Ok(())
    }

    /// Writes one JSON value on one line (JSON Lines).
    pub fn json_line(&mut self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        serde_json::to_writer(&mut *self.out, value)?;
        writeln!(self.out)?;
        self.out.flush()?;
        Ok(())
    }
}

/// Standard output as the subcommands see it: remembers the first write or flush error,
/// so a failed write is reported as what it is (`standard output: no space left on
/// device`) whatever the subcommand made of it, and never passes unnoticed.
pub struct CheckedWriter<'a> {
    inner: &'a mut dyn Write,
    error: Option<std::io::Error>,
}

impl<'a> CheckedWriter<'a> {
    /// Wraps a writer.
    pub fn new(inner: &'a mut dyn Write) -> Self {
        CheckedWriter { inner, error: None }
    }

    /// Flushes, then returns the first error any write or flush returned.
    pub fn finish(mut self) -> Option<std::io::Error> {
        let _ = self.flush();
        self.error
    }

    fn record<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result {
            if self.error.is_none() {
                self.error = Some(std::io::Error::new(e.kind(), io_text(e)));
            }
        }
        result
    }
}

impl Write for CheckedWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let result = self.inner.write(buf);
        self.record(result)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let result = self.inner.write_all(buf);
        self.record(result)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let result = self.inner.flush();
        self.record(result)
    }
}

/// An I/O error in words, without the `(os error 28)` Rust appends: `no space left on
/// device`.
pub fn io_text(e: &std::io::Error) -> String {
    chainscope::io_error_text(e)
}

/// An error about the input given to `flag`, naming both: `--roots /x/ca.pem: no such file
/// or directory`. The library's messages start with the input's name; one that does not
/// gets it in front.
pub fn for_flag(flag: &str, value: &str, e: impl Into<anyhow::Error>) -> anyhow::Error {
    let e = e.into();
    let text = one_line(&e);
    if starts_with_input(&text, value) {
        anyhow::anyhow!("{flag} {text}")
    } else {
        anyhow::anyhow!("{flag} {value}: {text}")
    }
}

/// [`for_flag`] for an error from a call that read several inputs (`--cert`, `--key` and
/// `--roots` of preflight): the flag whose value the message starts with is named (the
/// longest such value); an error about none of them is returned unchanged.
pub fn for_flags(e: anyhow::Error, inputs: &[(&str, String)]) -> anyhow::Error {
    let text = one_line(&e);
    let best = inputs
        .iter()
        .filter(|(_, value)| !value.is_empty() && starts_with_input(&text, value))
        .max_by_key(|(_, value)| value.len());
    match best {
        Some((flag, _)) => anyhow::anyhow!("{flag} {text}"),
        None => e,
    }
}

/// Whether a message is about `input` or a file inside it (`DIR/key.pem: …`).
fn starts_with_input(text: &str, input: &str) -> bool {
    text.strip_prefix(input)
        .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('/'))
}

/// Whether an error is a closed output pipe (`chainscope show … | head`): such runs end quietly.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|j| j.io_error_kind())
                .is_some_and(|k| k == std::io::ErrorKind::BrokenPipe)
    })
}

/// An error and its causes on one line, without repeating a cause already in the message.
///
/// A library error about a parameter is said with this command line's flag
/// ([`crate::hints::error_text`]).
pub fn one_line(e: &anyhow::Error) -> String {
    let mut chain = e.chain();
    let mut text = chain
        .next()
        .and_then(crate::hints::error_text)
        .unwrap_or_else(|| e.to_string());
    for cause in chain {
        let c = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_text(io),
            None => crate::hints::error_text(cause).unwrap_or_else(|| cause.to_string()),
        };
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
    }
    text.replace('\n', " ")
}

/// Text from a certificate, a server or a file name, made safe to print on a terminal.
///
/// Every character a terminal could act on instead of showing is written as a visible
/// escape: C0 controls and DEL as `\x1b` (with `\t`, `\n`, `\r` by name), C1 controls as
/// `\u{9b}`, and the bidirectional controls that reorder what is shown (U+061C, U+200E,
/// U+200F, U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators as
/// `\u{202e}`. So ESC sequences, OSC titles and links, CR overwrites and right-to-left
/// overrides all show as text.
///
/// The rendering is unambiguous: a backslash is doubled whenever it could be read as the
/// start of an escape (before `\`, `x`, `u`, `t`, `n`, `r`, or before a character that is
/// itself escaped). Any other backslash stays single, so the RFC 4514 escapes of a
/// distinguished name (`CN=a\,b`) read as they always did. Text without anything to escape
/// is returned borrowed.
pub fn term(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\\' || needs_escape(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.push('\\');
            if chars.peek().is_some_and(|&next| {
                matches!(next, '\\' | 'x' | 'u' | 't' | 'n' | 'r') || needs_escape(next)
            }) {
                out.push('\\');
            }
            continue;
        }
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        use std::fmt::Write as _;
        let _ = match c {
            '\t' => out.write_str("\\t"),
            '\n' => out.write_str("\\n"),
            '\r' => out.write_str("\\r"),
            c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
    Cow::Owned(out)
}

/// Whether [`term`] writes `c` as an escape.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Displays a value through [`term`]: `Term(&info.subject)` in a `format!`. Width and
/// alignment (`{:<12}`) apply to the escaped text.
#[derive(Debug, Clone, Copy)]
pub struct Term<T>(pub T);

impl<T: std::fmt::Display> std::fmt::Display for Term<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0.to_string();
        f.pad(&term(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads [`term`]'s output back: the inverse the escaping must allow.
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
        assert_eq!(term("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(term("NOT VALID\rVALID    "), "NOT VALID\\rVALID    ");
        assert_eq!(term("\x07\x08\t\n\x7f"), "\\x07\\x08\\t\\n\\x7f");
        assert_eq!(term("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(term("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(term("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
    }

    #[test]
    fn plain_text_is_borrowed_and_unchanged() {
        assert!(matches!(
            term("CN=proxy.hospital.local, é ✔"),
            Cow::Borrowed(_)
        ));
        assert_eq!(term("CN=a\\,b"), "CN=a\\,b");
    }

    #[test]
    fn backslashes_that_could_start_an_escape_are_doubled() {
        assert_eq!(term("\\x1b"), "\\\\x1b");
        assert_eq!(term("a\\\\b"), "a\\\\\\b");
        assert_eq!(term("\\\x1b"), "\\\\\\x1b");
        assert_eq!(term("end\\"), "end\\");
    }

    #[test]
    fn every_rendering_reads_back_to_the_original() {
        let alphabet = [
            '\\', 'x', 'u', 't', 'n', 'r', '{', '}', '1', 'b', ',', ' ', '\x1b', '\r', '\n', '\t',
            '\x7f', '\u{85}', '\u{202e}', 'é',
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
            let shown = term(&case);
            assert!(
                !shown.chars().any(needs_escape),
                "{case:?} shown as {shown:?}"
            );
            assert_eq!(unescape(&shown), case, "shown as {shown:?}");
        }
    }

    #[test]
    fn term_wrapper_pads_the_escaped_text() {
        assert_eq!(format!("[{:<6}]", Term("a\x1b")), "[a\\x1b ]");
    }
}
