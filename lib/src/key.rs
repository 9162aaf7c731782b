//! Private keys as deployed next to a certificate: what kind they are, whether they are
//! encrypted, and whether they belong to a given certificate.
//!
//! Keys are read with rustls-pki-types (PKCS#8, PKCS#1 RSA, SEC1 EC) and loaded with
//! aws-lc-rs exactly as rustls' aws-lc-rs key provider loads them (the same key types, the
//! same decoders), so "the key loads" here means it loads in a rustls server too — without
//! needing a TLS crypto provider to decode. Encrypted keys are reported as such, never guessed at.
//!
//! ```
//! use chainscope::key::{KeyMatch, PrivateKeyInfo};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/ecdsa/");
//! let key = PrivateKeyInfo::load_path(format!("{dir}leaf.key").as_ref())?;
//! let certs = chainscope::load_certificates(format!("{dir}chain.pem").as_ref())?;
//! assert_eq!(key.matches(&certs[0]), KeyMatch::Matches);
//! assert_eq!(key.matches(&certs[1]), KeyMatch::DoesNotMatch);
//! # Ok::<(), chainscope::Error>(())
//! ```

use std::io::Cursor;
use std::path::Path;

use der::asn1::UintRef;
use rustls_pki_types::{
    CertificateDer, PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer,
};
use x509_parser::certificate::X509Certificate;
use x509_parser::pem::Pem;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;

use crate::error::{Error, Result};

/// The container a private key came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyFormat {
    /// `BEGIN PRIVATE KEY` (PKCS#8).
    Pkcs8,
    /// `BEGIN RSA PRIVATE KEY` (PKCS#1).
    Pkcs1Rsa,
    /// `BEGIN EC PRIVATE KEY` (SEC1).
    Sec1Ec,
    /// `BEGIN ENCRYPTED PRIVATE KEY` (PKCS#8 with PBES2 or similar).
    EncryptedPkcs8,
    /// A traditional PEM key with `Proc-Type: 4,ENCRYPTED`.
    EncryptedLegacy,
    /// No private-key container was recognised: an empty file, random bytes, a traditional
    /// `DSA PRIVATE KEY`, or a PEM file holding something else.
    Unrecognized,
}

/// What a private-key file holds.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct PrivateKeyInfo {
    /// The input's name.
    pub input: String,
    /// The container format.
    pub format: KeyFormat,
    /// Whether the key is encrypted (and so cannot be inspected without its passphrase).
    pub encrypted: bool,
    /// `RSA`, `EC`, `Ed25519`, … when known.
    pub algorithm: Option<String>,
    /// Why the key could not be loaded as a TLS server key (RSA, ECDSA, Ed25519, ML-DSA),
    /// if it could not.
    pub load_error: Option<String>,
    /// Why a TLS server cannot use this file as its key, when it cannot, as words that
    /// follow the file's name: `is empty`, `holds no PEM/DER private key`, `holds a DSA
    /// private key, which TLS servers cannot use`. `None` for a key a server can load (an
    /// RSA key too short for today's clients is judged by its certificate's key strength).
    pub problem: Option<String>,
    /// DER SubjectPublicKeyInfo of the key's public half, when derivable.
    #[serde(skip)]
    spki: Option<Vec<u8>>,
    /// RSA modulus (big-endian, no leading zeros), for keys the provider refuses.
    #[serde(skip)]
    rsa_modulus: Option<Vec<u8>>,
}

/// Whether a key belongs to a certificate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "result", content = "reason")]
#[non_exhaustive]
pub enum KeyMatch {
    /// The key's public half is the certificate's public key.
    Matches,
    /// It is a different key.
    DoesNotMatch,
    /// The key is encrypted; it was not compared.
    Encrypted,
    /// The file holds no key a TLS server can use ([`PrivateKeyInfo::problem`]): nothing
    /// to compare.
    Unusable(String),
    /// Could not be decided (unreadable certificate); says why.
    Unknown(String),
}

impl PrivateKeyInfo {
    /// Reads a key file (PEM, or DER PKCS#8).
    pub fn load_path(path: &Path) -> Result<Self> {
        let name = path.display().to_string();
        let bytes = crate::load::read_file(path, crate::load::InputKind::Key)?;
        Self::load_bytes(&bytes, &name)
    }

