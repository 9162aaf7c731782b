//! Decoding one certificate into a plain, serializable [`CertificateInfo`].
//!
//! Every extension is accounted for: the well-known ones are decoded into their own fields,
//! and the full list — unknown and malformed ones included, with OID and criticality — is in
//! [`CertificateInfo::extensions`]. Nothing is dropped silently and nothing panics.
//!
//! ```
//! use chainscope::{load_certificates, CertificateInfo};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/ecdsa/leaf.pem");
//! let certs = load_certificates(path.as_ref())?;
//! let at = time::macros::datetime!(2030-06-01 00:00 UTC);
//! let info = CertificateInfo::decode(&certs[0], at)?;
//! assert_eq!(info.public_key.algorithm, "EC");
//! assert_eq!(info.public_key.curve.as_deref(), Some("P-256"));
//! assert_eq!(info.validity.days_remaining, 1826);
//! # Ok::<(), chainscope::Error>(())
//! ```

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};
use x509_parser::prelude::FromDer;

use crate::encoding::{base64, hex, hex_upper, sha1, sha256, sha256_fingerprint};
use crate::error::{Error, Result};
use crate::instant::rfc3339;
use crate::name::{general_name_label, general_name_text};
use crate::oids;
use crate::x509::extensions::{tls_features, Extension, ExtensionState, Extensions, KeyUsage};
use crate::x509::{Certificate, Curve, KeyAlgorithm, PublicKey};

pub use crate::name::{DistinguishedName, NameAttribute};

/// Everything a certificate says, decoded.
///
/// Field names are part of the JSON schema documented in the README: they are snake_case
/// and are not renamed without a note.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CertificateInfo {
    /// X.509 version as written on certificates (1, 2 or 3).
    pub version: u32,
    /// Serial number, uppercase hex without separators, leading zero bytes removed (the form
    /// `openssl x509 -serial` prints).
    pub serial: String,
    /// Length of the encoded serial in bytes (RFC 5280 allows at most 20).
    pub serial_len: usize,
    /// Subject name.
    pub subject: DistinguishedName,
    /// Issuer name.
    pub issuer: DistinguishedName,
    /// Validity window, relative to the instant the certificate was decoded for.
    pub validity: Validity,
    /// Subject alternative names.
    pub subject_alt_names: SubjectAltNames,
    /// Subject public key.
    pub public_key: PublicKeyInfo,
    /// Signature algorithm of the issuer's signature on this certificate.
    pub signature_algorithm: AlgorithmInfo,
    /// Basic constraints, if the extension is present.
    pub basic_constraints: Option<BasicConstraintsInfo>,
    /// Key usage, if the extension is present.
    pub key_usage: Option<KeyUsageInfo>,
    /// Extended key usage, if the extension is present.
    pub extended_key_usage: Option<ExtendedKeyUsageInfo>,
    /// Subject key identifier (lowercase hex, colon separated).
    pub subject_key_id: Option<String>,
    /// Authority key identifier.
    pub authority_key_id: Option<AuthorityKeyIdInfo>,
    /// Authority information access (OCSP responders and issuer certificate URLs).
    pub authority_info_access: AuthorityInfoAccessInfo,
    /// CRL distribution point URLs (and other names as `TYPE:value`).
    pub crl_distribution_points: Vec<String>,
    /// Certificate policies.
    pub certificate_policies: Vec<PolicyInfo>,
    /// Name constraints, if the extension is present.
    pub name_constraints: Option<NameConstraintsInfo>,
    /// Number of embedded signed certificate timestamps; `None` when the extension is absent.
    pub sct_count: Option<usize>,
    /// Whether the TLS feature extension demands a stapled OCSP response (must-staple).
    pub must_staple: bool,
    /// Subject equals issuer.
    pub self_issued: bool,
    /// Self-issued and the signature verifies with the certificate's own key.
    pub self_signed: bool,
    /// Fingerprints of the certificate and its key.
    pub fingerprints: Fingerprints,
    /// Every extension in encoding order, with how it was understood.
    pub extensions: Vec<ExtensionInfo>,
}

