//! Signature algorithms: one table recording, for each, its name, its hash and whether that
//! hash is weak.

use std::sync::OnceLock;

use x509_parser::asn1_rs::ToDer as _;
use x509_parser::oid_registry::Oid;
use x509_parser::signature_algorithm::SignatureAlgorithm as ParsedAlgorithm;
use x509_parser::x509::AlgorithmIdentifier;

use crate::policy;
use crate::x509::{Curve, KeyAlgorithm};

/// The digest a signature algorithm uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Hash {
    Md2,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    /// The algorithm hashes internally (Ed25519, Ed448, ML-DSA): no separate digest.
    Intrinsic,
}

impl Hash {
    /// `SHA-256`, `MD5`, … (`intrinsic` for EdDSA and ML-DSA).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Hash::Md2 => "MD2",
            Hash::Md5 => "MD5",
            Hash::Sha1 => "SHA-1",
            Hash::Sha224 => "SHA-224",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
            Hash::Intrinsic => "intrinsic",
        }
    }

    fn from_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            "1.2.840.113549.2.2" => Hash::Md2,
            "1.2.840.113549.2.5" => Hash::Md5,
            "1.3.14.3.2.26" => Hash::Sha1,
            "2.16.840.1.101.3.4.2.4" => Hash::Sha224,
            "2.16.840.1.101.3.4.2.1" => Hash::Sha256,
            "2.16.840.1.101.3.4.2.2" => Hash::Sha384,
            "2.16.840.1.101.3.4.2.3" => Hash::Sha512,
            _ => return None,
        })
    }
}

/// The key family a signature algorithm signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SignatureKey {
    Rsa,
    RsaPss,
    Ecdsa,
    Dsa,
    Ed25519,
    Ed448,
    MlDsa,
}

/// One row of the table.
struct Row {
    oid: &'static str,
    /// The name `show` prints (OpenSSL's long name where it has one).
    name: &'static str,
    key: SignatureKey,
    /// `None` for RSASSA-PSS: the hash is in the parameters.
    hash: Option<Hash>,
}

/// Every signature algorithm chainscope names (RFC 3279, RFC 4055, RFC 5758, RFC 8410,
/// FIPS 204). The `weak` flag of each comes from [`policy::hash_is_weak`].
const TABLE: &[Row] = &[
    row(
        "1.2.840.113549.1.1.2",
        "md2WithRSAEncryption",
        SignatureKey::Rsa,
        Some(Hash::Md2),
    ),
    row(
        "1.2.840.113549.1.1.4",
        "md5WithRSAEncryption",
        SignatureKey::Rsa,
        Some(Hash::Md5),
    ),
    row(
        "1.2.840.113549.1.1.5",
        "sha1WithRSAEncryption",
        SignatureKey::Rsa,
        Some(Hash::Sha1),
    ),
    row(
        "1.2.840.113549.1.1.10",
        "rsassaPss",
        SignatureKey::RsaPss,
        None,
    ),
    row(
        "1.2.840.113549.1.1.11",
        "sha256WithRSAEncryption",
        SignatureKey::Rsa,
        Some(Hash::Sha256),
    ),
    row(
        "1.2.840.113549.1.1.12",
        "sha384WithRSAEncryption",
        SignatureKey::Rsa,
        Some(Hash::Sha384),
    ),
    row(
        "1.2.840.113549.1.1.13",
        "sha512WithRSAEncryption",
        SignatureKey::Rsa,
        Some(Hash::Sha512),
    ),
    row(
        "1.2.840.113549.1.1.14",
        "sha224WithRSAEncryption",
        SignatureKey::Rsa,
        Some(Hash::Sha224),
    ),
    row(
        "1.2.840.10045.4.1",
        "ecdsa-with-SHA1",
        SignatureKey::Ecdsa,
        Some(Hash::Sha1),
    ),
    row(
        "1.2.840.10045.4.3.1",
        "ecdsa-with-SHA224",
        SignatureKey::Ecdsa,
        Some(Hash::Sha224),
    ),
    row(
        "1.2.840.10045.4.3.2",
        "ecdsa-with-SHA256",
        SignatureKey::Ecdsa,
        Some(Hash::Sha256),
    ),
    row(
        "1.2.840.10045.4.3.3",
        "ecdsa-with-SHA384",
        SignatureKey::Ecdsa,
        Some(Hash::Sha384),
    ),
    row(
        "1.2.840.10045.4.3.4",
        "ecdsa-with-SHA512",
        SignatureKey::Ecdsa,
        Some(Hash::Sha512),
    ),
    row(
        "1.2.840.10040.4.3",
        "dsa-with-SHA1",
        SignatureKey::Dsa,
        Some(Hash::Sha1),
    ),
    row(
        "2.16.840.1.101.3.4.3.1",
        "dsa-with-SHA224",
        SignatureKey::Dsa,
        Some(Hash::Sha224),
    ),
    row(
        "2.16.840.1.101.3.4.3.2",
        "dsa-with-SHA256",
        SignatureKey::Dsa,
        Some(Hash::Sha256),
    ),
    row(
        "1.3.101.112",
        "ED25519",
        SignatureKey::Ed25519,
        Some(Hash::Intrinsic),
    ),
    row(
        "1.3.101.113",
        "ED448",
        SignatureKey::Ed448,
        Some(Hash::Intrinsic),
    ),
    row(
        "2.16.840.1.101.3.4.3.17",
        "ML-DSA-44",
        SignatureKey::MlDsa,
        Some(Hash::Intrinsic),
    ),
    row(
        "2.16.840.1.101.3.4.3.18",
        "ML-DSA-65",
        SignatureKey::MlDsa,
        Some(Hash::Intrinsic),
    ),
    row(
        "2.16.840.1.101.3.4.3.19",
        "ML-DSA-87",
        SignatureKey::MlDsa,
        Some(Hash::Intrinsic),
    ),
];

