//! The report [`verify_chain`](super::verify_chain) returns: plain data, rendered as text
//! or JSON by front ends.

use super::code::Code;
use super::findings::{Finding, Severity};
use super::profile::Profile;

/// Where a certificate of a path came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CertSource {
    /// Sent by the server: index in the presented list.
    Presented {
        /// 0 = leaf.
        index: usize,
    },
    /// From [`VerifyOptions::untrusted`](super::VerifyOptions::untrusted).
    Untrusted,
    /// Downloaded from an AIA caIssuers URL.
    Aia {
        /// The URL.
        url: String,
    },
    /// A trust anchor of the given source (`system`, `mozilla`, a path).
    TrustStore {
        /// The trust source's label.
        source: String,
    },
}

/// One certificate of a built path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct PathEntry {
    /// `leaf`, `intermediate` or `anchor`.
    pub role: &'static str,
    /// Subject, `CN=…, O=…`.
    pub subject: String,
    /// SHA-256 fingerprint of the certificate, as `openssl x509 -fingerprint` prints it:
    /// upper-case hex bytes joined by colons (`3A:F0:…`); for an anchor without a
    /// certificate (Mozilla bundle), of its SubjectPublicKeyInfo, and `spki_only` is set.
    pub sha256: String,
    /// Whether `sha256` is of the key only (anchor without certificate).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub spki_only: bool,
    /// notAfter, RFC 3339, when known.
    pub not_after: Option<String>,
    /// Days from the validation time to notAfter (negative when expired).
    pub days_left: Option<i64>,
    /// Where it came from.
    pub source: CertSource,
}

/// The verdict's cause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct VerifyError {
    /// Stable code (same as the first error finding's).
    pub code: Code,
    /// Plain-words message.
    pub message: String,
    /// Index of the certificate in the presented list, when it is a presented one.
    pub cert_index: Option<usize>,
}

/// What rustls-webpki alone decided (the floor of every profile).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct WebpkiVerdict {
    /// Whether webpki accepts the chain (path and name).
    pub valid: bool,
    /// webpki's error, as it names it (`UnknownIssuer`, `CertExpired`, …).
    pub error: Option<String>,
}

/// The outcome of [`verify_chain`](super::verify_chain): plain data, rendered as text or JSON by front ends.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct VerifyReport {
    /// Whether the chain is valid under the chosen profile.
    pub valid: bool,
    /// The profile the verdict is for.
    pub profile: Profile,
    /// The name checked, if any.
    pub host: Option<String>,
    /// The validation time (RFC 3339).
    pub at: String,
    /// The purposes required.
    pub purposes: Vec<String>,
    /// The trust store's label (`system`, `mozilla+ca.pem`).
    pub trust: String,
    /// The path built (leaf first), empty when none could be.
    pub path: Vec<PathEntry>,
    /// The verdict's cause, `null` when valid.
    pub error: Option<VerifyError>,
    /// Every problem and note, the verdict's cause first.
    pub findings: Vec<Finding>,
    /// What rustls-webpki alone decided.
    pub webpki: WebpkiVerdict,
    /// With `all_paths`: every valid path webpki can build, including the chosen one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all_paths: Vec<Vec<PathEntry>>,
    /// With `clients`: whether each TLS client family accepts the chain (omitted otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<crate::clients::ClientVerdict>,

    /// When CRLs were given: what became of each, and which certificates were checked
    /// against which CRL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation: Option<super::crl::RevocationReport>,
}

impl VerifyReport {
    /// The findings of one severity.
    pub fn findings_of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// Whether a finding with this code is present.
    pub fn has(&self, code: Code) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

/// Formats Unix seconds as `2035-06-01 00:00:00 UTC`.
pub(crate) use crate::instant::human_utc_unix as fmt_unix;

/// Keeps the first of identical (code, certificate) findings; errors first (the verdict's
/// cause at the very front), then warnings, then notes. A valid chain has no error finding.
pub(crate) fn dedup_and_order(findings: Vec<Finding>, valid: bool) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for mut f in findings {
        if out
            .iter()
            .any(|o| o.code == f.code && o.subject == f.subject && o.cert_index == f.cert_index)
        {
            continue;
        }
        if valid {
            f = f.not_deciding();
        }
        out.push(f);
    }
    out.sort_by_key(|f| f.severity);
    out
}
