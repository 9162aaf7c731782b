//! `chainscope show`: decode certificates and requests, and show how the chain fits together.

use anyhow::Context as _;
use chainscope::cert::{CertificateInfo, ValidityStatus};
use chainscope::chain::{ChainReport, LinkStatus};
use chainscope::csr::CsrInfo;
use chainscope::inspect::{InputReport, StreamedReport};
use chainscope::{CertificateDer, LoadOptions};
use time::OffsetDateTime;

use crate::output::{Paint, Term};
use crate::{Ctx, EXIT_ERROR, EXIT_OK};

/// What `chainscope show --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope show fullchain.pem
  chainscope show --json proxy/ | jq '.inputs[0].files[].file'
  openssl s_client -connect example.com:443 -showcerts </dev/null | chainscope show -

Exit codes:
  0  decoded
  2  input error: unreadable file, not a certificate, a block that does not decode
     (also when --keep-going skipped one)";

/// Arguments of `chainscope show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Certificate files (PEM, DER, PKCS#7), directories, or `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<String>,

    /// Print the decoded data as JSON (schema in the README).
    #[arg(long, conflicts_with = "pem")]
    pub json: bool,

    /// Re-emit the certificates as clean PEM (normalizes DER and PKCS#7 input).
    #[arg(long)]
    pub pem: bool,

    /// Also list every extension, with criticality and value.
    #[arg(long)]
    pub full: bool,

    /// Skip blocks that do not decode (reporting each on stderr) instead of stopping.
    #[arg(long)]
    pub keep_going: bool,

    /// Evaluate validity at this instant (RFC 3339 or Unix seconds) instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

/// The JSON document `show --json` prints.
#[derive(serde::Serialize)]
struct ShowJson<'a, R> {
    inputs: &'a [R],
}

/// Runs `chainscope show`.
pub fn run(args: &ShowArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let at = match &args.at {
        Some(text) => chainscope::verify::parse_time(text)?,
        None => OffsetDateTime::now_utc(),
    };
    let mut options = LoadOptions::default();
    options.keep_going = args.keep_going;
    // Everything is loaded before anything is printed: without --keep-going an input error
    // produces one error line and no partial output.
    let mut bundles = Vec::new();
    let mut failed = false;
    for input in &args.inputs {
        match chainscope::load_input(input, &options) {
            Ok(bundle) => {
                for skipped in &bundle.skipped {
                    writeln!(ctx.err, "chainscope: skipped {}", Term(skipped))?;
                    failed = true;
                }
                bundles.push(bundle);
            }
            Err(e) if args.keep_going => {
                writeln!(ctx.err, "chainscope: {}", Term(e))?;
                failed = true;
            }
            Err(e) => return Err(e.into()),
        }
    }
    if args.pem {
        // One block at a time: no copy of the whole bundle as DER and again as PEM text.
        for cert in bundles.iter().flat_map(|bundle| &bundle.certs) {
            ctx.out.write_all(pem(&cert.der)?.as_bytes())?;
        }
    } else if args.json {
        // Each certificate is decoded as it is written, so memory stays flat whatever the
        // bundle size (the loader has already parsed every certificate: decoding cannot
        // fail half-way in practice).
        let reports: Vec<StreamedReport<'_>> = bundles
            .iter()
            .map(|bundle| StreamedReport::new(bundle, at))
            .collect();
        ctx.json(&ShowJson { inputs: &reports })?;
    } else {
        let reports = bundles
            .iter()
            .map(|bundle| InputReport::from_bundle(bundle, at))
            .collect::<chainscope::Result<Vec<_>>>()?;
        let many = reports.len() > 1;
        for (i, report) in reports.iter().enumerate() {
            if i > 0 {
                writeln!(ctx.out)?;
            }
            render_report(ctx, report, args.full, many)?;
        }
    }
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}

/// Renders a list of certificates as `show` does (one block per certificate, then the chain
/// relations); `full` adds every extension. Other subcommands (fetch, verify) reuse it.
pub fn render_chain(
    ctx: &mut Ctx<'_>,
    certs: &[CertificateDer<'static>],
    at: OffsetDateTime,
    full: bool,
) -> anyhow::Result<()> {
    let report = InputReport::from_certs("presented chain", certs, at)
        .context("decoding the presented chain")?;
    render_report(ctx, &report, full, false)
}

/// Writes certificates as clean PEM.
pub fn render_pem(ctx: &mut Ctx<'_>, certs: &[CertificateDer<'static>]) -> anyhow::Result<()> {
    for cert in certs {
        ctx.out.write_all(pem(cert)?.as_bytes())?;
    }
    Ok(())
}

