//! The rustls capture: a recording verifier that accepts any chain but still checks the
//! handshake signature, a stream wrapper that keeps the first bytes the server sent (to
//! name what answered when it is not TLS), and the phase-bounded connection plan shared
//! with the legacy and STARTTLS paths.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ResolvesClientCert, Resumption};
use rustls::crypto::CryptoProvider;
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;

use super::proxy::ProxyUrl;
use super::{
    legacy, ocsp, proxy, starttls, FetchError, FetchOptions, HandshakeOutcome, IpFamily, Phase,
    PresentedChain, Sni, Starttls, Target, Timing, TlsVersion,
};

/// How many bytes of the server's first flight are kept for diagnosis (plain-text
/// detection, certificates of a TLS 1.2 server that aborts before ServerHelloDone).
const HEAD_LIMIT: usize = 256 * 1024;

/// Everything decided before connecting: names, addresses, limits.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) target: Target,
    /// `host:port` of the target, for messages.
    pub(super) label: String,
    pub(super) dial_host: String,
    pub(super) dial_port: u16,
    pub(super) sni: Option<String>,
    pub(super) starttls: Option<Starttls>,
    pub(super) proxy: Option<ProxyUrl>,
    pub(super) family: IpFamily,
    pub(super) alpn: Vec<Vec<u8>>,
    pub(super) min_tls: TlsVersion,
    pub(super) max_tls: TlsVersion,
    pub(super) legacy_fallback: bool,
    pub(super) max_certificates: usize,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    handshake_timeout: Option<Duration>,
    pub(super) started: Instant,
}

