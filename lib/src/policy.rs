//! Thresholds, in one place: which keys are strong enough, which hashes are weak, how long a
//! publicly trusted leaf may live. `verify` (rules and diagnosis), `preflight` and `show`
//! all judge through these functions, so they never disagree (P-521 and RSA-PSS keys
//! included).

use time::{Date, Month, OffsetDateTime};

use crate::x509::{Curve, Hash, KeyAlgorithm};

/// The smallest RSA modulus TLS clients accept and the Baseline Requirements allow
/// (CA/B Forum BR §6.1.5; rustls-webpki's RSA algorithms start at 2048 bits).
pub(crate) const MIN_RSA_BITS: u32 = 2048;

/// Whether a digest is too weak to rely on for signatures: MD2, MD5 and SHA-1, for which
/// collisions are practical. Clients reject them (rustls, browsers, Go); CA/B Forum BR
/// §7.1.3.2 forbids them.
pub(crate) fn hash_is_weak(hash: Hash) -> bool {
    matches!(hash, Hash::Md2 | Hash::Md5 | Hash::Sha1)
}

/// Whether a digest is SHA-256 or stronger (or the algorithm hashes internally): what a
/// certificate signature should use (BR §7.1.3.2 allows SHA-256, SHA-384, SHA-512).
pub(crate) fn hash_is_sha256_or_better(hash: Hash) -> bool {
    matches!(
        hash,
        Hash::Sha256 | Hash::Sha384 | Hash::Sha512 | Hash::Intrinsic
    )
}

/// How a key stands against what TLS clients accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyStrength {
    /// Strong enough: RSA (PKCS#1 or PSS) ≥ 2048 bits, EC P-256/P-384/P-521, Ed25519,
    /// Ed448, ML-DSA.
    Strong,
    /// Known but too weak (RSA < 2048, P-192, P-224, DSA), with why.
    Weak(String),
    /// An algorithm or curve no mainstream TLS client supports, or an undecodable key.
    Unsupported(String),
}

/// Judges a key.
pub(crate) fn key_strength(key: &KeyAlgorithm) -> KeyStrength {
    match key {
        KeyAlgorithm::Rsa { bits: Some(b), .. } if *b >= MIN_RSA_BITS => KeyStrength::Strong,
        KeyAlgorithm::Rsa { bits: Some(_), .. } => {
            KeyStrength::Weak(format!("{key}: RSA keys need at least {MIN_RSA_BITS} bits"))
        }
        KeyAlgorithm::Rsa { bits: None, .. } => {
            KeyStrength::Unsupported(format!("{key}: the modulus does not decode"))
        }
        KeyAlgorithm::Ec {
            curve: Curve::P256 | Curve::P384 | Curve::P521,
            ..
        } => KeyStrength::Strong,
        KeyAlgorithm::Ec {
            curve: Curve::P192 | Curve::P224,
            ..
        } => KeyStrength::Weak(format!("{key}: curves under 256 bits are too weak")),
        KeyAlgorithm::Ec { .. } => KeyStrength::Unsupported(format!(
            "{key}: TLS clients support only the NIST curves P-256, P-384 and P-521"
        )),
        KeyAlgorithm::Ed25519 | KeyAlgorithm::Ed448 | KeyAlgorithm::MlDsa(_) => KeyStrength::Strong,
        KeyAlgorithm::Dsa { .. } => {
            KeyStrength::Weak(format!("{key}: DSA is no longer accepted for TLS"))
        }
        KeyAlgorithm::Other(_) => {
            KeyStrength::Unsupported(format!("{key}: not a signature key TLS clients use"))
        }
    }
}

/// Why a subscriber (leaf) key is not allowed by CA/B Forum BR §6.1.5, if it is not: RSA
/// with a modulus of at least 2048 bits and a multiple of 8 bits, or ECDSA on P-256, P-384
/// or P-521. Ed25519 is accepted too (private PKIs use it; the BR do not list it).
pub(crate) fn subscriber_key_problem(key: &KeyAlgorithm) -> Option<String> {
    match key {
        KeyAlgorithm::Rsa { bits: Some(b), .. } if *b >= MIN_RSA_BITS && b % 8 == 0 => None,
        KeyAlgorithm::Rsa { bits: Some(b), .. } => Some(format!("RSA-{b}")),
        KeyAlgorithm::Rsa { bits: None, .. } => Some("RSA (undecodable modulus)".into()),
        KeyAlgorithm::Ec {
            curve: Curve::P256 | Curve::P384 | Curve::P521,
            ..
        } => None,
        KeyAlgorithm::Ec { curve, .. } => Some(format!("EC {}", curve.name())),
        KeyAlgorithm::Ed25519 => None,
        KeyAlgorithm::Dsa { .. } => Some("DSA".into()),
        other => Some(other.to_string()),
    }
}

/// The smallest RSA public exponent CA/B Forum BR §6.1.6 recommends: 2¹⁶+1 (65537).
pub(crate) const MIN_RECOMMENDED_RSA_EXPONENT: u64 = 65537;

