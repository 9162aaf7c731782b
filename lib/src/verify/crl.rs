//! Certificate revocation lists given with `--crl`.

use std::path::Path;

use crate::error::{Error, Result};

/// A certificate revocation list given with `--crl`.
#[derive(Debug, Clone)]
pub struct Crl {
    /// Where it came from (file name).
    pub source: String,
    /// Its DER encoding.
    pub der: Vec<u8>,
    pub(crate) issuer_raw: Vec<u8>,
    pub(crate) issuer: String,
    /// `None`: no cRLNumber; `Some(critical)` otherwise.
    pub(crate) number_critical: Option<bool>,
}

impl Crl {
    /// Parses a DER CRL; `source` names it in errors and findings.
    pub fn from_der(der: Vec<u8>, source: &str) -> Result<Self> {
        use x509_parser::prelude::FromDer;
        webpki::BorrowedCertRevocationList::from_der(&der).map_err(|e| {
            Error::malformed(
                source,
                format!("not a usable CRL: {}", super::code::webpki_error_words(&e)),
            )
        })?;
        let (_, parsed) = x509_parser::revocation_list::CertificateRevocationList::from_der(&der)
            .map_err(|e| Error::malformed(source, format!("not a CRL: {e}")))?;
        let number_critical = parsed
            .extensions()
            .iter()
            .find(|e| e.oid.to_id_string() == "2.5.29.20")
            .map(|e| e.critical);
        Ok(Crl {
            source: source.to_owned(),
            issuer_raw: crate::x509::strip_sequence(parsed.issuer().as_raw()).to_vec(),
            issuer: crate::x509::Name::from_x509(parsed.issuer()).text,
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
        let bytes = crate::load::read_file(path, crate::load::InputKind::Crl)?;
        Self::from_bytes(&bytes, &name)
    }
}
