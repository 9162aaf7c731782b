//! Human names for the object identifiers that appear in certificates.
//!
//! Names follow the RFCs (and OpenSSL's short names where an RFC gives none), so output can
//! be compared with `openssl x509 -text`. Unknown OIDs are shown in dotted form by callers.

use std::collections::HashMap;
use std::sync::OnceLock;

use x509_parser::oid_registry::{Oid, OidRegistry};

/// Well-known extended key usage purposes: (dotted OID, name).
const EKU_NAMES: &[(&str, &str)] = &[
    ("2.5.29.37.0", "anyExtendedKeyUsage"),
    ("1.3.6.1.5.5.7.3.1", "serverAuth"),
    ("1.3.6.1.5.5.7.3.2", "clientAuth"),
    ("1.3.6.1.5.5.7.3.3", "codeSigning"),
    ("1.3.6.1.5.5.7.3.4", "emailProtection"),
    ("1.3.6.1.5.5.7.3.5", "ipsecEndSystem"),
    ("1.3.6.1.5.5.7.3.6", "ipsecTunnel"),
    ("1.3.6.1.5.5.7.3.7", "ipsecUser"),
    ("1.3.6.1.5.5.7.3.8", "timeStamping"),
    ("1.3.6.1.5.5.7.3.9", "OCSPSigning"),
    ("1.3.6.1.5.5.7.3.17", "ipsecIKE"),
    ("1.3.6.1.5.5.7.3.36", "documentSigning"),
    ("1.3.6.1.4.1.311.10.3.3", "msSGC"),
    ("1.3.6.1.4.1.311.10.3.4", "msEFS"),
    ("1.3.6.1.4.1.311.20.2.2", "msSmartcardLogin"),
    ("1.3.6.1.4.1.311.10.3.12", "msDocumentSigning"),
    ("2.16.840.1.113730.4.1", "nsSGC"),
    ("1.3.6.1.5.2.3.5", "pkInitKDC"),
    ("1.3.6.1.5.2.3.4", "pkInitClientAuth"),
    ("1.3.6.1.4.1.11129.2.4.4", "certificateTransparency"),
];

/// Public key algorithms: (dotted OID, name).
const KEY_NAMES: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.1", "RSA"),
    ("1.2.840.113549.1.1.10", "RSA-PSS"),
    ("1.2.840.10045.2.1", "EC"),
    ("1.2.840.10040.4.1", "DSA"),
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    ("1.3.101.112", "Ed25519"),
    ("1.3.101.113", "Ed448"),
    ("2.16.840.1.101.3.4.3.17", "ML-DSA-44"),
    ("2.16.840.1.101.3.4.3.18", "ML-DSA-65"),
    ("2.16.840.1.101.3.4.3.19", "ML-DSA-87"),
];

/// Named elliptic curves: (dotted OID, name, bits).
const CURVE_NAMES: &[(&str, &str, u32)] = &[
    ("1.2.840.10045.3.1.1", "P-192", 192),
    ("1.3.132.0.33", "P-224", 224),
    ("1.2.840.10045.3.1.7", "P-256", 256),
    ("1.3.132.0.34", "P-384", 384),
    ("1.3.132.0.35", "P-521", 521),
    ("1.3.132.0.10", "secp256k1", 256),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", 256),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512),
];

/// Certificate extensions: (dotted OID, name).
const EXTENSION_NAMES: &[(&str, &str)] = &[
    ("2.5.29.14", "subjectKeyIdentifier"),
    ("2.5.29.15", "keyUsage"),
    ("2.5.29.17", "subjectAltName"),
    ("2.5.29.18", "issuerAltName"),
    ("2.5.29.19", "basicConstraints"),
    ("2.5.29.30", "nameConstraints"),
    ("2.5.29.31", "cRLDistributionPoints"),
    ("2.5.29.32", "certificatePolicies"),
    ("2.5.29.33", "policyMappings"),
    ("2.5.29.35", "authorityKeyIdentifier"),
    ("2.5.29.36", "policyConstraints"),
    ("2.5.29.37", "extendedKeyUsage"),
    ("2.5.29.46", "freshestCRL"),
    ("2.5.29.54", "inhibitAnyPolicy"),
    ("2.5.29.9", "subjectDirectoryAttributes"),
    ("1.3.6.1.5.5.7.1.1", "authorityInfoAccess"),
    ("1.3.6.1.5.5.7.1.11", "subjectInfoAccess"),
    ("1.3.6.1.5.5.7.1.24", "tlsFeature"),
    ("1.3.6.1.5.5.7.1.3", "qcStatements"),
    ("1.3.6.1.4.1.11129.2.4.2", "ctPrecertificateSCTs"),
    ("1.3.6.1.4.1.11129.2.4.3", "ctPrecertificatePoison"),
    ("2.16.840.1.113730.1.1", "nsCertType"),
    ("2.16.840.1.113730.1.13", "nsComment"),
    ("1.3.6.1.4.1.311.20.2", "msCertificateTemplateName"),
    ("1.3.6.1.4.1.311.21.7", "msCertificateTemplate"),
    ("1.3.6.1.4.1.311.21.10", "msApplicationPolicies"),
];

