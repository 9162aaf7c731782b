//! Path building and verification that explains itself.
//!
//! [`verify_chain`] takes the certificates a server presents (leaf first), a [`TrustStore`]
//! and [`VerifyOptions`], and returns a [`VerifyReport`]: the verdict, the path that was
//! built (leaf → intermediates → trust anchor), the cause of a failure in plain words with
//! its fix, and every other problem found on the way as [`Finding`]s.
//!
//! The verdict starts from rustls-webpki's — what a rustls client decides — and the chosen
//! [`Profile`] may only add rejections: chainscope never accepts what webpki rejects.
//!
//! ```
//! use chainscope::trust::TrustStore;
//! use chainscope::verify::{verify_chain, Code, VerifyOptions};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa");
//! let chain = chainscope::load_certificates(format!("{dir}/chain.pem").as_ref())?;
//! let trust = TrustStore::from_spec(&format!("{dir}/root.pem"))?;
//! let options = VerifyOptions::for_host("rsa.chainscope.test")?;
//! let report = verify_chain(&chain, &trust, &options);
//! assert!(report.valid, "{:?}", report.error);
//! assert_eq!(report.path.len(), 3);
//!
//! let wrong = VerifyOptions::for_host("example.com")?;
//! let report = verify_chain(&chain, &trust, &wrong);
//! assert_eq!(report.error.unwrap().code, Code::HostnameMismatch);
//! # Ok::<(), chainscope::Error>(())
//! ```

mod algorithms;
mod code;
mod crl;
mod diagnose;
mod findings;
mod options;
mod path;
mod profile;
mod report;
pub mod rules;
mod walk;
mod words;

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;
use webpki::EndEntityCert;

use crate::trust::TrustStore;

pub use code::{Code, Kind, Source, UnknownCode};
pub use crl::{Crl, CrlDefect, CrlRef, CrlStatus, Revocation, RevocationCheck, RevocationReport};
pub use findings::{Finding, Severity};
pub use options::{
    parse_host, parse_time, AiaDownload, AiaIssuers, Profile, Purpose, VerifyOptions,
};
pub use report::{CertSource, PathEntry, VerifyError, VerifyReport, WebpkiVerdict};

pub(crate) use path::{Context, FoundPath, PoolCert};
use report::dedup_and_order;
pub(crate) use report::fmt_unix;
use rules::Violation;

