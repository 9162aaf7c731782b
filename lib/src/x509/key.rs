//! The subject public key: its algorithm as an enum, with size and curve.

use std::fmt;

use x509_parser::prelude::FromDer;
use x509_parser::public_key::{PublicKey, RSAPublicKey};
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::oids;

/// A named elliptic curve (RFC 5480 §2.1.1.1), or what stands in its place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Curve {
    /// secp192r1.
    P192,
    /// secp224r1.
    P224,
    /// secp256r1 (prime256v1).
    P256,
    /// secp384r1.
    P384,
    /// secp521r1.
    P521,
    /// Another named curve (secp256k1, brainpool…), by name when known, else dotted OID.
    Other(String),
    /// Explicit parameters instead of a named curve (forbidden by RFC 5480 §2.1.1).
    Explicit,
}

impl Curve {
    fn from_oid(oid: &str) -> Curve {
        match oid {
            "1.2.840.10045.3.1.1" => Curve::P192,
            "1.3.132.0.33" => Curve::P224,
            "1.2.840.10045.3.1.7" => Curve::P256,
            "1.3.132.0.34" => Curve::P384,
            "1.3.132.0.35" => Curve::P521,
            other => Curve::Other(
                oids::curve(other)
                    .map(|(name, _)| name.to_owned())
                    .unwrap_or_else(|| other.to_owned()),
            ),
        }
    }

    /// `P-256`, `secp256k1`, a dotted OID, or `explicit parameters`.
    pub(crate) fn name(&self) -> &str {
        match self {
            Curve::P192 => "P-192",
            Curve::P224 => "P-224",
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::Other(name) => name,
            Curve::Explicit => "explicit parameters",
        }
    }
}

/// The algorithm of a SubjectPublicKeyInfo, with what strength rules need.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum KeyAlgorithm {
    /// RSA (rsaEncryption), or RSA restricted to PSS signatures (id-RSASSA-PSS, RFC 4055).
    Rsa {
        /// Modulus size in bits, when the key decodes.
        bits: Option<u32>,
        /// Public exponent, when it fits 64 bits.
        exponent: Option<u64>,
        /// Whether the key is an id-RSASSA-PSS key.
        pss: bool,
    },
    /// An elliptic-curve key (id-ecPublicKey).
    Ec {
        /// The curve.
        curve: Curve,
        /// Field size in bits, when known.
        bits: Option<u32>,
    },
    /// Ed25519 (RFC 8410).
    Ed25519,
    /// Ed448 (RFC 8410).
    Ed448,
    /// DSA.
    Dsa {
        /// Size of the prime p in bits, when the parameters decode.
        bits: Option<u32>,
    },
    /// ML-DSA (FIPS 204), by parameter set: 44, 65 or 87.
    MlDsa(u16),
    /// Any other algorithm, by name when known (`X25519`) or dotted OID.
    Other(String),
}

impl KeyAlgorithm {
    /// Decodes the algorithm of `spki`.
    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfo<'_>) -> KeyAlgorithm {
        let oid = oids::dotted(&spki.algorithm.algorithm);
        let parsed = spki.parsed().ok();
        match oid.as_str() {
            "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
                // x509-parser decodes the key of rsaEncryption only; an id-RSASSA-PSS key
                // holds the same RSAPublicKey (RFC 4055 §1.2).
                let rsa = match parsed {
                    Some(PublicKey::RSA(rsa)) => Some(rsa),
                    _ => RSAPublicKey::from_der(&spki.subject_public_key.data)
                        .ok()
                        .map(|(_, rsa)| rsa),
                };
                let (bits, exponent) = match rsa {
                    Some(rsa) => (modulus_bits(rsa.modulus), rsa.try_exponent().ok()),
                    None => (None, None),
                };
                KeyAlgorithm::Rsa {
                    bits,
                    exponent,
                    pss: oid == "1.2.840.113549.1.1.10",
                }
            }
            "1.2.840.10045.2.1" => {
                let curve = match spki.algorithm.parameters.as_ref().map(|p| p.as_oid()) {
                    Some(Ok(curve)) => Curve::from_oid(&oids::dotted(&curve)),
                    _ => Curve::Explicit,
                };
                let from_curve = match &curve {
                    Curve::P192 => Some(192),
                    Curve::P224 => Some(224),
                    Curve::P256 => Some(256),
                    Curve::P384 => Some(384),
                    Curve::P521 => Some(521),
                    Curve::Other(_) => spki
                        .algorithm
                        .parameters
                        .as_ref()
                        .and_then(|p| p.as_oid().ok())
                        .and_then(|o| oids::curve(&oids::dotted(&o)))
                        .map(|(_, bits)| bits),
                    Curve::Explicit => None,
                };
                let bits = from_curve.or(match parsed {
                    Some(PublicKey::EC(point)) => {
                        u32::try_from(point.key_size()).ok().filter(|&b| b > 0)
                    }
                    _ => None,
                });
                KeyAlgorithm::Ec { curve, bits }
            }
            "1.3.101.112" => KeyAlgorithm::Ed25519,
            "1.3.101.113" => KeyAlgorithm::Ed448,
            "1.2.840.10040.4.1" => KeyAlgorithm::Dsa {
                bits: dsa_bits(spki),
            },
            "2.16.840.1.101.3.4.3.17" => KeyAlgorithm::MlDsa(44),
            "2.16.840.1.101.3.4.3.18" => KeyAlgorithm::MlDsa(65),
            "2.16.840.1.101.3.4.3.19" => KeyAlgorithm::MlDsa(87),
            other => KeyAlgorithm::Other(
                oids::key_algorithm_name(other)
                    .map(str::to_owned)
                    .unwrap_or_else(|| other.to_owned()),
            ),
        }
    }

    /// The key size in bits: RSA modulus, EC field, DSA prime; 256 for Ed25519, 456 for
    /// Ed448 (as OpenSSL prints them).
    pub(crate) fn bits(&self) -> Option<u32> {
        match self {
            KeyAlgorithm::Rsa { bits, .. }
            | KeyAlgorithm::Ec { bits, .. }
            | KeyAlgorithm::Dsa { bits } => *bits,
            KeyAlgorithm::Ed25519 => Some(256),
            KeyAlgorithm::Ed448 => Some(456),
            KeyAlgorithm::MlDsa(_) | KeyAlgorithm::Other(_) => None,
        }
    }

    /// The curve of an EC key.
    pub(crate) fn curve(&self) -> Option<&Curve> {
        match self {
            KeyAlgorithm::Ec { curve, .. } => Some(curve),
            _ => None,
        }
    }

    /// Whether the key is RSA (rsaEncryption or id-RSASSA-PSS).
    pub(crate) fn is_rsa(&self) -> bool {
        matches!(self, KeyAlgorithm::Rsa { .. })
    }
}

