//! Decoding one certificate into a plain, serializable [`CertificateInfo`].
//!
//! Every extension is accounted for: the well-known ones are decoded into their own fields,
//! and the full list — unknown and malformed ones included, with OID and criticality — is in
//! [`CertificateInfo::extensions`]. Nothing is dropped silently and nothing panics.
//!
//! ```
//! use chainscope::{load_certificates, CertificateInfo};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs-fixtures/ecdsa/leaf.pem");
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
use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension, X509Extension};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use crate::encoding::{base64, frame_sequence, hex, hex_upper, sha1, sha256, sha256_fingerprint};
use crate::error::{Error, Result};
use crate::instant::rfc3339;
use crate::name::{general_name_label, general_name_text, DistinguishedName};
use crate::oids;

/// Everything a certificate says, decoded.
///
/// Field names are part of the JSON schema documented in the README: they are snake_case
/// and are not renamed without a note.
#[derive(Debug, Clone, serde::Serialize)]
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
pub struct TypedName {
    /// `directory_name`, `registered_id`, `other_name`, `x400_address`, `edi_party_name` or
    /// `invalid`.
    pub kind: String,
    /// The value as text.
    pub value: String,
}

/// The subject public key.
#[derive(Debug, Clone, serde::Serialize)]
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
pub struct AlgorithmInfo {
    /// Human name (`sha256WithRSAEncryption`), or the dotted OID when not well known.
    pub name: String,
    /// Dotted OID.
    pub oid: String,
}

/// Basic constraints.
#[derive(Debug, Clone, serde::Serialize)]
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
pub struct KeyUsageInfo {
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// RFC 5280 names of the bits set (`digitalSignature`, `keyCertSign`, …).
    pub usages: Vec<String>,
}

/// Extended key usage.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExtendedKeyUsageInfo {
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// The purposes, in encoding order.
    pub usages: Vec<OidName>,
}

/// An OID with its well-known name, if any.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
pub struct PolicyInfo {
    /// Dotted OID.
    pub oid: String,
    /// Well-known name, if any.
    pub name: Option<String>,
}

