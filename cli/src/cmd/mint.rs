//! `chainscope mint …`: private CAs, intermediates, leaves, self-signed certificates, and
//! signing CSRs. Parsing and rendering only; `chainscope::mint` does the work.

use std::io::{BufRead, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use chainscope::mint::{
    self, CaParams, IntermediateParams, IpCidr, Issuer, KeyType, LeafParams, MintKind, MintReport,
    NameConstraints, Passphrase, RenewParams, RenewReport, SignParams, Usage, WriteOptions,
};

use crate::output::{Paint, Term};
use crate::{Ctx, EXIT_OK};

/// What `chainscope mint --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope mint ca --name \"Hospital Root CA\" --permit-dns .hospital.local --out ca
  chainscope mint leaf --ca ca --dns proxy.hospital.local --ip 10.1.2.3 --out proxy
  chainscope mint sign --ca ca --csr device.csr --dns .devices.hospital.local --out device

Exit codes:
  0  minted and written
  2  refused or failed (bad arguments, a CA that cannot issue, a name outside its name
     constraints, existing files without --force, a write error); nothing is left on disk";

/// `--help` text of one `mint` subcommand: its examples, then the exit codes.
macro_rules! mint_help {
    ($($example:literal),+ $(,)?) => {
        concat!(
            "Examples:\n",
            $("  ", $example, "\n",)+
            "\nExit codes:\n  0  minted and written\n  2  refused or failed: one line on stderr, nothing new left on disk"
        )
    };
}

const CA_HELP: &str = mint_help!(
    "chainscope mint ca --name \"Example Hospital Internal Root CA\" --out ca",
    "chainscope mint ca --name \"Hospital Root\" --permit-dns .hospital.local \\\n      --permit-ip 10.0.0.0/8 --out ca",
    "chainscope mint ca --name \"Rehearsal Root\" --not-before 2020-01-01T00:00:00Z \\\n      --days 90 --out old-ca",
);
const INTERMEDIATE_HELP: &str = mint_help!(
    "chainscope mint intermediate --ca ca --name \"Hospital Proxies CA\" --out proxies-ca",
    "chainscope mint intermediate --ca-cert root.pem --ca-key root.key --name \"Wards CA\" \\\n      --permit-dns .wards.hospital.local --out wards-ca",
);
const LEAF_HELP: &str = mint_help!(
    "chainscope mint leaf --ca ca --dns proxy.hospital.local --ip 10.1.2.3 --out proxy",
    "chainscope mint leaf --ca ca --client --email ops@hospital.local --out ops-client",
    "chainscope mint leaf --ca ca --dns old.hospital.local \\\n      --not-before 2020-01-01T00:00:00Z --days 30 --out expired",
);
const SELF_SIGNED_HELP: &str = mint_help!(
    "chainscope mint self-signed --dns localhost --ip 127.0.0.1 --out dev",
    "chainscope mint self-signed --dns test.internal --days 7 --key-type ed25519 --out tmp",
);
const RENEW_HELP: &str = concat!(
    "Examples:\n",
    "  chainscope mint renew --from /etc/nginx/proxy --ca ca\n",
    "  chainscope mint renew --from proxy --ca ca --days 90 --reuse-key --json\n",
    "\nExit codes:\n  0  renewed: the new set is in place, the previous one kept as DIR.prev-TIME\n",
    "  2  refused or failed (a name the CA no longer permits, a CA certificate in --from, …):\n",
    "     one line on stderr, the set in --from unchanged"
);
const SIGN_HELP: &str = mint_help!(
    "chainscope mint sign --ca ca --csr device.csr --dns .devices.hospital.local --out device",
    "chainscope mint sign --ca ca --csr printer.csr --ip 10.1.0.0/16 --days 90 --out printer",
);

/// The `mint` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MintCommand {
    /// Mint a self-signed root CA (writes cert.pem, key.pem).
    #[command(after_help = CA_HELP)]
    Ca(Box<CaArgs>),
    /// Mint an intermediate CA signed by --ca (writes cert.pem, key.pem, chain.pem when
    /// --ca is itself an intermediate, fullchain.pem, ca.pem).
    #[command(after_help = INTERMEDIATE_HELP)]
    Intermediate(Box<IntermediateArgs>),
    /// Mint a server (default) or client certificate signed by --ca (writes cert.pem,
    /// key.pem, chain.pem when --ca is an intermediate, fullchain.pem, ca.pem).
    #[command(after_help = LEAF_HELP)]
    Leaf(Box<LeafArgs>),
    /// Mint a self-signed certificate: for throwaway cases; clients must pin it.
    #[command(after_help = SELF_SIGNED_HELP)]
    SelfSigned(Box<SelfSignedArgs>),
    /// Sign a CSR made on a device, with only the names allowed by --dns/--ip (writes
    /// cert.pem, chain.pem when --ca is an intermediate, fullchain.pem, ca.pem).
    #[command(after_help = SIGN_HELP)]
    Sign(Box<SignArgs>),
    /// Reissue the certificate in --from with the same subject, names, key type and
    /// extended key usage: a new serial and validity, a new key unless --reuse-key. The
    /// set in --from switches as a whole; the previous set is kept as DIR.prev-TIME.
    #[command(after_help = RENEW_HELP)]
    Renew(Box<RenewArgs>),
}