/// One `CERTIFICATE` block (RFC 7468: 64-column base64, LF line endings), by the `der`
/// crate's encoder.
fn pem(cert: &CertificateDer<'_>) -> anyhow::Result<String> {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, cert.as_ref())
        .map_err(|e| anyhow::anyhow!("PEM encoding: {e}"))
}

/// Renders one input's report as text.
pub fn render_report(
    ctx: &mut Ctx<'_>,
    report: &InputReport,
    full: bool,
    with_heading: bool,
) -> anyhow::Result<()> {
    if with_heading {
        let heading = format!(
            "== {} ({} certificate{}{})",
            Term(&report.input),
            report.certificates.len(),
            plural(report.certificates.len()),
            if report.requests.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} request{}",
                    report.requests.len(),
                    plural(report.requests.len())
                )
            }
        );
        writeln!(ctx.out, "{}", ctx.paint(heading, Paint::Bold))?;
    }
    if report.format == chainscope::load::InputFormat::Directory {
        return render_directory(ctx, report, full);
    }
    for (i, entry) in report.certificates.iter().enumerate() {
        if i > 0 {
            writeln!(ctx.out)?;
        }
        render_certificate(ctx, entry.index, &entry.info, full)?;
    }
    for entry in &report.requests {
        if !report.certificates.is_empty() || entry.index > 0 {
            writeln!(ctx.out)?;
        }
        render_request(ctx, entry.index, &entry.info, full)?;
    }
    if report.certificates.len() > 1 {
        writeln!(ctx.out)?;
        render_relations(ctx, &report.chain)?;
    }
    Ok(())
}

