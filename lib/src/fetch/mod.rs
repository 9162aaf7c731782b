//! Capturing the chain a server presents, exactly as sent — even when it is broken.
//!
//! [`fetch`] connects to a [`Target`] (optionally through an HTTP CONNECT proxy and a
//! STARTTLS upgrade), runs a TLS handshake with rustls and returns a [`PresentedChain`]: the
//! certificates in the order and number the server sent them, the negotiated parameters, the
//! stapled OCSP response and timings. Capturing never depends on the chain being valid:
//! self-signed, expired, misnamed, incomplete or out-of-order chains are all captured.
//!
//! What the capture does and does not send:
//! - The verifier records the chain and accepts it, but still checks the server's handshake
//!   signature against the leaf's public key, so a capture proves the server holds the
//!   leaf's private key ([`PresentedChain::key_possession_proven`]). Certificates webpki
//!   cannot parse (X.509 v1, unknown critical extensions) are checked against their raw
//!   SubjectPublicKeyInfo instead.
//! - No client certificate, no session resumption (no tickets, no session IDs), no early
//!   data, no application data; the connection ends with `close_notify`.
//! - When the server only speaks TLS 1.0/1.1 or legacy cipher suites, a capture-only
//!   handshake (see [`PresentedChain::legacy`]) reads the certificates, which travel in the
//!   clear before TLS 1.3; it proves nothing about key possession.
//!
//! ```no_run
//! use chainscope::fetch::{fetch_blocking, FetchOptions, Target};
//! let target = Target::parse("example.com")?;
//! let chain = fetch_blocking(&target, &FetchOptions::default())?;
//! println!("{} sent {} certificates over {}", chain.peer, chain.certs.len(),
//!          chain.tls_version.as_deref().unwrap_or("?"));
//! # Ok::<(), chainscope::fetch::FetchError>(())
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// rustls' crypto provider type, as [`FetchOptions::crypto_provider`] takes it.
pub use rustls::crypto::CryptoProvider;
use rustls_pki_types::CertificateDer;

mod aia;
mod batch;
mod capture;
mod deadline;
mod legacy;
mod ocsp;
mod plan;
mod proxy;
mod recorder;
mod report;
mod sniff;
mod starttls;
mod stream;
mod target;
mod verifier;

pub use aia::{fetch_aia, fetch_aia_blocking, AiaOptions};
pub use batch::{fetch_many, fetch_many_blocking, BatchResult};
pub use ocsp::{OcspCertStatus, StapledOcsp};
pub use report::{
    verify_presented, BatchRecord, BatchStatus, CaptureReport, DecodedCertificate, ErrorRecord,
};
pub use target::{Starttls, Target};

/// Default for [`FetchOptions::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A TLS protocol version, as used in [`FetchOptions::min_tls`] / [`FetchOptions::max_tls`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum TlsVersion {
    /// TLS 1.0 (legacy capture only).
    Tls1_0,
    /// TLS 1.1 (legacy capture only).
    Tls1_1,
    /// TLS 1.2.
    Tls1_2,
    /// TLS 1.3.
    Tls1_3,
}

impl TlsVersion {
    /// The conventional name: `TLSv1.2`.
    pub fn name(self) -> &'static str {
        match self {
            TlsVersion::Tls1_0 => "TLSv1.0",
            TlsVersion::Tls1_1 => "TLSv1.1",
            TlsVersion::Tls1_2 => "TLSv1.2",
            TlsVersion::Tls1_3 => "TLSv1.3",
        }
    }

    /// The two-byte wire value (`0x0303` for TLS 1.2).
    pub(crate) fn wire(self) -> u16 {
        match self {
            TlsVersion::Tls1_0 => 0x0301,
            TlsVersion::Tls1_1 => 0x0302,
            TlsVersion::Tls1_2 => 0x0303,
            TlsVersion::Tls1_3 => 0x0304,
        }
    }
}

impl fmt::Display for TlsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for TlsVersion {
    type Err = String;

