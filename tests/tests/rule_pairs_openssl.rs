//! Every rule pair of the catalogue (`chainscope_tests::rule_pairs`) through
//! `openssl verify -x509_strict` (issue 9: compare the diagnosis with openssl verify's error
//! on the same files where OpenSSL checks the same thing).
//!
//! Each side of a pair is written to a scratch directory and verified with
//! `openssl verify -x509_strict -attime NOW -purpose sslserver|sslclient -CAfile root.pem
//! -untrusted intermediate.pem`, plus `-crl_check_all -CRLfile …` when the pair carries CRLs
//! (one per CA: the root's covers the intermediate, the intermediate's the leaf). [`OPENSSL`]
//! says, for every rule, whether OpenSSL rejects the failing chain and with which
//! X509_V_ERR numbers, or accepts it; each entry says which OpenSSL check (OpenSSL 3.0's
//! `crypto/x509/x509_vfy.c`, `v3_purp.c`, `x_crl.c`) decides. The test asserts that the
//! passing chain verifies in OpenSSL, that a checked rule's failing chain is rejected with
//! one of its numbers while chainscope (Profile::Rfc5280) names that rule (or one of the
//! pair's `also` codes) as the error, and that an unchecked rule's failing chain verifies
//! in OpenSSL. A rule without an entry, or an entry without a rule, fails the test.
//!
//! Needs the `openssl` command; fails without it.

use std::collections::BTreeSet;
use std::process::Command;

use chainscope::verify::rules;
use chainscope::verify::{parse_time, Profile, Purpose};
use chainscope_tests::rule_pairs::{cases, Case, Chain};
use chainscope_tests::{certs_pem, TempDir};
use time::OffsetDateTime;

/// The validation time, the base of every validity period of the pairs (as in
/// `verify_rules.rs`).
const NOW: &str = "2026-01-01T00:00:00Z";

fn now() -> OffsetDateTime {
    parse_time(NOW).unwrap()
}

