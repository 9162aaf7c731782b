//! One decoded certificate: every field that `show`, `verify`'s rules and diagnosis and
//! `preflight` look at, decoded once with x509-parser into owned, typed data.
//!
//! [`CertificateInfo`](crate::CertificateInfo) (the `show` report) is rendered from this
//! model; verification judges it through [`policy`](crate::policy). Nothing here re-parses
//! DER after decoding, except [`Certificate::signature_verifies_with`].

pub(crate) mod extensions;
pub(crate) mod key;
pub(crate) mod signature;

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;
use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;
use x509_parser::x509::{SubjectPublicKeyInfo, X509Name};

use crate::name::DistinguishedName;

pub(crate) use extensions::Extensions;
pub(crate) use key::{Curve, KeyAlgorithm};
pub(crate) use signature::{Hash, SignatureAlgorithm};

/// A distinguished name, as compared and as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    /// The Name's contents without the outer SEQUENCE header: what rustls-webpki compares,
    /// byte for byte.
    pub(crate) raw: Vec<u8>,
    /// RFC 4514 text (`CN=…,O=…`), `(empty)` for an empty name.
    pub(crate) text: String,
    /// The attributes, for `show`.
    pub(crate) dn: DistinguishedName,
}

impl Name {
    pub(crate) fn from_x509(name: &X509Name<'_>) -> Name {
        let dn = DistinguishedName::from_x509(name);
        Name {
            raw: strip_sequence(name.as_raw()).to_vec(),
            text: if dn.rfc4514.is_empty() {
                "(empty)".to_owned()
            } else {
                dn.rfc4514.clone()
            },
            dn,
        }
    }

    /// The Name whose contents (no SEQUENCE header) are `contents`, as trust anchors keep
    /// it; one that does not decode keeps its bytes, has no attributes and says so in its
    /// text.
    pub(crate) fn from_contents(contents: &[u8]) -> Name {
        let der = crate::encoding::frame_sequence(contents);
        match X509Name::from_der(&der) {
            Ok((_, n)) => Name::from_x509(&n),
            Err(_) => Name {
                raw: contents.to_vec(),
                text: format!("(unparseable name {})", crate::encoding::hex(contents, "")),
                dn: DistinguishedName {
                    rfc4514: String::new(),
                    attributes: Vec::new(),
                },
            },
        }
    }

    /// Whether the name has no attribute at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

/// The subject public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PublicKey {
    pub(crate) algorithm: KeyAlgorithm,
    /// The algorithm's dotted OID.
    pub(crate) oid: String,
    /// The full SubjectPublicKeyInfo (DER).
    pub(crate) spki: Vec<u8>,
}

impl PublicKey {
    /// Decodes a SubjectPublicKeyInfo.
    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfo<'_>) -> PublicKey {
        PublicKey {
            algorithm: KeyAlgorithm::from_spki(spki),
            oid: crate::oids::dotted(&spki.algorithm.algorithm),
            spki: spki.raw.to_vec(),
        }
    }
}

/// One certificate, decoded.
#[derive(Debug, Clone)]
pub(crate) struct Certificate {
    pub(crate) der: CertificateDer<'static>,
    /// As encoded: 0 = v1, 2 = v3.
    pub(crate) version: u32,
    /// The serialNumber INTEGER's content octets (sign padding included).
    pub(crate) serial: Vec<u8>,
    /// The outer signatureAlgorithm.
    pub(crate) signature: SignatureAlgorithm,
    /// The TBSCertificate's signature field (RFC 5280 §4.1.1.2: must equal the outer one).
    #[allow(dead_code)] // read by catalogue rules
    pub(crate) tbs_signature: SignatureAlgorithm,
    pub(crate) subject: Name,
    pub(crate) issuer: Name,
    pub(crate) not_before: OffsetDateTime,
    pub(crate) not_after: OffsetDateTime,
    pub(crate) key: PublicKey,
    /// issuerUniqueID or subjectUniqueID present (RFC 5280 §4.1.2.8).
    #[allow(dead_code)] // read by catalogue rules
    pub(crate) unique_ids: bool,
    /// The subject's commonName values, in order.
    pub(crate) common_names: Vec<String>,
    pub(crate) extensions: Extensions,
    /// Whether notBefore and notAfter are encoded as UTCTime (else GeneralizedTime):
    /// RFC 5280 §4.1.2.5 demands UTCTime through 2049 and GeneralizedTime from 2050.
    pub(crate) validity_utc: (bool, bool),
}

