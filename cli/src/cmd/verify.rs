//! `chainscope verify`: build the path to a trusted root and explain every failure.

use std::path::Path;

use chainscope::load::{load_input, LoadOptions};
use chainscope::trust::TrustStore;
use chainscope::verify::{
    parse_host, parse_time, verify_chain, CertSource, Crl, Profile, Purpose, Severity,
    VerifyOptions, VerifyReport,
};

use chainscope::fetch::{
    fetch_aia_blocking, fetch_blocking, verify_presented, AiaOptions, CaptureReport,
    PresentedChain, Target,
};

use crate::output::{Paint, Term};
use crate::{Ctx, EXIT_ERROR, EXIT_INVALID, EXIT_OK};
use chainscope::clients::{first_rejecting, parse_list};

/// What `chainscope verify --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope verify --roots ca.pem --host proxy.hospital.local fullchain.pem
  chainscope verify --connect proxy.hospital.local:443 --roots ca.pem
  chainscope verify --roots mozilla --untrusted chain.pem --json cert.pem

Exit codes:
  0  every chain is valid
  1  at least one chain is not valid
  2  input or usage error (unreadable file, no certificate, bad option, unusable --roots)";

/// Arguments of `chainscope verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Chain files: each is one chain as a server sends it (leaf first, then intermediates);
    /// PEM, DER or PKCS#7; `-` is standard input.
    #[arg(value_name = "CHAIN_FILE")]
    pub chains: Vec<String>,

    /// Trust anchors: `system`, `mozilla`, or a PEM/DER/PKCS#7 file or directory.
    /// Repeatable and combinable. Default: system.
    #[arg(long = "roots", value_name = "SOURCE")]
    pub roots: Vec<String>,

    /// Extra intermediates to build paths with (not sent by the server). Repeatable.
    #[arg(long = "untrusted", value_name = "FILE")]
    pub untrusted: Vec<String>,

    /// Download missing issuers from AIA caIssuers URLs before verifying (http:// only;
    /// one 5 s deadline for the whole download, 256 KiB, 3 hops; --proxy applies).
    #[arg(long)]
    pub aia: bool,

    /// The name the certificate must be valid for: a DNS name or an IP address.
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,

    /// Validation time: RFC 3339 (2026-01-31T12:00:00Z) or Unix seconds. Default: now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// Required purpose: server, client, any, or a dotted OID. Repeatable (any one
    /// suffices). Default: server.
    #[arg(long = "purpose", value_name = "PURPOSE")]
    pub purposes: Vec<String>,

    /// The most intermediates a path may hold.
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,

    /// Check revocation against this CRL (PEM or DER). Repeatable.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<String>,

    /// Warn about certificates expiring within N days.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub warn_days: u32,

    /// How strict: webpki (what rustls decides), clients (default: also what mainstream
    /// clients reject), rfc5280 (also RFC 5280 / CA/B Forum violations).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// Same as --profile rfc5280.
    #[arg(long, conflicts_with = "profile")]
    pub strict: bool,

    /// List every valid path (cross-signs), not only the one chosen.
    #[arg(long)]
    pub all_paths: bool,

    /// Also say, for each TLS client family (rustls, openssl, openssl-strict, gnutls, go),
    /// whether it would accept the chain and why not: a table after the verdict, `clients`
    /// in JSON. The exit code stays the profile's verdict.
    #[arg(long)]
    pub clients: bool,

    /// Exit 1 unless every client family listed accepts the chain (comma-separated ids:
    /// `openssl,rustls`). Implies --clients.
    #[arg(long, value_name = "IDS")]
    pub require_clients: Option<String>,

    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,

    /// Fetch the chain this server presents and verify it (HOST[:PORT], or a URL as
    /// `fetch` takes it). Repeatable. `--host` defaults to the server's host name.
    #[arg(long, value_name = "HOST[:PORT]")]
    pub connect: Vec<String>,

    /// How to connect with --connect (the options of `fetch`).
    #[command(flatten)]
    pub connection: crate::cmd::fetch::ConnectionFlags,
}