/// What `openssl verify -x509_strict` does with a rule's failing chain.
#[derive(Debug)]
enum OpenSsl {
    /// It rejects it, with one of these X509_V_ERR numbers (the first error it reports).
    Checks(&'static [u32]),
    /// It accepts it.
    DoesNotCheck,
}

use OpenSsl::{Checks, DoesNotCheck};

/// One entry per catalogue rule: what OpenSSL 3.0 `-x509_strict` does with its failing chain,
/// found by running it and reading the check that decides.
const OPENSSL: &[(&str, OpenSsl)] = &[
    // --- clients ---
    // internal_verify checks every certificate's validity, the trust anchor's too: 10 expired.
    ("anchor_expired", Checks(&[10])),
    // The same check: 9 not yet valid.
    ("anchor_not_yet_valid", Checks(&[9])),
    // check_chain_extensions counts the path length against every CA's pathLenConstraint,
    // the trust anchor's included: 25 path length constraint exceeded.
    ("anchor_path_len_exceeded", Checks(&[25])),
    // check_ca: a keyUsage without keyCertSign is "not a CA" → check_extensions 79 invalid CA
    // (then 32 keyusage_no_certsign from the issuer check).
    ("ca_without_keycertsign", Checks(&[79, 32])),
    // check_key_level at the default -auth_level 1 (80 bits) lets RSA-1024 pass (with
    // -auth_level 2 it is 66 EE key too weak, tried).
    ("weak_leaf_key", DoesNotCheck),
    // --- RFC 5280 ---
    // check_extensions (strict): not the last certificate, not self-signed, no AKID → 85.
    ("aki_missing", Checks(&[85])),
    // The AKI is not in X509_supported_extension: critical → EXFLAG_CRITICAL → 34.
    ("aki_critical", Checks(&[34])),
    // check_extensions (strict): a CA without SKID → 86 (the root is checked too).
    ("ski_missing", Checks(&[86])),
    // The SKI is not in X509_supported_extension → 34 (the scan stops there, before BC, so
    // OpenSSL adds a spurious 89 afterwards).
    ("ski_critical", Checks(&[34])),
    // OpenSSL 3.0 does not check serialNumber.
    ("serial_zero", DoesNotCheck),
    // Nor its sign.
    ("serial_negative", DoesNotCheck),
    // Nor its length.
    ("serial_too_long", DoesNotCheck),
    // check_extensions (strict): the intermediate's issuer name is empty → 83 (then 84 for
    // the root's subject).
    ("empty_issuer", Checks(&[83, 84])),
    // policyConstraints is a supported extension; its criticality is never looked at.
    ("policy_constraints_not_critical", DoesNotCheck),
    // NAME_CONSTRAINTS decodes with both subtrees absent; nc_match has nothing to apply.
    ("name_constraints_empty", DoesNotCheck),
    // The verifier does not decode authorityInfoAccess (not cached by
    // ossl_x509v3_cache_extensions): an empty one is not seen.
    ("malformed_aia", DoesNotCheck),
    // A private OID is not in X509_supported_extension: critical → 34.
    ("anchor_unknown_critical_extension", Checks(&[34])),
    // check_ca: no basicConstraints but keyCertSign → 4, which strict refuses for a CA → 79.
    ("ca_missing_basic_constraints", Checks(&[79])),
    // check_extensions (strict): a CA whose basicConstraints is not critical → 89.
    ("basic_constraints_not_critical", Checks(&[89])),
    // check_extensions (strict): empty subject and a non-critical SAN → 88.
    ("san_not_critical_empty_subject", Checks(&[88])),
    // check_name_constraints applies a certificate's constraints only to those below it: the
    // leaf's own are never applied (nor is their presence checked).
    ("name_constraints_in_leaf", DoesNotCheck),
    // get_crl_sk/check_crl require a cRLNumber only of delta CRLs.
    ("crl_number_missing", DoesNotCheck),
    // x_crl.c crl_cb: a critical extension other than IDP, AKID, deltaCRL sets EXFLAG_CRITICAL
    // → check_crl 36 unhandled critical CRL extension.
    ("crl_number_critical", Checks(&[36])),
    // ASN1_TIME takes GeneralizedTime before 2050; 3.0 strict has no encoding check.
    ("validity_time_encoding", DoesNotCheck),
    // The root's empty subject makes the intermediate's issuer empty: 83 first (84 follows).
    ("ca_empty_subject", Checks(&[83, 84])),
    // check_extensions (strict): an empty subject without SAN → 84.
    ("empty_subject_without_san", Checks(&[84])),
    // OpenSSL 3.0 flags a duplicate only of the extensions it decodes (X509_get_ext_d2i
    // -2); this one is a private OID.
    ("duplicate_extension", DoesNotCheck),
    // check_issued → X509_check_akid: the keyIdentifier differs from the intermediate's SKID,
    // so the intermediate is not the leaf's issuer → 20.
    ("aki_not_issuer_ski", Checks(&[20])),
    // ossl_x509v3_cache_extensions marks an empty keyUsage EXFLAG_INVALID; an invalid leaf
    // has no acceptable issuer → 20 (stderr: "invalid certificate").
    ("key_usage_empty", Checks(&[20])),
    // check_extensions (strict): a CA without keyUsage → 92.
    ("ca_missing_key_usage", Checks(&[92])),
    // check_ca: no basicConstraints and keyCertSign → 4, strict refuses it for the leaf too
    // → 79 (then 82).
    ("keycertsign_without_ca", Checks(&[79, 82])),
    // check_extensions (strict): a pathLenConstraint on a non-CA → 80 (then 81).
    ("path_len_without_keycertsign", Checks(&[80, 81])),
    // nameConstraints' criticality is never looked at.
    ("name_constraints_not_critical", DoesNotCheck),
    // nc_dns takes a leading '.' as a suffix to match: ".rules.test" permits the leaf.
    ("name_constraint_dns_leading_period", DoesNotCheck),
    // check_extensions (strict): a SAN with no name → 87.
    ("san_empty", Checks(&[87])),
    // Policies are processed only with -policy_check (then 42 invalid policy extension,
    // tried).
    ("duplicate_policy", DoesNotCheck),
    // inhibitAnyPolicy's criticality is never looked at.
    ("inhibit_any_policy_not_critical", DoesNotCheck),
    // freshestCRL is not in X509_supported_extension: critical → 34.
    ("freshest_crl_critical", Checks(&[34])),
    // authorityInfoAccess is not in X509_supported_extension: critical → 34.
    ("aia_critical", Checks(&[34])),
    // subjectInfoAccess is not either → 34.
    ("sia_critical", Checks(&[34])),
    // cRLDistributionPoints is in X509_supported_extension: critical is fine.
    ("crl_distribution_points_critical", DoesNotCheck),
    // --- CA/B Forum Baseline Requirements ---
    // check_purpose on the anchor: an EKU holding serverAuth satisfies sslserver.
    ("anchor_has_eku", DoesNotCheck),
    // Only the opposite (empty subject, non-critical SAN: 88) is checked.
    ("san_critical_with_subject", DoesNotCheck),
    // check_purpose_ssl_server: xku_reject only when an EKU is present.
    ("leaf_without_eku", DoesNotCheck),
    // serverAuth is present; anyExtendedKeyUsage beside it changes nothing.
    ("leaf_any_eku", DoesNotCheck),
    // check_key_level looks at security bits only: 2052 bits is not checked for being a
    // multiple of 8.
    ("forbidden_subscriber_key", DoesNotCheck),
    // OpenSSL puts no bound on the RSA public exponent of a certificate: e = 3 verifies.
    ("rsa_exponent_small", DoesNotCheck),
    // No host is given (no -verify_hostname): the CN is not compared with the SANs.
    ("cn_not_in_san", DoesNotCheck),
    // The same: no host, no name check.
    ("cn_names_other_host", DoesNotCheck),
    // The same: a wildcard's breadth matters only in X509_check_host.
    ("wildcard_too_broad", DoesNotCheck),
    // The same: dNSName syntax matters only in X509_check_host.
    ("underscore_in_dns_name", DoesNotCheck),
    // X509_check_akid with no keyIdentifier, issuer or serial is OK: the root stays
    // self-signed, and the empty-AKID check skips self-signed certificates.
    ("root_aki_without_key_id", DoesNotCheck),
    // The root's AKI issuer and serial are its own: X509_check_akid passes.
    ("root_aki_issuer_serial", DoesNotCheck),
    // ossl_x509v3_cache_extensions sets EXFLAG_SS only when X509_check_akid(x, x) passes: the
    // root is not self-signed for OpenSSL, which then looks for its issuer → 2.
    ("root_aki_ski_mismatch", Checks(&[2])),
    // The leaf's AKI issuer and serial are the intermediate's issuer and serial:
    // X509_check_akid passes.
    ("aki_issuer_serial", DoesNotCheck),
    // check_key_level: 2052 bits meets every level up to 2; no multiple-of-8 check.
    ("forbidden_ca_key", DoesNotCheck),
    // cRLSign is required only of a CRL's issuer (check_crl → 35), and no CRL is checked.
    ("ca_without_crlsign", DoesNotCheck),
    // The EKU is supported; its criticality is never looked at.
    ("leaf_eku_critical", DoesNotCheck),
    // check_purpose_ssl_server asks for digitalSignature/keyEncipherment/keyAgreement; more
    // bits do not matter.
    ("leaf_crlsign", DoesNotCheck),
    // No host is given: a leaf without SAN is not matched against anything.
    ("leaf_without_san", DoesNotCheck),
    // The keyUsage is not compared with the key type.
    ("ec_key_encipherment", DoesNotCheck),
    // No host is given: dNSName syntax is not checked.
    ("san_malformed_dns_name", DoesNotCheck),
    // An iPAddress is an OCTET STRING of any length to the decoder; only X509_check_ip reads
    // it.
    ("san_malformed_ip", DoesNotCheck),
    // Policies are processed only with -policy_check (and even then it verifies, tried).
    ("policy_constraints_empty", DoesNotCheck),
    // The same (even with -policy_check it verifies, tried).
    ("policy_mapping_any_policy", DoesNotCheck),
    // setup_dp: a DistributionPoint with neither name nor cRLIssuer makes the leaf
    // EXFLAG_INVALID; an invalid leaf has no acceptable issuer → 20 (stderr: "invalid
    // certificate").
    ("crl_distribution_point_incomplete", Checks(&[20])),
    // crl_akid_check: X509_check_akid(issuer, no AKID) is OK; the CRL is found by its issuer
    // name.
    ("crl_aki_missing", DoesNotCheck),
    // x_crl.c decodes the IDP whatever its criticality.
    ("crl_idp_not_critical", DoesNotCheck),
    // check_purpose_ssl_server: serverAuth is present; emailProtection beside it is ignored.
    ("leaf_eku_forbidden_purpose", DoesNotCheck),
    // An rfc822Name beside the dNSName is not looked at without -verify_email.
    ("leaf_san_other_type", DoesNotCheck),
    // No limit on a validity period's length.
    ("leaf_validity_too_long", DoesNotCheck),
];

fn entry(rule: &str) -> Option<&'static OpenSsl> {
    OPENSSL.iter().find(|(r, _)| *r == rule).map(|(_, e)| e)
}

