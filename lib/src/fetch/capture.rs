//! The rustls capture: one handshake through the [`Plan`]'s connection with the recording
//! verifier, reported as a [`PresentedChain`] even when the handshake fails after the
//! certificates arrived.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rustls::client::Resumption;
use rustls::ClientConfig;
use rustls_pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::plan::Plan;
use super::recorder::{Head, Recorder};
use super::sniff::{abort_reason, classify, rustls_alert_name, rustls_error};
use super::verifier::{NoClientCert, Recorded, RecordingVerifier};
use super::{
    legacy, ocsp, FetchError, HandshakeOutcome, Phase, PresentedChain, Timing, TlsVersion,
};

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

/// What one handshake shares between its verifier, its client-auth resolver and its stream.
struct Session {
    recorded: Arc<Mutex<Recorded>>,
    client_auth: Arc<NoClientCert>,
    head: Arc<Mutex<Head>>,
    peer: SocketAddr,
    timing: Timing,
}

impl Session {
    fn take_recorded(&self) -> Recorded {
        std::mem::take(&mut *self.recorded.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn client_cert_requested(&self) -> bool {
        self.client_auth.requested.load(Ordering::Relaxed)
    }

    /// A chain report from what the verifier recorded.
    fn report(&self, plan: &Plan, r: Recorded, outcome: HandshakeOutcome) -> PresentedChain {
        let mut chain = plan.report(self.peer, r.certs);
        chain.signature_scheme = r.scheme.map(|s| format!("{s:?}"));
        chain.key_possession_proven = r.proven;
        chain.ocsp = (!r.ocsp.is_empty()).then(|| ocsp::decode(&r.ocsp));
        chain.handshake = outcome;
        chain.timing = self.timing;
        chain
    }
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
    let recorded = Arc::new(Mutex::new(Recorded::default()));
    let client_auth = Arc::new(NoClientCert::default());
    let config = client_config(plan, &versions, recorded.clone(), client_auth.clone())?;
    let server_name = server_name(plan)?;

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
    let mut session = Session {
        recorded,
        client_auth,
        head,
        peer,
        timing,
    };
    match handshake {
        Ok(Ok(tls)) => Ok(completed(plan, &mut session, tls).await),
        Ok(Err(io)) => {
            let error = classify(
                &plan.label,
                &io,
                &session
                    .head
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .bytes,
            );
            failed(plan, &mut session, error, alert_of(&io))
        }
        Err(timeout) => failed(plan, &mut session, timeout, None),
    }
}

/// The capture's client configuration: the recording verifier, no client certificate, no
/// resumption, no early data.
fn client_config(
    plan: &Plan,
    versions: &[&'static rustls::SupportedProtocolVersion],
    recorded: Arc<Mutex<Recorded>>,
    client_auth: Arc<NoClientCert>,
) -> Result<ClientConfig, FetchError> {
    let provider = plan.provider.clone();
    let verifier = Arc::new(RecordingVerifier {
        provider: provider.clone(),
        max_certificates: plan.max_certificates,
        recorded,
    });
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| FetchError::Tls {
            target: plan.label.clone(),
            reason: e.to_string(),
        })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_cert_resolver(client_auth);
    config.resumption = Resumption::disabled();
    config.enable_sni = plan.sni.is_some();
    config.enable_early_data = false;
    config.alpn_protocols = plan.alpn.clone();
    Ok(config)
}

/// The name rustls is given. It needs one even when no SNI is sent; the name only goes on
/// the wire when SNI is on.
fn server_name(plan: &Plan) -> Result<ServerName<'static>, FetchError> {
    match (&plan.sni, plan.target.ip()) {
        (Some(name), _) => {
            ServerName::try_from(name.clone()).map_err(|e| FetchError::InvalidOption {
                option: crate::Hint::Sni.as_str().into(),
                reason: e.to_string(),
            })
        }
        (None, Some(ip)) => Ok(ServerName::IpAddress(ip.into())),
        (None, None) => {
            ServerName::try_from(plan.target.host.clone()).map_err(|e| FetchError::InvalidTarget {
                input: plan.target.input.clone(),
                reason: e.to_string(),
            })
        }
    }
}

/// The alert the server sent, when that is what ended the connection.
fn alert_of(io: &std::io::Error) -> Option<String> {
    rustls_error(io).and_then(|e| match e {
        rustls::Error::AlertReceived(a) => Some(rustls_alert_name(*a)),
        _ => None,
    })
}

/// The report of a completed handshake: negotiated parameters, and what the server did
/// after a client-certificate request.
async fn completed(
    plan: &Plan,
    session: &mut Session,
    mut tls: tokio_rustls::client::TlsStream<Recorder<super::stream::Stream>>,
) -> PresentedChain {
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
    if session.client_cert_requested() {
        let tls13 = conn.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
        // TLS 1.2: the server sent its Finished after our empty certificate, so it accepted
        // it. TLS 1.3: our empty certificate went with our Finished, and the server decides
        // after the handshake is complete on our side (RFC 8446 §4.4.2.4).
        let (required, alert) = if tls13 {
            tls13_client_cert_verdict(plan, &mut tls).await
        } else {
            (false, None)
        };
        outcome = HandshakeOutcome::ClientCertificateRequested { alert, required };
    }
    let _ = super::deadline::within(
        plan.remaining().min(Duration::from_millis(500)),
        tls.shutdown(),
    )
    .await;
    session.timing.total = plan.started.elapsed();
    let mut chain = session.report(plan, session.take_recorded(), outcome);
    chain.tls_version = version;
    chain.cipher_suite = suite;
    chain.key_exchange_group = group;
    chain.alpn = alpn;
    chain
}

/// Whether a TLS 1.3 server refused the empty client certificate sent with our Finished, and
/// its alert: the first record it sends next decides. An alert (`certificate_required`,
/// RFC 8446 §4.4.2.4), a closed or reset connection, or a record that does not decrypt is a
/// refusal; any other record (a NewSessionTicket, which servers send right after the
/// handshake) means it accepted the handshake without a certificate — the certificate is
/// optional. No fixed wait: the answer ends it, and a server that sends nothing at all is
/// given at most one second (it did not refuse).
async fn tls13_client_cert_verdict(
    plan: &Plan,
    tls: &mut tokio_rustls::client::TlsStream<Recorder<super::stream::Stream>>,
) -> (bool, Option<String>) {
    let wait = plan.remaining().min(Duration::from_secs(1));
    let judge = async {
        let (io, conn) = tls.get_mut();
        let mut raw = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = match io.read(&mut chunk).await {
                Ok(0) | Err(_) => return (true, None),
                Ok(n) => n,
            };
            raw.extend_from_slice(&chunk[..n]);
            let mut fed: &[u8] = &chunk[..n];
            while !fed.is_empty() {
                match conn.read_tls(&mut fed) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
            match conn.process_new_packets() {
                Err(rustls::Error::AlertReceived(a)) => return (true, Some(rustls_alert_name(a))),
                Err(_) => return (true, None),
                Ok(_) if has_complete_record(&raw) => return (false, None),
                Ok(_) => {}
            }
        }
    };
    super::deadline::within(wait, judge)
        .await
        .unwrap_or((false, None))
}

/// Whether `raw` (TLS records) holds at least one whole record.
fn has_complete_record(raw: &[u8]) -> bool {
    raw.len() >= 5 && raw.len() >= 5 + usize::from(u16::from_be_bytes([raw[3], raw[4]]))
}

/// A failed handshake: still a report when the certificates arrived (recorded by the
/// verifier, or read from a TLS 1.2 flight in the clear), else `error`.
fn failed(
    plan: &Plan,
    session: &mut Session,
    error: FetchError,
    alert: Option<String>,
) -> Result<PresentedChain, FetchError> {
    let too_many = |count: usize| FetchError::TooLarge {
        target: plan.label.clone(),
        reason: format!(
            "the server sent {count} certificates, more than the limit of {}",
            plan.max_certificates
        ),
    };
    let r = session.take_recorded();
    if let Some(count) = r.too_many {
        return Err(too_many(count));
    }
    session.timing.total = plan.started.elapsed();
    if !r.certs.is_empty() {
        if session.client_cert_requested() && r.signature_error.is_none() {
            // The server refused our empty client certificate (with an alert, or by
            // closing the connection before the alert could be read).
            let outcome = HandshakeOutcome::ClientCertificateRequested {
                alert,
                required: true,
            };
            return Ok(session.report(plan, r, outcome));
        }
        let reason = match &r.signature_error {
            Some(sig) => {
                format!("the handshake signature did not verify with the leaf's key: {sig}")
            }
            None => abort_reason(&error),
        };
        return Ok(session.report(plan, r, HandshakeOutcome::Aborted { reason }));
    }
    // A TLS 1.2 server that stopped before ServerHelloDone: its Certificate message went in
    // the clear, so read it from what was received.
    let head_bytes = std::mem::take(
        &mut session
            .head
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .bytes,
    );
    let flight = legacy::parse_flight(&head_bytes);
    if flight.certs.is_empty() || matches!(error, FetchError::NoSharedProtocol { .. }) {
        return Err(error);
    }
    if flight.certs.len() > plan.max_certificates {
        return Err(too_many(flight.certs.len()));
    }
    let reason = abort_reason(&error);
    let mut chain = session.report(plan, r, HandshakeOutcome::Aborted { reason });
    chain.certs = flight.certs;
    chain.tls_version = flight.version;
    chain.cipher_suite = flight.cipher_suite;
    Ok(chain)
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
