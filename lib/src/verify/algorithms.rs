//! The signature algorithms chainscope verifies with.

use rustls_pki_types::SignatureVerificationAlgorithm;

/// The signature algorithms a rustls client with the aws-lc-rs provider accepts: the list
/// in rustls 0.23's `crypto::aws_lc_rs::SUPPORTED_SIG_ALGS`, taken from rustls-webpki
/// directly so that verifying needs no TLS crypto provider (a test checks the two lists
/// are the same).
pub(crate) fn algorithms() -> &'static [&'static dyn SignatureVerificationAlgorithm] {
    use webpki::aws_lc_rs as alg;
    static ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
        alg::ECDSA_P256_SHA256,
        alg::ECDSA_P256_SHA384,
        alg::ECDSA_P256_SHA512,
        alg::ECDSA_P384_SHA256,
        alg::ECDSA_P384_SHA384,
        alg::ECDSA_P384_SHA512,
        alg::ECDSA_P521_SHA256,
        alg::ECDSA_P521_SHA384,
        alg::ECDSA_P521_SHA512,
        alg::ED25519,
        alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        alg::RSA_PKCS1_2048_8192_SHA256,
        alg::RSA_PKCS1_2048_8192_SHA384,
        alg::RSA_PKCS1_2048_8192_SHA512,
        alg::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        alg::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
        alg::ML_DSA_44,
        alg::ML_DSA_65,
        alg::ML_DSA_87,
    ];
    ALGORITHMS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The algorithm list is rustls' aws-lc-rs provider's, entry for entry, so that
    /// `--profile webpki` verifies with what a rustls client verifies with.
    #[test]
    fn algorithms_are_rustls_aws_lc_rs_providers() {
        let ids = |list: &[&dyn SignatureVerificationAlgorithm]| {
            list.iter()
                .map(|a| (a.public_key_alg_id(), a.signature_alg_id(), a.fips()))
                .collect::<Vec<_>>()
        };
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        assert_eq!(
            ids(algorithms()),
            ids(provider.signature_verification_algorithms.all)
        );
    }
}
