//! RFC 5280 requirements on certificates and CRLs that rustls-webpki does not enforce: the
//! rules of the `rfc5280` (`--strict`) profile that RFC 5280 itself demands.

use super::{
    Applies, CertUnderTest, Check, CrlUnderTest, Level, Outcome, Role, Rule, STRICT_CLIENTS,
};
use crate::verify::code::Source;
use crate::verify::options::Profile;

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
            "a certificate that is not self-issued has no authorityKeyIdentifier keyIdentifier",
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
];

fn aki_missing(t: &CertUnderTest<'_>) -> Outcome {
    if t.cert.self_issued() {
        return Outcome::NotApplicable;
    }
    let key_id = t
        .cert
        .extensions
        .authority_key_id
        .as_ref()
        .and_then(|a| a.key_id.as_ref());
    Outcome::unless(key_id.is_some(), || {
        "has no authorityKeyIdentifier (RFC 5280 4.2.1.1)".into()
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
