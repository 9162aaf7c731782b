//! Certificate revocation lists ([`VerifyOptions::crls`](super::VerifyOptions::crls)), and
//! revocation checking against a set of them (the rules are on [`Crl`]).

use std::path::Path;

use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::code::Code;
use super::findings::Finding;
use super::profile::Profile;
use super::rules::Violation;
use super::{Context, FoundPath};
use crate::error::{Error, Position, Result};
use crate::instant::human_utc_unix as fmt_unix;
use crate::instant::rfc3339_unix;
use crate::x509::Certificate;

/// A certificate revocation list: one block of a CRL input.
///
/// # Loading
///
/// [`Crl::from_bytes`] reads every CRL of an input on its own: each PEM block, or each DER
/// CRL of a (possibly concatenated) DER file, becomes one [`Crl`], numbered from 1 in the
/// order of the file. A CRL chainscope or rustls-webpki cannot use is still loaded: it
/// carries its [`CrlDefect`], and verification reports it as a `crl_unusable` finding
/// naming its file, block, issuer and reason. Only an unreadable input, or one that holds
/// no CRL at all, is an error.
///
/// # Several CRLs covering one certificate
///
/// A CRL is *usable* for a certificate of the path when it is a complete, direct v2 CRL
/// that rustls-webpki can process (no deltaCRLIndicator, not indirect, not partitioned by
/// reasons, an issuingDistributionPoint only of the full-name form, no unknown critical
/// extension), its issuer name is the certificate's issuer name, its signature verifies
/// with the key of that issuer on the path, that issuer's keyUsage (when present) has
/// cRLSign, and its scope (issuingDistributionPoint, matched as rustls-webpki matches it)
/// includes the certificate (RFC 5280 §6.3.3 (b), (f), (g)). Then, whatever the order the
/// CRLs were given in:
///
/// - the certificate is **revoked** when *any* usable CRL lists its serial number. A CRL
///   past its nextUpdate still counts for this: a revocation is final and its entry stays
///   on every later CRL until the certificate expires (RFC 5280 §3.3, §5.1.2.6). The one
///   exception is a `certificateHold` entry that a newer usable CRL no longer lists: the
///   hold was released (RFC 5280 §5.3.1).
/// - it is **good** when at least one usable CRL that is current (nextUpdate after the
///   validation time, RFC 5280 §6.3.3 (a)) covers it and none lists it.
/// - otherwise its status is **unknown**: its issuer published only unusable, expired or
///   out-of-scope CRLs, or none while other CRLs were given (`revocation_unknown`: a warning
///   in the `webpki` and `clients` profiles, a rejection in `rfc5280`).
///
/// rustls-webpki is given the usable CRLs (expired ones included, as a rustls client with
/// its default `ExpirationPolicy::Ignore` would use them), newest first. It only consults
/// the *first* CRL authoritative for a certificate, so its verdict alone would depend on
/// the order; chainscope checks every usable CRL and adds the `revoked` rejection in every
/// profile when webpki's first CRL does not list a certificate that another one revokes.
///
/// The report's [`RevocationReport`] lists each CRL with what became of it, and each
/// certificate with the CRLs it was checked against.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Crl {
    /// Where it came from (file name).
    pub source: String,
    /// Which block of the file it is (1-based; the line of its `-----BEGIN` for PEM).
    pub position: Position,
    /// Its DER encoding (empty when the block did not even decode as PEM).
    pub der: Vec<u8>,
    /// The issuer name's contents (no SEQUENCE header); empty when undecodable.
    pub(crate) issuer_raw: Vec<u8>,
    /// The issuer name as text; `(unknown issuer)` when undecodable.
    pub(crate) issuer: String,
    /// `None`: no cRLNumber; `Some(critical)` otherwise.
    pub(crate) number_critical: Option<bool>,
    /// What x509-parser decoded, when it could.
    info: Option<CrlInfo>,
    /// Why the CRL cannot be used whatever the path (`None`: it may be usable).
    defect: Option<(CrlDefect, String)>,
}

/// Why a CRL cannot be used (the `defect` of a [`CrlStatus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CrlDefect {
    /// The block does not decode as a CRL (bad PEM, bad DER, missing required fields).
    Undecodable,
    /// A PEM block of another kind (a certificate, a key) in a CRL input.
    NotACrl,
    /// A delta CRL (deltaCRLIndicator, RFC 5280 §5.2.4): chainscope uses complete CRLs only.
    Delta,
    /// An indirect CRL (issuingDistributionPoint indirectCRL or certificateIssuer entries,
    /// RFC 5280 §5.2.5, §5.3.3).
    Indirect,
    /// A CRL partitioned by revocation reasons (onlySomeReasons, RFC 5280 §5.2.5).
    PartitionedByReasons,
    /// An issuingDistributionPoint without a full-name distribution point (a relative
    /// name, or only a scope flag), which rustls-webpki cannot match to certificates.
    PartitionedByDistributionPoint,
    /// A critical extension (of the CRL or of an entry) that is not understood.
    UnknownCriticalExtension,
    /// A CRL version other than v2.
    UnsupportedVersion,
    /// Its signature verifies with no key of a certificate named as its issuer.
    BadSignature,
    /// Its issuer's keyUsage lacks cRLSign (RFC 5280 §6.3.3 (f)).
    IssuerNotCrlSigner,
    /// No certificate given or trusted is named as its issuer: its signature cannot be
    /// checked (it covers no certificate of the path either).
    NoIssuer,
    /// Past its nextUpdate at the validation time: revocations it lists still count, but it
    /// cannot show a certificate is not revoked.
    Expired,
}

