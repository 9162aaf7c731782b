//! Trust checks: does the chain verify to the roots clients hold, for every host, and which
//! client families accept it.

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

/// The chain verified for every required host (once without a name when none is given).
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
    fix_for(report.error.as_ref().map(|e| e.code), own)
}

/// The fix of a cause: the advice of [`cause_fix`] for the chain's end and a missing
/// intermediate, else `own()`.
fn fix_for(code: Option<Code>, own: impl FnOnce() -> String) -> String {
    match code {
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

/// What to do about one client family's rejection: for the causes [`cause_fix`] knows
/// (the chain's end, a missing intermediate) its advice, else the reason's generic fix.
fn family_fix(code: Code) -> String {
    fix_for(Some(code), || code.fix().to_owned())
}

/// `client_trust`: which client families ([`crate::clients`]) accept the chain, holding the
/// roots the checklist was given, for every required host, and why the others reject it.
///
/// Fails when a family of `required_clients` rejects (with that family's reason and fix)
/// or when no family accepts (the fix follows the cause: chainscope's own report); warns
/// when some families reject; passes when every family accepts.
pub(super) fn client_checks(
    chain: &[CertificateDer<'static>],
    trust: &crate::trust::TrustStore,
    roots: &[String],
    options: &PreflightOptions,
) -> Vec<Check> {
    let statement = Check::new("client_trust", "Which clients will accept the chain");
    let reports = verify_for_hosts(chain, trust, options);
    let several = reports.len() > 1;
    // Per family: accepts for every host, else the first rejection (host, code, message).
    let mut rejections: Vec<(crate::clients::Client, Option<&str>, Code, String)> = Vec::new();
    for (host, report) in &reports {
        let mut family_options = verify_options(*host, options);
        family_options.clients = true;
        for v in crate::clients::predict(chain, trust, &family_options, report) {
            if v.accepts || rejections.iter().any(|r| r.0 == v.client) {
                continue;
            }
            rejections.push((
                v.client,
                *host,
                v.reason.unwrap_or(Code::Other),
                v.message.unwrap_or_else(|| "no reason given".to_owned()),
            ));
        }
    }
    let accepting: Vec<&str> = crate::clients::Client::ALL
        .iter()
        .filter(|c| !rejections.iter().any(|r| r.0 == **c))
        .map(|c| c.id())
        .collect();
    let holding = format!("clients holding {}", roots.join(", "));
    let rejected: Vec<String> = rejections
        .iter()
        .map(|(client, host, code, message)| match host {
            Some(h) if several => {
                format!("{client} REJECT ({}, for {h}: {message})", code.as_str())
            }
            _ => format!("{client} REJECT ({}: {message})", code.as_str()),
        })
        .collect();
    let found = if rejections.is_empty() {
        format!(
            "{holding}: every client family accepts ({})",
            accepting.join(", ")
        )
    } else {
        let mut parts: Vec<String> = accepting.iter().map(|c| format!("{c} ACCEPT")).collect();
        parts.extend(rejected);
        format!("{holding}: {}", parts.join(", "))
    };
    let fix_of = |client: crate::clients::Client, code: Code| {
        // rustls's verdict is chainscope's own report: its fix names the certificate.
        match (
            client,
            rejections.iter().find(|r| r.0 == client).and_then(|r| r.1),
        ) {
            (crate::clients::Client::Rustls, host) => reports
                .iter()
                .find(|(h, r)| *h == host && !r.webpki.valid)
                .map(|(_, r)| cause_fix(r))
                .unwrap_or_else(|| family_fix(code)),
            _ => family_fix(code),
        }
    };
    let required = options
        .required_clients
        .iter()
        .find_map(|c| rejections.iter().find(|r| r.0 == *c));
    let check = if let Some((client, _, code, _)) = required {
        statement.fail(
            format!("{found}; required client {client} rejects"),
            format!("for {client}: {}", fix_of(*client, *code)),
        )
    } else if accepting.is_empty() {
        let cause = reports.iter().find(|(_, r)| !r.valid).map(|(_, r)| r);
        let fix = cause
            .map(cause_fix)
            .unwrap_or_else(|| family_fix(rejections[0].2));
        statement.fail(found, fix).hint(cause.and_then(cause_hint))
    } else if rejections.is_empty() {
        statement.pass(found)
    } else {
        let mut fixes: Vec<String> = Vec::new();
        for (client, _, code, _) in &rejections {
            let fix = format!("for {client}: {}", fix_of(*client, *code));
            if !fixes.contains(&fix) {
                fixes.push(fix);
            }
        }
        fixes.push(
            "name the families your clients use as required clients to make a rejection fail the check"
                .to_owned(),
        );
        statement.warn(found, fixes.join("; "))
    };
    finish(vec![check], chain, options)
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
            Err(e) => compat
                .fail(e.to_string(), "check the certificate file")
                .caused_by(e),
        };
        checks.push(compat);
    }
    checks
}