impl Plan {
    pub(super) fn new(target: &Target, options: &FetchOptions) -> Result<Plan, FetchError> {
        let port = if target.port_explicit {
            target.port
        } else {
            options.port.unwrap_or(target.port)
        };
        let (dial_host, dial_port) = match &options.connect_to {
            None => (target.host.clone(), port),
            Some(text) => {
                let t = Target::parse(text).map_err(|e| FetchError::InvalidOption {
                    option: "--connect-to".into(),
                    reason: match e {
                        FetchError::InvalidTarget { reason, .. } => format!("`{text}`: {reason}"),
                        other => other.to_string(),
                    },
                })?;
                (t.host, if t.port_explicit { t.port } else { port })
            }
        };
        let sni = match &options.sni {
            Sni::Auto => target.ip().is_none().then(|| target.host.clone()),
            Sni::None => None,
            Sni::Name(name) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                if name.parse::<IpAddr>().is_ok()
                    || super::target::validate_host(&name).is_err()
                    || ServerName::try_from(name.clone()).is_err()
                {
                    return Err(FetchError::InvalidOption {
                        option: "--sni".into(),
                        reason: format!(
                            "`{name}` is not a DNS name (SNI cannot carry an IP address)"
                        ),
                    });
                }
                Some(name)
            }
        };
        let bypass = options.no_proxy.iter().any(|rule| {
            let rule = rule.trim().trim_start_matches('*').to_ascii_lowercase();
            let host = target.host.as_str();
            rule.is_empty() && options.no_proxy.iter().any(|r| r.trim() == "*")
                || rule.strip_prefix('.').map_or(
                    !rule.is_empty() && (host == rule || host.ends_with(&format!(".{rule}"))),
                    |suffix| host.ends_with(&format!(".{suffix}")),
                )
        });
        let proxy = options
            .proxy
            .as_deref()
            .filter(|p| !p.is_empty() && !bypass)
            .map(ProxyUrl::parse)
            .transpose()?;
        if options.min_tls > options.max_tls {
            return Err(FetchError::InvalidOption {
                option: "--min-tls".into(),
                reason: format!("{} is above --max-tls {}", options.min_tls, options.max_tls),
            });
        }
        let label = Target {
            port,
            ..target.clone()
        }
        .authority();
        Ok(Plan {
            target: target.clone(),
            label,
            dial_host,
            dial_port,
            sni,
            starttls: options.starttls.or(target.starttls),
            proxy,
            family: options.family,
            alpn: options.alpn.iter().map(|p| p.as_bytes().to_vec()).collect(),
            min_tls: options.min_tls,
            max_tls: options.max_tls,
            legacy_fallback: options.legacy_fallback,
            max_certificates: options.max_certificates.max(1),
            timeout: options.timeout,
            connect_timeout: options.connect_timeout,
            handshake_timeout: options.handshake_timeout,
            started: Instant::now(),
        })
    }

    /// Whether the legacy capture may run: allowed, and TLS ≤ 1.2 is in range.
    pub(super) fn legacy_allowed(&self) -> bool {
        self.legacy_fallback && self.min_tls <= TlsVersion::Tls1_2
    }

    /// The time left before the overall deadline.
    pub(super) fn remaining(&self) -> Duration {
        (self.started + self.timeout).saturating_duration_since(Instant::now())
    }

    /// Runs `fut` as `phase`, bounded by that phase's timeout and the overall one.
    pub(super) async fn bounded<T>(
        &self,
        phase: Phase,
        fut: impl Future<Output = Result<T, FetchError>>,
    ) -> Result<T, FetchError> {
        let phase_limit = match phase {
            Phase::Dns | Phase::Connect | Phase::Proxy => self.connect_timeout,
            Phase::Starttls | Phase::Handshake => self.handshake_timeout,
        };
        let remaining = self.remaining();
        let (wait, option, limit) = match phase_limit {
            Some(l) if l < remaining => (
                l,
                match phase {
                    Phase::Dns | Phase::Connect | Phase::Proxy => "--connect-timeout",
                    _ => "--handshake-timeout",
                },
                l,
            ),
            _ => (remaining, "--timeout", self.timeout),
        };
        let phase_start = Instant::now();
        match tokio::time::timeout(wait, fut).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout {
                target: self.label.clone(),
                phase,
                after: if option == "--timeout" {
                    self.started.elapsed()
                } else {
                    phase_start.elapsed()
                },
                limit,
                option,
            }),
        }
    }

    /// Resolves, connects (through the proxy if any) and runs STARTTLS: a stream ready for
    /// the TLS ClientHello.
    pub(super) async fn open(
        &self,
        timing: &mut Timing,
    ) -> Result<(TcpStream, SocketAddr), FetchError> {
        let (host, port) = match &self.proxy {
            Some(p) => (p.host.as_str(), p.port),
            None => (self.dial_host.as_str(), self.dial_port),
        };
        let t = Instant::now();
        let addrs = self
            .bounded(Phase::Dns, resolve(host, port, self.family))
            .await?;
        timing.dns = t.elapsed();
        let t = Instant::now();
        let (mut stream, peer) = self.bounded(Phase::Connect, connect_any(&addrs)).await?;
        if let Some(p) = &self.proxy {
            self.bounded(
                Phase::Proxy,
                proxy::connect(&mut stream, p, &self.dial_host, self.dial_port),
            )
            .await?;
        }
        timing.connect = t.elapsed();
        if let Some(protocol) = self.starttls {
            let t = Instant::now();
            let domain = self.sni.clone().unwrap_or_else(|| self.target.host.clone());
            self.bounded(
                Phase::Starttls,
                starttls::upgrade(&mut stream, protocol, &domain, &self.label),
            )
            .await?;
            timing.starttls = t.elapsed();
        }
        Ok((stream, peer))
    }

    /// A chain report with the connection fields filled in.
    pub(super) fn report(
        &self,
        peer: SocketAddr,
        certs: Vec<CertificateDer<'static>>,
    ) -> PresentedChain {
        PresentedChain {
            target: self.label.clone(),
            host: self.dial_host.clone(),
            peer,
            proxy: self.proxy.as_ref().map(|p| p.to_string()),
            sni: self.sni.clone(),
            starttls: self.starttls,
            certs,
            tls_version: None,
            cipher_suite: None,
            key_exchange_group: None,
            signature_scheme: None,
            alpn: None,
            ocsp: None,
            key_possession_proven: false,
            legacy: false,
            handshake: HandshakeOutcome::Complete,
            timing: Timing::default(),
        }
    }
}

async fn resolve(host: &str, port: u16, family: IpFamily) -> Result<Vec<SocketAddr>, FetchError> {
    let all: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| FetchError::Dns {
                host: host.to_string(),
                reason: dns_reason(&e),
            })?
            .collect(),
    };
    let wanted: Vec<SocketAddr> = all
        .into_iter()
        .filter(|a| match family {
            IpFamily::Any => true,
            IpFamily::V4 => a.is_ipv4(),
            IpFamily::V6 => a.is_ipv6(),
        })
        .collect();
    if wanted.is_empty() {
        return Err(FetchError::NoAddress {
            host: host.to_string(),
            family: match family {
                IpFamily::V6 => "IPv6",
                IpFamily::V4 => "IPv4",
                IpFamily::Any => "IP",
            },
        });
    }
    Ok(wanted)
}

