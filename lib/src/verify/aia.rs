//! `--aia`: downloading a missing issuer from the AIA caIssuers URL of the certificate that
//! needs it — plain HTTP/1.0 only, bounded in size, time and number of hops.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use super::code::Code;
use super::findings::Finding;
use super::{AiaOptions, CertSource, Context, PoolCert};
use crate::load::{load_bytes, LoadOptions};

/// Fetches missing issuers into the pool, recording what was fetched (or failed) in `notes`.
pub(crate) fn complete(ctx: &mut Context<'_>, notes: &mut Vec<Finding>) {
    for _ in 0..ctx.options.aia.max_hops {
        let Some(needy) = first_missing_issuer(ctx) else {
            return;
        };
        let decoded = ctx.pool[needy].decoded.clone();
        let Some(f) = decoded else { return };
        let Some(url) = f
            .extensions
            .ca_issuers()
            .iter()
            .find(|u| u.starts_with("http://"))
            .cloned()
        else {
            if !f.extensions.ca_issuers().is_empty() {
                notes.push(Finding::new(
                    Code::AiaFetchFailed,
                    format!(
                        "the issuer of {} is only available at {} — only http:// URLs are fetched",
                        f.subject.text,
                        f.extensions.ca_issuers().join(", ")
                    ),
                ));
            }
            return;
        };
        match fetch_certs(&url, &ctx.options.aia) {
            Ok(certs) => {
                let before = ctx.pool.len();
                for der in certs {
                    if ctx.pool.iter().any(|c| c.der == der) {
                        continue;
                    }
                    ctx.pool
                        .push(PoolCert::new(der, CertSource::Aia { url: url.clone() }));
                }
                if ctx.pool.len() == before {
                    return;
                }
                let subject = ctx.pool[before].subject();
                notes.push(
                    Finding::new(Code::AiaFetched, format!("fetched the missing issuer {subject} from {url} (the AIA caIssuers URL of {}); the server does not send it", f.subject.text))
                        .cert(ctx.pool[needy].presented_index(), &f.subject.text)
                        .fix("configure the server to send the full chain: the leaf, then its intermediate(s)")
                        .clients(super::diagnose::NO_AIA_CLIENTS),
                );
            }
            Err(reason) => {
                notes.push(
                    Finding::new(
                        Code::AiaFetchFailed,
                        format!(
                            "could not fetch the issuer of {} from {url}: {reason}",
                            f.subject.text
                        ),
                    )
                    .cert(ctx.pool[needy].presented_index(), &f.subject.text),
                );
                return;
            }
        }
    }
}

/// The first certificate, from the leaf up, whose issuer is neither in the pool nor trusted.
fn first_missing_issuer(ctx: &Context<'_>) -> Option<usize> {
    let mut cur = 0;
    let mut seen = vec![0];
    loop {
        let f = ctx.pool[cur].decoded.as_ref()?;
        if ctx.trust.find_by_subject(&f.issuer.raw).next().is_some() || f.self_issued() {
            return None;
        }
        let next = (0..ctx.pool.len()).find(|i| {
            !seen.contains(i)
                && ctx.pool[*i]
                    .decoded
                    .as_ref()
                    .is_some_and(|c| c.subject.raw == f.issuer.raw)
        });
        match next {
            Some(n) if seen.len() < crate::chain::MAX_ISSUER_WALK => {
                seen.push(n);
                cur = n;
            }
            Some(_) => return None,
            None => return Some(cur),
        }
    }
}

/// Downloads `url` and decodes the certificates in it (DER, PEM or PKCS#7).
pub(crate) fn fetch_certs(
    url: &str,
    limits: &AiaOptions,
) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>, String> {
    let body = http_get(url, limits.timeout, limits.max_bytes)?;
    let bundle = load_bytes(&body, url, &LoadOptions::default()).map_err(|e| e.to_string())?;
    if bundle.certs.is_empty() {
        return Err("the response holds no certificate".into());
    }
    Ok(bundle.ders())
}

/// A bounded HTTP/1.0 GET over a plain TCP connection.
fn http_get(url: &str, timeout: Duration, max_bytes: usize) -> Result<Vec<u8>, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs are supported")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host_port = if authority.contains(':') && !authority.ends_with(']') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let addrs: Vec<_> = host_port
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?
        .collect();
    let mut last_err = String::from("no address");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last_err = format!("connect to {addr}: {e}"),
        }
    }
    let mut stream = stream.ok_or(last_err)?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "GET {path} HTTP/1.0\r\nHost: {authority}\r\nUser-Agent: chainscope\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let deadline = std::time::Instant::now() + timeout * 2;
    let mut response = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if std::time::Instant::now() > deadline {
            return Err("timed out".into());
        }
        let n = stream.read(&mut buf).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            break;
        }
        response.extend_from_slice(&buf[..n]);
        if response.len() > max_bytes + 16 * 1024 {
            return Err(format!("response larger than {max_bytes} bytes"));
        }
    }
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("malformed HTTP response")?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.lines().next().unwrap_or_default();
    let code = status.split_whitespace().nth(1).unwrap_or_default();
    if code != "200" {
        return Err(format!("HTTP status '{status}'"));
    }
    let body = response[split + 4..].to_vec();
    if body.len() > max_bytes {
        return Err(format!("response larger than {max_bytes} bytes"));
    }
    Ok(body)
}
