//! Live checks: what the running server presents, compared with the files.

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;

use super::check::Check;
use super::trust::{judge, verify_for_hosts};
use super::PreflightOptions;
use crate::cert::CertificateInfo;
use crate::fetch::PresentedChain;
use crate::trust::TrustStore;
use crate::verify::Code;

/// What the live server sent, or why it could not be reached.
pub(super) type Live = std::result::Result<crate::fetch::PresentedChain, crate::fetch::FetchError>;

pub(super) async fn capture(target: &str, options: &PreflightOptions) -> Live {
    use crate::fetch::{FetchOptions, Sni, Target};
    let target = Target::parse(target)?;
    let mut fetch: FetchOptions = options.fetch.clone();
    // Present the name clients use, even when connecting to an address before DNS moves.
    if fetch.sni == Sni::Auto {
        if let Some(host) = options
            .requirements
            .hosts
            .iter()
            .find(|h| h.parse::<IpAddr>().is_err())
        {
            fetch.sni = Sni::Name(host.clone());
        }
    }
    crate::fetch::fetch(&target, &fetch).await
}

pub(super) fn live_checks(
    live: Live,
    files: Option<&[CertificateDer<'static>]>,
    trust: &TrustStore,
    roots: &[String],
    options: &PreflightOptions,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let target = options.connect.as_deref().unwrap_or_default();
    let reach = Check::new(
        "live_reachable",
        format!("The live server {target} completes a TLS handshake"),
    );
    let chain = match live {
        Ok(chain) => chain,
        Err(e) => {
            checks.push(
                reach
                    .fail(
                        e.to_string(),
                        "check that the proxy is running and listening with TLS on that port",
                    )
                    .caused_by(e),
            );
            return checks;
        }
    };
    let chain = &chain;
    checks.push(reach.pass(format!(
        "{} {} via {}",
        chain.tls_version.as_deref().unwrap_or("TLS"),
        chain.cipher_suite.as_deref().unwrap_or(""),
        chain.peer
    )));

    let same = Check::new(
        "live_serves_files",
        "The live server presents exactly the files' chain",
    );
    checks.push(match files {
        None => same.skip("no certificate file given: nothing to compare with"),
        Some(files) if files == chain.certs.as_slice() => same.pass(format!(
            "{} certificate{} identical, same order",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        )),
        Some(files) => {
            let fp = |c: &CertificateDer<'_>| {
                CertificateInfo::decode(c, options.requirements.at)
                    .map(|i| format!("{} ({})", i.subject, &i.fingerprints.sha256[..23]))
                    .unwrap_or_else(|_| "(undecodable)".into())
            };
            if files.first() != chain.certs.first() {
                same.fail(
                    format!(
                        "the proxy still serves the old certificate: it sends {} but the file holds {}",
                        chain.certs.first().map(fp).unwrap_or_else(|| "nothing".into()),
                        fp(&files[0])
                    ),
                    "the proxy still serves the old certificate: reload nginx (nginx -s reload) after replacing the files, and check ssl_certificate points at this file",
                )
            } else {
                let unsent = unsent_intermediates(files, &chain.certs, options);
                let found = if unsent.is_empty() {
                    format!(
                        "same leaf, but it sends {} certificate(s) where the file holds {} (intermediates differ or are in another order)",
                        chain.certs.len(),
                        files.len()
                    )
                } else {
                    format!(
                        "same leaf, but the server does not send {} of the file ({} certificate(s) sent, {} in the file)",
                        quoted(&unsent),
                        chain.certs.len(),
                        files.len()
                    )
                };
                same.fail(
                    found,
                    "point ssl_certificate at the file that holds the full chain (the leaf, then its intermediates), then reload nginx",
                )
            }
        }
    });
    checks.push(live_trust_check(chain, files, trust, roots, options));

    let version = Check::new("live_tls_version", "The server negotiates TLS 1.2 or newer");
    let v = chain.tls_version.as_deref().unwrap_or("unknown");
    checks.push(match v {
        "TLSv1.2" | "TLSv1.3" => version.pass(v),
        "TLSv1.0" | "TLSv1.1" | "SSLv3" => version.fail(
            format!("{v}{}", if chain.legacy { " (captured through the legacy fallback)" } else { "" }),
            "enable TLS 1.2 and 1.3 only: ssl_protocols TLSv1.2 TLSv1.3; (TLS 1.0/1.1 are deprecated, RFC 8996)",
        ),
        other => version.warn(other, "check ssl_protocols"),
    });

    let staple = Check::new(
        "live_ocsp_staple",
        "A must-staple leaf comes with a stapled OCSP response",
    );
    let must_staple = chain
        .certs
        .first()
        .and_then(|c| CertificateInfo::decode(c, options.requirements.at).ok())
        .is_some_and(|i| i.must_staple);
    checks.push(match (&chain.ocsp, must_staple) {
        (Some(_), _) => staple.pass("stapled OCSP response present"),
        (None, true) => staple.fail(
            "the leaf is must-staple but no OCSP response was stapled: Firefox will refuse the connection",
            "ssl_stapling on; ssl_stapling_verify on; and a resolver in nginx",
        ),
        (None, false) => staple.pass("leaf is not must-staple; no staple required"),
    });
    checks
}

