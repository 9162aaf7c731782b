//! `chainscope::verify` on the fixture chains: verdicts, causes and the certificates named.

use chainscope::trust::TrustStore;
use chainscope::verify::{
    parse_time, verify_chain, Code, Crl, Profile, Purpose, Severity, VerifyOptions, VerifyReport,
};
use chainscope::CertificateDer;

fn fixture(rel: &str) -> String {
    chainscope_tests::fixture_path(rel)
}

fn certs(rel: &str) -> Vec<CertificateDer<'static>> {
    chainscope::load_certificates(fixture(rel).as_ref()).expect(rel)
}

fn roots(dir: &str) -> TrustStore {
    TrustStore::from_spec(&fixture(&format!("{dir}/root.pem"))).expect("root")
}

/// Options at a fixed time (2026-01-01) so results do not depend on today.
fn opts(host: Option<&str>) -> VerifyOptions {
    let mut o = match host {
        Some(h) => VerifyOptions::for_host(h).unwrap(),
        None => VerifyOptions::default(),
    };
    o.at = Some(parse_time("2026-01-01T00:00:00Z").unwrap());
    o
}

fn run(dir: &str, chain: &str, host: Option<&str>) -> VerifyReport {
    verify_chain(&certs(&format!("{dir}/{chain}")), &roots(dir), &opts(host))
}

fn error_code(r: &VerifyReport) -> &str {
    r.error.as_ref().map(|e| e.code.as_str()).unwrap_or("")
}

#[test]
fn good_chains_verify_with_the_full_path() {
    for dir in ["rsa", "ecdsa", "ed25519", "wildcard", "no-aki"] {
        let host = format!("{dir}.chainscope.test");
        let host = if dir == "wildcard" {
            "www.wild.chainscope.test"
        } else {
            &host
        };
        let r = run(dir, "chain.pem", Some(host));
        assert!(r.valid, "{dir}: {:?}", r.error);
        assert!(r.webpki.valid);
        assert_eq!(r.path.len(), 3, "{dir}");
        assert_eq!(r.path[0].role, "leaf");
        assert_eq!(r.path[2].role, "anchor");
        assert_eq!(r.path[0].not_after.as_deref(), Some("2035-06-01T00:00:00Z"));
        assert_eq!(
            r.path[0].sha256.len(),
            95,
            "uppercase hex pairs with colons"
        );
        assert!(r.error.is_none());
        assert!(
            r.findings_of(Severity::Error).next().is_none(),
            "{dir}: {:?}",
            r.findings
        );
    }
}

#[test]
fn ip_san_leaf_verifies_for_its_ip_and_not_for_its_cn() {
    assert!(run("ip-san", "chain.pem", Some("10.1.2.3")).valid);
    assert!(run("ip-san", "chain.pem", Some("::1")).valid);
    let r = run("ip-san", "chain.pem", Some("ip-san.chainscope.test"));
    assert_eq!(error_code(&r), "hostname_mismatch");
    assert!(r.error.unwrap().message.contains("IP:10.1.2.3"));
}

#[test]
fn expired_leaf_is_reported_with_its_not_after_and_how_long_ago() {
    let r = run("expired", "chain.pem", None);
    assert!(!r.valid);
    let e = r.error.unwrap();
    assert_eq!(e.code, "expired");
    assert_eq!(e.cert_index, Some(0));
    assert!(
        e.message.contains("2021-01-01 00:00:00 UTC"),
        "{}",
        e.message
    );
    assert!(e.message.contains("5 years ago"), "{}", e.message);
}

#[test]
fn expired_intermediate_is_reported_with_its_not_after() {
    let r = run("expired/inter-expired", "chain.pem", None);
    let e = r.error.unwrap();
    assert_eq!(e.code, "expired");
    assert_eq!(e.cert_index, Some(1));
    assert!(e.message.contains("Expired-Intermediate Intermediate CA"));
    assert!(e.message.contains("2021-01-01"));
}

