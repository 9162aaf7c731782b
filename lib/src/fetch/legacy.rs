//! Capture-only handshake for servers rustls cannot talk to (TLS 1.0/1.1, CBC/RC4/3DES or
//! RSA-key-exchange-only suites): send a ClientHello offering TLS 1.0–1.2 and the common
//! legacy suites, read the server's flight — in the clear before TLS 1.3 — up to its
//! Certificate message with `tls-parser`, and hang up. This proves nothing about key
//! possession; the report says `legacy: true`.

use std::time::Instant;

use rustls_pki_types::CertificateDer;
use tls_parser::{
    parse_tls_message_handshake, parse_tls_raw_record, TlsCipherSuite, TlsMessage,
    TlsMessageHandshake, TlsRecordType,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::plan::Plan;
use super::sniff::{alert_name, means_no_shared_protocol, not_tls, undecided};
use super::{FetchError, HandshakeOutcome, Phase, PresentedChain, Timing, TlsVersion};
use crate::verify::{Code, Finding, Severity, Source, VerifyReport};

/// Most bytes read from a legacy server before giving up on its Certificate message.
const FLIGHT_LIMIT: usize = 512 * 1024;

/// Cipher suites offered: modern ECDHE/AEAD first, then what old appliances speak.
const SUITES: &[u16] = &[
    0xc02b, 0xc02f, 0xc02c, 0xc030, // ECDHE-ECDSA/RSA AES-GCM
    0xc009, 0xc013, 0xc00a, 0xc014, // ECDHE-ECDSA/RSA AES-CBC-SHA
    0xc023, 0xc027, 0xc024, 0xc028, // ECDHE AES-CBC-SHA256/384
    0x009e, 0x009f, 0x0033, 0x0039, 0x0067, 0x006b, // DHE-RSA
    0x0032, 0x0038, 0x0040, 0x006a, // DHE-DSS
    0x009c, 0x009d, 0x002f, 0x0035, 0x003c, 0x003d, // RSA key exchange
    0x0041, 0x0084, 0x0045, 0x0088, // Camellia
    0x0096, 0x0007, // SEED, IDEA
    0xc012, 0xc008, 0x0016, 0x0013, 0x000a, // 3DES
    0xc011, 0xc007, 0x0005, 0x0004, // RC4
    0x00ff, // renegotiation SCSV
];

/// What was read from a server's first flight.
#[derive(Debug, Default)]
pub(super) struct Flight {
    pub(super) version: Option<String>,
    /// The version the ServerHello chose, as on the wire (`0x0301` for TLS 1.0).
    pub(super) version_wire: Option<u16>,
    pub(super) cipher_suite: Option<String>,
    pub(super) certs: Vec<CertificateDer<'static>>,
    /// The server's alert, if it sent one.
    pub(super) alert: Option<String>,
    /// The Certificate message (or ServerHelloDone) arrived.
    pub(super) complete: bool,
    /// The bytes do not frame as TLS records.
    pub(super) malformed: bool,
}

/// Parses as much of a server's plaintext flight as has arrived.
pub(super) fn parse_flight(bytes: &[u8]) -> Flight {
    let mut flight = Flight::default();
    let mut handshake = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (next, record) = match parse_tls_raw_record(rest) {
            Ok(ok) => ok,
            Err(tls_parser::nom::Err::Incomplete(_)) => break,
            Err(_) => {
                flight.malformed = true;
                break;
            }
        };
        rest = next;
        match record.hdr.record_type {
            TlsRecordType::Handshake => handshake.extend_from_slice(record.data),
            TlsRecordType::Alert if record.data.len() >= 2 => {
                flight.alert = Some(alert_name(record.data[1]));
                break;
            }
            // ChangeCipherSpec: everything after is encrypted.
            _ => break,
        }
    }
    let mut msgs: &[u8] = &handshake;
    while !msgs.is_empty() {
        let (next, msg) = match parse_tls_message_handshake(msgs) {
            Ok(ok) => ok,
            Err(_) => break,
        };
        msgs = next;
        match msg {
            TlsMessage::Handshake(TlsMessageHandshake::ServerHello(hello)) => {
                flight.version = Some(version_name(hello.version.0));
                flight.version_wire = Some(hello.version.0);
                flight.cipher_suite = Some(
                    TlsCipherSuite::from_id(hello.cipher.0)
                        .map(|s| s.name.to_string())
                        .unwrap_or_else(|| format!("0x{:04x}", hello.cipher.0)),
                );
            }
            TlsMessage::Handshake(TlsMessageHandshake::Certificate(contents)) => {
                flight.certs = contents
                    .cert_chain
                    .iter()
                    .map(|c| CertificateDer::from(c.data.to_vec()))
                    .collect();
                flight.complete = true;
            }
            TlsMessage::Handshake(TlsMessageHandshake::ServerDone(_)) => {
                flight.complete = true;
            }
            _ => {}
        }
        if flight.complete {
            break;
        }
    }
    flight
}

fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSLv3".into(),
        0x0301 => "TLSv1.0".into(),
        0x0302 => "TLSv1.1".into(),
        0x0303 => "TLSv1.2".into(),
        0x0304 => "TLSv1.3".into(),
        other => format!("0x{other:04x}"),
    }
}

/// Appends a two-byte big-endian length, then the bytes.
fn put16(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(&u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes());
    out.extend_from_slice(body);
}

fn extension(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    put16(out, body);
}

/// A TLS ClientHello record offering `max` down to TLS 1.0 and [`SUITES`].
pub(super) fn client_hello(sni: Option<&str>, max: TlsVersion) -> Vec<u8> {
    let max = max.min(TlsVersion::Tls1_2);
    let mut random = [0u8; 32];
    // Randomness matters little for a capture-only hello; fall back to a clock-derived value.
    if aws_lc_rs::rand::fill(&mut random).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        random[..16].copy_from_slice(&nanos.to_be_bytes());
    }

    let mut ext = Vec::new();
    if let Some(name) = sni {
        let mut list = vec![0u8]; // host_name
        put16(&mut list, name.as_bytes());
        let mut body = Vec::new();
        put16(&mut body, &list);
        extension(&mut ext, 0x0000, &body);
    }
    // supported_groups: x25519, secp256r1, secp384r1, secp521r1
    let mut groups = Vec::new();
    put16(
        &mut groups,
        &[0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19],
    );
    extension(&mut ext, 0x000a, &groups);
    extension(&mut ext, 0x000b, &[0x01, 0x00]); // ec_point_formats: uncompressed
    if max == TlsVersion::Tls1_2 {
        let schemes: [u16; 13] = [
            0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
            0x0402, 0x0202,
        ];
        let bytes: Vec<u8> = schemes.iter().flat_map(|s| s.to_be_bytes()).collect();
        let mut body = Vec::new();
        put16(&mut body, &bytes);
        extension(&mut ext, 0x000d, &body);
    }

    let mut hello = Vec::new();
    hello.extend_from_slice(&max.wire().to_be_bytes());
    hello.extend_from_slice(&random);
    hello.push(0); // no session id: nothing to resume
    let suites: Vec<u8> = SUITES.iter().flat_map(|s| s.to_be_bytes()).collect();
    put16(&mut hello, &suites);
    hello.extend_from_slice(&[1, 0]); // compression: null only
    put16(&mut hello, &ext);

    let len = u32::try_from(hello.len()).unwrap_or(0).to_be_bytes();
    let mut handshake = vec![0x01, len[1], len[2], len[3]];
    handshake.extend_from_slice(&hello);

    let mut record = vec![0x16, 0x03, 0x01];
    put16(&mut record, &handshake);
    record
}

/// A fatal `protocol_version` alert (RFC 5246 §7.2.2), sent before hanging up on a server
/// whose chosen version is out of range.
const PROTOCOL_VERSION_ALERT: [u8; 7] = [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 70];

