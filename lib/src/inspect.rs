//! The report `chainscope show` renders: every certificate and request of an input decoded,
//! plus the relations of the certificates as a chain.

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use crate::cert::CertificateInfo;
use crate::chain::ChainReport;
use crate::csr::CsrInfo;
use crate::error::{Error, Position, Result};
use crate::instant::rfc3339;
use crate::load::{Bundle, InputFormat, LoadedCert};

/// One decoded input.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
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
    /// For a directory: each regular file, with its certificates and their chain relations,
    /// or why it holds none. Empty for any other input.
    pub files: Vec<FileReport>,
}

/// One file of a directory input.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct FileReport {
    /// The file's path.
    pub file: String,
    /// Its certificates in file order, as indices into [`InputReport::certificates`] (a
    /// certificate an earlier file holds too points to that first occurrence).
    pub certificates: Vec<usize>,
    /// How the file's certificates relate as a chain; its indices count within
    /// `certificates`. `None` when the file holds none.
    pub chain: Option<ChainReport>,
    /// Why the file was passed over: it holds no certificate (a key, a request, an empty
    /// file). `None` for a file with certificates.
    pub note: Option<String>,
}

impl FileReport {
    fn of_bundle(bundle: &Bundle) -> Vec<FileReport> {
        bundle
            .files
            .iter()
            .map(|f| FileReport {
                file: f.input.clone(),
                certificates: f.certs.clone(),
                chain: (!f.certs.is_empty()).then(|| {
                    let ders: Vec<CertificateDer<'_>> = f
                        .certs
                        .iter()
                        .map(|&i| CertificateDer::from(bundle.certs[i].der.as_ref()))
                        .collect();
                    ChainReport::analyze(&ders)
                }),
                note: f.not_certificates.clone(),
            })
            .collect()
    }
}

/// A certificate with its place in the input.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CertificateEntry {
    /// 0-based index in the input's certificate list.
    pub index: usize,
    /// For a directory, the file it was found in (its first file when several hold it);
    /// `None` for any other input.
    pub file: Option<String>,
    /// Block and line where it was found (in `file` for a directory).
    pub position: Position,
    /// The decoded certificate.
    #[serde(flatten)]
    pub info: CertificateInfo,
}

/// A certificate signing request with its place in the input.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
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
                file: file_of(bundle, cert),
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
        Ok(InputReport {
            input: bundle.input.clone(),
            format: bundle.format,
            evaluated_at: rfc3339(at),
            certificates,
            requests,
            chain: analyze_bundle(bundle),
            skipped: bundle.skipped.iter().map(ToString::to_string).collect(),
            files: FileReport::of_bundle(bundle),
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
                file: None,
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
            files: Vec::new(),
        })
    }
}

/// The file a directory's certificate came from.
fn file_of(bundle: &Bundle, cert: &LoadedCert) -> Option<String> {
    (bundle.format == InputFormat::Directory).then(|| cert.origin.input.clone())
}

/// The chain relations of a bundle's certificates, borrowing their DER (no copy).
fn analyze_bundle(bundle: &Bundle) -> ChainReport {
    let ders: Vec<CertificateDer<'_>> = bundle
        .certs
        .iter()
        .map(|c| CertificateDer::from(c.der.as_ref()))
        .collect();
    ChainReport::analyze(&ders)
}

/// An [`InputReport`] that decodes each certificate and request only while it is being
/// serialized, so a bundle of any size is written with one decoded certificate in memory
/// at a time. It serializes to exactly the same document as [`InputReport::from_bundle`].
///
/// Loading has already parsed every certificate and request, so decoding cannot fail
/// here in practice; if it does, serialization fails with the same error text
/// `from_bundle` would give.
///
/// ```
/// use chainscope::inspect::{InputReport, StreamedReport};
/// use chainscope::{load_path, LoadOptions};
///
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/chain.pem");
/// let bundle = load_path(path.as_ref(), &LoadOptions::default())?;
/// let at = time::macros::datetime!(2030-01-01 00:00 UTC);
/// let streamed = serde_json::to_string(&StreamedReport::new(&bundle, at))?;
/// let built = serde_json::to_string(&InputReport::from_bundle(&bundle, at)?)?;
/// assert_eq!(streamed, built);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct StreamedReport<'a> {
    bundle: &'a Bundle,
    at: OffsetDateTime,
    chain: ChainReport,
}

