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
//! | [`clients`] | which TLS client families (OpenSSL, GnuTLS, Go, rustls) accept a chain |
//! | [`trust`] | trust anchors: system, Mozilla, supplied files |
//! | [`verify`] | path building and verification that explains itself |
#![cfg_attr(
    feature = "fetch",
    doc = "| [`fetch`](mod@fetch) | capturing the chain a server presents (feature `fetch`) |"
)]
#![cfg_attr(
    not(feature = "fetch"),
    doc = "| `fetch` | capturing the chain a server presents (feature `fetch`, off in this build) |"
)]
#![cfg_attr(
    feature = "mint",
    doc = "| [`mint`] | private CAs, leaves and self-signed certificates (feature `mint`) |"
)]
#![cfg_attr(
    not(feature = "mint"),
    doc = "| `mint` | private CAs, leaves and self-signed certificates (feature `mint`, off in this build) |"
)]
#![cfg_attr(
    feature = "fetch",
    doc = "| [`monitor`] | monitoring-plugin checks and Prometheus probes (feature `fetch`) |"
)]
#![cfg_attr(
    not(feature = "fetch"),
    doc = "| `monitor` | monitoring-plugin checks and Prometheus probes (feature `fetch`, off in this build) |"
)]
//! | [`escape`] | certificate and server text made safe to print (terminals, plugins) |
//! | [`key`] | private keys: type, encryption, whether they match a certificate |
//! | [`preflight`] | the go-live checklist for a proxy's files and live server |
//! | [`name_constraints`] | which names a CA allows below it (RFC 5280 §4.2.1.10) |
//! | [`inspect`] | the report `chainscope show` renders: every certificate and request of an input |
//! | [`instant`] | instants as users write them and as the text reports print them |
//!
//! ## Cargo features
//! | feature | default | pulls | enables |
//! |---|---|---|---|
//! | `fetch` | yes | rustls, tokio, tokio-rustls, tls-parser, x509-ocsp, hyper, futures-timer | the `fetch` module, `preflight::run_async`, live preflight checks |
//! | `aws-lc-rs-provider` | yes | rustls' `aws_lc_rs` feature | fetch's default crypto provider when `FetchOptions::crypto_provider` is unset |
//! | `mint` | yes | rcgen, pkcs8, rustix | the `mint` module |
//! | `exporter` | no | `fetch`, axum, prometheus-client, toml | `monitor::exporter` (the Prometheus exporter) |
//!
//! With `default-features = false` the crate decodes and verifies only: no rustls, no
//! tokio, no network. Signatures are checked by rustls-webpki with aws-lc-rs, over the same
//! algorithm list rustls' aws-lc-rs provider gives a client, and [`key`] loads private
//! keys with aws-lc-rs as that provider does.
//!
//! ## Errors
//! Every error type has a stable `code()` (snake_case, never renamed) next to its one-line
//! message, which names the input it is about. Messages, findings and fixes name
//! parameters and concepts, never a command-line flag; where one is about an input the
//! caller can change, a [`Hint`] names it (`Error::hint`, `Finding::hint`, `Check::hint`).
//!
//! | functions | return |
//! |---|---|
//! | [`load`], [`CertificateInfo::decode`], [`CsrInfo::decode`], [`TrustStore`] constructors, [`key::PrivateKeyInfo::load_path`], [`verify::parse_host`] | [`Error`] ([`Error::code`]) |
//! | [`verify_chain`] | never an error: a [`VerifyReport`]; an invalid chain is `valid: false` with `error.code` (a [`verify::Code`]) |
//! | [`preflight::run`] (and `run_async`) | [`Error`] for unusable inputs; everything about the certificates is a [`Check`]; a check failed by an error (`live_reachable`: the capture's `FetchError` as `Error::Fetch`) keeps it typed in [`Check::error`] |
//! | [`verify::Code`]`::from_str` | [`verify::UnknownCode`] ([`verify::UnknownCode::code`]) |
#![cfg_attr(
    feature = "fetch",
    doc = "| [`fetch()`], [`fetch_blocking`], [`Target::parse`], [`fetch::fetch_many_blocking`] | [`FetchError`] ([`FetchError::code`]); inside [`Error::Fetch`] when it passes through `preflight` |"
)]
#![cfg_attr(
    feature = "exporter",
    doc = "| [`monitor::exporter::ExporterConfig::from_toml`], [`monitor::exporter::Exporter::new`] | [`monitor::exporter::ExporterError`] ([`code`](monitor::exporter::ExporterError::code), the refused value's [`Error`] in [`cause`](monitor::exporter::ExporterError::cause)) |"
)]
#![cfg_attr(
    feature = "mint",
    doc = "| [`mint::root_ca`], [`mint::leaf`], [`mint::intermediate`], [`mint::sign_csr`], [`mint::Minted::write`], [`mint::Issuer::load_dir`] | [`Error`]; minting problems are [`Error::Mint`] wrapping a [`MintError`] ([`MintError::code`]) |"
)]
//!
//! ## Embedding
//! - **Crypto provider.** chainscope builds every rustls configuration with an explicit
//!   provider and never installs or reads the process-wide default. Captures use aws-lc-rs
//!   unless `FetchOptions::crypto_provider` names another (an application on `ring` passes
//!   its own). rustls' aws-lc-rs provider is compiled in only by the `aws-lc-rs-provider`
//!   feature (a default one): an application on `ring` depends on chainscope with
//!   `default-features = false, features = ["fetch"]`, so rustls has one provider and the
//!   application's own `ClientConfig::builder()` keeps working without an explicit
//!   default. `examples/ring-app` in the repository is such an application.
//! - **Runtimes.** `fetch` runs on the caller's tokio runtime, any flavour, without tokio's
//!   timer driver; outside a runtime it returns `FetchError::Runtime`. The blocking
//!   wrappers (`fetch_blocking`, `fetch_many_blocking`, `preflight::run` with `connect`)
//!   return `FetchError::Runtime` when called inside a runtime instead of panicking.
//!
//! - **Growing types.** Options, reports, their parts and the error enums are
//!   `#[non_exhaustive]`: start from `default()` (or a constructor such as
//!   [`VerifyOptions::for_host`]) and assign fields; a `match` needs a `_` arm.
//! - **Other crates' types.** The ones in chainscope's signatures are re-exported:
//!   [`CertificateDer`], [`PrivateKeyDer`] and [`ServerName`] (rustls-pki-types, the types
//!   rustls takes), [`OffsetDateTime`] (time), [`trust::TrustAnchor`] (webpki's anchor).
#![cfg_attr(
    feature = "fetch",
    doc = "  [`fetch::CryptoProvider`] is rustls' provider type."
)]
#![cfg_attr(
    feature = "mint",
    doc = "  [`mint::Zeroizing`] wraps the text of [`mint::Minted::key_pem`]."
)]
//!
//! ## Example: decode a chain
//! ```
//! let pem = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/chain.pem"));
//! let bundle = chainscope::load_bytes(pem, "chain.pem", &Default::default())?;
//! let leaf = chainscope::CertificateInfo::decode_now(&bundle.ders()[0])?;
//! assert_eq!(leaf.subject_alt_names.dns, vec!["rsa.chainscope.test", "localhost"]);
//! # Ok::<(), chainscope::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(unreachable_pub)]