    /// Accepts `1.2`, `tls1.2`, `TLSv1.2`, `tls1_2`, `12`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        let v = lower
            .trim_start_matches("tlsv")
            .trim_start_matches("tls")
            .replace('_', ".");
        match v.as_str() {
            "1.0" | "1" | "10" => Ok(TlsVersion::Tls1_0),
            "1.1" | "11" => Ok(TlsVersion::Tls1_1),
            "1.2" | "12" => Ok(TlsVersion::Tls1_2),
            "1.3" | "13" => Ok(TlsVersion::Tls1_3),
            _ => Err(format!("`{s}` is not a TLS version (1.0, 1.1, 1.2, 1.3)")),
        }
    }
}

/// Which SNI (server name indication) to send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Sni {
    /// The target's host name; nothing when the target is an IP address.
    #[default]
    Auto,
    /// This name, whatever the target.
    Name(String),
    /// No SNI at all.
    None,
}

/// Which address family to connect over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum IpFamily {
    /// Whatever DNS returns, in its order.
    #[default]
    Any,
    /// IPv4 only (`-4`).
    V4,
    /// IPv6 only (`-6`).
    V6,
}

/// How to capture: every knob of `chainscope fetch`. `FetchOptions::default()` captures from
/// the target's port with SNI, any TLS version, a 10 s overall timeout and no proxy.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FetchOptions {
    /// Port used when the target does not name one (instead of the scheme's or 443).
    pub port: Option<u16>,
    /// The SNI to send.
    pub sni: Sni,
    /// Connect to this address (`IP`, `IP:PORT`, `[v6]:PORT`, or a host name) while presenting
    /// the target's name, like curl's `--resolve`.
    pub connect_to: Option<String>,
    /// Address family.
    pub family: IpFamily,
    /// ALPN protocols to offer, in preference order (`h2`, `http/1.1`); empty offers none.
    pub alpn: Vec<String>,
    /// Lowest TLS version to accept.
    pub min_tls: TlsVersion,
    /// Highest TLS version to offer.
    pub max_tls: TlsVersion,
    /// Bound on the whole capture, from DNS to the last byte.
    pub timeout: Duration,
    /// Bound on DNS, TCP connect and proxy CONNECT; `None`: only the overall timeout.
    pub connect_timeout: Option<Duration>,
    /// Bound on STARTTLS and the TLS handshake; `None`: only the overall timeout.
    pub handshake_timeout: Option<Duration>,
    /// HTTP CONNECT proxy, `http://host:port` (the CLI also reads `HTTPS_PROXY` into it).
    pub proxy: Option<String>,
    /// Force a STARTTLS protocol (otherwise the one implied by the target's scheme).
    pub starttls: Option<Starttls>,
    /// Fall back to the capture-only legacy handshake when rustls finds no shared version or
    /// cipher suite (default true).
    pub legacy_fallback: bool,
    /// Refuse chains with more certificates than this (hostile servers); default 32.
    pub max_certificates: usize,
    /// Hosts reached without the proxy (`NO_PROXY` syntax: `example.com` also matches its
    /// subdomains, `.example.com` only them, `*` everything).
    pub no_proxy: Vec<String>,
    /// The rustls crypto provider the capture's handshake uses (its cipher suites, key
    /// exchange groups and handshake-signature checks). `None`: aws-lc-rs
    /// (`rustls::crypto::aws_lc_rs::default_provider()`) when the `aws-lc-rs-provider`
    /// feature is on (a default feature); without it, `None` is an
    /// [`InvalidOption`](FetchError::InvalidOption) error for `crypto_provider`.
    /// chainscope never installs a process-wide default provider and never reads one, so
    /// an application using `ring` (or any other provider) passes its own here, and with
    /// `default-features = false` chainscope does not turn on rustls' `aws_lc_rs` feature
    /// either — which would leave rustls two providers and the application's own
    /// `ClientConfig::builder()` without a default.
    pub crypto_provider: Option<Arc<CryptoProvider>>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            port: None,
            sni: Sni::Auto,
            connect_to: None,
            family: IpFamily::Any,
            alpn: Vec::new(),
            min_tls: TlsVersion::Tls1_0,
            max_tls: TlsVersion::Tls1_3,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: None,
            handshake_timeout: None,
            proxy: None,
            starttls: None,
            legacy_fallback: true,
            max_certificates: 32,
            no_proxy: Vec::new(),
            crypto_provider: None,
        }
    }
}