fn dns_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = text
        .strip_prefix("failed to lookup address information: ")
        .unwrap_or(&text);
    text.to_string()
}

async fn connect_any(addrs: &[SocketAddr]) -> Result<(TcpStream, SocketAddr), FetchError> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok((stream, *addr));
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = Some(FetchError::ConnectionRefused {
                    addr: addr.to_string(),
                })
            }
            Err(source) => {
                last = Some(FetchError::Connect {
                    addr: addr.to_string(),
                    source,
                })
            }
        }
    }
    Err(last.unwrap_or_else(|| FetchError::NoAddress {
        host: String::new(),
        family: "IP",
    }))
}

/// What the verifier and client-auth resolver saw during one handshake.
#[derive(Debug, Default)]
struct Recorded {
    certs: Vec<CertificateDer<'static>>,
    ocsp: Vec<u8>,
    scheme: Option<SignatureScheme>,
    proven: bool,
    signature_error: Option<String>,
    too_many: Option<usize>,
}

/// Records the chain and accepts it; checks the handshake signature with the provider's
/// algorithms (falling back to the raw SPKI when webpki cannot parse the leaf).
#[derive(Debug)]
struct RecordingVerifier {
    provider: Arc<CryptoProvider>,
    max_certificates: usize,
    recorded: Arc<Mutex<Recorded>>,
}

impl RecordingVerifier {
    fn note_signature(
        &self,
        result: &Result<HandshakeSignatureValid, rustls::Error>,
        scheme: SignatureScheme,
    ) {
        let mut r = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        r.scheme = Some(scheme);
        match result {
            Ok(_) => r.proven = true,
            Err(e) => r.signature_error = Some(e.to_string()),
        }
    }

    /// For leaves webpki refuses to parse (v1, unknown critical extension…): the SPKI
    /// taken out by x509-parser.
    fn leaf_spki(cert: &CertificateDer<'_>) -> Option<Vec<u8>> {
        use x509_parser::prelude::FromDer;
        let (_, x) = x509_parser::certificate::X509Certificate::from_der(cert.as_ref()).ok()?;
        Some(x.public_key().raw.to_vec())
    }

