//! Every rule of the catalogue (`chainscope::verify::rules::catalogue()`) against its pair of
//! chains (`chainscope_tests::rule_pairs`): one that passes every rule, and one that breaks
//! that rule — and only the rules the standard ties to it (`also`). The failing chain must
//! carry the rule's finding, as an error (and as the verdict's cause) from the profile the
//! rule rejects in, and as a warning below it, where the chain stays valid.
//!
//! A test fails when a rule of the catalogue has no pair, so a new rule cannot come without
//! its test. The same pairs are part of the client differential corpus
//! (`tests/tests/clients_differential.rs`).

use std::collections::BTreeSet;

use chainscope::verify::rules::{self, Level};
use chainscope::verify::{parse_time, Code, Profile, Severity, VerifyReport};
use chainscope_tests::rule_pairs::{cases, seq, tlv, Case, Chain, AKI};
use rcgen::KeyPair;
use time::OffsetDateTime;

/// The validation time, the base of every validity period of the pairs.
const NOW: &str = "2026-01-01T00:00:00Z";

fn now() -> OffsetDateTime {
    parse_time(NOW).unwrap()
}

const PROFILES: [Profile; 3] = [Profile::Webpki, Profile::Clients, Profile::Rfc5280];

/// The rule codes among a report's findings.
fn rule_findings(report: &VerifyReport) -> BTreeSet<&'static str> {
    report
        .findings
        .iter()
        .filter_map(|f| f.code.rule())
        .map(|r| r.id)
        .collect()
}

fn check_pair(case: &Case) -> Result<(), String> {
    let rule = rules::rule(case.rule).ok_or("not in the catalogue")?;
    let rejects_from = match rule.level {
        Level::Reject(p) => Some(p),
        _ => None,
    };
    for also in case.also {
        Code::from_name(also).ok_or(format!("`also` {also} is not a code"))?;
    }
    let code = rule.code();

    let passing = case.passing(now());
    for profile in PROFILES {
        let r = passing.verify(profile);
        if !r.valid || !rule_findings(&r).is_empty() {
            return Err(format!(
                "passing chain under {}: valid={} error={:?} rule findings {:?}",
                profile.name(),
                r.valid,
                r.error.as_ref().map(|e| e.code),
                rule_findings(&r)
            ));
        }
    }

    let failing = case.failing(now());
    for profile in PROFILES {
        let r = failing.verify(profile);
        let found = rule_findings(&r);
        let allowed: BTreeSet<&str> = std::iter::once(case.rule)
            .chain(case.also.iter().copied())
            .collect();
        if !found.contains(case.rule) || !found.is_subset(&allowed) {
            return Err(format!(
                "failing chain under {}: rule findings {found:?}, want {} (and at most {:?}); webpki: {:?}",
                profile.name(),
                case.rule,
                case.also,
                r.webpki.error
            ));
        }
        let finding = r.findings.iter().find(|f| f.code == code).unwrap();
        let rejects = rejects_from.is_some_and(|p| p <= profile);
        if rejects {
            let cause = r.error.as_ref().map(|e| e.code);
            let cause_ok = cause.is_some_and(|c| allowed.contains(c.as_str()));
            if r.valid || finding.severity != Severity::Error || !cause_ok {
                return Err(format!(
                    "failing chain under {} must be rejected for {}: valid={} cause={cause:?} severity={:?}",
                    profile.name(),
                    case.rule,
                    r.valid,
                    finding.severity
                ));
            }
        } else if !r.valid || finding.severity != Severity::Warning {
            return Err(format!(
                "failing chain under {} must stay valid with a warning {}: valid={} error={:?} severity={:?}",
                profile.name(),
                case.rule,
                r.valid,
                r.error.as_ref().map(|e| (e.code, e.message.clone())),
                finding.severity
            ));
        }
    }
    Ok(())
}

#[test]
fn every_rule_has_a_generated_pair() {
    let cases = cases();
    let mut seen = BTreeSet::new();
    for c in &cases {
        assert!(seen.insert(c.rule), "two pairs for {}", c.rule);
        assert!(rules::rule(c.rule).is_some(), "{} is not a rule", c.rule);
    }
    let missing: Vec<&str> = rules::catalogue()
        .map(|r| r.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a pair of chains: {missing:?}"
    );
}

#[test]
fn each_rule_rejects_its_failing_chain_only_from_its_profile() {
    let failures: Vec<String> = cases()
        .iter()
        .filter_map(|c| check_pair(c).err().map(|e| format!("{}: {e}", c.rule)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of the pairs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_conforming_chain_has_no_finding_at_all_under_strict() {
    let r = Chain::conforming(now()).verify(Profile::Rfc5280);
    assert!(r.valid, "{:?}", r.error);
    let unexpected: Vec<Code> = r
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| f.code)
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
}

#[test]
fn aki_missing_exempts_only_self_signed_certificates() {
    // A key-rollover CA: self-issued (subject = issuer = the root's name) but signed by the
    // root's key, not its own. RFC 5280 §4.2.1.1 exempts only self-signed certificates.
    let mut c = Chain::conforming(now());
    c.inter.params.distinguished_name = c.root.params.distinguished_name.clone();
    c.inter.params.use_authority_key_identifier_extension = false;
    let r = c.verify(Profile::Rfc5280);
    assert!(r.webpki.valid, "{:?}", r.webpki.error);
    assert_eq!(
        r.error.as_ref().map(|e| e.code.as_str()),
        Some("aki_missing"),
        "{:?}",
        rule_findings(&r)
    );
    assert_eq!(rule_findings(&r), BTreeSet::from(["aki_missing"]));
}

#[test]
fn root_aki_rules_look_only_at_self_signed_roots() {
    // An anchor under the root's name signed by another key (a rollover certificate): its AKI
    // rightly names that other key, not its own SKI.
    let mut c = Chain::conforming(now());
    let old_key = KeyPair::generate().unwrap();
    c.root.patch(|t| {
        t.add(AKI, false, seq(&[&tlv(0x80, &[0x42; 20])]));
    });
    c.root_signer = Some(old_key);
    let r = c.verify(Profile::Rfc5280);
    assert!(r.valid, "{:?} {:?}", r.error, rule_findings(&r));
    assert!(rule_findings(&r).is_empty(), "{:?}", rule_findings(&r));
    // The same AKI on a self-signed root breaks BR 7.1.2.1.3.
    let mut c = Chain::conforming(now());
    c.root.patch(|t| {
        t.add(AKI, false, seq(&[&tlv(0x80, &[0x42; 20])]));
    });
    let r = c.verify(Profile::Rfc5280);
    assert_eq!(
        r.error.as_ref().map(|e| e.code.as_str()),
        Some("root_aki_ski_mismatch")
    );
}

#[test]
fn server_certificate_rules_apply_when_no_purpose_is_given() {
    // No purpose means serverAuth (VerifyOptions::purposes): the Baseline Requirements'
    // subscriber rules apply.
    let mut c = Chain::conforming(now());
    c.leaf_without_cn();
    c.leaf.params.subject_alt_names = Vec::new();
    let r = c.verify_with(Profile::Rfc5280, Vec::new());
    assert_eq!(
        r.error.as_ref().map(|e| e.code.as_str()),
        Some("leaf_without_san")
    );
}
