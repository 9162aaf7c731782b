//! The library's [`Hint`]s as this command line's flags: the one place that knows which
//! flag stands for which parameter.
//!
//! The library's fixes and errors name parameters and concepts ("add it to the trust
//! anchors", `host: …`); a hint says which input they are about. Here a hint becomes the
//! flag a user of `chainscope` types: fixes get it appended (`… (--roots FILE)`), in text
//! and in `--json` alike, and errors about a parameter name its flag (`--host: …`).

use std::error::Error as StdError;

use chainscope::fetch::ErrorRecord;
use chainscope::{FetchError, Hint, MintError, PreflightReport, VerifyReport};

/// How this command line spells a hint: the flag (`--roots`), and the advice appended to a
/// fix or an error that names it (`--roots FILE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rendered {
    /// The flag, as `--help` lists it.
    pub flag: &'static str,
    /// What to type: the flag with its argument, or the command that does it.
    pub advice: &'static str,
}

/// The flag and advice for `hint`; `None` only for a hint this build does not know, which
/// the test over [`Hint::ALL`] rules out (`Hint` is `#[non_exhaustive]`, so the compiler
/// cannot).
pub fn render(hint: Hint) -> Option<Rendered> {
    let (flag, advice) = match hint {
        Hint::Roots => ("--roots", "--roots FILE"),
        Hint::Untrusted => ("--untrusted", "--untrusted FILE, or --aia"),
        Hint::Host => ("--host", "--host NAME"),
        Hint::At => ("--at", "--at TIME"),
        Hint::Purpose => ("--purpose", "--purpose"),
        Hint::MaxDepth => ("--max-depth", "--max-depth N"),
        Hint::Crl => ("--crl", "--crl FILE"),
        Hint::Profile => ("--profile", "--profile"),
        Hint::Cert => ("--cert", "--cert FILE"),
        Hint::Key => ("--key", "--key FILE"),
        Hint::Connect => ("--connect", "--connect HOST[:PORT]"),
        Hint::CheckKey => ("--key", "chainscope preflight --cert … --key …"),
        Hint::Sni => ("--sni", "--sni NAME"),
        Hint::ConnectTo => ("--connect-to", "--connect-to HOST[:PORT]"),
        Hint::MinTls => ("--min-tls", "--min-tls VERSION"),
        Hint::MaxTls => ("--max-tls", "--max-tls VERSION"),
        Hint::Timeout => ("--timeout", "--timeout DURATION"),
        Hint::ConnectTimeout => ("--connect-timeout", "--connect-timeout DURATION"),
        Hint::HandshakeTimeout => ("--handshake-timeout", "--handshake-timeout DURATION"),
        Hint::Proxy => ("--proxy", "--proxy URL"),
        Hint::Starttls => ("--starttls", "--starttls PROTOCOL"),
        Hint::Force => ("--force", "pass --force"),
        Hint::Names => ("--dns", "--dns, --ip, --email or --uri"),
        Hint::Out => ("--out", "--out DIR/NAME"),
        Hint::Ca => ("--ca", "--ca DIR, or --ca-cert FILE --ca-key FILE"),
        Hint::PathLen => ("--path-len", "--path-len N"),
        Hint::ReuseKey => ("--reuse-key", "pass --reuse-key"),
        Hint::EncryptKey => ("--encrypt-key", "--encrypt-key"),
        Hint::Days => ("--days", "--days N"),
        Hint::NotBefore => ("--not-before", "--not-before TIME"),
        Hint::NameConstraints => (
            "--permit-dns",
            "--permit-dns, --permit-ip, --exclude-dns or --exclude-ip",
        ),
        Hint::MintLeaf => ("--ca", "chainscope mint leaf"),
        Hint::MintLeafNames => ("--dns", "chainscope mint leaf --dns NAME --ip ADDR"),
        Hint::MintLeafServer => ("--server", "chainscope mint leaf --server"),
        Hint::MintLeafKeyType => ("--key-type", "chainscope mint leaf --key-type ecdsa-p256"),
        Hint::MintLeafDays => ("--days", "chainscope mint leaf --days N"),
        _ => return None,
    };
    Some(Rendered { flag, advice })
}

/// A fix as this command line prints it: the library's words, then the flag to use.
pub fn fix_text(fix: &str, hint: Option<Hint>) -> String {
    match hint.and_then(render) {
        Some(r) => format!("{fix} ({})", r.advice),
        None => fix.to_owned(),
    }
}

/// Renders the hints of a verification report into its fixes (text and JSON alike).
pub fn apply_to_report(report: &mut VerifyReport) {
    for finding in &mut report.findings {
        if let Some(fix) = &finding.fix {
            finding.fix = Some(fix_text(fix, finding.hint));
        }
    }
}