impl CrlDefect {
    /// The stable spelling (`delta`, `bad_signature`, …), as JSON has it.
    pub fn as_str(self) -> &'static str {
        match self {
            CrlDefect::Undecodable => "undecodable",
            CrlDefect::NotACrl => "not_a_crl",
            CrlDefect::Delta => "delta",
            CrlDefect::Indirect => "indirect",
            CrlDefect::PartitionedByReasons => "partitioned_by_reasons",
            CrlDefect::PartitionedByDistributionPoint => "partitioned_by_distribution_point",
            CrlDefect::UnknownCriticalExtension => "unknown_critical_extension",
            CrlDefect::UnsupportedVersion => "unsupported_version",
            CrlDefect::BadSignature => "bad_signature",
            CrlDefect::IssuerNotCrlSigner => "issuer_not_crl_signer",
            CrlDefect::NoIssuer => "no_issuer",
            CrlDefect::Expired => "expired",
        }
    }
}

/// What x509-parser decoded of a CRL.
#[derive(Debug, Clone)]
struct CrlInfo {
    this_update: i64,
    next_update: Option<i64>,
    /// cRLNumber, upper-case hex.
    number: Option<String>,
    revoked: Vec<RevokedEntry>,
    scope: Scope,
    /// The TBSCertList, the AlgorithmIdentifier contents and the signature bits.
    signed: Option<SignedParts>,
}

#[derive(Debug, Clone)]
struct SignedParts {
    tbs: Vec<u8>,
    algorithm: Vec<u8>,
    signature: Vec<u8>,
}

#[derive(Debug, Clone)]
struct RevokedEntry {
    serial: Vec<u8>,
    date: i64,
    reason: Option<u8>,
}

/// The issuingDistributionPoint scope, as rustls-webpki matches it.
#[derive(Debug, Clone, Default)]
struct Scope {
    /// `None`: no issuingDistributionPoint (the CRL covers everything of its issuer).
    uris: Option<Vec<String>>,
    only_user: bool,
    only_ca: bool,
}

/// The RFC 5280 §5.3.1 name of a CRLReason.
fn reason_name(code: u8) -> String {
    match code {
        0 => "unspecified".into(),
        1 => "keyCompromise".into(),
        2 => "cACompromise".into(),
        3 => "affiliationChanged".into(),
        4 => "superseded".into(),
        5 => "cessationOfOperation".into(),
        6 => "certificateHold".into(),
        8 => "removeFromCRL".into(),
        9 => "privilegeWithdrawn".into(),
        10 => "aACompromise".into(),
        n => format!("reason {n}"),
    }
}

const CERTIFICATE_HOLD: u8 = 6;

impl Crl {
    /// Decodes one DER CRL, block `position` of `source`. Never fails: a CRL that cannot be
    /// used carries its [`CrlDefect`].
    pub fn from_der(der: Vec<u8>, source: &str, position: Position) -> Self {
        let mut crl = Crl {
            source: source.to_owned(),
            position,
            der,
            issuer_raw: Vec::new(),
            issuer: "(unknown issuer)".into(),
            number_critical: None,
            info: None,
            defect: None,
        };
        match CertificateRevocationList::from_der(&crl.der) {
            Ok((rest, parsed)) => {
                crl.issuer_raw = crate::x509::strip_sequence(parsed.issuer().as_raw()).to_vec();
                crl.issuer = crate::x509::Name::from_x509(parsed.issuer()).text;
                crl.number_critical = parsed
                    .extensions()
                    .iter()
                    .find(|e| e.oid.to_id_string() == "2.5.29.20")
                    .map(|e| e.critical);
                crl.info = Some(decode_info(&parsed, &crl.der));
                if !rest.is_empty() {
                    crl.defect = Some((
                        CrlDefect::Undecodable,
                        format!("{} bytes of trailing data after the CRL", rest.len()),
                    ));
                    return crl;
                }
            }
            Err(e) => {
                crl.defect = Some((
                    CrlDefect::Undecodable,
                    format!(
                        "does not decode as a CRL: {}",
                        crate::load::parse_error_text(&e)
                    ),
                ));
                return crl;
            }
        }
        if let Err(e) = webpki::BorrowedCertRevocationList::from_der(&crl.der) {
            crl.defect = Some(crl.webpki_defect(&e));
        }
        crl
    }

    /// Classifies what rustls-webpki refused, naming the extension where it can.
    fn webpki_defect(&self, e: &webpki::Error) -> (CrlDefect, String) {
        use webpki::Error as E;
        let words = crate::webpki_words::webpki_error_words(e);
        let (_, parsed) = match CertificateRevocationList::from_der(&self.der) {
            Ok(p) => p,
            Err(_) => return (CrlDefect::Undecodable, words.into()),
        };
        let exts = parsed.extensions();
        let has = |oid: &str| exts.iter().any(|x| x.oid.to_id_string() == oid);
        match e {
            E::UnsupportedDeltaCrl => (
                CrlDefect::Delta,
                "is a delta CRL (deltaCRLIndicator): only complete CRLs are used".into(),
            ),
            E::UnsupportedIndirectCrl => (
                CrlDefect::Indirect,
                "is an indirect CRL (indirectCRL, or certificateIssuer entries): only CRLs issued by the certificate's own CA are used".into(),
            ),
            E::UnsupportedRevocationReasonsPartitioning => (
                CrlDefect::PartitionedByReasons,
                "is partitioned by revocation reasons (onlySomeReasons): it cannot show a certificate is not revoked".into(),
            ),
            E::UnsupportedCrlIssuingDistributionPoint => (
                CrlDefect::PartitionedByDistributionPoint,
                "has an issuingDistributionPoint without a full-name distribution point: rustls cannot tell which certificates it covers".into(),
            ),
            E::UnsupportedCriticalExtension => {
                let known = ["2.5.29.20", "2.5.29.27", "2.5.29.28", "2.5.29.35"];
                let oid = exts
                    .iter()
                    .find(|x| x.critical && !known.contains(&x.oid.to_id_string().as_str()))
                    .map(|x| x.oid.to_id_string());
                let oid = oid.or_else(|| {
                    parsed.iter_revoked_certificates().find_map(|r| {
                        r.extensions()
                            .iter()
                            .find(|x| x.critical)
                            .map(|x| format!("{} (in the entry of serial {})", x.oid.to_id_string(), r.raw_serial_as_string()))
                    })
                });
                (
                    CrlDefect::UnknownCriticalExtension,
                    match oid {
                        Some(oid) => format!("carries the critical extension {oid}, which is not understood"),
                        None => "carries a critical extension that is not understood".into(),
                    },
                )
            }
            E::UnsupportedCrlVersion => (
                CrlDefect::UnsupportedVersion,
                "is not a v2 CRL (RFC 5280 §5.1.2.1: CRLs with extensions are v2)".into(),
            ),
            _ if parsed.next_update().is_none() => (
                CrlDefect::Undecodable,
                "has no nextUpdate (RFC 5280 §5.1.2.5 requires one)".into(),
            ),
            _ if has("2.5.29.27") => (CrlDefect::Delta, format!("is a delta CRL ({words})")),
            _ => (CrlDefect::Undecodable, format!("is not usable: {words}")),
        }
    }

