//! Minting private CAs and the certificates they sign. (Being built: see issue 5.)

/// Why minting or writing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MintError {
    /// Placeholder until minting lands.
    #[error("minting is not implemented yet")]
    NotImplemented,
}
