//! Path building and verification that explains itself.
//!
//! [`verify_chain`] takes the certificates a server presents (leaf first), a [`TrustStore`]
//! and [`VerifyOptions`], and returns a [`VerifyReport`]: the verdict, the path that was
//! built (leaf → intermediates → trust anchor), the cause of a failure in plain words with
//! its fix, and every other problem found on the way as [`Finding`]s.
//!
//! The verdict starts from rustls-webpki's — what a rustls client decides — and the chosen
//! [`Profile`] may only add rejections: chainscope never accepts what webpki rejects.
//!
//! ```
//! use chainscope::trust::TrustStore;
//! use chainscope::verify::{verify_chain, VerifyOptions};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs-fixtures/rsa");
//! let chain = chainscope::load_certificates(format!("{dir}/chain.pem").as_ref())?;
//! let trust = TrustStore::from_spec(&format!("{dir}/root.pem"))?;
//! let options = VerifyOptions::for_host("rsa.chainscope.test")?;
//! let report = verify_chain(&chain, &trust, &options);
//! assert!(report.valid, "{:?}", report.error);
//! assert_eq!(report.path.len(), 3);
//!
//! let wrong = VerifyOptions::for_host("example.com")?;
//! let report = verify_chain(&chain, &trust, &wrong);
//! assert_eq!(report.error.unwrap().code, "hostname_mismatch");
//! # Ok::<(), chainscope::Error>(())
//! ```

mod aia;
mod diagnose;
mod facts;
mod findings;
mod profile;

use std::cell::RefCell;
use std::path::Path;
use std::time::Duration;

use rustls_pki_types::{CertificateDer, ServerName, SignatureVerificationAlgorithm, UnixTime};
use time::OffsetDateTime;
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeId, KeyPurposeIdIter};

use crate::encoding::oid_contents as oid_content;
use crate::error::{Error, Result};
/// Formats Unix seconds as `2035-06-01 00:00:00 UTC`.
pub(crate) use crate::instant::human_utc_unix as fmt_unix;
use crate::trust::TrustStore;

pub use findings::{Finding, Severity};

use facts::Facts;
use profile::{PathCert, Role, Violation};

/// How strict the verdict is. webpki is the floor; each profile only adds rejections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Exactly rustls-webpki's verdict: what a rustls client decides.
    Webpki,
    /// webpki's verdict plus what mainstream client families reject although webpki
    /// tolerates it (expired root, CA without keyCertSign, unusably weak leaf key).
    #[default]
    Clients,
    /// Also RFC 5280 and CA/B Forum Baseline Requirements violations (`--strict`).
    Rfc5280,
}

impl Profile {
    /// Parses `webpki`, `clients`, `rfc5280` or `strict`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "webpki" => Ok(Profile::Webpki),
            "clients" => Ok(Profile::Clients),
            "rfc5280" | "strict" => Ok(Profile::Rfc5280),
            other => Err(Error::invalid_argument(
                "--profile",
                format!("unknown profile '{other}' (expected webpki, clients or rfc5280)"),
            )),
        }
    }

    /// The profile's name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Webpki => "webpki",
            Profile::Clients => "clients",
            Profile::Rfc5280 => "rfc5280",
        }
    }
}

/// What the certificate must be good for (its extended key usage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// TLS server authentication (`serverAuth`), the default.
    ServerAuth,
    /// TLS client authentication (`clientAuth`).
    ClientAuth,
    /// Any purpose: extended key usage is not checked.
    Any,
    /// Another purpose, by dotted OID.
    Oid(String),
}

impl Purpose {
    /// Parses `server`, `client`, `any` or a dotted OID (`1.3.6.1.5.5.7.3.3`).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "server" | "serverAuth" => Ok(Purpose::ServerAuth),
            "client" | "clientAuth" => Ok(Purpose::ClientAuth),
            "any" => Ok(Purpose::Any),
            oid => {
                if oid_content(oid).is_none() {
                    return Err(Error::invalid_argument(
                        "--purpose",
                        format!("'{oid}' is neither server, client, any nor a dotted OID"),
                    ));
                }
                Ok(Purpose::Oid(oid.to_owned()))
            }
        }
    }

    /// The dotted OID (`None` for [`Purpose::Any`]).
    pub fn oid(&self) -> Option<&str> {
        match self {
            Purpose::ServerAuth => Some("1.3.6.1.5.5.7.3.1"),
            Purpose::ClientAuth => Some("1.3.6.1.5.5.7.3.2"),
            Purpose::Any => None,
            Purpose::Oid(o) => Some(o),
        }
    }

    /// A short name (`serverAuth`, `clientAuth`, `any`, or the OID).
    pub fn name(&self) -> String {
        match self {
            Purpose::Any => "any".into(),
            p => facts::eku_name(p.oid().unwrap_or_default()),
        }
    }
}