    /// Reads a key from bytes; `input` names it in errors. The first private-key block of
    /// a PEM file is used, so a file holding certificate and key together works too.
    pub fn load_bytes(bytes: &[u8], input: &str) -> Result<Self> {
        let text_has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::unusable(input, "is empty"));
        }
        if text_has(b"-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Ok(Self::encrypted(input, KeyFormat::EncryptedPkcs8));
        }
        if text_has(b"Proc-Type: 4,ENCRYPTED") {
            return Ok(Self::encrypted(input, KeyFormat::EncryptedLegacy));
        }
        if !text_has(b"-----BEGIN ") {
            // Binary: only unencrypted PKCS#8 DER is recognised.
            return Ok(Self::from_der(
                input,
                KeyFormat::Pkcs8,
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(bytes.to_vec())),
            ));
        }
        let mut cursor = Cursor::new(bytes);
        let mut labels = Vec::new();
        loop {
            let pem = match Pem::read(&mut cursor) {
                Ok((pem, _)) => pem,
                Err(x509_parser::error::PEMError::MissingHeader) => break,
                Err(e) => {
                    return Err(Error::malformed(
                        input,
                        format!("unreadable PEM block: {e}"),
                    ))
                }
            };
            let (format, der) = match pem.label.as_str() {
                "PRIVATE KEY" => (
                    KeyFormat::Pkcs8,
                    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pem.contents)),
                ),
                "RSA PRIVATE KEY" => (
                    KeyFormat::Pkcs1Rsa,
                    PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(pem.contents)),
                ),
                "EC PRIVATE KEY" => (
                    KeyFormat::Sec1Ec,
                    PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(pem.contents)),
                ),
                // OpenSSL's traditional DSA container.
                "DSA PRIVATE KEY" => return Ok(Self::unusable(input, DSA)),
                other => {
                    labels.push(other.to_owned());
                    continue;
                }
            };
            return Ok(Self::from_der(input, format, der));
        }
        Err(match labels.into_iter().next() {
            Some(found) => Error::WrongPemLabel {
                input: input.to_owned(),
                found,
                expected: "PRIVATE KEY",
            },
            None => Error::Empty {
                input: input.to_owned(),
                reason: "no private key found".into(),
            },
        })
    }

    fn encrypted(input: &str, format: KeyFormat) -> Self {
        PrivateKeyInfo {
            input: input.to_owned(),
            format,
            encrypted: true,
            algorithm: None,
            load_error: None,
            problem: None,
            spki: None,
            rsa_modulus: None,
        }
    }

    /// A file that holds no key a TLS server can use; `problem` says what it holds, as
    /// words after its name (`is empty`).
    pub(crate) fn unusable(input: &str, problem: impl Into<String>) -> Self {
        PrivateKeyInfo {
            input: input.to_owned(),
            format: KeyFormat::Unrecognized,
            encrypted: false,
            algorithm: None,
            load_error: None,
            problem: Some(problem.into()),
            spki: None,
            rsa_modulus: None,
        }
    }

    fn from_der(input: &str, format: KeyFormat, der: PrivateKeyDer<'static>) -> Self {
        let rsa_modulus = rsa_modulus(&der);
        let refused = |der: &PrivateKeyDer<'_>| {
            match (&rsa_modulus, der) {
            // Matched by its modulus; its strength is the certificate's key_strength.
            (Some(_), _) => (Some("RSA".to_owned()), None),
            (None, PrivateKeyDer::Pkcs8(k)) => match pkcs8_algorithm(k.secret_pkcs8_der()) {
                Some((name, problem)) => (name, Some(problem)),
                None => (None, Some(NOT_A_KEY.to_owned())),
            },
            (None, PrivateKeyDer::Pkcs1(_)) => (
                Some("RSA".to_owned()),
                Some("holds an RSA PRIVATE KEY block that does not decode".to_owned()),
            ),
            (None, _) => (
                Some("EC".to_owned()),
                Some("holds an EC PRIVATE KEY block that does not decode, or an EC key on a curve TLS clients do not support (only P-256, P-384 and P-521 are)".to_owned()),
            ),
        }
        };
        let (algorithm, spki, load_error, problem) = match load_signing_key(&der) {
            Ok((name, spki)) => (Some(name.to_owned()), Some(spki), None, None),
            Err(e) => {
                let (algorithm, problem) = refused(&der);
                (algorithm, None, Some(e.to_owned()), problem)
            }
        };
        PrivateKeyInfo {
            input: input.to_owned(),
            format: if problem.as_deref() == Some(NOT_A_KEY) {
                KeyFormat::Unrecognized
            } else {
                format
            },
            encrypted: false,
            algorithm,
            load_error,
            problem,
            spki,
            rsa_modulus,
        }
    }

    /// Whether this key belongs to `cert`.
    pub fn matches(&self, cert: &CertificateDer<'_>) -> KeyMatch {
        if self.encrypted {
            return KeyMatch::Encrypted;
        }
        if let Some(problem) = &self.problem {
            return KeyMatch::Unusable(format!("{} {problem}", self.input));
        }
        let Ok((_, x509)) = X509Certificate::from_der(cert.as_ref()) else {
            return KeyMatch::Unknown("the certificate does not decode".into());
        };
        if let Some(spki) = &self.spki {
            return if spki.as_slice() == x509.public_key().raw {
                KeyMatch::Matches
            } else {
                KeyMatch::DoesNotMatch
            };
        }
        if let Some(modulus) = &self.rsa_modulus {
            return match x509.public_key().parsed() {
                Ok(PublicKey::RSA(rsa)) if strip_zeros(rsa.modulus) == modulus.as_slice() => {
                    KeyMatch::Matches
                }
                Ok(_) => KeyMatch::DoesNotMatch,
                Err(e) => KeyMatch::Unknown(format!("the certificate's key does not decode: {e}")),
            };
        }
        KeyMatch::Unknown(match &self.load_error {
            Some(e) => format!("the key could not be loaded: {e}"),
            None => "the key type is not supported".into(),
        })
    }
}

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";

