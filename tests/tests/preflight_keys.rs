//! `preflight --key` with a key no TLS server can use (issue 10.2): random bytes, an empty
//! file, DSA (PKCS#8 and OpenSSL's traditional form), Ed448, X25519, a certificate instead
//! of a key — each makes `key_matches_leaf` fail (exit 1), naming what the file holds.
//! A file that cannot be read at all stays an input error (exit 2).
//!
//! The keys are generated here with `openssl genpkey`; a missing openssl fails the test.

use std::process::{Command, Stdio};

use chainscope_tests::{chainscope, fixture_path, CliRun, TempDir};

fn openssl(args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("openssl must be installed to run this test");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn preflight(key: &str) -> CliRun {
    chainscope(&[
        "preflight",
        "--cert",
        &fixture_path("ecdsa/chain.pem"),
        "--key",
        key,
        "--roots",
        &fixture_path("ecdsa/root.pem"),
        "--host",
        "ecdsa.chainscope.test",
        "--json",
    ])
}

/// Runs preflight with `key` and returns the `key_matches_leaf` check, asserting exit 1.
fn key_check(key: &str) -> serde_json::Value {
    let run = preflight(key);
    assert_eq!(run.code, 1, "{key}: {}{}", run.out, run.err);
    let json: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(json["verdict"], "fail");
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "key_matches_leaf")
        .cloned()
        .expect("a key_matches_leaf check")
}

fn assert_fails_with(key: &str, words: &str) {
    let check = key_check(key);
    assert_eq!(check["status"], "fail", "{key}: {check}");
    let found = check["found"].as_str().unwrap();
    assert_eq!(found, format!("{key} {words}"), "{check}");
    assert!(
        check["fix"]
            .as_str()
            .unwrap()
            .contains("ssl_certificate_key"),
        "{check}"
    );
}

#[test]
fn random_and_empty_key_files_fail_naming_what_they_hold() {
    let dir = TempDir::new("pf-keys");
    let empty = dir.file("empty.pem");
    std::fs::write(&empty, b"").unwrap();
    assert_fails_with(&empty, "is empty");

    let random = dir.file("random.key");
    let bytes: Vec<u8> = (0u32..600)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&random, bytes).unwrap();
    assert_fails_with(&random, "holds no PEM/DER private key");

    let cert = fixture_path("ecdsa/leaf.pem");
    assert_fails_with(&cert, "holds no private key (it holds a CERTIFICATE block)");
}

#[test]
fn dsa_keys_fail_in_both_containers() {
    let dir = TempDir::new("pf-dsa");
    let params = dir.file("dsa.params");
    let pkcs8 = dir.file("dsa.pem");
    let traditional = dir.file("dsa-traditional.pem");
    openssl(&[
        "genpkey",
        "-genparam",
        "-algorithm",
        "DSA",
        "-pkeyopt",
        "dsa_paramgen_bits:2048",
        "-out",
        &params,
    ]);
    openssl(&["genpkey", "-paramfile", &params, "-out", &pkcs8]);
    openssl(&["pkey", "-in", &pkcs8, "-traditional", "-out", &traditional]);
    assert!(std::fs::read_to_string(&traditional)
        .unwrap()
        .contains("BEGIN DSA PRIVATE KEY"));
    for key in [&pkcs8, &traditional] {
        assert_fails_with(key, "holds a DSA private key, which TLS servers cannot use");
    }
}

#[test]
fn ed448_and_x25519_keys_fail() {
    let dir = TempDir::new("pf-ed448");
    let ed448 = dir.file("ed448.pem");
    openssl(&["genpkey", "-algorithm", "ED448", "-out", &ed448]);
    let check = key_check(&ed448);
    assert_eq!(check["status"], "fail", "{check}");
    assert!(
        check["found"].as_str().unwrap().starts_with(&format!(
            "{ed448} holds an Ed448 private key, which TLS servers cannot use"
        )),
        "{check}"
    );

    let x25519 = dir.file("x25519.pem");
    openssl(&["genpkey", "-algorithm", "X25519", "-out", &x25519]);
    let check = key_check(&x25519);
    assert!(
        check["found"]
            .as_str()
            .unwrap()
            .contains("which cannot sign"),
        "{check}"
    );
}

#[test]
fn a_secp256k1_key_names_its_curve() {
    let dir = TempDir::new("pf-k1");
    let key = dir.file("k1.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:secp256k1",
        "-out",
        &key,
    ]);
    let check = key_check(&key);
    assert!(
        check["found"].as_str().unwrap().contains("curve secp256k1"),
        "{check}"
    );
}

#[test]
fn the_right_key_still_passes_and_a_missing_file_is_an_input_error() {
    let run = preflight(&fixture_path("ecdsa/leaf.key"));
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    let run = preflight("/nonexistent/key.pem");
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    // A device is cut off at once by the bounded reader: a failed check, naming it.
    let check = key_check("/dev/zero");
    assert_eq!(check["status"], "fail", "{check}");
    assert!(
        check["found"]
            .as_str()
            .unwrap()
            .starts_with("/dev/zero holds no usable private key"),
        "{check}"
    );
}