/// How far the handshake got once the certificates were captured.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum HandshakeOutcome {
    /// The handshake completed.
    Complete,
    /// The server asked for a client certificate; none was sent. `required`: the server
    /// refused the handshake without one (it *demands* a certificate), else it went on
    /// without (the certificate is optional). `alert` is the alert the server sent, if any
    /// (`certificate_required`, `handshake_failure`).
    ClientCertificateRequested {
        /// The server's alert after the empty client certificate, if one arrived.
        alert: Option<String>,
        /// Whether the server refused to go on without a client certificate.
        required: bool,
    },
    /// The handshake failed after the certificates arrived; the chain is still returned.
    Aborted {
        /// What went wrong (`alert handshake_failure`, `handshake signature …`).
        reason: String,
    },
    /// Legacy capture: the connection was dropped on purpose after the Certificate message.
    CaptureOnly,
}

/// Time spent in each phase of a capture.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Timing {
    /// DNS resolution (zero with an IP address or `connect_to` IP).
    #[serde(serialize_with = "ser_ms")]
    pub dns: Duration,
    /// TCP connect (and proxy CONNECT).
    #[serde(serialize_with = "ser_ms")]
    pub connect: Duration,
    /// STARTTLS negotiation (zero without STARTTLS).
    #[serde(serialize_with = "ser_ms")]
    pub starttls: Duration,
    /// TLS handshake.
    #[serde(serialize_with = "ser_ms")]
    pub handshake: Duration,
    /// Everything, from the call to the return.
    #[serde(serialize_with = "ser_ms")]
    pub total: Duration,
}

fn ser_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1_000_000.0).round() / 1000.0)
}

fn ser_certs<S: serde::Serializer>(
    certs: &[CertificateDer<'static>],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(
        certs
            .iter()
            .map(|c| crate::encoding::pem("CERTIFICATE", c.as_ref())),
    )
}

/// The chain a server presented and how the connection went.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct PresentedChain {
    /// The target (`host:port`).
    pub target: String,
    /// The host name or address in the target: the name a client that dialled the target
    /// checks the certificate against (and what [`verify_presented`] checks by default) —
    /// also when `connect_to` sent the connection elsewhere.
    pub host: String,
    /// The address dialled instead of the target's host name (`connect_to`, like curl's
    /// `--resolve`) as `host:port`, if one was given.
    pub connect_to: Option<String>,
    /// The address actually connected to (the proxy's when a proxy is used).
    pub peer: SocketAddr,
    /// The proxy connected through, if any.
    pub proxy: Option<String>,
    /// The SNI sent, or `None` when none was (IP targets, [`Sni::None`]).
    pub sni: Option<String>,
    /// The STARTTLS protocol spoken before the handshake, if any.
    pub starttls: Option<Starttls>,
    /// The certificates exactly as sent: order and duplicates kept, leaf first if the server
    /// put it first. Serialized as PEM strings.
    #[serde(serialize_with = "ser_certs")]
    pub certs: Vec<CertificateDer<'static>>,
    /// Negotiated version (`TLSv1.3`).
    pub tls_version: Option<String>,
    /// Negotiated cipher suite, IANA name (`TLS_AES_256_GCM_SHA384`).
    pub cipher_suite: Option<String>,
    /// Key-exchange group (`X25519`, `secp256r1`), when known.
    pub key_exchange_group: Option<String>,
    /// The server's handshake signature scheme (`ECDSA_NISTP256_SHA256`), when known.
    pub signature_scheme: Option<String>,
    /// The ALPN protocol the server chose.
    pub alpn: Option<String>,
    /// The stapled OCSP response, decoded, when the server sent one.
    pub ocsp: Option<StapledOcsp>,
    /// Whether the server proved it holds the leaf's private key (its handshake signature
    /// verified against the leaf's public key). Always false for legacy captures.
    pub key_possession_proven: bool,
    /// Captured by the raw legacy handshake (TLS 1.0/1.1 or legacy suites): no proof of key
    /// possession.
    pub legacy: bool,
    /// How far the handshake got.
    pub handshake: HandshakeOutcome,
    /// Time spent in each phase.
    pub timing: Timing,
}

