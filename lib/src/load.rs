//! Loading certificates from bytes, files, directories and standard input.
//!
//! The format is detected, never asked for: PEM bundles (any number of `CERTIFICATE`,
//! `TRUSTED CERTIFICATE`, `X509 CERTIFICATE`, `PKCS7` and `CERTIFICATE REQUEST` blocks, with
//! any text around them), single DER certificates, DER certificate requests, and PKCS#7
//! (`.p7b`) certificate bundles in DER or PEM. Order is preserved exactly as it appears in
//! the input — a chain file reads leaf first, then what the server sends — and duplicates
//! are kept, because they are findings.
//!
//! ```
//! use chainscope::load::{load_bytes, LoadOptions};
//!
//! let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/chain.pem"))?;
//! let bundle = load_bytes(&pem, "chain.pem", &LoadOptions::default())?;
//! assert_eq!(bundle.certs.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode, Encode};
use rustls_pki_types::CertificateDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;

use crate::error::{Error, Position, Result};

/// The name under which standard input is reported.
pub const STDIN_NAME: &str = "<stdin>";

/// Inputs larger than this are refused rather than read into memory (1 GiB).
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// The kinds of file chainscope reads, each with the most it reads of one. Every reader
/// goes through [`read_file`] (or the certificate loader, which applies the same limit
/// while it streams), so a path whose size reads as 0 — `/dev/zero`, a FIFO, procfs — is
/// refused when it passes its limit, not read until memory runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputKind {
    /// Certificates, bundles, trust stores and certificate requests: 1 GiB
    /// ([`MAX_INPUT_BYTES`]), files and standard input alike.
    Certificates,
    /// Certificate revocation lists: 256 MiB (the largest public CRLs are tens of MB).
    Crl,
    /// Private keys: 1 MiB (a 16384-bit RSA key in PEM is under 13 KiB).
    Key,
    /// Passphrase files: 64 KiB.
    Passphrase,
}

impl InputKind {
    /// The most bytes read from one input of this kind.
    pub const fn limit(self) -> u64 {
        match self {
            InputKind::Certificates => MAX_INPUT_BYTES,
            InputKind::Crl => 256 << 20,
            InputKind::Key => 1 << 20,
            InputKind::Passphrase => 64 << 10,
        }
    }
}

/// Reads a whole file of the given kind, failing with [`Error::TooLarge`] as soon as more
/// than [`InputKind::limit`] bytes arrive (the limit is enforced while reading, so devices
/// and pipes are bounded too). `-` is not special here.
///
/// Keys and CRLs are PEM or DER, so they are recognised on the way: a DER value is read as
/// far as its length says, and binary data that is neither (a NUL byte and no PEM marker in
/// the first 64 KiB) is refused there rather than read to the limit.
pub fn read_file(path: &Path, kind: InputKind) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(&name, e))?;
    if kind == InputKind::Passphrase {
        return read_bounded(file, &name, kind);
    }
    let limit = kind.limit();
    let too_large = || Error::TooLarge {
        input: name.clone(),
        limit,
    };
    let mut bytes = Vec::new();
    (&mut file)
        .take(PEM_SNIFF_BYTES.min(limit + 1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(&name, e))?;
    if (bytes.len() as u64) < PEM_SNIFF_BYTES {
        return match bytes.len() as u64 > limit {
            true => Err(too_large()),
            false => Ok(bytes),
        };
    }
    if let (Some(&0x30), Some(declared)) = (bytes.first(), declared_der_len(&bytes)) {
        if declared as u64 > limit {
            return Err(too_large());
        }
        if declared >= bytes.len() {
            let more = (declared + 1 - bytes.len()) as u64;
            (&mut file)
                .take(more)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io(&name, e))?;
            if bytes.len() <= declared {
                return Ok(bytes);
            }
        }
    }
    if !contains(&bytes, BEGIN_MARKER) && bytes.contains(&0) {
        return Err(Error::malformed(
            name,
            "neither PEM nor DER (binary data that is not one DER value)",
        ));
    }
    let rest = limit + 1 - (bytes.len() as u64).min(limit + 1);
    file.take(rest)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(&name, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a whole stream (standard input, an open file) within the limit of `kind`; `input`
/// names it in errors.
pub fn read_bounded(reader: impl Read, input: &str, kind: InputKind) -> Result<Vec<u8>> {
    let limit = kind.limit();
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(input, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            input: input.to_owned(),
            limit,
        });
    }
    Ok(bytes)
}

/// A reader that fails once more than `limit` bytes have been read through it (counting
/// from the start of the file, whatever seeks happened): the bound on inputs that are
/// streamed rather than read whole.
struct Bounded<R> {
    inner: R,
    position: u64,
    limit: u64,
}

/// The error a [`Bounded`] reader returns past its limit, carried inside an `io::Error`.
#[derive(Debug)]
struct LimitExceeded(u64);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "larger than {} bytes", self.0)
    }
}