/// Arguments of `mint renew`.
#[derive(Debug, clap::Args)]
pub struct RenewArgs {
    /// The directory of the set to renew (cert.pem, key.pem, …), as minted earlier.
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub issuer: IssuerArgs,
    /// Validity in days (default: as long as the old certificate's; never beyond the
    /// issuer's).
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
    /// Keep the key: only the certificate is reissued (a set without key.pem, made by
    /// `mint sign`, needs it).
    #[arg(long)]
    pub reuse_key: bool,
    /// Passphrase of an encrypted key.pem, from the first line of FILE (asked on the
    /// terminal otherwise); the new key.pem is encrypted with it too.
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Print the report (what changed, files, reload command) as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Where and how the files are written.
#[derive(Debug, clap::Args)]
pub struct OutArgs {
    /// Directory to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Replace existing files: the whole set switches at once and the previous set is kept
    /// as DIR.prev-TIME. Also lets a CA key be written where other users can write.
    #[arg(long)]
    pub force: bool,
    /// Print the report (files written, names, validity, next steps) as JSON.
    #[arg(long)]
    pub json: bool,
}

/// When the validity starts.
#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// Start of validity (RFC 3339 or Unix seconds; default five minutes ago). --days
    /// count from it, so a date in the past makes an expired certificate, to rehearse
    /// expiry.
    #[arg(long, value_name = "TIME")]
    pub not_before: Option<String>,
}

impl StartArgs {
    fn parse(&self) -> anyhow::Result<Option<time::OffsetDateTime>> {
        Ok(match &self.not_before {
            Some(t) => Some(chainscope::instant::parse_instant(
                t,
                chainscope::Hint::NotBefore.as_str(),
            )?),
            None => None,
        })
    }
}

/// Key generation and protection.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// Key type of the new key pair.
    #[arg(long, value_name = "TYPE", default_value = "ecdsa-p256", value_parser = key_type_parser())]
    pub key_type: KeyType,
    /// Encrypt key.pem with a passphrase (PKCS#8 PBES2: PBKDF2-SHA256, AES-256-CBC). Asked
    /// on the terminal unless --passphrase-file is given.
    #[arg(long)]
    pub encrypt_key: bool,
    /// Read the passphrase for --encrypt-key from the first line of FILE.
    #[arg(long, value_name = "FILE", requires = "encrypt_key")]
    pub passphrase_file: Option<PathBuf>,
}