impl PresentedChain {
    /// The first certificate's notAfter, when it decodes.
    pub fn leaf_not_after(&self) -> Option<time::OffsetDateTime> {
        let leaf = self.certs.first()?;
        let (_, x) = x509_parser::parse_x509_certificate(leaf.as_ref()).ok()?;
        Some(x.validity().not_after.to_datetime())
    }

    /// The first certificate's subject (`CN=example.com, O=…`), when it decodes.
    pub fn leaf_subject(&self) -> Option<String> {
        let leaf = self.certs.first()?;
        let (_, x) = x509_parser::parse_x509_certificate(leaf.as_ref()).ok()?;
        Some(x.subject().to_string())
    }
}

/// A phase of a capture, as named in timeouts and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Phase {
    /// Resolving the host name.
    Dns,
    /// Opening the TCP connection.
    Connect,
    /// Asking the HTTP proxy to connect.
    Proxy,
    /// The STARTTLS exchange.
    Starttls,
    /// The TLS handshake.
    Handshake,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Dns => "DNS resolution",
            Phase::Connect => "the TCP connect",
            Phase::Proxy => "the proxy CONNECT",
            Phase::Starttls => "STARTTLS",
            Phase::Handshake => "the TLS handshake",
        })
    }
}

/// Why capturing a chain failed. Every message is one line naming the target and what a
/// user can do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The target text could not be understood.
    #[error("{input}: {reason}")]
    InvalidTarget {
        /// The target as given.
        input: String,
        /// What was wrong.
        reason: String,
    },
    /// An option's value is not acceptable.
    #[error("{option}: {reason}")]
    InvalidOption {
        /// The option, by its [`FetchOptions`] field name (`connect_to`, `proxy`, `sni`): the
        /// name of its [`Hint`](crate::Hint) ([`FetchError::hint`]).
        option: String,
        /// What was wrong.
        reason: String,
    },
    /// The host name did not resolve.
    #[error("{host}: DNS lookup failed: {reason}")]
    Dns {
        /// The name looked up.
        host: String,
        /// The resolver's answer.
        reason: String,
    },
    /// The host name resolved, but to no address of the family asked for.
    #[error("{host}: no {family} address")]
    NoAddress {
        /// The name looked up.
        host: String,
        /// `IPv4` or `IPv6`.
        family: &'static str,
    },
    /// Nothing listens on the port.
    #[error("{addr}: connection refused (nothing listens on that port)")]
    ConnectionRefused {
        /// The address dialled.
        addr: String,
    },
    /// The TCP connection failed for another reason.
    #[error("{addr}: cannot connect: {source}")]
    Connect {
        /// The address dialled.
        addr: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A phase took longer than allowed.
    #[error("{target}: timed out after {} during {phase} ({option} {})", human(*.after), human(*.limit))]
    Timeout {
        /// The target.
        target: String,
        /// The phase that was running.
        phase: Phase,
        /// How long that phase (or, for the overall timeout, the capture) had run.
        after: Duration,
        /// The limit that fired.
        limit: Duration,
        /// The option that set it, by its [`FetchOptions`] field name: `timeout`,
        /// `connect_timeout` or `handshake_timeout` (the name of its [`Hint`](crate::Hint)).
        option: &'static str,
    },
    /// The server closed the connection before sending its certificates.
    #[error(
        "{target}: the server closed the connection during {phase} before sending a certificate"
    )]
    ConnectionClosed {
        /// The target.
        target: String,
        /// The phase that was running.
        phase: Phase,
    },
    /// The server refused the handshake with a TLS alert.
    #[error("{target}: the server refused the TLS handshake with alert `{alert}`")]
    TlsAlert {
        /// The target.
        target: String,
        /// The alert's name (`handshake_failure`, `unrecognized_name`).
        alert: String,
    },
    /// The port speaks plain HTTP.
    #[error("{target}: the server answered in plain HTTP — is this the TLS port?")]
    PlaintextHttp {
        /// The target.
        target: String,
    },
    /// The port speaks a plain-text protocol (an SMTP or FTP banner, …).
    #[error("{target}: the server answered in plain text (`{line}`) — is this the TLS port, or does it need STARTTLS?")]
    PlaintextService {
        /// The target.
        target: String,
        /// The first line the server sent.
        line: String,
    },
    /// The server sent something that is not TLS.
    #[error("{target}: the server does not speak TLS (it sent {first_bytes})")]
    NotTls {
        /// The target.
        target: String,
        /// The first bytes, in hex.
        first_bytes: String,
    },
    /// Client and server share no protocol version or cipher suite, also in legacy mode.
    #[error("{target}: no shared protocol version or cipher suite ({detail})")]
    NoSharedProtocol {
        /// The target.
        target: String,
        /// What the server said.
        detail: String,
    },
    /// The server refused the STARTTLS upgrade.
    #[error("{target}: the server refused {protocol} STARTTLS: {reply}")]
    StarttlsRefused {
        /// The target.
        target: String,
        /// The protocol spoken.
        protocol: Starttls,
        /// The server's reply line.
        reply: String,
    },
    /// The proxy refused or failed the CONNECT.
    #[error("proxy {proxy}: {reason}")]
    Proxy {
        /// The proxy.
        proxy: String,
        /// What went wrong (the proxy's status line).
        reason: String,
    },
    /// The server sent more than chainscope accepts (hostile or broken server).
    #[error("{target}: {reason}")]
    TooLarge {
        /// The target.
        target: String,
        /// What was too large.
        reason: String,
    },
    /// Another TLS failure.
    #[error("{target}: TLS handshake failed: {reason}")]
    Tls {
        /// The target.
        target: String,
        /// rustls' description.
        reason: String,
    },
    /// The call cannot run in this execution context: an async capture outside a tokio
    /// runtime, or a blocking one inside a runtime (which cannot block on another).
    #[error("{target}: {reason}")]
    Runtime {
        /// The target.
        target: String,
        /// What to do instead.
        reason: String,
    },
    /// Reading or writing the connection failed.
    #[error("{target}: {phase}: {source}")]
    Io {
        /// The target.
        target: String,
        /// The phase that was running.
        phase: Phase,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

impl FetchError {
    /// The option the error is about, when the caller can change it: the option of
    /// [`InvalidOption`](FetchError::InvalidOption), the timeout that fired, or STARTTLS
    /// for a server that answers in plain text.
    pub fn hint(&self) -> Option<crate::Hint> {
        match self {
            FetchError::InvalidOption { option, .. } => crate::Hint::from_name(option),
            FetchError::Timeout { option, .. } => crate::Hint::from_name(option),
            FetchError::PlaintextService { .. } => Some(crate::Hint::Starttls),
            _ => None,
        }
    }

    /// A stable code for JSON output (`timeout`, `tls_alert`, `dns`, …).
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidTarget { .. } => "invalid_target",
            FetchError::InvalidOption { .. } => "invalid_option",
            FetchError::Dns { .. } => "dns",
            FetchError::NoAddress { .. } => "no_address",
            FetchError::ConnectionRefused { .. } => "connection_refused",
            FetchError::Connect { .. } => "connect",
            FetchError::Timeout { .. } => "timeout",
            FetchError::ConnectionClosed { .. } => "connection_closed",
            FetchError::TlsAlert { .. } => "tls_alert",
            FetchError::PlaintextHttp { .. } => "plaintext_http",
            FetchError::PlaintextService { .. } => "plaintext_service",
            FetchError::NotTls { .. } => "not_tls",
            FetchError::NoSharedProtocol { .. } => "no_shared_protocol",
            FetchError::StarttlsRefused { .. } => "starttls_refused",
            FetchError::Proxy { .. } => "proxy",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Tls { .. } => "tls",
            FetchError::Runtime { .. } => "runtime",
            FetchError::Io { .. } => "io",
        }
    }
}

