//! rustls-webpki's errors in plain words: shared by the trust store (why webpki refuses a
//! certificate as an anchor) and by verification's messages, and below both, so neither
//! reaches into the other for them.

/// A rustls-webpki error in plain words, for messages.
#[allow(deprecated)]
pub(crate) fn webpki_error_words(e: &webpki::Error) -> &'static str {
    use webpki::Error as E;
    match e {
        E::BadDer => "bad DER encoding",
        E::BadDerTime => "a time field that is not valid DER",
        E::CaUsedAsEndEntity => "a CA certificate used as the end-entity certificate",
        E::CertDistrusted => "a certificate from an explicitly distrusted CA",
        E::CertExpired { .. } => "a certificate has expired",
        E::CertNotValidForName(_) => "the certificate is not valid for the name",
        E::CertNotValidYet { .. } => "a certificate is not valid yet",
        E::CertRevoked => "a certificate is revoked",
        E::CrlExpired { .. } => "a CRL is past its nextUpdate",
        E::EmptyEkuExtension => "an empty extendedKeyUsage extension",
        E::EndEntityUsedAsCa => "an end-entity certificate used as a CA",
        E::ExtensionValueInvalid => "an extension value that does not decode",
        E::InvalidCertValidity => "a validity period whose notAfter is before its notBefore",
        E::InvalidCrlNumber => "a cRLNumber that is not a valid non-negative integer of at most 20 octets",
        E::InvalidNetworkMaskConstraint => "an IP name constraint whose mask is not contiguous",
        E::InvalidSerialNumber => "a serial number that is not a valid positive integer of at most 20 octets",
        E::InvalidCrlSignatureForPublicKey => "a CRL signature that does not verify with its issuer's key",
        E::InvalidSignatureForPublicKey => "a signature that does not verify with the issuer's key",
        E::IssuerNotCrlSigner => "a CRL issuer whose keyUsage lacks cRLSign",
        E::MalformedDnsIdentifier => "a malformed DNS name",
        E::MalformedExtensions => "malformed or duplicate extensions",
        E::MalformedNameConstraint => "a malformed name constraint",
        E::MaximumNameConstraintComparisonsExceeded => "more name-constraint comparisons than rustls allows",
        E::MaximumPathBuildCallsExceeded => "more path-building steps than rustls allows",
        E::MaximumPathDepthExceeded => "more than 6 intermediates",
        E::MaximumSignatureChecksExceeded => "more signature checks than rustls allows (100)",
        E::NameConstraintViolation => "a name-constraint violation",
        E::PathLenConstraintViolated => "a pathLenConstraint violation",
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => "the required extended key usage is missing",
        E::SignatureAlgorithmMismatch => "the outer signature algorithm differs from the one in the signed part",
        E::TrailingData(_) => "trailing data after a DER value",
        E::UnknownIssuer => "no path to a trust anchor",
        E::UnknownRevocationStatus => "no CRL covers a certificate of the path",
        E::UnsupportedCertVersion => "an X.509 version other than v3",
        E::UnsupportedCriticalExtension => "an unsupported critical extension",
        E::UnsupportedCrlIssuingDistributionPoint => "a CRL issuing distribution point rustls does not support",
        E::UnsupportedCrlVersion => "a CRL version other than v2",
        E::UnsupportedDeltaCrl => "a delta CRL",
        E::UnsupportedIndirectCrl => "an indirect CRL",
        E::UnsupportedNameType => "a name that is neither a DNS name nor an IP address",
        E::UnsupportedRevocationReason => "an unsupported revocation reason",
        E::UnsupportedRevocationReasonsPartitioning => "a CRL partitioned by revocation reasons",
        E::UnsupportedCrlSignatureAlgorithm | E::UnsupportedCrlSignatureAlgorithmContext(_) => {
            "a CRL signature algorithm rustls does not support"
        }
        E::UnsupportedSignatureAlgorithm | E::UnsupportedSignatureAlgorithmContext(_) => {
            "a signature algorithm rustls does not support"
        }
        E::UnsupportedCrlSignatureAlgorithmForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => {
            "a CRL signature algorithm that does not fit its issuer's key"
        }
        E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
            "a signature algorithm that does not fit the issuer's key, or a key rustls does not support"
        }
        _ => "an error this chainscope does not know yet",
    }
}
