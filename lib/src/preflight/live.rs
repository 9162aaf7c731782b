//! Live checks: what the running server presents, compared with the files.

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;

use super::check::Check;
use super::PreflightOptions;
use crate::cert::CertificateInfo;

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
    live: &Live,
    files: Option<&[CertificateDer<'static>]>,
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
            checks.push(reach.fail(
                e.to_string(),
                "check that the proxy is running and listening with TLS on that port",
            ));
            return checks;
        }
    };
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
        None => same.skip("no --cert given: nothing to compare with"),
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
            let found = if files.first() != chain.certs.first() {
                format!(
                    "the proxy still serves the old certificate: it sends {} but the file holds {}",
                    chain.certs.first().map(fp).unwrap_or_else(|| "nothing".into()),
                    fp(&files[0])
                )
            } else {
                format!(
                    "same leaf, but it sends {} certificate(s) where the file holds {} (intermediates differ or are in another order)",
                    chain.certs.len(),
                    files.len()
                )
            };
            same.fail(found, "the proxy still serves the old certificate: reload nginx (nginx -s reload) after replacing the files, and check ssl_certificate points at this file")
        }
    });

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
