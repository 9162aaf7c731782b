//! Decoding PKCS#10 certificate signing requests, so a CSR can be inspected before it is
//! signed: who it names, which names and extensions it asks for, its key, and whether its
//! self-signature verifies (proof the requester holds the key).
//!
//! ```
//! use chainscope::{load_path, CsrInfo, LoadOptions};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/csr/request.pem");
//! let bundle = load_path(path.as_ref(), &LoadOptions::default())?;
//! let csr = CsrInfo::decode(&bundle.csrs[0].der)?;
//! assert!(csr.signature_valid);
//! assert_eq!(csr.subject_alt_names.dns, vec!["device.hospital.local"]);
//! # Ok::<(), chainscope::Error>(())
//! ```

use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::cri_attributes::ParsedCriAttribute;
use x509_parser::prelude::FromDer;

use crate::cert::{
    public_key_info, AlgorithmInfo, BasicConstraintsInfo, ExtendedKeyUsageInfo, ExtensionFields,
    ExtensionInfo, KeyUsageInfo, PublicKeyInfo, SubjectAltNames,
};
use crate::error::{Error, Result};
use crate::name::DistinguishedName;

/// A decoded certificate signing request.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CsrInfo {
    /// PKCS#10 version as written (1).
    pub version: u32,
    /// The subject asked for.
    pub subject: DistinguishedName,
    /// The subject alternative names asked for.
    pub subject_alt_names: SubjectAltNames,
    /// The key to be certified.
    pub public_key: PublicKeyInfo,
    /// Algorithm of the request's self-signature.
    pub signature_algorithm: AlgorithmInfo,
    /// Whether the self-signature verifies with the enclosed key.
    pub signature_valid: bool,
    /// Why the self-signature did not verify, if it did not.
    pub signature_error: Option<String>,
    /// Requested basic constraints.
    pub basic_constraints: Option<BasicConstraintsInfo>,
    /// Requested key usage.
    pub key_usage: Option<KeyUsageInfo>,
    /// Requested extended key usage.
    pub extended_key_usage: Option<ExtendedKeyUsageInfo>,
    /// Every requested extension, with how it was understood.
    pub extensions: Vec<ExtensionInfo>,
    /// OIDs of attributes other than the extension request (challenge password, …).
    pub other_attributes: Vec<String>,
    /// SHA-256 of the request DER, uppercase hex with colons.
    pub sha256: String,
}

impl CsrInfo {
    /// Decodes a DER certificate signing request.
    pub fn decode(der: &[u8]) -> Result<Self> {
        let (_, csr) = X509CertificationRequest::from_der(der).map_err(|e| {
            Error::malformed(
                "certificate request",
                format!("does not decode: {}", crate::load::parse_error_text(&e)),
            )
        })?;
        let info = &csr.certification_request_info;
        let mut fields = ExtensionFields::default();
        let mut other_attributes = Vec::new();
        for attr in info.iter_attributes() {
            match attr.parsed_attribute() {
                ParsedCriAttribute::ExtensionRequest(req) => {
                    fields = ExtensionFields::decode(&req.extensions);
                }
                _ => other_attributes.push(attr.oid.to_id_string()),
            }
        }
        let signature = crate::x509::SignatureAlgorithm::from_identifier(&csr.signature_algorithm);
        let verified = csr.verify_signature();
        Ok(CsrInfo {
            version: info.version.0 + 1,
            subject: DistinguishedName::from_x509(&info.subject),
            subject_alt_names: fields.subject_alt_names,
            public_key: public_key_info(&crate::x509::PublicKey::from_spki(&info.subject_pki)),
            signature_algorithm: AlgorithmInfo {
                name: signature.name,
                oid: signature.oid,
            },
            signature_valid: verified.is_ok(),
            signature_error: verified.err().map(|e| e.to_string()),
            basic_constraints: fields.basic_constraints,
            key_usage: fields.key_usage,
            extended_key_usage: fields.extended_key_usage,
            extensions: fields.extensions,
            other_attributes,
            sha256: crate::encoding::sha256_fingerprint(der),
        })
    }
}
