//! What the diagnosis needs to know about one certificate, decoded once with x509-parser
//! into owned plain data.

use std::net::IpAddr;

use rustls_pki_types::CertificateDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::{SubjectPublicKeyInfo, X509Name};

/// The OID of the caIssuers access method (RFC 5280 4.2.2.1).
const CA_ISSUERS: &str = "1.3.6.1.5.5.7.48.2";

/// A certificate's public key, as far as strength rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyFacts {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the algorithm OID.
    pub(crate) kind: String,
    /// Key size in bits (RSA modulus, EC field), when known.
    pub(crate) bits: Option<usize>,
    /// Named curve (`P-256`, …) or `explicit parameters`.
    pub(crate) curve: Option<String>,
}

impl std::fmt::Display for KeyFacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.curve, self.bits) {
            (Some(c), _) => write!(f, "{} {c}", self.kind),
            (None, Some(b)) => write!(f, "{}-{b}", self.kind),
            _ => write!(f, "{}", self.kind),
        }
    }
}

/// One certificate, decoded.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub(crate) der: CertificateDer<'static>,
    /// Subject Name contents (without the outer SEQUENCE header), as webpki compares them.
    pub(crate) subject_raw: Vec<u8>,
    /// Issuer Name contents.
    pub(crate) issuer_raw: Vec<u8>,
    pub(crate) subject: String,
    pub(crate) issuer: String,
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    /// 0 = v1, 2 = v3.
    pub(crate) version: u32,
    pub(crate) serial: Vec<u8>,
    pub(crate) sig_alg: String,
    pub(crate) key: KeyFacts,
    /// Full SubjectPublicKeyInfo DER.
    pub(crate) spki: Vec<u8>,
    /// (critical, cA, pathLen)
    pub(crate) basic_constraints: Option<(bool, bool, Option<u32>)>,
    /// (critical, keyCertSign, cRLSign, digitalSignature)
    pub(crate) key_usage: Option<(bool, bool, bool, bool)>,
    /// (critical, dotted OIDs, anyExtendedKeyUsage)
    pub(crate) eku: Option<(bool, Vec<String>, bool)>,
    pub(crate) ski: Option<(bool, Vec<u8>)>,
    /// (critical, keyIdentifier)
    pub(crate) aki: Option<(bool, Option<Vec<u8>>)>,
    /// SAN critical flag, when the extension is present.
    pub(crate) san_critical: Option<bool>,
    pub(crate) dns_names: Vec<String>,
    pub(crate) ip_names: Vec<IpAddr>,
    /// Other SAN entries, rendered (`email:…`, `URI:…`, `invalid`).
    pub(crate) other_names: Vec<String>,
    pub(crate) common_names: Vec<String>,
    pub(crate) ca_issuers: Vec<String>,
    pub(crate) aia_malformed: bool,
    /// (critical, both subtrees absent)
    pub(crate) name_constraints: Option<(bool, bool)>,
    pub(crate) policy_constraints_critical: Option<bool>,
    /// Critical extensions chainscope does not know.
    pub(crate) unknown_critical: Vec<String>,
}

impl Facts {
    /// Decodes `der`; `None` when x509-parser cannot parse it at all.
    pub(crate) fn parse(der: &CertificateDer<'static>) -> Option<Facts> {
        let (_, x) = X509Certificate::from_der(der.as_ref()).ok()?;
        Some(Self::from_x509(der.clone(), &x))
    }

