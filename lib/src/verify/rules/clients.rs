//! What mainstream client families reject although rustls-webpki accepts it: the rules of
//! the `clients` profile.

use super::{Applies, CertUnderTest, Check, Level, Outcome, Rule};
use crate::instant::human_utc_unix as fmt_unix;
use crate::policy::{self, KeyStrength};
use crate::verify::code::Source;
use crate::verify::profile::Profile;
use crate::x509::extensions::KeyUsage;

const CLIENTS: Level = Level::Reject(Profile::Clients);

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "anchor_expired",
        // RFC 5280 §6.1 checks the validity of the path's certificates, not of the trust
        // anchor (§6.1.1 d: the anchor is input information); the clients do more.
        source: Source::Client("OpenSSL x509_vfy.c internal_verify (the time check covers the trust anchor: X509_V_ERR_CERT_HAS_EXPIRED), Go crypto/x509 isValid, GnuTLS"),
        level: CLIENTS,
        applies_to: Applies::ANCHOR,
        summary: "the trust anchor has expired (OpenSSL-based clients and the OS verifiers reject it)",
        fix: "replace the root with its current version, or chain to a newer root (cross-sign)",
        clients: Some("OpenSSL-based clients (curl, Python, Ruby, PHP) and Windows/macOS reject an expired root; rustls accepts it"),
        check: Check::Cert(anchor_expired),
    },
    Rule {
        id: "anchor_not_yet_valid",
        source: Source::Client("OpenSSL x509_vfy.c internal_verify (the time check covers the trust anchor: X509_V_ERR_CERT_NOT_YET_VALID), Go crypto/x509 isValid, GnuTLS"),
        level: CLIENTS,
        applies_to: Applies::ANCHOR,
        summary: "the trust anchor is not valid yet",
        fix: "check the clock, or the root's notBefore",
        clients: Some("OpenSSL-based clients reject a root that is not yet valid; rustls accepts it"),
        check: Check::Cert(anchor_not_yet_valid),
    },
    Rule {
        id: "anchor_path_len_exceeded",
        // RFC 5280 §6.1.1 (d) makes the anchor's constraints optional input (RFC 5937);
        // rustls-webpki ignores them, the other clients apply them.
        source: Source::Client("OpenSSL x509_vfy.c check_chain_extensions (X509_V_ERR_PATH_LENGTH_EXCEEDED, the trust anchor's pathLenConstraint included), Go crypto/x509 isValid, GnuTLS"),
        level: CLIENTS,
        applies_to: Applies::ANCHOR,
        summary: "the trust anchor's own pathLenConstraint allows fewer intermediates than the path has",
        fix: "have the CA issue from a path its root's pathLenConstraint allows (or reissue the root with a larger pathLenConstraint)",
        clients: Some("OpenSSL-based clients, Go and GnuTLS reject this (OpenSSL: error 25, path length constraint exceeded); rustls-webpki ignores the trust anchor's basicConstraints"),
        check: Check::Cert(anchor_path_len_exceeded),
    },
    Rule {
        id: "ca_without_keycertsign",
        source: Source::Rfc5280("4.2.1.3"),
        level: CLIENTS,
        applies_to: Applies::CAS,
        summary: "a CA whose keyUsage lacks keyCertSign signs certificates",
        fix: "reissue the CA certificate with keyUsage keyCertSign (and cRLSign)",
        clients: Some("OpenSSL, Go and browsers reject this; rustls-webpki 0.103 accepts it"),
        check: Check::Cert(ca_without_keycertsign),
    },
    Rule {
        id: "weak_leaf_key",
        source: Source::Br("6.1.5"),
        level: CLIENTS,
        applies_to: Applies::LEAF,
        summary: "a leaf RSA key under 2048 bits, which no modern TLS stack uses",
        fix: "reissue the certificate with an RSA-2048+ or ECDSA P-256 key",
        clients: Some("rustls, browsers and OpenSSL at security level 2 refuse handshakes with RSA keys under 2048 bits"),
        check: Check::Cert(weak_leaf_key),
    },
];

fn anchor_expired(t: &CertUnderTest<'_>) -> Outcome {
    let not_after = t.cert.not_after_unix();
    Outcome::unless(not_after >= t.time, || {
        format!("expired on {}", fmt_unix(not_after))
    })
}

fn anchor_not_yet_valid(t: &CertUnderTest<'_>) -> Outcome {
    let not_before = t.cert.not_before_unix();
    Outcome::unless(not_before <= t.time, || {
        format!("is not valid before {}", fmt_unix(not_before))
    })
}

fn anchor_path_len_exceeded(t: &CertUnderTest<'_>) -> Outcome {
    let Some(allowed) = t
        .cert
        .extensions
        .basic_constraints
        .filter(|bc| bc.ca)
        .and_then(|bc| bc.path_len)
    else {
        return Outcome::NotApplicable;
    };
    // RFC 5280 §6.1.4 (l): the non-self-issued intermediates between the leaf and the
    // anchor count; the leaf does not.
    let below = t.path.len().saturating_sub(2);
    let counted = t
        .path
        .iter()
        .skip(1)
        .take(below)
        .filter(|c| !c.is_some_and(|c| c.self_issued()))
        .count();
    Outcome::unless(counted as u64 <= u64::from(allowed), || {
        format!("allows {allowed} intermediate(s) below it (pathLenConstraint) and the path has {counted}")
    })
}

fn ca_without_keycertsign(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.key_usage {
        None => Outcome::NotApplicable,
        Some(ku) => Outcome::unless(ku.has(KeyUsage::KEY_CERT_SIGN), || {
            "has a keyUsage extension without keyCertSign, yet signs certificates".into()
        }),
    }
}

fn weak_leaf_key(t: &CertUnderTest<'_>) -> Outcome {
    let key = &t.cert.key.algorithm;
    if !key.is_rsa() {
        return Outcome::NotApplicable;
    }
    let weak = matches!(policy::key_strength(key), KeyStrength::Weak(_));
    Outcome::unless(!weak, || format!("has a {key} key: too weak to be used"))
}
