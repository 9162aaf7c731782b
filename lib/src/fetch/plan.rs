//! The connection plan of one capture: names, addresses and limits decided before
//! connecting, every phase bounded by its own timeout and the overall one, and the TCP
//! (and proxy, and STARTTLS) connection the handshakes run over. Shared by the rustls and
//! legacy captures.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use rustls_pki_types::{CertificateDer, ServerName};
use tokio::net::TcpStream;

use super::proxy::{self, ProxyUrl};
use super::stream::Stream;
use super::{
    starttls, FetchError, FetchOptions, HandshakeOutcome, IpFamily, Phase, PresentedChain, Sni,
    Starttls, Target, Timing, TlsVersion,
};

/// Everything decided before connecting: names, addresses, limits.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) target: Target,
    /// `host:port` of the target, for messages.
    pub(super) label: String,
    pub(super) dial_host: String,
    pub(super) dial_port: u16,
    /// `host:port` dialled instead of the target's name, when `connect_to` was given.
    pub(super) connect_to: Option<String>,
    pub(super) sni: Option<String>,
    pub(super) starttls: Option<Starttls>,
    pub(super) proxy: Option<ProxyUrl>,
    pub(super) family: IpFamily,
    pub(super) alpn: Vec<Vec<u8>>,
    pub(super) min_tls: TlsVersion,
    pub(super) max_tls: TlsVersion,
    pub(super) legacy_fallback: bool,
    pub(super) max_certificates: usize,
    /// The crypto provider of the rustls handshake (explicit, never the process default).
    pub(super) provider: std::sync::Arc<rustls::crypto::CryptoProvider>,
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
                    option: crate::Hint::ConnectTo.as_str().into(),
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
                        option: crate::Hint::Sni.as_str().into(),
                        reason: format!(
                            "`{name}` is not a DNS name (SNI cannot carry an IP address)"
                        ),
                    });
                }
                Some(name)
            }
        };
        let bypass = proxy::bypasses_proxy(&options.no_proxy, &target.host);
        let proxy = options
            .proxy
            .as_deref()
            .filter(|p| !p.is_empty() && !bypass)
            .map(ProxyUrl::parse)
            .transpose()?;
        if options.min_tls > options.max_tls {
            return Err(FetchError::InvalidOption {
                option: crate::Hint::MinTls.as_str().into(),
                reason: format!(
                    "{} is above the highest version offered (max_tls {})",
                    options.min_tls, options.max_tls
                ),
            });
        }
        let label = Target {
            port,
            ..target.clone()
        }
        .authority();
        let connect_to = options.connect_to.as_ref().map(|_| {
            Target {
                host: dial_host.clone(),
                port: dial_port,
                ..target.clone()
            }
            .authority()
        });
        Ok(Plan {
            target: target.clone(),
            label,
            dial_host,
            dial_port,
            connect_to,
            sni,
            starttls: options.starttls.or(target.starttls),
            proxy,
            family: options.family,
            alpn: options.alpn.iter().map(|p| p.as_bytes().to_vec()).collect(),
            min_tls: options.min_tls,
            max_tls: options.max_tls,
            legacy_fallback: options.legacy_fallback,
            max_certificates: options.max_certificates.max(1),
            provider: provider(options)?,
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
                    Phase::Dns | Phase::Connect | Phase::Proxy => {
                        crate::Hint::ConnectTimeout.as_str()
                    }
                    _ => crate::Hint::HandshakeTimeout.as_str(),
                },
                l,
            ),
            _ => (remaining, crate::Hint::Timeout.as_str(), self.timeout),
        };
        let phase_start = Instant::now();
        match super::deadline::within(wait, fut).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout {
                target: self.label.clone(),
                phase,
                after: if option == crate::Hint::Timeout.as_str() {
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
    ) -> Result<(Stream, SocketAddr), FetchError> {
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
        let (tcp, peer) = self.bounded(Phase::Connect, connect_any(&addrs)).await?;
        let mut stream: Stream = match &self.proxy {
            Some(p) => Box::new(
                self.bounded(
                    Phase::Proxy,
                    proxy::connect(tcp, p, &self.dial_host, self.dial_port),
                )
                .await?,
            ),
            None => Box::new(tcp),
        };
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
            host: self.target.host.clone(),
            connect_to: self.connect_to.clone(),
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

/// The crypto provider the handshake uses: the caller's, else the built-in aws-lc-rs one.
/// Never the process-wide default, which an application may have set for its own use (or
/// not set at all).
fn provider(
    options: &FetchOptions,
) -> Result<std::sync::Arc<rustls::crypto::CryptoProvider>, FetchError> {
    if let Some(provider) = &options.crypto_provider {
        return Ok(provider.clone());
    }
    #[cfg(feature = "aws-lc-rs-provider")]
    return Ok(std::sync::Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ));
    #[cfg(not(feature = "aws-lc-rs-provider"))]
    Err(FetchError::InvalidOption {
        option: "crypto_provider".into(),
        reason: "none given, and chainscope was built without its `aws-lc-rs-provider` \
                 feature: pass the application's rustls CryptoProvider"
            .into(),
    })
}
