//! Downloading the issuers a chain lacks from the AIA caIssuers URLs of the
//! certificates that need them, before verification.
//!
//! [`fetch_aia`] walks the chain from the leaf up; for the first certificate whose issuer
//! is neither among the certificates given nor trusted, it downloads the certificate(s) at
//! its first `http://` caIssuers URL (RFC 5280 §4.2.2.1: DER, or a PKCS#7 bundle; PEM is
//! accepted too), and repeats, at most [`AiaOptions::max_hops`] times. The download is
//! plain HTTP/1.1 through hyper; one deadline ([`AiaOptions::timeout`], 5 s by default)
//! covers the whole of it (every hop: connect, request, headers and body), and the body is
//! capped at [`AiaOptions::max_bytes`]. A proxy ([`AiaOptions::proxy`], as
//! [`FetchOptions::proxy`](crate::fetch::FetchOptions::proxy) has it) is used as an HTTP
//! forward proxy (absolute-form `GET http://…`), unless `no_proxy` exempts the host.
//!
//! The result, [`AiaIssuers`], is an input of [`verify_chain`](crate::verify::verify_chain)
//! ([`VerifyOptions::aia`](crate::verify::VerifyOptions::aia)): the verification itself
//! does no I/O.
//!
//! ```no_run
//! # async fn demo() -> Result<(), chainscope::Error> {
//! use chainscope::fetch::{fetch_aia, AiaOptions};
//! use chainscope::trust::TrustStore;
//! use chainscope::verify::{verify_chain, VerifyOptions};
//!
//! let chain = chainscope::load_certificates("leaf-only.pem".as_ref())?;
//! let trust = TrustStore::system()?;
//! let mut options = VerifyOptions::for_host("example.com")?;
//! options.aia = fetch_aia(&chain, &options.untrusted, &trust, &AiaOptions::default()).await;
//! let report = verify_chain(&chain, &trust, &options);
//! # let _ = report; Ok(()) }
//! ```

use std::time::Duration;

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls_pki_types::CertificateDer;
use tokio::net::TcpStream;

use super::proxy::{AbortOnDrop, ProxyUrl};
use super::{human, FetchError, FetchOptions};
use crate::load::{load_bytes, LoadOptions};
use crate::trust::TrustStore;
use crate::verify::{AiaDownload, AiaIssuers};
use crate::x509::Certificate;

/// Limits and connection settings of AIA downloads.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AiaOptions {
    /// How many issuers may be downloaded one after the other (default 3).
    pub max_hops: usize,
    /// One deadline for the whole download, every hop and phase included (default 5 s).
    pub timeout: Duration,
    /// Largest response body accepted, in bytes (default 256 KiB).
    pub max_bytes: usize,
    /// HTTP proxy, `http://host:port`, used as a forward proxy (`None`: direct).
    pub proxy: Option<String>,
    /// Hosts reached without the proxy (`NO_PROXY` syntax).
    pub no_proxy: Vec<String>,
}

impl Default for AiaOptions {
    fn default() -> Self {
        AiaOptions {
            max_hops: 3,
            timeout: Duration::from_secs(5),
            max_bytes: 256 * 1024,
            proxy: None,
            no_proxy: Vec::new(),
        }
    }
}

impl AiaOptions {
    /// The default limits with the proxy settings of `fetch` (`proxy`, `no_proxy`).
    pub fn with_connection(connection: &FetchOptions) -> Self {
        AiaOptions {
            proxy: connection.proxy.clone(),
            no_proxy: connection.no_proxy.clone(),
            ..AiaOptions::default()
        }
    }
}

