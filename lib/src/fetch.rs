//! Capturing the chain a server presents. (Being built: see issue 4.)

/// Why capturing a chain failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Placeholder until capture lands.
    #[error("{target}: fetching is not implemented yet")]
    NotImplemented {
        /// The target as given.
        target: String,
    },
}