    /// Reads every CRL of a PEM (`X509 CRL` blocks) or DER (one or more concatenated CRLs)
    /// input; `source` names it. Each block is decoded on its own: a block that cannot be
    /// used is kept, with its [`CrlDefect`], and reported by the verification.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] when the input holds no CRL block at all.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Vec<Self>> {
        if bytes.first() == Some(&0x30) {
            return Ok(split_der(bytes)
                .into_iter()
                .enumerate()
                .map(|(i, der)| {
                    let position = Position {
                        block: i + 1,
                        line: None,
                    };
                    Self::from_der(der, source, position)
                })
                .collect());
        }
        let blocks = split_pem(bytes);
        if !blocks
            .iter()
            .any(|b| b.label.as_deref() == Some("X509 CRL"))
        {
            let others: Vec<&str> = blocks.iter().filter_map(|b| b.label.as_deref()).collect();
            return Err(Error::Empty {
                input: source.to_owned(),
                reason: if others.is_empty() {
                    "no X509 CRL block found (neither PEM nor DER)".into()
                } else {
                    format!("no X509 CRL block found (it holds {})", others.join(", "))
                },
            });
        }
        let mut out = Vec::new();
        for (i, block) in blocks.into_iter().enumerate() {
            let position = Position {
                block: i + 1,
                line: Some(block.line),
            };
            let unusable = |defect: CrlDefect, why: String| Crl {
                source: source.to_owned(),
                position,
                der: Vec::new(),
                issuer_raw: Vec::new(),
                issuer: "(unknown issuer)".into(),
                number_critical: None,
                info: None,
                defect: Some((defect, why)),
            };
            match (block.label.as_deref(), block.text) {
                (Some("X509 CRL"), Some(text)) => {
                    use rustls_pki_types::pem::PemObject;
                    match rustls_pki_types::CertificateRevocationListDer::from_pem_slice(&text) {
                        Ok(der) => {
                            out.push(Self::from_der(der.as_ref().to_vec(), source, position))
                        }
                        Err(e) => out.push(unusable(
                            CrlDefect::Undecodable,
                            format!("is not valid PEM ({})", pem_words(&e)),
                        )),
                    }
                }
                (Some("X509 CRL"), None) => out.push(unusable(
                    CrlDefect::Undecodable,
                    "has no -----END X509 CRL----- line".into(),
                )),
                (Some(other), _) => out.push(unusable(
                    CrlDefect::NotACrl,
                    format!("is a {other} block, not an X509 CRL"),
                )),
                (None, _) => out.push(unusable(
                    CrlDefect::Undecodable,
                    "has a malformed -----BEGIN line".into(),
                )),
            }
        }
        Ok(out)
    }

    /// Reads every CRL of a file (PEM or DER), as [`Crl::from_bytes`] does.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, [`Error::TooLarge`] past the CRL input
    /// limit, [`Error::Empty`] when it holds no CRL block.
    pub fn load(path: &Path) -> Result<Vec<Self>> {
        let name = path.display().to_string();
        let bytes = crate::load::read_file(path, crate::load::InputKind::Crl)?;
        Self::from_bytes(&bytes, &name)
    }

    /// How messages name it: `crls.pem block 2 (line 14)`.
    pub fn label(&self) -> String {
        format!("{} {}", self.source, self.position)
    }

    /// Why it cannot be used whatever the path, if it cannot (the verification adds the
    /// path-dependent reasons: signature, issuer keyUsage, nextUpdate).
    pub fn defect(&self) -> Option<(CrlDefect, &str)> {
        self.defect.as_ref().map(|(d, s)| (*d, s.as_str()))
    }

    fn this_update(&self) -> i64 {
        self.info.as_ref().map_or(i64::MIN, |i| i.this_update)
    }

    fn reference(&self) -> CrlRef {
        CrlRef {
            source: self.source.clone(),
            block: self.position.block,
        }
    }
}

fn pem_words(e: &rustls_pki_types::pem::Error) -> String {
    use rustls_pki_types::pem::Error as E;
    match e {
        E::Base64Decode(_) => "its base64 does not decode".into(),
        E::MissingSectionEnd { .. } => "no END line".into(),
        E::IllegalSectionStart { .. } => "a malformed BEGIN line".into(),
        E::NoItemsFound => "no X509 CRL in it".into(),
        E::SectionTooLarge => "larger than 256 MiB".into(),
        _ => "it does not decode".into(),
    }
}