impl fmt::Display for KeyAlgorithm {
    /// `RSA-2048`, `RSA-PSS-3072`, `EC P-256`, `Ed25519`, `DSA-1024`, `ML-DSA-65`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyAlgorithm::Rsa { bits, pss, .. } => {
                let name = if *pss { "RSA-PSS" } else { "RSA" };
                match bits {
                    Some(b) => write!(f, "{name}-{b}"),
                    None => f.write_str(name),
                }
            }
            KeyAlgorithm::Ec { curve, .. } => write!(f, "EC {}", curve.name()),
            KeyAlgorithm::Ed25519 => f.write_str("Ed25519"),
            KeyAlgorithm::Ed448 => f.write_str("Ed448"),
            KeyAlgorithm::Dsa { bits: Some(b) } => write!(f, "DSA-{b}"),
            KeyAlgorithm::Dsa { bits: None } => f.write_str("DSA"),
            KeyAlgorithm::MlDsa(level) => write!(f, "ML-DSA-{level}"),
            KeyAlgorithm::Other(name) => f.write_str(name),
        }
    }
}

/// DSA key size is the size of the prime `p`, the first integer of the parameters.
fn dsa_bits(spki: &SubjectPublicKeyInfo<'_>) -> Option<u32> {
    let params = spki.algorithm.parameters.as_ref()?;
    // `params.data` is the SEQUENCE's content; re-frame it to decode it as a sequence.
    let der = crate::encoding::frame_sequence(params.data);
    let ints = <Vec<der::asn1::UintRef<'_>> as der::Decode>::from_der(&der).ok()?;
    u32::try_from(ints.first()?.as_bytes().len() * 8).ok()
}

/// The size in bits of an RSA modulus (INTEGER content octets): its significant bits, so a
/// 2047-bit modulus is 2047 (x509-parser 0.18's `key_size` counts whole bytes and drops the
/// first, so it reports 2040 for it). `None` for a zero or empty modulus.
fn modulus_bits(modulus: &[u8]) -> Option<u32> {
    let first = modulus.iter().position(|b| *b != 0)?;
    let significant = &modulus[first..];
    let bytes = u32::try_from(significant.len()).ok()?;
    Some(bytes * 8 - significant[0].leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::modulus_bits;

    #[test]
    fn modulus_bits_counts_significant_bits() {
        let mut m = vec![0x00, 0x80];
        m.extend(std::iter::repeat_n(0x01, 255));
        assert_eq!(modulus_bits(&m), Some(2048));
        let mut m = vec![0x7f];
        m.extend(std::iter::repeat_n(0x01, 255));
        assert_eq!(modulus_bits(&m), Some(2047));
        assert_eq!(modulus_bits(&[0x00, 0x01]), Some(1));
        assert_eq!(modulus_bits(&[0x00]), None);
        assert_eq!(modulus_bits(&[]), None);
    }
}
