//! Stable codes: what a [`Finding`](super::Finding) is about, as a typed enum.
//!
//! Every code has one spelling (snake_case, the same in JSON and text output), one
//! [`Severity`], a one-line summary, a generic fix, and the [`Source`] that demands it — the
//! RFC or CA/B Forum section, or the client behaviour it predicts. The README's tables of
//! stable codes are checked against [`Code::ALL`] by a test.
//!
//! The three severities, and the one case an `error` is reported as a `warning`, are
//! described on [`Severity`].

use std::fmt;
use std::str::FromStr;

use super::profile::Profile;
use super::rules::{self, Level, Rule};

/// How serious a finding is. Each [`Code`] has one ([`Code::severity`]):
///
/// - `Error`: the code names a cause. A finding with it makes the chain invalid when the
///   chosen [`Profile`](super::Profile) rejects for it; when it does not (a rule of a
///   stricter profile, or a problem on a chain that is valid anyway), the finding is
///   reported with severity `Warning` instead. Nothing else ever changes a severity.
/// - `Warning`: the verdict does not change, but something needs attention or some
///   clients will decide differently.
/// - `Info`: a note, worth knowing; nothing is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The chain is not valid because of this (under the chosen profile).
    Error,
    /// The verdict does not change, but something is wrong or some clients will disagree.
    Warning,
    /// A note, worth knowing; nothing is wrong (an unused certificate, a root sent, several
    /// valid paths).
    Info,
}

/// Where the requirement behind a code comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// RFC 5280 (X.509 PKIX profile), the section given (`"4.2.1.1"`).
    Rfc5280(&'static str),
    /// The CA/Browser Forum Baseline Requirements for TLS server certificates, section.
    Br(&'static str),
    /// RFC 9525 (service identity in TLS, successor of RFC 6125), section.
    Rfc9525(&'static str),
    /// RFC 8446 (TLS 1.3), section.
    Rfc8446(&'static str),
    /// RFC 3279 (algorithms and identifiers for the PKIX profile), section.
    Rfc3279(&'static str),
    /// RFC 5480 (elliptic curve SubjectPublicKeyInfo), section.
    Rfc5480(&'static str),
    /// RFC 8996 (deprecating TLS 1.0 and TLS 1.1), section.
    Rfc8996(&'static str),
    /// The documented behaviour of one client, named (`OpenSSL X509_V_ERR_CERT_HAS_EXPIRED`).
    Client(&'static str),
    /// What rustls-webpki decides; its verdict is the floor of every profile.
    Webpki,
    /// What mainstream clients do beyond the standards (named in the finding's `clients`).
    Clients,
    /// chainscope's own observation about the input: a note, not a requirement.
    Chainscope,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Rfc5280(s) => write!(f, "RFC 5280 §{s}"),
            Source::Br(s) => write!(f, "CA/B Forum BR §{s}"),
            Source::Rfc9525(s) => write!(f, "RFC 9525 §{s}"),
            Source::Rfc8446(s) => write!(f, "RFC 8446 §{s}"),
            Source::Rfc3279(s) => write!(f, "RFC 3279 §{s}"),
            Source::Rfc5480(s) => write!(f, "RFC 5480 §{s}"),
            Source::Rfc8996(s) => write!(f, "RFC 8996 §{s}"),
            Source::Client(s) => f.write_str(s),
            Source::Webpki => f.write_str("rustls-webpki"),
            Source::Clients => f.write_str("client behaviour"),
            Source::Chainscope => f.write_str("chainscope"),
        }
    }
}

impl serde::Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Which family a code belongs to (the README has one table per family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A cause rustls-webpki (or the input itself) gives: it rejects in every profile.
    Cause,
    /// A rule that rejects from the given profile up, and is a warning below it: a rule
    /// of the catalogue, or `revocation_unknown` (which needs every CRL, not one
    /// certificate).
    Rule(Profile),
    /// A rule of the catalogue that only ever warns (or notes).
    Advisory,
    /// A warning or a note; it never changes the verdict.
    Note,
}

macro_rules! codes {
    ($(
        $variant:ident = $name:literal {
            $kind:expr, $sev:ident, $source:expr,
            $summary:literal,
            $fix:literal $(,)?
        }
    )*) => {
        /// A stable code: what a finding is about. Serialized as its snake_case name.
        ///
        /// The doc line of each variant is its [`summary`](Code::summary). The rules of the
        /// catalogue are one variant, [`Code::Rule`], whose spelling is the rule's id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
            /// A rule of the catalogue ([`rules`](super::rules)), by its entry.
            Rule(&'static Rule),
        }

        /// The codes that are not rules, in the order of the README tables.
        const ENUM_CODES: &[Code] = &[$(Code::$variant),*];

        impl Code {
            /// The stable spelling (`missing_intermediate`), as JSON and text print it.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* Code::Rule(r) => r.id }
            }

            /// The one severity of a finding with this code (see [`Severity`] for when
            /// an `error` is reported as a `warning`).
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$sev,)*
                    Code::Rule(r) => match r.level {
                        Level::Reject(_) => Severity::Error,
                        Level::Warn => Severity::Warning,
                        Level::Notice => Severity::Info,
                    },
                }
            }

            /// The family: a cause, a profile rule (and from which profile it rejects), an
            /// advisory rule, or a note.
            pub const fn kind(self) -> Kind {
                match self {
                    $(Code::$variant => $kind,)*
                    Code::Rule(r) => match r.level {
                        Level::Reject(p) => Kind::Rule(p),
                        Level::Warn | Level::Notice => Kind::Advisory,
                    },
                }
            }

            /// Where the requirement comes from.
            pub const fn source(self) -> Source {
                match self { $(Code::$variant => $source,)* Code::Rule(r) => r.source }
            }

            /// One line: what the code means.
            pub const fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* Code::Rule(r) => r.summary }
            }

            /// The generic fix; a finding's own `fix` names the certificate and values.
            pub const fn fix(self) -> &'static str {
                match self { $(Code::$variant => $fix,)* Code::Rule(r) => r.fix }
            }
        }
    };
}