/// One PEM block of a CRL input: its label, its BEGIN line, its text (`None` without END).
struct PemBlock {
    label: Option<String>,
    line: usize,
    text: Option<Vec<u8>>,
}

/// Splits a PEM input into its blocks, by BEGIN and END lines (linear in the input).
fn split_pem(bytes: &[u8]) -> Vec<PemBlock> {
    let mut out: Vec<PemBlock> = Vec::new();
    let mut open: Option<(Option<String>, usize, Vec<u8>)> = None;
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let trimmed = line.trim_ascii();
        if let Some(rest) = trimmed.strip_prefix(b"-----BEGIN ") {
            if let Some((label, start, _)) = open.take() {
                out.push(PemBlock {
                    label,
                    line: start,
                    text: None,
                });
            }
            let label = rest
                .strip_suffix(b"-----")
                .map(|l| String::from_utf8_lossy(l).into_owned());
            let mut text = trimmed.to_vec();
            text.push(b'\n');
            open = Some((label, i + 1, text));
        } else if trimmed.starts_with(b"-----END ") {
            if let Some((label, start, mut text)) = open.take() {
                text.extend_from_slice(trimmed);
                text.push(b'\n');
                out.push(PemBlock {
                    label,
                    line: start,
                    text: Some(text),
                });
            }
        } else if let Some((_, _, text)) = open.as_mut() {
            text.extend_from_slice(trimmed);
            text.push(b'\n');
        }
    }
    if let Some((label, start, _)) = open {
        out.push(PemBlock {
            label,
            line: start,
            text: None,
        });
    }
    out
}

/// Splits concatenated DER values by their outer header; what cannot be framed is one
/// last (undecodable) block.
fn split_der(mut bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        match der_value_len(bytes).filter(|n| *n <= bytes.len()) {
            Some(n) => {
                out.push(bytes[..n].to_vec());
                bytes = &bytes[n..];
            }
            None => {
                out.push(bytes.to_vec());
                break;
            }
        }
    }
    out
}

/// The length of the DER value at the start of `bytes`, header included.
fn der_value_len(bytes: &[u8]) -> Option<usize> {
    use der::{Decode, Reader};
    let mut reader = der::SliceReader::new(bytes).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    let header_len = u32::from(reader.position()) as usize;
    header_len.checked_add(u32::from(header.length) as usize)
}

fn decode_info(parsed: &CertificateRevocationList<'_>, der: &[u8]) -> CrlInfo {
    let mut scope = Scope::default();
    for ext in parsed.extensions() {
        if let ParsedExtension::IssuingDistributionPoint(idp) = ext.parsed_extension() {
            scope.only_user = idp.only_contains_user_certs;
            scope.only_ca = idp.only_contains_ca_certs;
            scope.uris = Some(match &idp.distribution_point {
                Some(DistributionPointName::FullName(names)) => uris(names),
                _ => Vec::new(),
            });
        }
    }
    CrlInfo {
        this_update: parsed.last_update().timestamp(),
        next_update: parsed.next_update().map(|t| t.timestamp()),
        number: parsed
            .crl_number()
            .map(|n| crate::encoding::hex_upper(&n.to_bytes_be(), "")),
        revoked: parsed
            .iter_revoked_certificates()
            .map(|r| RevokedEntry {
                serial: r.raw_serial().to_vec(),
                date: r.revocation_date.timestamp(),
                reason: r.reason_code().map(|(_, c)| c.0),
            })
            .collect(),
        scope,
        signed: signed_parts(der),
    }
}

fn uris(names: &[GeneralName<'_>]) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| match n {
            GeneralName::URI(u) => Some((*u).to_owned()),
            _ => None,
        })
        .collect()
}

/// The three parts of a CertificateList: the TBSCertList (with header), the
/// signatureAlgorithm's contents and the signature's bits.
fn signed_parts(der: &[u8]) -> Option<SignedParts> {
    use der::asn1::{AnyRef, BitStringRef};
    use der::{Decode, Encode, Reader};
    let outer = AnyRef::from_der(der).ok()?;
    let mut reader = der::SliceReader::new(outer.value()).ok()?;
    let tbs: AnyRef<'_> = reader.decode().ok()?;
    let algorithm: AnyRef<'_> = reader.decode().ok()?;
    let signature: BitStringRef<'_> = reader.decode().ok()?;
    Some(SignedParts {
        tbs: tbs.to_der().ok()?,
        algorithm: algorithm.value().to_vec(),
        signature: signature.raw_bytes().to_vec(),
    })
}

/// Whether `spki` (full SubjectPublicKeyInfo DER) verifies the CRL's signature with one of
/// the algorithms rustls accepts.
fn signature_verifies(signed: &SignedParts, spki: &[u8]) -> bool {
    use der::asn1::{AnyRef, BitStringRef};
    use der::{Decode, Reader};
    let parts = || -> Option<(Vec<u8>, Vec<u8>)> {
        let outer = AnyRef::from_der(spki).ok()?;
        let mut reader = der::SliceReader::new(outer.value()).ok()?;
        let alg: AnyRef<'_> = reader.decode().ok()?;
        let key: BitStringRef<'_> = reader.decode().ok()?;
        Some((alg.value().to_vec(), key.raw_bytes().to_vec()))
    };
    let Some((key_alg, key)) = parts() else {
        return false;
    };
    super::algorithms::algorithms().iter().any(|alg| {
        alg.signature_alg_id().as_ref() == signed.algorithm.as_slice()
            && alg.public_key_alg_id().as_ref() == key_alg.as_slice()
            && alg
                .verify_signature(&key, &signed.tbs, &signed.signature)
                .is_ok()
    })
}

