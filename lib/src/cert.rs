//! Decoding one certificate. (Being written.)

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

/// A decoded certificate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CertificateInfo {}

impl CertificateInfo {
    /// Decodes `der`, computing days remaining relative to `at`.
    pub fn decode(der: &CertificateDer<'_>, at: OffsetDateTime) -> crate::Result<Self> {
        let _ = (der, at);
        Ok(CertificateInfo {})
    }
}