impl std::error::Error for LimitExceeded {}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.position > self.limit {
            return Err(std::io::Error::other(LimitExceeded(self.limit)));
        }
        let room = usize::try_from(self.limit + 1 - self.position).unwrap_or(usize::MAX);
        let len = buf.len().min(room);
        let n = self.inner.read(&mut buf[..len])?;
        self.position += n as u64;
        if self.position > self.limit {
            return Err(std::io::Error::other(LimitExceeded(self.limit)));
        }
        Ok(n)
    }
}

impl<R: Seek> Seek for Bounded<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.position = self.inner.seek(pos)?;
        Ok(self.position)
    }
}

/// `e` as chainscope's error for `input`: [`Error::TooLarge`] when a [`Bounded`] reader
/// stopped it, [`Error::Io`] otherwise.
fn read_error(input: &str, e: std::io::Error) -> Error {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LimitExceeded>())
    {
        Some(LimitExceeded(limit)) => Error::TooLarge {
            input: input.to_owned(),
            limit: *limit,
        },
        None => Error::io(input, e),
    }
}

/// How lenient loading is.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LoadOptions {
    /// Skip blocks that do not decode (recording them in [`Bundle::skipped`]) instead of
    /// failing on the first one.
    pub keep_going: bool,
}

/// The container format an input was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputFormat {
    /// PEM text (possibly with other text around the blocks).
    Pem,
    /// A single DER certificate or certificate request.
    Der,
    /// A DER PKCS#7 / CMS `SignedData` certificate bundle (`.p7b`).
    Pkcs7,
    /// A directory of certificate files.
    Directory,
}

/// Where a loaded item came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Origin {
    /// The input's name (path as given, or `<stdin>`).
    pub input: String,
    /// Block index (1-based) and PEM line.
    pub position: Position,
}

/// A certificate as loaded: its exact DER bytes and where it came from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadedCert {
    /// The certificate's DER encoding, byte for byte as in the input.
    pub der: CertificateDer<'static>,
    /// Where it was found.
    pub origin: Origin,
}

/// A PKCS#10 certificate signing request as loaded.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LoadedCsr {
    /// The request's DER encoding.
    pub der: Vec<u8>,
    /// Where it was found.
    pub origin: Origin,
}

/// Everything loaded from one input.
#[derive(Debug)]
#[non_exhaustive]
pub struct Bundle {
    /// The input's name.
    pub input: String,
    /// The format it was recognised as.
    pub format: InputFormat,
    /// Certificates, in input order, duplicates kept.
    pub certs: Vec<LoadedCert>,
    /// Certificate signing requests, in input order.
    pub csrs: Vec<LoadedCsr>,
    /// Blocks that did not decode and were skipped (only with [`LoadOptions::keep_going`]).
    pub skipped: Vec<Error>,
    /// Labels of PEM blocks that are neither certificates nor requests (`PRIVATE KEY`,
    /// `X509 CRL`, …), in input order. They are not errors when certificates were found too.
    pub other_blocks: Vec<String>,
    /// For a directory: its regular files in name order, with the certificates each holds
    /// or why it holds none. Empty for any other input.
    pub files: Vec<DirFile>,
}

/// One regular file of a directory input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct DirFile {
    /// The file's path.
    pub input: String,
    /// Its certificates in file order, as indices into [`Bundle::certs`]: a certificate
    /// that an earlier file holds too (a hash link, `fullchain.pem` after `cert.pem`)
    /// points to that first occurrence.
    pub certs: Vec<usize>,
    /// Why the file was passed over although it is not broken: it holds no certificate (a
    /// key, a request, an empty file, a file in no certificate format). `None` for a file
    /// with certificates.
    pub not_certificates: Option<String>,
}

impl Bundle {
    fn new(input: &str, format: InputFormat) -> Self {
        Bundle {
            input: input.to_owned(),
            format,
            certs: Vec::new(),
            csrs: Vec::new(),
            skipped: Vec::new(),
            other_blocks: Vec::new(),
            files: Vec::new(),
        }
    }

    /// The certificates' DER encodings, in order.
    pub fn ders(&self) -> Vec<CertificateDer<'static>> {
        self.certs.iter().map(|c| c.der.clone()).collect()
    }

    /// Whether neither a certificate nor a request was found.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty() && self.csrs.is_empty()
    }

    /// Fails with a precise error when the bundle holds no certificate.
    ///
    /// Distinguishes "found a PRIVATE KEY block" from an empty input, and returns the first
    /// skipped block's error when every block was bad.
    pub fn require_certs(self) -> Result<Self> {
        if !self.certs.is_empty() {
            return Ok(self);
        }
        Err(self.nothing_found("CERTIFICATE"))
    }

    fn nothing_found(mut self, expected: &'static str) -> Error {
        if !self.skipped.is_empty() {
            return self.skipped.remove(0);
        }
        if !self.csrs.is_empty() && expected == "CERTIFICATE" {
            return Error::WrongPemLabel {
                input: self.input,
                found: "CERTIFICATE REQUEST".into(),
                expected,
            };
        }
        match self.other_blocks.into_iter().next() {
            Some(found) => Error::WrongPemLabel {
                input: self.input,
                found,
                expected,
            },
            None => Error::Empty {
                input: self.input,
                reason: "no certificate found".into(),
            },
        }
    }
}