/// Renders the hints of a preflight checklist into its fixes (text and JSON alike).
pub fn apply_to_checks(report: &mut PreflightReport) {
    for check in &mut report.checks {
        if let Some(fix) = &check.fix {
            check.fix = Some(fix_text(fix, check.hint));
        }
    }
}

/// A library message about the input `hint` names, as this command line says it: a
/// message that starts with the parameter (`host: …`) or quotes it with its value
/// (`(handshake_timeout 5s)`) gets the flag instead (`--host: …`, `(--handshake-timeout
/// 5s)`); any other gets the advice appended (`… (pass --force)`).
pub fn message_text(message: &str, hint: Option<Hint>) -> String {
    let Some((hint, r)) = hint.and_then(|h| Some((h, render(h)?))) else {
        return message.to_owned();
    };
    let name = hint.as_str();
    if let Some(rest) = message.strip_prefix(&format!("{name}: ")) {
        return format!("{}: {rest}", r.flag);
    }
    let quoted = format!("({name} ");
    if message.contains(&quoted) {
        return message.replacen(&quoted, &format!("({} ", r.flag), 1);
    }
    format!("{message} ({})", r.advice)
}

/// An error of the library as this command line says it ([`message_text`] with the
/// error's hint); `None` for an error without a hint (print it as it is).
pub fn error_text(e: &(dyn StdError + 'static)) -> Option<String> {
    let hint = if let Some(e) = e.downcast_ref::<chainscope::Error>() {
        e.hint()
    } else if let Some(e) = e.downcast_ref::<FetchError>() {
        e.hint()
    } else if let Some(e) = e.downcast_ref::<MintError>() {
        e.hint()
    } else {
        None
    }?;
    Some(message_text(&e.to_string(), Some(hint)))
}

/// Renders the hints of mint's next steps into their last line (text and JSON alike).
pub fn apply_to_steps(steps: &mut [chainscope::mint::NextStep]) {
    for step in steps {
        if let (Some(hint), Some(last)) = (step.hint, step.lines.last_mut()) {
            *last = fix_text(last, Some(hint));
        }
    }
}

/// Renders the hint of a batch line's error into its message (text and JSON alike).
pub fn apply_to_error(error: &mut Option<ErrorRecord>) {
    if let Some(e) = error {
        e.message = message_text(&e.message, e.hint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every long flag of every subcommand.
    fn all_flags() -> Vec<String> {
        fn walk(cmd: &clap::Command, out: &mut Vec<String>) {
            out.extend(
                cmd.get_arguments()
                    .filter_map(|a| a.get_long())
                    .map(|l| format!("--{l}")),
            );
            for sub in cmd.get_subcommands() {
                walk(sub, out);
            }
        }
        let mut out = Vec::new();
        walk(&crate::Cli::command(), &mut out);
        out
    }

    #[test]
    fn every_hint_renders_as_a_flag_this_command_line_has() {
        let flags = all_flags();
        for &hint in Hint::ALL {
            let r = render(hint).unwrap_or_else(|| panic!("{hint} is not rendered"));
            assert!(
                flags.iter().any(|f| f == r.flag),
                "{hint}: {} is no flag",
                r.flag
            );
            assert!(
                r.advice.contains(r.flag) || r.advice.starts_with("chainscope "),
                "{hint}: the advice `{}` does not name {}",
                r.advice,
                r.flag
            );
        }
    }

    #[test]
    fn parameter_errors_name_the_flag() {
        let e = chainscope::verify::parse_host("bad host!").unwrap_err();
        assert_eq!(
            error_text(&e).as_deref(),
            Some("--host: 'bad host!' is neither a DNS name nor an IP address")
        );
        let e = chainscope::Profile::parse("lax").unwrap_err();
        assert!(error_text(&e).unwrap().starts_with("--profile: "));
    }

    #[test]
    fn refusals_end_with_the_flag_that_overrides_them() {
        let e = MintError::WouldOverwrite {
            paths: vec!["out/cert.pem".into()],
        };
        let text = error_text(&e).unwrap();
        assert!(
            text.starts_with("refusing to overwrite out/cert.pem: "),
            "{text}"
        );
        assert!(text.ends_with(" (pass --force)"), "{text}");
    }

    #[test]
    fn fixes_get_the_flag_appended() {
        assert_eq!(
            fix_text("add it to the trust anchors", Some(Hint::Roots)),
            "add it to the trust anchors (--roots FILE)"
        );
        assert_eq!(fix_text("renew it now", None), "renew it now");
    }
}