impl VerifyArgs {
    /// The trust store the flags name (`--roots`, default `system`).
    pub fn trust_store(&self) -> anyhow::Result<TrustStore> {
        if self.roots.is_empty() {
            // The library's message names the alternatives; here they are flags.
            return TrustStore::system()
                .map_err(|e| anyhow::anyhow!("{e} (--roots mozilla or --roots FILE)"));
        }
        TrustStore::from_specs(&self.roots).map_err(|e| {
            let roots: Vec<_> = self.roots.iter().map(|r| ("--roots", r.clone())).collect();
            crate::output::for_flags(e.into(), &roots)
        })
    }

    /// The verification options the flags name (reads `--untrusted` and `--crl` files).
    pub fn options(&self) -> anyhow::Result<VerifyOptions> {
        let mut options = VerifyOptions::default();
        options.warn_days = self.warn_days;
        options.max_depth = self.max_depth;
        options.all_paths = self.all_paths;
        options.clients = self.clients || self.require_clients.is_some();
        options.profile = match (&self.profile, self.strict) {
            (_, true) => Profile::Rfc5280,
            (Some(p), false) => Profile::parse(p)?,
            (None, false) => Profile::default(),
        };
        if let Some(h) = &self.host {
            options.host = Some(parse_host(h)?);
        }
        if let Some(t) = &self.at {
            options.at = Some(parse_time(t)?);
        }
        for p in &self.purposes {
            options.purposes.push(Purpose::parse(p)?);
        }
        for file in &self.untrusted {
            let bundle = load_input(file, &LoadOptions::default())
                .and_then(|b| b.require_certs())
                .map_err(|e| crate::output::for_flag("--untrusted", file, e))?;
            options.untrusted.extend(bundle.ders());
        }
        for file in &self.crls {
            let crls = Crl::load(Path::new(file))
                .map_err(|e| crate::output::for_flag("--crl", file, e))?;
            options.crls.extend(crls);
        }
        Ok(options)
    }
}

/// A report with the input it is about, as `--json` prints it.
#[derive(serde::Serialize)]
struct Labelled<'a> {
    input: &'a str,
    /// With `--connect`: what the server presented and how the connection went, the same
    /// document as `fetch --json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    fetched: Option<&'a CaptureReport>,
    #[serde(flatten)]
    report: &'a VerifyReport,
}

/// One chain to verify: from a file, or captured from a server.
struct Source {
    input: String,
    chain: Vec<chainscope::CertificateDer<'static>>,
    fetched: Option<PresentedChain>,
}

