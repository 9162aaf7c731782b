//! Trust checks: does the chain verify to the roots clients hold, for every host, and which
//! clients (Mozilla roots only, the supplied CA only) accept it.

use rustls_pki_types::CertificateDer;

use super::check::Check;
use super::{ClientProfile, PreflightOptions};
use crate::cert::CertificateInfo;
use crate::verify::{Code, Severity, VerifyReport};
use crate::Hint;

fn verify_options(host: Option<&str>, options: &PreflightOptions) -> crate::verify::VerifyOptions {
    crate::verify::VerifyOptions {
        host: host.and_then(|h| crate::verify::parse_host(h).ok()),
        at: Some(options.requirements.at),
        warn_days: u32::try_from(options.requirements.min_days.max(0)).unwrap_or(30),
        ..crate::verify::VerifyOptions::default()
    }
}

pub(super) fn trust_check(
    chain: &[CertificateDer<'static>],
    trust: &crate::trust::TrustStore,
    roots: &[String],
    options: &PreflightOptions,
) -> Check {
    let check = Check::new(
        "chain_trusted",
        format!(
            "The chain verifies to the roots ({}) for every host",
            roots.join(", ")
        ),
    );
    let reports = verify_for_hosts(chain, trust, options);
    judge(check, &reports, options)
}

/// The chain verified for every `--host` (once without a name when none is given).
pub(super) fn verify_for_hosts<'o>(
    chain: &[CertificateDer<'static>],
    trust: &crate::trust::TrustStore,
    options: &'o PreflightOptions,
) -> Vec<(Option<&'o str>, VerifyReport)> {
    let hosts: Vec<Option<&str>> = if options.requirements.hosts.is_empty() {
        vec![None]
    } else {
        options
            .requirements
            .hosts
            .iter()
            .map(|h| Some(h.as_str()))
            .collect()
    };
    hosts
        .into_iter()
        .map(|host| {
            let report = crate::verify::verify_chain(chain, trust, &verify_options(host, options));
            (host, report)
        })
        .collect()
}

/// The verdict's cause in words (the first error finding, else the error).
pub(super) fn cause(report: &VerifyReport) -> String {
    report
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .map(|f| f.message.clone())
        .or_else(|| report.error.as_ref().map(|e| e.message.clone()))
        .unwrap_or_else(|| "not valid".into())
}

/// What to do about an invalid chain, following its cause (the verify [`Code`]): a missing
/// intermediate is served, a root clients lack is installed on them, anything about one
/// certificate (expired, misnamed, wrong purpose…) is that certificate's own fix.
pub(super) fn cause_fix(report: &VerifyReport) -> String {
    let finding = report
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error);
    let own = || {
        finding
            .and_then(|f| f.fix.clone())
            .or_else(|| report.error.as_ref().map(|e| e.code.fix().to_owned()))
            .unwrap_or_else(|| "verify the chain for the full explanation".to_owned())
    };
    match report.error.as_ref().map(|e| e.code) {
        Some(Code::MissingIntermediate) => {
            "serve the intermediates that link the leaf to the clients' root: point ssl_certificate at the full chain (the leaf, then its intermediates)".to_owned()
        }
        Some(Code::UnknownIssuer) => {
            "the chain ends at a CA the clients neither hold nor receive: install its root on every client (a private CA), or serve the missing intermediate".to_owned()
        }
        Some(Code::UntrustedRoot | Code::SelfSignedLeaf) => format!(
            "the clients do not hold the root the chain ends at: install that (private) root on every client, or use a certificate from a CA they trust ({})",
            own()
        ),
        _ => own(),
    }
}

/// The input [`cause_fix`]'s fix asks to change, when it is the failing finding's own fix
/// and that names one.
pub(super) fn cause_hint(report: &VerifyReport) -> Option<Hint> {
    match report.error.as_ref().map(|e| e.code) {
        Some(Code::MissingIntermediate | Code::UnknownIssuer) => None,
        _ => report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .and_then(|f| f.hint),
    }
}

/// Passes when every host's report is valid, else fails with each host's cause and the
/// fixes that follow from them.
pub(super) fn judge(
    check: Check,
    reports: &[(Option<&str>, VerifyReport)],
    options: &PreflightOptions,
) -> Check {
    let mut failures = Vec::new();
    let mut fixes: Vec<String> = Vec::new();
    let mut hint = None;
    for (host, report) in reports {
        if !report.valid {
            let cause = cause(report);
            failures.push(match host {
                Some(h) => format!("{h}: {cause}"),
                None => cause,
            });
            let fix = cause_fix(report);
            hint = hint.or(cause_hint(report));
            if !fixes.contains(&fix) {
                fixes.push(fix);
            }
        }
    }
    if failures.is_empty() {
        let names = if options.requirements.hosts.is_empty() {
            "(no host name given: names not checked)".to_owned()
        } else {
            options.requirements.hosts.join(", ")
        };
        check.pass(format!("valid for {names}"))
    } else {
        check.fail(failures.join("; "), fixes.join("; ")).hint(hint)
    }
}