/// Limits of AIA fetching (`--aia`).
#[derive(Debug, Clone)]
pub struct AiaOptions {
    /// Whether to fetch missing issuers at all.
    pub enabled: bool,
    /// How many issuers may be fetched one after the other.
    pub max_hops: usize,
    /// Connect, read and write timeout of each download.
    pub timeout: Duration,
    /// Largest response accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for AiaOptions {
    fn default() -> Self {
        AiaOptions {
            enabled: false,
            max_hops: 3,
            timeout: Duration::from_secs(5),
            max_bytes: 256 * 1024,
        }
    }
}

/// A certificate revocation list given with `--crl`.
#[derive(Debug, Clone)]
pub struct Crl {
    /// Where it came from (file name).
    pub source: String,
    /// Its DER encoding.
    pub der: Vec<u8>,
    issuer_raw: Vec<u8>,
    issuer: String,
    /// `None`: no cRLNumber; `Some(critical)` otherwise.
    number_critical: Option<bool>,
}

impl Crl {
    /// Parses a DER CRL; `source` names it in errors and findings.
    pub fn from_der(der: Vec<u8>, source: &str) -> Result<Self> {
        use x509_parser::prelude::FromDer;
        webpki::BorrowedCertRevocationList::from_der(&der)
            .map_err(|e| Error::malformed(source, format!("not a usable CRL: {e:?}")))?;
        let (_, parsed) = x509_parser::revocation_list::CertificateRevocationList::from_der(&der)
            .map_err(|e| Error::malformed(source, format!("not a CRL: {e}")))?;
        let number_critical = parsed
            .extensions()
            .iter()
            .find(|e| e.oid.to_id_string() == "2.5.29.20")
            .map(|e| e.critical);
        Ok(Crl {
            source: source.to_owned(),
            issuer_raw: facts::strip_sequence(parsed.issuer().as_raw()).to_vec(),
            issuer: facts::name_string(parsed.issuer()),
            number_critical,
            der,
        })
    }

    /// Parses every CRL in a PEM (`X509 CRL` blocks) or DER input.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Vec<Self>> {
        use rustls_pki_types::pem::PemObject;
        use rustls_pki_types::CertificateRevocationListDer;
        if bytes.starts_with(&[0x30]) {
            return Ok(vec![Self::from_der(bytes.to_vec(), source)?]);
        }
        let mut out = Vec::new();
        for item in CertificateRevocationListDer::pem_slice_iter(bytes) {
            let der = item.map_err(|e| Error::malformed(source, format!("bad PEM: {e}")))?;
            out.push(Self::from_der(der.as_ref().to_vec(), source)?);
        }
        if out.is_empty() {
            return Err(Error::Empty {
                input: source.to_owned(),
                reason: "no X509 CRL block found".into(),
            });
        }
        Ok(out)
    }

    /// Reads every CRL of a file (PEM or DER).
    pub fn load(path: &Path) -> Result<Vec<Self>> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Error::io(&name, e))?;
        Self::from_bytes(&bytes, &name)
    }
}

/// Everything a verification can be asked to do. `Default` is: any name, now, serverAuth,
/// no depth limit, no CRLs, no AIA, warn 30 days before expiry, profile `clients`.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The name the certificate must be valid for (DNS name or IP address).
    pub host: Option<ServerName<'static>>,
    /// The validation time; `None` is now.
    pub at: Option<OffsetDateTime>,
    /// Required purposes (any one suffices); empty means serverAuth.
    pub purposes: Vec<Purpose>,
    /// The most intermediates a path may hold.
    pub max_depth: Option<usize>,
    /// CRLs to check revocation against (leaf and intermediates).
    pub crls: Vec<Crl>,
    /// Extra intermediates to build with, not sent by the server (`--untrusted`).
    pub untrusted: Vec<CertificateDer<'static>>,
    /// Fetching missing issuers from AIA caIssuers URLs.
    pub aia: AiaOptions,
    /// Warn about certificates on the path that expire within this many days.
    pub warn_days: u32,
    /// How strict the verdict is.
    pub profile: Profile,
    /// Also list every valid path (cross-signs), not only the one chosen.
    pub all_paths: bool,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            host: None,
            at: None,
            purposes: Vec::new(),
            max_depth: None,
            crls: Vec::new(),
            untrusted: Vec::new(),
            aia: AiaOptions::default(),
            warn_days: 30,
            profile: Profile::default(),
            all_paths: false,
        }
    }
}