/// Why an RSA public exponent falls outside what CA/B Forum BR §6.1.6 asks for, if it does:
/// it MUST be odd and at least 3, and SHOULD lie between 2¹⁶+1 and 2²⁵⁶−1. `None` for
/// other keys, and for an exponent over 64 bits (not decoded; such exponents are below
/// 2²⁵⁶ in every key seen in practice, and BR only recommends that bound).
pub(crate) fn rsa_exponent_problem(key: &KeyAlgorithm) -> Option<String> {
    let KeyAlgorithm::Rsa {
        exponent: Some(e), ..
    } = key
    else {
        return None;
    };
    if e % 2 == 0 || *e < 3 {
        Some(format!(
            "public exponent {e}, which is not an odd number of at least 3 (a MUST of BR §6.1.6)"
        ))
    } else if *e < MIN_RECOMMENDED_RSA_EXPONENT {
        Some(format!(
            "public exponent {e}, below the {MIN_RECOMMENDED_RSA_EXPONENT} that BR §6.1.6 recommends"
        ))
    } else {
        None
    }
}

/// The longest validity, in days, CA/B Forum BR §6.3.2 allows a subscriber certificate
/// issued at `not_before` (ballot SC-081: 398 days until 2026-03-15, then 200, from
/// 2027-03-15 100, from 2029-03-15 47; 825 days before 2020-09-01).
pub(crate) fn max_public_leaf_days(not_before: OffsetDateTime) -> i64 {
    let date = |y, m| Date::from_calendar_date(y, m, if m == Month::September { 1 } else { 15 });
    let issued = not_before.date();
    let steps = [
        (date(2020, Month::September), 825),
        (date(2026, Month::March), 398),
        (date(2027, Month::March), 200),
        (date(2029, Month::March), 100),
    ];
    for (until, days) in steps {
        if until.is_ok_and(|u| issued < u) {
            return days;
        }
    }
    47
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsa(bits: u32, pss: bool) -> KeyAlgorithm {
        KeyAlgorithm::Rsa {
            bits: Some(bits),
            exponent: Some(65537),
            pss,
        }
    }

    fn ec(curve: Curve) -> KeyAlgorithm {
        KeyAlgorithm::Ec { curve, bits: None }
    }

    #[test]
    fn rsa_pss_keys_are_judged_as_rsa_keys() {
        assert_eq!(key_strength(&rsa(2048, true)), KeyStrength::Strong);
        assert!(matches!(
            key_strength(&rsa(1024, true)),
            KeyStrength::Weak(_)
        ));
        assert_eq!(subscriber_key_problem(&rsa(3072, true)), None);
        assert_eq!(
            subscriber_key_problem(&rsa(2049, false)).as_deref(),
            Some("RSA-2049")
        );
    }

    #[test]
    fn p521_is_strong_and_allowed_small_curves_are_not() {
        assert_eq!(key_strength(&ec(Curve::P521)), KeyStrength::Strong);
        assert_eq!(subscriber_key_problem(&ec(Curve::P521)), None);
        assert!(matches!(
            key_strength(&ec(Curve::P224)),
            KeyStrength::Weak(_)
        ));
        assert!(matches!(
            key_strength(&ec(Curve::Other("secp256k1".into()))),
            KeyStrength::Unsupported(_)
        ));
        assert_eq!(
            subscriber_key_problem(&ec(Curve::P192)).as_deref(),
            Some("EC P-192")
        );
    }

    #[test]
    fn public_leaf_lifetime_follows_the_ballot_schedule() {
        let at = |y, m, d| {
            Date::from_calendar_date(y, m, d)
                .unwrap()
                .midnight()
                .assume_utc()
        };
        assert_eq!(max_public_leaf_days(at(2019, Month::June, 1)), 825);
        assert_eq!(max_public_leaf_days(at(2020, Month::September, 1)), 398);
        assert_eq!(max_public_leaf_days(at(2026, Month::March, 14)), 398);
        assert_eq!(max_public_leaf_days(at(2026, Month::March, 15)), 200);
        assert_eq!(max_public_leaf_days(at(2027, Month::March, 15)), 100);
        assert_eq!(max_public_leaf_days(at(2029, Month::March, 15)), 47);
    }

    #[test]
    fn weak_hashes_are_the_broken_ones() {
        assert!(hash_is_weak(Hash::Sha1) && hash_is_weak(Hash::Md5));
        assert!(!hash_is_weak(Hash::Sha224));
        assert!(!hash_is_sha256_or_better(Hash::Sha224));
        assert!(hash_is_sha256_or_better(Hash::Intrinsic));
    }

    #[test]
    fn rsa_exponents_are_judged_as_br_6_1_6_says() {
        let rsa = |e| KeyAlgorithm::Rsa {
            bits: Some(2048),
            exponent: Some(e),
            pss: false,
        };
        assert_eq!(rsa_exponent_problem(&rsa(65537)), None);
        assert_eq!(rsa_exponent_problem(&rsa(0x1_0000_0001)), None);
        for small in [3, 17, 65535] {
            let p = rsa_exponent_problem(&rsa(small)).unwrap();
            assert!(
                p.contains("recommends") && p.contains(&small.to_string()),
                "{p}"
            );
        }
        for bad in [0, 1, 2, 65536] {
            assert!(
                rsa_exponent_problem(&rsa(bad)).unwrap().contains("MUST"),
                "{bad}"
            );
        }
        let unknown = KeyAlgorithm::Rsa {
            bits: Some(2048),
            exponent: None,
            pss: false,
        };
        assert_eq!(rsa_exponent_problem(&unknown), None);
        assert_eq!(rsa_exponent_problem(&KeyAlgorithm::Ed25519), None);
    }
}
