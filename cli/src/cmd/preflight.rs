//! `chainscope preflight`: a go-live checklist for a proxy's certificate files and the live
//! server.

use chainscope::preflight::{CheckStatus, PreflightOptions, PreflightReport};
use time::OffsetDateTime;

use crate::output::{Paint, Term};
use crate::{Ctx, EXIT_INVALID, EXIT_OK};

/// What `chainscope preflight --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope preflight --cert proxy/fullchain.pem --key proxy/key.pem \\
      --roots ca/cert.pem --host proxy.hospital.local
  chainscope preflight --cert proxy/fullchain.pem --key proxy/key.pem \\
      --roots ca/cert.pem --host proxy.hospital.local --connect 10.1.2.3:443
  chainscope preflight --connect proxy.hospital.local:443 --roots mozilla --json

Exit codes:
  0  no check failed (warnings allowed)
  1  a check failed
  2  input or usage error";

/// Arguments of `chainscope preflight`.
#[derive(Debug, clap::Args)]
pub struct PreflightArgs {
    /// The certificate file nginx serves (leaf first, then intermediates: `ssl_certificate`).
    #[arg(long, value_name = "FILE")]
    pub cert: Option<String>,

    /// The private key file (`ssl_certificate_key`).
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<String>,

    /// A name clients use to reach the proxy (DNS name or IP address); repeatable.
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,

    /// Trust anchors clients hold: `system`, `mozilla`, or a CA file/directory; repeatable.
    #[arg(long, value_name = "SOURCE")]
    pub roots: Vec<String>,

    /// Also check the live server at HOST[:PORT].
    #[arg(long, value_name = "HOST[:PORT]")]
    pub connect: Option<String>,

    /// Minimum remaining validity, in days, for every certificate.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub min_days: i64,

    /// Which clients must accept the chain: `modern` (current browsers, rustls, curl) or
    /// `compatible` (also older clients: no Ed25519 leaf, TLS 1.2 offered).
    #[arg(long, value_enum, default_value_t = ClientProfile::Modern)]
    pub client_profile: ClientProfile,

    /// Fail `client_trust` unless every client family listed accepts the chain
    /// (comma-separated ids: rustls, openssl, openssl-strict, gnutls, go), as
    /// `verify --require-clients` predicts it.
    #[arg(long, value_name = "IDS")]
    pub require_clients: Option<String>,

    /// Evaluate validity at this instant (RFC 3339 or Unix seconds) instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// How to connect with --connect.
    #[command(flatten)]
    pub connection: crate::cmd::fetch::ConnectionFlags,

    /// Print the checklist as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Which clients must accept the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClientProfile {
    /// Current browsers, rustls, curl, Go, Python.
    Modern,
    /// Also older clients.
    Compatible,
}

/// Runs `chainscope preflight`.
pub fn run(args: &PreflightArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    if args.cert.is_none() && args.connect.is_none() {
        anyhow::bail!("preflight needs --cert (offline checks), --connect (live checks), or both");
    }
    let at = match &args.at {
        Some(text) => chainscope::verify::parse_time(text)?,
        None => OffsetDateTime::now_utc(),
    };
    let required_clients = match &args.require_clients {
        Some(list) => chainscope::clients::parse_list(list)
            .map_err(|e| crate::output::for_flag("--require-clients", list, e))?,
        None => Vec::new(),
    };
    let mut options = PreflightOptions::default();
    options.required_clients = required_clients;
    options.cert = args.cert.as_ref().map(Into::into);
    options.key = args.key.as_ref().map(Into::into);
    options.roots = args.roots.clone();
    options.connect = args.connect.clone();
    options.client_profile = match args.client_profile {
        ClientProfile::Modern => chainscope::preflight::ClientProfile::Modern,
        ClientProfile::Compatible => chainscope::preflight::ClientProfile::Compatible,
    };
    options.requirements.hosts = args.hosts.clone();
    options.requirements.min_days = args.min_days;
    options.requirements.at = at;
    options.fetch = args.connection.to_options();
    let mut report = chainscope::preflight::run(&options).map_err(|e| {
        let mut inputs = vec![
            ("--cert", args.cert.clone().unwrap_or_default()),
            ("--key", args.key.clone().unwrap_or_default()),
        ];
        inputs.extend(args.roots.iter().map(|r| ("--roots", r.clone())));
        crate::output::for_flags(e.into(), &inputs)
    })?;
    crate::hints::apply_to_checks(&mut report);
    if args.json {
        ctx.json(&report)?;
    } else {
        render(ctx, &report)?;
    }
    Ok(if report.verdict == CheckStatus::Fail {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}

/// Renders the checklist as text: one line per check, found value and fix beneath.
pub fn render(ctx: &mut Ctx<'_>, report: &PreflightReport) -> anyhow::Result<()> {
    for check in &report.checks {
        let (mark, paint) = match check.status {
            CheckStatus::Pass => ("✔", Paint::Green),
            CheckStatus::Warn => ("!", Paint::Yellow),
            CheckStatus::Fail => ("✘", Paint::Red),
            CheckStatus::Skip => ("-", Paint::Dim),
            _ => ("?", Paint::Dim),
        };
        writeln!(
            ctx.out,
            "{} {}  {}",
            ctx.paint(mark, paint),
            Term(&check.title),
            ctx.paint(format!("[{}]", Term(&check.id)), Paint::Dim)
        )?;
        if !check.found.is_empty() {
            writeln!(ctx.out, "    {}", Term(&check.found))?;
        }
        if let Some(fix) = &check.fix {
            writeln!(ctx.out, "    fix: {}", Term(fix))?;
        }
    }
    let verdict = match report.verdict {
        CheckStatus::Fail => ctx.paint(Term(&report.summary), Paint::Red),
        CheckStatus::Warn => ctx.paint(Term(&report.summary), Paint::Yellow),
        _ => ctx.paint(Term(&report.summary), Paint::Green),
    };
    writeln!(ctx.out, "\n{verdict}")?;
    Ok(())
}