impl VerifyOptions {
    /// Default options checking the name `host` (a DNS name or an IP address).
    pub fn for_host(host: &str) -> Result<Self> {
        Ok(VerifyOptions {
            host: Some(parse_host(host)?),
            ..Self::default()
        })
    }
}

/// Parses a `--host` value: a DNS name or an IP address (IPv6 with or without brackets).
pub fn parse_host(host: &str) -> Result<ServerName<'static>> {
    let trimmed = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(trimmed.to_owned()).map_err(|_| {
        Error::invalid_argument(
            "--host",
            format!("'{host}' is neither a DNS name nor an IP address"),
        )
    })
}

/// Parses a `--at` value: RFC 3339 (`2026-01-31T12:00:00Z`) or Unix seconds.
pub fn parse_time(s: &str) -> Result<OffsetDateTime> {
    crate::instant::parse_instant(s, "--at")
}

/// Where a certificate of a path came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CertSource {
    /// Sent by the server: index in the presented list.
    Presented {
        /// 0 = leaf.
        index: usize,
    },
    /// From `--untrusted`.
    Untrusted,
    /// Downloaded from an AIA caIssuers URL.
    Aia {
        /// The URL.
        url: String,
    },
    /// A trust anchor of the given source (`system`, `mozilla`, a path).
    TrustStore {
        /// The trust source's label.
        source: String,
    },
}

/// One certificate of a built path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PathEntry {
    /// `leaf`, `intermediate` or `anchor`.
    pub role: &'static str,
    /// Subject, `CN=…, O=…`.
    pub subject: String,
    /// SHA-256 fingerprint of the certificate (lower-case hex); for an anchor without a
    /// certificate (Mozilla bundle), of its SubjectPublicKeyInfo, and `spki_only` is set.
    pub sha256: String,
    /// Whether `sha256` is of the key only (anchor without certificate).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub spki_only: bool,
    /// notAfter, RFC 3339, when known.
    pub not_after: Option<String>,
    /// Days from the validation time to notAfter (negative when expired).
    pub days_left: Option<i64>,
    /// Where it came from.
    pub source: CertSource,
}

/// The verdict's cause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyError {
    /// Stable code (same as the first error finding's).
    pub code: String,
    /// Plain-words message.
    pub message: String,
    /// Index of the certificate in the presented list, when it is a presented one.
    pub cert_index: Option<usize>,
}

/// What rustls-webpki alone decided (the floor of every profile).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WebpkiVerdict {
    /// Whether webpki accepts the chain (path and name).
    pub valid: bool,
    /// webpki's error, as it names it (`UnknownIssuer`, `CertExpired`, …).
    pub error: Option<String>,
}

/// The outcome of [`verify_chain`]: plain data, rendered as text or JSON by front ends.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    /// Whether the chain is valid under the chosen profile.
    pub valid: bool,
    /// The profile the verdict is for.
    pub profile: Profile,
    /// The name checked, if any.
    pub host: Option<String>,
    /// The validation time (RFC 3339).
    pub at: String,
    /// The purposes required.
    pub purposes: Vec<String>,
    /// The trust store's label (`system`, `mozilla+ca.pem`).
    pub trust: String,
    /// The path built (leaf first), empty when none could be.
    pub path: Vec<PathEntry>,
    /// The verdict's cause, `null` when valid.
    pub error: Option<VerifyError>,
    /// Every problem and note, the verdict's cause first.
    pub findings: Vec<Finding>,
    /// What rustls-webpki alone decided.
    pub webpki: WebpkiVerdict,
    /// With `all_paths`: every valid path webpki can build, including the chosen one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all_paths: Vec<Vec<PathEntry>>,
}

