//! Decoding one certificate. (Being written.)

/// A decoded certificate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CertificateInfo {}