#[test]
fn expired_intermediate_and_wrong_host_are_both_reported_cause_first() {
    let r = run("expired/inter-expired", "chain.pem", Some("wrong.example"));
    let errors: Vec<&str> = r
        .findings_of(Severity::Error)
        .map(|f| f.code.as_str())
        .collect();
    assert_eq!(errors, ["expired", "hostname_mismatch"]);
    assert_eq!(error_code(&r), "expired");
}

#[test]
fn not_yet_valid_leaf_names_its_not_before() {
    let r = run("not-yet-valid", "chain.pem", None);
    let e = r.error.unwrap();
    assert_eq!(e.code, "not_yet_valid");
    assert_eq!(e.cert_index, Some(0));
    assert!(e.message.contains("2090-01-01"), "{}", e.message);
}

#[test]
fn missing_intermediate_names_the_issuer_key_id_and_aia_url() {
    let r = run("missing-intermediate", "chain.pem", None);
    let e = r.error.as_ref().unwrap();
    assert_eq!(e.code, "missing_intermediate");
    assert_eq!(e.cert_index, Some(0));
    assert!(e.message.contains("Missing-Intermediate Intermediate CA"));
    assert!(e.message.contains("key identifier"));
    assert!(e
        .message
        .contains("http://127.0.0.1:1/missing-intermediate-inter.der"));
    assert!(e
        .message
        .contains("the server does not send its intermediate"));
    let f = &r.findings[0];
    assert!(f.fix.as_ref().unwrap().contains("full chain"));
    assert!(f.clients.as_ref().unwrap().contains("curl"));
}

#[test]
fn untrusted_intermediate_completes_the_path_but_is_reported_as_not_sent() {
    let mut o = opts(None);
    o.untrusted = certs("missing-intermediate/inter.pem");
    let r = verify_chain(
        &certs("missing-intermediate/chain.pem"),
        &roots("missing-intermediate"),
        &o,
    );
    assert!(r.valid, "{:?}", r.error);
    assert!(matches!(
        r.path[1].source,
        chainscope::verify::CertSource::Untrusted
    ));
    assert!(r.has(Code::NotSentByServer));
}

#[test]
fn self_signed_leaf_explains_how_to_trust_it() {
    let r = verify_chain(&certs("self-signed/cert.pem"), &roots("rsa"), &opts(None));
    let f = &r.findings[0];
    assert_eq!(f.code, "self_signed_leaf");
    assert!(f
        .fix
        .as_ref()
        .unwrap()
        .contains("add it to the trust anchors"));
    assert_eq!(f.hint, Some(chainscope::Hint::Roots));
    // Trusting it makes it valid.
    let trust = TrustStore::from_spec(&fixture("self-signed/cert.pem")).unwrap();
    let r = verify_chain(
        &certs("self-signed/cert.pem"),
        &trust,
        &opts(Some("localhost")),
    );
    assert!(r.valid, "{:?}", r.error);
}

#[test]
fn chain_to_a_root_not_in_the_store_is_an_unknown_issuer() {
    let r = verify_chain(
        &certs("rsa/fullchain-with-root.pem"),
        &roots("ecdsa"),
        &opts(None),
    );
    assert_eq!(error_code(&r), "untrusted_root");
    assert_eq!(r.error.unwrap().cert_index, Some(2));
    let r = verify_chain(&certs("rsa/chain.pem"), &roots("ecdsa"), &opts(None));
    assert_eq!(error_code(&r), "unknown_issuer");
    assert_eq!(r.error.unwrap().cert_index, Some(1));
}

#[test]
fn intermediate_sent_first_is_explained_as_out_of_order() {
    let r = run("wrong-order", "chain.pem", None);
    let e = r.error.as_ref().unwrap();
    assert_eq!(e.code, "ca_used_as_leaf");
    assert!(e.message.contains("out of order"), "{}", e.message);
    assert!(r.has(Code::OutOfOrder));
    assert!(r.findings[0].fix.as_ref().unwrap().contains("leaf first"));
}