/// What [`PrivateKeyInfo::problem`] says of bytes that are no private key at all.
const NOT_A_KEY: &str = "holds no PEM/DER private key";

/// What [`PrivateKeyInfo::problem`] says of a DSA key. TLS 1.3 has no DSA signature scheme
/// (RFC 8446 §4.2.3) and no current client offers a DSS cipher suite for TLS 1.2.
const DSA: &str = "holds a DSA private key, which TLS servers cannot use";

/// The algorithm of a PKCS#8 key the TLS provider refused, and why a server cannot use it;
/// `None` when the bytes are no PKCS#8 structure.
fn pkcs8_algorithm(pkcs8: &[u8]) -> Option<(Option<String>, String)> {
    let (oid, parameters) = pkcs8_oid(pkcs8)?;
    let named = |name: &str, problem: &str| Some((Some(name.to_owned()), problem.to_owned()));
    match oid.as_str() {
        "1.2.840.10040.4.1" => named("DSA", DSA),
        "1.3.101.113" => named(
            "Ed448",
            "holds an Ed448 private key, which TLS servers cannot use with today's clients (browsers, rustls, Go and Java have no Ed448)",
        ),
        "1.3.101.110" | "1.3.101.111" => named(
            if oid == "1.3.101.110" { "X25519" } else { "X448" },
            "holds a key-agreement key (X25519/X448), which cannot sign: TLS servers cannot use it as their key",
        ),
        "1.2.840.113549.1.3.1" | "1.2.840.10046.2.1" => named(
            "DH",
            "holds a Diffie-Hellman key, which cannot sign: TLS servers cannot use it as their key",
        ),
        "1.2.840.10045.2.1" => named(
            "EC",
            &format!(
                "holds an EC private key on {}, which TLS clients do not support (only P-256, P-384 and P-521)",
                parameters.map_or("an unnamed curve".to_owned(), |c| format!("curve {}", curve_name(&c)))
            ),
        ),
        RSA_ENCRYPTION | RSASSA_PSS => named(
            "RSA",
            "holds an RSA private key that does not decode",
        ),
        other => Some((
            None,
            format!("holds a private key of an algorithm TLS servers cannot use (OID {other})"),
        )),
    }
}