/// A certificate that may have signed a CRL: its key, and whether its keyUsage allows CRL
/// signing (`true` without keyUsage or without a certificate).
struct Signer {
    spki: Vec<u8>,
    crl_sign: bool,
}

/// One CRL as this verification sees it.
struct Judged {
    /// Why it cannot be used (`Expired` still counts for revocations).
    defect: Option<(CrlDefect, String)>,
    /// The keys its signature verifies with.
    signers: Vec<Vec<u8>>,
}

/// The CRLs of one verification, judged against the certificates it has.
#[derive(Default)]
pub(crate) struct CrlSet {
    judged: Vec<Judged>,
}

/// What became of one CRL (an entry of [`RevocationReport::crls`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CrlStatus {
    /// The file it came from.
    pub source: String,
    /// Its block in the file (1-based).
    pub block: usize,
    /// The line of its `-----BEGIN` (1-based; PEM only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Its issuer (`(unknown issuer)` when it does not decode).
    pub issuer: String,
    /// thisUpdate (RFC 3339), when decoded.
    pub this_update: Option<String>,
    /// nextUpdate (RFC 3339), when decoded and present.
    pub next_update: Option<String>,
    /// cRLNumber (upper-case hex), when present.
    pub crl_number: Option<String>,
    /// `usable` (current), `expired` (revocations still count) or `unusable`.
    pub status: &'static str,
    /// Why it is expired or unusable.
    pub defect: Option<CrlDefect>,
    /// The same, in words.
    pub reason: Option<String>,
}

/// A CRL named by file and block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CrlRef {
    /// The file.
    pub source: String,
    /// The block (1-based).
    pub block: usize,
}

/// The revocation status of one certificate (an entry of
/// [`RevocationReport::certificates`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct RevocationCheck {
    /// Index in the presented list (0 = leaf), when presented.
    pub cert_index: Option<usize>,
    /// Its subject.
    pub subject: String,
    /// Its serial number (upper-case hex).
    pub serial: String,
    /// Its issuer, whose CRLs count.
    pub issuer: String,
    /// `good`, `revoked` or `unknown`.
    pub status: &'static str,
    /// The usable CRLs that cover it (current or expired): those it was checked against.
    pub checked_against: Vec<CrlRef>,
    /// The CRL that revokes it, with when and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<Revocation>,
    /// Why its status is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_because: Option<String>,
}

/// A CRL entry that revokes a certificate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Revocation {
    /// The CRL.
    pub crl: CrlRef,
    /// revocationDate (RFC 3339).
    pub date: String,
    /// CRLReason (RFC 5280 §5.3.1 name), when given.
    pub reason: Option<String>,
}

/// Which CRLs were given, what became of each, and which certificates were checked against
/// which CRL: the `revocation` field of the verify report (present when CRLs were given).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct RevocationReport {
    /// Every CRL given, in order.
    pub crls: Vec<CrlStatus>,
    /// The certificates of the chosen path (leaf and intermediates; trust anchors are not
    /// checked), or of every certificate given when no path was built.
    pub certificates: Vec<RevocationCheck>,
}

/// A certificate to check: its decoded form, its role, the key of its issuer on the path
/// (`None`: any key that verifies the CRL).
struct Subject<'c> {
    cert: &'c Certificate,
    cert_index: Option<usize>,
    leaf: bool,
    issuer_spki: Option<Vec<u8>>,
}

struct Outcome {
    check: RevocationCheck,
    revoked_message: Option<String>,
}

impl CrlSet {
    /// Judges every CRL of `ctx.options` against the certificates `ctx` has.
    pub(crate) fn new(ctx: &Context<'_>) -> Self {
        let crls = &ctx.options.crls;
        if crls.is_empty() {
            return CrlSet::default();
        }
        let named = |name: &[u8]| crls.iter().any(|c| c.issuer_raw == name);
        let mut signers_by_name: Vec<(Vec<u8>, Signer)> = Vec::new();
        for pc in &ctx.pool {
            if let Some(c) = pc.decoded.as_ref().filter(|c| named(&c.subject.raw)) {
                signers_by_name.push((
                    c.subject.raw.clone(),
                    Signer {
                        spki: c.key.spki.clone(),
                        crl_sign: crl_sign(c),
                    },
                ));
            }
        }
        for (i, a) in ctx.trust.anchors().iter().enumerate() {
            if !named(a.subject.as_ref()) {
                continue;
            }
            let cert = ctx.trust.decoded(i);
            signers_by_name.push((
                a.subject.as_ref().to_vec(),
                Signer {
                    spki: crate::encoding::frame_sequence(a.subject_public_key_info.as_ref()),
                    crl_sign: cert.is_none_or(crl_sign),
                },
            ));
        }
        let judged = ctx
            .options
            .crls
            .iter()
            .map(|crl| judge(crl, &signers_by_name, ctx.time))
            .collect();
        CrlSet { judged }
    }

