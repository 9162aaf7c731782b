//! The extensions of a certificate (or of a CSR's extension request), decoded once into typed
//! fields, plus the raw list in encoding order.

use std::net::IpAddr;

use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension, X509Extension};

use crate::name::{general_name_label, general_name_text, typed_general_name};

/// OIDs this module looks for by number.
const AIA: &str = "1.3.6.1.5.5.7.1.1";
const OCSP: &str = "1.3.6.1.5.5.7.48.1";
const CA_ISSUERS: &str = "1.3.6.1.5.5.7.48.2";
const TLS_FEATURE: &str = "1.3.6.1.5.5.7.1.24";

/// How far an extension decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtensionState {
    /// A known extension that decoded.
    Parsed,
    /// An extension chainscope does not know.
    Unknown,
    /// A known extension whose value does not decode.
    Malformed,
}

/// One extension as encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Extension {
    /// Dotted OID.
    pub(crate) oid: String,
    pub(crate) critical: bool,
    /// The extnValue contents (DER).
    pub(crate) value: Vec<u8>,
    pub(crate) state: ExtensionState,
    /// Why a malformed extension does not decode.
    pub(crate) error: Option<String>,
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BasicConstraints {
    pub(crate) critical: bool,
    pub(crate) ca: bool,
    pub(crate) path_len: Option<u32>,
}

/// keyUsage (RFC 5280 §4.2.1.3): the bit string as flags, bit 0 = digitalSignature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyUsage {
    pub(crate) critical: bool,
    pub(crate) flags: u16,
}

/// RFC 5280 §4.2.1.3 key usage bit names, in bit order.
pub(crate) const KEY_USAGE_BITS: [&str; 9] = [
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

#[allow(dead_code)] // the bits catalogue rules test
impl KeyUsage {
    pub(crate) const DIGITAL_SIGNATURE: u16 = 1 << 0;
    pub(crate) const KEY_ENCIPHERMENT: u16 = 1 << 2;
    pub(crate) const DATA_ENCIPHERMENT: u16 = 1 << 3;
    pub(crate) const KEY_CERT_SIGN: u16 = 1 << 5;
    pub(crate) const CRL_SIGN: u16 = 1 << 6;

    pub(crate) fn has(&self, bit: u16) -> bool {
        self.flags & bit != 0
    }

    /// The names of the bits set, in bit order.
    pub(crate) fn names(&self) -> Vec<String> {
        KEY_USAGE_BITS
            .iter()
            .enumerate()
            .filter(|(bit, _)| self.flags & (1 << bit) != 0)
            .map(|(_, name)| (*name).to_owned())
            .collect()
    }
}

/// extendedKeyUsage (RFC 5280 §4.2.1.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExtendedKeyUsage {
    pub(crate) critical: bool,
    /// Dotted OIDs in encoding order (anyExtendedKeyUsage included).
    pub(crate) oids: Vec<String>,
    /// Whether anyExtendedKeyUsage is among them.
    pub(crate) any: bool,
}

/// subjectKeyIdentifier (RFC 5280 §4.2.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SubjectKeyId {
    pub(crate) critical: bool,
    pub(crate) id: Vec<u8>,
}

/// authorityKeyIdentifier (RFC 5280 §4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthorityKeyId {
    pub(crate) critical: bool,
    pub(crate) key_id: Option<Vec<u8>>,
    /// authorityCertIssuer, each as `LABEL:value`.
    pub(crate) issuer: Vec<String>,
    /// authorityCertSerialNumber.
    pub(crate) serial: Option<Vec<u8>>,
}

/// One subjectAltName entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AltName {
    /// `dns`, `ip`, `email`, `uri`, `directory_name`, `other_name`, `invalid`, …
    pub(crate) kind: &'static str,
    /// The value as `show` prints it.
    pub(crate) value: String,
    /// The address of an `ip` entry of 4 or 16 bytes.
    pub(crate) ip: Option<IpAddr>,
}

/// subjectAltName (RFC 5280 §4.2.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SubjectAltName {
    pub(crate) critical: bool,
    pub(crate) names: Vec<AltName>,
}

/// nameConstraints (RFC 5280 §4.2.1.10), each subtree base as `LABEL:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameConstraints {
    pub(crate) critical: bool,
    pub(crate) permitted: Option<Vec<String>>,
    pub(crate) excluded: Option<Vec<String>>,
}

impl NameConstraints {
    /// Neither permitted nor excluded subtrees (RFC 5280 §4.2.1.10 forbids it).
    pub(crate) fn is_empty(&self) -> bool {
        self.permitted.is_none() && self.excluded.is_none()
    }
}

/// authorityInfoAccess (RFC 5280 §4.2.2.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct InfoAccess {
    pub(crate) ocsp: Vec<String>,
    pub(crate) ca_issuers: Vec<String>,
    /// Other methods or non-URI locations, as `METHOD: LABEL:value`.
    pub(crate) other: Vec<String>,
}