/// Loads an input named on a command line: `-` is standard input, anything else a path
/// (file or directory).
pub fn load_input(arg: &str, options: &LoadOptions) -> Result<Bundle> {
    if arg == "-" {
        let bytes = read_bounded(std::io::stdin().lock(), STDIN_NAME, InputKind::Certificates)?;
        load_bytes(&bytes, STDIN_NAME, options)
    } else {
        load_path(Path::new(arg), options)
    }
}

/// Loads a file or a directory.
///
/// A directory yields every certificate in every regular file in it (sorted by file name,
/// symbolic links followed, identical certificates — such as the hash links of
/// `/etc/ssl/certs` — kept once), and [`Bundle::files`] says which file holds which.
/// Files that hold no certificate — keys, certificate requests, empty files, files in no
/// certificate format — are passed over with a note ([`DirFile::not_certificates`]);
/// broken certificate files are recorded in [`Bundle::skipped`].
pub fn load_path(path: &Path, options: &LoadOptions) -> Result<Bundle> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(&name, e))?;
    if meta.is_dir() {
        return load_dir(path, &name);
    }
    let limit = InputKind::Certificates.limit();
    if meta.is_file() && meta.len() > limit {
        return Err(Error::TooLarge { input: name, limit });
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(&name, e))?;
    // The size in the metadata is not trusted (devices, FIFOs and procfs report 0): every
    // read goes through the bound.
    let mut file = Bounded {
        inner: file,
        position: 0,
        limit,
    };
    let err = |e| read_error(&name, e);
    let mut head = Vec::new();
    (&mut file)
        .take(PEM_SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(err)?;
    if (head.len() as u64) < PEM_SNIFF_BYTES {
        // The whole file.
        return load_bytes(&head, &name, options);
    }
    // A large file. DER by its structure first: one DER element whose length covers the
    // file is DER, whatever its bytes spell ("-----BEGIN " inside a certificate). Only the
    // bytes it announces are read.
    if let (Some(&0x30), Some(declared)) = (head.first(), declared_der_len(&head)) {
        if declared as u64 > limit {
            return Err(Error::TooLarge { input: name, limit });
        }
        if declared >= head.len() {
            let mut bytes = head;
            let more = (declared + 1 - bytes.len()) as u64;
            (&mut file)
                .take(more)
                .read_to_end(&mut bytes)
                .map_err(err)?;
            if bytes.len() <= declared {
                return load_der(&bytes, &name);
            }
            head = bytes;
        }
    }
    // PEM is read as a stream: a large bundle is never held in memory twice (file text and
    // certificates), and text with a BEGIN marker further on is found without holding it.
    // PEM is text (RFC 7468): a NUL byte before any marker means this is no PEM file.
    if !contains(&head, BEGIN_MARKER) && head.contains(&0) {
        return Err(Error::UnrecognizedFormat { input: name });
    }
    drop(head);
    file.seek(SeekFrom::Start(0)).map_err(err)?;
    load_pem(file, &name, options).map_err(|e| match e {
        Error::Io { input, source } => read_error(&input, source),
        other => other,
    })
}

/// How much of a file is looked at for a PEM marker before it is read as a stream.
const PEM_SNIFF_BYTES: u64 = 64 * 1024;

/// Loads certificates from a file or directory and returns just their DER encodings,
/// failing if there are none.
pub fn load_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    Ok(load_path(path, &LoadOptions::default())?
        .require_certs()?
        .ders())
}

