//! Certificate signing requests. (Being written.)

/// A decoded CSR.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CsrInfo {}