use Kind::{Cause, Note};
use Source::{Br, Chainscope, Clients, Rfc5280, Rfc8446, Rfc9525, Webpki};

codes! {
    // --- causes: what rustls-webpki rejects, found on the certificate that fails ---
    Expired = "expired" {
        Cause, Error, Rfc5280("4.1.2.5"),
        "a certificate's notAfter is before the validation time",
        "renew the certificate (or replace the intermediate with the CA's current one)",
    }
    NotYetValid = "not_yet_valid" {
        Cause, Error, Rfc5280("4.1.2.5"),
        "a certificate's notBefore is after the validation time",
        "check the clock; otherwise reissue with a current notBefore",
    }
    MissingIntermediate = "missing_intermediate" {
        Cause, Error, Rfc8446("4.4.2"),
        "the leaf's issuer is neither sent nor trusted: the server does not send its intermediate",
        "configure the server to send the leaf, then its intermediates (fullchain.pem)",
    }
    UnknownIssuer = "unknown_issuer" {
        Cause, Error, Rfc5280("6.1"),
        "an intermediate's issuer is neither sent nor trusted, or no path could be built",
        "trust the root the chain ends at, or have the server send the missing CA",
    }
    UntrustedRoot = "untrusted_root" {
        Cause, Error, Rfc5280("6.1.1"),
        "the chain ends at a self-signed root that is not in the trust store",
        "install the (private) root on the clients, or use a chain to a trusted root",
    }
    PartialChainNotAllowed = "partial_chain_not_allowed" {
        Cause, Error, Clients,
        "the chain ends at a trusted certificate that is not a self-signed root: OpenSSL without PARTIAL_CHAIN (curl, Python <= 3.12) rejects it",
        "trust the self-signed root above that certificate (or send the chain up to it); OpenSSL clients need the root",
    }
    SelfSignedLeaf = "self_signed_leaf" {
        Cause, Error, Rfc5280("6.1.1"),
        "the leaf is self-signed and not trusted",
        "trust the certificate itself as a root, or get one from a CA",
    }
    NameEncodingMismatch = "name_encoding_mismatch" {
        Cause, Error, Rfc5280("7.1"),
        "the issuer name matches the CA's subject only when string encodings are ignored",
        "reissue so that the issuer name is a byte-for-byte copy of the CA's subject",
    }
    IssuerNameMismatch = "issuer_name_mismatch" {
        Cause, Error, Rfc5280("6.1.3"),
        "a certificate's issuer name matches no CA, not even after RFC 5280 §7.1 normalization, although the CA whose key signed it is present",
        "reissue so that the issuer name is a copy of the signing CA's subject",
    }
    HostnameMismatch = "hostname_mismatch" {
        Cause, Error, Rfc9525("6.3"),
        "the leaf's subjectAltName does not cover the name checked",
        "reissue the certificate with the name in its subjectAltName",
    }
    WrongPurpose = "wrong_purpose" {
        Cause, Error, Rfc5280("4.2.1.12"),
        "the leaf (or an intermediate restricting it) lacks the required extended key usage",
        "reissue with the required extendedKeyUsage",
    }
    CaUsedAsLeaf = "ca_used_as_leaf" {
        Cause, Error, Webpki,
        "a CA certificate comes first, where the server's own certificate belongs",
        "put the leaf first, or issue a leaf (CA:FALSE) for the server",
    }
    LeafUsedAsCa = "leaf_used_as_ca" {
        Cause, Error, Rfc5280("6.1.4"),
        "a certificate that is not a CA signs another",
        "issue certificates from a real CA certificate",
    }
    PathLenExceeded = "path_len_exceeded" {
        Cause, Error, Rfc5280("6.1.4"),
        "a CA's pathLenConstraint is exceeded",
        "issue from a CA higher up, or reissue the CA with a larger pathLenConstraint",
    }
    NameConstraintViolated = "name_constraint_violated" {
        Cause, Error, Rfc5280("4.2.1.10"),
        "a CA's name constraints exclude the leaf's names (or use forms rustls cannot check)",
        "issue the leaf only for names the CA is allowed to certify",
    }
    BadSignature = "bad_signature" {
        Cause, Error, Rfc5280("6.1.3"),
        "a signature does not verify with its issuer's key",
        "use the CA certificate that actually signed it (same name and key)",
    }
    WeakSignatureAlgorithm = "weak_signature_algorithm" {
        Cause, Error, Br("7.1.3.2"),
        "a SHA-1 or MD5 signature",
        "reissue with a SHA-256 (or stronger) signature",
    }
    WeakKey = "weak_key" {
        Cause, Error, Br("6.1.5"),
        "a signature made with an RSA key under 2048 bits",
        "use an issuer with an RSA-2048+ or ECDSA key",
    }
    UnsupportedSignatureAlgorithm = "unsupported_signature_algorithm" {
        Cause, Error, Webpki,
        "a signature algorithm or key type rustls does not support",
        "reissue with ECDSA P-256/P-384, Ed25519 or RSA-2048+ with SHA-256",
    }
    Revoked = "revoked" {
        Cause, Error, Rfc5280("6.3"),
        "a certificate on the path is revoked according to a CRL",
        "replace the certificate (and its key, if the key was compromised)",
    }
    UnsupportedCertVersion = "unsupported_cert_version" {
        Cause, Error, Rfc5280("4.1.2.1"),
        "an X.509 v1 or v2 certificate",
        "reissue it as a v3 certificate",
    }
    UnknownCriticalExtension = "unknown_critical_extension" {
        Cause, Error, Rfc5280("4.2"),
        "a critical extension the verifier does not understand",
        "reissue without the critical extension (or mark it non-critical)",
    }
    MalformedCertificate = "malformed_certificate" {
        Cause, Error, Rfc5280("4.1"),
        "a certificate does not decode",
        "reissue the certificate; check the file was not damaged in transit",
    }
    PathTooLong = "path_too_long" {
        Cause, Error, Webpki,
        "more intermediates than the depth limit (or than rustls' 6)",
        "have the CA issue from a shorter hierarchy",
    }
    PathBuildingBudgetExceeded = "path_building_budget_exceeded" {
        Cause, Error, Webpki,
        "too many candidate certificates or name-constraint comparisons to search",
        "send only the certificates of one path; drop stale cross-signs and duplicates",
    }
    Distrusted = "distrusted" {
        Cause, Error, Webpki,
        "a CA that rustls explicitly distrusts",
        "get a certificate from a CA that is trusted",
    }
    UnsupportedNameConstraint = "unsupported_name_constraint" {
        Cause, Error, Webpki,
        "a name constraint of a form rustls rejects outright (directoryName, URI, email), although the names may conform",
        "reissue the CA without that constraint form, or use a client that evaluates it",
    }
    EmptyChain = "empty_chain" {
        Cause, Error, Chainscope,
        "no certificate was given",
        "give the leaf certificate first, then its intermediates",
    }
    Other = "other" {
        Cause, Error, Webpki,
        "another rustls-webpki error (named in the message)",
        "see the message; report it to chainscope if it is unclear",
    }

    // --- rejected from the rfc5280 profile up, a warning below it ---
    RevocationUnknown = "revocation_unknown" {
        Kind::Rule(Profile::Rfc5280), Error, Rfc5280("6.3.3"),
        "CRLs were given, but none usable and current covers a certificate of the path (its issuer's CRLs are missing, unusable, expired or out of scope)",
        "give a current, complete CRL from the certificate's issuer",
    }

    // --- warnings ---
    ExpiringSoon = "expiring_soon" {
        Note, Warning, Chainscope,
        "a certificate on the path expires within the warning window",
        "renew it now",
    }
    OutOfOrder = "out_of_order" {
        Note, Warning, Rfc8446("4.4.2"),
        "the server sends the chain out of order",
        "send the leaf first, then each certificate's issuer in turn",
    }
    NotSentByServer = "not_sent_by_server" {
        Note, Warning, Rfc8446("4.4.2"),
        "the path needs an intermediate that came from the extra intermediates, not from the server",
        "configure the server to send it after the leaf",
    }
    AiaFetched = "aia_fetched" {
        Note, Warning, Rfc8446("4.4.2"),
        "a missing issuer was downloaded from its AIA caIssuers URL: the server does not send it",
        "configure the server to send the leaf, then its intermediates",
    }
    AiaFetchFailed = "aia_fetch_failed" {
        Note, Warning, Rfc5280("4.2.2.1"),
        "a missing issuer could not be downloaded from its AIA caIssuers URL",
        "have the server send the intermediate; check the URL",
    }

    CrlUnusable = "crl_unusable" {
        Note, Warning, Rfc5280("6.3.3"),
        "a CRL given cannot be used (delta, indirect, partitioned, unknown critical extension, bad signature, past its nextUpdate, undecodable); the message names its file, block, issuer and reason",
        "give the CA's current, complete CRL (the one at the certificates' cRLDistributionPoints URL)",
    }

    AnchorIsIntermediate = "anchor_is_intermediate" {
        Note, Warning, Clients,
        "a trusted certificate that is not self-issued is the path's anchor (OpenSSL and Python up to 3.12 need PARTIAL_CHAIN for this)",
        "trust the root above it, or make sure every client accepts partial chains",
    }
    LegacyTlsVersion = "legacy_tls_version" {
        Note, Warning, Source::Rfc8996("3"),
        "the chain was captured over TLS 1.0 or 1.1 (or SSL 3), which current clients refuse",
        "enable TLS 1.2 and 1.3 on the server (nginx: ssl_protocols TLSv1.2 TLSv1.3;)",
    }
    KeyPossessionUnproven = "key_possession_unproven" {
        Note, Warning, Rfc8446("4.4.3"),
        "the server did not prove it holds the leaf's private key (no handshake signature was verified)",
        "check that the server's key belongs to its certificate (a preflight with the key); a full TLS 1.2/1.3 handshake proves it",
    }

    // --- notes ---
    UnusedCertificate = "unused_certificate" {
        Note, Info, Chainscope,
        "a certificate is sent but not part of the path (a stale or cross-signed intermediate)",
        "send only the leaf and the intermediates of one path",
    }
    RootSent = "root_sent" {
        Note, Info, Rfc8446("4.4.2"),
        "the server sends a self-issued root: clients ignore it (it only costs bytes)",
        "send only the leaf and the intermediates of one path",
    }
    DuplicateCertificate = "duplicate_certificate" {
        Note, Info, Chainscope,
        "the same certificate is sent twice",
        "send only the leaf and the intermediates of one path",
    }
    AlternativePaths = "alternative_paths" {
        Note, Info, Chainscope,
        "several valid paths exist (cross-signed certificates)",
        "nothing to do; clients may choose either",
    }
}