    fn falls_back(e: &rustls::Error) -> bool {
        matches!(
            e,
            rustls::Error::InvalidCertificate(
                CertificateError::BadEncoding | CertificateError::Other(_)
            )
        )
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut r = self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        let count = 1 + intermediates.len();
        if count > self.max_certificates {
            r.too_many = Some(count);
            return Err(rustls::Error::General(format!("{count} certificates")));
        }
        r.certs = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        r.ocsp = ocsp_response.to_vec();
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = &self.provider.signature_verification_algorithms;
        let mut result = rustls::crypto::verify_tls12_signature(message, cert, dss, algs);
        if let Err(e) = &result {
            if Self::falls_back(e) {
                if let Some(spki) = Self::leaf_spki(cert) {
                    let spki = SubjectPublicKeyInfoDer::from(spki.as_slice());
                    result = (|| {
                        let key = webpki::RawPublicKeyEntity::try_from(&spki)
                            .map_err(|e| rustls::Error::General(e.to_string()))?;
                        let candidates = algs
                            .mapping
                            .iter()
                            .filter(|(scheme, _)| *scheme == dss.scheme)
                            .flat_map(|(_, algs)| algs.iter());
                        for alg in candidates {
                            if key.verify_signature(*alg, message, dss.signature()).is_ok() {
                                return Ok(HandshakeSignatureValid::assertion());
                            }
                        }
                        Err(rustls::Error::InvalidCertificate(
                            CertificateError::BadSignature,
                        ))
                    })();
                }
            }
        }
        self.note_signature(&result, dss.scheme);
        result
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algs = &self.provider.signature_verification_algorithms;
        let mut result = rustls::crypto::verify_tls13_signature(message, cert, dss, algs);
        if let Err(e) = &result {
            if Self::falls_back(e) {
                if let Some(spki) = Self::leaf_spki(cert) {
                    let spki = SubjectPublicKeyInfoDer::from(spki.as_slice());
                    result = rustls::crypto::verify_tls13_signature_with_raw_key(
                        message, &spki, dss, algs,
                    );
                }
            }
        }
        self.note_signature(&result, dss.scheme);
        result
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Notes that the server asked for a client certificate, and offers none.
#[derive(Debug, Default)]
struct NoClientCert {
    requested: AtomicBool,
}

impl ResolvesClientCert for NoClientCert {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.requested.store(true, Ordering::Relaxed);
        None
    }

    fn has_certs(&self) -> bool {
        false
    }
}

/// The first bytes the server sent, kept for diagnosis.
#[derive(Debug, Default)]
pub(super) struct Head {
    pub(super) bytes: Vec<u8>,
}

/// A stream that copies the first [`HEAD_LIMIT`] bytes read into a shared [`Head`].
pub(super) struct Recorder<S> {
    inner: S,
    head: Arc<Mutex<Head>>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Recorder<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = result {
            let new = &buf.filled()[before..];
            let mut head = self.head.lock().unwrap_or_else(PoisonError::into_inner);
            let room = HEAD_LIMIT.saturating_sub(head.bytes.len());
            head.bytes.extend_from_slice(&new[..new.len().min(room)]);
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recorder<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The rustls versions within `[min, max]`.
fn rustls_versions(plan: &Plan) -> Vec<&'static rustls::SupportedProtocolVersion> {
    let mut v = Vec::new();
    if plan.min_tls <= TlsVersion::Tls1_3 && plan.max_tls >= TlsVersion::Tls1_3 {
        v.push(&rustls::version::TLS13);
    }
    if plan.min_tls <= TlsVersion::Tls1_2 && plan.max_tls >= TlsVersion::Tls1_2 {
        v.push(&rustls::version::TLS12);
    }
    v
}

/// `HandshakeFailure` → `handshake_failure`.
pub(super) fn snake(debug: &str) -> String {
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Names what answered when the first bytes are not a TLS record, or `None` if they look
/// like TLS.
pub(super) fn not_tls(label: &str, head: &[u8]) -> Option<FetchError> {
    if head.len() >= 2 && (0x14..=0x18).contains(&head[0]) && head[1] == 0x03 {
        return None;
    }
    if head.is_empty() {
        return None;
    }
    if head.starts_with(b"HTTP/") || head.starts_with(b"<!DOCTYPE") || head.starts_with(b"<html") {
        return Some(FetchError::PlaintextHttp {
            target: label.to_string(),
        });
    }
    let line: &[u8] = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let printable = line
        .iter()
        .take(80)
        .all(|b| b.is_ascii_graphic() || *b == b' ' || *b == b'\r' || *b == b'\t');
    if printable && line.len() >= 2 {
        let text = String::from_utf8_lossy(&line[..line.len().min(80)]);
        return Some(FetchError::PlaintextService {
            target: label.to_string(),
            line: text.trim_end().to_string(),
        });
    }
    let hex: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
    Some(FetchError::NotTls {
        target: label.to_string(),
        first_bytes: hex.join(" "),
    })
}

/// Runs the rustls capture.
pub(super) async fn capture(plan: &Plan) -> Result<PresentedChain, FetchError> {
    let versions = rustls_versions(plan);
    if versions.is_empty() {
        return Err(FetchError::NoSharedProtocol {
            target: plan.label.clone(),
            detail: format!(
                "TLS {}–{} asked for, rustls speaks 1.2 and 1.3",
                plan.min_tls, plan.max_tls
            ),
        });
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let recorded = Arc::new(Mutex::new(Recorded::default()));
    let verifier = Arc::new(RecordingVerifier {
        provider: provider.clone(),
        max_certificates: plan.max_certificates,
        recorded: recorded.clone(),
    });
    let client_auth = Arc::new(NoClientCert::default());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|e| FetchError::Tls {
            target: plan.label.clone(),
            reason: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(client_auth.clone());
    config.resumption = Resumption::disabled();
    config.enable_sni = plan.sni.is_some();
    config.enable_early_data = false;
    config.alpn_protocols = plan.alpn.clone();

    // rustls needs a name even when no SNI is sent; it only goes on the wire when SNI is on.
    let server_name: ServerName<'static> = match (&plan.sni, plan.target.ip()) {
        (Some(name), _) => {
            ServerName::try_from(name.clone()).map_err(|e| FetchError::InvalidOption {
                option: "--sni".into(),
                reason: e.to_string(),
            })?
        }
        (None, Some(ip)) => ServerName::IpAddress(ip.into()),
        (None, None) => ServerName::try_from(plan.target.host.clone()).map_err(|e| {
            FetchError::InvalidTarget {
                input: plan.target.input.clone(),
                reason: e.to_string(),
            }
        })?,
    };

    let mut timing = Timing::default();
    let (stream, peer) = plan.open(&mut timing).await?;
    let head = Arc::new(Mutex::new(Head::default()));
    let recorder = Recorder {
        inner: stream,
        head: head.clone(),
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let t = Instant::now();
    let handshake = plan
        .bounded(Phase::Handshake, async {
            Ok(connector.connect(server_name, recorder).await)
        })
        .await;
    timing.handshake = t.elapsed();

    let take_recorded =
        || std::mem::take(&mut *recorded.lock().unwrap_or_else(PoisonError::into_inner));
    let report = |r: Recorded, outcome: HandshakeOutcome, timing: Timing| {
        let mut chain = plan.report(peer, r.certs);
        chain.signature_scheme = r.scheme.map(|s| format!("{s:?}"));
        chain.key_possession_proven = r.proven;
        chain.ocsp = (!r.ocsp.is_empty()).then(|| ocsp::decode(&r.ocsp));
        chain.handshake = outcome;
        chain.timing = timing;
        chain
    };

    match handshake {
        Ok(Ok(mut tls)) => {
            let (_, conn) = tls.get_ref();
            let version = conn.protocol_version().map(version_name);
            let suite = conn
                .negotiated_cipher_suite()
                .map(|s| suite_name(s.suite()));
            let group = conn
                .negotiated_key_exchange_group()
                .map(|g| format!("{:?}", g.name()));
            let alpn = conn
                .alpn_protocol()
                .map(|p| String::from_utf8_lossy(p).into_owned());
            let mut outcome = HandshakeOutcome::Complete;
            if client_auth.requested.load(Ordering::Relaxed) {
                // The server decides after our empty certificate; give it a moment to say so.
                let wait = plan.remaining().min(Duration::from_millis(1000));
                let mut byte = [0u8; 1];
                let alert = match tokio::time::timeout(wait, tls.read(&mut byte)).await {
                    Ok(Err(e)) => rustls_error(&e).and_then(|e| match e {
                        rustls::Error::AlertReceived(a) => Some(snake(&format!("{a:?}"))),
                        _ => None,
                    }),
                    _ => None,
                };
                outcome = HandshakeOutcome::ClientCertificateRequested { alert };
            }
            let _ = tokio::time::timeout(
                plan.remaining().min(Duration::from_millis(500)),
                tls.shutdown(),
            )
            .await;
            timing.total = plan.started.elapsed();
            let mut chain = report(take_recorded(), outcome, timing);
            chain.tls_version = version;
            chain.cipher_suite = suite;
            chain.key_exchange_group = group;
            chain.alpn = alpn;
            Ok(chain)
        }
        failed => {
            let r = take_recorded();
            if let Some(count) = r.too_many {
                return Err(FetchError::TooLarge {
                    target: plan.label.clone(),
                    reason: format!(
                        "the server sent {count} certificates, more than the limit of {}",
                        plan.max_certificates
                    ),
                });
            }
            let alert = match &failed {
                Ok(Err(io)) => rustls_error(io).and_then(|e| match e {
                    rustls::Error::AlertReceived(a) => Some(snake(&format!("{a:?}"))),
                    _ => None,
                }),
                _ => None,
            };
            let error = match failed {
                Ok(Err(io)) => classify(
                    plan,
                    &io,
                    &head.lock().unwrap_or_else(PoisonError::into_inner).bytes,
                ),
                Err(timeout) => timeout,
                Ok(Ok(_)) => unreachable!("handled above"),
            };
            timing.total = plan.started.elapsed();
            if !r.certs.is_empty() {
                if client_auth.requested.load(Ordering::Relaxed) && r.signature_error.is_none() {
                    // The server refused our empty client certificate (with an alert, or by
                    // closing the connection before the alert could be read).
                    return Ok(report(
                        r,
                        HandshakeOutcome::ClientCertificateRequested { alert },
                        timing,
                    ));
                }
                let reason = match &r.signature_error {
                    Some(sig) => {
                        format!("the handshake signature did not verify with the leaf's key: {sig}")
                    }
                    None => abort_reason(&error),
                };
                return Ok(report(r, HandshakeOutcome::Aborted { reason }, timing));
            }
            // A TLS 1.2 server that stopped before ServerHelloDone: its Certificate message
            // went in the clear, so read it from what was received.
            let head_bytes =
                std::mem::take(&mut head.lock().unwrap_or_else(PoisonError::into_inner).bytes);
            let flight = legacy::parse_flight(&head_bytes);
            if !flight.certs.is_empty() && !matches!(error, FetchError::NoSharedProtocol { .. }) {
                if flight.certs.len() > plan.max_certificates {
                    return Err(FetchError::TooLarge {
                        target: plan.label.clone(),
                        reason: format!(
                            "the server sent {} certificates, more than the limit of {}",
                            flight.certs.len(),
                            plan.max_certificates
                        ),
                    });
                }
                let mut chain = report(
                    r,
                    HandshakeOutcome::Aborted {
                        reason: abort_reason(&error),
                    },
                    timing,
                );
                chain.certs = flight.certs;
                chain.tls_version = flight.version;
                chain.cipher_suite = flight.cipher_suite;
                return Ok(chain);
            }
            Err(error)
        }
    }
}

/// The reason an aborted handshake is reported with: the error without its target prefix.
fn abort_reason(error: &FetchError) -> String {
    match error {
        FetchError::TlsAlert { alert, .. } => format!("the server sent alert `{alert}`"),
        FetchError::Tls { reason, .. } => reason.clone(),
        other => {
            let text = other.to_string();
            text.split_once(": ")
                .map_or(text.clone(), |(_, r)| r.to_string())
        }
    }
}

fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

/// Turns a failed rustls handshake into the error a user can act on.
fn classify(plan: &Plan, io: &std::io::Error, head: &[u8]) -> FetchError {
    let label = plan.label.clone();
    if let Some(e) = rustls_error(io) {
        use rustls::AlertDescription as A;
        return match e {
            rustls::Error::AlertReceived(a @ (A::ProtocolVersion | A::HandshakeFailure | A::InsufficientSecurity)) => {
                FetchError::NoSharedProtocol {
                    target: label,
                    detail: format!("the server sent alert `{}`", snake(&format!("{a:?}"))),
                }
            }
            rustls::Error::AlertReceived(a) => FetchError::TlsAlert {
                target: label,
                alert: snake(&format!("{a:?}")),
            },
            rustls::Error::PeerIncompatible(p) => FetchError::NoSharedProtocol {
                target: label,
                detail: snake(&format!("{p:?}")).replace('_', " "),
            },
            rustls::Error::InvalidMessage(rustls::InvalidMessage::HandshakePayloadTooLarge) => {
                FetchError::TooLarge {
                    target: label,
                    reason: "the server's handshake message is larger than 64 KiB (a certificate or chain that big is refused)".into(),
                }
            }
            other => not_tls(&label, head).unwrap_or_else(|| FetchError::Tls {
                target: label,
                reason: other.to_string(),
            }),
        };
    }
    if let Some(e) = not_tls(&label, head) {
        return e;
    }
    match io.kind() {
        std::io::ErrorKind::UnexpectedEof
        | std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::BrokenPipe => FetchError::ConnectionClosed {
            target: label,
            phase: Phase::Handshake,
        },
        _ => FetchError::Io {
            target: label,
            phase: Phase::Handshake,
            source: std::io::Error::new(io.kind(), io.to_string()),
        },
    }
}

fn version_name(v: rustls::ProtocolVersion) -> String {
    match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        rustls::ProtocolVersion::TLSv1_1 => "TLSv1.1".into(),
        rustls::ProtocolVersion::TLSv1_0 => "TLSv1.0".into(),
        other => format!("{other:?}"),
    }
}

/// The IANA name: rustls writes TLS 1.3 suites as `TLS13_…`.
fn suite_name(s: rustls::CipherSuite) -> String {
    let name = format!("{s:?}");
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name,
    }
}