fn load_dir(path: &Path, name: &str) -> Result<Bundle> {
    let mut entries = std::fs::read_dir(path)
        .map_err(|e| Error::io(name, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect::<Vec<_>>();
    entries.sort();
    let mut bundle = Bundle::new(name, InputFormat::Directory);
    let mut seen = std::collections::HashMap::new();
    for entry in entries {
        // `metadata` follows symbolic links; dangling links and sub-directories are skipped.
        match std::fs::metadata(&entry) {
            Ok(meta) if meta.is_file() => {}
            _ => continue,
        }
        let mut file = DirFile {
            input: entry.display().to_string(),
            certs: Vec::new(),
            not_certificates: None,
        };
        let options = LoadOptions { keep_going: true };
        match load_path(&entry, &options) {
            Ok(found) if found.certs.is_empty() && found.skipped.is_empty() => {
                file.not_certificates = Some(match found.other_blocks.first() {
                    _ if !found.csrs.is_empty() => {
                        "holds a certificate request, not a certificate".to_owned()
                    }
                    Some(label) => format!("holds a {label} block, not a certificate"),
                    None => "holds no certificate".to_owned(),
                });
            }
            Ok(found) => {
                bundle.skipped.extend(found.skipped);
                for cert in found.certs {
                    let next = bundle.certs.len();
                    let index = *seen.entry(cert.der.as_ref().to_vec()).or_insert(next);
                    if index == next {
                        bundle.certs.push(cert);
                    }
                    file.certs.push(index);
                }
            }
            Err(e) => match not_a_certificate_file(&e) {
                Some(reason) => file.not_certificates = Some(reason),
                None => bundle.skipped.push(e),
            },
        }
        bundle.files.push(file);
    }
    if bundle.certs.is_empty() {
        return Err(Error::Empty {
            input: name.to_owned(),
            reason: "directory holds no certificate file".into(),
        });
    }
    Ok(bundle)
}

/// Why a file of a directory holds no certificate, when that is all that is wrong with it:
/// it is a key or another kind of PEM block, empty, or in no certificate format at all.
/// Broken certificate files (bad blocks, truncated DER) are errors, not notes.
fn not_a_certificate_file(e: &Error) -> Option<String> {
    match e {
        Error::WrongPemLabel { found, .. } => {
            Some(format!("holds a {found} block, not a certificate"))
        }
        Error::Empty { reason, .. } if reason == "empty input" => Some("empty file".into()),
        Error::Empty { reason, .. } => Some(reason.clone()),
        Error::UnrecognizedFormat { .. } => Some("not PEM, DER or PKCS#7".into()),
        _ => None,
    }
}

/// Loads certificates (and certificate requests) from bytes whose format is detected.
///
/// `input` names the source in errors and in each item's [`Origin`].
pub fn load_bytes(bytes: &[u8], input: &str, options: &LoadOptions) -> Result<Bundle> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Empty {
            input: input.to_owned(),
            reason: if bytes.is_empty() {
                "empty input".into()
            } else {
                "input holds only whitespace".into()
            },
        });
    }
    // DER by its structure first: a DER certificate may hold the bytes "-----BEGIN " (in a
    // name, an extension), and PEM text can never frame as one DER element (it is ASCII, so
    // its second byte is a short-form length under 128, and a PEM block is longer).
    if bytes.first() == Some(&0x30) && declared_der_len(bytes) == Some(bytes.len()) {
        return load_der(bytes, input);
    }
    if contains(bytes, BEGIN_MARKER) {
        return load_pem(Cursor::new(bytes), input, options);
    }
    if bytes.first() == Some(&0x30) {
        return load_der(bytes, input);
    }
    Err(Error::UnrecognizedFormat {
        input: input.to_owned(),
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What a DER blob turned out to be.
enum DerKind {
    Certificate(Vec<u8>),
    Request(Vec<u8>),
    Pkcs7(Vec<Vec<u8>>),
}

/// Classifies one DER blob; `Err` carries the reason it is none of the known kinds.
fn classify_der(bytes: &[u8]) -> std::result::Result<DerKind, String> {
    if let Some(declared) = declared_der_len(bytes) {
        if declared > bytes.len() {
            return Err(format!(
                "truncated DER at byte {} of {declared}",
                bytes.len()
            ));
        }
    }
    let cert_error = match X509Certificate::from_der(bytes) {
        Ok(([], _)) => return Ok(DerKind::Certificate(bytes.to_vec())),
        Ok((rest, _)) => format!(
            "{} bytes of trailing data after the certificate",
            rest.len()
        ),
        Err(e) => parse_error_text(&e),
    };
    if let Ok(certs) = parse_pkcs7(bytes) {
        return Ok(DerKind::Pkcs7(certs));
    }
    if let Ok((rest, _)) = X509CertificationRequest::from_der(bytes) {
        if rest.is_empty() {
            return Ok(DerKind::Request(bytes.to_vec()));
        }
    }
    Err(format!("not a valid certificate ({cert_error})"))
}

/// The total length (header plus content) an outer DER TLV announces.
fn declared_der_len(bytes: &[u8]) -> Option<usize> {
    let mut reader = der::SliceReader::new(bytes).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    let header_len = usize::try_from(header.encoded_len().ok()?).ok()?;
    let body_len = usize::try_from(header.length).ok()?;
    header_len.checked_add(body_len)
}

fn load_der(bytes: &[u8], input: &str) -> Result<Bundle> {
    let declared = declared_der_len(bytes);
    match classify_der(bytes) {
        Ok(kind) => {
            let mut bundle = Bundle::new(input, InputFormat::Der);
            let mut block = 0;
            let mut origin = || {
                block += 1;
                Origin {
                    input: input.to_owned(),
                    position: Position { block, line: None },
                }
            };
            match kind {
                DerKind::Certificate(der) => bundle.certs.push(LoadedCert {
                    der: CertificateDer::from(der),
                    origin: origin(),
                }),
                DerKind::Request(der) => bundle.csrs.push(LoadedCsr {
                    der,
                    origin: origin(),
                }),
                DerKind::Pkcs7(certs) if certs.is_empty() => {
                    return Err(Error::Empty {
                        input: input.to_owned(),
                        reason: "PKCS#7 bundle holds no certificate".into(),
                    })
                }
                DerKind::Pkcs7(certs) => {
                    bundle.format = InputFormat::Pkcs7;
                    for der in certs {
                        bundle.certs.push(LoadedCert {
                            der: CertificateDer::from(der),
                            origin: origin(),
                        });
                    }
                }
            }
            Ok(bundle)
        }
        Err(reason) => match declared {
            Some(declared) if declared > bytes.len() => Err(Error::TruncatedDer {
                input: input.to_owned(),
                available: bytes.len(),
                declared,
            }),
            // Only something that at least frames as one DER element is called DER.
            Some(declared) if declared == bytes.len() => Err(Error::malformed(input, reason)),
            _ => Err(Error::UnrecognizedFormat {
                input: input.to_owned(),
            }),
        },
    }
}

/// A buffered reader that counts the bytes and newlines consumed through it, so blocks
/// read from a stream are reported with their lines, and finds the next PEM BEGIN marker.
struct Lines<R> {
    inner: BufReader<R>,
    offset: u64,
    newlines: usize,
}

const BEGIN_MARKER: &[u8] = b"-----BEGIN ";

impl<R: Read + Seek> Lines<R> {
    /// Moves to the next `-----BEGIN ` marker; returns its offset and 1-based line.
    fn next_begin(&mut self) -> std::io::Result<Option<(u64, usize)>> {
        let mut matched = 0usize;
        loop {
            let (used, found) = {
                let buf = self.inner.fill_buf()?;
                if buf.is_empty() {
                    return Ok(None);
                }
                let mut used = buf.len();
                let mut found = false;
                for (i, &b) in buf.iter().enumerate() {
                    matched = if b == BEGIN_MARKER[matched] {
                        matched + 1
                    } else if b == b'-' {
                        // A sixth dash keeps the last five; a dash after "-----B…" starts over.
                        if matched == 5 {
                            5
                        } else {
                            1
                        }
                    } else {
                        0
                    };
                    if b == b'\n' {
                        self.newlines += 1;
                    }
                    if matched == BEGIN_MARKER.len() {
                        used = i + 1;
                        found = true;
                        break;
                    }
                }
                (used, found)
            };
            self.inner.consume(used);
            self.offset += used as u64;
            if found {
                let back = BEGIN_MARKER.len() as u64;
                // Usually inside the buffer, so nothing is read again.
                self.inner.seek_relative(-(back as i64))?;
                self.offset -= back;
                return Ok(Some((self.offset, self.newlines + 1)));
            }
        }
    }

    /// Returns to an earlier position on a known line.
    fn rewind_to(&mut self, offset: u64, newlines: usize) -> std::io::Result<()> {
        self.inner.seek(SeekFrom::Start(offset))?;
        self.offset = offset;
        self.newlines = newlines;
        Ok(())
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let buf = self.inner.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let amt = amt.min(buf.len());
            self.newlines += buf[..amt].iter().filter(|&&b| b == b'\n').count();
        }
        self.inner.consume(amt);
        self.offset += amt as u64;
    }
}

impl<R: Read + Seek> Seek for Lines<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match pos {
            SeekFrom::Current(0) => Ok(self.offset),
            other => {
                // Only the position query above is used by the PEM reader.
                let offset = self.inner.seek(other)?;
                self.offset = offset;
                Ok(offset)
            }
        }
    }

    fn stream_position(&mut self) -> std::io::Result<u64> {
        Ok(self.offset)
    }
}

