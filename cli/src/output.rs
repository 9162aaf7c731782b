//! Shared rendering helpers: the output context, colour, error formatting.

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

/// Text from a certificate, a server or a file name, made safe to print on a terminal: the
/// library's one escaping function, [`chainscope::escape::escape`].
pub use chainscope::escape::escape as term;

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

    // What is escaped and how is tested with the library's `escape`.

    #[test]
    fn term_wrapper_pads_the_escaped_text() {
        assert_eq!(format!("[{:<6}]", Term("a\x1b")), "[a\\x1b ]");
    }
}
