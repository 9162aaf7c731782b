//! `chainscope fetch`: capture the chain servers present and show it as `show` does.
//!
//! One target prints a connection summary and the chain (`--json`, `--pem`); several
//! targets (`HOST...`, `--input FILE|-`) are captured concurrently, one line (or one JSON
//! Lines record) per target as each finishes, then a summary.

use std::io::{BufRead, IsTerminal, Read};
use std::ops::ControlFlow;
use std::time::Duration;

use anyhow::Context as _;
use chainscope::fetch::{
    fetch_blocking, fetch_many_blocking, BatchRecord, BatchResult, BatchStatus, CaptureReport,
    FetchOptions, HandshakeOutcome, IpFamily, PresentedChain, Sni, Starttls, Target, TlsVersion,
};
use time::OffsetDateTime;

use crate::output::{Paint, Term};
use crate::{Ctx, EXIT_ERROR, EXIT_OK};

/// What `chainscope fetch --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope fetch example.com
  chainscope fetch proxy.hospital.local:443 --connect-to 10.1.2.3 --pem > served.pem
  chainscope fetch --starttls smtp mail.example.com:587 --json

Exit codes:
  0  captured (every target, with several); a broken chain is still exit 0: ask verify
  2  the capture failed (for several targets: at least one), or a usage error";

/// Arguments of `chainscope fetch` (boxed: the flags are many, the `Command` enum stays small).
#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// The flags.
    #[command(flatten)]
    pub flags: Box<FetchFlags>,
}

impl std::ops::Deref for FetchArgs {
    type Target = FetchFlags;

    fn deref(&self) -> &FetchFlags {
        &self.flags
    }
}

/// The flags of `chainscope fetch`.
#[derive(Debug, clap::Args)]
pub struct FetchFlags {
    /// Servers: HOST, HOST:PORT, [IPv6]:PORT, https://HOST/path, smtp://HOST (the scheme
    /// implies the port and STARTTLS: smtp, submission, imap, pop3, ftp, postgres, ldap, xmpp).
    #[arg(value_name = "HOST[:PORT]")]
    pub targets: Vec<String>,

    /// Read more targets from FILE, or `-` for stdin: one per line, `#` starts a comment.
    #[arg(long, value_name = "FILE|-")]
    pub input: Option<String>,

    /// How to connect.
    #[command(flatten)]
    pub connection: ConnectionFlags,

    /// Print JSON (one document; JSON Lines with several targets).
    #[arg(long, conflicts_with = "pem")]
    pub json: bool,

    /// Print the certificates exactly as sent, as PEM (`fetch host --pem > chain.pem`).
    #[arg(long)]
    pub pem: bool,

    /// Show every extension of every certificate.
    #[arg(long)]
    pub full: bool,

    /// How many targets to capture at once.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub concurrency: usize,

    /// In the summary, count leaves expiring within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub warn_days: i64,
}