/// Reads every PEM block of a stream, with its index and line. The text is never held in
/// memory as a whole, so a file can be read without a copy of it beside the certificates.
fn load_pem<R: Read + Seek>(reader: R, input: &str, options: &LoadOptions) -> Result<Bundle> {
    let mut bundle = Bundle::new(input, InputFormat::Pem);
    let mut lines = Lines {
        inner: BufReader::with_capacity(64 * 1024, reader),
        offset: 0,
        newlines: 0,
    };
    let io = |e: std::io::Error| Error::io(input, e);
    let mut block = 0usize;
    // Once a block has run into the end of the input without an END line, no later block
    // can find one either: they are reported without reading to the end again (which made
    // a file of many unterminated blocks, such as PEM escaped inside JSON, quadratic).
    let mut unterminated = false;
    while let Some((begin, line)) = lines.next_begin().map_err(io)? {
        block += 1;
        let position = Position {
            block,
            line: Some(line),
        };
        let bad = |reason: String| Error::BadBlock {
            input: input.to_owned(),
            position,
            reason,
        };
        let read = if unterminated {
            lines.consume(BEGIN_MARKER.len());
            Err(x509_parser::error::PEMError::IncompletePEM)
        } else {
            Pem::read(&mut lines)
        };
        let outcome = match read {
            Ok((pem, _)) => pem_block(&mut bundle, pem, input, position, bad),
            Err(x509_parser::error::PEMError::IOError(e)) => return Err(io(e)),
            Err(x509_parser::error::PEMError::IncompletePEM) if unterminated => Err(bad(
                pem_error_text(&x509_parser::error::PEMError::IncompletePEM),
            )),
            Err(e) => {
                unterminated = matches!(e, x509_parser::error::PEMError::IncompletePEM);
                // Resume after the faulty BEGIN marker so one bad block does not hide the
                // rest (a block without END would otherwise swallow the next one).
                lines.rewind_to(begin + 1, line - 1).map_err(io)?;
                Err(bad(pem_error_text(&e)))
            }
        };
        if let Err(e) = outcome {
            if options.keep_going {
                bundle.skipped.push(e);
            } else {
                return Err(e);
            }
        }
    }
    if block == 0 {
        return Err(Error::UnrecognizedFormat {
            input: input.to_owned(),
        });
    }
    if bundle.is_empty() {
        return Err(bundle.nothing_found("CERTIFICATE"));
    }
    Ok(bundle)
}