/// Plain statements of which clients accept the chain: those holding only the Mozilla
/// roots, and those holding only the supplied CA files.
pub(super) fn client_checks(
    chain: &[CertificateDer<'static>],
    roots: &[String],
    options: &PreflightOptions,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let host = options.requirements.hosts.first().map(String::as_str);
    let verdict = |trust: &crate::trust::TrustStore| {
        let report = crate::verify::verify_chain(chain, trust, &verify_options(host, options));
        let why = report
            .error
            .as_ref()
            .map(|e| e.code.as_str().replace('_', " "))
            .unwrap_or_default();
        (report.valid, why, report)
    };
    let supplied: Vec<&String> = roots
        .iter()
        .filter(|r| *r != "system" && *r != "mozilla")
        .collect();
    let (mozilla_ok, mozilla_why, mozilla_report) = verdict(&crate::trust::TrustStore::mozilla());
    let mut statement = Check::new("client_trust", "Which clients will accept the chain");
    let mozilla_text = if mozilla_ok {
        "clients holding only the Mozilla roots: ACCEPT".to_owned()
    } else {
        format!("clients holding only the Mozilla roots: REJECT ({mozilla_why})")
    };
    let mut parts = vec![mozilla_text];
    let mut supplied_ok = None;
    let mut supplied_report = None;
    let mut supplied_store = None;
    if !supplied.is_empty() {
        let labels: Vec<&str> = supplied.iter().map(|s| s.as_str()).collect();
        match crate::trust::TrustStore::from_specs(&labels) {
            Ok(store) => {
                let (ok, why, report) = verdict(&store);
                supplied_ok = Some(ok);
                supplied_report = Some(report);
                supplied_store = Some(store);
                parts.push(if ok {
                    format!("clients holding only {}: ACCEPT", labels.join(", "))
                } else {
                    format!("clients holding only {}: REJECT ({why})", labels.join(", "))
                });
            }
            Err(e) => parts.push(format!("supplied roots unreadable: {e}")),
        }
    }
    // Per client family (crate::clients), against the roots the clients are said to hold:
    // the supplied CA files when given, else the Mozilla roots.
    let family_report = supplied_report.as_ref().unwrap_or(&mozilla_report);
    let mut family_options = verify_options(host, options);
    family_options.clients = true;
    let mozilla = crate::trust::TrustStore::mozilla();
    let families = crate::clients::predict(
        chain,
        supplied_store.as_ref().unwrap_or(&mozilla),
        &family_options,
        family_report,
    );
    parts.push(format!(
        "by client family: {}",
        families
            .iter()
            .map(|v| match v.reason {
                None => format!("{} ACCEPT", v.client),
                Some(code) => format!("{} REJECT ({})", v.client, code.as_str()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some(client) = crate::clients::first_rejecting(&families, &options.required_clients) {
        let why = families
            .iter()
            .find(|v| v.client == client)
            .and_then(|v| v.message.clone())
            .unwrap_or_else(|| "no verdict".to_owned());
        let fix = families
            .iter()
            .find(|v| v.client == client)
            .and_then(|v| v.reason)
            .map_or("", |code| code.fix());
        checks.push(statement.fail(
            format!(
                "{}; required client {client} rejects: {why}",
                parts.join("; ")
            ),
            fix,
        ));
        return finish(checks, chain, options);
    }
    // The fix follows the cause the clients would reject for.
    statement = match (supplied_ok, mozilla_ok, &supplied_report) {
        (Some(false), _, Some(report)) => statement
            .fail(parts.join("; "), cause_fix(report))
            .hint(cause_hint(report)),
        (None, false, _) if roots.iter().any(|r| r == "mozilla" || r == "system") => {
            statement.fail(parts.join("; "), cause_fix(&mozilla_report))
        }
        _ => statement.pass(parts.join("; ")),
    };
    checks.push(statement);
    finish(checks, chain, options)
}

/// The checks after `client_trust`: `compatible_key_type` with the compatible profile.
fn finish(
    mut checks: Vec<Check>,
    chain: &[CertificateDer<'static>],
    options: &PreflightOptions,
) -> Vec<Check> {
    if options.client_profile == ClientProfile::Compatible {
        let compat = Check::new(
            "compatible_key_type",
            "The leaf key type is accepted by older clients",
        );
        let compat = match CertificateInfo::decode(&chain[0], options.requirements.at) {
            Ok(leaf) if leaf.public_key.algorithm == "Ed25519" => compat
                .fail(
                    "Ed25519 leaf: most TLS clients (browsers, Java, older OpenSSL) cannot use it",
                    "reissue with an ECDSA P-256 or RSA-2048 key",
                )
                .hint(Some(Hint::MintLeafKeyType)),
            Ok(leaf) => compat.pass(leaf.public_key.algorithm),
            Err(e) => compat.fail(e.to_string(), "check the certificate file"),
        };
        checks.push(compat);
    }
    checks
}