impl Code {
    /// Every code: the causes and notes, then the rules of the catalogue (the order of the
    /// README tables).
    pub fn all() -> impl Iterator<Item = Code> {
        Code::enum_codes().chain(rules::catalogue().map(Code::Rule))
    }

    /// The codes that are not rules.
    pub(crate) fn enum_codes() -> impl Iterator<Item = Code> {
        ENUM_CODES.iter().copied()
    }

    /// Looks a code up by its stable spelling.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::all().find(|c| c.as_str() == name)
    }

    /// The input the generic [`fix`](Code::fix) asks to change, when it asks to change one.
    pub const fn hint(self) -> Option<crate::Hint> {
        match self {
            Code::KeyPossessionUnproven => Some(crate::Hint::CheckKey),
            _ => None,
        }
    }

    /// The catalogue entry, for a rule's code.
    pub fn rule(self) -> Option<&'static Rule> {
        match self {
            Code::Rule(r) => Some(r),
            _ => None,
        }
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Code::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown verify code '{name}'")))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown code name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown verify code '{0}'")]
#[non_exhaustive]
pub struct UnknownCode(pub String);

impl UnknownCode {
    /// A stable code for matching, like every error type's: `unknown_code`.
    pub fn code(&self) -> &'static str {
        "unknown_code"
    }
}