/// A duration the way people write it, as the README and the fetch timeouts do: sub-second as
/// `250ms`, whole seconds as `2s` (an elapsed 2.003 s too), other times with one decimal
/// (`1.5s`), whole minutes as `2m`.
pub(crate) fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    if ms.is_multiple_of(60_000) {
        return format!("{}m", ms / 60_000);
    }
    // Tenths of a second, rounded: 2003 ms is 2s, 1250 ms is 1.3s.
    let tenths = (ms + 50) / 100;
    if tenths.is_multiple_of(10) {
        format!("{}s", tenths / 10)
    } else {
        format!("{}.{}s", tenths / 10, tenths % 10)
    }
}

/// Captures the chain `target` presents. See the [module documentation](self).
///
/// Never hangs: every phase is bounded by [`FetchOptions::timeout`] (and the per-phase
/// timeouts). When the server aborts after sending its certificates, or demands a client
/// certificate, the chain is still returned with [`PresentedChain::handshake`] saying what
/// happened.
///
/// Runs on the caller's tokio runtime; any flavour will do, current-thread included, and
/// tokio's timer driver is not needed (the timeouts run on a helper thread of their own).
/// Outside a tokio runtime it returns [`FetchError::Runtime`].
///
/// # Panics
/// When awaited on a tokio runtime built without IO (`enable_io`): tokio's sockets panic
/// there, and tokio offers no way to ask beforehand.
pub async fn fetch(target: &Target, options: &FetchOptions) -> Result<PresentedChain, FetchError> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(FetchError::Runtime {
            target: target.authority(),
            reason: "fetch must be awaited inside a tokio runtime (use fetch_blocking without one)"
                .into(),
        });
    }
    let plan = plan::Plan::new(target, options)?;
    match capture::capture(&plan).await {
        // The legacy attempt's error says more than rustls' (the version the server chose,
        // the alert it sent also to a TLS 1.0–1.2 hello).
        Err(FetchError::NoSharedProtocol { .. }) if plan.legacy_allowed() => {
            legacy::capture(&plan).await
        }
        other => other,
    }
}

