//! Naming what answered and why a handshake failed: plain HTTP, an SMTP banner, random
//! bytes, or a TLS alert — turned into the [`FetchError`] a user can act on.

use super::{FetchError, Phase};

/// The TLS alert descriptions by their IANA names (TLS Alerts registry; RFC 8446 §6,
/// RFC 5246 §7.2, RFC 6066 §9, RFC 7301 §3.2). Both captures name alerts from this one table:
/// rustls' own names differ in places (`UnrecognisedName`) and tls-parser has no name for
/// some codes.
const ALERTS: &[(u8, &str)] = &[
    (0, "close_notify"),
    (10, "unexpected_message"),
    (20, "bad_record_mac"),
    (21, "decryption_failed"),
    (22, "record_overflow"),
    (30, "decompression_failure"),
    (40, "handshake_failure"),
    (41, "no_certificate"),
    (42, "bad_certificate"),
    (43, "unsupported_certificate"),
    (44, "certificate_revoked"),
    (45, "certificate_expired"),
    (46, "certificate_unknown"),
    (47, "illegal_parameter"),
    (48, "unknown_ca"),
    (49, "access_denied"),
    (50, "decode_error"),
    (51, "decrypt_error"),
    (60, "export_restriction"),
    (70, "protocol_version"),
    (71, "insufficient_security"),
    (80, "internal_error"),
    (86, "inappropriate_fallback"),
    (90, "user_canceled"),
    (100, "no_renegotiation"),
    (109, "missing_extension"),
    (110, "unsupported_extension"),
    (111, "certificate_unobtainable"),
    (112, "unrecognized_name"),
    (113, "bad_certificate_status_response"),
    (114, "bad_certificate_hash_value"),
    (115, "unknown_psk_identity"),
    (116, "certificate_required"),
    (120, "no_application_protocol"),
    (121, "ech_required"),
];

/// The IANA name of a TLS alert description (`112` → `unrecognized_name`); a code the
/// registry does not assign is `unassigned_alert_N`.
pub(super) fn alert_name(code: u8) -> String {
    ALERTS.iter().find(|(c, _)| *c == code).map_or_else(
        || format!("unassigned_alert_{code}"),
        |(_, n)| (*n).to_owned(),
    )
}

/// The name of an alert rustls received, from the same table as the legacy capture's.
pub(super) fn rustls_alert_name(alert: rustls::AlertDescription) -> String {
    alert_name(u8::from(alert))
}

/// Whether an alert, sent in answer to a ClientHello, means the server shares no protocol
/// version or cipher suite with it (`protocol_version`, `handshake_failure`,
/// `insufficient_security`; RFC 8446 §6.2, RFC 5246 §7.2.2).
pub(super) fn means_no_shared_protocol(name: &str) -> bool {
    matches!(
        name,
        "protocol_version" | "handshake_failure" | "insufficient_security"
    )
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

/// Whether the first bytes received so far are too few to tell what answered: a TLS
/// record's first byte alone, the start of `HTTP/` or an HTML tag, or a printable first line
/// still without its end. A server may send its first flight in segments as small as one
/// byte; only [`not_tls`] on a decided head (or on everything received when the connection
/// ended or the time ran out) is a verdict.
pub(super) fn undecided(head: &[u8]) -> bool {
    const MARKERS: [&[u8]; 3] = [b"HTTP/", b"<!DOCTYPE", b"<html"];
    match head {
        [] => true,
        [first] if (0x14..=0x18).contains(first) => true,
        _ if MARKERS
            .iter()
            .any(|m| head.len() < m.len() && m.starts_with(head)) =>
        {
            true
        }
        _ => {
            head.len() < 80
                && !head.contains(&b'\n')
                && head
                    .iter()
                    .all(|b| b.is_ascii_graphic() || *b == b' ' || *b == b'\r' || *b == b'\t')
        }
    }
}

/// Names what answered when the first bytes are not a TLS record, or `None` if they look
/// like TLS (or nothing arrived). Call it once [`undecided`] is false, or with everything
/// received.
pub(super) fn not_tls(label: &str, head: &[u8]) -> Option<FetchError> {
    // A TLS record starts with its content type (20–24), then major version 3; a lone
    // first byte of a record is not proof of anything else.
    if !head.is_empty()
        && (0x14..=0x18).contains(&head[0])
        && head.get(1).is_none_or(|b| *b == 0x03)
    {
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
    Some(FetchError::NotTls {
        target: label.to_string(),
        first_bytes: crate::encoding::hex(&head[..head.len().min(8)], " "),
    })
}

/// The reason an aborted handshake is reported with: the error without its target prefix.
pub(super) fn abort_reason(error: &FetchError) -> String {
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

pub(super) fn rustls_error(e: &std::io::Error) -> Option<&rustls::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
}

/// Turns a failed rustls handshake of `label` into the error a user can act on; `head` is
/// what the server sent first.
pub(super) fn classify(label: &str, io: &std::io::Error, head: &[u8]) -> FetchError {
    let label = label.to_owned();
    if let Some(e) = rustls_error(io) {
        return match e {
            rustls::Error::AlertReceived(a) => {
                let alert = rustls_alert_name(*a);
                if means_no_shared_protocol(&alert) {
                    FetchError::NoSharedProtocol {
                        target: label,
                        detail: format!("the server sent alert `{alert}`"),
                    }
                } else {
                    FetchError::TlsAlert { target: label, alert }
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names_follow_the_iana_registry() {
        assert_eq!(alert_name(70), "protocol_version");
        assert_eq!(alert_name(112), "unrecognized_name");
        assert_eq!(alert_name(116), "certificate_required");
        assert_eq!(alert_name(200), "unassigned_alert_200");
        // rustls' alerts come out of the same table, in TLS's spelling.
        assert_eq!(
            rustls_alert_name(rustls::AlertDescription::UnrecognisedName),
            "unrecognized_name"
        );
        // Every alert rustls knows has a name in the table.
        for code in 0..=u8::MAX {
            let known = !matches!(
                rustls::AlertDescription::from(code),
                rustls::AlertDescription::Unknown(_)
            );
            assert_eq!(
                known,
                !alert_name(code).starts_with("unassigned_alert_"),
                "alert {code}"
            );
        }
    }

    #[test]
    fn a_first_byte_alone_decides_nothing() {
        assert!(undecided(&[0x16]));
        assert!(not_tls("h:1", &[0x16]).is_none());
        assert!(undecided(b"HTT"));
        assert!(undecided(b"220 mail.example ESMTP"));
        assert!(!undecided(b"220 mail.example ESMTP\r\n"));
        assert!(!undecided(&[0x16, 0x03]));
        assert!(!undecided(&[0x9a]));
        assert!(matches!(
            not_tls("h:1", &[0x9a]),
            Some(FetchError::NotTls { .. })
        ));
        assert!(matches!(
            not_tls("h:1", b"HTTP/1.1 400 Bad Request\r\n"),
            Some(FetchError::PlaintextHttp { .. })
        ));
    }

    #[test]
    fn bytes_that_are_not_tls_are_quoted_as_spaced_hex_at_most_eight() {
        let first = |head: &[u8]| match not_tls("h:1", head) {
            Some(FetchError::NotTls { first_bytes, .. }) => first_bytes,
            other => panic!("{other:?}"),
        };
        assert_eq!(first(&[0x9a]), "9a");
        assert_eq!(
            first(&[0x00, 0xff, 0x0a, 0x10, 5, 6, 7, 8, 9, 10]),
            "00 ff 0a 10 05 06 07 08"
        );
    }
}