/// The CA that signs.
#[derive(Debug, clap::Args)]
pub struct IssuerArgs {
    /// Directory of the signing CA: DIR/cert.pem and DIR/key.pem (and chain.pem, ca.pem
    /// for an intermediate).
    #[arg(long, value_name = "DIR", required_unless_present = "ca_cert", conflicts_with_all = ["ca_cert", "ca_key"])]
    pub ca: Option<PathBuf>,
    /// The signing CA's certificate (optionally followed by the chain above it).
    #[arg(long, value_name = "FILE", requires = "ca_key")]
    pub ca_cert: Option<PathBuf>,
    /// The signing CA's private key.
    #[arg(long, value_name = "FILE", requires = "ca_cert")]
    pub ca_key: Option<PathBuf>,
    /// Passphrase of an encrypted CA key, from the first line of FILE (asked on the
    /// terminal otherwise).
    #[arg(long, value_name = "FILE")]
    pub ca_passphrase_file: Option<PathBuf>,
}

/// Name constraints of a CA.
#[derive(Debug, clap::Args)]
pub struct ConstraintArgs {
    /// Only names in this DNS subtree may be certified (repeatable): `hospital.local`
    /// covers it and its subdomains, `.hospital.local` only its subdomains.
    #[arg(long, value_name = "DOMAIN")]
    pub permit_dns: Vec<String>,
    /// Only addresses in this network may be certified (repeatable), e.g. 10.0.0.0/8.
    #[arg(long, value_name = "CIDR", value_parser = cidr_parser)]
    pub permit_ip: Vec<IpCidr>,
    /// Names in this DNS subtree may never be certified (repeatable).
    #[arg(long, value_name = "DOMAIN")]
    pub exclude_dns: Vec<String>,
    /// Addresses in this network may never be certified (repeatable).
    #[arg(long, value_name = "CIDR", value_parser = cidr_parser)]
    pub exclude_ip: Vec<IpCidr>,
}

impl ConstraintArgs {
    fn to_constraints(&self) -> NameConstraints {
        let mut o = NameConstraints::default();
        o.permitted_dns = self.permit_dns.clone();
        o.permitted_ips = self.permit_ip.clone();
        o.excluded_dns = self.exclude_dns.clone();
        o.excluded_ips = self.exclude_ip.clone();
        o
    }
}

/// Server or client certificate.
#[derive(Debug, clap::Args)]
pub struct UsageArgs {
    /// A TLS client certificate (extended key usage clientAuth).
    #[arg(long, conflicts_with = "server")]
    pub client: bool,
    /// A TLS server certificate (extended key usage serverAuth; the default).
    #[arg(long)]
    pub server: bool,
}

impl UsageArgs {
    fn usage(&self) -> Usage {
        if self.client {
            Usage::Client
        } else {
            Usage::Server
        }
    }
}

/// Names of a leaf.
#[derive(Debug, clap::Args)]
pub struct NameArgs {
    /// DNS name (repeatable): proxy.hospital.local, *.hospital.local.
    #[arg(long, value_name = "NAME")]
    pub dns: Vec<String>,
    /// IP address (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub ip: Vec<IpAddr>,
    /// E-mail address (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub email: Vec<String>,
    /// URI (repeatable), e.g. spiffe://hospital.local/proxy.
    #[arg(long, value_name = "URI")]
    pub uri: Vec<String>,
}

