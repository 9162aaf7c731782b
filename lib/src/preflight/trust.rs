//! Trust checks: does the chain verify to the roots clients hold, for every host, and which
//! clients (Mozilla roots only, the supplied CA only) accept it.

use rustls_pki_types::CertificateDer;

use super::check::Check;
use super::{ClientProfile, PreflightOptions};
use crate::cert::CertificateInfo;

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
    let mut failures = Vec::new();
    let mut fixes = Vec::new();
    for host in &hosts {
        let report = crate::verify::verify_chain(chain, trust, &verify_options(*host, options));
        if !report.valid {
            let cause = report
                .findings
                .first()
                .map(|f| f.message.clone())
                .or_else(|| report.error.as_ref().map(|e| e.message.clone()))
                .unwrap_or_else(|| "not valid".into());
            failures.push(match host {
                Some(h) => format!("{h}: {cause}"),
                None => cause,
            });
            if let Some(fix) = report.findings.first().and_then(|f| f.fix.clone()) {
                if !fixes.contains(&fix) {
                    fixes.push(fix);
                }
            }
        }
    }
    if failures.is_empty() {
        let names = if options.requirements.hosts.is_empty() {
            "(no --host given: names not checked)".to_owned()
        } else {
            options.requirements.hosts.join(", ")
        };
        check.pass(format!("valid for {names}"))
    } else {
        let fix = if fixes.is_empty() {
            "see `chainscope verify` for the full explanation".to_owned()
        } else {
            fixes.join("; ")
        };
        check.fail(failures.join("; "), fix)
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
        (report.valid, why)
    };
    let supplied: Vec<&String> = roots
        .iter()
        .filter(|r| *r != "system" && *r != "mozilla")
        .collect();
    let (mozilla_ok, mozilla_why) = verdict(&crate::trust::TrustStore::mozilla());
    let mut statement = Check::new("client_trust", "Which clients will accept the chain");
    let mozilla_text = if mozilla_ok {
        "clients holding only the Mozilla roots: ACCEPT".to_owned()
    } else {
        format!("clients holding only the Mozilla roots: REJECT ({mozilla_why})")
    };
    let mut parts = vec![mozilla_text];
    let mut supplied_ok = None;
    if !supplied.is_empty() {
        let labels: Vec<&str> = supplied.iter().map(|s| s.as_str()).collect();
        match crate::trust::TrustStore::from_specs(&labels) {
            Ok(store) => {
                let (ok, why) = verdict(&store);
                supplied_ok = Some(ok);
                parts.push(if ok {
                    format!("clients holding only {}: ACCEPT", labels.join(", "))
                } else {
                    format!("clients holding only {}: REJECT ({why})", labels.join(", "))
                });
            }
            Err(e) => parts.push(format!("supplied roots unreadable: {e}")),
        }
    }
    statement = match (supplied_ok, mozilla_ok) {
        (Some(false), _) => statement.fail(
            parts.join("; "),
            "the chain does not lead to the CA you hand to clients: serve the intermediates that link the leaf to it",
        ),
        (None, false) if roots.iter().any(|r| r == "mozilla" || r == "system") => statement.fail(
            parts.join("; "),
            "a private CA's leaf needs its root installed on every client (see `chainscope mint` next steps); a public leaf needs its intermediates served",
        ),
        _ => statement.pass(parts.join("; ")),
    };
    checks.push(statement);
    if options.client_profile == ClientProfile::Compatible {
        let compat = Check::new(
            "compatible_key_type",
            "The leaf key type is accepted by older clients",
        );
        let compat = match CertificateInfo::decode(&chain[0], options.requirements.at) {
            Ok(leaf) if leaf.public_key.algorithm == "Ed25519" => compat.fail(
                "Ed25519 leaf: most TLS clients (browsers, Java, older OpenSSL) cannot use it",
                "reissue with --key-type ecdsa-p256 or rsa-2048",
            ),
            Ok(leaf) => compat.pass(leaf.public_key.algorithm),
            Err(e) => compat.fail(e.to_string(), "check the certificate file"),
        };
        checks.push(compat);
    }
    checks
}