    fn from_x509(der: CertificateDer<'static>, x: &X509Certificate<'_>) -> Facts {
        let mut f = Facts {
            der,
            subject_raw: name_contents(x.subject()).to_vec(),
            issuer_raw: name_contents(x.issuer()).to_vec(),
            subject: name_string(x.subject()),
            issuer: name_string(x.issuer()),
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            version: x.version().0,
            serial: x.raw_serial().to_vec(),
            sig_alg: x.signature_algorithm.algorithm.to_id_string(),
            key: key_facts(x.public_key()),
            spki: x.public_key().raw.to_vec(),
            basic_constraints: None,
            key_usage: None,
            eku: None,
            ski: None,
            aki: None,
            san_critical: None,
            dns_names: Vec::new(),
            ip_names: Vec::new(),
            other_names: Vec::new(),
            common_names: x
                .subject()
                .iter_common_name()
                .map(|cn| match cn.as_str() {
                    Ok(s) => s.to_owned(),
                    Err(_) => String::from_utf8_lossy(cn.as_slice()).into_owned(),
                })
                .collect(),
            ca_issuers: Vec::new(),
            aia_malformed: false,
            name_constraints: None,
            policy_constraints_critical: None,
            unknown_critical: Vec::new(),
        };
        for ext in x.extensions() {
            let critical = ext.critical;
            match ext.parsed_extension() {
                ParsedExtension::BasicConstraints(bc) => {
                    f.basic_constraints = Some((critical, bc.ca, bc.path_len_constraint))
                }
                ParsedExtension::KeyUsage(ku) => {
                    f.key_usage = Some((
                        critical,
                        ku.key_cert_sign(),
                        ku.crl_sign(),
                        ku.digital_signature(),
                    ))
                }
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    let mut oids = Vec::new();
                    let known = [
                        (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
                        (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
                        (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
                        (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
                        (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
                        (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
                    ];
                    for (set, oid) in known {
                        if set {
                            oids.push(oid.to_owned());
                        }
                    }
                    oids.extend(eku.other.iter().map(|o| o.to_id_string()));
                    if eku.any {
                        oids.push("2.5.29.37.0".to_owned());
                    }
                    f.eku = Some((critical, oids, eku.any));
                }
                ParsedExtension::SubjectKeyIdentifier(ki) => {
                    f.ski = Some((critical, ki.0.to_vec()))
                }
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    f.aki = Some((critical, aki.key_identifier.as_ref().map(|k| k.0.to_vec())))
                }
                ParsedExtension::SubjectAlternativeName(san) => {
                    f.san_critical = Some(critical);
                    for name in &san.general_names {
                        match name {
                            GeneralName::DNSName(d) => f.dns_names.push((*d).to_owned()),
                            GeneralName::IPAddress(b) => match ip_from_bytes(b) {
                                Some(ip) => f.ip_names.push(ip),
                                None => f.other_names.push(format!("IP:{}", hex(b))),
                            },
                            GeneralName::RFC822Name(e) => f.other_names.push(format!("email:{e}")),
                            GeneralName::URI(u) => f.other_names.push(format!("URI:{u}")),
                            GeneralName::DirectoryName(n) => {
                                f.other_names.push(format!("dirName:{}", name_string(n)))
                            }
                            GeneralName::Invalid(_, b) => f
                                .other_names
                                .push(format!("invalid:{}", String::from_utf8_lossy(b))),
                            _ => f.other_names.push("otherName".to_owned()),
                        }
                    }
                }
                ParsedExtension::AuthorityInfoAccess(aia) => {
                    if aia.accessdescs.is_empty() {
                        f.aia_malformed = true;
                    }
                    for ad in &aia.accessdescs {
                        if ad.access_method.to_id_string() == CA_ISSUERS {
                            if let GeneralName::URI(u) = ad.access_location {
                                f.ca_issuers.push(u.to_owned());
                            }
                        }
                    }
                }
                ParsedExtension::NameConstraints(nc) => {
                    f.name_constraints = Some((
                        critical,
                        nc.permitted_subtrees.is_none() && nc.excluded_subtrees.is_none(),
                    ))
                }
                ParsedExtension::PolicyConstraints(_) => {
                    f.policy_constraints_critical = Some(critical)
                }
                ParsedExtension::ParseError { .. } => {
                    if ext.oid.to_id_string() == "1.3.6.1.5.5.7.1.1" {
                        f.aia_malformed = true;
                    }
                    if critical {
                        f.unknown_critical
                            .push(format!("{} (malformed)", ext.oid.to_id_string()));
                    }
                }
                ParsedExtension::UnsupportedExtension { .. } if critical => {
                    f.unknown_critical.push(ext.oid.to_id_string())
                }
                _ => {}
            }
        }
        f
    }

    /// Whether subject and issuer are the same name (byte for byte).
    pub(crate) fn self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw
    }

    /// Whether the certificate claims to be a CA (basicConstraints cA).
    pub(crate) fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|(_, ca, _)| ca)
    }

    /// The names the certificate covers, for messages (`DNS:a, IP:1.2.3.4`).
    pub(crate) fn covered_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.dns_names.iter().map(|d| format!("DNS:{d}")).collect();
        v.extend(self.ip_names.iter().map(|ip| format!("IP:{ip}")));
        v
    }