/// How to reach a server: shared by `fetch`, `verify --connect` and `preflight --connect`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConnectionFlags {
    /// Port for targets that do not name one (instead of 443 or the scheme's port).
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,

    /// Send this SNI instead of the target's host name.
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    pub sni: Option<String>,

    /// Send no SNI at all.
    #[arg(long)]
    pub no_sni: bool,

    /// Connect to this address while presenting the target's name (like curl --resolve).
    #[arg(long, value_name = "IP[:PORT]")]
    pub connect_to: Option<String>,

    /// Connect over IPv4 only.
    #[arg(short = '4', long = "ipv4", conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// Connect over IPv6 only.
    #[arg(short = '6', long = "ipv6")]
    pub ipv6: bool,

    /// ALPN protocols to offer, comma-separated, in preference order (h2,http/1.1).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub alpn: Vec<String>,

    /// Lowest TLS version to accept: 1.0, 1.1, 1.2, 1.3 (below 1.2: legacy capture).
    #[arg(long, value_name = "VERSION", default_value = "1.0")]
    pub min_tls: TlsVersion,

    /// Highest TLS version to offer.
    #[arg(long, value_name = "VERSION", default_value = "1.3")]
    pub max_tls: TlsVersion,

    /// Overall limit per target: 5s, 500ms, 1m; a bare number means seconds.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = duration)]
    pub timeout: Duration,

    /// Limit on DNS, TCP connect and proxy CONNECT (each).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub connect_timeout: Option<Duration>,

    /// Limit on STARTTLS and the TLS handshake (each).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub handshake_timeout: Option<Duration>,

    /// HTTP CONNECT proxy, http://HOST:PORT (default: $HTTPS_PROXY, minus $NO_PROXY).
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,

    /// Ignore HTTPS_PROXY / NO_PROXY from the environment.
    #[arg(long, conflicts_with = "proxy")]
    pub no_proxy: bool,

    /// Upgrade with STARTTLS first: smtp, imap, pop3, ftp, postgres, ldap, xmpp-client.
    #[arg(long, value_name = "PROTOCOL")]
    pub starttls: Option<Starttls>,

    /// Do not fall back to the legacy (TLS 1.0/1.1, capture-only) handshake.
    #[arg(long)]
    pub no_legacy: bool,
}

impl ConnectionFlags {
    /// The library's [`FetchOptions`] for these flags (proxy from `HTTPS_PROXY` unless
    /// `--proxy` or `--no-proxy`).
    pub fn to_options(&self) -> FetchOptions {
        let args = self;
        let mut o = FetchOptions::default();
        o.port = args.port;
        o.sni = match (&args.sni, args.no_sni) {
            (Some(name), _) => Sni::Name(name.clone()),
            (None, true) => Sni::None,
            (None, false) => Sni::Auto,
        };
        o.connect_to = args.connect_to.clone();
        o.family = if args.ipv4 {
            IpFamily::V4
        } else if args.ipv6 {
            IpFamily::V6
        } else {
            IpFamily::Any
        };
        o.alpn = args
            .alpn
            .iter()
            .filter(|p| !p.is_empty())
            .cloned()
            .collect();
        o.min_tls = args.min_tls;
        o.max_tls = args.max_tls;
        o.timeout = args.timeout;
        o.connect_timeout = args.connect_timeout;
        o.handshake_timeout = args.handshake_timeout;
        o.starttls = args.starttls;
        o.legacy_fallback = !args.no_legacy;
        if let Some(p) = &args.proxy {
            o.proxy = Some(p.clone());
        } else if !args.no_proxy {
            let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
            o.proxy = env("HTTPS_PROXY").or_else(|| env("https_proxy"));
            if o.proxy.is_some() {
                // Loopback never goes through an environment proxy.
                o.no_proxy = ["localhost", "127.0.0.1", "::1"].map(String::from).to_vec();
                if let Some(list) = env("NO_PROXY").or_else(|| env("no_proxy")) {
                    o.no_proxy
                        .extend(list.split(',').map(|s| s.trim().to_string()));
                }
            }
        }
        o
    }
}