/// Distinguished-name attribute types: (dotted OID, RFC 4514 / OpenSSL short name).
const ATTRIBUTE_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "street"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "title"),
    ("2.5.4.13", "description"),
    ("2.5.4.15", "businessCategory"),
    ("2.5.4.17", "postalCode"),
    ("2.5.4.42", "GN"),
    ("2.5.4.43", "initials"),
    ("2.5.4.44", "generationQualifier"),
    ("2.5.4.46", "dnQualifier"),
    ("2.5.4.65", "pseudonym"),
    ("2.5.4.97", "organizationIdentifier"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
    ("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
];

/// Well-known certificate policies: (dotted OID, name).
const POLICY_NAMES: &[(&str, &str)] = &[
    ("2.5.29.32.0", "anyPolicy"),
    ("2.23.140.1.1", "CA/B Forum extended validation"),
    ("2.23.140.1.2.1", "CA/B Forum domain validated"),
    ("2.23.140.1.2.2", "CA/B Forum organization validated"),
    ("2.23.140.1.2.3", "CA/B Forum individual validated"),
    ("1.3.6.1.4.1.44947.1.1.1", "ISRG domain validated"),
];

fn lookup<'a>(table: &'a [(&str, &'a str)], oid: &str) -> Option<&'a str> {
    table.iter().find(|(o, _)| *o == oid).map(|(_, n)| *n)
}

/// The name of an extended key usage purpose, if it is well known.
pub(crate) fn eku_name(oid: &str) -> Option<&'static str> {
    lookup(EKU_NAMES, oid)
}

/// The name of a public key algorithm, if it is well known.
pub(crate) fn key_algorithm_name(oid: &str) -> Option<&'static str> {
    lookup(KEY_NAMES, oid)
}

/// The name and size of a named curve, if it is well known.
pub(crate) fn curve(oid: &str) -> Option<(&'static str, u32)> {
    CURVE_NAMES
        .iter()
        .find(|(o, _, _)| *o == oid)
        .map(|(_, n, b)| (*n, *b))
}

/// The name of a certificate extension, if it is well known.
pub(crate) fn extension_name(oid: &str) -> Option<&'static str> {
    lookup(EXTENSION_NAMES, oid).or_else(|| registry_short_name(oid))
}

/// The short name of a distinguished-name attribute type (`CN`, `O`, …), if it is well known.
pub(crate) fn attribute_name(oid: &str) -> Option<&'static str> {
    lookup(ATTRIBUTE_NAMES, oid)
}

/// The name of a certificate policy, if it is well known.
pub(crate) fn policy_name(oid: &str) -> Option<&'static str> {
    lookup(POLICY_NAMES, oid)
}

fn registry_short_name(oid: &str) -> Option<&'static str> {
    static REGISTRY: OnceLock<OidRegistry<'static>> = OnceLock::new();
    let registry = REGISTRY.get_or_init(|| OidRegistry::default().with_all_crypto().with_x509());
    let parsed: Oid<'static> = oid.parse().ok()?;
    registry.get(&parsed).map(|entry| entry.sn())
}

/// The dotted form of `oid` (`2.5.29.17`), exactly as [`Oid::to_id_string`] writes it.
///
/// Decoding one certificate asks for a dozen dotted OIDs (algorithms, curve, name
/// attributes, extensions), and formatting each anew — one `String` per arc, then a join —
/// was about 6 % of `verify_chain`'s CPU time (BENCHMARKS.md). The OIDs of the tables here
/// are formatted once, into a map (the signature algorithms' table finds its own rows by
/// their bytes); any other OID is formatted by x509-parser as before.
pub(crate) fn dotted(oid: &Oid<'_>) -> String {
    type Known = HashMap<Vec<u8>, (Oid<'static>, &'static str)>;
    static KNOWN: OnceLock<Known> = OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        known_dotted()
            .filter_map(|dotted| {
                let parsed: Oid<'static> = dotted.parse().ok()?;
                Some((parsed.as_bytes().to_vec(), (parsed, dotted)))
            })
            .collect()
    });
    match known.get(oid.as_bytes()) {
        // The same bytes and the same kind (a relative OID's bytes read differently).
        Some((parsed, dotted)) if parsed == oid => (*dotted).to_owned(),
        _ => oid.to_id_string(),
    }
}

/// Every dotted OID chainscope has a name for.
fn known_dotted() -> impl Iterator<Item = &'static str> {
    [
        EKU_NAMES,
        KEY_NAMES,
        EXTENSION_NAMES,
        ATTRIBUTE_NAMES,
        POLICY_NAMES,
    ]
    .into_iter()
    .flat_map(|table| table.iter().map(|(oid, _)| *oid))
    .chain(CURVE_NAMES.iter().map(|(oid, _, _)| *oid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_equals_x509_parsers_text() {
        let mut n = 0;
        for text in known_dotted() {
            let oid: Oid<'static> = text.parse().unwrap();
            assert_eq!(oid.to_id_string(), text);
            assert_eq!(dotted(&oid), text);
            n += 1;
        }
        assert!(n > 80, "{n}");
        // Not in the tables: formatted as before.
        let other: Oid<'static> = "1.2.3.4.5.99999".parse().unwrap();
        assert_eq!(dotted(&other), "1.2.3.4.5.99999");
        // A relative OID with the bytes of a known one is not that one.
        let cn: Oid<'static> = "2.5.4.3".parse().unwrap();
        let relative = Oid::new_relative(cn.as_bytes().to_vec().into());
        assert_eq!(dotted(&relative), relative.to_id_string());
        assert_ne!(dotted(&relative), "2.5.4.3");
    }

    #[test]
    fn well_known_names_resolve() {
        assert_eq!(eku_name("1.3.6.1.5.5.7.3.1"), Some("serverAuth"));
        assert_eq!(eku_name("1.3.6.1.5.5.7.3.2"), Some("clientAuth"));
        assert_eq!(curve("1.3.132.0.34"), Some(("P-384", 384)));
        assert_eq!(extension_name("2.5.29.17"), Some("subjectAltName"));
        assert_eq!(attribute_name("2.5.4.3"), Some("CN"));
        assert_eq!(eku_name("1.2.3.4"), None);
    }
}
