//! The library's one error type.
//!
//! Every variant names the input it is about (a file name, `<stdin>`, a host) so a front
//! end can print it on one line as it is: `server.key: found a PRIVATE KEY block, expected
//! CERTIFICATE`.

use std::fmt;

/// Where in an input a problem sits: the 1-based block index and, for PEM, the 1-based line
/// of its `-----BEGIN` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
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

/// The input name of the operating system's store in errors: an [`Error::Empty`] about it
/// has the hint [`Hint::Roots`](crate::Hint::Roots) (use the Mozilla roots or a file).
pub(crate) const SYSTEM_STORE: &str = "system trust store";

/// Everything that can go wrong in chainscope, with the context needed to act on it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading an input failed at the operating-system level.
    #[error("{input}: {}", io_error_text(source))]
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

    /// An input is larger than chainscope reads for its kind
    /// ([`crate::load::InputKind::limit`]).
    #[error("{input}: larger than {}", size_text(*limit))]
    TooLarge {
        /// The input.
        input: String,
        /// The limit, in bytes.
        limit: u64,
    },

    /// A value given by the caller (time, host name, option) is not acceptable.
    #[error("{what}: {reason}")]
    InvalidArgument {
        /// The parameter, by its name in the API (`at`, `host`, `profile`): the name of
        /// its [`Hint`](crate::Hint) when it has one ([`Error::hint`]).
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
            Error::TooLarge { .. } => "too_large",
            Error::InvalidArgument { .. } => "invalid_argument",
            #[cfg(feature = "fetch")]
            Error::Fetch(e) => e.code(),
            #[cfg(feature = "mint")]
            Error::Mint(e) => e.code(),
        }
    }

    /// The input the error is about, when the caller can change it: the parameter of an
    /// [`Error::InvalidArgument`], the trust roots for an empty system store
    /// ([`TrustStore::system`](crate::TrustStore::system)), or what a wrapped error's
    /// `hint()` names. A front end
    /// renders it as its own option (the `chainscope` command line as its host flag).
    ///
    /// ```
    /// let e = chainscope::verify::parse_host("bad host!").unwrap_err();
    /// assert_eq!(e.hint(), Some(chainscope::Hint::Host));
    /// assert!(e.to_string().starts_with("host: "));
    /// ```
    pub fn hint(&self) -> Option<crate::Hint> {
        match self {
            Error::InvalidArgument { what, .. } => crate::Hint::from_name(what),
            // An empty system store: the roots can be given otherwise (Mozilla's, a file).
            Error::Empty { input, .. } if input == SYSTEM_STORE => Some(crate::Hint::Roots),
            #[cfg(feature = "fetch")]
            Error::Fetch(e) => e.hint(),
            #[cfg(feature = "mint")]
            Error::Mint(e) => e.hint(),
            _ => None,
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

/// An I/O error in words, as chainscope's messages print it: the system's description
/// without the `(os error 2)` that Rust appends, starting in lower case (`no such file or
/// directory`, `permission denied`, `no space left on device`).
pub fn io_error_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => text.as_str(),
    };
    let mut chars = text.chars();
    match chars.next() {
        // Only a capital followed by lower case ("No such file") is lowered, not "TLS".
        Some(first) if first.is_uppercase() && chars.next().is_some_and(char::is_lowercase) => {
            first
                .to_lowercase()
                .chain(text[first.len_utf8()..].chars())
                .collect()
        }
        _ => text.to_owned(),
    }
}

/// A byte count as a person reads a limit: `1 GiB`, `64 KiB`, `1000 bytes`.
fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_read_as_words() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(io_error_text(&e), "no such file or directory");
        let e = std::io::Error::from_raw_os_error(28);
        assert_eq!(io_error_text(&e), "no space left on device");
        let e = std::io::Error::other("TLS record too large");
        assert_eq!(io_error_text(&e), "TLS record too large");
        let err = Error::io("ca.pem", std::io::Error::from_raw_os_error(13));
        assert_eq!(err.to_string(), "ca.pem: permission denied");
    }

    #[test]
    fn limits_read_as_sizes() {
        assert_eq!(size_text(1 << 30), "1 GiB");
        assert_eq!(size_text(256 << 20), "256 MiB");
        assert_eq!(size_text(64 << 10), "64 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }
}