/// Parses a duration as the command line writes it: `5s`, `500ms`, `1m`, `1.5s`, `2h`; a
/// bare number means seconds. At least 1ms (timers work in whole milliseconds: a shorter
/// limit would expire before any connection could be made) and at most a day.
fn duration(text: &str) -> Result<Duration, String> {
    let bad = |reason: &str| format!("`{text}`: {reason}");
    let t = text.trim().to_ascii_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| bad("expected a number with an optional unit: 5s, 500ms, 1m"))?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 0.001,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => return Err(bad(&format!("unknown unit `{other}` (use ms, s, m, h)"))),
    };
    let secs = value * scale;
    if !secs.is_finite() || !(0.001..=86_400.0).contains(&secs) {
        return Err(bad("must be at least 1ms and at most a day"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Runs `chainscope fetch`.
pub fn run(args: &FetchArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let options = args.connection.to_options();
    if args.concurrency == 0 {
        anyhow::bail!("--concurrency: must be at least 1");
    }
    if args.targets.is_empty() && args.input.is_none() {
        anyhow::bail!("no target: give HOST[:PORT] or --input FILE|-");
    }
    if args.targets.len() == 1 && args.input.is_none() {
        return single(args, &options, ctx);
    }
    batch(args, &options, ctx)
}

/// One target: summary and chain, or JSON, or PEM.
fn single(args: &FetchArgs, options: &FetchOptions, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let target = Target::parse(&args.targets[0])?;
    let chain = fetch_blocking(&target, options)?;
    let now = OffsetDateTime::now_utc();
    if args.pem {
        crate::cmd::show::render_pem(ctx, &chain.certs)?;
    } else if args.json {
        ctx.json(&CaptureReport::new(chain, now))?;
    } else {
        summary(ctx, &chain)?;
        writeln!(ctx.out)?;
        crate::cmd::show::render_chain(ctx, &chain.certs, now, args.full)?;
    }
    Ok(EXIT_OK)
}

/// Whether, and by which handshake message, the server proved it holds the leaf's private
/// key: in TLS 1.3 the CertificateVerify message (RFC 8446 §4.4.3), in TLS 1.2 the
/// ServerKeyExchange of an ECDHE suite (RFC 5246 §7.4.3, RFC 8422 §5.4) — rustls offers no
/// suite without one.
fn key_proof(chain: &PresentedChain) -> String {
    if chain.legacy {
        return "not checked: the legacy capture stops after the certificates".into();
    }
    if !chain.key_possession_proven {
        return "NOT proven: the handshake signature did not verify with the leaf's key".into();
    }
    let (version, message) = match chain.tls_version.as_deref() {
        Some("TLSv1.3") => ("TLS 1.3", "CertificateVerify"),
        Some("TLSv1.2") => ("TLS 1.2", "ServerKeyExchange"),
        Some(other) => (other, "handshake"),
        None => ("TLS", "handshake"),
    };
    let scheme = match chain.signature_scheme.as_deref() {
        Some(s) => {
            let (name, tls12) = scheme_name(s);
            match (version, tls12) {
                // TLS 1.2 signature codes name a hash and a signature algorithm, not a curve
                // (RFC 5246 §7.4.1.4.1): 0x0503 is "SHA-384 with ECDSA" on any curve.
                ("TLS 1.2", Some(meaning)) => format!(" (scheme {name}: {meaning})"),
                _ => format!(" (scheme {name})"),
            }
        }
        None => String::new(),
    };
    format!("key possession proven by a {version} {message} signature{scheme}")
}

/// The IANA name of a rustls signature scheme (`ECDSA_NISTP256_SHA256` →
/// `ecdsa_secp256r1_sha256`) and, for ECDSA, what the code means in TLS 1.2.
fn scheme_name(rustls: &str) -> (String, Option<&'static str>) {
    let (name, tls12) = match rustls {
        "ECDSA_NISTP256_SHA256" => ("ecdsa_secp256r1_sha256", Some("ECDSA with SHA-256")),
        "ECDSA_NISTP384_SHA384" => ("ecdsa_secp384r1_sha384", Some("ECDSA with SHA-384")),
        "ECDSA_NISTP521_SHA512" => ("ecdsa_secp521r1_sha512", Some("ECDSA with SHA-512")),
        "ECDSA_SHA1_Legacy" => ("ecdsa_sha1", Some("ECDSA with SHA-1")),
        "RSA_PSS_SHA256" => ("rsa_pss_rsae_sha256", None),
        "RSA_PSS_SHA384" => ("rsa_pss_rsae_sha384", None),
        "RSA_PSS_SHA512" => ("rsa_pss_rsae_sha512", None),
        "RSA_PKCS1_SHA256" => ("rsa_pkcs1_sha256", None),
        "RSA_PKCS1_SHA384" => ("rsa_pkcs1_sha384", None),
        "RSA_PKCS1_SHA512" => ("rsa_pkcs1_sha512", None),
        "RSA_PKCS1_SHA1" => ("rsa_pkcs1_sha1", None),
        "ED25519" => ("ed25519", None),
        "ED448" => ("ed448", None),
        other => return (other.to_owned(), None),
    };
    (name.to_owned(), tls12)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The connection summary printed above the chain.
fn summary(ctx: &mut Ctx<'_>, chain: &PresentedChain) -> anyhow::Result<()> {
    let via = match &chain.proxy {
        Some(p) => format!(" via proxy {}", Term(p)),
        None => String::new(),
    };
    let heading = format!("{} ({}{via})", Term(&chain.target), Term(&chain.peer));
    writeln!(ctx.out, "{}", ctx.paint(heading, Paint::Bold))?;
    // Every value here may come from the server (ALPN, alert text, OCSP) or the target.
    let mut row = |label: &str, value: String| writeln!(ctx.out, "  {label:<13} {}", Term(value));
    row(
        "SNI",
        chain.sni.clone().unwrap_or_else(|| "(none sent)".into()),
    )?;
    if let Some(p) = chain.starttls {
        row("STARTTLS", p.to_string())?;
    }
    let mut protocol = vec![chain.tls_version.clone().unwrap_or_else(|| "?".into())];
    protocol.extend(chain.cipher_suite.clone());
    protocol.extend(chain.key_exchange_group.clone());
    row("Protocol", protocol.join(", "))?;
    if let Some(alpn) = &chain.alpn {
        row("ALPN", alpn.clone())?;
    }
    // The leaf's key is what the certificate says; the proof is a separate fact: which
    // handshake message carried a signature made with it, and with which scheme.
    let leaf_key = chain
        .certs
        .first()
        .and_then(|der| chainscope::CertificateInfo::decode(der, OffsetDateTime::now_utc()).ok())
        .map(|info| super::show::key_text(&info.public_key))
        .unwrap_or_else(|| "(no decodable leaf)".into());
    row("Leaf key", leaf_key)?;
    row("Key proof", key_proof(chain))?;
    let handshake = match &chain.handshake {
        HandshakeOutcome::Complete => "complete".to_string(),
        HandshakeOutcome::CaptureOnly => "legacy capture (stopped after the certificates)".into(),
        HandshakeOutcome::ClientCertificateRequested {
            required: false, ..
        } => "complete; the server requests a client certificate (optional)".into(),
        HandshakeOutcome::ClientCertificateRequested { alert: Some(a), .. } => {
            format!("the server demands a client certificate (alert {a})")
        }
        HandshakeOutcome::ClientCertificateRequested { alert: None, .. } => {
            "the server demands a client certificate (it closed the connection without one)".into()
        }
        HandshakeOutcome::Aborted { reason } => format!("aborted after the certificates: {reason}"),
        _ => "unknown".into(),
    };
    row("Handshake", handshake)?;
    if let Some(o) = &chain.ocsp {
        let fmt = |t: Option<OffsetDateTime>| {
            t.map(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| "-".into())
        };
        let status = match (&o.error, o.cert_status) {
            (Some(e), _) => format!("undecodable ({e})"),
            (None, Some(s)) => format!("{s:?}").to_lowercase(),
            (None, None) => o.response_status.clone().unwrap_or_default(),
        };
        row(
            "OCSP staple",
            format!(
                "{status}, produced {}, next update {}",
                fmt(o.produced_at),
                fmt(o.next_update)
            ),
        )?;
    } else {
        row("OCSP staple", "none".into())?;
    }
    let t = chain.timing;
    let mut timing = format!("connect {}", ms(t.connect));
    if t.dns > Duration::ZERO {
        timing = format!("DNS {}, {timing}", ms(t.dns));
    }
    if t.starttls > Duration::ZERO {
        timing.push_str(&format!(", STARTTLS {}", ms(t.starttls)));
    }
    timing.push_str(&format!(
        ", handshake {}, total {}",
        ms(t.handshake),
        ms(t.total)
    ));
    row("Timing", timing)?;
    row("Certificates", format!("{} sent", chain.certs.len()))?;
    Ok(())
}

/// Targets from the command line, then from `--input`, read lazily.
fn inputs(
    args: &FetchArgs,
    failed: &std::sync::Arc<std::sync::Mutex<Option<String>>>,
) -> anyhow::Result<Box<dyn Iterator<Item = String> + Send>> {
    let given = args.targets.clone().into_iter();
    let Some(path) = &args.input else {
        return Ok(Box::new(given));
    };
    let reader: Box<dyn BufRead + Send> = if path == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(path).with_context(|| format!("--input {path}"))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            anyhow::bail!("--input {path}: is a directory, not a list of targets");
        }
        Box::new(std::io::BufReader::new(file))
    };
    let name = if path == "-" {
        "<stdin>"
    } else {
        path.as_str()
    };
    let lines = TargetLines {
        reader,
        input: format!("--input {}", Term(name)),
        line: 0,
        failed: failed.clone(),
    }
    .filter_map(|line| {
        let text = line.split('#').next().unwrap_or_default().trim();
        (!text.is_empty()).then(|| text.to_string())
    });
    Ok(Box::new(given.chain(lines)))
}

/// The longest line of a target list: a target is a host name and port, or a URL.
const MAX_TARGET_LINE: u64 = 64 << 10;

/// The lines of a target list, each read within [`MAX_TARGET_LINE`]. A line too long or
/// not UTF-8, or a read error, ends the list and is recorded in `failed`, so the run
/// reports it and exits 2 instead of silently stopping short.
struct TargetLines {
    reader: Box<dyn BufRead + Send>,
    input: String,
    line: usize,
    failed: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

impl Iterator for TargetLines {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        self.line += 1;
        let mut bytes = Vec::new();
        let read = (&mut self.reader)
            .take(MAX_TARGET_LINE + 1)
            .read_until(b'\n', &mut bytes);
        let problem = match read {
            Ok(0) => return None,
            Ok(_) if bytes.len() as u64 > MAX_TARGET_LINE => {
                format!("line {} is longer than 64 KiB", self.line)
            }
            Ok(_) => match String::from_utf8(bytes) {
                Ok(text) => return Some(text.trim_end_matches(['\n', '\r']).to_owned()),
                Err(_) => format!("line {} is not UTF-8 text", self.line),
            },
            Err(e) => crate::output::io_text(&e),
        };
        if let Ok(mut failed) = self.failed.lock() {
            *failed = Some(format!("{}: {problem}", self.input));
        }
        None
    }
}

/// Counts for the closing summary.
#[derive(Debug, Default)]
struct Totals {
    reached: usize,
    failed: usize,
    expiring: usize,
    expired: usize,
    warn_days: i64,
}

impl Totals {
    fn count(&mut self, status: BatchStatus) {
        match status {
            BatchStatus::Failed => self.failed += 1,
            other => {
                self.reached += 1;
                match other {
                    BatchStatus::Expired => self.expired += 1,
                    BatchStatus::Expiring => self.expiring += 1,
                    _ => {}
                }
            }
        }
    }
}

/// Many targets: bounded concurrency, one line per target as it finishes, a summary.
fn batch(args: &FetchArgs, options: &FetchOptions, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let list_error = std::sync::Arc::new(std::sync::Mutex::new(None));
    let inputs = inputs(args, &list_error)?;
    let now = OffsetDateTime::now_utc();
    let mut totals = Totals {
        warn_days: args.warn_days,
        ..Totals::default()
    };
    let progress = (ctx.color && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} done {msg} [{elapsed}]")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    let mut write_error: Option<anyhow::Error> = None;
    fetch_many_blocking(inputs, options, args.concurrency, |result: BatchResult| {
        let mut record = BatchRecord::new(result, now);
        crate::hints::apply_to_error(&mut record.error);
        totals.count(record.status(args.warn_days));
        let mut write = || -> anyhow::Result<()> {
            if args.json {
                ctx.json_line(&record)?;
            } else if args.pem {
                match (&record.capture, &record.error) {
                    (Some(capture), _) => {
                        writeln!(ctx.out, "# {}", Term(&capture.chain.target))?;
                        crate::cmd::show::render_pem(ctx, &capture.chain.certs)?;
                    }
                    (None, Some(e)) => writeln!(ctx.err, "chainscope: {}", Term(&e.message))?,
                    (None, None) => {}
                }
            } else {
                let text = batch_line(args, ctx, &record);
                writeln!(ctx.out, "{text}")?;
            }
            ctx.out.flush()?;
            Ok(())
        };
        let outcome = match &progress {
            Some(bar) => {
                let r = bar.suspend(&mut write);
                bar.inc(1);
                bar.set_message(format!("({} failed)", totals.failed));
                r
            }
            None => write(),
        };
        match outcome {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                write_error = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if let Some(e) = write_error {
        return Err(e);
    }
    let list_error = list_error.lock().ok().and_then(|mut e| e.take());
    if let Some(e) = &list_error {
        // Already escaped: the message names the list file.
        writeln!(ctx.err, "chainscope: {e}")?;
    }
    let text = format!(
        "{} reached, {} failed, {} expiring within {} days{}",
        totals.reached,
        totals.failed,
        totals.expiring,
        totals.warn_days,
        if totals.expired > 0 {
            format!(", {} expired", totals.expired)
        } else {
            String::new()
        }
    );
    if args.json || args.pem {
        writeln!(ctx.err, "{text}")?;
    } else {
        writeln!(ctx.out, "{}", ctx.paint(text, Paint::Bold))?;
    }
    Ok(if totals.failed > 0 || list_error.is_some() {
        EXIT_ERROR
    } else {
        EXIT_OK
    })
}

/// The text-mode line for one target of a batch.
fn batch_line(args: &FetchArgs, ctx: &Ctx<'_>, record: &BatchRecord) -> String {
    let Some(capture) = &record.capture else {
        let message = record.error.as_ref().map(|e| e.message.as_str());
        return format!(
            "{} {}",
            ctx.paint("FAIL", Paint::Red),
            Term(message.unwrap_or_default())
        );
    };
    let chain = &capture.chain;
    let status = match record.status(args.warn_days) {
        BatchStatus::Expired => ctx.paint("EXP ", Paint::Red),
        BatchStatus::Expiring => ctx.paint("WARN", Paint::Yellow),
        _ => ctx.paint("ok  ", Paint::Green),
    };
    let expiry = match (chain.leaf_not_after(), record.days_left()) {
        (Some(t), Some(d)) => format!("leaf expires {} ({d} days)", t.date()),
        _ => "leaf undecodable".into(),
    };
    format!(
        "{status} {}  {}  {} cert{}  {}  {}{}",
        Term(&chain.target),
        Term(chain.tls_version.as_deref().unwrap_or("?")),
        chain.certs.len(),
        if chain.certs.len() == 1 { "" } else { "s" },
        Term(chain.leaf_subject().unwrap_or_default()),
        expiry,
        if chain.legacy { "  (legacy)" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_units_and_bare_seconds() {
        assert_eq!(duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(duration("7"), Ok(Duration::from_secs(7)));
        assert_eq!(duration("1.5s"), Ok(Duration::from_millis(1500)));
        for bad in ["", "s", "0", "0.5ms", "-1s", "5 parsecs", "1e9", "2d"] {
            let e = duration(bad).expect_err(bad);
            assert!(e.starts_with(&format!("`{bad}`: ")), "{e}");
        }
    }
}