/// Arguments of `mint ca`.
#[derive(Debug, clap::Args)]
pub struct CaArgs {
    /// The CA's name (subject common name), e.g. "Example Hospital Internal Root CA".
    #[arg(long)]
    pub name: String,
    /// Maximum number of intermediates below this CA (unlimited if not given).
    #[arg(long, value_name = "N")]
    pub path_len: Option<u8>,
    /// Validity in days.
    #[arg(long, default_value_t = mint::DEFAULT_CA_DAYS)]
    pub days: u32,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub start: StartArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub constraints: ConstraintArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub key: KeyArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// Arguments of `mint intermediate`.
#[derive(Debug, clap::Args)]
pub struct IntermediateArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub issuer: IssuerArgs,
    /// The intermediate's name (subject common name).
    #[arg(long)]
    pub name: String,
    /// Maximum number of further intermediates below it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub path_len: u8,
    /// Validity in days (never beyond the issuer's).
    #[arg(long, default_value_t = mint::DEFAULT_INTERMEDIATE_DAYS)]
    pub days: u32,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub start: StartArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub constraints: ConstraintArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub key: KeyArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// Arguments of `mint leaf`.
#[derive(Debug, clap::Args)]
pub struct LeafArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub issuer: IssuerArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub names: NameArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub usage: UsageArgs,
    /// Validity in days. Default: one day under the CA/B Forum BR §6.3.2 limit at the
    /// start of validity — 199 from 2026-03-15, 99 from 2027-03-15, 46 from 2029-03-15 —
    /// so the leaf stays within it; more than 397 warns: Apple and Chrome refuse longer.
    #[arg(long)]
    pub days: Option<u32>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub start: StartArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub key: KeyArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// Arguments of `mint self-signed`.
#[derive(Debug, clap::Args)]
pub struct SelfSignedArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub names: NameArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub usage: UsageArgs,
    /// Validity in days (default: as for `mint leaf`, one day under the CA/B Forum limit
    /// at the start of validity; 199 from 2026-03-15).
    #[arg(long)]
    pub days: Option<u32>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub start: StartArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub key: KeyArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

/// Arguments of `mint sign`.
#[derive(Debug, clap::Args)]
pub struct SignArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub issuer: IssuerArgs,
    /// The certificate signing request (PEM or DER).
    #[arg(long, value_name = "FILE")]
    pub csr: PathBuf,
    /// DNS names the certificate may carry (repeatable): an exact name, or .domain for any
    /// name below it. Every DNS name the CSR asks for must be covered.
    #[arg(long, value_name = "NAME")]
    pub dns: Vec<String>,
    /// IP addresses or networks the certificate may carry (repeatable). Every address the
    /// CSR asks for must be covered.
    #[arg(long, value_name = "ADDR|CIDR", value_parser = cidr_parser)]
    pub ip: Vec<IpCidr>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub usage: UsageArgs,
    /// Validity in days (default: as for `mint leaf`, one day under the CA/B Forum limit
    /// at the start of validity; 199 from 2026-03-15).
    #[arg(long)]
    pub days: Option<u32>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub start: StartArgs,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub out: OutArgs,
}

fn key_type_parser() -> impl clap::builder::TypedValueParser<Value = KeyType> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(KeyType::ALL.map(KeyType::name)).map(|s| {
        s.parse::<KeyType>()
            .expect("possible values are key type names")
    })
}

fn cidr_parser(s: &str) -> Result<IpCidr, String> {
    s.parse::<IpCidr>().map_err(|e| e.to_string())
}

/// Runs `chainscope mint …`.
pub fn run(args: &MintCommand, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    mint_files(args, ctx).map_err(|e| crate::output::for_flags(e, &input_flags(args)))
}

/// The input files a `mint` command line names, with their flags (for error messages).
fn input_flags(args: &MintCommand) -> Vec<(&'static str, String)> {
    let text = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let mut inputs = Vec::new();
    let (issuer, key) = match args {
        MintCommand::Ca(a) => (None, Some(&a.key)),
        MintCommand::Intermediate(a) => (Some(&a.issuer), Some(&a.key)),
        MintCommand::Leaf(a) => (Some(&a.issuer), Some(&a.key)),
        MintCommand::SelfSigned(a) => (None, Some(&a.key)),
        MintCommand::Renew(a) => {
            inputs.push(("--from", a.from.display().to_string()));
            inputs.extend(text(&a.passphrase_file).map(|p| ("--passphrase-file", p)));
            (Some(&a.issuer), None)
        }
        MintCommand::Sign(a) => {
            inputs.push(("--csr", a.csr.display().to_string()));
            (Some(&a.issuer), None)
        }
    };
    if let Some(k) = key {
        inputs.extend(text(&k.passphrase_file).map(|p| ("--passphrase-file", p)));
    }
    if let Some(i) = issuer {
        inputs.extend(text(&i.ca).map(|p| ("--ca", p)));
        inputs.extend(text(&i.ca_cert).map(|p| ("--ca-cert", p)));
        inputs.extend(text(&i.ca_key).map(|p| ("--ca-key", p)));
        inputs.extend(text(&i.ca_passphrase_file).map(|p| ("--ca-passphrase-file", p)));
    }
    inputs
}