impl<'a> StreamedReport<'a> {
    /// Prepares the report of `bundle` at instant `at`: the chain relations are worked out
    /// now, the certificates and requests are decoded as they are serialized.
    pub fn new(bundle: &'a Bundle, at: OffsetDateTime) -> Self {
        StreamedReport {
            bundle,
            at,
            chain: analyze_bundle(bundle),
        }
    }

    /// The blocks skipped while loading, one line each (as [`InputReport::skipped`]).
    pub fn skipped(&self) -> Vec<String> {
        self.bundle
            .skipped
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

impl serde::Serialize for StreamedReport<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        // Same fields, same order as the derived `InputReport` serialization.
        let mut report = serializer.serialize_struct("InputReport", 8)?;
        report.serialize_field("input", &self.bundle.input)?;
        report.serialize_field("format", &self.bundle.format)?;
        report.serialize_field("evaluated_at", &rfc3339(self.at))?;
        report.serialize_field("certificates", &LazyCertificates(self))?;
        report.serialize_field("requests", &LazyRequests(self))?;
        report.serialize_field("chain", &self.chain)?;
        report.serialize_field("skipped", &self.skipped())?;
        report.serialize_field("files", &FileReport::of_bundle(self.bundle))?;
        report.end()
    }
}

struct LazyCertificates<'r, 'a>(&'r StreamedReport<'a>);

impl serde::Serialize for LazyCertificates<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let bundle = self.0.bundle;
        let at = self.0.at;
        let mut seq = serializer.serialize_seq(Some(bundle.certs.len()))?;
        // Decoding (a signature check for every self-issued certificate) costs far more
        // than writing JSON, so chunks of certificates are decoded on all cores, then
        // written in order. Memory stays bounded by one chunk.
        let mut index = 0;
        for chunk in bundle.certs.chunks(DECODE_CHUNK) {
            for (info, cert) in decode_in_parallel(chunk, at).into_iter().zip(chunk) {
                let position = cert.origin.position;
                let info = info.map_err(|e| S::Error::custom(at_position(e, bundle, position)))?;
                seq.serialize_element(&CertificateEntry {
                    index,
                    file: file_of(bundle, cert),
                    position,
                    info,
                })?;
                index += 1;
            }
        }
        seq.end()
    }
}

/// Certificates decoded per round by [`StreamedReport`].
const DECODE_CHUNK: usize = 256;

/// Decodes `certs` in order, split over the available cores when there are enough of them
/// to pay for the threads.
fn decode_in_parallel(certs: &[LoadedCert], at: OffsetDateTime) -> Vec<Result<CertificateInfo>> {
    crate::parallel::in_parallel(certs.len(), |range| {
        certs[range]
            .iter()
            .map(|cert| CertificateInfo::decode(&cert.der, at))
            .collect()
    })
}

struct LazyRequests<'r, 'a>(&'r StreamedReport<'a>);

impl serde::Serialize for LazyRequests<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq as _};
        let bundle = self.0.bundle;
        let mut seq = serializer.serialize_seq(Some(bundle.csrs.len()))?;
        for (index, csr) in bundle.csrs.iter().enumerate() {
            let position = csr.origin.position;
            let info = CsrInfo::decode(&csr.der)
                .map_err(|e| S::Error::custom(at_position(e, bundle, position)))?;
            seq.serialize_element(&RequestEntry {
                index,
                position,
                info,
            })?;
        }
        seq.end()
    }
}

fn at_position(e: Error, bundle: &Bundle, position: Position) -> Error {
    Error::BadBlock {
        input: bundle.input.clone(),
        position,
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load_bytes, LoadOptions};

    #[test]
    fn streamed_report_equals_built_report_across_chunks_and_threads() {
        // 1,203 certificates: more than one decode chunk, split over worker threads.
        let chain = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/ecdsa/fullchain-with-root.pem"
        ))
        .expect("fixture readable");
        let mut pem = chain.repeat(401);
        pem.extend(
            b"-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n",
        );
        let bundle =
            load_bytes(&pem, "many.pem", &LoadOptions { keep_going: true }).expect("bundle loads");
        assert_eq!(bundle.certs.len(), 1_203);
        assert_eq!(bundle.skipped.len(), 1);
        let at = time::macros::datetime!(2030-06-01 00:00 UTC);
        let built = serde_json::to_string(&InputReport::from_bundle(&bundle, at).unwrap()).unwrap();
        let streamed = serde_json::to_string(&StreamedReport::new(&bundle, at)).unwrap();
        assert_eq!(built, streamed);
    }
}