/// A certificate policy (RFC 5280 §4.2.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Policy {
    pub(crate) oid: String,
}

/// Every extension, typed where chainscope knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Extensions {
    /// All of them, in encoding order.
    pub(crate) list: Vec<Extension>,
    pub(crate) basic_constraints: Option<BasicConstraints>,
    pub(crate) key_usage: Option<KeyUsage>,
    pub(crate) extended_key_usage: Option<ExtendedKeyUsage>,
    pub(crate) subject_key_id: Option<SubjectKeyId>,
    pub(crate) authority_key_id: Option<AuthorityKeyId>,
    pub(crate) subject_alt_name: Option<SubjectAltName>,
    pub(crate) name_constraints: Option<NameConstraints>,
    pub(crate) info_access: Option<InfoAccess>,
    /// authorityInfoAccess is present but malformed or empty.
    pub(crate) info_access_malformed: bool,
    /// cRLDistributionPoints, URIs (other names as `LABEL:value`).
    pub(crate) crl_distribution_points: Vec<String>,
    pub(crate) policies: Vec<Policy>,
    /// policyConstraints' criticality, when present.
    pub(crate) policy_constraints_critical: Option<bool>,
    /// The number of embedded SCTs, when the extension is present.
    pub(crate) sct_count: Option<usize>,
    /// TLS feature status_request (RFC 7633, "must staple").
    pub(crate) must_staple: bool,
    /// Critical extensions chainscope does not understand (`OID` or `OID (malformed)`).
    pub(crate) unknown_critical: Vec<String>,
    /// policyMappings, as (issuerDomainPolicy, subjectDomainPolicy) dotted OIDs.
    pub(crate) policy_mappings: Vec<(String, String)>,
    /// A cRLDistributionPoints entry holds neither distributionPoint nor cRLIssuer (RFC 5280
    /// §4.2.1.13 forbids a point of only reasons).
    pub(crate) crl_distribution_point_incomplete: bool,
}

impl Extensions {
    /// Decodes a list of extensions.
    pub(crate) fn decode(extensions: &[X509Extension<'_>]) -> Extensions {
        let mut out = Extensions::default();
        for ext in extensions {
            out.absorb(ext);
        }
        out
    }

    fn absorb(&mut self, ext: &X509Extension<'_>) {
        let oid = crate::oids::dotted(&ext.oid);
        let critical = ext.critical;
        let mut state = ExtensionState::Parsed;
        let mut error = None;
        match ext.parsed_extension() {
            ParsedExtension::SubjectAlternativeName(san) => {
                self.subject_alt_name = Some(SubjectAltName {
                    critical,
                    names: san.general_names.iter().map(alt_name).collect(),
                });
            }
            ParsedExtension::BasicConstraints(bc) => {
                self.basic_constraints = Some(BasicConstraints {
                    critical,
                    ca: bc.ca,
                    path_len: bc.path_len_constraint,
                })
            }
            ParsedExtension::KeyUsage(ku) => {
                self.key_usage = Some(KeyUsage {
                    critical,
                    flags: ku.flags,
                })
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let oids = eku_oids(ext.value, eku);
                self.extended_key_usage = Some(ExtendedKeyUsage {
                    critical,
                    any: eku.any,
                    oids,
                });
            }
            ParsedExtension::SubjectKeyIdentifier(kid) => {
                self.subject_key_id = Some(SubjectKeyId {
                    critical,
                    id: kid.0.to_vec(),
                })
            }
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                self.authority_key_id = Some(AuthorityKeyId {
                    critical,
                    key_id: aki.key_identifier.as_ref().map(|k| k.0.to_vec()),
                    issuer: aki
                        .authority_cert_issuer
                        .as_deref()
                        .map(|names| names.iter().map(typed_general_name).collect())
                        .unwrap_or_default(),
                    serial: aki.authority_cert_serial.map(<[u8]>::to_vec),
                })
            }
            ParsedExtension::AuthorityInfoAccess(aia) => {
                let mut access = InfoAccess::default();
                if aia.accessdescs.is_empty() {
                    self.info_access_malformed = true;
                }
                for desc in &aia.accessdescs {
                    let method = crate::oids::dotted(&desc.access_method);
                    let (kind, value) = general_name_text(&desc.access_location);
                    match (method.as_str(), kind) {
                        (OCSP, "uri") => access.ocsp.push(value),
                        (CA_ISSUERS, "uri") => access.ca_issuers.push(value),
                        _ => access
                            .other
                            .push(format!("{method}: {}:{value}", general_name_label(kind))),
                    }
                }
                self.info_access = Some(access);
            }
            ParsedExtension::CRLDistributionPoints(points) => {
                for point in points.iter() {
                    if point.distribution_point.is_none() && point.crl_issuer.is_none() {
                        self.crl_distribution_point_incomplete = true;
                    }
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
            }
            ParsedExtension::CertificatePolicies(policies) => {
                self.policies.extend(policies.iter().map(|p| Policy {
                    oid: crate::oids::dotted(&p.policy_id),
                }));
            }
            ParsedExtension::NameConstraints(nc) => {
                let subtrees = |list: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
                    list.as_ref()
                        .map(|l| l.iter().map(|s| typed_general_name(&s.base)).collect())
                };
                self.name_constraints = Some(NameConstraints {
                    critical,
                    permitted: subtrees(&nc.permitted_subtrees),
                    excluded: subtrees(&nc.excluded_subtrees),
                });
            }
            ParsedExtension::PolicyMappings(mappings) => {
                self.policy_mappings
                    .extend(mappings.mappings.iter().map(|m| {
                        (
                            m.issuer_domain_policy.to_id_string(),
                            m.subject_domain_policy.to_id_string(),
                        )
                    }));
            }
            ParsedExtension::PolicyConstraints(_) => {
                self.policy_constraints_critical = Some(critical)
            }
            ParsedExtension::SCT(scts) => self.sct_count = Some(scts.len()),
            ParsedExtension::ParseError { error: e } => {
                state = ExtensionState::Malformed;
                error = Some(e.to_string());
                if oid == AIA {
                    self.info_access_malformed = true;
                }
                if critical {
                    self.unknown_critical.push(format!("{oid} (malformed)"));
                }
            }
            ParsedExtension::UnsupportedExtension { .. } | ParsedExtension::Unparsed => {
                if oid == TLS_FEATURE {
                    match tls_features(ext.value) {
                        Some(features) => self.must_staple = features.contains(&5),
                        None => {
                            state = ExtensionState::Malformed;
                            error = Some("TLS feature list does not decode".into());
                        }
                    }
                } else {
                    state = ExtensionState::Unknown;
                }
                if critical {
                    self.unknown_critical.push(oid.clone());
                }
            }
            // Decoded by x509-parser without a typed field here (policy mappings,
            // inhibitAnyPolicy, subject directory attributes, …).
            _ => {}
        }
        self.list.push(Extension {
            oid,
            critical,
            value: ext.value.to_vec(),
            state,
            error,
        });
    }