    /// Verifies this certificate's signature with `issuer_spki` (full SPKI DER).
    pub(crate) fn signature_verifies_with(&self, issuer_spki: &[u8]) -> Result<(), String> {
        let (_, x) = X509Certificate::from_der(self.der.as_ref()).map_err(|e| e.to_string())?;
        let (_, spki) = SubjectPublicKeyInfo::from_der(issuer_spki).map_err(|e| e.to_string())?;
        x.verify_signature(Some(&spki)).map_err(|e| e.to_string())
    }
}

/// The contents of a DER SEQUENCE (skips the tag and length), or the input when it is not one.
pub(crate) fn strip_sequence(der: &[u8]) -> &[u8] {
    match <der::asn1::AnyRef<'_> as der::Decode>::from_der(der) {
        Ok(any) if der::Tagged::tag(&any) == der::Tag::Sequence => any.value(),
        _ => der,
    }
}

fn name_contents<'a>(name: &'a X509Name<'_>) -> &'a [u8] {
    strip_sequence(name.as_raw())
}

/// A Name rendered for people in RFC 4514 form (`CN=…,O=…`, as `show` prints it), or
/// `(empty)`.
pub(crate) fn name_string(name: &X509Name<'_>) -> String {
    let s = crate::name::DistinguishedName::from_x509(name).rfc4514;
    if s.is_empty() {
        "(empty)".to_owned()
    } else {
        s
    }
}

/// Renders the Name whose contents (no SEQUENCE header) are `contents`.
pub(crate) fn name_from_contents(contents: &[u8]) -> String {
    let der = crate::encoding::frame_sequence(contents);
    match X509Name::from_der(&der) {
        Ok((_, n)) => name_string(&n),
        Err(_) => format!("(unparseable name {})", hex(contents)),
    }
}

fn key_facts(spki: &SubjectPublicKeyInfo<'_>) -> KeyFacts {
    let alg = spki.algorithm.algorithm.to_id_string();
    let parsed = spki.parsed();
    match alg.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => KeyFacts {
            kind: "RSA".into(),
            bits: parsed.ok().map(|k| k.key_size()),
            curve: None,
        },
        "1.2.840.10045.2.1" => {
            let curve = match spki.algorithm.parameters.as_ref().map(|p| p.as_oid()) {
                Some(Ok(oid)) => match oid.to_id_string().as_str() {
                    "1.2.840.10045.3.1.7" => "P-256".to_owned(),
                    "1.3.132.0.34" => "P-384".to_owned(),
                    "1.3.132.0.35" => "P-521".to_owned(),
                    "1.2.840.10045.3.1.1" => "P-192".to_owned(),
                    "1.3.132.0.33" => "P-224".to_owned(),
                    other => other.to_owned(),
                },
                _ => "explicit parameters".to_owned(),
            };
            KeyFacts {
                kind: "EC".into(),
                bits: match parsed {
                    Ok(PublicKey::EC(p)) => Some(p.key_size()),
                    _ => None,
                },
                curve: Some(curve),
            }
        }
        "1.3.101.112" => KeyFacts {
            kind: "Ed25519".into(),
            bits: Some(256),
            curve: None,
        },
        "1.3.101.113" => KeyFacts {
            kind: "Ed448".into(),
            bits: Some(456),
            curve: None,
        },
        "1.2.840.10040.4.1" => KeyFacts {
            kind: "DSA".into(),
            bits: None,
            curve: None,
        },
        other => KeyFacts {
            kind: other.to_owned(),
            bits: None,
            curve: None,
        },
    }
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => Some(IpAddr::from(<[u8; 4]>::try_from(b).ok()?)),
        16 => Some(IpAddr::from(<[u8; 16]>::try_from(b).ok()?)),
        _ => None,
    }
}

/// Lower-case hex without separators.
pub(crate) fn hex(bytes: &[u8]) -> String {
    crate::encoding::hex(bytes, "")
}

/// Colon-separated upper-case hex (key identifiers, as openssl prints them).
pub(crate) fn colon_hex(bytes: &[u8]) -> String {
    crate::encoding::hex_upper(bytes, ":")
}

/// SHA-256 fingerprint of `bytes`: the same form as `show` and OpenSSL print (upper-case
/// hex, colon separated).
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    crate::encoding::sha256_fingerprint(bytes)
}

/// A well-known name for a signature algorithm OID (the names `show` uses).
pub(crate) fn sig_alg_name(oid: &str) -> &str {
    crate::oids::signature_name(oid).unwrap_or(oid)
}

/// A well-known name for an EKU OID.
pub(crate) fn eku_name(oid: &str) -> String {
    crate::oids::eku_name(oid).unwrap_or(oid).to_owned()
}
