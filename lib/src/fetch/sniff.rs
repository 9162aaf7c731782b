//! Naming what answered and why a handshake failed: plain HTTP, an SMTP banner, random
//! bytes, or a TLS alert — turned into the [`FetchError`] a user can act on.

use super::{FetchError, Phase};

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