impl VerifyReport {
    /// The findings of one severity.
    pub fn findings_of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// Whether a finding with this code is present.
    pub fn has(&self, code: &str) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

/// A certificate available for path building, with where it came from.
pub(crate) struct PoolCert {
    pub(crate) der: CertificateDer<'static>,
    pub(crate) facts: Option<Facts>,
    pub(crate) source: CertSource,
}

impl PoolCert {
    fn new(der: CertificateDer<'static>, source: CertSource) -> Self {
        PoolCert {
            facts: Facts::parse(&der),
            der,
            source,
        }
    }

    pub(crate) fn presented_index(&self) -> Option<usize> {
        match self.source {
            CertSource::Presented { index } => Some(index),
            _ => None,
        }
    }

    pub(crate) fn subject(&self) -> String {
        self.facts
            .as_ref()
            .map(|f| f.subject.clone())
            .unwrap_or_else(|| "(unparseable certificate)".into())
    }
}

/// The signature algorithms a rustls client (aws-lc-rs provider) accepts.
fn algorithms() -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    static ALGORITHMS: std::sync::OnceLock<&'static [&'static dyn SignatureVerificationAlgorithm]> =
        std::sync::OnceLock::new();
    ALGORITHMS.get_or_init(|| {
        rustls::crypto::aws_lc_rs::default_provider()
            .signature_verification_algorithms
            .all
    })
}

/// Extended key usage as webpki's server/client semantics have it ("required if present"),
/// for several acceptable purposes at once.
struct PurposeValidator {
    oids: Vec<Vec<u8>>,
    any: bool,
}

impl ExtendedKeyUsageValidator for PurposeValidator {
    // The context variant needs a `'static` KeyUsage, which a runtime OID cannot give
    // (rustls/webpki#383); the diagnosis names the EKUs instead.
    #[allow(deprecated)]
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> std::result::Result<(), webpki::Error> {
        let mut empty = true;
        let mut found = self.any;
        for id in iter {
            empty = false;
            let id = id?;
            if self.oids.iter().any(|o| KeyPurposeId::new(o) == id) {
                found = true;
            }
        }
        if empty || found {
            Ok(())
        } else {
            Err(webpki::Error::RequiredEkuNotFound)
        }
    }
}

fn purpose_validator(purposes: &[Purpose]) -> PurposeValidator {
    let purposes: Vec<Purpose> = if purposes.is_empty() {
        vec![Purpose::ServerAuth]
    } else {
        purposes.to_vec()
    };
    PurposeValidator {
        any: purposes.contains(&Purpose::Any),
        oids: purposes
            .iter()
            .filter_map(|p| p.oid().and_then(oid_content))
            .collect(),
    }
}

/// A path webpki verified, as pool and anchor indices.
#[derive(Debug, Clone)]
pub(crate) struct FoundPath {
    /// Pool indices, leaf (0) first.
    pub(crate) nodes: Vec<usize>,
    pub(crate) anchor: usize,
}

/// What one webpki run gave.
struct Build {
    result: std::result::Result<FoundPath, webpki::Error>,
    /// Paths webpki verified but the profile or the depth limit rejected, with why.
    rejected: Vec<(FoundPath, Vec<Violation>)>,
    /// With `collect_all`: every verified path.
    all: Vec<FoundPath>,
}

/// The pieces a run shares.
pub(crate) struct Context<'a> {
    pub(crate) pool: Vec<PoolCert>,
    pub(crate) trust: &'a TrustStore,
    pub(crate) options: &'a VerifyOptions,
    pub(crate) time: i64,
    anchor_facts: RefCell<Vec<Option<Option<Facts>>>>,
}