fn mint_files(args: &MintCommand, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    if let MintCommand::Renew(a) = args {
        return run_renew(a, ctx);
    }
    // Ask before the (possibly slow) key generation, not after.
    let key_args = match args {
        MintCommand::Ca(a) => Some(&a.key),
        MintCommand::Intermediate(a) => Some(&a.key),
        MintCommand::Leaf(a) => Some(&a.key),
        MintCommand::SelfSigned(a) => Some(&a.key),
        MintCommand::Sign(_) | MintCommand::Renew(_) => None,
    };
    let passphrase = match key_args {
        Some(k) if k.encrypt_key => Some(match &k.passphrase_file {
            Some(file) => read_passphrase_file(file)?,
            None => prompt_passphrase("Passphrase for the new key.pem", true)?,
        }),
        _ => None,
    };
    let (minted, out) = match args {
        MintCommand::Ca(a) => {
            let mut params = CaParams::new(a.name.clone());
            params.key_type = a.key.key_type;
            params.days = a.days;
            params.not_before = a.start.parse()?;
            params.path_len = a.path_len;
            params.name_constraints = a.constraints.to_constraints();
            (mint::root_ca(&params)?, &a.out)
        }
        MintCommand::Intermediate(a) => {
            let issuer = load_issuer(&a.issuer)?;
            let mut params = IntermediateParams::new(a.name.clone());
            params.key_type = a.key.key_type;
            params.days = a.days;
            params.not_before = a.start.parse()?;
            params.path_len = Some(a.path_len);
            params.name_constraints = a.constraints.to_constraints();
            (mint::intermediate(&issuer, &params)?, &a.out)
        }
        MintCommand::Leaf(a) => {
            let issuer = load_issuer(&a.issuer)?;
            let not_before = a.start.parse()?;
            let days = leaf_days(a.days, not_before);
            let mut params = leaf_params(&a.names, &a.usage, days, a.key.key_type);
            params.not_before = not_before;
            (mint::leaf(&issuer, &params)?, &a.out)
        }
        MintCommand::SelfSigned(a) => {
            let not_before = a.start.parse()?;
            let days = leaf_days(a.days, not_before);
            let mut params = leaf_params(&a.names, &a.usage, days, a.key.key_type);
            params.not_before = not_before;
            (mint::self_signed(&params)?, &a.out)
        }
        MintCommand::Sign(a) => {
            let issuer = load_issuer(&a.issuer)?;
            let (der, input) = read_csr(&a.csr)?;
            let mut params = SignParams::default();
            params.allow_dns = a.dns.clone();
            params.allow_ips = a.ip.clone();
            params.usage = a.usage.usage();
            params.not_before = a.start.parse()?;
            params.days = leaf_days(a.days, params.not_before);
            (mint::sign_csr(&issuer, &der, &input, &params)?, &a.out)
        }
        MintCommand::Renew(_) => unreachable!("handled above"),
    };
    let mut write = WriteOptions::default();
    write.force = out.force;
    write.passphrase = passphrase;
    let mut report = minted.write(&out.out, &write)?;
    add_own_steps(&mut report, &minted);
    crate::hints::apply_to_steps(&mut report.next_steps);
    if out.json {
        ctx.json(&report)?;
    } else {
        render(ctx, &report)?;
    }
    Ok(EXIT_OK)
}