/// [`fetch`] on a current-thread tokio runtime of its own, for callers without one.
///
/// Called from inside a tokio runtime (an async task, or `spawn_blocking`), it returns
/// [`FetchError::Runtime`] instead of blocking: await [`fetch`] there.
pub fn fetch_blocking(
    target: &Target,
    options: &FetchOptions,
) -> Result<PresentedChain, FetchError> {
    block_on(&target.authority(), fetch(target, options))?
}

/// Runs `fut` on a current-thread runtime of its own; [`FetchError::Runtime`] inside a
/// runtime (where blocking would stall it, and tokio refuses to nest).
pub(crate) fn block_on<F: std::future::Future>(
    label: &str,
    fut: F,
) -> Result<F::Output, FetchError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(FetchError::Runtime {
            target: label.to_owned(),
            reason: "a blocking call was made inside a tokio runtime, which cannot block on \
                     another: await the async function instead (fetch, fetch_many, \
                     preflight::run_async)"
                .into(),
        });
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| FetchError::Io {
            target: label.to_owned(),
            phase: Phase::Connect,
            source,
        })?;
    Ok(runtime.block_on(fut))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_written() {
        assert_eq!(human(Duration::from_millis(500)), "500ms");
        assert_eq!(human(Duration::from_secs(2)), "2s");
        assert_eq!(human(Duration::from_secs(120)), "2m");
        assert_eq!(human(Duration::from_millis(1234)), "1.2s");
        assert_eq!(human(Duration::from_millis(2003)), "2s");
        assert_eq!(human(Duration::from_millis(1999)), "2s");
        assert_eq!(human(Duration::from_millis(1500)), "1.5s");
        assert_eq!(human(Duration::from_millis(250)), "250ms");
        assert_eq!(human(Duration::from_secs(90)), "90s");
    }

    #[test]
    fn tls_versions_parse_in_common_spellings() {
        for (s, v) in [
            ("1.2", TlsVersion::Tls1_2),
            ("TLSv1.3", TlsVersion::Tls1_3),
            ("tls1_0", TlsVersion::Tls1_0),
            ("1.1", TlsVersion::Tls1_1),
        ] {
            assert_eq!(s.parse::<TlsVersion>().unwrap(), v);
        }
        assert!("1.4".parse::<TlsVersion>().is_err());
    }
}
