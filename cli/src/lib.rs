//! The `chainscope` command line: argument parsing and rendering only; all logic lives in
//! the `chainscope` library.
//!
//! [`run`] is what the binary calls; [`run_with`] runs the same command line against given
//! writers, which is how the tests drive it in-process.

// Doc comments here double as `--help` text, where `HOST[:PORT]` is the usual notation,
// not an intra-doc link.
#![allow(rustdoc::broken_intra_doc_links)]

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use clap::{Parser, Subcommand, ValueEnum};

pub mod cmd;
pub mod hints;
pub mod output;

pub use output::Ctx;

/// Exit code: success (decoded; chain valid; no check failed).
pub const EXIT_OK: i32 = 0;
/// Exit code: the chain is not valid / a check failed.
pub const EXIT_INVALID: i32 = 1;
/// Exit code: input or usage error.
pub const EXIT_ERROR: i32 = 2;

/// TLS certificate chains: show, verify, fetch, mint, preflight.
#[derive(Debug, Parser)]
#[command(name = "chainscope", version, about, long_about = None)]
pub struct Cli {
    /// When to colour the output: auto (a TTY, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode certificates and CSRs and show how the chain fits together.
    #[command(after_help = cmd::show::AFTER_HELP)]
    Show(cmd::show::ShowArgs),
    /// Build and verify the path to a trusted root, and explain every failure.
    #[command(after_help = cmd::verify::AFTER_HELP)]
    Verify(Box<cmd::verify::VerifyArgs>),
    /// Capture the chain a server presents (TLS and STARTTLS).
    #[command(after_help = cmd::fetch::AFTER_HELP)]
    Fetch(cmd::fetch::FetchArgs),
    /// Mint a private CA, intermediates, leaves, self-signed certificates; sign CSRs.
    #[command(subcommand, after_help = cmd::mint::AFTER_HELP)]
    Mint(cmd::mint::MintCommand),
    /// Check a proxy's certificate files (and the live server) before go-live.
    #[command(after_help = cmd::preflight::AFTER_HELP)]
    Preflight(Box<cmd::preflight::PreflightArgs>),
    /// Monitoring plugin (Nagios, Icinga): OK, WARNING, CRITICAL or UNKNOWN for servers and files.
    #[command(after_help = cmd::check::AFTER_HELP)]
    Check(Box<cmd::check::CheckArgs>),
    /// Prometheus exporter: /probe?target=…&module=… answers with each certificate's expiry.
    #[command(after_help = cmd::exporter::AFTER_HELP)]
    Exporter(Box<cmd::exporter::ExporterArgs>),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = cmd::completions::AFTER_HELP)]
    Completions(cmd::completions::CompletionsArgs),
    /// Print the manual page (roff), covering every subcommand.
    #[command(after_help = cmd::man::AFTER_HELP)]
    Man(cmd::man::ManArgs),
}

/// Runs the command line of this process against stdout/stderr and returns the exit code.
pub fn run() -> i32 {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut err = std::io::stderr();
    if tty {
        // Line by line, so a person sees progress as it happens.
        run_inner(std::env::args_os(), &mut stdout.lock(), &mut err, tty)
    } else {
        // Into a pipe or file: block-buffered. A line-buffered stdout costs one write(2)
        // per line, which dominated `show --json` on large bundles. Every exit path of
        // `run_inner` flushes.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        run_inner(std::env::args_os(), &mut out, &mut err, tty)
    }
}

/// Runs a command line (the first item is the program name) against the given writers,
/// without colour unless `--color always`. Returns the exit code.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_inner(args, out, err, false)
}

fn run_inner<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write, tty: bool) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let code = match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => EXIT_OK,
                _ => EXIT_ERROR,
            };
            let text = e.render().to_string();
            if code != EXIT_OK && subcommand_of(&args) == Some("check") {
                // The plugin protocol: a usage error is UNKNOWN (exit 3), said on stdout.
                let _ = err.write_all(text.as_bytes());
                let mut out = output::CheckedWriter::new(out);
                let _ = writeln!(out, "{}", cmd::check::usage_error_line(&text));
                return finish(out, err, Ok(cmd::check::EXIT_UNKNOWN), true);
            }
            if code != EXIT_OK {
                let _ = err.write_all(text.as_bytes());
                return code;
            }
            let mut out = output::CheckedWriter::new(out);
            let _ = out.write_all(text.as_bytes());
            return finish(out, err, Ok(code), false);
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let mut out = output::CheckedWriter::new(out);
    let mut ctx = Ctx::new(&mut out, err, color);
    let result = run_command(&cli.command, &mut ctx);
    let plugin = matches!(cli.command, Command::Check(_));
    finish(out, err, result, plugin)
}

fn run_command(command: &Command, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    match command {
        Command::Show(args) => cmd::show::run(args, ctx),
        Command::Verify(args) => cmd::verify::run(args, ctx),
        Command::Fetch(args) => cmd::fetch::run(args, ctx),
        Command::Mint(args) => cmd::mint::run(args, ctx),
        Command::Preflight(args) => cmd::preflight::run(args, ctx),
        Command::Check(args) => cmd::check::run(args, ctx),
        Command::Exporter(args) => cmd::exporter::run(args, ctx),
        Command::Completions(args) => cmd::completions::run(args, ctx),
        Command::Man(args) => cmd::man::run(args, ctx),
    }
}

/// Flushes standard output and turns the subcommand's result into the exit code, with one
/// line on standard error for an error. `plugin` (`chainscope check`): an error is UNKNOWN
/// (exit 3), as the plugin protocol wants, instead of 2.
fn finish(
    out: output::CheckedWriter<'_>,
    err: &mut dyn Write,
    result: anyhow::Result<i32>,
    plugin: bool,
) -> i32 {
    let error_code = if plugin {
        cmd::check::EXIT_UNKNOWN
    } else {
        EXIT_ERROR
    };
    // A failed write or flush of standard output is an error of its own, whatever the
    // subcommand returned; a closed pipe (`| head`) ends quietly. Not for the plugin: its
    // exit code is the status, and output nobody read is UNKNOWN, never OK.
    match out.finish() {
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe && !plugin => return EXIT_OK,
        Some(e) => {
            let _ = writeln!(err, "chainscope: standard output: {e}");
            return error_code;
        }
        None => {}
    }
    match result {
        Ok(code) => code,
        Err(e) if output::is_broken_pipe(&e) && !plugin => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "chainscope: {}", output::term(&output::one_line(&e)));
            error_code
        }
    }
}

/// The subcommand a command line names (its first word that is not an option), if any.
fn subcommand_of(args: &[OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        if word == "--color" {
            words.next();
        } else if !word.starts_with('-') {
            return Some(word);
        }
    }
    None
}