/// Runs the capture-only handshake.
pub(super) async fn capture(plan: &Plan) -> Result<PresentedChain, FetchError> {
    let mut timing = Timing::default();
    let (mut stream, peer) = plan.open(&mut timing).await?;
    let t = Instant::now();
    let hello = client_hello(plan.sni.as_deref(), plan.max_tls);
    let mut buf = Vec::with_capacity(16 * 1024);
    let read = plan
        .bounded(
            Phase::Handshake,
            read_flight(plan, &mut stream, &hello, &mut buf),
        )
        .await;
    let flight = match read {
        Ok(Read::Flight(flight)) => flight,
        Ok(Read::OutOfRange(e)) => {
            let _ = plan
                .bounded(Phase::Handshake, async {
                    let _ = stream.write_all(&PROTOCOL_VERSION_ALERT).await;
                    Ok(())
                })
                .await;
            return Err(e);
        }
        // What arrived before the time ran out still says what answered (a plain-text
        // banner without its line end, a lone byte that is not TLS).
        Err(e @ FetchError::Timeout { .. }) => return Err(not_tls(&plan.label, &buf).unwrap_or(e)),
        Err(e) => return Err(e),
    };
    timing.handshake = t.elapsed();
    drop(stream);
    if flight.certs.is_empty() {
        return Err(FetchError::Tls {
            target: plan.label.clone(),
            reason: if flight.malformed {
                "the server's handshake records are malformed".into()
            } else {
                "the server sent no certificate (anonymous or PSK cipher suite?)".into()
            },
        });
    }
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
    timing.total = plan.started.elapsed();
    let mut chain = plan.report(peer, flight.certs);
    chain.tls_version = flight.version;
    chain.cipher_suite = flight.cipher_suite;
    chain.legacy = true;
    chain.handshake = HandshakeOutcome::CaptureOnly;
    chain.timing = timing;
    Ok(chain)
}

/// How reading the flight ended, short of an error.
enum Read {
    /// Up to the Certificate message (or ServerHelloDone).
    Flight(Flight),
    /// The ServerHello chose a version outside the limits: the error to report, after
    /// telling the server with an alert.
    OutOfRange(FetchError),
}

/// Sends the ClientHello and reads the server's flight into `buf` up to its Certificate
/// message (or ServerHelloDone). Stops as soon as the ServerHello names a version outside
/// `[min_tls, max_tls]`, or the first bytes show the server does not speak TLS — deciding
/// that only once enough bytes arrived (a server may send one byte per segment).
async fn read_flight(
    plan: &Plan,
    stream: &mut super::stream::Stream,
    hello: &[u8],
    buf: &mut Vec<u8>,
) -> Result<Read, FetchError> {
    let io = |source: std::io::Error| FetchError::Io {
        target: plan.label.clone(),
        phase: Phase::Handshake,
        source,
    };
    stream.write_all(hello).await.map_err(io)?;
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut chunk).await.map_err(io)?;
        if n == 0 {
            if let Some(e) = not_tls(&plan.label, buf) {
                return Err(e);
            }
            let flight = parse_flight(buf);
            if let Some(alert) = flight.alert {
                return Err(alert_error(plan, alert));
            }
            if let Some(e) = check_version(plan, &flight) {
                return Ok(Read::OutOfRange(e));
            }
            return Err(FetchError::ConnectionClosed {
                target: plan.label.clone(),
                phase: Phase::Handshake,
            });
        }
        buf.extend_from_slice(&chunk[..n]);
        if undecided(buf) {
            continue;
        }
        if let Some(e) = not_tls(&plan.label, buf) {
            return Err(e);
        }
        let flight = parse_flight(buf);
        if let Some(alert) = flight.alert {
            return Err(alert_error(plan, alert));
        }
        if let Some(e) = check_version(plan, &flight) {
            return Ok(Read::OutOfRange(e));
        }
        if flight.complete || flight.malformed {
            return Ok(Read::Flight(flight));
        }
        if buf.len() > FLIGHT_LIMIT {
            return Err(FetchError::TooLarge {
                target: plan.label.clone(),
                reason: format!(
                    "the server sent more than {} KiB without completing its Certificate message",
                    FLIGHT_LIMIT / 1024
                ),
            });
        }
    }
}

/// The version the ServerHello chose must lie within `[min_tls, max_tls]`: the legacy
/// capture honours both limits as the rustls one does (a server picks the highest version
/// it supports up to the one offered, RFC 5246 §7.4.1.3, so a version below the minimum is
/// the newest the server speaks).
fn check_version(plan: &Plan, flight: &Flight) -> Option<FetchError> {
    let chosen = flight.version_wire?;
    let offered = plan.max_tls.min(TlsVersion::Tls1_2);
    let name = version_name(chosen);
    let detail = if chosen < plan.min_tls.wire() {
        format!(
            "the server chose {name} when offered up to {offered}: below the minimum TLS version {}",
            plan.min_tls
        )
    } else if chosen > offered.wire() {
        format!("the server chose {name}, although only up to {offered} was offered")
    } else {
        return None;
    };
    Some(FetchError::NoSharedProtocol {
        target: plan.label.clone(),
        detail,
    })
}