/// chainscope's own next steps, among the library's (which are other tools'): minting a
/// leaf from a new CA, or a private CA instead of a self-signed certificate.
fn add_own_steps(report: &mut mint::MintReport, minted: &mint::Minted) {
    use chainscope::name_constraints::SubjectName;
    use mint::{MintKind, NextStep};
    match report.kind {
        MintKind::Ca | MintKind::Intermediate => {
            let name = match minted.example_leaf_name() {
                Some(SubjectName::Dns(d)) => format!("--dns {d}"),
                Some(SubjectName::Ip(ip)) => format!("--ip {ip}"),
                _ => "--dns NAME  # a name inside the CA's name constraints".to_owned(),
            };
            let step = NextStep::new(
                "Mint a server certificate",
                &[format!(
                    "chainscope mint leaf --ca {} {name} --out DIR",
                    report.dir.display()
                )],
            );
            report.next_steps.insert(0, step);
        }
        MintKind::SelfSigned => {
            let step = NextStep::new(
                "Better: a private CA whose root clients trust once",
                &[
                    "chainscope mint ca --name \"Example Internal Root CA\" --out ca".into(),
                    "chainscope mint leaf --ca ca --dns NAME --out DIR".into(),
                ],
            );
            // After the server configuration, before the trust stores.
            let at = report.next_steps.len().min(1);
            report.next_steps.insert(at, step);
        }
        _ => {}
    }
}

fn run_renew(a: &RenewArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let issuer = load_issuer(&a.issuer)?;
    let mut params = RenewParams::default();
    params.days = a.days;
    params.reuse_key = a.reuse_key;
    params.passphrase = match &a.passphrase_file {
        Some(f) => Some(read_passphrase_file(f)?),
        None => None,
    };
    let report = match mint::renew(&a.from, &issuer, &params) {
        Err(chainscope::Error::Mint(mint::MintError::KeyEncrypted { input }))
            if params.passphrase.is_none() =>
        {
            params.passphrase = Some(prompt_passphrase(
                &format!("Passphrase for {input} (the new key.pem gets it too)"),
                !a.reuse_key,
            )?);
            mint::renew(&a.from, &issuer, &params)?
        }
        other => other?,
    };
    if a.json {
        ctx.json(&report)?;
    } else {
        render_renewal(ctx, &report)?;
    }
    Ok(EXIT_OK)
}

fn render_renewal(ctx: &mut Ctx<'_>, r: &RenewReport) -> anyhow::Result<()> {
    let key = if r.key_reused { "key kept" } else { "new key" };
    let heading = ctx.paint(
        format!(
            "Renewed {} ({}, {key})",
            Term(r.dir.display()),
            Term(&r.key_type)
        ),
        Paint::Bold,
    );
    writeln!(ctx.out, "{heading}")?;
    writeln!(ctx.out, "  subject  {}", Term(&r.subject))?;
    writeln!(ctx.out, "  names    {}", Term(r.names.join(", ")))?;
    if !r.extended_key_usage.is_empty() {
        writeln!(
            ctx.out,
            "  usage    {}",
            Term(r.extended_key_usage.join(", "))
        )?;
    }
    writeln!(ctx.out, "Changed:")?;
    writeln!(ctx.out, "  serial      {}", Term(&r.serial.old))?;
    writeln!(ctx.out, "           →  {}", Term(&r.serial.new))?;
    writeln!(
        ctx.out,
        "  valid       {} → {}",
        r.not_before.old, r.not_after.old
    )?;
    writeln!(
        ctx.out,
        "           →  {} → {}",
        r.not_before.new, r.not_after.new
    )?;
    if r.key_fingerprint.changed() {
        writeln!(ctx.out, "  key sha256  {}", r.key_fingerprint.old)?;
        writeln!(ctx.out, "           →  {}", r.key_fingerprint.new)?;
    } else {
        writeln!(
            ctx.out,
            "  key sha256  {} (unchanged)",
            r.key_fingerprint.new
        )?;
    }
    if r.issuer.changed() {
        writeln!(ctx.out, "  issuer      {}", Term(&r.issuer.old))?;
        writeln!(ctx.out, "           →  {}", Term(&r.issuer.new))?;
    }
    writeln!(ctx.out)?;
    writeln!(ctx.out, "Wrote {}:", Term(r.dir.display()))?;
    for f in &r.files {
        writeln!(ctx.out, "  {}", Term(&f.name))?;
    }
    if let Some(prev) = &r.previous {
        let line = ctx.paint(
            format!("previous set kept in {}", Term(prev.display())),
            Paint::Dim,
        );
        writeln!(ctx.out, "  {line}")?;
    }
    for w in &r.warnings {
        let label = ctx.paint("warning:", Paint::Yellow);
        writeln!(ctx.err, "{label} {}", Term(w))?;
    }
    writeln!(ctx.out)?;
    writeln!(ctx.out, "{}", ctx.paint("Reload nginx", Paint::Bold))?;
    for line in &r.reload {
        writeln!(ctx.out, "  {}", Term(line))?;
    }
    Ok(())
}