/// What `openssl verify` said: the first error number (0: OK) and its whole output.
struct Verdict {
    error: u32,
    text: String,
}

/// `openssl verify -x509_strict` on `chain`, written into `dir`.
fn openssl_verify(chain: &Chain, dir: &TempDir) -> Verdict {
    let made = chain.make();
    let write = |name: &str, der: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, certs_pem(&[der])).unwrap();
        path
    };
    let root = write("root.pem", &made.root);
    let inter = write("intermediate.pem", &made.intermediate);
    let leaf = write("leaf.pem", &made.leaf);
    let purpose = match chain.purposes.as_slice() {
        [Purpose::ServerAuth] => "sslserver",
        [Purpose::ClientAuth] => "sslclient",
        other => panic!("no openssl -purpose for {other:?}"),
    };
    let mut cmd = Command::new("openssl");
    cmd.args(["verify", "-x509_strict", "-attime"])
        .arg(now().unix_timestamp().to_string())
        .args(["-purpose", purpose, "-CAfile", &root, "-untrusted", &inter]);
    if !made.crls.is_empty() {
        // One CRL per CA: check every certificate's, as chainscope does.
        cmd.arg("-crl_check_all");
        for (i, crl) in made.crls.iter().enumerate() {
            let path = dir.join(&format!("crl{i}.der"));
            std::fs::write(&path, &crl.der).unwrap();
            cmd.args(["-CRLfile", &path]);
        }
    }
    let out = cmd
        .arg(&leaf)
        .output()
        .expect("the openssl command is needed for this test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() && text.contains(": OK") {
        return Verdict { error: 0, text };
    }
    // "error 85 at 0 depth lookup: Missing Authority Key Identifier"
    let error = text
        .lines()
        .find_map(|l| {
            let rest = l.split_once("error ")?.1;
            let (n, rest) = rest.split_once(" at ")?;
            rest.contains("depth lookup").then(|| n.parse().ok())?
        })
        .unwrap_or_else(|| panic!("no error number in openssl's output: {text}"));
    Verdict { error, text }
}