/// The validity window.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Validity {
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// The instant the remaining days are computed for, RFC 3339.
    pub evaluated_at: String,
    /// Whole days from `evaluated_at` to `not_after`; negative once expired.
    pub days_remaining: i64,
    /// Whole days from `not_before` to `not_after`.
    pub lifetime_days: i64,
    /// `valid`, `expired` or `not_yet_valid` at `evaluated_at`.
    pub status: ValidityStatus,
    /// `not_before` as Unix seconds.
    pub not_before_unix: i64,
    /// `not_after` as Unix seconds.
    pub not_after_unix: i64,
}

/// Where an instant falls relative to a validity window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidityStatus {
    /// Inside the window.
    Valid,
    /// After `not_after`.
    Expired,
    /// Before `not_before`.
    NotYetValid,
}

/// Subject alternative names, by type.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[non_exhaustive]
pub struct SubjectAltNames {
    /// Whether the certificate has a subjectAltName extension at all.
    pub present: bool,
    /// DNS names.
    pub dns: Vec<String>,
    /// IP addresses (IPv4 dotted, IPv6 RFC 5952).
    pub ip: Vec<String>,
    /// Email addresses (rfc822Name).
    pub email: Vec<String>,
    /// URIs.
    pub uri: Vec<String>,
    /// Any other name, with its type.
    pub other: Vec<TypedName>,
}

/// A general name of a type that has no field of its own.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct TypedName {
    /// `directory_name`, `registered_id`, `other_name`, `x400_address`, `edi_party_name` or
    /// `invalid`.
    pub kind: String,
    /// The value as text.
    pub value: String,
}

/// The subject public key.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct PublicKeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `DSA`, … or the dotted OID.
    pub algorithm: String,
    /// Dotted OID of the algorithm.
    pub algorithm_oid: String,
    /// Key size in bits (RSA modulus, curve size), when known.
    pub bits: Option<u32>,
    /// Curve name for EC keys (`P-256`), or its OID when not well known.
    pub curve: Option<String>,
    /// RSA public exponent.
    pub rsa_exponent: Option<u64>,
    /// The SubjectPublicKeyInfo DER, base64.
    pub spki_der: String,
}

/// An algorithm identifier.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct AlgorithmInfo {
    /// Human name (`sha256WithRSAEncryption`), or the dotted OID when not well known.
    pub name: String,
    /// Dotted OID.
    pub oid: String,
}

/// Basic constraints.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct BasicConstraintsInfo {
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// Whether the subject is a CA.
    pub ca: bool,
    /// Maximum number of intermediates below this CA.
    pub path_len: Option<u32>,
}

/// Key usage.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct KeyUsageInfo {
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// RFC 5280 names of the bits set (`digitalSignature`, `keyCertSign`, …).
    pub usages: Vec<String>,
}

/// Extended key usage.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct ExtendedKeyUsageInfo {
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// The purposes, in encoding order.
    pub usages: Vec<OidName>,
}

/// An OID with its well-known name, if any.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct OidName {
    /// Dotted OID.
    pub oid: String,
    /// Well-known name, if any.
    pub name: Option<String>,
}

impl OidName {
    /// The name if known, else the dotted OID.
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.oid)
    }
}

/// Authority key identifier.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct AuthorityKeyIdInfo {
    /// The issuer's key identifier (lowercase hex, colon separated).
    pub key_id: Option<String>,
    /// The issuer's issuer, as `TYPE:value` names.
    pub issuer: Vec<String>,
    /// The issuer's serial, hex.
    pub serial: Option<String>,
}

/// Authority information access.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[non_exhaustive]
pub struct AuthorityInfoAccessInfo {
    /// OCSP responder URLs.
    pub ocsp: Vec<String>,
    /// URLs of the issuer's certificate.
    pub ca_issuers: Vec<String>,
    /// Other access methods, as `OID: TYPE:value`.
    pub other: Vec<String>,
}

/// A certificate policy.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct PolicyInfo {
    /// Dotted OID.
    pub oid: String,
    /// Well-known name, if any.
    pub name: Option<String>,
}

