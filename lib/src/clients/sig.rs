//! Signature checks as the modelled clients make them: with aws-lc-rs, including the
//! legacy RSA key sizes (1024 bits) and SHA-1 that OpenSSL, GnuTLS and Go still verify
//! ([`legacy_verification_algorithm`]); whether a client then *accepts* a weak key or hash
//! is the family's policy, decided elsewhere.

use aws_lc_rs::signature::UnparsedPublicKey;
use x509_parser::prelude::{FromDer, SubjectPublicKeyInfo, X509Certificate};

use crate::x509::signature::{legacy_verification_algorithm, SignatureKey};
use crate::x509::{Certificate, KeyAlgorithm};

/// The outcome of checking a certificate's signature with a candidate issuer key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sig {
    /// The signature verifies.
    Good,
    /// It does not (or the key is not of the kind the signature algorithm needs).
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
    let key = KeyAlgorithm::from_spki(&spki);
    let Some(alg) = legacy_verification_algorithm(&child.signature, &key) else {
        return match child.signature.key {
            Some(kind) if !fits(kind, &key) => Sig::Bad,
            _ => Sig::Unchecked,
        };
    };
    let key = UnparsedPublicKey::new(alg, spki.subject_public_key.data.as_ref());
    match key.verify(x.tbs_certificate.as_ref(), x.signature_value.data.as_ref()) {
        Ok(()) => Sig::Good,
        Err(_) => Sig::Bad,
    }
}

/// Whether `key` is of the kind signatures of `kind` are made with.
fn fits(kind: SignatureKey, key: &KeyAlgorithm) -> bool {
    matches!(
        (kind, key),
        (
            SignatureKey::Rsa | SignatureKey::RsaPss,
            KeyAlgorithm::Rsa { .. }
        ) | (SignatureKey::Ecdsa, KeyAlgorithm::Ec { .. })
            | (SignatureKey::Dsa, KeyAlgorithm::Dsa { .. })
            | (SignatureKey::Ed25519, KeyAlgorithm::Ed25519)
            | (SignatureKey::Ed448, KeyAlgorithm::Ed448)
            | (SignatureKey::MlDsa, KeyAlgorithm::MlDsa(_))
    )
}