fn pem_error_text(e: &x509_parser::error::PEMError) -> String {
    use x509_parser::error::PEMError;
    match e {
        PEMError::IncompletePEM => "PEM block has no END line".into(),
        PEMError::Base64DecodeError => "PEM block's base64 does not decode".into(),
        PEMError::InvalidHeader => "malformed PEM BEGIN line".into(),
        other => format!("unreadable PEM block: {other}"),
    }
}

fn pem_block(
    bundle: &mut Bundle,
    pem: Pem,
    input: &str,
    position: Position,
    bad: impl Fn(String) -> Error,
) -> Result<()> {
    let origin = || Origin {
        input: input.to_owned(),
        position,
    };
    match pem.label.as_str() {
        "CERTIFICATE" | "X509 CERTIFICATE" => {
            let der = match classify_der(&pem.contents) {
                Ok(DerKind::Certificate(der)) => der,
                Ok(_) => return Err(bad("CERTIFICATE block holds something else".into())),
                Err(reason) => return Err(bad(reason)),
            };
            bundle.certs.push(LoadedCert {
                der: CertificateDer::from(der),
                origin: origin(),
            });
        }
        "TRUSTED CERTIFICATE" => {
            // OpenSSL's trusted form: the certificate followed by its trust settings.
            let (rest, _) = X509Certificate::from_der(&pem.contents).map_err(|e| {
                bad(format!(
                    "not a valid certificate ({})",
                    parse_error_text(&e)
                ))
            })?;
            let len = pem.contents.len() - rest.len();
            bundle.certs.push(LoadedCert {
                der: CertificateDer::from(pem.contents[..len].to_vec()),
                origin: origin(),
            });
        }
        "PKCS7" | "CMS" | "PKCS #7 SIGNED DATA" => {
            let certs = parse_pkcs7(&pem.contents).map_err(&bad)?;
            if certs.is_empty() {
                return Err(bad("PKCS#7 bundle holds no certificate".into()));
            }
            for (i, der) in certs.into_iter().enumerate() {
                let mut origin = origin();
                origin.position.block += i;
                bundle.certs.push(LoadedCert {
                    der: CertificateDer::from(der),
                    origin,
                });
            }
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            match X509CertificationRequest::from_der(&pem.contents) {
                Ok(([], _)) => bundle.csrs.push(LoadedCsr {
                    der: pem.contents,
                    origin: origin(),
                }),
                Ok(_) => return Err(bad("trailing data after the certificate request".into())),
                Err(e) => {
                    return Err(bad(format!(
                        "not a valid certificate request ({})",
                        parse_error_text(&e)
                    )))
                }
            }
        }
        other => bundle.other_blocks.push(other.to_owned()),
    }
    Ok(())
}

/// x509-parser's error in plain words: its nom wrapper prints Debug forms such as
/// `Parsing Error: Der(InvalidLength)`.
pub(crate) fn parse_error_text(e: &x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    use x509_parser::nom::Err;
    match e {
        Err::Incomplete(_) => "it ends before its DER structure does".into(),
        Err::Error(inner) | Err::Failure(inner) => x509_error_text(inner),
    }
}

