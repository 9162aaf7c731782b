//! Key types, key generation, and private keys as written to and read from disk.
//!
//! Every key is written as PKCS#8 PEM in its v1 form (no embedded public key): rcgen
//! produces Ed25519 keys as PKCS#8 v2, which OpenSSL before 3.5 (and so the nginx of
//! Debian 12) refuses to load.

use std::fmt;
use std::str::FromStr;

use pkcs8::der::zeroize::Zeroizing;
use pkcs8::der::Encode;
use rcgen::{KeyPair, RsaKeySize};

use super::MintError;

/// The kind of key pair to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[non_exhaustive]
pub enum KeyType {
    /// ECDSA on NIST P-256 with SHA-256: small, fast, accepted everywhere (the default).
    #[default]
    #[serde(rename = "ecdsa-p256")]
    EcdsaP256,
    /// ECDSA on NIST P-384 with SHA-384.
    #[serde(rename = "ecdsa-p384")]
    EcdsaP384,
    /// Ed25519. Not accepted by browsers for TLS certificates; fine for OpenSSL and rustls.
    #[serde(rename = "ed25519")]
    Ed25519,
    /// RSA 2048-bit with PKCS#1 v1.5 SHA-256 signatures.
    #[serde(rename = "rsa-2048")]
    Rsa2048,
    /// RSA 3072-bit.
    #[serde(rename = "rsa-3072")]
    Rsa3072,
    /// RSA 4096-bit (slow to generate: a second or more).
    #[serde(rename = "rsa-4096")]
    Rsa4096,
}

impl KeyType {
    /// Every key type, in the order of [`KeyType::name`]s shown in help texts.
    pub const ALL: [KeyType; 6] = [
        KeyType::EcdsaP256,
        KeyType::EcdsaP384,
        KeyType::Ed25519,
        KeyType::Rsa2048,
        KeyType::Rsa3072,
        KeyType::Rsa4096,
    ];

    /// The name used on the command line and in JSON (`ecdsa-p256`, `rsa-3072`, …).
    pub fn name(self) -> &'static str {
        match self {
            KeyType::EcdsaP256 => "ecdsa-p256",
            KeyType::EcdsaP384 => "ecdsa-p384",
            KeyType::Ed25519 => "ed25519",
            KeyType::Rsa2048 => "rsa-2048",
            KeyType::Rsa3072 => "rsa-3072",
            KeyType::Rsa4096 => "rsa-4096",
        }
    }

    /// Whether this is an RSA key type (RSA server keys also get keyEncipherment, for TLS
    /// 1.2 RSA key exchange).
    pub fn is_rsa(self) -> bool {
        matches!(self, KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096)
    }

    /// Generates a fresh key pair of this type (aws-lc-rs does the work, RSA included).
    pub(crate) fn generate(self) -> Result<KeyPair, MintError> {
        let result = match self {
            KeyType::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
            KeyType::EcdsaP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
            KeyType::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519),
            KeyType::Rsa2048 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_2048)
            }
            KeyType::Rsa3072 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_3072)
            }
            KeyType::Rsa4096 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, RsaKeySize::_4096)
            }
        };
        result.map_err(|e| MintError::KeyGeneration {
            key_type: self,
            reason: e.to_string(),
        })
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyType {
    type Err = MintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KeyType::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| MintError::UnknownKeyType {
                given: s.to_owned(),
            })
    }
}

/// A passphrase for encrypting or decrypting a private key; wiped from memory on drop.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Wraps a passphrase. Trailing `\r`/`\n` (as left by a file or a prompt) are removed.
    pub fn new(text: impl Into<String>) -> Result<Self, MintError> {
        let mut text: String = text.into();
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
        if text.is_empty() {
            return Err(MintError::EmptyPassphrase);
        }
        Ok(Passphrase(Zeroizing::new(text)))
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// PBKDF2-HMAC-SHA256 iterations for encrypted keys (OWASP's 2023 figure). OpenSSL 3.0
/// reads PBES2 with PBKDF2 + AES-256-CBC, the same scheme `openssl pkcs8 -topk8 -v2
/// aes-256-cbc` writes; scrypt is avoided because OpenSSL's default scrypt memory cap
/// rejects the parameters RustCrypto picks by default.
pub(crate) const PBKDF2_ITERATIONS: u32 = 600_000;

/// The PKCS#8 v1 DER of a key pair (the public key field, which makes v2, dropped).
pub(crate) fn pkcs8_v1_der(key: &KeyPair) -> Result<Zeroizing<Vec<u8>>, MintError> {
    let der = key.serialized_der();
    let info = pkcs8::PrivateKeyInfo::try_from(der).map_err(|e| MintError::KeyEncoding {
        reason: e.to_string(),
    })?;
    let v1 = pkcs8::PrivateKeyInfo {
        public_key: None,
        ..info
    };
    v1.to_der()
        .map(Zeroizing::new)
        .map_err(|e| MintError::KeyEncoding {
            reason: e.to_string(),
        })
}

/// The key as PEM: `PRIVATE KEY` (PKCS#8 v1), or `ENCRYPTED PRIVATE KEY` (PBES2, PBKDF2-SHA256,
/// AES-256-CBC) when a passphrase is given.
pub(crate) fn key_pem(
    key: &KeyPair,
    passphrase: Option<&Passphrase>,
) -> Result<Zeroizing<String>, MintError> {
    let der = pkcs8_v1_der(key)?;
    let encoding = |e: &dyn fmt::Display| MintError::KeyEncoding {
        reason: e.to_string(),
    };
    match passphrase {
        None => {
            let pem = pkcs8::der::pem::encode_string("PRIVATE KEY", pkcs8::LineEnding::LF, &der)
                .map_err(|e| encoding(&e))?;
            Ok(Zeroizing::new(pem))
        }
        Some(passphrase) => {
            let mut salt = [0u8; 16];
            let mut iv = [0u8; 16];
            fill_random(&mut salt)?;
            fill_random(&mut iv)?;
            let params = pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(
                PBKDF2_ITERATIONS,
                &salt,
                &iv,
            )
            .map_err(|e| encoding(&e))?;
            let info = pkcs8::PrivateKeyInfo::try_from(der.as_slice()).map_err(|e| encoding(&e))?;
            let doc = info
                .encrypt_with_params(params, passphrase.bytes())
                .map_err(|e| encoding(&e))?;
            doc.to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
                .map_err(|e| encoding(&e))
        }
    }
}

/// Fills `buf` from the operating system's CSPRNG (through aws-lc-rs).
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), MintError> {
    aws_lc_rs::rand::fill(buf).map_err(|_| MintError::Random)
}