/// Name constraints.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct NameConstraintsInfo {
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// Permitted subtrees as `TYPE:value` (`DNS:.example.com`, `IP:10.0.0.0/8`).
    pub permitted: Vec<String>,
    /// Excluded subtrees as `TYPE:value`.
    pub excluded: Vec<String>,
}

/// Fingerprints.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Fingerprints {
    /// SHA-256 of the certificate DER, uppercase hex with colons (OpenSSL's form).
    pub sha256: String,
    /// SHA-1 of the certificate DER, uppercase hex with colons.
    pub sha1: String,
    /// Base64 SHA-256 of the SubjectPublicKeyInfo: the pin curl's `--pinnedpubkey
    /// sha256//…` and HPKP use.
    pub spki_sha256_base64: String,
}

/// One extension as found in the certificate.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct ExtensionInfo {
    /// Dotted OID.
    pub oid: String,
    /// Well-known name, if any.
    pub name: Option<String>,
    /// Whether it is marked critical.
    pub critical: bool,
    /// `parsed`, `unknown` (not understood; content shown as hex) or `malformed`.
    pub status: ExtensionStatus,
    /// A readable rendering of the value (hex for unknown extensions).
    pub value: String,
    /// Why a malformed extension did not decode.
    pub error: Option<String>,
}

/// How an extension was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExtensionStatus {
    /// Decoded.
    Parsed,
    /// Not a type chainscope decodes; listed with its raw value.
    Unknown,
    /// A known type whose content does not decode.
    Malformed,
}

impl CertificateInfo {
    /// Decodes `der`, computing days remaining relative to `at`.
    ///
    /// Fails only when the bytes are not an X.509 certificate at all; anything odd inside
    /// one (unknown algorithms, malformed extensions) is decoded as far as possible.
    pub fn decode(der: &CertificateDer<'_>, at: OffsetDateTime) -> Result<Self> {
        let (_, x509) = X509Certificate::from_der(der.as_ref()).map_err(|e| {
            Error::malformed(
                "certificate",
                format!("does not decode: {}", crate::load::parse_error_text(&e)),
            )
        })?;
        Ok(Self::from_x509(&x509, der.as_ref(), at))
    }

    /// [`CertificateInfo::decode`] for the current instant.
    ///
    /// ```
    /// let pem = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/chain.pem"));
    /// let chain = chainscope::load_bytes(pem, "chain.pem", &Default::default())?.ders();
    /// let leaf = chainscope::CertificateInfo::decode_now(&chain[0])?;
    /// assert_eq!(leaf.subject.common_name(), Some("rsa.chainscope.test"));
    /// println!("{} days left", leaf.validity.days_remaining);
    /// # Ok::<(), chainscope::Error>(())
    /// ```
    pub fn decode_now(der: &CertificateDer<'_>) -> Result<Self> {
        Self::decode(der, OffsetDateTime::now_utc())
    }

    /// Decodes an already parsed certificate; `der` must be its encoding.
    pub(crate) fn from_x509(x509: &X509Certificate<'_>, der: &[u8], at: OffsetDateTime) -> Self {
        let model = Certificate::from_x509(x509, der);
        Self::render(&model, x509, at)
    }

    /// The report of a decoded certificate; `x509` is the parse it was decoded from (for
    /// the text of each extension).
    fn render(model: &Certificate, x509: &X509Certificate<'_>, at: OffsetDateTime) -> Self {
        let self_issued = model.self_issued();
        let self_signed = self_issued && x509.verify_signature(None).is_ok();
        let ext = ExtensionFields::render(&model.extensions, x509.extensions());
        CertificateInfo {
            version: model.version + 1,
            serial: serial_hex(&model.serial),
            serial_len: model.serial.len(),
            subject: model.subject.dn.clone(),
            issuer: model.issuer.dn.clone(),
            validity: validity(model, at),
            subject_alt_names: ext.subject_alt_names,
            public_key: public_key_info(&model.key),
            signature_algorithm: AlgorithmInfo {
                name: model.signature.name.clone(),
                oid: model.signature.oid.clone(),
            },
            basic_constraints: ext.basic_constraints,
            key_usage: ext.key_usage,
            extended_key_usage: ext.extended_key_usage,
            subject_key_id: ext.subject_key_id,
            authority_key_id: ext.authority_key_id,
            authority_info_access: ext.authority_info_access,
            crl_distribution_points: ext.crl_distribution_points,
            certificate_policies: ext.certificate_policies,
            name_constraints: ext.name_constraints,
            sct_count: ext.sct_count,
            must_staple: ext.must_staple,
            self_issued,
            self_signed,
            fingerprints: Fingerprints {
                sha256: sha256_fingerprint(&model.der),
                sha1: hex_upper(&sha1(&model.der), ":"),
                spki_sha256_base64: base64(&sha256(&model.key.spki)),
            },
            extensions: ext.extensions,
        }
    }