/// The subjects of the file's intermediates (certificates after the leaf that are not
/// self-issued roots) the server does not send.
fn unsent_intermediates(
    files: &[CertificateDer<'static>],
    sent: &[CertificateDer<'static>],
    options: &PreflightOptions,
) -> Vec<String> {
    files
        .iter()
        .skip(1)
        .filter(|c| !sent.contains(c))
        .filter_map(|c| CertificateInfo::decode(c, options.requirements.at).ok())
        .filter(|i| i.subject != i.issuer)
        .map(|i| i.subject.to_string())
        .collect()
}

/// `` `CN=A` `` or `` `CN=A`, `CN=B` ``, after "the intermediate(s)".
fn quoted(subjects: &[String]) -> String {
    let list: Vec<String> = subjects.iter().map(|s| format!("`{s}`")).collect();
    format!(
        "the intermediate{} {}",
        if list.len() == 1 { "" } else { "s" },
        list.join(", ")
    )
}

/// `live_chain_trusted`: the chain *as served* verifies to the roots for every host — what
/// a client connecting now receives, which is not the files when the server sends less.
/// When it fails because the server leaves out an intermediate the files hold, it says so.
fn live_trust_check(
    chain: &PresentedChain,
    files: Option<&[CertificateDer<'static>]>,
    trust: &TrustStore,
    roots: &[String],
    options: &PreflightOptions,
) -> Check {
    let check = Check::new(
        "live_chain_trusted",
        format!(
            "The chain the live server sends verifies to the roots ({}) for every host",
            roots.join(", ")
        ),
    );
    let Some(files) = files else {
        return check.skip("no certificate file given: chain_trusted checked the chain as served");
    };
    let reports = verify_for_hosts(&chain.certs, trust, options);
    let judged = judge(check, &reports, options);
    let missing = reports.iter().any(|(_, r)| {
        r.error
            .as_ref()
            .is_some_and(|e| matches!(e.code, Code::MissingIntermediate | Code::UnknownIssuer))
    });
    let unsent = unsent_intermediates(files, &chain.certs, options);
    if judged.status == super::CheckStatus::Fail && missing && !unsent.is_empty() {
        let found = format!(
            "the server does not send {}: point ssl_certificate at the full chain ({})",
            quoted(&unsent),
            judged.found
        );
        return Check {
            found,
            fix: Some(
                "point ssl_certificate at the full chain (the leaf, then its intermediates: the certificate file checked), then reload nginx".to_owned(),
            ),
            hint: None,
            ..judged
        };
    }
    judged
}