fn alert_error(plan: &Plan, alert: String) -> FetchError {
    if means_no_shared_protocol(&alert) {
        FetchError::NoSharedProtocol {
            target: plan.label.clone(),
            detail: format!(
                "the server sent alert `{alert}` also to a TLS 1.0–1.2 legacy ClientHello"
            ),
        }
    } else {
        FetchError::TlsAlert {
            target: plan.label.clone(),
            alert,
        }
    }
}

impl PresentedChain {
    /// What the capture itself says about the chain, as `verify` findings (warnings): it
    /// was captured over TLS 1.0/1.1 or SSL 3 ([`Code::LegacyTlsVersion`]), or the server
    /// never proved it holds the leaf's private key ([`Code::KeyPossessionUnproven`]: a
    /// legacy capture, or a handshake that ended before the server's signature verified).
    /// A chain from a complete TLS 1.2/1.3 handshake has none.
    pub fn capture_findings(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        let leaf = self.leaf_subject();
        let on_leaf = |f: Finding| match &leaf {
            Some(subject) => f.cert(Some(0), subject),
            None => f,
        };
        if let Some(v @ ("TLSv1.0" | "TLSv1.1" | "SSLv3")) = self.tls_version.as_deref() {
            let mut f = Finding::new(
                Code::LegacyTlsVersion,
                format!(
                    "{} was captured over {v}: RFC 8996 forbids TLS 1.0 and 1.1 (SSL 3: RFC 7568), and current browsers, curl, Python, Go and rustls refuse them",
                    self.target
                ),
            )
            .fix(Code::LegacyTlsVersion.fix());
            if v == "TLSv1.1" {
                f = f.cite(Source::Rfc8996("4"));
            }
            findings.push(f);
        }
        if !self.key_possession_proven {
            let why = match &self.handshake {
                HandshakeOutcome::CaptureOnly => {
                    "the legacy capture stops after the server's Certificate message, before any signature".to_owned()
                }
                HandshakeOutcome::Aborted { reason } => {
                    format!("the handshake ended before the server's signature verified ({reason})")
                }
                _ => "no handshake signature of the server was verified".to_owned(),
            };
            findings.push(on_leaf(
                Finding::new(
                    Code::KeyPossessionUnproven,
                    format!(
                        "{} did not prove it holds the leaf's private key: {why}",
                        self.target
                    ),
                )
                .fix(Code::KeyPossessionUnproven.fix())
                .hint(crate::Hint::CheckKey),
            ));
        }
        findings
    }

    /// Adds [`capture_findings`](Self::capture_findings) to `report`, the verification of
    /// this chain: after the report's errors and warnings, before its notes. They never
    /// change the verdict.
    pub fn add_capture_findings(&self, report: &mut VerifyReport) {
        let at = report
            .findings
            .iter()
            .position(|f| f.severity == Severity::Info)
            .unwrap_or(report.findings.len());
        report.findings.splice(at..at, self.capture_findings());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_hello_parses_back_with_its_sni_and_suites() {
        let record = client_hello(Some("legacy.example"), TlsVersion::Tls1_2);
        let (_, plain) = tls_parser::parse_tls_plaintext(&record).unwrap();
        let TlsMessage::Handshake(TlsMessageHandshake::ClientHello(hello)) = &plain.msg[0] else {
            panic!("not a ClientHello: {:?}", plain.msg);
        };
        assert_eq!(hello.version.0, 0x0303);
        assert_eq!(hello.ciphers.len(), SUITES.len());
        let (_, exts) = tls_parser::parse_tls_client_hello_extensions(hello.ext.unwrap()).unwrap();
        assert!(exts.iter().any(
            |e| matches!(e, tls_parser::TlsExtension::SNI(names) if names[0].1 == b"legacy.example")
        ));
    }

    #[test]
    fn truncated_flight_is_incomplete_not_malformed() {
        let record = client_hello(None, TlsVersion::Tls1_0);
        let flight = parse_flight(&record[..record.len() - 3]);
        assert!(!flight.complete && !flight.malformed && flight.certs.is_empty());
    }
}