/// `--days`, or the default for a leaf starting at `not_before` (now when not given).
fn leaf_days(days: Option<u32>, not_before: Option<time::OffsetDateTime>) -> u32 {
    days.unwrap_or_else(|| {
        mint::default_leaf_days(not_before.unwrap_or_else(time::OffsetDateTime::now_utc))
    })
}

fn leaf_params(names: &NameArgs, usage: &UsageArgs, days: u32, key_type: KeyType) -> LeafParams {
    let mut params = LeafParams::for_dns(names.dns.clone());
    params.ips = names.ip.clone();
    params.emails = names.email.clone();
    params.uris = names.uri.clone();
    params.usage = usage.usage();
    params.days = days;
    params.key_type = key_type;
    params
}

fn load_issuer(a: &IssuerArgs) -> anyhow::Result<Issuer> {
    let passphrase = match &a.ca_passphrase_file {
        Some(f) => Some(read_passphrase_file(f)?),
        None => None,
    };
    let load = |p: Option<&Passphrase>| match (&a.ca, &a.ca_cert, &a.ca_key) {
        (Some(dir), _, _) => Issuer::load_dir(dir, p),
        (None, Some(cert), Some(key)) => Issuer::load_files(cert, key, p),
        _ => Err(chainscope::Error::InvalidArgument {
            what: "--ca".into(),
            reason: "give --ca DIR, or --ca-cert FILE and --ca-key FILE".into(),
        }),
    };
    match load(passphrase.as_ref()) {
        Err(chainscope::Error::Mint(mint::MintError::KeyEncrypted { input }))
            if passphrase.is_none() =>
        {
            let p = prompt_passphrase(&format!("Passphrase for {input}"), false)?;
            Ok(load(Some(&p))?)
        }
        other => Ok(other?),
    }
}

fn read_csr(path: &Path) -> anyhow::Result<(Vec<u8>, String)> {
    let name = path.display().to_string();
    let bundle = chainscope::load_path(path, &chainscope::LoadOptions::default())?;
    match bundle.csrs.into_iter().next() {
        Some(csr) => Ok((csr.der, name)),
        None if !bundle.certs.is_empty() => {
            anyhow::bail!("{name}: found a CERTIFICATE, expected CERTIFICATE REQUEST")
        }
        None => anyhow::bail!("{name}: no CERTIFICATE REQUEST found"),
    }
}

fn read_passphrase_file(path: &Path) -> anyhow::Result<Passphrase> {
    let bytes = chainscope::load::read_file(path, chainscope::load::InputKind::Passphrase)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!("{}: the passphrase file is not UTF-8 text", path.display())
    })?;
    let first = text.lines().next().unwrap_or_default();
    Passphrase::new(first).with_context(|| format!("{}", path.display()))
}

/// Asks on the controlling terminal with echo off (`stty -echo`); `confirm` asks twice.
fn prompt_passphrase(prompt: &str, confirm: bool) -> anyhow::Result<Passphrase> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .context("no terminal to ask for the passphrase on: use --passphrase-file")?;
    let ask = |label: &str| -> anyhow::Result<String> {
        let mut w = tty.try_clone()?;
        let _echo = EchoOff::new(&tty);
        write!(w, "{label}: ")?;
        w.flush()?;
        let mut line = String::new();
        std::io::BufReader::new(tty.try_clone()?).read_line(&mut line)?;
        writeln!(w)?;
        Ok(line)
    };
    let first = ask(prompt)?;
    if confirm {
        let again = ask("Again, to confirm")?;
        if first != again {
            anyhow::bail!("the passphrases do not match");
        }
    }
    Ok(Passphrase::new(first)?)
}