impl Context<'_> {
    /// The decoded certificate of anchor `index` (`None` without certificate).
    pub(crate) fn anchor_facts(&self, index: usize) -> Option<Facts> {
        let mut cache = self.anchor_facts.borrow_mut();
        if cache.len() <= index {
            cache.resize(index + 1, None);
        }
        cache[index]
            .get_or_insert_with(|| self.trust.cert(index).and_then(Facts::parse))
            .clone()
    }

    pub(crate) fn anchor_subject(&self, index: usize) -> String {
        let a = &self.trust.anchors()[index];
        facts::name_from_contents(a.subject.as_ref())
    }

    /// The path as the profile rules see it.
    fn path_certs<'f>(&'f self, path: &FoundPath, anchor: &'f Option<Facts>) -> Vec<PathCert<'f>> {
        let mut out: Vec<PathCert<'f>> = path
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let c = &self.pool[*n];
                PathCert {
                    facts: c.facts.as_ref(),
                    cert_index: c.presented_index(),
                    subject: c.subject(),
                    role: if i == 0 {
                        Role::Leaf
                    } else {
                        Role::Intermediate
                    },
                }
            })
            .collect();
        out.push(PathCert {
            facts: anchor.as_ref(),
            cert_index: None,
            subject: self.anchor_subject(path.anchor),
            role: Role::Anchor,
        });
        out
    }

    /// Why the profile (or the depth limit) rejects a path webpki verified.
    fn path_violations(&self, path: &FoundPath, all_levels: bool) -> Vec<Violation> {
        let mut out = Vec::new();
        let intermediates = path.nodes.len() - 1;
        if let Some(max) = self.options.max_depth {
            if intermediates > max {
                out.push(Violation {
                    level: Profile::Webpki,
                    code: "path_too_long",
                    cert_index: Some(0),
                    subject: self.pool[0].subject(),
                    message: format!(
                        "the path needs {intermediates} intermediates, more than the limit of {max} (--max-depth)"
                    ),
                    fix: "raise --max-depth, or have the CA issue from a shorter hierarchy".into(),
                    clients: String::new(),
                    advisory: false,
                });
            }
        }
        if self.options.profile == Profile::Webpki && !all_levels {
            return out;
        }
        let anchor = self.anchor_facts(path.anchor);
        let certs = self.path_certs(path, &anchor);
        let purposes = &self.options.purposes;
        out.extend(
            profile::check_path(&certs, purposes, self.time, &self.options.crls)
                .into_iter()
                .filter(|v| all_levels || v.rejects_under(self.options.profile)),
        );
        out
    }

    /// Runs webpki over the pool, with the profile deciding on each verified path.
    fn build(&self, collect_all: bool) -> Build {
        let leaf = match EndEntityCert::try_from(&self.pool[0].der) {
            Ok(l) => l,
            Err(e) => {
                return Build {
                    result: Err(e),
                    rejected: Vec::new(),
                    all: Vec::new(),
                }
            }
        };
        let intermediates: Vec<CertificateDer<'_>> = self.pool[1..]
            .iter()
            .map(|c| CertificateDer::from(c.der.as_ref()))
            .collect();
        let crls: Vec<webpki::CertRevocationList<'_>> = self
            .options
            .crls
            .iter()
            .filter_map(|c| webpki::BorrowedCertRevocationList::from_der(&c.der).ok())
            .map(Into::into)
            .collect();
        let crl_refs: Vec<&webpki::CertRevocationList<'_>> = crls.iter().collect();
        let revocation = webpki::RevocationOptionsBuilder::new(&crl_refs)
            .ok()
            .map(|b| {
                b.with_depth(webpki::RevocationCheckDepth::Chain)
                    .with_status_policy(webpki::UnknownStatusPolicy::Allow)
                    .with_expiration_policy(webpki::ExpirationPolicy::Ignore)
                    .build()
            });
        let rejected = RefCell::new(Vec::new());
        let all = RefCell::new(Vec::new());
        let anchors = self.trust.anchors();
        let to_found = |p: &webpki::VerifiedPath<'_>| -> FoundPath {
            let mut nodes = vec![0];
            for cert in p.intermediate_certificates() {
                let der = cert.der();
                let pos = intermediates
                    .iter()
                    .position(|c| std::ptr::eq(c.as_ref().as_ptr(), der.as_ref().as_ptr()))
                    .or_else(|| {
                        intermediates
                            .iter()
                            .position(|c| c.as_ref() == der.as_ref())
                    })
                    .unwrap_or(0);
                nodes.push(pos + 1);
            }
            let anchor = anchors
                .iter()
                .position(|a| std::ptr::eq(a, p.anchor()))
                .unwrap_or(0);
            FoundPath { nodes, anchor }
        };
        let callback = |p: &webpki::VerifiedPath<'_>| -> std::result::Result<(), webpki::Error> {
            let found = to_found(p);
            let violations = self.path_violations(&found, false);
            if collect_all {
                let mut all = all.borrow_mut();
                if all.len() < 32 {
                    all.push(found);
                }
                // Keep searching: every path is wanted.
                return Err(webpki::Error::UnknownIssuer);
            }
            if violations.is_empty() {
                return Ok(());
            }
            rejected.borrow_mut().push((found, violations));
            Err(webpki::Error::UnknownIssuer)
        };
        let result = leaf.verify_for_usage(
            algorithms(),
            anchors,
            &intermediates,
            UnixTime::since_unix_epoch(Duration::from_secs(self.time.max(0) as u64)),
            purpose_validator(&self.options.purposes),
            revocation,
            Some(&callback),
        );
        let result = result.map(|p| to_found(&p));
        Build {
            result,
            rejected: rejected.into_inner(),
            all: all.into_inner(),
        }
    }

    /// The report entries of a path.
    fn path_entries(&self, path: &FoundPath) -> Vec<PathEntry> {
        let mut out: Vec<PathEntry> = path
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let c = &self.pool[*n];
                let (subject, not_after) = match &c.facts {
                    Some(f) => (f.subject.clone(), Some(f.not_after)),
                    None => (c.subject(), None),
                };
                PathEntry {
                    role: if i == 0 { "leaf" } else { "intermediate" },
                    subject,
                    sha256: facts::sha256_hex(c.der.as_ref()),
                    spki_only: false,
                    not_after: not_after.map(fmt_unix),
                    days_left: not_after.map(|t| (t - self.time).div_euclid(86_400)),
                    source: c.source.clone(),
                }
            })
            .collect();
        let anchor = self.anchor_facts(path.anchor);
        let a = &self.trust.anchors()[path.anchor];
        out.push(PathEntry {
            role: "anchor",
            subject: self.anchor_subject(path.anchor),
            sha256: match self.trust.cert(path.anchor) {
                Some(c) => facts::sha256_hex(c.as_ref()),
                None => facts::sha256_hex(&crate::encoding::frame_sequence(
                    a.subject_public_key_info.as_ref(),
                )),
            },
            spki_only: self.trust.cert(path.anchor).is_none(),
            not_after: anchor.as_ref().map(|f| fmt_unix(f.not_after)),
            days_left: anchor
                .as_ref()
                .map(|f| (f.not_after - self.time).div_euclid(86_400)),
            source: CertSource::TrustStore {
                source: self.trust.source_label(path.anchor).to_owned(),
            },
        });
        out
    }
}