/// Checks one pair; `Ok(true)` when OpenSSL checks the rule (and agrees).
fn check_pair(case: &Case) -> Result<bool, String> {
    let expected = entry(case.rule).ok_or("no entry in OPENSSL")?;
    let dir = TempDir::new("rule-pairs-openssl");
    let passing = openssl_verify(&case.passing(now()), &dir);
    if passing.error != 0 {
        return Err(format!(
            "openssl rejects the passing chain (error {}): {}",
            passing.error, passing.text
        ));
    }
    let failing_chain = case.failing(now());
    let failing = openssl_verify(&failing_chain, &dir);
    match expected {
        DoesNotCheck => {
            if failing.error != 0 {
                return Err(format!(
                    "the table says OpenSSL does not check it, but it rejects the failing chain (error {}): {}",
                    failing.error, failing.text
                ));
            }
            Ok(false)
        }
        Checks(numbers) => {
            if !numbers.contains(&failing.error) {
                return Err(format!(
                    "openssl error {} on the failing chain, the table says one of {numbers:?}: {}",
                    failing.error, failing.text
                ));
            }
            let report = failing_chain.verify(Profile::Rfc5280);
            let cause = report.error.as_ref().map(|e| e.code.as_str());
            let allowed = cause.is_some_and(|c| c == case.rule || case.also.contains(&c));
            if report.valid || !allowed {
                return Err(format!(
                    "openssl rejects with error {}, chainscope (rfc5280) valid={} error={cause:?}, want {} or one of {:?}",
                    failing.error, report.valid, case.rule, case.also
                ));
            }
            Ok(true)
        }
    }
}

#[test]
fn every_rule_has_one_openssl_entry_and_every_entry_is_a_rule() {
    let mut seen = BTreeSet::new();
    for (rule, _) in OPENSSL {
        assert!(seen.insert(*rule), "two entries for {rule}");
        assert!(
            rules::rule(rule).is_some(),
            "{rule} is not a catalogue rule"
        );
    }
    let missing: Vec<&str> = rules::catalogue()
        .map(|r| r.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without an OPENSSL entry: {missing:?}"
    );
    let pairs: BTreeSet<&str> = cases().iter().map(|c| c.rule).collect();
    assert_eq!(pairs, seen, "the pairs and the table name different rules");
}

#[test]
fn openssl_x509_strict_on_every_rule_pair_agrees_with_the_table_and_chainscope() {
    let cases = cases();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        match check_pair(case) {
            Ok(true) => checked += 1,
            Ok(false) => {}
            Err(e) => failures.push(format!("{}: {e}", case.rule)),
        }
    }
    let checks = OPENSSL
        .iter()
        .filter(|(_, e)| matches!(e, Checks(_)))
        .count();
    println!(
        "openssl -x509_strict checks {checks} of {} rules; on {checked} of them it rejects the failing chain as the table says and chainscope names the rule; {} pairs disagree",
        cases.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} pairs disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
