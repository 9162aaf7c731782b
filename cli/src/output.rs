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
pub fn one_line(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
    }
    text.replace('\n', " ")
}