impl FromStr for Code {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::from_name(s).ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The variant name of a rustls-webpki error (`UnknownIssuer`, `CertExpired`), without its
/// fields: the JSON `webpki.error`.
#[allow(deprecated)] // the context-less variants still exist and still occur
pub(crate) fn webpki_error_name(e: &webpki::Error) -> &'static str {
    use webpki::Error as E;
    match e {
        E::BadDer => "BadDer",
        E::BadDerTime => "BadDerTime",
        E::CaUsedAsEndEntity => "CaUsedAsEndEntity",
        E::CertDistrusted => "CertDistrusted",
        E::CertExpired { .. } => "CertExpired",
        E::CertNotValidForName(_) => "CertNotValidForName",
        E::CertNotValidYet { .. } => "CertNotValidYet",
        E::CertRevoked => "CertRevoked",
        E::CrlExpired { .. } => "CrlExpired",
        E::EmptyEkuExtension => "EmptyEkuExtension",
        E::EndEntityUsedAsCa => "EndEntityUsedAsCa",
        E::ExtensionValueInvalid => "ExtensionValueInvalid",
        E::InvalidCertValidity => "InvalidCertValidity",
        E::InvalidCrlNumber => "InvalidCrlNumber",
        E::InvalidNetworkMaskConstraint => "InvalidNetworkMaskConstraint",
        E::InvalidSerialNumber => "InvalidSerialNumber",
        E::InvalidCrlSignatureForPublicKey => "InvalidCrlSignatureForPublicKey",
        E::InvalidSignatureForPublicKey => "InvalidSignatureForPublicKey",
        E::IssuerNotCrlSigner => "IssuerNotCrlSigner",
        E::MalformedDnsIdentifier => "MalformedDnsIdentifier",
        E::MalformedExtensions => "MalformedExtensions",
        E::MalformedNameConstraint => "MalformedNameConstraint",
        E::MaximumNameConstraintComparisonsExceeded => "MaximumNameConstraintComparisonsExceeded",
        E::MaximumPathBuildCallsExceeded => "MaximumPathBuildCallsExceeded",
        E::MaximumPathDepthExceeded => "MaximumPathDepthExceeded",
        E::MaximumSignatureChecksExceeded => "MaximumSignatureChecksExceeded",
        E::NameConstraintViolation => "NameConstraintViolation",
        E::PathLenConstraintViolated => "PathLenConstraintViolated",
        E::RequiredEkuNotFound => "RequiredEkuNotFound",
        E::RequiredEkuNotFoundContext(_) => "RequiredEkuNotFoundContext",
        E::SignatureAlgorithmMismatch => "SignatureAlgorithmMismatch",
        E::TrailingData(_) => "TrailingData",
        E::UnknownIssuer => "UnknownIssuer",
        E::UnknownRevocationStatus => "UnknownRevocationStatus",
        E::UnsupportedCertVersion => "UnsupportedCertVersion",
        E::UnsupportedCriticalExtension => "UnsupportedCriticalExtension",
        E::UnsupportedCrlIssuingDistributionPoint => "UnsupportedCrlIssuingDistributionPoint",
        E::UnsupportedCrlVersion => "UnsupportedCrlVersion",
        E::UnsupportedDeltaCrl => "UnsupportedDeltaCrl",
        E::UnsupportedIndirectCrl => "UnsupportedIndirectCrl",
        E::UnsupportedNameType => "UnsupportedNameType",
        E::UnsupportedRevocationReason => "UnsupportedRevocationReason",
        E::UnsupportedRevocationReasonsPartitioning => "UnsupportedRevocationReasonsPartitioning",
        E::UnsupportedCrlSignatureAlgorithm => "UnsupportedCrlSignatureAlgorithm",
        E::UnsupportedCrlSignatureAlgorithmContext(_) => "UnsupportedCrlSignatureAlgorithmContext",
        E::UnsupportedSignatureAlgorithm => "UnsupportedSignatureAlgorithm",
        E::UnsupportedSignatureAlgorithmContext(_) => "UnsupportedSignatureAlgorithmContext",
        E::UnsupportedCrlSignatureAlgorithmForPublicKey => {
            "UnsupportedCrlSignatureAlgorithmForPublicKey"
        }
        E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => {
            "UnsupportedCrlSignatureAlgorithmForPublicKeyContext"
        }
        E::UnsupportedSignatureAlgorithmForPublicKey => "UnsupportedSignatureAlgorithmForPublicKey",
        E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            "UnsupportedSignatureAlgorithmForPublicKeyContext"
        }
        // webpki::Error is #[non_exhaustive]: a variant added by a later webpki.
        _ => "Other",
    }
}