    /// The CRLs that may be given to rustls-webpki (usable or expired), newest first.
    pub(crate) fn for_webpki<'o>(&self, crls: &'o [Crl]) -> Vec<&'o Crl> {
        let mut out: Vec<&Crl> = crls
            .iter()
            .zip(&self.judged)
            .filter(|(_, j)| usable(j))
            .map(|(c, _)| c)
            .collect();
        out.sort_by(|a, b| {
            let number = |c: &Crl| c.info.as_ref().and_then(|i| i.number.clone());
            b.this_update().cmp(&a.this_update()).then_with(|| {
                let (na, nb) = (number(a).unwrap_or_default(), number(b).unwrap_or_default());
                (nb.len(), nb).cmp(&(na.len(), na))
            })
        });
        out
    }

    /// The CRLs usable for the rule catalogue's CRL rules (usable or expired).
    pub(crate) fn usable(&self, crls: &[Crl]) -> Vec<Crl> {
        crls.iter()
            .zip(&self.judged)
            .filter(|(_, j)| usable(j))
            .map(|(c, _)| c.clone())
            .collect()
    }

    /// Why a path is rejected for revocation: a certificate revoked by a usable CRL (every
    /// profile), or one whose status is unknown (from `rfc5280` up).
    pub(crate) fn violations(&self, ctx: &Context<'_>, path: &FoundPath) -> Vec<Violation> {
        if ctx.options.crls.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (subject, outcome) in self.path_outcomes(ctx, path) {
            let who = who(&subject);
            match outcome.check.status {
                "revoked" => out.push(Violation {
                    code: Code::Revoked,
                    rejects_from: Some(Profile::Webpki),
                    cert_index: subject.cert_index,
                    subject: subject.cert.subject.text.clone(),
                    message: outcome.revoked_message.unwrap_or_default(),
                    fix: "replace the certificate (and its key, if the key was compromised)".into(),
                    hint: None,
                    clients: None,
                }),
                "unknown" => out.push(Violation {
                    code: Code::RevocationUnknown,
                    rejects_from: Some(Profile::Rfc5280),
                    cert_index: subject.cert_index,
                    subject: subject.cert.subject.text.clone(),
                    message: format!(
                        "the revocation status of {who} is unknown: {}",
                        outcome.check.unknown_because.clone().unwrap_or_default()
                    ),
                    fix: format!(
                        "give a current, complete CRL issued by {} (its cRLDistributionPoints URL)",
                        subject.cert.issuer.text
                    ),
                    hint: Some(crate::Hint::Crl),
                    clients: Some("rustls and OpenSSL (with -crl_check) reject a certificate whose issuer's CRL is missing only when told to (UnknownStatusPolicy::Deny, X509_V_ERR_UNABLE_TO_GET_CRL)"),
                }),
                _ => {}
            }
        }
        out
    }

    fn path_outcomes<'c>(
        &self,
        ctx: &'c Context<'_>,
        path: &FoundPath,
    ) -> Vec<(Subject<'c>, Outcome)> {
        let mut out = Vec::new();
        for (pos, &node) in path.nodes.iter().enumerate() {
            let Some(cert) = ctx.pool[node].decoded.as_ref() else {
                continue;
            };
            let issuer_spki = match path.nodes.get(pos + 1) {
                Some(&n) => ctx.pool[n].decoded.as_ref().map(|c| c.key.spki.clone()),
                None => Some(crate::encoding::frame_sequence(
                    ctx.trust.anchors()[path.anchor]
                        .subject_public_key_info
                        .as_ref(),
                )),
            };
            let subject = Subject {
                cert,
                cert_index: ctx.pool[node].presented_index(),
                leaf: pos == 0,
                issuer_spki,
            };
            let outcome = self.check(ctx, &subject);
            out.push((subject, outcome));
        }
        out
    }

    /// The `revocation` field of the report: every CRL, and the certificates of `chosen`
    /// (or of the pool when no path was built) with the CRLs they were checked against.
    pub(crate) fn report(
        &self,
        ctx: &Context<'_>,
        chosen: Option<&FoundPath>,
    ) -> Option<RevocationReport> {
        let crls = &ctx.options.crls;
        if crls.is_empty() {
            return None;
        }
        let statuses = crls
            .iter()
            .zip(&self.judged)
            .map(|(c, j)| CrlStatus {
                source: c.source.clone(),
                block: c.position.block,
                line: c.position.line,
                issuer: c.issuer.clone(),
                this_update: c.info.as_ref().map(|i| rfc3339_unix(i.this_update)),
                next_update: c
                    .info
                    .as_ref()
                    .and_then(|i| i.next_update.map(rfc3339_unix)),
                crl_number: c.info.as_ref().and_then(|i| i.number.clone()),
                status: match &j.defect {
                    None => "usable",
                    Some((CrlDefect::Expired, _)) => "expired",
                    Some(_) => "unusable",
                },
                defect: j.defect.as_ref().map(|(d, _)| *d),
                reason: j.defect.as_ref().map(|(_, r)| r.clone()),
            })
            .collect();
        let certificates = match chosen {
            Some(path) => self
                .path_outcomes(ctx, path)
                .into_iter()
                .map(|(_, o)| o.check)
                .collect(),
            None => ctx
                .pool
                .iter()
                .enumerate()
                .filter_map(|(i, pc)| {
                    let cert = pc.decoded.as_ref()?;
                    let subject = Subject {
                        cert,
                        cert_index: pc.presented_index(),
                        leaf: i == 0,
                        issuer_spki: None,
                    };
                    Some(self.check(ctx, &subject).check)
                })
                .collect(),
        };
        Some(RevocationReport {
            crls: statuses,
            certificates,
        })
    }

    /// `crl_unusable` findings: one per CRL that is expired or cannot be used.
    pub(crate) fn findings(&self, crls: &[Crl]) -> Vec<Finding> {
        crls.iter()
            .zip(&self.judged)
            .filter_map(|(c, j)| {
                let (defect, why) = j.defect.as_ref()?;
                if *defect == CrlDefect::NoIssuer {
                    // It covers no certificate given; the report lists it.
                    return None;
                }
                let issuer = if c.issuer_raw.is_empty() && c.info.is_none() {
                    String::new()
                } else {
                    format!(" issued by {}", c.issuer)
                };
                Some(
                    Finding::new(
                        Code::CrlUnusable,
                        format!("the CRL {}{issuer} {why}", c.label()),
                    )
                    .fix(match defect {
                        CrlDefect::Expired => "fetch the CA's current CRL (its cRLDistributionPoints URL)",
                        CrlDefect::BadSignature => "fetch the CRL again from the CA; check it is the CRL of this CA (same name and key)",
                        CrlDefect::NotACrl => "give only CRLs as the CRLs to check against",
                        _ => "give the CA's complete CRL (the one at the certificates' cRLDistributionPoints URL)",
                    })
                    .hint(crate::Hint::Crl),
                )
            })
            .collect()
    }

    /// The `revoked` finding of pool certificate `node` (for the diagnosis walk), when a
    /// usable CRL revokes it; `who` names it.
    pub(crate) fn revoked_finding(
        &self,
        ctx: &Context<'_>,
        node: usize,
        who: &str,
    ) -> Option<Finding> {
        if ctx.options.crls.is_empty() {
            return None;
        }
        let pc = &ctx.pool[node];
        let subject = Subject {
            cert: pc.decoded.as_ref()?,
            cert_index: pc.presented_index(),
            leaf: node == 0,
            issuer_spki: None,
        };
        let outcome = self.check(ctx, &subject);
        let r = outcome.check.revoked_by?;
        let crl = ctx
            .options
            .crls
            .iter()
            .find(|c| c.source == r.crl.source && c.position.block == r.crl.block)?;
        Some(
            Finding::new(
                Code::Revoked,
                format!(
                    "{who} was revoked on {}{}, according to the CRL {} issued by {}",
                    crate::instant::human(&r.date),
                    r.reason.map(|x| format!(" ({x})")).unwrap_or_default(),
                    crl.label(),
                    crl.issuer
                ),
            )
            .cert(pc.presented_index(), &pc.subject())
            .fix("replace the certificate with a new one (and a new key, if the key was compromised)"),
        )
    }

    /// The revocation status of one certificate against every usable CRL.
    fn check(&self, ctx: &Context<'_>, s: &Subject<'_>) -> Outcome {
        let crls = &ctx.options.crls;
        let cert = s.cert;
        let same_issuer: Vec<usize> = (0..crls.len())
            .filter(|&i| crls[i].issuer_raw == cert.issuer.raw && !crls[i].issuer_raw.is_empty())
            .collect();
        // Usable CRLs of this issuer, signed with the path issuer's key, whose scope
        // includes the certificate.
        let signed_by_issuer = |i: usize| {
            let j = &self.judged[i];
            usable(j)
                && match &s.issuer_spki {
                    Some(spki) => j.signers.iter().any(|k| k == spki),
                    None => !j.signers.is_empty(),
                }
        };
        let covering: Vec<usize> = same_issuer
            .iter()
            .copied()
            .filter(|&i| signed_by_issuer(i) && covers(&crls[i], cert, s.leaf))
            .collect();
        let mut revoked_by: Option<(usize, &RevokedEntry)> = None;
        for &i in &covering {
            let Some(info) = &crls[i].info else { continue };
            let Some(entry) = info.revoked.iter().find(|r| r.serial == cert.serial) else {
                continue;
            };
            if entry.reason == Some(CERTIFICATE_HOLD) {
                // A hold that a newer covering CRL no longer lists is released.
                let released = covering.iter().any(|&k| {
                    crls[k].this_update() > info.this_update
                        && crls[k]
                            .info
                            .as_ref()
                            .is_some_and(|n| !n.revoked.iter().any(|r| r.serial == cert.serial))
                });
                if released {
                    continue;
                }
            }
            let newer =
                revoked_by.is_none_or(|(k, _)| crls[i].this_update() > crls[k].this_update());
            if newer {
                revoked_by = Some((i, entry));
            }
        }
        let current = covering.iter().any(|&i| self.judged[i].defect.is_none());
        let who = who(s);
        let mut unknown_because = None;
        let status = if revoked_by.is_some() {
            "revoked"
        } else if current {
            "good"
        } else {
            unknown_because =
                Some(self.unknown_reason(crls, &same_issuer, &covering, &cert.issuer.text));
            "unknown"
        };
        let revoked_message = revoked_by.map(|(i, e)| {
            format!(
                "{who} was revoked on {}{}, according to the CRL {} issued by {}",
                fmt_unix(e.date),
                e.reason
                    .map(|r| format!(" ({})", reason_name(r)))
                    .unwrap_or_default(),
                crls[i].label(),
                crls[i].issuer
            )
        });
        Outcome {
            check: RevocationCheck {
                cert_index: s.cert_index,
                subject: cert.subject.text.clone(),
                serial: crate::encoding::hex_upper(&cert.serial, ""),
                issuer: cert.issuer.text.clone(),
                status,
                checked_against: covering.iter().map(|&i| crls[i].reference()).collect(),
                revoked_by: revoked_by.map(|(i, e)| Revocation {
                    crl: crls[i].reference(),
                    date: rfc3339_unix(e.date),
                    reason: e.reason.map(reason_name),
                }),
                unknown_because,
            },
            revoked_message,
        }
    }

    fn unknown_reason(
        &self,
        crls: &[Crl],
        same_issuer: &[usize],
        covering: &[usize],
        issuer: &str,
    ) -> String {
        if same_issuer.is_empty() {
            return format!("no CRL issued by {issuer} was given");
        }
        let mut parts = Vec::new();
        for &i in same_issuer {
            let why = match &self.judged[i].defect {
                Some((CrlDefect::Expired, _)) => "past its nextUpdate".to_owned(),
                Some((d, _)) => d.as_str().replace('_', " "),
                None if covering.contains(&i) => continue,
                None if !self.judged[i].signers.is_empty() => {
                    "signed with another key of that name, or its issuingDistributionPoint does not include this certificate".to_owned()
                }
                None => "not covering it".to_owned(),
            };
            parts.push(format!("{} ({why})", crls[i].label()));
        }
        format!(
            "the CRLs issued by {issuer} cannot show it is not revoked: {}",
            parts.join(", ")
        )
    }
}