/// Verifies `presented` (leaf first, then what the server sends) against `trust`.
///
/// Never fails: every problem — including an unparseable certificate — is part of the
/// report. Input errors (unreadable files, bad options) are caught before, when the
/// options are built.
pub fn verify_chain(
    presented: &[CertificateDer<'static>],
    trust: &TrustStore,
    options: &VerifyOptions,
) -> VerifyReport {
    let at = options.at.unwrap_or_else(OffsetDateTime::now_utc);
    // webpki compares whole seconds; a fractional time is floored (notBefore is inclusive).
    let time = at.unix_timestamp();
    let mut report = VerifyReport {
        valid: false,
        profile: options.profile,
        host: options.host.as_ref().map(|h| h.to_str().into_owned()),
        at: fmt_unix(time),
        purposes: if options.purposes.is_empty() {
            vec![Purpose::ServerAuth.name()]
        } else {
            options.purposes.iter().map(Purpose::name).collect()
        },
        trust: trust.label(),
        path: Vec::new(),
        error: None,
        findings: Vec::new(),
        webpki: WebpkiVerdict {
            valid: false,
            error: None,
        },
        all_paths: Vec::new(),
    };
    if presented.is_empty() {
        let f = Finding::new(Severity::Error, "empty_chain", "no certificate to verify")
            .fix("give a file that holds the leaf certificate first");
        report.error = Some(VerifyError {
            code: f.code.clone(),
            message: f.message.clone(),
            cert_index: None,
        });
        report.findings.push(f);
        report.webpki.error = Some("no certificate".into());
        return report;
    }
    let mut pool: Vec<PoolCert> = presented
        .iter()
        .enumerate()
        .map(|(index, der)| PoolCert::new(der.clone(), CertSource::Presented { index }))
        .collect();
    pool.extend(
        options
            .untrusted
            .iter()
            .map(|der| PoolCert::new(der.clone(), CertSource::Untrusted)),
    );
    let mut ctx = Context {
        pool,
        trust,
        options,
        time,
        anchor_facts: RefCell::new(Vec::new()),
    };
    let mut notes = Vec::new();
    if options.aia.enabled {
        aia::complete(&mut ctx, &mut notes);
    }

    let build = ctx.build(false);
    let leaf = EndEntityCert::try_from(&ctx.pool[0].der).ok();
    let name_result = match (&options.host, &leaf) {
        (Some(host), Some(leaf)) => Some(leaf.verify_is_valid_for_subject_name(host)),
        _ => None,
    };
    let name_ok = name_result.as_ref().is_none_or(|r| r.is_ok());

    // What webpki alone decides: its path result (profile rejections aside) and the name.
    let webpki_path_ok = build.result.is_ok() || !build.rejected.is_empty();
    report.webpki.valid = webpki_path_ok && name_ok;
    report.webpki.error = match (&build.result, &name_result) {
        (Err(e), _) if build.rejected.is_empty() => Some(format!("{e:?}")),
        (_, Some(Err(e))) => Some(format!("{e:?}")),
        _ => None,
    };

    let mut findings: Vec<Finding> = Vec::new();
    let chosen: Option<FoundPath> = match &build.result {
        Ok(p) => Some(p.clone()),
        Err(_) => build.rejected.first().map(|(p, _)| p.clone()),
    };
    let diag = diagnose::Diagnoser::new(&ctx);
    match (&build.result, build.rejected.first()) {
        (Ok(_), _) => {}
        (Err(_), Some((_, violations))) => {
            findings.extend(violations.iter().map(|v| v.finding(options.profile)));
        }
        (Err(e), None) => findings.push(diag.explain(e)),
    }
    if let Some(Err(e)) = &name_result {
        findings.push(diag.explain(e));
    }
    // Everything else wrong on the way, whether or not it decided the verdict.
    findings.extend(diag.other_problems(chosen.as_ref()));
    if let Some(path) = &chosen {
        findings.extend(
            ctx.path_violations(path, true)
                .iter()
                .map(|v| v.finding(options.profile)),
        );
        report.path = ctx.path_entries(path);
    }
    findings.extend(diag.notes(chosen.as_ref()));
    findings.extend(notes);

    if options.all_paths && build.result.is_ok() {
        let all = ctx.build(true);
        report.all_paths = all.all.iter().map(|p| ctx.path_entries(p)).collect();
        if report.all_paths.len() > 1 {
            findings.push(Finding::new(
                Severity::Info,
                "alternative_paths",
                format!(
                    "{} valid paths exist (cross-signed certificates)",
                    report.all_paths.len()
                ),
            ));
        }
    }

    report.valid = build.result.is_ok() && name_ok;
    report.findings = dedup_and_order(findings, report.valid);
    if !report.valid {
        if let Some(first) = report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
        {
            report.error = Some(VerifyError {
                code: first.code.clone(),
                message: first.message.clone(),
                cert_index: first.cert_index,
            });
        }
    }
    report
}

/// Keeps the first of identical (code, certificate) findings; errors first (the verdict's
/// cause at the very front), then warnings, then notes. A valid chain has no error finding.
fn dedup_and_order(findings: Vec<Finding>, valid: bool) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for mut f in findings {
        if out
            .iter()
            .any(|o| o.code == f.code && o.subject == f.subject && o.cert_index == f.cert_index)
        {
            continue;
        }
        if valid && f.severity == Severity::Error {
            f.severity = Severity::Warning;
        }
        out.push(f);
    }
    out.sort_by_key(|f| f.severity);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_content_encodes_multi_byte_arcs() {
        assert_eq!(
            oid_content("1.3.6.1.5.5.7.3.1"),
            Some(vec![0x2b, 6, 1, 5, 5, 7, 3, 1])
        );
        assert_eq!(
            oid_content("1.3.6.1.4.1.311.10.3.4"),
            Some(vec![0x2b, 6, 1, 4, 1, 0x82, 0x37, 10, 3, 4])
        );
        assert_eq!(oid_content("server"), None);
        assert_eq!(oid_content("3.1"), None);
        assert_eq!(oid_content("1"), None);
    }

    #[test]
    fn times_parse_as_rfc3339_or_unix_seconds() {
        assert_eq!(parse_time("0").unwrap().unix_timestamp(), 0);
        assert_eq!(
            parse_time("2026-01-01T00:00:00Z").unwrap().unix_timestamp(),
            1_767_225_600
        );
        assert!(parse_time("tomorrow").is_err());
    }

    #[test]
    fn hosts_are_dns_names_or_ip_addresses() {
        assert!(matches!(
            parse_host("[::1]").unwrap(),
            ServerName::IpAddress(_)
        ));
        assert!(matches!(
            parse_host("example.com").unwrap(),
            ServerName::DnsName(_)
        ));
        assert!(parse_host("not a host").is_err());
    }
}