/// The name of a named curve's OID, or the OID.
fn curve_name(oid: &str) -> String {
    match oid {
        "1.3.132.0.10" => "secp256k1".into(),
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1".into(),
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1".into(),
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1".into(),
        "1.2.840.10045.3.1.1" => "P-192".into(),
        "1.3.132.0.33" => "P-224".into(),
        other => other.to_owned(),
    }
}

/// The algorithm OID of a PKCS#8 PrivateKeyInfo and, for EC keys, the named curve's OID.
fn pkcs8_oid(pkcs8: &[u8]) -> Option<(String, Option<String>)> {
    use der::{Decode, Reader};
    let mut reader = der::SliceReader::new(pkcs8).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    let head = reader
        .read_nested(header.length, |r| {
            UintRef::decode(r)?; // version
            let algorithm = der::asn1::AnyRef::decode(r)?;
            der::asn1::OctetStringRef::decode(r)?; // the key
            r.read_slice(r.remaining_len())?; // attributes, public key
            algorithm.decode_as::<AlgorithmHead<'_>>()
        })
        .ok()?;
    let curve = head
        .parameters
        .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
        .map(|c| c.to_string());
    Some((head.oid.to_string(), curve))
}

/// Loads `der` the way rustls' aws-lc-rs key provider does (`sign::any_supported_type`:
/// RSA as PKCS#1 or PKCS#8, ECDSA on P-256/P-384/P-521 as SEC1 or PKCS#8, Ed25519 and
/// ML-DSA as PKCS#8), directly with aws-lc-rs so that decoding needs no TLS provider.
/// Gives the key's algorithm name and the DER SubjectPublicKeyInfo of its public half.
fn load_signing_key(
    der: &PrivateKeyDer<'_>,
) -> std::result::Result<(&'static str, Vec<u8>), &'static str> {
    use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
    use aws_lc_rs::signature::{self as sig, KeyPair};
    fn spki(key: &impl AsDer<PublicKeyX509Der<'static>>) -> Option<Vec<u8>> {
        key.as_der().ok().map(|d| d.as_ref().to_vec())
    }
    let rsa = match der {
        PrivateKeyDer::Pkcs1(k) => sig::RsaKeyPair::from_der(k.secret_pkcs1_der()).ok(),
        PrivateKeyDer::Pkcs8(k) => sig::RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()).ok(),
        _ => None,
    };
    if let Some(spki) = rsa.as_ref().and_then(|k| spki(k.public_key())) {
        return Ok(("RSA", spki));
    }
    for alg in [
        &sig::ECDSA_P256_SHA256_ASN1_SIGNING,
        &sig::ECDSA_P384_SHA384_ASN1_SIGNING,
        &sig::ECDSA_P521_SHA512_ASN1_SIGNING,
    ] {
        let key = match der {
            PrivateKeyDer::Sec1(k) => {
                sig::EcdsaKeyPair::from_private_key_der(alg, k.secret_sec1_der())
            }
            PrivateKeyDer::Pkcs8(k) => sig::EcdsaKeyPair::from_pkcs8(alg, k.secret_pkcs8_der()),
            _ => continue,
        };
        if let Some(spki) = key.ok().as_ref().and_then(|k| spki(k.public_key())) {
            return Ok(("EC", spki));
        }
    }
    if let PrivateKeyDer::Pkcs8(k) = der {
        let ed25519 = sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(k.secret_pkcs8_der());
        if let Some(spki) = ed25519.ok().as_ref().and_then(|k| spki(k.public_key())) {
            return Ok(("Ed25519", spki));
        }
        for (name, alg) in [
            ("ML-DSA-44", &sig::ML_DSA_44_SIGNING),
            ("ML-DSA-65", &sig::ML_DSA_65_SIGNING),
            ("ML-DSA-87", &sig::ML_DSA_87_SIGNING),
        ] {
            let key = sig::PqdsaKeyPair::from_pkcs8(alg, k.secret_pkcs8_der());
            if let Some(spki) = key.ok().as_ref().and_then(|k| spki(k.public_key())) {
                return Ok((name, spki));
            }
        }
    }
    // rustls' words for the same refusal.
    Err("failed to parse private key as RSA, ECDSA, or EdDSA")
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// The modulus of an RSA key, from PKCS#1 or PKCS#8 — used for keys the provider refuses
/// (e.g. RSA-1024), so a weak key can still be matched to its certificate.
fn rsa_modulus(der: &PrivateKeyDer<'_>) -> Option<Vec<u8>> {
    use der::{Decode, Reader};
    // Both structures are read field by field: only their leading fields matter here.
    fn pkcs1_modulus(pkcs1: &[u8]) -> Option<Vec<u8>> {
        let mut reader = der::SliceReader::new(pkcs1).ok()?;
        let header = der::Header::decode(&mut reader).ok()?;
        reader
            .read_nested(header.length, |r| {
                UintRef::decode(r)?; // version
                let modulus = UintRef::decode(r)?;
                let out = strip_zeros(modulus.as_bytes()).to_vec();
                r.read_slice(r.remaining_len())?; // the remaining fields
                Ok(out)
            })
            .ok()
    }
    match der {
        PrivateKeyDer::Pkcs1(k) => pkcs1_modulus(k.secret_pkcs1_der()),
        PrivateKeyDer::Pkcs8(k) => {
            let mut reader = der::SliceReader::new(k.secret_pkcs8_der()).ok()?;
            let header = der::Header::decode(&mut reader).ok()?;
            let (oid, key) = reader
                .read_nested(header.length, |r| {
                    UintRef::decode(r)?; // version
                    let algorithm = der::asn1::AnyRef::decode(r)?;
                    let key = der::asn1::OctetStringRef::decode(r)?;
                    r.read_slice(r.remaining_len())?; // attributes, public key
                    let oid = algorithm.decode_as::<AlgorithmHead<'_>>()?.oid;
                    Ok((oid, key.as_bytes().to_vec()))
                })
                .ok()?;
            // An RSASSA-PSS key holds the same RSAPrivateKey (RFC 8017 §A.1.2).
            if ![RSA_ENCRYPTION, RSASSA_PSS].contains(&oid.to_string().as_str()) {
                return None;
            }
            pkcs1_modulus(&key)
        }
        _ => None,
    }
}

/// An AlgorithmIdentifier: the OID and any parameters.
#[derive(der::Sequence)]
struct AlgorithmHead<'a> {
    oid: der::asn1::ObjectIdentifier,
    parameters: Option<der::asn1::AnyRef<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(path)
    }

    fn leaf(dir: &str) -> CertificateDer<'static> {
        crate::load_certificates(&fixture(&format!("{dir}/leaf.pem"))).unwrap()[0].clone()
    }

    #[test]
    fn every_fixture_key_type_matches_its_leaf() {
        for dir in ["rsa", "ecdsa", "ed25519", "rsa1024"] {
            let key = PrivateKeyInfo::load_path(&fixture(&format!("{dir}/leaf.key"))).unwrap();
            assert_eq!(key.matches(&leaf(dir)), KeyMatch::Matches, "{dir}");
        }
    }

    /// The direct aws-lc-rs loader accepts exactly the keys rustls' aws-lc-rs key provider
    /// accepts, with the same public half: every fixture key, keys of every type minted here
    /// (RSA, P-256, P-384, P-521, Ed25519, SEC1 and PKCS#1 forms) and keys it must refuse.
    #[test]
    fn loads_exactly_what_rustls_aws_lc_rs_provider_loads() {
        use rustls_pki_types::pem::PemObject;
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let mut ders: Vec<(String, PrivateKeyDer<'static>)> = Vec::new();
        for entry in std::fs::read_dir(fixture("")).unwrap() {
            let dir = entry.unwrap().path();
            for file in ["leaf.key", "leaf.rsa.key"] {
                if let Ok(bytes) = std::fs::read(dir.join(file)) {
                    if let Ok(der) = PrivateKeyDer::from_pem_slice(&bytes) {
                        ders.push((dir.join(file).display().to_string(), der));
                    }
                }
            }
        }
        #[cfg(feature = "mint")]
        for alg in [
            &rcgen::PKCS_ECDSA_P256_SHA256,
            &rcgen::PKCS_ECDSA_P384_SHA384,
            &rcgen::PKCS_ECDSA_P521_SHA512,
            &rcgen::PKCS_ED25519,
            &rcgen::PKCS_RSA_SHA256,
        ] {
            let key = rcgen::KeyPair::generate_for(alg).unwrap();
            let der = PrivatePkcs8KeyDer::from(key.serialize_der());
            ders.push((format!("{alg:?}"), PrivateKeyDer::Pkcs8(der)));
        }
        // Refusals: garbage in each container, a truncated key.
        ders.push((
            "junk pkcs8".into(),
            PrivateKeyDer::Pkcs8(vec![0x30, 0x03, 2, 1, 0].into()),
        ));
        ders.push((
            "junk pkcs1".into(),
            PrivateKeyDer::Pkcs1(vec![0x30, 0x00].into()),
        ));
        ders.push((
            "junk sec1".into(),
            PrivateKeyDer::Sec1(vec![0x30, 0x00].into()),
        ));
        assert!(ders.len() >= 12, "{} keys", ders.len());
        for (name, der) in ders {
            let theirs = provider
                .key_provider
                .load_private_key(der.clone_key())
                .ok()
                .and_then(|k| k.public_key().map(|s| s.as_ref().to_vec()));
            let ours = load_signing_key(&der).ok().map(|(_, spki)| spki);
            assert_eq!(ours, theirs, "{name}");
        }
    }

    #[test]
    fn traditional_rsa_key_matches_its_leaf() {
        let key = PrivateKeyInfo::load_path(&fixture("rsa/leaf.rsa.key")).unwrap();
        assert_eq!(key.format, KeyFormat::Pkcs1Rsa);
        assert_eq!(key.matches(&leaf("rsa")), KeyMatch::Matches);
    }

    #[test]
    fn a_different_key_does_not_match() {
        let key = PrivateKeyInfo::load_path(&fixture("key-mismatch/leaf.key")).unwrap();
        assert_eq!(key.matches(&leaf("key-mismatch")), KeyMatch::DoesNotMatch);
        let key = PrivateKeyInfo::load_path(&fixture("rsa/leaf.key")).unwrap();
        assert_eq!(key.matches(&leaf("ecdsa")), KeyMatch::DoesNotMatch);
    }

    #[test]
    fn encrypted_key_is_reported_not_guessed() {
        let key = PrivateKeyInfo::load_path(&fixture("rsa/leaf.enc.key")).unwrap();
        assert!(key.encrypted);
        assert_eq!(key.matches(&leaf("rsa")), KeyMatch::Encrypted);
    }

    #[test]
    fn empty_and_random_files_are_unusable_keys_named_as_such() {
        for (bytes, words) in [
            (&b""[..], "is empty"),
            (&b" \n\n"[..], "is empty"),
            (
                &[0x5a, 0x17, 0xc3, 0x00, 0x91, 0x44, 0x02, 0xfe][..],
                "holds no PEM/DER private key",
            ),
        ] {
            let key = PrivateKeyInfo::load_bytes(bytes, "k.pem").unwrap();
            assert_eq!(key.problem.as_deref(), Some(words));
            assert_eq!(key.format, KeyFormat::Unrecognized);
            assert_eq!(
                key.matches(&leaf("rsa")),
                KeyMatch::Unusable(format!("k.pem {words}"))
            );
        }
    }

    #[test]
    fn a_loadable_key_has_no_problem() {
        for dir in ["rsa", "ecdsa", "ed25519", "rsa1024"] {
            let key = PrivateKeyInfo::load_path(&fixture(&format!("{dir}/leaf.key"))).unwrap();
            assert_eq!(key.problem, None, "{dir}");
        }
    }

    #[test]
    fn a_certificate_is_not_a_key() {
        let err = PrivateKeyInfo::load_path(&fixture("rsa/leaf.pem")).unwrap_err();
        assert!(err
            .to_string()
            .ends_with("leaf.pem: found a CERTIFICATE block, expected PRIVATE KEY"));
    }
}