fn usable(j: &Judged) -> bool {
    matches!(&j.defect, None | Some((CrlDefect::Expired, _)))
}

fn crl_sign(c: &Certificate) -> bool {
    c.extensions
        .key_usage
        .as_ref()
        .is_none_or(|ku| ku.has(crate::x509::extensions::KeyUsage::CRL_SIGN))
}

fn judge(crl: &Crl, signers: &[(Vec<u8>, Signer)], time: i64) -> Judged {
    if let Some(d) = &crl.defect {
        return Judged {
            defect: Some(d.clone()),
            signers: Vec::new(),
        };
    }
    let candidates: Vec<&Signer> = signers
        .iter()
        .filter(|(name, _)| *name == crl.issuer_raw)
        .map(|(_, s)| s)
        .collect();
    let fail = |d: CrlDefect, why: String| Judged {
        defect: Some((d, why)),
        signers: Vec::new(),
    };
    if candidates.is_empty() {
        return fail(
            CrlDefect::NoIssuer,
            "no certificate given or trusted is named as its issuer".into(),
        );
    }
    let Some(info) = &crl.info else {
        return fail(CrlDefect::Undecodable, "does not decode".into());
    };
    let Some(signed) = &info.signed else {
        return fail(
            CrlDefect::Undecodable,
            "its signature cannot be framed".into(),
        );
    };
    let verifying: Vec<&Signer> = candidates
        .iter()
        .copied()
        .filter(|s| signature_verifies(signed, &s.spki))
        .collect();
    if verifying.is_empty() {
        return fail(
            CrlDefect::BadSignature,
            format!(
                "has a signature that does not verify with the key of {} (a forged or damaged CRL, or one from another CA of the same name)",
                if candidates.len() == 1 {
                    "its issuer".to_owned()
                } else {
                    format!("any of the {} certificates named as its issuer", candidates.len())
                }
            ),
        );
    }
    let signers: Vec<Vec<u8>> = verifying
        .iter()
        .filter(|s| s.crl_sign)
        .map(|s| s.spki.clone())
        .collect();
    if signers.is_empty() {
        return fail(
            CrlDefect::IssuerNotCrlSigner,
            "is signed by a CA whose keyUsage lacks cRLSign (RFC 5280 §6.3.3 (f))".into(),
        );
    }
    let defect = match info.next_update {
        Some(next) if next <= time => Some((
            CrlDefect::Expired,
            format!(
                "is past its nextUpdate ({}): revocations it lists still count, but it cannot show a certificate is not revoked",
                fmt_unix(next)
            ),
        )),
        _ => None,
    };
    Judged { defect, signers }
}

