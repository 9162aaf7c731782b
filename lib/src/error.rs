//! The library's one error type.
//!
//! Every variant names the input it is about (a file name, `<stdin>`, a host) so a front
//! end can print it on one line as it is: `server.key: found a PRIVATE KEY block, expected
//! CERTIFICATE`.

use std::fmt;

/// Where in an input a problem sits: the 1-based block index and, for PEM, the 1-based line
/// of its `-----BEGIN` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// 1-based index of the block (PEM section, or certificate in a PKCS#7 bundle).
    pub block: usize,
    /// 1-based line of the block's `-----BEGIN` marker; `None` for binary input.
    pub line: Option<usize>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "block {} (line {line})", self.block),
            None => write!(f, "block {}", self.block),
        }
    }
}

/// Everything that can go wrong in chainscope, with the context needed to act on it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading an input failed at the operating-system level.
    #[error("{input}: {source}")]
    Io {
        /// The file, directory or `<stdin>`.
        input: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A PEM input holds blocks, but none of the kind asked for.
    #[error("{input}: found a {found} block, expected {expected}")]
    WrongPemLabel {
        /// The input.
        input: String,
        /// The label that was found (`PRIVATE KEY`).
        found: String,
        /// What was expected (`CERTIFICATE`).
        expected: &'static str,
    },

    /// The input is neither PEM, nor DER, nor PKCS#7.
    #[error("{input}: not PEM, DER or PKCS#7")]
    UnrecognizedFormat {
        /// The input.
        input: String,
    },

    /// A DER structure announces more bytes than the input holds.
    #[error("{input}: truncated DER at byte {available} of {declared}")]
    TruncatedDer {
        /// The input.
        input: String,
        /// Bytes present.
        available: usize,
        /// Bytes the outer DER header announces.
        declared: usize,
    },

    /// One block of a bundle could not be decoded.
    #[error("{input}: {position}: {reason}")]
    BadBlock {
        /// The input.
        input: String,
        /// Which block.
        position: Position,
        /// What was wrong with it.
        reason: String,
    },

    /// The input holds no certificate at all.
    #[error("{input}: {reason}")]
    Empty {
        /// The input.
        input: String,
        /// Why nothing was found (`empty file`, `no PEM block`, …).
        reason: String,
    },

    /// A certificate, CSR, key or CRL is structurally malformed.
    #[error("{input}: {reason}")]
    Malformed {
        /// The input (file, or `cert 2` inside a chain).
        input: String,
        /// What was wrong.
        reason: String,
    },

    /// A value given by the caller (time, host name, option) is not acceptable.
    #[error("{what}: {reason}")]
    InvalidArgument {
        /// The option or parameter (`--at`, `--host`).
        what: String,
        /// What was wrong with it.
        reason: String,
    },

    /// Capturing a chain from a server failed.
    #[cfg(feature = "fetch")]
    #[cfg_attr(docsrs, doc(cfg(feature = "fetch")))]
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),

    /// Minting or writing certificates and keys failed.
    #[cfg(feature = "mint")]
    #[cfg_attr(docsrs, doc(cfg(feature = "mint")))]
    #[error(transparent)]
    Mint(#[from] crate::mint::MintError),
}

impl Error {
    /// A stable code for JSON output and for matching: snake_case, never renamed. The
    /// wrapped errors keep theirs:
    #[cfg_attr(
        feature = "fetch",
        doc = "[`Error::Fetch`] gives [`FetchError::code`](crate::fetch::FetchError::code) (`timeout`, `dns`, …),"
    )]
    #[cfg_attr(
        feature = "mint",
        doc = "[`Error::Mint`] gives [`MintError::code`](crate::mint::MintError::code) (`would_overwrite`, …)."
    )]
    ///
    /// ```
    /// let e = chainscope::load_bytes(b"hello", "x.bin", &Default::default()).unwrap_err();
    /// assert_eq!(e.code(), "unrecognized_format");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::WrongPemLabel { .. } => "wrong_pem_label",
            Error::UnrecognizedFormat { .. } => "unrecognized_format",
            Error::TruncatedDer { .. } => "truncated_der",
            Error::BadBlock { .. } => "bad_block",
            Error::Empty { .. } => "empty",
            Error::Malformed { .. } => "malformed",
            Error::InvalidArgument { .. } => "invalid_argument",
            #[cfg(feature = "fetch")]
            Error::Fetch(e) => e.code(),
            #[cfg(feature = "mint")]
            Error::Mint(e) => e.code(),
        }
    }

    /// Shorthand for [`Error::Io`].
    pub(crate) fn io(input: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            input: input.into(),
            source,
        }
    }

    /// Shorthand for [`Error::Malformed`].
    pub(crate) fn malformed(input: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Malformed {
            input: input.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::InvalidArgument`].
    pub(crate) fn invalid_argument(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            what: what.into(),
            reason: reason.into(),
        }
    }
}

/// `Result` with chainscope's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
