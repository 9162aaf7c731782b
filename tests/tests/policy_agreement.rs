//! One policy for key strength and signature hashes: `show`, `preflight` and `verify` judge
//! P-521 and RSA-PSS keys (and weak signature hashes) the same way. The certificates are
//! made with the openssl command line (id-RSASSA-PSS keys need it); the tests fail when it
//! is missing.

use std::process::Command;

use chainscope::preflight::{check_files, CheckStatus, FileCheckOptions};
use chainscope::trust::TrustStore;
use chainscope::verify::{verify_chain, Profile, VerifyOptions};
use chainscope::{CertificateDer, CertificateInfo};
use chainscope_tests::TempDir;

fn openssl(dir: &TempDir, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("this test needs the openssl command line (apt-get install openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A self-signed leaf for `host` with the key openssl makes from `genpkey` arguments,
/// signed with `sigopts` (`-sha512`, `-sigopt …`).
fn self_signed(
    dir: &TempDir,
    host: &str,
    genpkey: &[&str],
    sign: &[&str],
) -> CertificateDer<'static> {
    let mut args = vec!["genpkey"];
    args.extend_from_slice(genpkey);
    args.extend_from_slice(&["-out", "key.pem"]);
    openssl(dir, &args);
    let subj = format!("/CN={host}");
    let san = format!("subjectAltName=DNS:{host}");
    let mut args = vec![
        "req",
        "-x509",
        "-new",
        "-key",
        "key.pem",
        "-days",
        "30",
        "-subj",
        &subj,
        "-addext",
        &san,
        "-addext",
        "extendedKeyUsage=serverAuth",
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-out",
        "cert.pem",
    ];
    args.extend_from_slice(sign);
    openssl(dir, &args);
    chainscope::load_certificates(dir.join("cert.pem").as_ref())
        .unwrap()
        .remove(0)
}

fn preflight_status(cert: &CertificateDer<'static>, check: &str) -> (CheckStatus, String) {
    let checks = check_files(
        std::slice::from_ref(cert),
        None,
        &FileCheckOptions::default(),
    );
    let c = checks
        .iter()
        .find(|c| c.id == check)
        .unwrap_or_else(|| panic!("no check {check}"));
    (c.status, c.found.clone())
}

#[test]
fn p521_leaf_is_strong_for_show_preflight_and_verify() {
    let dir = TempDir::new("policy-p521");
    let leaf = self_signed(
        &dir,
        "p521.policy.test",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        &["-sha512"],
    );
    let info = CertificateInfo::decode(&leaf, time::OffsetDateTime::now_utc()).unwrap();
    assert_eq!(info.public_key.curve.as_deref(), Some("P-521"));
    assert_eq!(info.public_key.bits, Some(521));
    assert_eq!(preflight_status(&leaf, "key_strength").0, CheckStatus::Pass);
    assert_eq!(
        preflight_status(&leaf, "signature_sha256").0,
        CheckStatus::Pass
    );
    let trust = TrustStore::from_certs(vec![leaf.clone()], "self");
    let mut options = VerifyOptions::for_host("p521.policy.test").unwrap();
    options.profile = Profile::Rfc5280;
    let report = verify_chain(&[leaf], &trust, &options);
    assert!(report.valid, "{:?}", report.findings);
    for code in ["forbidden_subscriber_key", "weak_leaf_key"] {
        assert!(!report.findings.iter().any(|f| f.code == code), "{code}");
    }
}

#[test]
fn rsa_pss_key_is_judged_as_an_rsa_key_of_its_size() {
    let dir = TempDir::new("policy-pss");
    let leaf = self_signed(
        &dir,
        "pss.policy.test",
        &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
        &["-sha256"],
    );
    let info = CertificateInfo::decode(&leaf, time::OffsetDateTime::now_utc()).unwrap();
    assert_eq!(info.public_key.algorithm, "RSA-PSS");
    assert_eq!(
        info.public_key.bits,
        Some(2048),
        "the PSS key's modulus decodes"
    );
    let (status, found) = preflight_status(&leaf, "key_strength");
    assert_eq!(status, CheckStatus::Pass, "{found}");
    let (status, found) = preflight_status(&leaf, "signature_sha256");
    assert_eq!(status, CheckStatus::Pass, "{found}");
}

#[test]
fn a_weak_rsa_pss_key_and_a_sha1_signature_fail_preflight() {
    let dir = TempDir::new("policy-weak");
    let leaf = self_signed(
        &dir,
        "weak.policy.test",
        &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024"],
        &["-sha1"],
    );
    let (status, found) = preflight_status(&leaf, "key_strength");
    assert_eq!(status, CheckStatus::Fail, "{found}");
    let (status, found) = preflight_status(&leaf, "signature_sha256");
    assert_eq!(status, CheckStatus::Fail, "{found}");
    assert!(found.contains("SHA-1"), "{found}");
}