    /// The names a TLS client can match: DNS and IP SANs (no CN fallback, as in browsers).
    pub fn tls_names(&self) -> Vec<String> {
        self.subject_alt_names
            .dns
            .iter()
            .chain(&self.subject_alt_names.ip)
            .cloned()
            .collect()
    }

    /// Whether basicConstraints marks this certificate as a CA.
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.as_ref().is_some_and(|bc| bc.ca)
    }
}

/// The report view of a list of extensions, shared by certificates and CSRs.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExtensionFields {
    pub(crate) subject_alt_names: SubjectAltNames,
    pub(crate) basic_constraints: Option<BasicConstraintsInfo>,
    pub(crate) key_usage: Option<KeyUsageInfo>,
    pub(crate) extended_key_usage: Option<ExtendedKeyUsageInfo>,
    pub(crate) subject_key_id: Option<String>,
    pub(crate) authority_key_id: Option<AuthorityKeyIdInfo>,
    pub(crate) authority_info_access: AuthorityInfoAccessInfo,
    pub(crate) crl_distribution_points: Vec<String>,
    pub(crate) certificate_policies: Vec<PolicyInfo>,
    pub(crate) name_constraints: Option<NameConstraintsInfo>,
    pub(crate) sct_count: Option<usize>,
    pub(crate) must_staple: bool,
    pub(crate) extensions: Vec<ExtensionInfo>,
}