const fn row(oid: &'static str, name: &'static str, key: SignatureKey, hash: Option<Hash>) -> Row {
    Row {
        oid,
        name,
        key,
        hash,
    }
}

/// A certificate's (or CRL's) signature algorithm, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignatureAlgorithm {
    /// Dotted OID.
    pub(crate) oid: String,
    /// The table's name, or the dotted OID when the algorithm is not in it.
    pub(crate) name: String,
    /// The key family, when the algorithm is known.
    pub(crate) key: Option<SignatureKey>,
    /// The digest: from the table, or from the RSASSA-PSS parameters (SHA-1 when they name
    /// none, as RFC 4055 §3.1 defaults). `None` when unknown.
    pub(crate) hash: Option<Hash>,
    /// Whether the digest is too weak to rely on ([`policy::hash_is_weak`]).
    pub(crate) weak: bool,
    /// The AlgorithmIdentifier's parameters (DER), for exact comparisons.
    pub(crate) parameters: Option<Vec<u8>>,
}

/// The row of [`TABLE`] for `oid`, found by its encoded bytes: a known algorithm's dotted
/// form is the table's own string, never formatted anew (formatting OIDs was 6 % of
/// `verify_chain`, BENCHMARKS.md).
fn row_of(oid: &Oid<'_>) -> Option<&'static Row> {
    static ENCODED: OnceLock<Vec<Option<Oid<'static>>>> = OnceLock::new();
    let encoded = ENCODED.get_or_init(|| TABLE.iter().map(|r| r.oid.parse().ok()).collect());
    encoded
        .iter()
        .position(|known| known.as_ref() == Some(oid))
        .map(|i| &TABLE[i])
}

impl SignatureAlgorithm {
    /// Decodes an AlgorithmIdentifier.
    pub(crate) fn from_identifier(alg: &AlgorithmIdentifier<'_>) -> SignatureAlgorithm {
        let row = row_of(&alg.algorithm);
        let oid = match row {
            Some(r) => r.oid.to_owned(),
            None => crate::oids::dotted(&alg.algorithm),
        };
        let hash = match row {
            Some(Row { hash: Some(h), .. }) => Some(*h),
            Some(Row { hash: None, .. }) => pss_hash(alg),
            None => None,
        };
        SignatureAlgorithm {
            name: row
                .map(|r| r.name.to_owned())
                .unwrap_or_else(|| oid.clone()),
            key: row.map(|r| r.key),
            weak: hash.is_some_and(policy::hash_is_weak),
            hash,
            parameters: alg
                .parameters
                .as_ref()
                .map(|p| p.to_der_vec().unwrap_or_default()),
            oid,
        }
    }
}

/// The hash of RSASSA-PSS parameters: SHA-1 when absent (RFC 4055 §3.1), `None` when they
/// do not decode or name an unknown hash.
fn pss_hash(alg: &AlgorithmIdentifier<'_>) -> Option<Hash> {
    match ParsedAlgorithm::try_from(alg) {
        Ok(ParsedAlgorithm::RSASSA_PSS(params)) => {
            Hash::from_oid(&crate::oids::dotted(params.hash_algorithm_oid()))
        }
        _ => None,
    }
}

/// The aws-lc-rs algorithm that checks a signature made with `alg` by the key `key`,
/// including the legacy ones rustls refuses — RSA PKCS#1 keys from 1024 bits, SHA-1 — which
/// OpenSSL, GnuTLS and Go still verify: whether a weak key or hash is then *accepted* is
/// the caller's policy. `None` when aws-lc-rs has none for the combination (MD5, DSA, RSA
/// under 1024 bits, SHA-384 or PSS with RSA under 2048 bits, other curves), or when the key
/// is not of the signature's kind.
pub(crate) fn legacy_verification_algorithm(
    alg: &SignatureAlgorithm,
    key: &KeyAlgorithm,
) -> Option<&'static dyn aws_lc_rs::signature::VerificationAlgorithm> {
    use aws_lc_rs::signature as s;
    let hash = alg.hash?;
    Some(match (alg.key?, key) {
        (
            SignatureKey::Rsa,
            KeyAlgorithm::Rsa {
                pss: false, bits, ..
            },
        ) => match hash {
            Hash::Sha1 => &s::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            Hash::Sha256 => &s::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            Hash::Sha384 if bits.is_some_and(|b| b >= 2048) => &s::RSA_PKCS1_2048_8192_SHA384,
            Hash::Sha512 => &s::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            _ => return None,
        },
        (SignatureKey::RsaPss, KeyAlgorithm::Rsa { bits, .. })
            if bits.is_some_and(|b| b >= 2048) =>
        {
            match hash {
                Hash::Sha256 => &s::RSA_PSS_2048_8192_SHA256,
                Hash::Sha384 => &s::RSA_PSS_2048_8192_SHA384,
                Hash::Sha512 => &s::RSA_PSS_2048_8192_SHA512,
                _ => return None,
            }
        }
        (SignatureKey::Ecdsa, KeyAlgorithm::Ec { curve, .. }) => match (curve, hash) {
            (Curve::P256, Hash::Sha1) => &s::ECDSA_P256_SHA1_ASN1,
            (Curve::P256, Hash::Sha256) => &s::ECDSA_P256_SHA256_ASN1,
            (Curve::P256, Hash::Sha384) => &s::ECDSA_P256_SHA384_ASN1,
            (Curve::P256, Hash::Sha512) => &s::ECDSA_P256_SHA512_ASN1,
            (Curve::P384, Hash::Sha256) => &s::ECDSA_P384_SHA256_ASN1,
            (Curve::P384, Hash::Sha384) => &s::ECDSA_P384_SHA384_ASN1,
            (Curve::P384, Hash::Sha512) => &s::ECDSA_P384_SHA512_ASN1,
            (Curve::P521, Hash::Sha1) => &s::ECDSA_P521_SHA1_ASN1,
            (Curve::P521, Hash::Sha256) => &s::ECDSA_P521_SHA256_ASN1,
            (Curve::P521, Hash::Sha384) => &s::ECDSA_P521_SHA384_ASN1,
            (Curve::P521, Hash::Sha512) => &s::ECDSA_P521_SHA512_ASN1,
            _ => return None,
        },
        (SignatureKey::Ed25519, KeyAlgorithm::Ed25519) => &s::ED25519,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn legacy_verifiers_exist_only_where_aws_lc_rs_has_them() {
        let alg = |oid: &str| SignatureAlgorithm {
            oid: oid.to_owned(),
            name: String::new(),
            key: TABLE.iter().find(|r| r.oid == oid).map(|r| r.key),
            hash: TABLE.iter().find(|r| r.oid == oid).and_then(|r| r.hash),
            weak: false,
            parameters: None,
        };
        let rsa = |bits| KeyAlgorithm::Rsa {
            bits: Some(bits),
            exponent: Some(65537),
            pss: false,
        };
        let p256 = KeyAlgorithm::Ec {
            curve: Curve::P256,
            bits: Some(256),
        };
        let sha1_rsa = alg("1.2.840.113549.1.1.5");
        let sha384_rsa = alg("1.2.840.113549.1.1.12");
        let md5_rsa = alg("1.2.840.113549.1.1.4");
        let sha1_ecdsa = alg("1.2.840.10045.4.1");
        assert!(legacy_verification_algorithm(&sha1_rsa, &rsa(1024)).is_some());
        assert!(legacy_verification_algorithm(&sha384_rsa, &rsa(2048)).is_some());
        assert!(legacy_verification_algorithm(&sha384_rsa, &rsa(1024)).is_none());
        assert!(legacy_verification_algorithm(&md5_rsa, &rsa(2048)).is_none());
        assert!(legacy_verification_algorithm(&sha1_ecdsa, &p256).is_some());
        // The key must be of the signature's kind.
        assert!(legacy_verification_algorithm(&sha1_rsa, &p256).is_none());
    }

    use super::*;

    #[test]
    fn weak_hashes_are_md2_md5_and_sha1_only() {
        for row in TABLE {
            let weak = row.hash.is_some_and(policy::hash_is_weak);
            let expected = matches!(row.hash, Some(Hash::Md2 | Hash::Md5 | Hash::Sha1));
            assert_eq!(weak, expected, "{}", row.name);
        }
    }

    #[test]
    fn oids_are_unique() {
        for (i, row) in TABLE.iter().enumerate() {
            assert!(
                TABLE[i + 1..].iter().all(|r| r.oid != row.oid),
                "{}",
                row.oid
            );
        }
    }

    #[test]
    fn rows_are_found_by_their_encoded_oid_and_keep_x509_parsers_text() {
        for row in TABLE {
            let oid: Oid<'static> = row.oid.parse().unwrap();
            assert_eq!(oid.to_id_string(), row.oid);
            assert_eq!(row_of(&oid).map(|r| r.oid), Some(row.oid));
        }
        let relative = Oid::new_relative(
            "1.2.840.113549.1.1.11"
                .parse::<Oid<'static>>()
                .unwrap()
                .as_bytes()
                .to_vec()
                .into(),
        );
        assert!(row_of(&relative).is_none());
        assert!(row_of(&"1.2.3.4".parse().unwrap()).is_none());
    }
}