/// Verifies `presented` (leaf first, then what the server sends) against `trust`.
///
/// Never fails: every problem — including an unparseable certificate — is part of the
/// report. Input errors (unreadable files, bad options) are caught before, when the
/// options are built.
///
/// The certificates may be borrowed: DER a TLS library hands over (rustls'
/// `peer_certificates()`), or bytes of the caller's own wrapped with `CertificateDer::from`.
///
/// ```
/// use chainscope::{verify_chain, CertificateDer, TrustStore, VerifyOptions};
///
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa");
/// let chain: Vec<Vec<u8>> = chainscope::load_certificates(format!("{dir}/chain.pem").as_ref())?
///     .into_iter()
///     .map(|c| c.to_vec())
///     .collect();
/// // Borrowed DER: no copy of the caller's bytes is needed to call verify_chain.
/// let borrowed: Vec<CertificateDer<'_>> =
///     chain.iter().map(|der| CertificateDer::from(der.as_slice())).collect();
/// let trust = TrustStore::from_path(format!("{dir}/root.pem").as_ref())?;
/// let mut options = VerifyOptions::for_host("rsa.chainscope.test")?;
/// options.at = Some(time::macros::datetime!(2030-01-01 00:00 UTC));
/// let report = verify_chain(&borrowed, &trust, &options);
/// assert!(report.valid, "{:?}", report.error);
/// # Ok::<(), chainscope::Error>(())
/// ```
pub fn verify_chain(
    presented: &[CertificateDer<'_>],
    trust: &TrustStore,
    options: &VerifyOptions,
) -> VerifyReport {
    let at = options.at.unwrap_or_else(OffsetDateTime::now_utc);
    // webpki compares whole seconds; a fractional time is floored (notBefore is inclusive).
    let time = at.unix_timestamp();
    let mut report = VerifyReport {
        valid: false,
        profile: options.profile,
        host: options.host.as_ref().map(|h| h.to_str().into_owned()),
        at: crate::instant::rfc3339_unix(time),
        purposes: if options.purposes.is_empty() {
            vec![Purpose::ServerAuth.name()]
        } else {
            options.purposes.iter().map(Purpose::name).collect()
        },
        trust: trust.label(),
        path: Vec::new(),
        error: None,
        findings: Vec::new(),
        webpki: WebpkiVerdict {
            valid: false,
            error: None,
        },
        all_paths: Vec::new(),
        clients: Vec::new(),

        revocation: None,
    };
    if presented.is_empty() {
        let f = Finding::new(Code::EmptyChain, "no certificate to verify")
            .fix("give a file that holds the leaf certificate first");
        report.error = Some(VerifyError {
            code: f.code,
            message: f.message.clone(),
            cert_index: None,
        });
        report.findings.push(f);
        report.webpki.error = Some("no certificate".into());
        return report;
    }
    let mut pool: Vec<PoolCert> = presented
        .iter()
        .enumerate()
        // The path candidates outlive the borrow: one owned copy of each.
        .map(|(index, der)| {
            PoolCert::new(der.clone().into_owned(), CertSource::Presented { index })
        })
        .collect();
    pool.extend(
        options
            .untrusted
            .iter()
            .map(|der| PoolCert::new(der.clone(), CertSource::Untrusted)),
    );
    let mut notes = Vec::new();
    add_aia_issuers(&mut pool, &options.aia, &mut notes);
    let ctx = Context::new(pool, trust, options, time);

    let build = ctx.build(false);
    let leaf = EndEntityCert::try_from(&ctx.pool[0].der).ok();
    let name_result = match (&options.host, &leaf) {
        (Some(host), Some(leaf)) => Some(leaf.verify_is_valid_for_subject_name(host)),
        _ => None,
    };
    let name_ok = name_result.as_ref().is_none_or(|r| r.is_ok());

    // What webpki alone decides: its path result (profile rejections aside) and the name.
    let webpki_path_ok = build.result.is_ok() || !build.rejected.is_empty();
    report.webpki.valid = webpki_path_ok && name_ok;
    report.webpki.error = match (&build.result, &name_result) {
        (Err(e), _) if build.rejected.is_empty() => Some(code::webpki_error_name(e).to_owned()),
        (_, Some(Err(e))) => Some(code::webpki_error_name(e).to_owned()),
        _ => None,
    };

    let mut findings: Vec<Finding> = Vec::new();
    // The path the report shows, with its violations at every level (found by the build:
    // the rules run once per path).
    let chosen: Option<(&FoundPath, &[Violation])> = match &build.result {
        Ok(p) => Some((p, &build.accepted)),
        Err(_) => build.rejected.first().map(|(p, v)| (p, v.as_slice())),
    };
    let chosen_path = chosen.map(|(p, _)| p);
    let diag = diagnose::Diagnoser::new(&ctx);
    match (&build.result, chosen) {
        (Ok(_), _) => {}
        (Err(_), Some((_, violations))) => {
            findings.extend(
                violations
                    .iter()
                    .filter(|v| v.rejects_under(options.profile))
                    .map(|v| v.finding(options.profile)),
            );
        }
        (Err(e), None) => findings.extend(diag.diagnose(e)),
    }
    if let Some(Err(e)) = &name_result {
        findings.push(diag.explain(e));
    }
    // Everything else wrong on the way, whether or not it decided the verdict.
    findings.extend(diag.other_problems(chosen_path));
    if let Some((path, violations)) = chosen {
        findings.extend(violations.iter().map(|v| v.finding(options.profile)));
        report.path = ctx.path_entries(path);
    }
    findings.extend(diag.notes(chosen_path));
    findings.extend(notes);

    if options.all_paths && build.result.is_ok() {
        let all = ctx.build(true);
        report.all_paths = all.all.iter().map(|p| ctx.path_entries(p)).collect();
        if report.all_paths.len() > 1 {
            findings.push(Finding::new(
                Code::AlternativePaths,
                format!(
                    "{} valid paths exist (cross-signed certificates)",
                    report.all_paths.len()
                ),
            ));
        }
    }

    report.valid = build.result.is_ok() && name_ok;
    report.revocation = ctx.crls.report(&ctx, chosen_path);
    report.findings = dedup_and_order(findings, report.valid);

    // One finding per unusable CRL (they name no certificate, so they are not deduplicated).
    report.findings.extend(ctx.crls.findings(&options.crls));
    report.findings.sort_by_key(|f| f.severity);
    if !report.valid {
        if let Some(first) = report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
        {
            report.error = Some(VerifyError {
                code: first.code,
                message: first.message.clone(),
                cert_index: first.cert_index,
            });
        }
    }
    if options.clients {
        report.clients = crate::clients::predict(presented, trust, options, &report);
    }
    report
}

/// Adds the issuers downloaded from AIA caIssuers URLs to the pool (source `aia`), with an
/// `aia_fetched` or `aia_fetch_failed` note for each download.
fn add_aia_issuers(pool: &mut Vec<PoolCert>, aia: &AiaIssuers, notes: &mut Vec<Finding>) {
    for download in &aia.downloads {
        let needy = &download.for_subject;
        match &download.result {
            Ok(certs) => {
                let before = pool.len();
                for der in certs {
                    if pool.iter().any(|c| c.der == *der) {
                        continue;
                    }
                    pool.push(PoolCert::new(
                        der.clone(),
                        CertSource::Aia {
                            url: download.url.clone(),
                        },
                    ));
                }
                if pool.len() == before {
                    continue;
                }
                let subject = pool[before].subject();
                notes.push(
                    Finding::new(
                        Code::AiaFetched,
                        format!(
                            "fetched the missing issuer {subject} from {} (the AIA caIssuers URL of {needy}); the server does not send it",
                            download.url
                        ),
                    )
                    .cert(download.for_index, needy)
                    .fix("configure the server to send the full chain: the leaf, then its intermediate(s)")
                    .clients(words::NO_AIA_CLIENTS),
                );
            }
            Err(reason) => notes.push(
                Finding::new(
                    Code::AiaFetchFailed,
                    format!(
                        "could not fetch the issuer of {needy} from {}: {reason}",
                        download.url
                    ),
                )
                .cert(download.for_index, needy)
                .fix("have the server send the intermediate; check the URL"),
            ),
        }
    }
}
