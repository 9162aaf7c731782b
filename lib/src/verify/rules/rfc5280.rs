//! RFC 5280 requirements on certificates and CRLs that rustls-webpki does not enforce: the
//! rules of the `rfc5280` profile that RFC 5280 itself demands.

use super::{
    Applies, CertUnderTest, Check, CrlUnderTest, Level, Outcome, Role, Rule, STRICT_CLIENTS,
};
use crate::verify::code::Source;
use crate::verify::profile::Profile;
use crate::x509::extensions::KeyUsage;
use crate::x509::KeyAlgorithm;

const STRICT: Level = Level::Reject(Profile::Rfc5280);
const REISSUE: &str = "reissue the certificate from a conforming CA";
const REISSUE_CA: &str = "reissue the CA certificate with critical basicConstraints CA:TRUE";
const CONFORMING_CRLS: &str = "have the CA issue conforming CRLs";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "aki_missing",
        source: Source::Rfc5280("4.2.1.1"),
        level: STRICT,
        applies_to: Applies::ISSUED,
        summary:
            "a certificate on the path that is not self-signed (a leaf, an intermediate, a cross-signed or key-rollover CA) has no authorityKeyIdentifier keyIdentifier",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(aki_missing),
    },
    Rule {
        id: "aki_critical",
        source: Source::Rfc5280("4.2.1.1"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "authorityKeyIdentifier is marked critical",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(aki_critical),
    },
    Rule {
        id: "ski_missing",
        source: Source::Rfc5280("4.2.1.2"),
        level: STRICT,
        applies_to: Applies::CAS,
        summary: "a CA certificate without subjectKeyIdentifier",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(ski_missing),
    },
    Rule {
        id: "ski_critical",
        source: Source::Rfc5280("4.2.1.2"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "subjectKeyIdentifier is marked critical",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(ski_critical),
    },
    Rule {
        id: "serial_zero",
        source: Source::Rfc5280("4.1.2.2"),
        level: STRICT,
        applies_to: Applies::ISSUED,
        summary: "serial number zero",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(serial_zero),
    },
    Rule {
        id: "serial_negative",
        source: Source::Rfc5280("4.1.2.2"),
        level: STRICT,
        applies_to: Applies::ISSUED,
        summary: "a negative serial number",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(serial_negative),
    },
    Rule {
        id: "serial_too_long",
        source: Source::Rfc5280("4.1.2.2"),
        level: STRICT,
        applies_to: Applies::ISSUED,
        summary: "a serial number longer than 20 bytes",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(serial_too_long),
    },
    Rule {
        id: "empty_issuer",
        source: Source::Rfc5280("4.1.2.4"),
        level: STRICT,
        applies_to: Applies::ISSUED,
        summary: "an empty issuer name",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(empty_issuer),
    },
    Rule {
        id: "policy_constraints_not_critical",
        source: Source::Rfc5280("4.2.1.11"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a non-critical policyConstraints extension",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(policy_constraints_not_critical),
    },
    Rule {
        id: "name_constraints_empty",
        source: Source::Rfc5280("4.2.1.10"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "nameConstraints with neither permitted nor excluded subtrees",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(name_constraints_empty),
    },
    Rule {
        id: "malformed_aia",
        source: Source::Rfc5280("4.2.2.1"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a malformed authorityInformationAccess extension",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(malformed_aia),
    },
    Rule {
        id: "anchor_unknown_critical_extension",
        source: Source::Rfc5280("4.2"),
        level: STRICT,
        applies_to: Applies::ANCHOR,
        summary: "a trust anchor carrying a critical extension no verifier understands",
        fix: REISSUE,
        clients: Some(
            "rustls rejects this in intermediates and leaves; it does not look at trust anchors",
        ),
        check: Check::Cert(unknown_critical_extension),
    },
    Rule {
        id: "ca_missing_basic_constraints",
        source: Source::Rfc5280("4.2.1.9"),
        level: STRICT,
        applies_to: Applies::CAS,
        summary: "a certificate acting as a CA without basicConstraints CA:TRUE",
        fix: REISSUE_CA,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(ca_missing_basic_constraints),
    },
    Rule {
        id: "basic_constraints_not_critical",
        source: Source::Rfc5280("4.2.1.9"),
        level: STRICT,
        applies_to: Applies::CAS,
        summary: "a CA's basicConstraints is not critical",
        fix: REISSUE_CA,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(basic_constraints_not_critical),
    },
    Rule {
        id: "san_not_critical_empty_subject",
        source: Source::Rfc5280("4.2.1.6"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "an empty subject with a non-critical subjectAltName",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(san_not_critical_empty_subject),
    },
    Rule {
        id: "name_constraints_in_leaf",
        source: Source::Rfc5280("4.2.1.10"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "nameConstraints in a certificate that is not a CA",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(name_constraints_in_leaf),
    },
    Rule {
        id: "crl_number_missing",
        source: Source::Rfc5280("5.2.3"),
        level: STRICT,
        applies_to: Applies::CRL,
        summary: "a CRL without cRLNumber",
        fix: CONFORMING_CRLS,
        clients: Some(STRICT_CLIENTS),
        check: Check::Crl(crl_number_missing),
    },
    Rule {
        id: "crl_number_critical",
        source: Source::Rfc5280("5.2.3"),
        level: STRICT,
        applies_to: Applies::CRL,
        summary: "a CRL marking cRLNumber critical",
        fix: CONFORMING_CRLS,
        clients: Some(STRICT_CLIENTS),
        check: Check::Crl(crl_number_critical),
    },
    Rule {
        id: "validity_time_encoding",
        source: Source::Rfc5280("4.1.2.5"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a validity date through 2049 not encoded as UTCTime, or one from 2050 not encoded as GeneralizedTime",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(validity_time_encoding),
    },
    Rule {
        id: "ca_empty_subject",
        source: Source::Rfc5280("4.1.2.6"),
        level: STRICT,
        applies_to: Applies::CAS,
        summary: "a CA certificate with an empty subject",
        fix: REISSUE_CA,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(ca_empty_subject),
    },
    Rule {
        id: "empty_subject_without_san",
        source: Source::Rfc5280("4.1.2.6"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "an empty subject without a subjectAltName extension",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(empty_subject_without_san),
    },
    Rule {
        id: "duplicate_extension",
        source: Source::Rfc5280("4.2"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "the same extension appears more than once",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(duplicate_extension),
    },
    Rule {
        id: "aki_not_issuer_ski",
        source: Source::Rfc5280("4.2.1.2"),
        level: STRICT,
        applies_to: Applies::ISSUED,
        summary: "the authorityKeyIdentifier keyIdentifier differs from the issuer's subjectKeyIdentifier",
        fix: "reissue the certificate with the issuing CA's subjectKeyIdentifier as its authorityKeyIdentifier",
        clients: Some("rustls and OpenSSL accept this (OpenSSL uses the key identifiers only to pick an issuer); strict verifiers such as pyca/cryptography reject it"),
        check: Check::Cert(aki_not_issuer_ski),
    },
    Rule {
        id: "key_usage_empty",
        source: Source::Rfc5280("4.2.1.3"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a keyUsage extension with no bit set",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(key_usage_empty),
    },
    Rule {
        id: "ca_missing_key_usage",
        source: Source::Rfc5280("4.2.1.3"),
        level: STRICT,
        applies_to: Applies::CAS,
        summary: "a CA certificate without keyUsage",
        fix: "reissue the CA certificate with keyUsage keyCertSign, cRLSign",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(ca_missing_key_usage),
    },
    Rule {
        id: "keycertsign_without_ca",
        source: Source::Rfc5280("4.2.1.3"),
        level: STRICT,
        applies_to: Applies::LEAF,
        summary: "keyUsage keyCertSign in a certificate that is not a CA (basicConstraints cA not asserted)",
        fix: "reissue the leaf without keyCertSign (digitalSignature, and keyEncipherment for RSA)",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(keycertsign_without_ca),
    },
    Rule {
        id: "path_len_without_keycertsign",
        source: Source::Rfc5280("4.2.1.9"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "pathLenConstraint in a certificate that is not a CA or whose keyUsage does not assert keyCertSign",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(path_len_without_keycertsign),
    },
    Rule {
        id: "name_constraints_not_critical",
        source: Source::Rfc5280("4.2.1.10"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a non-critical nameConstraints extension",
        fix: REISSUE_CA,
        clients: Some("rustls, OpenSSL and browsers enforce the constraints either way; strict verifiers such as pyca/cryptography reject a non-critical nameConstraints"),
        check: Check::Cert(name_constraints_not_critical),
    },
    Rule {
        id: "name_constraint_dns_leading_period",
        source: Source::Rfc5280("4.2.1.10"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a DNS name constraint written with a leading period (.example.com: the URI and email form, not the DNS one)",
        fix: "reissue the CA certificate with DNS constraints written as example.com (it covers every subdomain)",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(name_constraint_dns_leading_period),
    },
    Rule {
        id: "san_empty",
        source: Source::Rfc5280("4.2.1.6"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a subjectAltName extension with no entry",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(san_empty),
    },
    Rule {
        id: "duplicate_policy",
        source: Source::Rfc5280("4.2.1.4"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a policy OID listed more than once in certificatePolicies",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(duplicate_policy),
    },
    Rule {
        id: "inhibit_any_policy_not_critical",
        source: Source::Rfc5280("4.2.1.14"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a non-critical inhibitAnyPolicy extension",
        fix: REISSUE_CA,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(inhibit_any_policy_not_critical),
    },
    Rule {
        id: "freshest_crl_critical",
        source: Source::Rfc5280("4.2.1.15"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a critical freshestCRL extension",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(freshest_crl_critical),
    },
    Rule {
        id: "aia_critical",
        source: Source::Rfc5280("4.2.2.1"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a critical authorityInformationAccess extension",
        fix: REISSUE,
        clients: Some("rustls rejects a critical authorityInformationAccess in leaves and intermediates (it does not understand it); it does not look at trust anchors"),
        check: Check::Cert(aia_critical),
    },
    Rule {
        id: "sia_critical",
        source: Source::Rfc5280("4.2.2.2"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a critical subjectInformationAccess extension",
        fix: REISSUE,
        clients: Some("rustls rejects a critical subjectInformationAccess in leaves and intermediates (it does not understand it); it does not look at trust anchors"),
        check: Check::Cert(sia_critical),
    },
    Rule {
        id: "crl_distribution_points_critical",
        source: Source::Rfc5280("4.2.1.13"),
        level: Level::Warn,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a critical cRLDistributionPoints extension (RFC 5280 says it SHOULD be non-critical)",
        fix: REISSUE,
        clients: Some("clients that do not process CRL distribution points reject a certificate marking it critical"),
        check: Check::Cert(crl_distribution_points_critical),
    },
    Rule {
        id: "ec_key_encipherment",
        source: Source::Rfc5480("3"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "an elliptic-curve key whose keyUsage asserts keyEncipherment or dataEncipherment (an EC key encrypts nothing)",
        fix: "reissue the certificate with keyUsage digitalSignature (keyCertSign, cRLSign for a CA)",
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(ec_key_encipherment),
    },
    Rule {
        id: "san_malformed_dns_name",
        source: Source::Rfc5280("4.2.1.6"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a DNS subjectAltName not in preferred name syntax (empty, empty label, a character outside letters, digits and hyphen, a label starting or ending with a hyphen or over 63 characters, a misplaced *)",
        fix: REISSUE,
        clients: Some("rustls and browsers refuse to match such a name; strict verifiers such as pyca/cryptography reject the certificate"),
        check: Check::Cert(san_malformed_dns_name),
    },
    Rule {
        id: "san_malformed_ip",
        source: Source::Rfc5280("4.2.1.6"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "an IP address subjectAltName that is neither 4 nor 16 octets",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(san_malformed_ip),
    },
    Rule {
        id: "policy_constraints_empty",
        source: Source::Rfc5280("4.2.1.11"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a policyConstraints extension that is an empty sequence",
        fix: REISSUE_CA,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(policy_constraints_empty),
    },
    Rule {
        id: "policy_mapping_any_policy",
        source: Source::Rfc5280("4.2.1.5"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a policyMappings extension mapping to or from anyPolicy",
        fix: REISSUE_CA,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(policy_mapping_any_policy),
    },
    Rule {
        id: "crl_distribution_point_incomplete",
        source: Source::Rfc5280("4.2.1.13"),
        level: STRICT,
        applies_to: Applies::ALL_CERTIFICATES,
        summary: "a cRLDistributionPoints entry with neither distributionPoint nor cRLIssuer",
        fix: REISSUE,
        clients: Some(STRICT_CLIENTS),
        check: Check::Cert(crl_distribution_point_incomplete),
    },
    Rule {
        id: "crl_aki_missing",
        source: Source::Rfc5280("5.2.1"),
        level: STRICT,
        applies_to: Applies::CRL,
        summary: "a CRL without authorityKeyIdentifier keyIdentifier",
        fix: CONFORMING_CRLS,
        clients: Some(STRICT_CLIENTS),
        check: Check::Crl(crl_aki_missing),
    },
    Rule {
        id: "crl_idp_not_critical",
        source: Source::Rfc5280("5.2.5"),
        level: STRICT,
        applies_to: Applies::CRL,
        summary: "a CRL whose issuingDistributionPoint is not critical",
        fix: CONFORMING_CRLS,
        clients: Some(STRICT_CLIENTS),
        check: Check::Crl(crl_idp_not_critical),
    },
];

fn aki_missing(t: &CertUnderTest<'_>) -> Outcome {
    let aki = t.cert.extensions.authority_key_id.as_ref();
    if aki.is_some_and(|a| a.key_id.is_some()) {
        return Outcome::Pass;
    }
    // The one exception: a CA distributing its key in a self-signed certificate. A
    // self-issued certificate signed by another key (a key rollover, a cross-sign under the
    // same name) is not one. The trust anchor is an input of RFC 5280 §6.1, not a
    // certificate of the path: the rule does not look at it.
    if t.cert.self_signed() {
        return Outcome::NotApplicable;
    }
    Outcome::fail(match aki {
        None => "is not self-signed but has no authorityKeyIdentifier (RFC 5280 4.2.1.1)",
        Some(_) => "is not self-signed but its authorityKeyIdentifier has no keyIdentifier (RFC 5280 4.2.1.1)",
    })
}

fn aki_critical(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.authority_key_id {
        None => Outcome::NotApplicable,
        Some(aki) => Outcome::unless(!aki.critical, || {
            "marks authorityKeyIdentifier critical (RFC 5280 4.2.1.1)".into()
        }),
    }
}

fn ski_missing(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(t.cert.extensions.subject_key_id.is_some(), || {
        "is a CA without subjectKeyIdentifier (RFC 5280 4.2.1.2)".into()
    })
}

fn ski_critical(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.subject_key_id {
        None => Outcome::NotApplicable,
        Some(ski) => Outcome::unless(!ski.critical, || {
            "marks subjectKeyIdentifier critical (RFC 5280 4.2.1.2)".into()
        }),
    }
}

fn serial_zero(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(t.cert.serial.iter().any(|b| *b != 0), || {
        "has serial number zero (RFC 5280 4.1.2.2)".into()
    })
}

fn serial_negative(t: &CertUnderTest<'_>) -> Outcome {
    let negative = t.cert.serial.first().is_some_and(|b| b & 0x80 != 0);
    Outcome::unless(!negative, || {
        "has a negative serial number (RFC 5280 4.1.2.2)".into()
    })
}

fn serial_too_long(t: &CertUnderTest<'_>) -> Outcome {
    let len = t.cert.serial.len();
    Outcome::unless(len <= 20, || {
        format!("has a {len}-byte serial number; at most 20 are allowed (RFC 5280 4.1.2.2)")
    })
}

fn empty_issuer(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(!t.cert.issuer.is_empty(), || {
        "has an empty issuer name (RFC 5280 4.1.2.4)".into()
    })
}

fn policy_constraints_not_critical(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.policy_constraints_critical {
        None => Outcome::NotApplicable,
        Some(critical) => Outcome::unless(critical, || {
            "has a non-critical policyConstraints extension (RFC 5280 4.2.1.11)".into()
        }),
    }
}

fn name_constraints_empty(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.name_constraints {
        None => Outcome::NotApplicable,
        Some(nc) => Outcome::unless(!nc.is_empty(), || {
            "has a nameConstraints extension with neither permitted nor excluded subtrees (RFC 5280 4.2.1.10)".into()
        }),
    }
}

fn malformed_aia(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(!t.cert.extensions.info_access_malformed, || {
        "has a malformed authorityInformationAccess extension".into()
    })
}

fn unknown_critical_extension(t: &CertUnderTest<'_>) -> Outcome {
    let unknown = &t.cert.extensions.unknown_critical;
    Outcome::unless(unknown.is_empty(), || {
        format!(
            "carries critical extensions no verifier understands: {}",
            unknown.join(", ")
        )
    })
}

fn ca_missing_basic_constraints(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.basic_constraints {
        None => {
            Outcome::fail("acts as a CA without a basicConstraints extension (RFC 5280 4.2.1.9)")
        }
        Some(bc) if !bc.ca && t.role == Role::Anchor => {
            Outcome::fail("is not a CA (basicConstraints CA:FALSE) (RFC 5280 4.2.1.9)")
                .with_fix("trust the CA that issued it instead")
        }
        Some(_) => Outcome::Pass,
    }
}

fn basic_constraints_not_critical(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.basic_constraints {
        Some(bc) if bc.ca => Outcome::unless(bc.critical, || {
            "has a non-critical basicConstraints extension (RFC 5280 4.2.1.9)".into()
        }),
        _ => Outcome::NotApplicable,
    }
}

fn san_not_critical_empty_subject(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.subject_alt_name {
        Some(san) if t.cert.subject.is_empty() => Outcome::unless(san.critical, || {
            "has an empty subject but a non-critical subjectAltName (RFC 5280 4.2.1.6)".into()
        }),
        _ => Outcome::NotApplicable,
    }
}

fn name_constraints_in_leaf(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(t.cert.extensions.name_constraints.is_none(), || {
        "is not a CA but carries nameConstraints (RFC 5280 4.2.1.10)".into()
    })
}

fn crl_number_missing(t: &CrlUnderTest<'_>) -> Outcome {
    Outcome::unless(t.crl.number_critical.is_some(), || {
        "has no cRLNumber (RFC 5280 5.2.3)".into()
    })
}

fn crl_number_critical(t: &CrlUnderTest<'_>) -> Outcome {
    match t.crl.number_critical {
        None => Outcome::NotApplicable,
        Some(critical) => Outcome::unless(!critical, || {
            "marks cRLNumber critical (RFC 5280 5.2.3)".into()
        }),
    }
}

/// Extension OIDs the criticality rules look for.
const INHIBIT_ANY_POLICY: &str = "2.5.29.54";
const FRESHEST_CRL: &str = "2.5.29.46";
const AIA: &str = "1.3.6.1.5.5.7.1.1";
const SIA: &str = "1.3.6.1.5.5.7.1.11";
const CRL_DISTRIBUTION_POINTS: &str = "2.5.29.31";

/// The criticality of the extension `oid`, when the certificate has it.
fn critical(t: &CertUnderTest<'_>, oid: &str) -> Option<bool> {
    t.cert
        .extensions
        .list
        .iter()
        .find(|e| e.oid == oid)
        .map(|e| e.critical)
}

fn validity_time_encoding(t: &CertUnderTest<'_>) -> Outcome {
    let dates = [
        ("notBefore", t.cert.not_before, t.cert.validity_utc.0),
        ("notAfter", t.cert.not_after, t.cert.validity_utc.1),
    ];
    for (field, date, utc) in dates {
        let wanted_utc = date.year() <= 2049;
        if utc != wanted_utc {
            let (is, should) = if utc {
                ("UTCTime", "GeneralizedTime")
            } else {
                ("GeneralizedTime", "UTCTime")
            };
            return Outcome::fail(format!(
                "encodes its {field} ({}) as {is}; dates {} 2049 must be {should} (RFC 5280 4.1.2.5)",
                date.year(),
                if wanted_utc { "through" } else { "after" }
            ));
        }
    }
    Outcome::Pass
}

fn ca_empty_subject(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(!t.cert.subject.is_empty(), || {
        "is a CA with an empty subject (RFC 5280 4.1.2.6)".into()
    })
}

fn empty_subject_without_san(t: &CertUnderTest<'_>) -> Outcome {
    if !t.cert.subject.is_empty() {
        return Outcome::NotApplicable;
    }
    Outcome::unless(t.cert.extensions.subject_alt_name.is_some(), || {
        "has an empty subject and no subjectAltName (RFC 5280 4.1.2.6)".into()
    })
}

fn duplicate_extension(t: &CertUnderTest<'_>) -> Outcome {
    let list = &t.cert.extensions.list;
    match list
        .iter()
        .enumerate()
        .find(|(i, e)| list[..*i].iter().any(|p| p.oid == e.oid))
    {
        Some((_, e)) => Outcome::fail(format!(
            "carries the extension {} more than once (RFC 5280 4.2)",
            crate::oids::extension_name(&e.oid).unwrap_or(&e.oid)
        )),
        None => Outcome::Pass,
    }
}

fn aki_not_issuer_ski(t: &CertUnderTest<'_>) -> Outcome {
    let key_id = t
        .cert
        .extensions
        .authority_key_id
        .as_ref()
        .and_then(|a| a.key_id.as_ref());
    let issuer_ski = t
        .issuer
        .and_then(|i| i.extensions.subject_key_id.as_ref())
        .map(|s| &s.id);
    match (key_id, issuer_ski) {
        (Some(aki), Some(ski)) => Outcome::unless(aki == ski, || {
            format!(
                "has authorityKeyIdentifier {} but its issuer's subjectKeyIdentifier is {} (RFC 5280 4.2.1.2)",
                crate::encoding::hex(aki, ":"),
                crate::encoding::hex(ski, ":")
            )
        }),
        _ => Outcome::NotApplicable,
    }
}

fn key_usage_empty(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.key_usage {
        None => Outcome::NotApplicable,
        Some(ku) => Outcome::unless(ku.flags != 0, || {
            "has a keyUsage extension with no bit set (RFC 5280 4.2.1.3)".into()
        }),
    }
}

fn ca_missing_key_usage(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(t.cert.extensions.key_usage.is_some(), || {
        "is a CA without a keyUsage extension (RFC 5280 4.2.1.3)".into()
    })
}

fn keycertsign_without_ca(t: &CertUnderTest<'_>) -> Outcome {
    match t.cert.extensions.key_usage {
        Some(ku) if ku.has(KeyUsage::KEY_CERT_SIGN) => Outcome::unless(t.cert.is_ca(), || {
            "asserts keyUsage keyCertSign but is not a CA (RFC 5280 4.2.1.3, 4.2.1.9)".into()
        }),
        _ => Outcome::NotApplicable,
    }
}

fn path_len_without_keycertsign(t: &CertUnderTest<'_>) -> Outcome {
    let Some(bc) = t.cert.extensions.basic_constraints else {
        return Outcome::NotApplicable;
    };
    let Some(len) = bc.path_len else {
        return Outcome::NotApplicable;
    };
    let cert_sign = t
        .cert
        .extensions
        .key_usage
        .is_some_and(|ku| ku.has(KeyUsage::KEY_CERT_SIGN));
    if !bc.ca {
        return Outcome::fail(format!(
            "has pathLenConstraint {len} without basicConstraints cA (RFC 5280 4.2.1.9)"
        ));
    }
    Outcome::unless(cert_sign, || {
        format!("has pathLenConstraint {len} but its keyUsage does not assert keyCertSign (RFC 5280 4.2.1.9)")
    })
}

fn name_constraints_not_critical(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.name_constraints {
        None => Outcome::NotApplicable,
        Some(nc) => Outcome::unless(nc.critical, || {
            "has a non-critical nameConstraints extension (RFC 5280 4.2.1.10)".into()
        }),
    }
}

fn name_constraint_dns_leading_period(t: &CertUnderTest<'_>) -> Outcome {
    let Some(nc) = &t.cert.extensions.name_constraints else {
        return Outcome::NotApplicable;
    };
    let subtrees = [("permitted", &nc.permitted), ("excluded", &nc.excluded)];
    for (kind, list) in subtrees {
        for base in list.iter().flatten() {
            if let Some(dns) = base.strip_prefix("DNS:") {
                if dns.starts_with('.') {
                    return Outcome::fail(format!(
                        "has the {kind} DNS name constraint {dns}: DNS constraints are written without a leading period (RFC 5280 4.2.1.10)"
                    ));
                }
            }
        }
    }
    Outcome::Pass
}

fn san_empty(t: &CertUnderTest<'_>) -> Outcome {
    match &t.cert.extensions.subject_alt_name {
        None => Outcome::NotApplicable,
        Some(san) => Outcome::unless(!san.names.is_empty(), || {
            "has a subjectAltName extension with no entry (RFC 5280 4.2.1.6)".into()
        }),
    }
}

fn duplicate_policy(t: &CertUnderTest<'_>) -> Outcome {
    let policies = &t.cert.extensions.policies;
    match policies
        .iter()
        .enumerate()
        .find(|(i, p)| policies[..*i].iter().any(|q| q.oid == p.oid))
    {
        Some((_, p)) => Outcome::fail(format!(
            "lists the policy {} more than once (RFC 5280 4.2.1.4)",
            p.oid
        )),
        None => Outcome::Pass,
    }
}

fn inhibit_any_policy_not_critical(t: &CertUnderTest<'_>) -> Outcome {
    match critical(t, INHIBIT_ANY_POLICY) {
        None => Outcome::NotApplicable,
        Some(c) => Outcome::unless(c, || {
            "has a non-critical inhibitAnyPolicy extension (RFC 5280 4.2.1.14)".into()
        }),
    }
}

fn freshest_crl_critical(t: &CertUnderTest<'_>) -> Outcome {
    match critical(t, FRESHEST_CRL) {
        None => Outcome::NotApplicable,
        Some(c) => Outcome::unless(!c, || {
            "marks freshestCRL critical (RFC 5280 4.2.1.15)".into()
        }),
    }
}

fn aia_critical(t: &CertUnderTest<'_>) -> Outcome {
    match critical(t, AIA) {
        None => Outcome::NotApplicable,
        Some(c) => Outcome::unless(!c, || {
            "marks authorityInformationAccess critical (RFC 5280 4.2.2.1)".into()
        }),
    }
}

fn sia_critical(t: &CertUnderTest<'_>) -> Outcome {
    match critical(t, SIA) {
        None => Outcome::NotApplicable,
        Some(c) => Outcome::unless(!c, || {
            "marks subjectInformationAccess critical (RFC 5280 4.2.2.2)".into()
        }),
    }
}

fn crl_distribution_points_critical(t: &CertUnderTest<'_>) -> Outcome {
    match critical(t, CRL_DISTRIBUTION_POINTS) {
        None => Outcome::NotApplicable,
        Some(c) => Outcome::unless(!c, || {
            "marks cRLDistributionPoints critical (RFC 5280 4.2.1.13: it SHOULD be non-critical)"
                .into()
        }),
    }
}

const POLICY_CONSTRAINTS: &str = "2.5.29.36";
const ANY_POLICY: &str = "2.5.29.32.0";
const CRL_AKI: &str = "2.5.29.35";
const CRL_IDP: &str = "2.5.29.28";

fn ec_key_encipherment(t: &CertUnderTest<'_>) -> Outcome {
    if !matches!(t.cert.key.algorithm, KeyAlgorithm::Ec { .. }) {
        return Outcome::NotApplicable;
    }
    match t.cert.extensions.key_usage {
        None => Outcome::NotApplicable,
        Some(ku) => Outcome::unless(
            !ku.has(KeyUsage::KEY_ENCIPHERMENT) && !ku.has(KeyUsage::DATA_ENCIPHERMENT),
            || {
                "has an elliptic-curve key but its keyUsage asserts keyEncipherment or dataEncipherment (RFC 5480 3)".into()
            },
        ),
    }
}

/// Why `name` is not in preferred name syntax (RFC 1034 §3.5 as RFC 1123 §2.1 relaxes it),
/// with a whole leftmost `*` label allowed (RFC 6125 §6.4.3). Underscores are left to
/// `underscore_in_dns_name`.
fn dns_name_problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("is empty");
    }
    if name.len() > 253 {
        return Some("is longer than 253 characters");
    }
    let labels: Vec<&str> = name.split('.').collect();
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() {
            return Some("has an empty label");
        }
        if *label == "*" && i == 0 && labels.len() > 1 {
            continue;
        }
        if label.len() > 63 {
            return Some("has a label longer than 63 characters");
        }
        if label.contains('*') {
            return Some("has a * that is not the whole leftmost label");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Some("has a character other than letters, digits and hyphens");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("has a label starting or ending with a hyphen");
        }
    }
    None
}

fn san_malformed_dns_name(t: &CertUnderTest<'_>) -> Outcome {
    for name in t.cert.extensions.dns_names() {
        if let Some(problem) = dns_name_problem(name) {
            return Outcome::fail(format!(
                "has the DNS subjectAltName {name:?}, which {problem} (RFC 5280 4.2.1.6)"
            ));
        }
    }
    Outcome::Pass
}

fn san_malformed_ip(t: &CertUnderTest<'_>) -> Outcome {
    let bad = t
        .cert
        .extensions
        .subject_alt_name
        .iter()
        .flat_map(|san| san.names.iter())
        .find(|n| n.kind == "ip" && n.ip.is_none());
    match bad {
        Some(n) => Outcome::fail(format!(
            "has the IP address subjectAltName {}, neither 4 nor 16 octets (RFC 5280 4.2.1.6)",
            n.value
        )),
        None => Outcome::Pass,
    }
}

fn policy_constraints_empty(t: &CertUnderTest<'_>) -> Outcome {
    match t
        .cert
        .extensions
        .list
        .iter()
        .find(|e| e.oid == POLICY_CONSTRAINTS)
    {
        None => Outcome::NotApplicable,
        Some(e) => Outcome::unless(e.value != [0x30, 0x00], || {
            "has a policyConstraints extension that is an empty sequence (RFC 5280 4.2.1.11)".into()
        }),
    }
}

fn policy_mapping_any_policy(t: &CertUnderTest<'_>) -> Outcome {
    let any = t
        .cert
        .extensions
        .policy_mappings
        .iter()
        .any(|(from, to)| from == ANY_POLICY || to == ANY_POLICY);
    Outcome::unless(!any, || {
        "maps a policy to or from anyPolicy (RFC 5280 4.2.1.5)".into()
    })
}

fn crl_distribution_point_incomplete(t: &CertUnderTest<'_>) -> Outcome {
    Outcome::unless(!t.cert.extensions.crl_distribution_point_incomplete, || {
        "has a cRLDistributionPoints entry with neither distributionPoint nor cRLIssuer (RFC 5280 4.2.1.13)".into()
    })
}

/// The extensions of a CRL: (dotted OID, critical, value).
fn crl_extensions(t: &CrlUnderTest<'_>) -> Option<Vec<(String, bool, Vec<u8>)>> {
    use x509_parser::prelude::FromDer;
    let (_, crl) =
        x509_parser::revocation_list::CertificateRevocationList::from_der(&t.crl.der).ok()?;
    Some(
        crl.extensions()
            .iter()
            .map(|e| (e.oid.to_id_string(), e.critical, e.value.to_vec()))
            .collect(),
    )
}

fn crl_aki_missing(t: &CrlUnderTest<'_>) -> Outcome {
    let Some(exts) = crl_extensions(t) else {
        return Outcome::NotApplicable;
    };
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }
    let key_id = exts
        .iter()
        .find(|(oid, _, _)| oid == CRL_AKI)
        .is_some_and(|(_, _, v)| v.len() > 2 && v[0] == 0x30 && v[2] == 0x80);
    Outcome::unless(key_id, || {
        "has no authorityKeyIdentifier keyIdentifier (RFC 5280 5.2.1)".into()
    })
}

fn crl_idp_not_critical(t: &CrlUnderTest<'_>) -> Outcome {
    let Some(exts) = crl_extensions(t) else {
        return Outcome::NotApplicable;
    };
    match exts.iter().find(|(oid, _, _)| oid == CRL_IDP) {
        None => Outcome::NotApplicable,
        Some((_, critical, _)) => Outcome::unless(*critical, || {
            "has a non-critical issuingDistributionPoint (RFC 5280 5.2.5)".into()
        }),
    }
}
