//! The report `chainscope show` renders: every certificate and request of an input decoded,
//! plus the relations of the certificates as a chain.

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use crate::cert::{rfc3339, CertificateInfo};
use crate::chain::ChainReport;
use crate::csr::CsrInfo;
use crate::error::{Error, Position, Result};
use crate::load::{Bundle, InputFormat};

/// One decoded input.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputReport {
    /// The input's name (path as given, or `<stdin>`).
    pub input: String,
    /// The format it was recognised as.
    pub format: InputFormat,
    /// The instant validity was evaluated at, RFC 3339.
    pub evaluated_at: String,
    /// The certificates, in input order.
    pub certificates: Vec<CertificateEntry>,
    /// Certificate signing requests, in input order.
    pub requests: Vec<RequestEntry>,
    /// How the certificates relate as a chain.
    pub chain: ChainReport,
    /// Blocks that could not be decoded and were skipped (with `keep_going`), one line each.
    pub skipped: Vec<String>,
}

/// A certificate with its place in the input.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CertificateEntry {
    /// 0-based index in the input's certificate list.
    pub index: usize,
    /// Block and line where it was found.
    pub position: Position,
    /// The decoded certificate.
    #[serde(flatten)]
    pub info: CertificateInfo,
}

/// A certificate signing request with its place in the input.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestEntry {
    /// 0-based index in the input's request list.
    pub index: usize,
    /// Block and line where it was found.
    pub position: Position,
    /// The decoded request.
    #[serde(flatten)]
    pub info: CsrInfo,
}

impl InputReport {
    /// Decodes everything in a loaded bundle, validity evaluated at `at`.
    pub fn from_bundle(bundle: &Bundle, at: OffsetDateTime) -> Result<Self> {
        let mut certificates = Vec::with_capacity(bundle.certs.len());
        for (index, cert) in bundle.certs.iter().enumerate() {
            let info = CertificateInfo::decode(&cert.der, at)
                .map_err(|e| at_position(e, bundle, cert.origin.position))?;
            certificates.push(CertificateEntry {
                index,
                position: cert.origin.position,
                info,
            });
        }
        let mut requests = Vec::with_capacity(bundle.csrs.len());
        for (index, csr) in bundle.csrs.iter().enumerate() {
            let info = CsrInfo::decode(&csr.der)
                .map_err(|e| at_position(e, bundle, csr.origin.position))?;
            requests.push(RequestEntry {
                index,
                position: csr.origin.position,
                info,
            });
        }
        let ders: Vec<CertificateDer<'_>> = bundle.certs.iter().map(|c| c.der.clone()).collect();
        Ok(InputReport {
            input: bundle.input.clone(),
            format: bundle.format,
            evaluated_at: rfc3339(at),
            certificates,
            requests,
            chain: ChainReport::analyze(&ders),
            skipped: bundle.skipped.iter().map(ToString::to_string).collect(),
        })
    }

    /// Decodes a list of certificates that did not come from a file (e.g. captured from a
    /// server), named `input`.
    pub fn from_certs(
        input: &str,
        certs: &[CertificateDer<'_>],
        at: OffsetDateTime,
    ) -> Result<Self> {
        let mut certificates = Vec::with_capacity(certs.len());
        for (index, der) in certs.iter().enumerate() {
            let position = Position {
                block: index + 1,
                line: None,
            };
            let info = CertificateInfo::decode(der, at).map_err(|e| Error::BadBlock {
                input: input.to_owned(),
                position,
                reason: e.to_string(),
            })?;
            certificates.push(CertificateEntry {
                index,
                position,
                info,
            });
        }
        Ok(InputReport {
            input: input.to_owned(),
            format: InputFormat::Der,
            evaluated_at: rfc3339(at),
            certificates,
            requests: Vec::new(),
            chain: ChainReport::analyze(certs),
            skipped: Vec::new(),
        })
    }
}

fn at_position(e: Error, bundle: &Bundle, position: Position) -> Error {
    Error::BadBlock {
        input: bundle.input.clone(),
        position,
        reason: e.to_string(),
    }
}

/// PEM text of certificates, one `CERTIFICATE` block each, LF line endings.
pub fn to_pem(certs: &[CertificateDer<'_>]) -> String {
    let mut out = String::new();
    for cert in certs {
        // Encoding into a String cannot fail for a byte slice; skip defensively if it does.
        if let Ok(block) =
            der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, cert.as_ref())
        {
            out.push_str(&block);
        }
    }
    out
}
