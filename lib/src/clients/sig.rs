//! Signature checks as the modelled clients make them: with aws-lc-rs, including the
//! legacy RSA key sizes (1024 bits) that OpenSSL, GnuTLS and Go still verify; whether a
//! client then *accepts* a weak key or hash is the family's policy, decided elsewhere.

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use x509_parser::prelude::{FromDer, SubjectPublicKeyInfo, X509Certificate};

use crate::x509::signature::{Hash, SignatureKey};
use crate::x509::Certificate;

/// The outcome of checking a certificate's signature with a candidate issuer key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sig {
    /// The signature verifies.
    Good,
    /// It does not.
    Bad,
    /// The algorithm cannot be checked here (MD5, unknown algorithms): no client in the
    /// model accepts those for a certificate below the anchor anyway.
    Unchecked,
}

/// Checks `child`'s signature with `issuer_spki` (full SubjectPublicKeyInfo DER).
pub(super) fn check(child: &Certificate, issuer_spki: &[u8]) -> Sig {
    let Ok((_, x)) = X509Certificate::from_der(child.der.as_ref()) else {
        return Sig::Bad;
    };
    let Ok((_, spki)) = SubjectPublicKeyInfo::from_der(issuer_spki) else {
        return Sig::Bad;
    };
    let Some(alg) = algorithm(child, &spki) else {
        return Sig::Unchecked;
    };
    let key = UnparsedPublicKey::new(alg, spki.subject_public_key.data.as_ref());
    match key.verify(x.tbs_certificate.as_ref(), x.signature_value.data.as_ref()) {
        Ok(()) => Sig::Good,
        Err(_) => Sig::Bad,
    }
}

fn algorithm(
    child: &Certificate,
    spki: &SubjectPublicKeyInfo<'_>,
) -> Option<&'static dyn VerificationAlgorithm> {
    let sig = &child.signature;
    let hash = sig.hash?;
    let curve_bits = spki.parsed().ok().and_then(|k| match k {
        x509_parser::public_key::PublicKey::EC(p) => Some(p.key_size()),
        _ => None,
    });
    Some(match (sig.key?, hash) {
        (SignatureKey::Rsa, Hash::Sha1) => &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        (SignatureKey::Rsa, Hash::Sha256) => {
            &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
        }
        (SignatureKey::Rsa, Hash::Sha384) => &signature::RSA_PKCS1_2048_8192_SHA384,
        (SignatureKey::Rsa, Hash::Sha512) => {
            &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
        }
        (SignatureKey::RsaPss, Hash::Sha256) => &signature::RSA_PSS_2048_8192_SHA256,
        (SignatureKey::RsaPss, Hash::Sha384) => &signature::RSA_PSS_2048_8192_SHA384,
        (SignatureKey::RsaPss, Hash::Sha512) => &signature::RSA_PSS_2048_8192_SHA512,
        (SignatureKey::Ecdsa, h) => match (curve_bits?, h) {
            (256, Hash::Sha1) => &signature::ECDSA_P256_SHA1_ASN1,
            (256, Hash::Sha256) => &signature::ECDSA_P256_SHA256_ASN1,
            (256, Hash::Sha384) => &signature::ECDSA_P256_SHA384_ASN1,
            (256, Hash::Sha512) => &signature::ECDSA_P256_SHA512_ASN1,
            (384, Hash::Sha256) => &signature::ECDSA_P384_SHA256_ASN1,
            (384, Hash::Sha384) => &signature::ECDSA_P384_SHA384_ASN1,
            (384, Hash::Sha512) => &signature::ECDSA_P384_SHA512_ASN1,
            (521, Hash::Sha1) => &signature::ECDSA_P521_SHA1_ASN1,
            (521, Hash::Sha256) => &signature::ECDSA_P521_SHA256_ASN1,
            (521, Hash::Sha384) => &signature::ECDSA_P521_SHA384_ASN1,
            (521, Hash::Sha512) => &signature::ECDSA_P521_SHA512_ASN1,
            _ => return None,
        },
        (SignatureKey::Ed25519, _) => &signature::ED25519,
        _ => return None,
    })
}