/// The code of a rustls-webpki error before the diagnosis looks closer (it refines, e.g.,
/// `UnknownIssuer` into `missing_intermediate`, `untrusted_root` or `name_encoding_mismatch`).
/// Every variant webpki 0.103 has is listed. [`Code::Other`] is for later variants and
/// for webpki's CRL errors, which a verification does not meet by construction: every CRL
/// is judged first and only usable ones reach webpki (an unusable one becomes a
/// `crl_unusable` finding), with `UnknownStatusPolicy::Allow` and `ExpirationPolicy::Ignore`
/// (unknown and expired status are chainscope's own `revocation_unknown`). Should one occur
/// all the same, the message names webpki's error.
#[allow(deprecated)]
pub(crate) fn code_of_webpki_error(e: &webpki::Error) -> Code {
    use webpki::Error as E;
    match e {
        E::CertExpired { .. } => Code::Expired,
        E::CertNotValidYet { .. } => Code::NotYetValid,
        E::UnknownIssuer => Code::UnknownIssuer,
        E::CertNotValidForName(_) | E::UnsupportedNameType => Code::HostnameMismatch,
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => Code::WrongPurpose,
        E::CaUsedAsEndEntity => Code::CaUsedAsLeaf,
        E::EndEntityUsedAsCa => Code::LeafUsedAsCa,
        E::PathLenConstraintViolated => Code::PathLenExceeded,
        E::NameConstraintViolation => Code::NameConstraintViolated,
        E::InvalidSignatureForPublicKey => Code::BadSignature,
        E::UnsupportedSignatureAlgorithm
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            Code::UnsupportedSignatureAlgorithm
        }
        E::CertRevoked => Code::Revoked,
        E::UnsupportedCertVersion => Code::UnsupportedCertVersion,
        E::UnsupportedCriticalExtension => Code::UnknownCriticalExtension,
        E::MaximumPathDepthExceeded => Code::PathTooLong,
        E::MaximumSignatureChecksExceeded
        | E::MaximumPathBuildCallsExceeded
        | E::MaximumNameConstraintComparisonsExceeded => Code::PathBuildingBudgetExceeded,
        E::CertDistrusted => Code::Distrusted,
        E::BadDer
        | E::BadDerTime
        | E::TrailingData(_)
        | E::InvalidSerialNumber
        | E::ExtensionValueInvalid
        | E::MalformedExtensions
        | E::InvalidCertValidity
        | E::SignatureAlgorithmMismatch
        | E::EmptyEkuExtension
        | E::MalformedDnsIdentifier
        | E::MalformedNameConstraint
        | E::InvalidNetworkMaskConstraint => Code::MalformedCertificate,
        // Revocation: a CRL webpki could not use while checking a certificate of the path.
        // Unreachable by construction (see above); kept explicit so a new CRL variant is
        // a decision, not a default.
        E::CrlExpired { .. }
        | E::InvalidCrlNumber
        | E::InvalidCrlSignatureForPublicKey
        | E::IssuerNotCrlSigner
        | E::UnknownRevocationStatus
        | E::UnsupportedCrlIssuingDistributionPoint
        | E::UnsupportedCrlVersion
        | E::UnsupportedDeltaCrl
        | E::UnsupportedIndirectCrl
        | E::UnsupportedRevocationReason
        | E::UnsupportedRevocationReasonsPartitioning
        | E::UnsupportedCrlSignatureAlgorithm
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => Code::Other,
        _ => Code::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webpki_words::webpki_error_words;

    #[test]
    fn spellings_are_unique_snake_case_and_round_trip_through_json() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::all() {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{name} is not snake_case"
            );
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
            assert_eq!(name.parse::<Code>().unwrap(), code);
        }
        assert!("no_such_code".parse::<Code>().is_err());
    }

    #[test]
    fn causes_and_rules_are_errors_and_notes_never_are() {
        for code in Code::all() {
            match code.kind() {
                Kind::Cause | Kind::Rule(_) => assert_eq!(code.severity(), Severity::Error),
                Kind::Note | Kind::Advisory => {
                    assert_ne!(code.severity(), Severity::Error, "{code}")
                }
            }
            assert!(
                !code.summary().is_empty() && !code.fix().is_empty(),
                "{code}"
            );
        }
    }

    #[test]
    fn rules_name_the_profile_that_rejects_and_never_webpki() {
        for code in Code::all() {
            if let Kind::Rule(p) = code.kind() {
                assert_ne!(p, Profile::Webpki, "{code}: a rule above the floor");
            }
        }
    }

    #[test]
    #[allow(deprecated)]
    fn every_certificate_error_of_webpki_has_its_own_code_name_and_words() {
        use rustls_pki_types::UnixTime;
        use webpki::Error as E;
        let t = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1));
        let errors = [
            E::BadDer,
            E::BadDerTime,
            E::CaUsedAsEndEntity,
            E::CertDistrusted,
            E::CertExpired {
                time: t,
                not_after: t,
            },
            E::CertNotValidYet {
                time: t,
                not_before: t,
            },
            E::CertRevoked,
            E::EmptyEkuExtension,
            E::EndEntityUsedAsCa,
            E::ExtensionValueInvalid,
            E::InvalidCertValidity,
            E::InvalidNetworkMaskConstraint,
            E::InvalidSerialNumber,
            E::InvalidSignatureForPublicKey,
            E::MalformedDnsIdentifier,
            E::MalformedExtensions,
            E::MalformedNameConstraint,
            E::MaximumNameConstraintComparisonsExceeded,
            E::MaximumPathBuildCallsExceeded,
            E::MaximumPathDepthExceeded,
            E::MaximumSignatureChecksExceeded,
            E::NameConstraintViolation,
            E::PathLenConstraintViolated,
            E::RequiredEkuNotFound,
            E::SignatureAlgorithmMismatch,
            E::UnknownIssuer,
            E::UnsupportedCertVersion,
            E::UnsupportedCriticalExtension,
            E::UnsupportedNameType,
            E::UnsupportedSignatureAlgorithm,
            E::UnsupportedSignatureAlgorithmForPublicKey,
        ];
        for e in &errors {
            assert_ne!(code_of_webpki_error(e), Code::Other, "{e:?}");
            assert_eq!(
                webpki_error_name(e),
                format!("{e:?}").split([' ', '(']).next().unwrap()
            );
            assert!(!webpki_error_words(e).starts_with("an error this"), "{e:?}");
        }
    }

    #[test]
    fn sources_print_as_citations() {
        let aki = Code::from_name("aki_missing").unwrap();
        assert_eq!(aki.source().to_string(), "RFC 5280 §4.2.1.1");
        let eku = Code::from_name("leaf_without_eku").unwrap();
        assert_eq!(eku.source().to_string(), "CA/B Forum BR §7.1.2.7.6");
        assert_eq!(Code::CaUsedAsLeaf.source().to_string(), "rustls-webpki");
    }
}