/// Turns terminal echo off for as long as it lives.
struct EchoOff(Option<std::fs::File>);

impl EchoOff {
    fn new(tty: &std::fs::File) -> Self {
        let t = tty.try_clone().ok();
        let ok = t.as_ref().is_some_and(|t| {
            std::process::Command::new("stty")
                .arg("-echo")
                .stdin(
                    t.try_clone()
                        .map(std::process::Stdio::from)
                        .unwrap_or(std::process::Stdio::null()),
                )
                .status()
                .is_ok_and(|s| s.success())
        });
        EchoOff(if ok { t } else { None })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            let _ = std::process::Command::new("stty")
                .arg("echo")
                .stdin(std::process::Stdio::from(t))
                .status();
        }
    }
}

fn describe(name: &str, report: &MintReport) -> &'static str {
    match name {
        "cert.pem" if matches!(report.kind, MintKind::Ca) => {
            "the root CA certificate: give this to clients"
        }
        "cert.pem" => "the certificate",
        "key.pem" if report.key_encrypted => "the private key (mode 0600, encrypted)",
        "key.pem" => "the private key (mode 0600)",
        "chain.pem" => "the intermediates between it and the root",
        "fullchain.pem" => "certificate + intermediates (nginx ssl_certificate)",
        "ca.pem" => "the root CA certificate: give this to clients",
        _ => "",
    }
}

fn render(ctx: &mut Ctx<'_>, r: &MintReport) -> anyhow::Result<()> {
    let what = match r.kind {
        MintKind::Ca => "a root CA".to_owned(),
        MintKind::Intermediate => "an intermediate CA".to_owned(),
        MintKind::Leaf | MintKind::Signed => match r.usage {
            Some(Usage::Client) => "a client certificate".to_owned(),
            _ => "a server certificate".to_owned(),
        },
        MintKind::SelfSigned => "a self-signed certificate".to_owned(),
        _ => "a certificate".to_owned(),
    };
    let key = match (r.kind, r.key_type) {
        (MintKind::Signed, _) => " for the CSR's key".to_owned(),
        (_, Some(k)) => format!(" ({k})"),
        _ => String::new(),
    };
    let heading = ctx.paint(format!("Minted {what}{key}"), Paint::Bold);
    writeln!(ctx.out, "{heading}")?;
    writeln!(ctx.out, "  subject  {}", Term(&r.subject))?;
    if r.issuer != r.subject {
        writeln!(ctx.out, "  issuer   {}", Term(&r.issuer))?;
    }
    if !r.names.is_empty() {
        writeln!(ctx.out, "  names    {}", Term(r.names.join(", ")))?;
    }
    writeln!(ctx.out, "  serial   {}", Term(&r.serial))?;
    writeln!(ctx.out, "  valid    {} → {}", r.not_before, r.not_after)?;
    writeln!(ctx.out)?;
    writeln!(ctx.out, "Wrote {}:", Term(r.dir.display()))?;
    for f in &r.files {
        writeln!(ctx.out, "  {:<14} {}", Term(&f.name), describe(&f.name, r))?;
        if let Some(bak) = &f.backup {
            let line = ctx.paint(
                format!(
                    "{:<14} (replaced; the old file is now {})",
                    "",
                    Term(bak.display())
                ),
                Paint::Dim,
            );
            writeln!(ctx.out, "  {line}")?;
        }
    }
    if let Some(prev) = &r.previous {
        let line = ctx.paint(
            format!("previous set kept in {}", Term(prev.display())),
            Paint::Dim,
        );
        writeln!(ctx.out, "  {line}")?;
    }
    for w in &r.warnings {
        let label = ctx.paint("warning:", Paint::Yellow);
        writeln!(ctx.err, "{label} {}", Term(w))?;
    }
    writeln!(ctx.out)?;
    writeln!(ctx.out, "{}", ctx.paint("Next steps", Paint::Bold))?;
    for step in &r.next_steps {
        writeln!(ctx.out, "  {}:", Term(&step.title))?;
        for line in &step.lines {
            writeln!(ctx.out, "    {}", Term(line))?;
        }
    }
    Ok(())
}