/// Renders a directory file by file, in name order: each file's certificates numbered
/// within the file as `show FILE` numbers them (a certificate an earlier file holds too is
/// named, not repeated), then that file's chain relations; a file without certificates gets
/// one note line.
fn render_directory(ctx: &mut Ctx<'_>, report: &InputReport, full: bool) -> anyhow::Result<()> {
    let mut shown = vec![false; report.certificates.len()];
    for (n, file) in report.files.iter().enumerate() {
        if n > 0 {
            writeln!(ctx.out)?;
        }
        if let Some(note) = &file.note {
            let line = format!("-- {}: skipped, {}", Term(&file.file), Term(note));
            writeln!(ctx.out, "{}", ctx.paint(line, Paint::Dim))?;
            continue;
        }
        if file.certificates.is_empty() {
            let line = format!(
                "-- {}: skipped, it does not decode (see the error above)",
                Term(&file.file)
            );
            writeln!(ctx.out, "{}", ctx.paint(line, Paint::Dim))?;
            continue;
        }
        let count = file.certificates.len();
        let heading = format!(
            "-- {} ({count} certificate{})",
            Term(&file.file),
            plural(count)
        );
        writeln!(ctx.out, "{}", ctx.paint(heading, Paint::Bold))?;
        for (local, &global) in file.certificates.iter().enumerate() {
            let entry = &report.certificates[global];
            if local > 0 && !shown[global] {
                writeln!(ctx.out)?;
            }
            if shown[global] {
                let from = entry.file.as_deref().unwrap_or(&report.input);
                writeln!(
                    ctx.out,
                    "cert {}  {}  (as in {}, shown above)",
                    local + 1,
                    Term(&entry.info.subject),
                    Term(from)
                )?;
            } else {
                render_certificate(ctx, local, &entry.info, full)?;
                shown[global] = true;
            }
        }
        if let (Some(chain), true) = (&file.chain, count > 1) {
            writeln!(ctx.out)?;
            render_relations(ctx, chain)?;
        }
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn field(ctx: &mut Ctx<'_>, label: &str, value: impl std::fmt::Display) -> anyhow::Result<()> {
    writeln!(ctx.out, "  {:<10} {value}", label)?;
    Ok(())
}

/// A date as `2025-06-01 00:00:00 UTC` from RFC 3339 text.
fn short_date(rfc3339: &str) -> String {
    match rfc3339.split_once('T') {
        Some((date, rest)) => {
            let time = rest.trim_end_matches('Z');
            let time = time.split('.').next().unwrap_or(time);
            format!("{date} {time} UTC")
        }
        None => rfc3339.to_owned(),
    }
}

fn validity_text(ctx: &Ctx<'_>, info: &CertificateInfo) -> String {
    let v = &info.validity;
    let days = v.days_remaining;
    let relative = match v.status {
        ValidityStatus::Expired => {
            let ago = -days;
            ctx.paint(
                format!(
                    "EXPIRED {} day{} ago",
                    ago,
                    plural(ago.unsigned_abs() as usize)
                ),
                Paint::Red,
            )
        }
        ValidityStatus::NotYetValid => ctx.paint("NOT YET VALID", Paint::Red),
        ValidityStatus::Valid if days < 30 => ctx.paint(
            format!("expires in {days} day{}", plural(days as usize)),
            Paint::Yellow,
        ),
        ValidityStatus::Valid => ctx.paint(
            format!("expires in {days} day{}", plural(days as usize)),
            Paint::Green,
        ),
    };
    format!(
        "{} → {} ({relative})",
        short_date(&v.not_before),
        short_date(&v.not_after)
    )
}

/// A key as a person names it: `EC P-256`, `RSA 2048 bits`, `Ed25519`.
pub(crate) fn key_text(info: &chainscope::cert::PublicKeyInfo) -> String {
    match (&info.curve, info.bits) {
        (Some(curve), _) => format!("{} {curve}", info.algorithm),
        (None, Some(bits)) if info.algorithm == "RSA" || info.algorithm == "DSA" => {
            format!("{} {bits} bits", info.algorithm)
        }
        _ => info.algorithm.clone(),
    }
}

fn names_text(san: &chainscope::cert::SubjectAltNames) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    names.extend(san.dns.iter().map(|n| format!("DNS:{n}")));
    names.extend(san.ip.iter().map(|n| format!("IP:{n}")));
    names.extend(san.email.iter().map(|n| format!("email:{n}")));
    names.extend(san.uri.iter().map(|n| format!("URI:{n}")));
    names.extend(san.other.iter().map(|n| format!("{}:{}", n.kind, n.value)));
    if names.is_empty() {
        None
    } else {
        Some(Term(names.join(", ")).to_string())
    }
}

/// Renders one certificate block.
pub fn render_certificate(
    ctx: &mut Ctx<'_>,
    index: usize,
    info: &CertificateInfo,
    full: bool,
) -> anyhow::Result<()> {
    let title = format!("cert {}  {}", index + 1, Term(&info.subject));
    writeln!(ctx.out, "{}", ctx.paint(title, Paint::Bold))?;
    let issuer = if info.self_signed {
        format!("{} (self-signed)", Term(&info.issuer))
    } else if info.self_issued {
        format!("{} (self-issued)", Term(&info.issuer))
    } else {
        Term(&info.issuer).to_string()
    };
    field(ctx, "issuer", issuer)?;
    let validity = validity_text(ctx, info);
    field(ctx, "validity", validity)?;
    let names = match names_text(&info.subject_alt_names) {
        Some(names) => names,
        None if info.is_ca() => "none".to_owned(),
        None => ctx.paint(
            "none (no subjectAltName: TLS clients will reject it for any host name)",
            Paint::Yellow,
        ),
    };
    field(ctx, "names", names)?;
    field(ctx, "key", Term(key_text(&info.public_key)))?;
    field(ctx, "signature", Term(&info.signature_algorithm.name))?;
    let ca = match &info.basic_constraints {
        Some(bc) if bc.ca => match bc.path_len {
            Some(n) => format!("yes (path length {n})"),
            None => "yes".to_owned(),
        },
        Some(_) => "no".to_owned(),
        None => "no (no basicConstraints)".to_owned(),
    };
    field(ctx, "CA", ca)?;
    // On a CA, name constraints decide which names it can certify: shown without --full.
    if let Some(nc) = &info.name_constraints {
        let mut parts = Vec::new();
        if !nc.permitted.is_empty() {
            parts.push(format!("permitted {}", nc.permitted.join(", ")));
        }
        if !nc.excluded.is_empty() {
            parts.push(format!("excluded {}", nc.excluded.join(", ")));
        }
        if parts.is_empty() {
            parts.push("none (the extension has no subtrees)".to_owned());
        }
        if !nc.critical {
            parts.push("not critical".to_owned());
        }
        writeln!(ctx.out, "  name constraints  {}", Term(parts.join("; ")))?;
    }
    if let Some(eku) = &info.extended_key_usage {
        let list = eku
            .usages
            .iter()
            .map(|u| u.display().to_owned())
            .collect::<Vec<_>>()
            .join(", ");
        field(ctx, "purposes", Term(list))?;
    }
    field(ctx, "serial", Term(&info.serial))?;
    field(ctx, "sha256", &info.fingerprints.sha256)?;
    field(
        ctx,
        "spki pin",
        format!("sha256//{}", info.fingerprints.spki_sha256_base64),
    )?;
    if full {
        field(ctx, "version", format!("v{}", info.version))?;
        field(ctx, "sha1", &info.fingerprints.sha1)?;
        if info.must_staple {
            field(ctx, "must-staple", "yes")?;
        }
        if let Some(n) = info.sct_count {
            field(ctx, "SCTs", n)?;
        }
        render_extensions(ctx, &info.extensions)?;
    }
    Ok(())
}

fn render_extensions(
    ctx: &mut Ctx<'_>,
    extensions: &[chainscope::cert::ExtensionInfo],
) -> anyhow::Result<()> {
    if extensions.is_empty() {
        return field(ctx, "extensions", "none");
    }
    writeln!(ctx.out, "  extensions")?;
    for ext in extensions {
        let name = match &ext.name {
            Some(name) => format!("{name} ({})", ext.oid),
            None => ext.oid.clone(),
        };
        let critical = if ext.critical { " [critical]" } else { "" };
        let status = match ext.status {
            chainscope::cert::ExtensionStatus::Parsed => String::new(),
            chainscope::cert::ExtensionStatus::Unknown => " [not understood]".to_owned(),
            chainscope::cert::ExtensionStatus::Malformed => ctx.paint(
                format!(
                    " [MALFORMED: {}]",
                    Term(ext.error.as_deref().unwrap_or("does not decode"))
                ),
                Paint::Red,
            ),
            _ => String::new(),
        };
        writeln!(
            ctx.out,
            "    {}{critical}{status}: {}",
            Term(name),
            Term(&ext.value)
        )?;
    }
    Ok(())
}

/// Renders one certificate signing request.
pub fn render_request(
    ctx: &mut Ctx<'_>,
    index: usize,
    info: &CsrInfo,
    full: bool,
) -> anyhow::Result<()> {
    let title = format!("request {}  {}", index + 1, Term(&info.subject));
    writeln!(ctx.out, "{}", ctx.paint(title, Paint::Bold))?;
    let names = names_text(&info.subject_alt_names).unwrap_or_else(|| "none requested".into());
    field(ctx, "names", names)?;
    field(ctx, "key", Term(key_text(&info.public_key)))?;
    let signature = if info.signature_valid {
        ctx.paint(
            format!(
                "{} (self-signature valid)",
                Term(&info.signature_algorithm.name)
            ),
            Paint::Green,
        )
    } else {
        ctx.paint(
            format!(
                "{} (self-signature INVALID: {})",
                Term(&info.signature_algorithm.name),
                Term(info.signature_error.as_deref().unwrap_or("does not verify"))
            ),
            Paint::Red,
        )
    };
    field(ctx, "signature", signature)?;
    if let Some(eku) = &info.extended_key_usage {
        let list = eku
            .usages
            .iter()
            .map(|u| u.display().to_owned())
            .collect::<Vec<_>>()
            .join(", ");
        field(ctx, "purposes", Term(list))?;
    }
    if let Some(bc) = &info.basic_constraints {
        field(ctx, "CA", if bc.ca { "yes (requested)" } else { "no" })?;
    }
    field(ctx, "sha256", &info.sha256)?;
    if full {
        render_extensions(ctx, &info.extensions)?;
    }
    Ok(())
}

/// Renders the chain relations.
pub fn render_relations(ctx: &mut Ctx<'_>, chain: &ChainReport) -> anyhow::Result<()> {
    let summary = if chain.in_order {
        ctx.paint(Term(&chain.summary), Paint::Green)
    } else {
        ctx.paint(Term(&chain.summary), Paint::Yellow)
    };
    writeln!(ctx.out, "{} {summary}", ctx.paint("chain:", Paint::Bold))?;
    for link in &chain.links {
        let text = match link.status {
            LinkStatus::Issued => "issued by".to_owned(),
            LinkStatus::Duplicate => "duplicate of".to_owned(),
            LinkStatus::BadSignature => {
                "names match, but signature does NOT verify with".to_owned()
            }
            LinkStatus::KeyIdMismatch => "names match, but key identifier differs from".to_owned(),
            LinkStatus::NotIssuer => "NOT issued by".to_owned(),
            _ => "followed by".to_owned(),
        };
        let mark = if link.status == LinkStatus::Issued {
            ctx.paint("✔", Paint::Green)
        } else {
            ctx.paint("✘", Paint::Red)
        };
        writeln!(
            ctx.out,
            "  {mark} cert {} {text} cert {}",
            link.index + 1,
            link.issuer_index + 1
        )?;
    }
    for note in &chain.notes {
        writeln!(
            ctx.out,
            "  {} {}",
            ctx.paint("!", Paint::Yellow),
            Term(&note.message)
        )?;
    }
    Ok(())
}