/// x509-parser's error in plain words (the one place its errors are turned into text).
pub(crate) fn x509_error_text(e: &x509_parser::error::X509Error) -> String {
    use x509_parser::error::X509Error;
    match e {
        X509Error::Der(ber) => format!("malformed DER: {}", ber_error_text(ber)),
        X509Error::NomError(_) => "malformed DER".into(),
        other => other.to_string(),
    }
}

/// An ASN.1 decoding error of x509-parser (asn1-rs) in words. Its own messages print Debug
/// forms: `Unexpected Tag (expected: Some(Tag(16)), actual: Tag(2))`.
pub(crate) fn ber_error_text(e: &x509_parser::asn1_rs::Error) -> String {
    use x509_parser::asn1_rs::{DerConstraint, Error as E};
    match e {
        E::UnexpectedTag {
            expected: Some(expected),
            actual,
        } => format!(
            "expected {}, found {}",
            tag_name(expected.0),
            tag_name(actual.0)
        ),
        E::UnexpectedTag {
            expected: None,
            actual,
        } => format!("unexpected {}", tag_name(actual.0)),
        E::UnexpectedClass { .. } => "a value of the wrong ASN.1 class (tag)".into(),
        E::UnknownTag(tag) => format!("unknown ASN.1 tag number {tag}"),
        E::InvalidValue { tag, .. } => format!("invalid {} value", tag_name(tag.0)),
        E::InvalidLength => "invalid length".into(),
        E::InvalidTag => "invalid tag".into(),
        E::Incomplete(_) => "it ends before its DER structure does".into(),
        E::IndefiniteLengthUnexpected => "indefinite length (not allowed in DER)".into(),
        E::DerConstraintFailed(c) => match c {
            DerConstraint::IndefiniteLength => "indefinite length (not allowed in DER)".into(),
            DerConstraint::Constructed => {
                "a constructed value where DER needs a primitive one".into()
            }
            DerConstraint::NotConstructed => {
                "a primitive value where DER needs a constructed one".into()
            }
            DerConstraint::MissingTimeZone => "a time without its time zone".into(),
            DerConstraint::MissingSeconds => "a time without seconds".into(),
            DerConstraint::UnusedBitsNotZero => {
                "a BIT STRING whose unused bits are not zero".into()
            }
            DerConstraint::InvalidBoolean => "a BOOLEAN that is neither 0x00 nor 0xFF".into(),
            DerConstraint::IntegerEmpty => "an empty INTEGER".into(),
            DerConstraint::IntegerLeadingZeroes => "an INTEGER with leading zero bytes".into(),
            DerConstraint::IntegerLeadingFF => "an INTEGER with leading 0xFF bytes".into(),
        },
        E::NomError(_) => "malformed".into(),
        // The remaining variants have plain-word messages of their own.
        other => other.to_string(),
    }
}

/// The name of a universal ASN.1 tag number (X.680 §8.4).
fn tag_name(tag: u32) -> String {
    let name = match tag {
        1 => "a BOOLEAN",
        2 => "an INTEGER",
        3 => "a BIT STRING",
        4 => "an OCTET STRING",
        5 => "a NULL",
        6 => "an OBJECT IDENTIFIER",
        10 => "an ENUMERATED",
        12 => "a UTF8String",
        16 => "a SEQUENCE",
        17 => "a SET",
        19 => "a PrintableString",
        20 => "a TeletexString",
        22 => "an IA5String",
        23 => "a UTCTime",
        24 => "a GeneralizedTime",
        30 => "a BMPString",
        n => return format!("tag {n}"),
    };
    name.into()
}

/// PKCS#7 `ContentInfo`, read just far enough to reach the certificates.
#[derive(der::Sequence)]
struct ContentInfo<'a> {
    content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    content: AnyRef<'a>,
}

