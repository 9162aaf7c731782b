//! The standards walked to build the catalogue, requirement by requirement: RFC 5280 §4.1–4.2
//! (certificates), §5 (CRLs) and §6.1 (path validation), and the CA/B Forum Baseline
//! Requirements §6.1 (keys), §6.3.2 (validity) and §7.1 (certificate profiles), with the
//! lint catalogues (zlint, pkilint, certlint) as the checklist of what exists.
//!
//! Each [`Requirement`] says who enforces it ([`Coverage`]): rules of the catalogue, the
//! rustls-webpki verdict (and which code chainscope reports then), chainscope's own
//! verification steps, or nobody — with the reason. Tests check the map against the
//! catalogue (every rule is the coverage of a requirement of the section it cites; every
//! rule and code named exists), `tests/tests/standards_map.rs` builds a violating chain
//! for every requirement said to be enforced by rustls-webpki and checks the code, and
//! the README's coverage table is generated from this list.

use crate::verify::code::Source;

/// Who enforces a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Coverage {
    /// Rules of the catalogue, by id.
    Rules(&'static [&'static str]),
    /// rustls-webpki rejects a violation, in every profile; chainscope reports this code.
    Webpki(&'static str),
    /// chainscope's own verification (CRL selection, path diagnosis) reports this code.
    Verifier(&'static str),
    /// Not checked, and why.
    NotChecked(&'static str),
}

/// One requirement of a standard and how it is covered.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Requirement {
    /// A stable key (`5280-4.1.1.2-signature-match`), for tests and tables.
    pub key: &'static str,
    /// The section.
    pub source: Source,
    /// What it demands, in a line.
    pub says: &'static str,
    /// Who enforces it.
    pub coverage: Coverage,
}

const fn req(
    key: &'static str,
    source: Source,
    says: &'static str,
    coverage: Coverage,
) -> Requirement {
    Requirement {
        key,
        source,
        says,
        coverage,
    }
}

use Coverage::{NotChecked, Rules, Verifier, Webpki};
use Source::{Br, Rfc5280, Rfc5480};

const POLICY_PROCESSING: &str = "rustls-webpki and chainscope do not process certificate policies (no user-initial-policy-set, no explicit-policy), like rustls, browsers and OpenSSL without -policy_check; the policy extensions' own encoding rules are rules of the catalogue";
const PUBLIC_ISSUANCE: &str = "a requirement on publicly-trusted issuance that private CAs (chainscope's main use) do not meet and that no mainstream client checks; not yet a rule, because it would flag every internal certificate — a gap to close with a `public` profile";

/// Every requirement walked, in document order.
const REQUIREMENTS: &[Requirement] = &[
    // --- RFC 5280 §4.1: the certificate fields -----------------------------------------
    req("5280-4.1.1.2-signature-match", Rfc5280("4.1.1.2"), "signatureAlgorithm MUST equal the signature field of tbsCertificate (§4.1.2.3)", Webpki("malformed_certificate")),
    req("5280-4.1.1.3-signature", Rfc5280("4.1.1.3"), "the signature MUST verify with the issuer's key", Webpki("bad_signature")),
    req("5280-4.1.2.1-version", Rfc5280("4.1.2.1"), "a certificate with extensions MUST be v3", Webpki("unsupported_cert_version")),
    req("5280-4.1.2.2-serial", Rfc5280("4.1.2.2"), "the serial number MUST be a positive integer of at most 20 octets", Rules(&["serial_zero", "serial_negative", "serial_too_long"])),
    req("5280-4.1.2.2-serial-unique", Rfc5280("4.1.2.2"), "the serial number MUST be unique for each certificate a CA issues", NotChecked("uniqueness is across everything a CA issued; one chain cannot show it")),
    req("5280-4.1.2.4-issuer", Rfc5280("4.1.2.4"), "the issuer field MUST contain a non-empty distinguished name", Rules(&["empty_issuer"])),
    req("5280-4.1.2.5-encoding", Rfc5280("4.1.2.5"), "validity dates through 2049 MUST be UTCTime, dates from 2050 GeneralizedTime", Rules(&["validity_time_encoding"])),
    req("5280-4.1.2.5-validity", Rfc5280("4.1.2.5"), "notBefore MUST NOT be after notAfter", Webpki("expired")),
    req("5280-4.1.2.6-ca-subject", Rfc5280("4.1.2.6"), "a CA's subject MUST be a non-empty distinguished name", Rules(&["ca_empty_subject"])),
    req("5280-4.1.2.6-empty-subject", Rfc5280("4.1.2.6"), "an empty subject MUST come with a subjectAltName extension", Rules(&["empty_subject_without_san"])),
    req("5280-4.1.2.8-unique-ids", Rfc5280("4.1.2.8"), "conforming CAs MUST NOT generate issuerUniqueID or subjectUniqueID", Webpki("malformed_certificate")),
    // --- RFC 5280 §4.2: extensions -------------------------------------------------------
    req("5280-4.2-duplicate", Rfc5280("4.2"), "a certificate MUST NOT include more than one instance of an extension", Rules(&["duplicate_extension"])),
    req("5280-4.2-unknown-critical", Rfc5280("4.2"), "a verifier MUST reject a certificate with a critical extension it does not recognize", Webpki("unknown_critical_extension")),
    req("5280-4.2-anchor-unknown-critical", Rfc5280("4.2"), "the same for the trust anchor's certificate, which rustls-webpki does not parse", Rules(&["anchor_unknown_critical_extension"])),
    req("5280-4.2.1.1-aki", Rfc5280("4.2.1.1"), "authorityKeyIdentifier with keyIdentifier MUST be present except in self-signed certificates, and MUST NOT be critical", Rules(&["aki_missing", "aki_critical"])),
    req("5280-4.2.1.2-ski", Rfc5280("4.2.1.2"), "subjectKeyIdentifier MUST appear in CA certificates and MUST NOT be critical; the AKI's keyIdentifier is the issuer's SKI", Rules(&["ski_missing", "ski_critical", "aki_not_issuer_ski"])),
    req("5280-4.2.1.3-ku", Rfc5280("4.2.1.3"), "CA certificates MUST carry keyUsage, with at least one bit; keyCertSign only with basicConstraints cA, and MUST be set when the key verifies certificate signatures", Rules(&["ca_missing_key_usage", "key_usage_empty", "keycertsign_without_ca", "ca_without_keycertsign"])),
    req("5480-3-ec-ku", Rfc5480("3"), "an EC key's keyUsage MUST NOT assert keyEncipherment or dataEncipherment", Rules(&["ec_key_encipherment"])),
    req("5280-4.2.1.4-policies", Rfc5280("4.2.1.4"), "a policy OID MUST NOT appear more than once in certificatePolicies", Rules(&["duplicate_policy"])),
    req("5280-4.2.1.5-mappings", Rfc5280("4.2.1.5"), "policyMappings MUST NOT map to or from anyPolicy", Rules(&["policy_mapping_any_policy"])),
    req("5280-4.2.1.5-mappings-critical", Rfc5280("4.2.1.5"), "policyMappings SHOULD be critical", NotChecked("a SHOULD, of an extension only policy processing uses (see §6.1.4)")),
    req("5280-4.2.1.6-san", Rfc5280("4.2.1.6"), "subjectAltName MUST hold at least one entry, critical when the subject is empty; dNSName in preferred name syntax, iPAddress of 4 or 16 octets", Rules(&["san_empty", "san_not_critical_empty_subject", "san_malformed_dns_name", "san_malformed_ip"])),
    req("5280-4.2.1.9-bc", Rfc5280("4.2.1.9"), "basicConstraints MUST appear, critical, in CA certificates; pathLenConstraint only with cA and keyCertSign", Rules(&["ca_missing_basic_constraints", "basic_constraints_not_critical", "path_len_without_keycertsign"])),
    req("5280-4.2.1.10-nc", Rfc5280("4.2.1.10"), "nameConstraints only in CA certificates, MUST be critical, MUST NOT be empty; a DNS constraint is a name, not .name", Rules(&["name_constraints_in_leaf", "name_constraints_not_critical", "name_constraints_empty", "name_constraint_dns_leading_period"])),
    req("5280-4.2.1.11-pc", Rfc5280("4.2.1.11"), "policyConstraints MUST be critical and MUST NOT be an empty sequence", Rules(&["policy_constraints_not_critical", "policy_constraints_empty"])),
    req("5280-4.2.1.12-eku", Rfc5280("4.2.1.12"), "a certificate is used only for the purposes its extendedKeyUsage lists", Webpki("wrong_purpose")),
    req("5280-4.2.1.13-crldp", Rfc5280("4.2.1.13"), "cRLDistributionPoints SHOULD be non-critical; each point MUST hold distributionPoint or cRLIssuer", Rules(&["crl_distribution_points_critical", "crl_distribution_point_incomplete"])),
    req("5280-4.2.1.14-inhibit", Rfc5280("4.2.1.14"), "inhibitAnyPolicy MUST be critical", Rules(&["inhibit_any_policy_not_critical"])),
    req("5280-4.2.1.15-freshest", Rfc5280("4.2.1.15"), "freshestCRL MUST be non-critical", Rules(&["freshest_crl_critical"])),
    req("5280-4.2.2.1-aia", Rfc5280("4.2.2.1"), "authorityInformationAccess MUST be non-critical and well formed", Rules(&["aia_critical", "malformed_aia"])),
    req("5280-4.2.2.2-sia", Rfc5280("4.2.2.2"), "subjectInformationAccess MUST be non-critical", Rules(&["sia_critical"])),
    // --- RFC 5280 §5: CRLs ---------------------------------------------------------------
    req("5280-5.2.1-crl-aki", Rfc5280("5.2.1"), "a CRL MUST carry authorityKeyIdentifier with keyIdentifier", Rules(&["crl_aki_missing"])),
    req("5280-5.2.3-crl-number", Rfc5280("5.2.3"), "a CRL MUST carry a non-critical cRLNumber", Rules(&["crl_number_missing", "crl_number_critical"])),
    req("5280-5.2.4-delta", Rfc5280("5.2.4"), "a delta CRL only adds to a complete CRL", Verifier("crl_unusable")),
    req("5280-5.2.5-idp", Rfc5280("5.2.5"), "issuingDistributionPoint MUST be critical; a CRL partitioned by it covers only part of the scope", Rules(&["crl_idp_not_critical"])),
    req("5280-5.2.5-partitioned", Rfc5280("5.2.5"), "a CRL partitioned by reasons, by distribution point or indirect does not say whether other certificates are revoked", Verifier("crl_unusable")),
    req("5280-5-unknown-critical", Rfc5280("5"), "a CRL with a critical extension the verifier does not know MUST NOT be used to decide status", Verifier("crl_unusable")),
    // --- RFC 5280 §6.1: path validation --------------------------------------------------
    req("5280-6.1.3-a1-signature", Rfc5280("6.1.3"), "(a)(1) each certificate's signature verifies with its issuer's key", Webpki("bad_signature")),
    req("5280-6.1.3-a2-validity", Rfc5280("6.1.3"), "(a)(2) each certificate of the path is valid at the validation time", Webpki("expired")),
    req("5280-6.1.1-anchor-validity", Rfc5280("6.1.1"), "(d) the trust anchor is input to the algorithm; its own validity is not part of it, but OpenSSL, Go and GnuTLS check it", Rules(&["anchor_expired", "anchor_not_yet_valid"])),
    req("5280-6.1.1-anchor-path-len", Rfc5280("6.1.1"), "(d) the trust anchor's own pathLenConstraint is optional input (RFC 5937); OpenSSL, Go and GnuTLS apply it, rustls-webpki does not", Rules(&["anchor_path_len_exceeded"])),
    req("5280-6.1.3-a3-revocation", Rfc5280("6.1.3"), "(a)(3) no certificate of the path is revoked", Webpki("revoked")),
    req("5280-6.1.3-a3-unknown", Rfc5280("6.1.3"), "(a)(3) revocation status that cannot be determined (no usable CRL of the issuer)", Verifier("revocation_unknown")),
    req("5280-6.1.3-a4-names", Rfc5280("6.1.3"), "(a)(4) each certificate's issuer equals the subject of the next (compared per §7.1)", Verifier("issuer_name_mismatch")),
    req("5280-6.1.3-bc-nc", Rfc5280("6.1.3"), "(b)(c) every name of the path's certificates is within the permitted and outside the excluded subtrees", Webpki("name_constraint_violated")),
    req("5280-6.1.3-nc-forms", Rfc5280("6.1.3"), "(b)(c) a name of a form rustls-webpki does not evaluate (rfc822Name, URI, directoryName) under a constraint of that form", Webpki("unsupported_name_constraint")),
    req("5280-6.1.3-d-policies", Rfc5280("6.1.3"), "(d)–(f), §6.1.4 (a)–(j): certificate policy processing", NotChecked(POLICY_PROCESSING)),
    req("5280-6.1.4-k-ca", Rfc5280("6.1.4"), "(k) every issuing certificate asserts basicConstraints cA", Webpki("leaf_used_as_ca")),
    req("5280-6.1.4-lm-path-len", Rfc5280("6.1.4"), "(l)(m) pathLenConstraint bounds the non-self-issued intermediates below", Webpki("path_len_exceeded")),
    req("5280-6.1.4-n-keycertsign", Rfc5280("6.1.4"), "(n) an issuing certificate's keyUsage, when present, asserts keyCertSign", Rules(&["ca_without_keycertsign"])),
    // --- CA/B Forum Baseline Requirements ------------------------------------------------
    req("br-3.2.2.6-wildcard", Br("3.2.2.6"), "no wildcard directly over a public suffix", Rules(&["wildcard_too_broad"])),
    req("br-6.1.5-keys", Br("6.1.5"), "RSA keys of at least 2048 bits (a multiple of 8), ECDSA on P-256/P-384/P-521", Rules(&["forbidden_subscriber_key", "forbidden_ca_key", "weak_leaf_key"])),
    req("br-6.1.6-exponent", Br("6.1.6"), "the RSA public exponent MUST be odd and at least 3, SHOULD be between 2^16+1 and 2^256-1 (one warning rule covers both: an even exponent or one under 3 is no working RSA key)", Rules(&["rsa_exponent_small"])),
    req("br-6.3.2-validity", Br("6.3.2"), "a subscriber certificate's validity is at most 398 days, less from 2026-03-15 (ballot SC-081)", Rules(&["leaf_validity_too_long"])),
    req("br-7.1.2.1.2-root-eku", Br("7.1.2.1.2"), "a root certificate MUST NOT carry extendedKeyUsage", Rules(&["anchor_has_eku"])),
    req("br-7.1.2.1.3-root-aki", Br("7.1.2.1.3"), "a root's authorityKeyIdentifier, if present, holds only keyIdentifier, equal to its own SKI", Rules(&["root_aki_without_key_id", "root_aki_issuer_serial", "root_aki_ski_mismatch"])),
    req("br-7.1.2.7.6-eku", Br("7.1.2.7.6"), "a subscriber certificate MUST carry a non-critical extendedKeyUsage", Rules(&["leaf_without_eku", "leaf_eku_critical"])),
    req("br-7.1.2.7.7-aia", Br("7.1.2.7.7"), "a subscriber certificate MUST carry authorityInformationAccess", NotChecked(PUBLIC_ISSUANCE)),
    req("br-7.1.2.7.9-policies", Br("7.1.2.7.9"), "a subscriber certificate MUST carry certificatePolicies with a CA/B Forum reserved policy", NotChecked(PUBLIC_ISSUANCE)),
    req("br-7.1.2.7.10-eku-values", Br("7.1.2.7.10"), "the EKU holds serverAuth (clientAuth allowed), never anyExtendedKeyUsage, emailProtection, codeSigning, timeStamping or OCSPSigning", Rules(&["leaf_any_eku", "leaf_eku_forbidden_purpose"])),
    req("br-7.1.2.7.11-ku", Br("7.1.2.7.11"), "a subscriber keyUsage MUST NOT assert cRLSign (keyCertSign: RFC 5280 §4.2.1.3)", Rules(&["leaf_crlsign"])),
    req("br-7.1.2.7.12-san", Br("7.1.2.7.12"), "subjectAltName MUST be present with DNS names and IP addresses only, no underscore, critical only when the subject is empty", Rules(&["leaf_without_san", "leaf_san_other_type", "underscore_in_dns_name", "san_critical_with_subject"])),
    req("br-7.1.2.10.6-ca-eku", Br("7.1.2.10.6"), "a TLS subordinate CA's extendedKeyUsage holds serverAuth and never anyExtendedKeyUsage", NotChecked("not yet a rule: rustls-webpki and the clients accept a CA without EKU, and the BR allow it for cross-certificates")),
    req("br-7.1.2.10.7-ca-ku", Br("7.1.2.10.7"), "a CA's keyUsage asserts keyCertSign and cRLSign", Rules(&["ca_without_crlsign"])),
    req("br-7.1.2.11.1-aki", Br("7.1.2.11.1"), "authorityKeyIdentifier holds keyIdentifier only (no authorityCertIssuer/SerialNumber)", Rules(&["aki_issuer_serial"])),
    req("br-7.1.4.3-cn", Br("7.1.4.3"), "a subscriber CN, if present, is one of the subjectAltNames, spelled the same", Rules(&["cn_not_in_san", "cn_names_other_host"])),
];

/// Every requirement walked, in document order.
pub fn requirements() -> &'static [Requirement] {
    REQUIREMENTS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::code::Code;
    use crate::verify::rules::{catalogue, rule};

    #[test]
    fn keys_are_unique_and_every_name_exists() {
        let mut keys = std::collections::HashSet::new();
        for r in REQUIREMENTS {
            assert!(keys.insert(r.key), "{} twice", r.key);
            assert!(!r.says.is_empty(), "{}", r.key);
            match r.coverage {
                Rules(ids) => {
                    assert!(!ids.is_empty(), "{}", r.key);
                    for id in ids {
                        assert!(rule(id).is_some(), "{}: {id} is not a rule", r.key);
                    }
                }
                Webpki(code) | Verifier(code) => {
                    let c = Code::from_name(code)
                        .unwrap_or_else(|| panic!("{}: {code} is not a code", r.key));
                    assert!(c.rule().is_none(), "{}: {code} is a rule", r.key);
                }
                NotChecked(why) => assert!(why.len() > 20, "{}: say why", r.key),
            }
        }
    }

    #[test]
    fn every_rule_covers_a_requirement_of_the_section_it_cites() {
        for rule in catalogue() {
            let covering: Vec<&Requirement> = REQUIREMENTS
                .iter()
                .filter(|r| matches!(r.coverage, Rules(ids) if ids.contains(&rule.id)))
                .collect();
            assert!(!covering.is_empty(), "{} covers no requirement", rule.id);
            // A rule citing a document section is listed under that section; a rule from
            // client behaviour under the requirement it goes beyond.
            if !matches!(rule.source, Source::Client(_)) {
                assert!(
                    covering.iter().any(|r| r.source == rule.source),
                    "{} cites {} but is listed under {:?}",
                    rule.id,
                    rule.source,
                    covering
                        .iter()
                        .map(|r| r.source.to_string())
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}
