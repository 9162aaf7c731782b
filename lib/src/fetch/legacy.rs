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
use super::sniff::{not_tls, snake};
use super::{FetchError, HandshakeOutcome, Phase, PresentedChain, Timing, TlsVersion};

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

fn alert_name(code: u8) -> String {
    let desc = tls_parser::TlsAlertDescription(code);
    snake(&format!("{desc:?}"))
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

/// Runs the capture-only handshake.
pub(super) async fn capture(plan: &Plan) -> Result<PresentedChain, FetchError> {
    let mut timing = Timing::default();
    let (mut stream, peer) = plan.open(&mut timing).await?;
    let label = plan.label.clone();
    let io = |source: std::io::Error| FetchError::Io {
        target: label.clone(),
        phase: Phase::Handshake,
        source,
    };
    let t = Instant::now();
    let hello = client_hello(plan.sni.as_deref(), plan.max_tls);
    let flight = plan
        .bounded(Phase::Handshake, async {
            stream.write_all(&hello).await.map_err(io)?;
            let mut buf = Vec::with_capacity(16 * 1024);
            let mut chunk = [0u8; 16 * 1024];
            loop {
                let n = stream.read(&mut chunk).await.map_err(io)?;
                if n == 0 {
                    if let Some(e) = not_tls(&plan.label, &buf) {
                        return Err(e);
                    }
                    let flight = parse_flight(&buf);
                    if let Some(alert) = flight.alert {
                        return Err(alert_error(plan, alert));
                    }
                    return Err(FetchError::ConnectionClosed {
                        target: plan.label.clone(),
                        phase: Phase::Handshake,
                    });
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(e) = not_tls(&plan.label, &buf) {
                    return Err(e);
                }
                let flight = parse_flight(&buf);
                if let Some(alert) = flight.alert {
                    return Err(alert_error(plan, alert));
                }
                if flight.complete || flight.malformed {
                    return Ok(flight);
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
        })
        .await?;
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

fn alert_error(plan: &Plan, alert: String) -> FetchError {
    if alert == "protocol_version"
        || alert == "handshake_failure"
        || alert == "insufficient_security"
    {
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