/// Downloads the issuers `presented` (leaf first) lacks, given the extra intermediates
/// `untrusted` and the trust store. Never fails: each download that did not work is an
/// [`AiaDownload`] with its reason (which names what timed out).
///
/// Runs on the caller's tokio runtime, any flavour; tokio's timer driver is not needed
/// (the deadline runs on a helper thread of its own). Outside a tokio runtime, each
/// download that would be needed is an [`AiaDownload`] failed for that reason.
///
/// # Panics
/// When awaited on a tokio runtime built without IO (`enable_io`) and a download is
/// needed: tokio's sockets panic there, and tokio offers no way to ask beforehand.
pub async fn fetch_aia(
    presented: &[CertificateDer<'static>],
    untrusted: &[CertificateDer<'static>],
    trust: &TrustStore,
    options: &AiaOptions,
) -> AiaIssuers {
    let deadline = std::time::Instant::now() + options.timeout;
    let mut pool: Vec<(Option<Certificate>, Option<usize>)> = presented
        .iter()
        .enumerate()
        .map(|(i, der)| (Certificate::parse(der), Some(i)))
        .chain(untrusted.iter().map(|der| (Certificate::parse(der), None)))
        .collect();
    let mut out = AiaIssuers::default();
    for _ in 0..options.max_hops {
        let Some(needy) = first_missing_issuer(&pool, trust) else {
            break;
        };
        let (Some(cert), index) = pool[needy].clone() else {
            break;
        };
        let subject = cert.subject.text.clone();
        let urls = cert.extensions.ca_issuers();
        let Some(url) = urls
            .iter()
            .find(|u| u.to_ascii_lowercase().starts_with("http://"))
            .cloned()
        else {
            if !urls.is_empty() {
                out.downloads.push(AiaDownload::failed(
                    urls.join(", "),
                    subject,
                    index,
                    "only http:// caIssuers URLs are fetched",
                ));
            }
            break;
        };
        if tokio::runtime::Handle::try_current().is_err() {
            out.downloads.push(AiaDownload::failed(
                url,
                subject,
                index,
                "fetch_aia must be awaited inside a tokio runtime (use fetch_aia_blocking \
                 without one)",
            ));
            break;
        }
        let phase = PhaseCell(std::sync::Mutex::new(Phase::Connect));
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let result = match super::deadline::within(left, get(&url, options, &phase)).await {
            Ok(Ok(body)) => decode(&body, &url),
            Ok(Err(reason)) => Err(reason),
            Err(_) => Err(format!(
                "timed out after {} while {} (one deadline covers the whole AIA download)",
                human(options.timeout),
                phase.get().words()
            )),
        };
        match result {
            Ok(certs) => {
                let new: Vec<CertificateDer<'static>> = certs
                    .into_iter()
                    .filter(|der| {
                        !pool
                            .iter()
                            .any(|(c, _)| c.as_ref().is_some_and(|c| c.der == *der))
                    })
                    .collect();
                let stop = new.is_empty();
                pool.extend(new.iter().map(|der| (Certificate::parse(der), None)));
                out.downloads
                    .push(AiaDownload::fetched(url, subject, index, new));
                if stop {
                    break;
                }
            }
            Err(reason) => {
                out.downloads
                    .push(AiaDownload::failed(url, subject, index, reason));
                break;
            }
        }
    }
    out
}

/// [`fetch_aia`] on a current-thread tokio runtime of its own, for callers without one.
///
/// # Errors
///
/// [`FetchError::Runtime`] when called from inside a tokio runtime (await [`fetch_aia`]
/// there: blocking would stall the runtime, and tokio refuses to nest), [`FetchError::Io`]
/// when no runtime can be built.
pub fn fetch_aia_blocking(
    presented: &[CertificateDer<'static>],
    untrusted: &[CertificateDer<'static>],
    trust: &TrustStore,
    options: &AiaOptions,
) -> Result<AiaIssuers, FetchError> {
    super::block_on(
        "AIA download",
        fetch_aia(presented, untrusted, trust, options),
    )
}

/// The phase a download is in, shared with the deadline's message (`Sync`, so that the
/// future stays `Send` for multi-threaded runtimes).
struct PhaseCell(std::sync::Mutex<Phase>);

impl PhaseCell {
    fn get(&self) -> Phase {
        self.0.lock().map_or(Phase::Connect, |p| *p)
    }

    fn set(&self, phase: Phase) {
        if let Ok(mut p) = self.0.lock() {
            *p = phase;
        }
    }
}

/// Where a download stands, for the timeout message.
#[derive(Debug, Clone, Copy)]
enum Phase {
    Connect,
    Request,
    Headers,
    Body,
}

impl Phase {
    fn words(self) -> &'static str {
        match self {
            Phase::Connect => "connecting",
            Phase::Request => "sending the request",
            Phase::Headers => "waiting for the response headers",
            Phase::Body => "reading the response body",
        }
    }
}

/// An I/O error in words, without the OS error number.
fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => "connection refused (nothing listens on that port)".into(),
        K::ConnectionReset => "the connection was reset".into(),
        K::ConnectionAborted => "the connection was aborted".into(),
        K::NotFound => "the host name does not resolve".into(),
        K::TimedOut => "the connection timed out".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_owned(),
                None => text,
            }
        }
    }
}