/// Reads a private key in PEM (PKCS#8, SEC1 `EC PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`, or
/// `ENCRYPTED PRIVATE KEY` with a passphrase) or DER. `input` names it in errors.
pub(crate) fn read_private_key(
    bytes: &[u8],
    input: &str,
    passphrase: Option<&Passphrase>,
) -> Result<KeyPair, MintError> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::PrivateKeyDer;

    let unreadable = |reason: String| MintError::KeyUnreadable {
        input: input.to_owned(),
        reason,
    };
    let text = std::str::from_utf8(bytes).ok();
    if let Some(text) = text.filter(|t| t.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
        let Some(passphrase) = passphrase else {
            return Err(MintError::KeyEncrypted {
                input: input.to_owned(),
            });
        };
        let start = text
            .find("-----BEGIN ENCRYPTED PRIVATE KEY-----")
            .unwrap_or(0);
        let (_, doc) = pkcs8::der::Document::from_pem(&text[start..])
            .map_err(|e| unreadable(e.to_string()))?;
        let enc = pkcs8::EncryptedPrivateKeyInfo::try_from(doc.as_bytes())
            .map_err(|e| unreadable(e.to_string()))?;
        let plain = enc
            .decrypt(passphrase.bytes())
            .map_err(|_| MintError::WrongPassphrase {
                input: input.to_owned(),
            })?;
        let der = PrivateKeyDer::Pkcs8(plain.as_bytes().to_vec().into());
        return KeyPair::try_from(&der).map_err(|e| unreadable(e.to_string()));
    }
    let der = if text.is_some_and(|t| t.contains("-----BEGIN")) {
        PrivateKeyDer::from_pem_slice(bytes).map_err(|e| match e {
            rustls_pki_types::pem::Error::NoItemsFound => {
                unreadable("no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block".into())
            }
            other => unreadable(other.to_string()),
        })?
    } else {
        PrivateKeyDer::try_from(bytes.to_vec()).map_err(|e| unreadable(e.to_owned()))?
    };
    KeyPair::try_from(&der).map_err(|e| unreadable(format!("unsupported or damaged key ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_key_is_written_as_pkcs8_v1() {
        let key = KeyType::Ed25519.generate().unwrap();
        let der = pkcs8_v1_der(&key).unwrap();
        // 30 2e 02 01 00: SEQUENCE of 46 bytes, version 0 (v1).
        assert_eq!(&der[..5], &[0x30, 0x2e, 0x02, 0x01, 0x00]);
        let back = read_private_key(&der, "test", None).unwrap();
        assert_eq!(back.public_key_raw(), key.public_key_raw());
    }

    #[test]
    fn encrypted_key_round_trips_and_rejects_wrong_passphrase() {
        let key = KeyType::EcdsaP256.generate().unwrap();
        let pass = Passphrase::new("correct horse\n").unwrap();
        let pem = key_pem(&key, Some(&pass)).unwrap();
        assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        let back = read_private_key(pem.as_bytes(), "k", Some(&pass)).unwrap();
        assert_eq!(back.public_key_raw(), key.public_key_raw());
        let wrong = Passphrase::new("wrong").unwrap();
        assert!(matches!(
            read_private_key(pem.as_bytes(), "k", Some(&wrong)),
            Err(MintError::WrongPassphrase { .. })
        ));
        assert!(matches!(
            read_private_key(pem.as_bytes(), "k", None),
            Err(MintError::KeyEncrypted { .. })
        ));
    }

    #[test]
    fn key_type_names_parse_back() {
        for k in KeyType::ALL {
            assert_eq!(k.name().parse::<KeyType>().unwrap(), k);
        }
        assert!("dsa".parse::<KeyType>().is_err());
    }
}
