//! # chainscope
//!
//! TLS certificate chains, end to end: load them in any format, decode every field, build
//! and verify the path against system, Mozilla or supplied roots — and explain every
//! failure with its fix —, capture the chain a live server presents (TLS and STARTTLS), and
//! mint private CAs and the certificates they sign.
//!
//! rustls-webpki's verdict is final: chainscope explains it, may reject more under a
//! stricter profile, and never accepts what webpki rejects.
//!
//! ## Map
//! | module | concept |
//! |---|---|
//! | [`load`] | reading PEM / DER / PKCS#7 from bytes, files, directories, stdin |
//! | [`cert`] | decoding one certificate into a serializable [`CertificateInfo`] |
//! | [`csr`] | decoding a PKCS#10 certificate signing request |
//! | [`chain`] | relations between adjacent certificates of a presented list |
//! | [`trust`] | trust anchors: system, Mozilla, supplied files |
//! | [`verify`] | path building and verification that explains itself |
//! | [`fetch`](mod@fetch) | capturing the chain a server presents (feature `fetch`) |
//! | [`mint`] | private CAs, leaves and self-signed certificates (feature `mint`) |
//! | [`monitor`] | monitoring-plugin checks and Prometheus probes (feature `fetch`) |
//! | [`key`] | private keys: type, encryption, whether they match a certificate |
//! | [`preflight`] | the go-live checklist for a proxy's files and live server |
//! | [`name_constraints`] | which names a CA allows below it (RFC 5280 §4.2.1.10) |
//! | [`inspect`], [`name`], [`oids`], [`instant`] | the `show` report, names, OID names, time input |
//!
//! ## Cargo features
//! | feature | default | pulls | enables |
//! |---|---|---|---|
//! | `fetch` | yes | tokio, tokio-rustls, tls-parser, x509-ocsp | [`fetch`](mod@fetch) |
//! | `mint` | yes | rcgen, pkcs8, rustix | [`mint`] |
//!
//! With `default-features = false` the crate decodes and verifies only.
//!
//! ## Example: decode a chain file
//! ```
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs-fixtures/rsa/chain.pem");
//! let certs = chainscope::load_certificates(path.as_ref())?;
//! let now = time::OffsetDateTime::now_utc();
//! let leaf = chainscope::CertificateInfo::decode(&certs[0], now)?;
//! assert_eq!(leaf.subject_alt_names.dns, vec!["rsa.chainscope.test", "localhost"]);
//! # Ok::<(), chainscope::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![warn(unreachable_pub)]

pub mod cert;
pub mod chain;
pub mod csr;
mod encoding;
mod error;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod inspect;
pub mod instant;
pub mod key;
pub mod load;
#[cfg(feature = "mint")]
pub mod mint;
#[cfg(feature = "fetch")]
pub mod monitor;
pub mod name;
pub mod name_constraints;
pub mod oids;
mod parallel;
mod policy;
pub mod preflight;
pub mod trust;
pub mod verify;
mod x509;

pub use cert::CertificateInfo;
pub use chain::{ChainReport, LinkStatus};
pub use csr::CsrInfo;
pub use error::io_error_text;
pub use error::{Error, Position, Result};
#[cfg(feature = "fetch")]
pub use fetch::{fetch, fetch_blocking, FetchError, FetchOptions, PresentedChain, Target};
pub use key::{KeyMatch, PrivateKeyInfo};
pub use load::{load_bytes, load_certificates, load_input, load_path, Bundle, LoadOptions};
#[cfg(feature = "mint")]
pub use mint::MintError;
pub use preflight::{Check, CheckStatus, PreflightReport};
pub use rustls_pki_types::CertificateDer;
pub use trust::TrustStore;
pub use verify::{verify_chain, Finding, Profile, Severity, VerifyOptions, VerifyReport};