#[test]
fn intermediates_in_the_wrong_order_verify_with_a_warning() {
    let mut chain = certs("rsa/fullchain-with-root.pem");
    chain.swap(1, 2); // leaf, root, inter
    let r = verify_chain(&chain, &roots("rsa"), &opts(None));
    assert!(r.valid, "{:?}", r.error);
    assert!(r.has(Code::RootSent));
    assert!(!r.has(Code::OutOfOrder));
    let mut chain = certs("rsa/fullchain-with-root.pem");
    chain.truncate(2);
    chain.push(certs("ecdsa/inter.pem").remove(0));
    chain.swap(1, 2); // leaf, unrelated inter, inter
    let r = verify_chain(&chain, &roots("rsa"), &opts(None));
    assert!(r.valid, "{:?}", r.error);
    assert!(r.has(Code::UnusedCertificate));
}

#[test]
fn root_sent_by_the_server_is_noted_as_unused() {
    let r = run("rsa", "fullchain-with-root.pem", None);
    assert!(r.valid);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "root_sent")
        .expect("root_sent");
    assert_eq!(f.cert_index, Some(2));
}

#[test]
fn ca_certificate_used_as_leaf_is_named() {
    let r = run("ca-as-leaf", "chain.pem", None);
    assert_eq!(error_code(&r), "ca_used_as_leaf");
    assert_eq!(r.error.unwrap().cert_index, Some(0));
}

#[test]
fn hostname_mismatch_lists_the_names_covered() {
    let r = run("rsa", "chain.pem", Some("example.com"));
    let e = r.error.unwrap();
    assert_eq!(e.code, "hostname_mismatch");
    assert!(
        e.message
            .contains("DNS:rsa.chainscope.test, DNS:localhost, IP:127.0.0.1, IP:::1"),
        "{}",
        e.message
    );
}

#[test]
fn cn_only_leaf_says_the_cn_is_ignored() {
    let r = run("cn-only", "chain.pem", Some("cn-only.chainscope.test"));
    let e = r.error.unwrap();
    assert_eq!(e.code, "hostname_mismatch");
    assert!(e.message.contains("no subjectAltName"), "{}", e.message);
}

#[test]
fn client_only_leaf_has_the_wrong_purpose_for_a_server() {
    let r = run("client-eku", "chain.pem", None);
    let e = r.error.unwrap();
    assert_eq!(e.code, "wrong_purpose");
    assert!(e.message.contains("clientAuth"), "{}", e.message);
    let mut o = opts(None);
    o.purposes = vec![Purpose::ClientAuth];
    let r = verify_chain(&certs("client-eku/chain.pem"), &roots("client-eku"), &o);
    assert!(r.valid, "{:?}", r.error);
}

#[test]
fn name_constraint_violation_names_the_constraining_ca() {
    assert!(
        run(
            "name-constrained",
            "chain.pem",
            Some("good.allowed.chainscope.test")
        )
        .valid
    );
    let r = run("name-constrained", "bad-chain.pem", None);
    let e = r.error.unwrap();
    assert_eq!(e.code, "name_constraint_violated");
    assert_eq!(e.cert_index, Some(1));
    assert!(e.message.contains("evil.example.com"));
}

#[test]
fn sha1_signed_leaf_is_a_weak_signature() {
    let r = run("sha1", "chain.pem", None);
    let e = r.error.unwrap();
    assert_eq!(e.code, "weak_signature_algorithm");
    assert_eq!(e.cert_index, Some(0));
    assert!(e.message.contains("sha1WithRSAEncryption"));
}

#[test]
fn rsa1024_leaf_passes_webpki_but_not_the_clients_profile() {
    let mut o = opts(None);
    o.profile = Profile::Webpki;
    let chain = certs("rsa1024/chain.pem");
    let r = verify_chain(&chain, &roots("rsa1024"), &o);
    assert!(r.valid, "{:?}", r.error);
    assert!(r
        .findings
        .iter()
        .any(|f| f.code == "weak_leaf_key" && f.severity == Severity::Warning));
    o.profile = Profile::Clients;
    let r = verify_chain(&chain, &roots("rsa1024"), &o);
    assert_eq!(error_code(&r), "weak_leaf_key");
    assert!(r.webpki.valid, "webpki's own verdict is kept in the report");
}