pub mod cert;
pub mod chain;
pub mod clients;
pub mod csr;
mod encoding;
mod error;
pub mod escape;
#[cfg(feature = "fetch")]
#[cfg_attr(docsrs, doc(cfg(feature = "fetch")))]
pub mod fetch;
mod hint;
pub mod inspect;
pub mod instant;
pub mod key;
pub mod load;
#[cfg(feature = "mint")]
#[cfg_attr(docsrs, doc(cfg(feature = "mint")))]
pub mod mint;
#[cfg(feature = "fetch")]
#[cfg_attr(docsrs, doc(cfg(feature = "fetch")))]
pub mod monitor;
mod name;
pub mod name_constraints;
mod oids;
mod parallel;
mod policy;
pub mod preflight;
pub mod trust;
pub mod verify;
mod webpki_words;
mod x509;

// The API in one place: the types and entry points most embedders need, each module
// holding the rest of its concept. Types of other crates that appear in the API are
// re-exported, so an embedder needs no version-matched dependency to name them.
pub use cert::CertificateInfo;
pub use chain::{ChainReport, LinkStatus};
pub use csr::CsrInfo;
pub use error::io_error_text;
pub use error::{Error, Position, Result};
#[cfg(feature = "fetch")]
#[cfg_attr(docsrs, doc(cfg(feature = "fetch")))]
pub use fetch::{fetch, fetch_blocking, FetchError, FetchOptions, PresentedChain, Target};
pub use hint::Hint;
pub use key::{KeyMatch, PrivateKeyInfo};
pub use load::{load_bytes, load_certificates, load_input, load_path, Bundle, LoadOptions};
#[cfg(feature = "mint")]
#[cfg_attr(docsrs, doc(cfg(feature = "mint")))]
pub use mint::MintError;
pub use preflight::{Check, CheckStatus, PreflightReport};
/// rustls-pki-types' DER and name types, as chainscope's functions take and return them
/// (the same types rustls and rustls-webpki use).
pub use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
/// The instant type of every time parameter (`CertificateInfo::decode`, `VerifyOptions::at`).
pub use time::OffsetDateTime;
pub use trust::TrustStore;
pub use verify::{verify_chain, Finding, Profile, Severity, VerifyOptions, VerifyReport};