/// PKCS#7 / CMS `SignedData` (RFC 5652 §5.1). The certificate set is read as a plain list
/// so the order in the file is kept: a DER `SET OF` decoder would sort it.
#[derive(der::Sequence)]
struct SignedData<'a> {
    version: AnyRef<'a>,
    digest_algorithms: AnyRef<'a>,
    encap_content_info: AnyRef<'a>,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    certificates: Option<Vec<AnyRef<'a>>>,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    crls: Option<Vec<AnyRef<'a>>>,
    signer_infos: AnyRef<'a>,
}

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// The certificates of a DER PKCS#7 `SignedData` bundle, in file order. Entries that are
/// not plain certificates (attribute certificates, `[0]`-tagged choices) are left out.
fn parse_pkcs7(bytes: &[u8]) -> std::result::Result<Vec<Vec<u8>>, String> {
    let info = ContentInfo::from_der(bytes).map_err(|e| format!("not PKCS#7 ({e})"))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(format!(
            "PKCS#7 content type {} is not signedData",
            info.content_type
        ));
    }
    let signed: SignedData<'_> = info
        .content
        .decode_as()
        .map_err(|e| format!("PKCS#7 signedData does not decode ({e})"))?;
    let mut out = Vec::new();
    for entry in signed.certificates.unwrap_or_default() {
        if der::Tagged::tag(&entry) != der::Tag::Sequence {
            continue;
        }
        let der = entry
            .to_der()
            .map_err(|e| format!("PKCS#7 certificate entry does not encode ({e})"))?;
        X509Certificate::from_der(&der).map_err(|e| {
            format!(
                "PKCS#7 holds an invalid certificate ({})",
                parse_error_text(&e)
            )
        })?;
        out.push(der);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unterminated_block_is_reported_with_its_line() {
        // A good certificate, then PEM escaped inside JSON: BEGIN markers mid-line and no
        // END line anywhere after them.
        let good = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/rsa/leaf.pem"
        ))
        .unwrap();
        let mut text = good.clone();
        for i in 0..50 {
            text.push_str(&format!(
                "{{\"pem\": \"-----BEGIN CERTIFICATE-----\\nMIIB{i}\\n-----END CERTIFICATE-----\"}}\n"
            ));
        }
        let bundle =
            load_bytes(text.as_bytes(), "j.json", &LoadOptions { keep_going: true }).unwrap();
        assert_eq!(bundle.certs.len(), 1);
        assert_eq!(bundle.skipped.len(), 50);
        let first_line = good.lines().count() + 1;
        for (i, e) in bundle.skipped.iter().enumerate() {
            assert_eq!(
                e.to_string(),
                format!(
                    "j.json: block {} (line {}): PEM block has no END line",
                    i + 2,
                    first_line + i
                )
            );
        }
    }

    #[test]
    fn empty_input_is_reported_as_empty() {
        let err = load_bytes(b"", "e.pem", &LoadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "e.pem: empty input");
    }

    #[test]
    fn binary_garbage_is_not_pem_der_or_pkcs7() {
        let err = load_bytes(&[0x01, 0x02, 0x03], "x.bin", &LoadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "x.bin: not PEM, DER or PKCS#7");
    }

    #[test]
    fn der_header_longer_than_input_is_truncated_der() {
        // SEQUENCE announcing 900 content bytes with only 3 present.
        let bytes = [0x30, 0x82, 0x03, 0x84, 0x01, 0x02, 0x03];
        let err = load_bytes(&bytes, "leaf.der", &LoadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "leaf.der: truncated DER at byte 7 of 904");
    }

    #[test]
    fn private_key_block_is_named() {
        let pem = b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
        let err = load_bytes(pem, "server.key", &LoadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "server.key: found a PRIVATE KEY block, expected CERTIFICATE"
        );
    }

    #[test]
    fn bad_block_names_index_and_line() {
        let pem = b"hello\n\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        let err = load_bytes(pem, "b.pem", &LoadOptions::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("b.pem: block 1 (line 3): "), "{text}");
    }

    #[test]
    fn read_bounded_refuses_one_byte_over_the_limit() {
        let limit = InputKind::Passphrase.limit() as usize;
        let ok = read_bounded(Cursor::new(vec![b'a'; limit]), "p", InputKind::Passphrase);
        assert_eq!(ok.unwrap().len(), limit);
        let err = read_bounded(
            Cursor::new(vec![b'a'; limit + 1]),
            "p",
            InputKind::Passphrase,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "p: larger than 64 KiB");
    }

    #[test]
    fn the_bounded_reader_stops_a_stream_at_its_limit() {
        let mut reader = Bounded {
            inner: std::io::repeat(b'x'),
            position: 0,
            limit: 1000,
        };
        let mut sink = Vec::new();
        let e = reader.read_to_end(&mut sink).unwrap_err();
        assert!(sink.len() <= 1001, "{}", sink.len());
        let err = read_error("stream", e);
        assert!(matches!(err, Error::TooLarge { limit: 1000, .. }), "{err}");
        assert_eq!(err.to_string(), "stream: larger than 1000 bytes");
    }

    #[test]
    fn der_is_recognised_by_its_structure_before_pem_markers() {
        // A SEQUENCE that frames the whole input and happens to hold a BEGIN line: DER
        // (here not a certificate, so a DER error, not a PEM one).
        let mut der = vec![0x30, 0x13, 0x04, 0x11];
        der.extend_from_slice(b"-----BEGIN X-----");
        let err = load_bytes(&der, "x.der", &LoadOptions::default()).unwrap_err();
        assert!(matches!(err, Error::Malformed { .. }), "{err}");
    }

    #[test]
    fn an_empty_der_pkcs7_bundle_is_an_error() {
        // ContentInfo { signedData, [0] SignedData { 1, {}, { data }, {} } }
        let der = [
            0x30, 0x23, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
            0x16, 0x30, 0x14, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86,
            0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0x31, 0x00,
        ];
        let err = load_bytes(&der, "e.p7b", &LoadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "e.p7b: PKCS#7 bundle holds no certificate");
    }
}