/// Whether the CRL's scope includes the certificate, as rustls-webpki decides
/// (`authoritative_for`): onlyContainsUserCerts / onlyContainsCACerts by role, and a
/// full-name URI of the issuingDistributionPoint equal to one of the certificate's
/// cRLDistributionPoints (a certificate without cRLDistributionPoints is covered).
fn covers(crl: &Crl, cert: &Certificate, leaf: bool) -> bool {
    let Some(info) = &crl.info else { return false };
    let scope = &info.scope;
    let Some(idp_uris) = &scope.uris else {
        return true;
    };
    if (scope.only_ca && leaf) || (scope.only_user && !leaf) {
        return false;
    }
    let Ok((_, x)) = x509_parser::certificate::X509Certificate::from_der(cert.der.as_ref()) else {
        return false;
    };
    let mut has_dps = false;
    for ext in x.extensions() {
        if let ParsedExtension::CRLDistributionPoints(points) = ext.parsed_extension() {
            has_dps = true;
            for dp in points.iter() {
                if dp.crl_issuer.is_some() || dp.reasons.is_some() {
                    continue;
                }
                if let Some(DistributionPointName::FullName(names)) = &dp.distribution_point {
                    if uris(names).iter().any(|u| idp_uris.contains(u)) {
                        return true;
                    }
                }
            }
        }
    }
    !has_dps
}

fn who(s: &Subject<'_>) -> String {
    match (s.leaf, s.cert_index) {
        (true, _) => format!("the leaf ({})", s.cert.subject.text),
        (false, Some(i)) => format!("intermediate cert {} ({})", i + 1, s.cert.subject.text),
        (false, None) => format!("intermediate {}", s.cert.subject.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_split_and_numbered_from_one() {
        let text = b"junk\n-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n\n-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n-----BEGIN X509 CRL-----\nCCCC\n";
        let blocks = split_pem(text);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].line, 2);
        assert_eq!(blocks[1].label.as_deref(), Some("CERTIFICATE"));
        assert!(blocks[2].text.is_none());
        let crls = Crl::from_bytes(text, "x.pem").unwrap();
        assert_eq!(crls.len(), 3);
        assert_eq!(crls[1].defect().unwrap().0, CrlDefect::NotACrl);
        assert_eq!(crls[2].position.block, 3);
        assert!(crls.iter().all(|c| c.defect().is_some()));
    }

    #[test]
    fn concatenated_der_is_split_by_header_and_a_remainder_is_one_block() {
        let two = [0x30, 0x01, 0x00, 0x30, 0x00, 0x30, 0x05, 0x01];
        let parts = split_der(&two);
        assert_eq!(
            parts,
            vec![vec![0x30, 1, 0], vec![0x30, 0], vec![0x30, 5, 1]]
        );
    }

    #[test]
    fn an_input_without_any_crl_is_an_error() {
        assert!(Crl::from_bytes(b"hello", "h.txt").is_err());
        let cert = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let e = Crl::from_bytes(cert, "c.pem").unwrap_err().to_string();
        assert!(e.contains("CERTIFICATE"), "{e}");
    }
}