    /// The DNS names of the subjectAltName.
    pub(crate) fn dns_names(&self) -> impl Iterator<Item = &str> {
        self.alt_names()
            .filter(|n| n.kind == "dns")
            .map(|n| n.value.as_str())
    }

    /// The IP addresses of the subjectAltName.
    pub(crate) fn ip_addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.alt_names().filter_map(|n| n.ip)
    }

    fn alt_names(&self) -> impl Iterator<Item = &AltName> {
        self.subject_alt_name
            .iter()
            .flat_map(|san| san.names.iter())
    }

    /// The caIssuers URLs of authorityInfoAccess.
    pub(crate) fn ca_issuers(&self) -> &[String] {
        self.info_access
            .as_ref()
            .map(|a| a.ca_issuers.as_slice())
            .unwrap_or_default()
    }
}

fn alt_name(name: &GeneralName<'_>) -> AltName {
    let (kind, value) = general_name_text(name);
    let ip = match name {
        GeneralName::IPAddress(b) => match b.len() {
            4 => <[u8; 4]>::try_from(*b).ok().map(IpAddr::from),
            16 => <[u8; 16]>::try_from(*b).ok().map(IpAddr::from),
            _ => None,
        },
        _ => None,
    };
    AltName { kind, value, ip }
}

/// The EKU purposes in encoding order. x509-parser folds the well-known ones into booleans,
/// so the order is taken from the raw extension value.
fn eku_oids(value: &[u8], parsed: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<String> {
    if let Ok(list) = <Vec<der::asn1::ObjectIdentifier> as der::Decode>::from_der(value) {
        return list.iter().map(|o| o.to_string()).collect();
    }
    let flags = [
        (parsed.any, "2.5.29.37.0"),
        (parsed.server_auth, "1.3.6.1.5.5.7.3.1"),
        (parsed.client_auth, "1.3.6.1.5.5.7.3.2"),
        (parsed.code_signing, "1.3.6.1.5.5.7.3.3"),
        (parsed.email_protection, "1.3.6.1.5.5.7.3.4"),
        (parsed.time_stamping, "1.3.6.1.5.5.7.3.8"),
        (parsed.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
    ];
    let mut v: Vec<String> = flags
        .iter()
        .filter(|(f, _)| *f)
        .map(|(_, o)| (*o).to_owned())
        .collect();
    v.extend(parsed.other.iter().map(|o| o.to_id_string()));
    v
}

/// RFC 7633 TLS feature list: a SEQUENCE OF INTEGER.
pub(crate) fn tls_features(value: &[u8]) -> Option<Vec<u16>> {
    <Vec<u16> as der::Decode>::from_der(value).ok()
}