/// One bounded HTTP GET of `url` (plain http://), reporting its phase in `phase`.
async fn get(url: &str, options: &AiaOptions, phase: &PhaseCell) -> Result<Vec<u8>, String> {
    let uri: hyper::Uri = url.parse().map_err(|e| format!("not a valid URL ({e})"))?;
    if !uri
        .scheme_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("http"))
    {
        return Err("only http:// URLs are fetched".into());
    }
    let host = uri
        .host()
        .ok_or("the URL has no host")?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = uri.port_u16().unwrap_or(80);
    let authority = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .unwrap_or_else(|| host.clone());
    let proxy = options
        .proxy
        .as_deref()
        .filter(|p| !p.is_empty() && !super::proxy::bypasses_proxy(&options.no_proxy, &host))
        .map(ProxyUrl::parse)
        .transpose()
        .map_err(|e| e.to_string())?;
    // Through a proxy, the request target is the absolute URL (RFC 9112 §3.2.2).
    let (dial_host, dial_port, target) = match &proxy {
        Some(p) => (p.host.clone(), p.port, uri.to_string()),
        None => (
            host.clone(),
            port,
            uri.path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
        ),
    };
    phase.set(Phase::Connect);
    let stream = TcpStream::connect((dial_host.as_str(), dial_port))
        .await
        .map_err(|e| match &proxy {
            Some(p) => format!("cannot connect to the proxy {p}: {}", io_words(&e)),
            None => format!("cannot connect to {authority}: {}", io_words(&e)),
        })?;
    phase.set(Phase::Request);
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    let _driver = AbortOnDrop(tokio::spawn(async move {
        let _ = connection.await;
    }));
    let request = hyper::Request::get(target)
        .header(hyper::header::HOST, authority)
        .header(
            hyper::header::USER_AGENT,
            concat!("chainscope/", env!("CARGO_PKG_VERSION")),
        )
        .header(
            hyper::header::ACCEPT,
            "application/pkix-cert, application/pkcs7-mime, */*",
        )
        .body(Empty::<Bytes>::new())
        .map_err(|e| format!("cannot build the request: {e}"))?;
    phase.set(Phase::Headers);
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    let status = response.status();
    if status != hyper::StatusCode::OK {
        return Err(format!("HTTP status {status}"));
    }
    let too_large = || format!("the response is larger than {} bytes", options.max_bytes);
    if let Some(len) = response
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if len > options.max_bytes as u64 {
            return Err(too_large());
        }
    }
    phase.set(Phase::Body);
    let body = Limited::new(response.into_body(), options.max_bytes)
        .collect()
        .await
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                too_large()
            } else {
                format!("HTTP: {e}")
            }
        })?;
    Ok(body.to_bytes().to_vec())
}

/// The certificates of a caIssuers response (DER, PKCS#7 or PEM).
fn decode(body: &[u8], url: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let bundle = load_bytes(body, url, &LoadOptions::default()).map_err(|e| {
        let text = e.to_string();
        text.strip_prefix(&format!("{url}: "))
            .map(str::to_owned)
            .unwrap_or(text)
    })?;
    if bundle.certs.is_empty() {
        return Err("the response holds no certificate".into());
    }
    Ok(bundle.ders())
}

/// The first certificate, from the leaf up, whose issuer is neither in the pool nor
/// trusted.
fn first_missing_issuer(
    pool: &[(Option<Certificate>, Option<usize>)],
    trust: &TrustStore,
) -> Option<usize> {
    let mut cur = 0;
    let mut seen = vec![0];
    loop {
        let f = pool.get(cur)?.0.as_ref()?;
        if trust.find_by_subject(&f.issuer.raw).next().is_some() || f.self_issued() {
            return None;
        }
        let next = (0..pool.len()).find(|i| {
            !seen.contains(i)
                && pool[*i]
                    .0
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
