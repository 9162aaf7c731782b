//! Path choice: cross-signed intermediates, `--all-paths`, profiles never accepting more
//! than webpki.

use chainscope::trust::TrustStore;
use chainscope::verify::{verify_chain, Code, Profile, VerifyOptions};
use chainscope::CertificateDer;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    p
}

/// Two roots; one intermediate (one key) certified by both; a leaf under it.
/// Returns (root A, root B, inter by A, inter by B, leaf).
fn cross_signed() -> [CertificateDer<'static>; 5] {
    let key_a = KeyPair::generate().unwrap();
    let root_a = ca_params("Root A").self_signed(&key_a).unwrap();
    let issuer_a = Issuer::new(ca_params("Root A"), key_a);
    let key_b = KeyPair::generate().unwrap();
    let root_b = ca_params("Root B").self_signed(&key_b).unwrap();
    let issuer_b = Issuer::new(ca_params("Root B"), key_b);
    let inter_key = KeyPair::generate().unwrap();
    let inter_a = ca_params("Cross Intermediate")
        .signed_by(&inter_key, &issuer_a)
        .unwrap();
    let inter_b = ca_params("Cross Intermediate")
        .signed_by(&inter_key, &issuer_b)
        .unwrap();
    let inter_issuer = Issuer::new(ca_params("Cross Intermediate"), inter_key);
    let mut leaf = CertificateParams::new(vec!["cross.chainscope.test".to_string()]).unwrap();
    leaf.not_before = rcgen::date_time_ymd(2025, 6, 1);
    leaf.not_after = rcgen::date_time_ymd(2030, 1, 1);
    let leaf = leaf
        .signed_by(&KeyPair::generate().unwrap(), &inter_issuer)
        .unwrap();
    [root_a, root_b, inter_a, inter_b, leaf].map(|c| c.der().clone())
}

#[test]
fn all_paths_lists_both_cross_signed_paths() {
    let [root_a, root_b, inter_a, inter_b, leaf] = cross_signed();
    let trust = TrustStore::from_certs(vec![root_a, root_b], "test roots");
    let mut options = VerifyOptions::for_host("cross.chainscope.test").unwrap();
    options.all_paths = true;
    let report = verify_chain(&[leaf.clone(), inter_a.clone(), inter_b], &trust, &options);
    assert!(report.valid, "{:?}", report.error);
    assert_eq!(report.all_paths.len(), 2);
    let anchors: Vec<&str> = report
        .all_paths
        .iter()
        .map(|p| p[2].subject.as_str())
        .collect();
    assert!(
        anchors.contains(&"CN=Root A") && anchors.contains(&"CN=Root B"),
        "{anchors:?}"
    );
    assert!(report.has(Code::AlternativePaths));
    // Without the flag, one path and no listing.
    let report = verify_chain(&[leaf, inter_a], &trust, &VerifyOptions::default());
    assert!(report.valid);
    assert!(report.all_paths.is_empty());
}

#[test]
fn the_unused_cross_sign_is_noted_when_only_one_root_is_trusted() {
    let [root_a, _root_b, inter_a, inter_b, leaf] = cross_signed();
    let trust = TrustStore::from_certs(vec![root_a], "root A only");
    let report = verify_chain(&[leaf, inter_b, inter_a], &trust, &VerifyOptions::default());
    assert!(report.valid, "{:?}", report.error);
    let unused = report
        .findings
        .iter()
        .find(|f| f.code == "unused_certificate")
        .expect("unused");
    assert_eq!(unused.cert_index, Some(1));
    assert_eq!(report.path[2].subject, "CN=Root A");
}

#[test]
fn profiles_never_accept_what_webpki_rejects_on_the_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../certs-fixtures");
    let cases = [
        "rsa",
        "ecdsa",
        "ed25519",
        "expired",
        "not-yet-valid",
        "wrong-order",
        "missing-intermediate",
        "ca-as-leaf",
        "wildcard",
        "ip-san",
        "name-constrained",
        "cn-only",
        "client-eku",
        "rsa1024",
        "sha1",
        "no-aki",
        "key-mismatch",
    ];
    for case in cases {
        let chain =
            chainscope::load_certificates(format!("{dir}/{case}/chain.pem").as_ref()).unwrap();
        let trust = TrustStore::from_spec(&format!("{dir}/{case}/root.pem")).unwrap();
        let mut verdicts = Vec::new();
        for profile in [Profile::Webpki, Profile::Clients, Profile::Rfc5280] {
            let mut options = VerifyOptions::default();
            options.profile = profile;
            let r = verify_chain(&chain, &trust, &options);
            assert!(
                !r.valid || r.webpki.valid,
                "{case} {profile:?} accepted what webpki rejects"
            );
            verdicts.push(r.valid);
        }
        // Stricter profiles only ever reject more.
        assert!(
            verdicts.windows(2).all(|w| w[0] || !w[1]),
            "{case}: {verdicts:?}"
        );
    }
}