/// Runs `chainscope verify`.
pub fn run(args: &VerifyArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    if args.chains.is_empty() && args.connect.is_empty() {
        anyhow::bail!(
            "verify: give at least one CHAIN_FILE (or - for standard input), or --connect HOST[:PORT]"
        );
    }
    let options = args.options()?;
    let trust = args.trust_store()?;
    let mut sources = Vec::new();
    let mut code = EXIT_OK;
    let batch = args.chains.len() + args.connect.len() > 1;
    for input in &args.chains {
        // The library's message names the input already.
        let loaded = load_input(input, &LoadOptions::default())
            .and_then(|b| b.require_certs())
            .map_err(anyhow::Error::from);
        match loaded {
            Ok(bundle) => sources.push(Source {
                input: input.clone(),
                chain: bundle.ders(),
                fetched: None,
            }),
            // One unreadable file does not hide the other chains' verdicts: it is reported
            // on stderr and the run exits 2 at the end, as fetch batches do.
            Err(e) if batch => {
                writeln!(ctx.err, "chainscope: {}", Term(crate::output::one_line(&e)))?;
                code = EXIT_ERROR;
            }
            Err(e) => return Err(e),
        }
    }
    if !args.connect.is_empty() {
        let fetch_options = args.connection.to_options();
        for target in &args.connect {
            let parsed = Target::parse(target)?;
            match fetch_blocking(&parsed, &fetch_options) {
                // The label is the target with the port actually used (`--port N` included).
                Ok(chain) => sources.push(Source {
                    input: chain.target.clone(),
                    chain: chain.certs.clone(),
                    fetched: Some(chain),
                }),
                // One unreachable server does not hide the others' verdicts.
                Err(e) if args.connect.len() > 1 || !args.chains.is_empty() => {
                    let text = crate::hints::error_text(&e).unwrap_or_else(|| e.to_string());
                    writeln!(ctx.err, "chainscope: {}", Term(text))?;
                    code = EXIT_ERROR;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    let required = match &args.require_clients {
        Some(list) => {
            parse_list(list).map_err(|e| crate::output::for_flag("--require-clients", list, e))?
        }
        None => Vec::new(),
    };
    let mut reports = Vec::with_capacity(sources.len());
    for source in &sources {
        let mut per_chain = options.clone();
        if args.aia {
            // Downloads happen here, before the (pure) verification, with fetch's proxy.
            let aia = AiaOptions::with_connection(&args.connection.to_options());
            per_chain.aia = fetch_aia_blocking(&source.chain, &options.untrusted, &trust, &aia)?;
        }
        let mut report = match &source.fetched {
            // --host defaults to the name in the target, never the --connect-to address.
            Some(fetched) => verify_presented(fetched, &trust, &per_chain),
            None => verify_chain(&source.chain, &trust, &per_chain),
        };
        crate::hints::apply_to_report(&mut report);
        if !report.valid && code == EXIT_OK {
            code = EXIT_INVALID;
        }
        if first_rejecting(&report.clients, &required).is_some() && code == EXIT_OK {
            code = EXIT_INVALID;
        }
        if args.json {
            reports.push(report);
        } else {
            if let Some(fetched) = &source.fetched {
                writeln!(
                    ctx.out,
                    "{}: fetched {} certificate{} from {} ({}{})",
                    Term(&source.input),
                    fetched.certs.len(),
                    if fetched.certs.len() == 1 { "" } else { "s" },
                    Term(&fetched.peer),
                    Term(fetched.tls_version.as_deref().unwrap_or("TLS")),
                    if fetched.legacy {
                        ", legacy capture"
                    } else {
                        ""
                    }
                )?;
            }
            render_report(ctx, &report, Some(&source.input))?;
        }
    }
    if args.json {
        let now = time::OffsetDateTime::now_utc();
        let captures: Vec<Option<CaptureReport>> = sources
            .iter()
            .map(|s| s.fetched.clone().map(|c| CaptureReport::new(c, now)))
            .collect();
        let all: Vec<Labelled<'_>> = sources
            .iter()
            .zip(&reports)
            .zip(&captures)
            .map(|((source, report), capture)| Labelled {
                input: &source.input,
                fetched: capture.as_ref(),
                report,
            })
            .collect();
        if all.len() == 1 {
            ctx.json(&all[0])?;
        } else {
            ctx.json(&all)?;
        }
    }
    if !args.json {
        report_trust_problems(ctx, &trust)?;
    }
    Ok(code)
}

/// Mentions trust-store certificates that could not be used (on standard error).
fn report_trust_problems(ctx: &mut Ctx<'_>, trust: &TrustStore) -> anyhow::Result<()> {
    for source in trust.sources() {
        if !source.failed.is_empty() {
            writeln!(
                ctx.err,
                "note: {} certificate(s) of the trust source '{}' could not be used ({} loaded)",
                source.failed.len(),
                Term(&source.label),
                source.anchors
            )?;
        }
    }
    Ok(())
}

/// Renders one verification report as text: the verdict, the path (leaf → intermediates →
/// anchor with subject, SHA-256 fingerprint and expiry), then the findings with their fixes.
/// `input` names the chain (a file, or `host:port` after a fetch).
pub fn render_report(
    ctx: &mut Ctx<'_>,
    report: &VerifyReport,
    input: Option<&str>,
) -> anyhow::Result<()> {
    let name = input.map(|i| format!("{}: ", Term(i))).unwrap_or_default();
    let host = report
        .host
        .as_ref()
        .map(|h| format!(" for {}", Term(h)))
        .unwrap_or_default();
    let verdict = match &report.error {
        None if report.valid => ctx.paint("VALID", Paint::Green),
        None => ctx.paint("NOT VALID", Paint::Red),
        Some(e) => ctx.paint(format!("NOT VALID [{}]", Term(&e.code)), Paint::Red),
    };
    writeln!(
        ctx.out,
        "{name}{verdict}{host} ({} profile, trust {}, purpose {}, at {})",
        report.profile.name(),
        Term(&report.trust),
        Term(report.purposes.join("|")),
        chainscope::instant::human(&report.at)
    )?;
    if report.host.is_none() {
        writeln!(
            ctx.out,
            "  {}",
            ctx.paint("no host name checked (use --host)", Paint::Yellow)
        )?;
    }
    if !report.path.is_empty() {
        let heading = if report.valid {
            "path:"
        } else {
            "path (rejected):"
        };
        writeln!(ctx.out, "  {}", ctx.paint(heading, Paint::Bold))?;
        render_path(ctx, &report.path)?;
    }
    if !report.clients.is_empty() {
        writeln!(ctx.out, "  {}", ctx.paint("clients:", Paint::Bold))?;
        for v in &report.clients {
            let verdict = if v.accepts {
                ctx.paint("accepts", Paint::Green)
            } else {
                ctx.paint("rejects", Paint::Red)
            };
            let why = match (&v.reason, &v.message) {
                (Some(code), Some(m)) => format!(" [{}] {}", Term(code.as_str()), Term(m)),
                _ => String::new(),
            };
            let basis = match v.basis {
                chainscope::clients::Basis::Exact => "exact",
                _ => "model",
            };
            writeln!(ctx.out, "    {:<15}{verdict} ({basis}){why}", v.client.id())?;
        }
    }
    if report.all_paths.len() > 1 {
        for (i, path) in report.all_paths.iter().enumerate() {
            writeln!(
                ctx.out,
                "  {}",
                ctx.paint(format!("valid path {}:", i + 1), Paint::Bold)
            )?;
            render_path(ctx, path)?;
        }
    }
    if !report.findings.is_empty() {
        writeln!(ctx.out, "  {}", ctx.paint("findings:", Paint::Bold))?;
    }
    for f in &report.findings {
        let (label, paint) = match f.severity {
            Severity::Error => ("error  ", Paint::Red),
            Severity::Warning => ("warning", Paint::Yellow),
            Severity::Info => ("info   ", Paint::Dim),
            _ => ("note   ", Paint::Dim),
        };
        writeln!(
            ctx.out,
            "    {} [{}] {}",
            ctx.paint(label, paint),
            Term(&f.code),
            Term(&f.message)
        )?;
        if let Some(fix) = &f.fix {
            writeln!(ctx.out, "            fix: {}", Term(fix))?;
        }
        if let Some(clients) = &f.clients {
            writeln!(
                ctx.out,
                "            {}",
                ctx.paint(format!("clients: {}", Term(clients)), Paint::Dim)
            )?;
        }
    }
    Ok(())
}

fn render_path(ctx: &mut Ctx<'_>, path: &[chainscope::verify::PathEntry]) -> anyhow::Result<()> {
    for (i, entry) in path.iter().enumerate() {
        let source = match &entry.source {
            CertSource::Presented { index } => format!("sent as cert {}", index + 1),
            CertSource::Untrusted => "from --untrusted".to_owned(),
            CertSource::Aia { url } => format!("fetched from {}", Term(url)),
            CertSource::TrustStore { source } => format!("trust store: {}", Term(source)),
            _ => "from elsewhere".to_owned(),
        };
        writeln!(
            ctx.out,
            "    {} {:<12} {}",
            i + 1,
            Term(&entry.role),
            Term(&entry.subject)
        )?;
        let not_after = entry.not_after.as_deref().map(chainscope::instant::human);
        let expiry = match (&not_after, entry.days_left) {
            (Some(na), Some(d)) if d < 0 => format!("EXPIRED {na} ({} days ago)", -d),
            (Some(na), Some(d)) => format!("expires {na} ({d} days)"),
            _ => "expiry unknown (no certificate)".to_owned(),
        };
        let fp = if entry.spki_only {
            "spki-sha256"
        } else {
            "sha256"
        };
        writeln!(
            ctx.out,
            "      {}",
            ctx.paint(
                format!("{fp} {}  {expiry}  [{source}]", Term(&entry.sha256)),
                Paint::Dim
            )
        )?;
    }
    Ok(())
}