impl Certificate {
    /// Decodes `der`; `None` when x509-parser cannot parse it at all.
    pub(crate) fn parse(der: &CertificateDer<'_>) -> Option<Certificate> {
        let (_, x) = X509Certificate::from_der(der.as_ref()).ok()?;
        Some(Self::from_x509(&x, der.as_ref()))
    }

    /// Decodes an already parsed certificate; `der` must be its encoding.
    pub(crate) fn from_x509(x: &X509Certificate<'_>, der: &[u8]) -> Certificate {
        let tbs = &x.tbs_certificate;
        Certificate {
            der: CertificateDer::from(der.to_vec()),
            version: x.version().0,
            serial: x.raw_serial().to_vec(),
            signature: SignatureAlgorithm::from_identifier(&x.signature_algorithm),
            tbs_signature: SignatureAlgorithm::from_identifier(&tbs.signature),
            subject: Name::from_x509(x.subject()),
            issuer: Name::from_x509(x.issuer()),
            // `time` arithmetic only, never x509-parser's ASN1Time addition, which panics
            // near year 9999 (x509-parser 0.18.1).
            not_before: x.validity().not_before.to_datetime(),
            not_after: x.validity().not_after.to_datetime(),
            key: PublicKey::from_spki(x.public_key()),
            unique_ids: tbs.issuer_uid.is_some() || tbs.subject_uid.is_some(),
            common_names: x
                .subject()
                .iter_common_name()
                .map(|cn| match cn.as_str() {
                    Ok(s) => s.to_owned(),
                    Err(_) => String::from_utf8_lossy(cn.as_slice()).into_owned(),
                })
                .collect(),
            extensions: Extensions::decode(x.extensions()),
            validity_utc: (
                x.validity().not_before.is_utctime(),
                x.validity().not_after.is_utctime(),
            ),
        }
    }

    /// notBefore, Unix seconds.
    pub(crate) fn not_before_unix(&self) -> i64 {
        self.not_before.unix_timestamp()
    }

    /// notAfter, Unix seconds.
    pub(crate) fn not_after_unix(&self) -> i64 {
        self.not_after.unix_timestamp()
    }

    /// Whether subject and issuer are the same name, byte for byte (RFC 5280 §6.1: a
    /// self-issued certificate).
    pub(crate) fn self_issued(&self) -> bool {
        self.subject.raw == self.issuer.raw
    }

    /// Whether the certificate is self-signed: self-issued, and its signature verifies with
    /// its own key (RFC 5280 §6.1; a self-issued certificate of a key rollover is not).
    pub(crate) fn self_signed(&self) -> bool {
        self.self_issued() && self.signature_verifies_with(&self.key.spki).is_ok()
    }

    /// Whether basicConstraints marks the certificate as a CA.
    pub(crate) fn is_ca(&self) -> bool {
        self.extensions.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// The names a TLS client matches, for messages: `DNS:a, IP:1.2.3.4`.
    pub(crate) fn covered_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .extensions
            .dns_names()
            .map(|d| format!("DNS:{d}"))
            .collect();
        v.extend(self.extensions.ip_addresses().map(|ip| format!("IP:{ip}")));
        v
    }

    /// Verifies this certificate's signature with `issuer_spki` (full SPKI DER).
    pub(crate) fn signature_verifies_with(&self, issuer_spki: &[u8]) -> Result<(), String> {
        let (_, x) = X509Certificate::from_der(self.der.as_ref())
            .map_err(|e| crate::load::parse_error_text(&e))?;
        let (_, spki) = SubjectPublicKeyInfo::from_der(issuer_spki)
            .map_err(|e| crate::load::parse_error_text(&e))?;
        x.verify_signature(Some(&spki))
            .map_err(|e| crate::load::x509_error_text(&e))
    }
}

/// The contents of a DER SEQUENCE (skips the tag and length), or the input when it is not one.
pub(crate) fn strip_sequence(der: &[u8]) -> &[u8] {
    match <der::asn1::AnyRef<'_> as der::Decode>::from_der(der) {
        Ok(any) if der::Tagged::tag(&any) == der::Tag::Sequence => any.value(),
        _ => der,
    }
}

/// The RFC 4514 text of the Name whose contents (no SEQUENCE header) are `contents`, as
/// trust anchors keep it.
pub(crate) fn name_text_from_contents(contents: &[u8]) -> String {
    Name::from_contents(contents).text
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}