/// Name constraints.
#[derive(Debug, Clone, serde::Serialize)]
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
        let (_, x509) = X509Certificate::from_der(der.as_ref())
            .map_err(|e| Error::malformed("certificate", format!("does not decode: {e}")))?;
        Ok(Self::from_x509(&x509, der.as_ref(), at))
    }

    /// Decodes an already parsed certificate; `der` must be its encoding.
    pub(crate) fn from_x509(x509: &X509Certificate<'_>, der: &[u8], at: OffsetDateTime) -> Self {
        let subject = DistinguishedName::from_x509(x509.subject());
        let issuer = DistinguishedName::from_x509(x509.issuer());
        let self_issued = x509.subject().as_raw() == x509.issuer().as_raw();
        let self_signed = self_issued && x509.verify_signature(None).is_ok();
        let raw_serial = x509.raw_serial();
        let ext = ExtensionFields::decode(x509.extensions());
        CertificateInfo {
            version: x509.version().0 + 1,
            serial: serial_hex(raw_serial),
            serial_len: raw_serial.len(),
            subject,
            issuer,
            validity: validity(x509, at),
            subject_alt_names: ext.subject_alt_names,
            public_key: public_key_info(x509.public_key()),
            signature_algorithm: algorithm_info(&x509.signature_algorithm, oids::signature_name),
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
                sha256: sha256_fingerprint(der),
                sha1: hex_upper(&sha1(der), ":"),
                spki_sha256_base64: base64(&sha256(x509.public_key().raw)),
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

/// The typed view of a list of extensions, shared by certificates and CSRs.
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
    pub(crate) fn decode(extensions: &[X509Extension<'_>]) -> Self {
        let mut fields = ExtensionFields::default();
        for ext in extensions {
            let entry = fields.absorb_extension(ext);
            fields.extensions.push(entry);
        }
        fields
    }

    /// Records one extension in its typed field and returns its entry for the full list.
    fn absorb_extension(&mut self, ext: &X509Extension<'_>) -> ExtensionInfo {
        let oid = ext.oid.to_id_string();
        let critical = ext.critical;
        let mut entry = ExtensionInfo {
            name: oids::extension_name(&oid).map(str::to_owned),
            oid,
            critical,
            status: ExtensionStatus::Parsed,
            value: String::new(),
            error: None,
        };
        entry.value = match ext.parsed_extension() {
            ParsedExtension::SubjectAlternativeName(san) => {
                self.subject_alt_names.present = true;
                for name in &san.general_names {
                    let (kind, value) = general_name_text(name);
                    match kind {
                        "dns" => self.subject_alt_names.dns.push(value),
                        "ip" => self.subject_alt_names.ip.push(value),
                        "email" => self.subject_alt_names.email.push(value),
                        "uri" => self.subject_alt_names.uri.push(value),
                        _ => self.subject_alt_names.other.push(TypedName {
                            kind: kind.to_owned(),
                            value,
                        }),
                    }
                }
                names_text(&san.general_names)
            }
            ParsedExtension::BasicConstraints(bc) => {
                self.basic_constraints = Some(BasicConstraintsInfo {
                    critical,
                    ca: bc.ca,
                    path_len: bc.path_len_constraint,
                });
                match bc.path_len_constraint {
                    Some(n) => format!("CA:{}, pathlen:{n}", upper_bool(bc.ca)),
                    None => format!("CA:{}", upper_bool(bc.ca)),
                }
            }
            ParsedExtension::KeyUsage(ku) => {
                let usages = key_usage_names(ku.flags);
                let text = usages.join(", ");
                self.key_usage = Some(KeyUsageInfo { critical, usages });
                text
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let usages = eku_list(ext.value, eku);
                let text = usages
                    .iter()
                    .map(OidName::display)
                    .collect::<Vec<_>>()
                    .join(", ");
                self.extended_key_usage = Some(ExtendedKeyUsageInfo { critical, usages });
                text
            }
            ParsedExtension::SubjectKeyIdentifier(kid) => {
                let id = hex(kid.0, ":");
                self.subject_key_id = Some(id.clone());
                id
            }
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                let info = AuthorityKeyIdInfo {
                    key_id: aki.key_identifier.as_ref().map(|k| hex(k.0, ":")),
                    issuer: aki
                        .authority_cert_issuer
                        .as_deref()
                        .map(|names| names.iter().map(typed_name_text).collect())
                        .unwrap_or_default(),
                    serial: aki.authority_cert_serial.map(|s| hex(s, ":")),
                };
                let mut parts = Vec::new();
                if let Some(k) = &info.key_id {
                    parts.push(format!("keyid:{k}"));
                }
                parts.extend(info.issuer.iter().cloned());
                if let Some(s) = &info.serial {
                    parts.push(format!("serial:{s}"));
                }
                self.authority_key_id = Some(info);
                parts.join(", ")
            }
            ParsedExtension::AuthorityInfoAccess(aia) => {
                let mut parts = Vec::new();
                for desc in &aia.accessdescs {
                    let method = desc.access_method.to_id_string();
                    let (kind, value) = general_name_text(&desc.access_location);
                    match (method.as_str(), kind) {
                        ("1.3.6.1.5.5.7.48.1", "uri") => {
                            parts.push(format!("OCSP - URI:{value}"));
                            self.authority_info_access.ocsp.push(value);
                        }
                        ("1.3.6.1.5.5.7.48.2", "uri") => {
                            parts.push(format!("CA Issuers - URI:{value}"));
                            self.authority_info_access.ca_issuers.push(value);
                        }
                        _ => {
                            let text = format!("{method}: {}:{value}", general_name_label(kind));
                            parts.push(text.clone());
                            self.authority_info_access.other.push(text);
                        }
                    }
                }
                parts.join(", ")
            }
            ParsedExtension::CRLDistributionPoints(points) => {
                for point in points.iter() {
                    match &point.distribution_point {
                        Some(DistributionPointName::FullName(names)) => {
                            for name in names {
                                let (kind, value) = general_name_text(name);
                                self.crl_distribution_points.push(if kind == "uri" {
                                    value
                                } else {
                                    format!("{}:{value}", general_name_label(kind))
                                });
                            }
                        }
                        Some(DistributionPointName::NameRelativeToCRLIssuer(_)) => self
                            .crl_distribution_points
                            .push("relative name (nameRelativeToCRLIssuer)".into()),
                        None => {}
                    }
                }
                self.crl_distribution_points.join(", ")
            }
            ParsedExtension::CertificatePolicies(policies) => {
                for policy in policies {
                    let oid = policy.policy_id.to_id_string();
                    self.certificate_policies.push(PolicyInfo {
                        name: oids::policy_name(&oid).map(str::to_owned),
                        oid,
                    });
                }
                self.certificate_policies
                    .iter()
                    .map(|p| match &p.name {
                        Some(n) => format!("{} ({n})", p.oid),
                        None => p.oid.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            ParsedExtension::NameConstraints(nc) => {
                let subtrees = |list: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
                    list.as_deref()
                        .unwrap_or_default()
                        .iter()
                        .map(|s| typed_name_text(&s.base))
                        .collect::<Vec<_>>()
                };
                let info = NameConstraintsInfo {
                    critical,
                    permitted: subtrees(&nc.permitted_subtrees),
                    excluded: subtrees(&nc.excluded_subtrees),
                };
                let text = format!(
                    "permitted: [{}]; excluded: [{}]",
                    info.permitted.join(", "),
                    info.excluded.join(", ")
                );
                self.name_constraints = Some(info);
                text
            }
            ParsedExtension::SCT(scts) => {
                self.sct_count = Some(scts.len());
                format!("{} signed certificate timestamps", scts.len())
            }
            ParsedExtension::ParseError { error } => {
                entry.status = ExtensionStatus::Malformed;
                entry.error = Some(error.to_string());
                hex(ext.value, ":")
            }
            ParsedExtension::UnsupportedExtension { .. } | ParsedExtension::Unparsed => {
                if entry.oid == "1.3.6.1.5.5.7.1.24" {
                    match tls_features(ext.value) {
                        Some(features) => {
                            self.must_staple = features.contains(&5);
                            features
                                .iter()
                                .map(|f| match f {
                                    5 => "status_request".to_owned(),
                                    17 => "status_request_v2".to_owned(),
                                    other => other.to_string(),
                                })
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                        None => {
                            entry.status = ExtensionStatus::Malformed;
                            entry.error = Some("TLS feature list does not decode".into());
                            hex(ext.value, ":")
                        }
                    }
                } else {
                    entry.status = ExtensionStatus::Unknown;
                    hex(ext.value, ":")
                }
            }
            other => {
                // Decoded by x509-parser but without a field of ours (policy mappings,
                // inhibitAnyPolicy, …): keep a debug rendering rather than dropping it.
                format!("{other:?}")
            }
        };
        entry
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

/// RFC 5280 §4.2.1.3 key usage bit names, in bit order.
const KEY_USAGE_BITS: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

fn key_usage_names(flags: u16) -> Vec<String> {
    KEY_USAGE_BITS
        .iter()
        .enumerate()
        .filter(|(bit, _)| flags & (1 << bit) != 0)
        .map(|(_, name)| (*name).to_owned())
        .collect()
}

/// The EKU purposes in encoding order. x509-parser folds the well-known ones into booleans,
/// so the order is taken from the raw extension value.
fn eku_list(value: &[u8], parsed: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<OidName> {
    let from_raw = <Vec<der::asn1::ObjectIdentifier> as der::Decode>::from_der(value).ok();
    let oids: Vec<String> = match from_raw {
        Some(list) => list.iter().map(|o| o.to_string()).collect(),
        None => {
            let mut v = Vec::new();
            let flags = [
                (parsed.any, "2.5.29.37.0"),
                (parsed.server_auth, "1.3.6.1.5.5.7.3.1"),
                (parsed.client_auth, "1.3.6.1.5.5.7.3.2"),
                (parsed.code_signing, "1.3.6.1.5.5.7.3.3"),
                (parsed.email_protection, "1.3.6.1.5.5.7.3.4"),
                (parsed.time_stamping, "1.3.6.1.5.5.7.3.8"),
                (parsed.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
            ];
            v.extend(
                flags
                    .iter()
                    .filter(|(f, _)| *f)
                    .map(|(_, o)| (*o).to_owned()),
            );
            v.extend(parsed.other.iter().map(|o| o.to_id_string()));
            v
        }
    };
    oids.into_iter()
        .map(|oid| OidName {
            name: oids::eku_name(&oid).map(str::to_owned),
            oid,
        })
        .collect()
}

/// RFC 7633 TLS feature list: a SEQUENCE OF INTEGER.
fn tls_features(value: &[u8]) -> Option<Vec<u16>> {
    <Vec<u16> as der::Decode>::from_der(value).ok()
}

fn validity(x509: &X509Certificate<'_>, at: OffsetDateTime) -> Validity {
    // Date arithmetic is done with `time`, never through x509-parser's ASN1Time, whose
    // addition panics near year 9999 (x509-parser 0.18.1).
    let not_before = x509.validity().not_before.to_datetime();
    let not_after = x509.validity().not_after.to_datetime();
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

fn algorithm_info(
    alg: &AlgorithmIdentifier<'_>,
    names: fn(&str) -> Option<&'static str>,
) -> AlgorithmInfo {
    let oid = alg.algorithm.to_id_string();
    AlgorithmInfo {
        name: names(&oid)
            .map(str::to_owned)
            .unwrap_or_else(|| oid.clone()),
        oid,
    }
}

pub(crate) fn public_key_info(spki: &SubjectPublicKeyInfo<'_>) -> PublicKeyInfo {
    let oid = spki.algorithm.algorithm.to_id_string();
    let mut info = PublicKeyInfo {
        algorithm: oids::key_algorithm_name(&oid)
            .map(str::to_owned)
            .unwrap_or_else(|| oid.clone()),
        algorithm_oid: oid.clone(),
        bits: None,
        curve: None,
        rsa_exponent: None,
        spki_der: base64(spki.raw),
    };
    match oid.as_str() {
        "1.3.101.112" => info.bits = Some(256),
        "1.3.101.113" => info.bits = Some(456),
        "1.2.840.10045.2.1" => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            if let Some(curve_oid) = curve_oid {
                match oids::curve(&curve_oid) {
                    Some((name, bits)) => {
                        info.curve = Some(name.to_owned());
                        info.bits = Some(bits);
                    }
                    None => info.curve = Some(curve_oid),
                }
            }
        }
        _ => {}
    }
    if let Ok(parsed) = spki.parsed() {
        match parsed {
            PublicKey::RSA(rsa) => {
                info.bits = u32::try_from(rsa.key_size()).ok();
                info.rsa_exponent = rsa.try_exponent().ok();
            }
            PublicKey::DSA(_) => {
                info.bits = dsa_bits(spki);
            }
            PublicKey::EC(point) if info.bits.is_none() => {
                info.bits = u32::try_from(point.key_size()).ok().filter(|&b| b > 0);
            }
            _ => {}
        }
    }
    info
}

/// DSA key size is the size of the prime `p`, the first integer of the parameters.
fn dsa_bits(spki: &SubjectPublicKeyInfo<'_>) -> Option<u32> {
    let params = spki.algorithm.parameters.as_ref()?;
    // `params.data` is the SEQUENCE's content; re-frame it to decode it as a sequence.
    let der = frame_sequence(params.data);
    let ints = <Vec<der::asn1::UintRef<'_>> as der::Decode>::from_der(&der).ok()?;
    u32::try_from(ints.first()?.as_bytes().len() * 8).ok()
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
            key_usage_names(0b110_0001),
            vec!["digitalSignature", "keyCertSign", "cRLSign"]
        );
    }
}