#[test]
fn missing_aki_is_a_warning_by_default_and_an_error_when_strict() {
    let r = run("no-aki", "chain.pem", None);
    assert!(r.valid);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "aki_missing")
        .expect("aki_missing");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.clients.as_ref().unwrap().contains("pyca/cryptography"));
    let mut o = opts(None);
    o.profile = Profile::Rfc5280;
    let r = verify_chain(&certs("no-aki/chain.pem"), &roots("no-aki"), &o);
    assert_eq!(error_code(&r), "aki_missing");
}

#[test]
fn revoked_leaf_names_the_crl_reason_and_date() {
    let mut o = opts(None);
    o.crls = Crl::load(fixture("rsa/inter-revoking.crl.pem").as_ref()).unwrap();
    o.untrusted = certs("rsa/inter.pem");
    let r = verify_chain(&certs("rsa/revoked-leaf.pem"), &roots("rsa"), &o);
    let e = r.error.unwrap();
    assert_eq!(e.code, "revoked");
    assert!(e.message.contains("2025-06-15"), "{}", e.message);
    assert!(
        e.message.to_lowercase().contains("keycompromise"),
        "{}",
        e.message
    );
    assert!(e.message.contains("inter-revoking.crl.pem"));
    // The good leaf is not on it.
    let r = verify_chain(&certs("rsa/chain.pem"), &roots("rsa"), &o);
    assert!(r.valid, "{:?}", r.error);
}

#[test]
fn max_depth_rejects_longer_paths() {
    let mut o = opts(None);
    o.max_depth = Some(0);
    let r = verify_chain(&certs("rsa/chain.pem"), &roots("rsa"), &o);
    assert_eq!(error_code(&r), "path_too_long");
    o.max_depth = Some(1);
    assert!(verify_chain(&certs("rsa/chain.pem"), &roots("rsa"), &o).valid);
}

#[test]
fn expiring_soon_warns_within_warn_days() {
    let mut o = opts(None);
    o.at = Some(parse_time("2035-05-20T00:00:00Z").unwrap());
    let r = verify_chain(&certs("rsa/chain.pem"), &roots("rsa"), &o);
    assert!(r.valid);
    assert!(r.has(Code::ExpiringSoon));
    o.warn_days = 5;
    assert!(!verify_chain(&certs("rsa/chain.pem"), &roots("rsa"), &o).has(Code::ExpiringSoon));
}

#[test]
fn combined_trust_store_counts_each_source() {
    let mut store = roots("rsa");
    store.extend(roots("ecdsa"));
    store.extend(TrustStore::mozilla());
    assert_eq!(store.sources().len(), 3);
    assert_eq!(store.sources()[0].anchors, 1);
    assert!(store.sources()[2].anchors > 100);
    assert!(store.label().starts_with(&fixture("rsa/root.pem")));
    assert!(verify_chain(&certs("ecdsa/chain.pem"), &store, &opts(None)).valid);
}

#[test]
fn hashed_directory_is_a_trust_source() {
    let scratch = chainscope_tests::TempDir::new("verify-roots");
    let dir = scratch.path();
    std::fs::copy(fixture("rsa/root.pem"), dir.join("a1b2c3d4.0")).unwrap();
    std::fs::copy(fixture("ecdsa/root.pem"), dir.join("e5f6a7b8.0")).unwrap();
    let store = TrustStore::from_spec(dir.to_str().unwrap()).unwrap();
    assert_eq!(store.len(), 2);
    assert!(verify_chain(&certs("rsa/chain.pem"), &store, &opts(None)).valid);
}

#[test]
fn mozilla_store_rejects_a_private_chain_as_unknown_issuer() {
    let r = verify_chain(&certs("rsa/chain.pem"), &TrustStore::mozilla(), &opts(None));
    assert_eq!(error_code(&r), "unknown_issuer");
}

#[test]
fn empty_chain_is_a_report_not_a_panic() {
    let r = verify_chain(&[], &roots("rsa"), &opts(None));
    assert_eq!(error_code(&r), "empty_chain");
}

#[test]
fn report_serializes_with_the_documented_fields() {
    let r = run("expired", "chain.pem", None);
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["code"], "expired");
    assert_eq!(v["error"]["cert_index"], 0);
    assert!(v["findings"][0]["severity"] == "error");
    assert!(v["path"].is_array());
}