impl ExtensionFields {
    /// Decodes a list of extensions (a CSR's extension request).
    pub(crate) fn decode(extensions: &[X509Extension<'_>]) -> Self {
        Self::render(&Extensions::decode(extensions), extensions)
    }

    /// The report of decoded extensions; `raw` is the list they were decoded from.
    pub(crate) fn render(model: &Extensions, raw: &[X509Extension<'_>]) -> Self {
        let mut names = SubjectAltNames::default();
        if let Some(san) = &model.subject_alt_name {
            names.present = true;
            for n in &san.names {
                let value = n.value.clone();
                match n.kind {
                    "dns" => names.dns.push(value),
                    "ip" => names.ip.push(value),
                    "email" => names.email.push(value),
                    "uri" => names.uri.push(value),
                    kind => names.other.push(TypedName {
                        kind: kind.to_owned(),
                        value,
                    }),
                }
            }
        }
        let access = model.info_access.clone().unwrap_or_default();
        ExtensionFields {
            subject_alt_names: names,
            basic_constraints: model.basic_constraints.map(|bc| BasicConstraintsInfo {
                critical: bc.critical,
                ca: bc.ca,
                path_len: bc.path_len,
            }),
            key_usage: model.key_usage.map(|ku| KeyUsageInfo {
                critical: ku.critical,
                usages: ku.names(),
            }),
            extended_key_usage: model
                .extended_key_usage
                .as_ref()
                .map(|eku| ExtendedKeyUsageInfo {
                    critical: eku.critical,
                    usages: eku.oids.iter().map(|oid| eku_name(oid)).collect(),
                }),
            subject_key_id: model.subject_key_id.as_ref().map(|k| hex(&k.id, ":")),
            authority_key_id: model
                .authority_key_id
                .as_ref()
                .map(|aki| AuthorityKeyIdInfo {
                    key_id: aki.key_id.as_ref().map(|k| hex(k, ":")),
                    issuer: aki.issuer.clone(),
                    serial: aki.serial.as_ref().map(|s| hex(s, ":")),
                }),
            authority_info_access: AuthorityInfoAccessInfo {
                ocsp: access.ocsp,
                ca_issuers: access.ca_issuers,
                other: access.other,
            },
            crl_distribution_points: model.crl_distribution_points.clone(),
            certificate_policies: model
                .policies
                .iter()
                .map(|p| PolicyInfo {
                    name: oids::policy_name(&p.oid).map(str::to_owned),
                    oid: p.oid.clone(),
                })
                .collect(),
            name_constraints: model
                .name_constraints
                .as_ref()
                .map(|nc| NameConstraintsInfo {
                    critical: nc.critical,
                    permitted: nc.permitted.clone().unwrap_or_default(),
                    excluded: nc.excluded.clone().unwrap_or_default(),
                }),
            sct_count: model.sct_count,
            must_staple: model.must_staple,
            extensions: model
                .list
                .iter()
                .zip(raw)
                .map(|(entry, ext)| extension_info(entry, ext))
                .collect(),
        }
    }
}

/// One extension as `show` lists it: name, criticality, status and its value in words.
fn extension_info(entry: &Extension, ext: &X509Extension<'_>) -> ExtensionInfo {
    ExtensionInfo {
        name: oids::extension_name(&entry.oid).map(str::to_owned),
        oid: entry.oid.clone(),
        critical: entry.critical,
        status: match entry.state {
            ExtensionState::Parsed => ExtensionStatus::Parsed,
            ExtensionState::Unknown => ExtensionStatus::Unknown,
            ExtensionState::Malformed => ExtensionStatus::Malformed,
        },
        value: if entry.state == ExtensionState::Parsed {
            extension_text(ext)
        } else {
            hex(ext.value, ":")
        },
        error: entry.error.clone(),
    }
}

/// The value of a decoded extension in words, as OpenSSL prints it where it has a form.
fn extension_text(ext: &X509Extension<'_>) -> String {
    match ext.parsed_extension() {
        ParsedExtension::SubjectAlternativeName(san) => names_text(&san.general_names),
        ParsedExtension::BasicConstraints(bc) => match bc.path_len_constraint {
            Some(n) => format!("CA:{}, pathlen:{n}", upper_bool(bc.ca)),
            None => format!("CA:{}", upper_bool(bc.ca)),
        },
        ParsedExtension::KeyUsage(ku) => KeyUsage {
            critical: ext.critical,
            flags: ku.flags,
        }
        .names()
        .join(", "),
        ParsedExtension::ExtendedKeyUsage(_) => {
            // The one decoding of the OIDs in encoding order lives in the model.
            let model = Extensions::decode(std::slice::from_ref(ext));
            model
                .extended_key_usage
                .map(|eku| {
                    eku.oids
                        .iter()
                        .map(|o| eku_name(o).display().to_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        }
        ParsedExtension::SubjectKeyIdentifier(kid) => hex(kid.0, ":"),
        ParsedExtension::AuthorityKeyIdentifier(aki) => {
            let mut parts = Vec::new();
            if let Some(k) = &aki.key_identifier {
                parts.push(format!("keyid:{}", hex(k.0, ":")));
            }
            if let Some(names) = &aki.authority_cert_issuer {
                parts.extend(names.iter().map(typed_name_text));
            }
            if let Some(s) = aki.authority_cert_serial {
                parts.push(format!("serial:{}", hex(s, ":")));
            }
            parts.join(", ")
        }
        ParsedExtension::AuthorityInfoAccess(aia) => aia
            .accessdescs
            .iter()
            .map(|desc| {
                let method = desc.access_method.to_id_string();
                let (kind, value) = general_name_text(&desc.access_location);
                match (method.as_str(), kind) {
                    ("1.3.6.1.5.5.7.48.1", "uri") => format!("OCSP - URI:{value}"),
                    ("1.3.6.1.5.5.7.48.2", "uri") => format!("CA Issuers - URI:{value}"),
                    _ => format!("{method}: {}:{value}", general_name_label(kind)),
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        ParsedExtension::CRLDistributionPoints(_) => Extensions::decode(std::slice::from_ref(ext))
            .crl_distribution_points
            .join(", "),
        ParsedExtension::CertificatePolicies(policies) => policies
            .iter()
            .map(|p| {
                let oid = p.policy_id.to_id_string();
                match oids::policy_name(&oid) {
                    Some(n) => format!("{oid} ({n})"),
                    None => oid,
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        ParsedExtension::NameConstraints(nc) => {
            let subtrees = |list: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
                list.as_deref()
                    .unwrap_or_default()
                    .iter()
                    .map(|s| typed_name_text(&s.base))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "permitted: [{}]; excluded: [{}]",
                subtrees(&nc.permitted_subtrees),
                subtrees(&nc.excluded_subtrees)
            )
        }
        ParsedExtension::SCT(scts) => format!("{} signed certificate timestamps", scts.len()),
        ParsedExtension::UnsupportedExtension { .. } | ParsedExtension::Unparsed => {
            // Only the TLS feature extension is "parsed" among these (by the model).
            match tls_features(ext.value) {
                Some(features) => features
                    .iter()
                    .map(|f| match f {
                        5 => "status_request".to_owned(),
                        17 => "status_request_v2".to_owned(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                None => hex(ext.value, ":"),
            }
        }
        ParsedExtension::ParseError { .. } => hex(ext.value, ":"),
        other => {
            // Decoded by x509-parser but without a field of ours (policy mappings,
            // inhibitAnyPolicy, …): keep a debug rendering rather than dropping it.
            format!("{other:?}")
        }
    }
}

fn eku_name(oid: &str) -> OidName {
    OidName {
        name: oids::eku_name(oid).map(str::to_owned),
        oid: oid.to_owned(),
    }
}

fn upper_bool(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

fn names_text(names: &[GeneralName<'_>]) -> String {
    names
        .iter()
        .map(typed_name_text)
        .collect::<Vec<_>>()
        .join(", ")
}

fn typed_name_text(name: &GeneralName<'_>) -> String {
    let (kind, value) = general_name_text(name);
    format!("{}:{value}", general_name_label(kind))
}

fn validity(model: &Certificate, at: OffsetDateTime) -> Validity {
    let (not_before, not_after) = (model.not_before, model.not_after);
    let status = if at < not_before {
        ValidityStatus::NotYetValid
    } else if at > not_after {
        ValidityStatus::Expired
    } else {
        ValidityStatus::Valid
    };
    Validity {
        not_before: rfc3339(not_before),
        not_after: rfc3339(not_after),
        evaluated_at: rfc3339(at),
        days_remaining: (not_after - at).whole_days(),
        lifetime_days: (not_after - not_before).whole_days(),
        status,
        not_before_unix: not_before.unix_timestamp(),
        not_after_unix: not_after.unix_timestamp(),
    }
}

/// The report of a subject public key.
pub(crate) fn public_key_info(key: &PublicKey) -> PublicKeyInfo {
    let rsa_exponent = match &key.algorithm {
        KeyAlgorithm::Rsa { exponent, .. } => *exponent,
        _ => None,
    };
    PublicKeyInfo {
        algorithm: oids::key_algorithm_name(&key.oid)
            .map(str::to_owned)
            .unwrap_or_else(|| key.oid.clone()),
        algorithm_oid: key.oid.clone(),
        bits: key.algorithm.bits(),
        curve: match key.algorithm.curve() {
            Some(Curve::Explicit) | None => None,
            Some(curve) => Some(curve.name().to_owned()),
        },
        rsa_exponent,
        spki_der: base64(&key.spki),
    }
}

fn serial_hex(raw: &[u8]) -> String {
    let trimmed: &[u8] = match raw.iter().position(|&b| b != 0) {
        Some(i) => &raw[i..],
        None => &[0],
    };
    hex_upper(trimmed, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_drops_sign_padding_only() {
        assert_eq!(serial_hex(&[0x00, 0x8f, 0x01]), "8F01");
        assert_eq!(serial_hex(&[0x00]), "00");
        assert_eq!(serial_hex(&[0x01, 0x00]), "0100");
    }

    #[test]
    fn key_usage_bits_are_named_in_order() {
        assert_eq!(
            KeyUsage {
                critical: false,
                flags: 0b110_0001
            }
            .names(),
            vec!["digitalSignature", "keyCertSign", "cRLSign"]
        );
    }
}
