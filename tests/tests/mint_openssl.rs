//! `chainscope mint` judged by OpenSSL: chains verify, names match, keys load.

use chainscope_tests::mint::{
    chainscope, chainscope_ok, listing, mint_chain, openssl, openssl_ok, ScratchDir, KEY_TYPES,
};
use x509_parser::prelude::{FromDer, X509Certificate};

fn der_of(path: &str) -> Vec<u8> {
    let pem = std::fs::read(path).unwrap();
    chainscope::load_bytes(&pem, path, &Default::default())
        .unwrap()
        .certs[0]
        .der
        .to_vec()
}

#[test]
fn every_key_type_chain_verifies_in_openssl_and_every_name_matches() {
    for kt in KEY_TYPES {
        let dir = ScratchDir::new(&format!("verify-{kt}"));
        mint_chain(&dir, kt);
        let leaf = |f: &str| dir.join(&format!("leaf/{f}"));
        let out = openssl_ok(&[
            "verify",
            "-CAfile",
            &leaf("ca.pem"),
            "-untrusted",
            &leaf("chain.pem"),
            &leaf("cert.pem"),
        ]);
        assert!(out.contains(": OK"), "{kt}: {out}");
        // The root handed to clients is the root CA itself.
        assert_eq!(
            std::fs::read(leaf("ca.pem")).unwrap(),
            std::fs::read(dir.join("root/cert.pem")).unwrap()
        );
        // fullchain = leaf + intermediate, what nginx wants.
        let full = std::fs::read_to_string(leaf("fullchain.pem")).unwrap();
        assert_eq!(full.matches("BEGIN CERTIFICATE").count(), 2, "{kt}");
        for host in ["proxy.hospital.local", "localhost"] {
            let out = openssl_ok(&[
                "x509",
                "-in",
                &leaf("cert.pem"),
                "-noout",
                "-checkhost",
                host,
            ]);
            assert!(out.contains("does match"), "{kt} {host}: {out}");
        }
        let out = openssl_ok(&[
            "x509",
            "-in",
            &leaf("cert.pem"),
            "-noout",
            "-checkhost",
            "other.hospital.local",
        ]);
        assert!(out.contains("does NOT match"), "{kt}: {out}");
        for ip in ["10.1.2.3", "127.0.0.1"] {
            let out = openssl_ok(&["x509", "-in", &leaf("cert.pem"), "-noout", "-checkip", ip]);
            assert!(out.contains("does match"), "{kt} {ip}: {out}");
        }
        for key in ["root/key.pem", "inter/key.pem", "leaf/key.pem"] {
            openssl_ok(&["pkey", "-in", &dir.join(key), "-noout"]);
        }
        // The key really belongs to the certificate.
        let from_key = openssl_ok(&["pkey", "-in", &leaf("key.pem"), "-pubout"]);
        let from_cert = openssl_ok(&["x509", "-in", &leaf("cert.pem"), "-noout", "-pubkey"]);
        assert_eq!(from_key, from_cert, "{kt}");
    }
}

#[test]
fn leaf_signed_by_the_root_directly_verifies_and_has_an_empty_chain() {
    let dir = ScratchDir::new("direct");
    let root = dir.join("root");
    let leaf = dir.join("leaf");
    chainscope_ok(&["mint", "ca", "--name", "Direct Root", "--out", &root]);
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &root,
        "--dns",
        "proxy.hospital.local",
        "--out",
        &leaf,
    ]);
    assert_eq!(std::fs::read(dir.join("leaf/chain.pem")).unwrap(), b"");
    let out = openssl_ok(&[
        "verify",
        "-CAfile",
        &dir.join("leaf/ca.pem"),
        &dir.join("leaf/cert.pem"),
    ]);
    assert!(out.contains(": OK"), "{out}");
}

#[test]
fn certificates_carry_random_serials_key_identifiers_and_the_right_constraints() {
    let dir = ScratchDir::new("profile");
    mint_chain(&dir, "ecdsa-p256");
    // A second leaf for the same names from the same issuer must not repeat the serial.
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("inter"),
        "--dns",
        "proxy.hospital.local",
        "--out",
        &dir.join("leaf2"),
    ]);
    let mut serials = Vec::new();
    for (file, is_ca) in [
        ("root/cert.pem", true),
        ("inter/cert.pem", true),
        ("leaf/cert.pem", false),
        ("leaf2/cert.pem", false),
    ] {
        let der = der_of(&dir.join(file));
        let (_, c) = X509Certificate::from_der(&der).unwrap();
        let serial = c.raw_serial();
        assert!(
            serial[0] & 0x80 == 0 && serial.len() >= 9,
            "{file}: serial {serial:02x?}"
        );
        serials.push(serial.to_vec());
        let ski = c
            .iter_extensions()
            .any(|e| e.oid == x509_parser::oid_registry::OID_X509_EXT_SUBJECT_KEY_IDENTIFIER);
        let aki = c
            .iter_extensions()
            .any(|e| e.oid == x509_parser::oid_registry::OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER);
        assert!(ski && aki, "{file}: SKI {ski} AKI {aki}");
        let bc = c
            .basic_constraints()
            .unwrap()
            .expect("basicConstraints present");
        assert!(bc.critical, "{file}");
        assert_eq!(bc.value.ca, is_ca, "{file}");
        let ku = c.key_usage().unwrap().expect("keyUsage present");
        assert!(ku.critical);
        assert_eq!(ku.value.key_cert_sign(), is_ca, "{file}");
        if !is_ca {
            assert!(
                c.subject_alternative_name().unwrap().is_some(),
                "{file}: SAN"
            );
            assert!(c.extended_key_usage().unwrap().unwrap().value.server_auth);
            let days =
                (c.validity().not_after.timestamp() - c.validity().not_before.timestamp()) / 86_400;
            assert!(days <= 398, "{file}: {days} days");
        }
    }
    serials.sort();
    serials.dedup();
    assert_eq!(serials.len(), 4, "serials repeat");
    // Intermediates default to pathLen 0: they sign leaves only.
    let der = der_of(&dir.join("inter/cert.pem"));
    let (_, inter) = X509Certificate::from_der(&der).unwrap();
    assert_eq!(
        inter
            .basic_constraints()
            .unwrap()
            .unwrap()
            .value
            .path_len_constraint,
        Some(0)
    );
}

#[test]
fn client_leaf_carries_client_auth_only() {
    let dir = ScratchDir::new("client");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &dir.join("root")]);
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--client",
        "--email",
        "device@hospital.local",
        "--uri",
        "spiffe://hospital.local/dev",
        "--out",
        &dir.join("c"),
    ]);
    let out = openssl_ok(&[
        "verify",
        "-purpose",
        "sslclient",
        "-CAfile",
        &dir.join("c/ca.pem"),
        &dir.join("c/cert.pem"),
    ]);
    assert!(out.contains(": OK"), "{out}");
    let out = openssl(&[
        "verify",
        "-purpose",
        "sslserver",
        "-CAfile",
        &dir.join("c/ca.pem"),
        &dir.join("c/cert.pem"),
    ]);
    assert!(
        !out.status.success(),
        "a client certificate must not pass as a server one"
    );
    let text = openssl_ok(&[
        "x509",
        "-in",
        &dir.join("c/cert.pem"),
        "-noout",
        "-ext",
        "subjectAltName",
    ]);
    assert!(
        text.contains("email:device@hospital.local")
            && text.contains("URI:spiffe://hospital.local/dev"),
        "{text}"
    );
}

#[test]
fn self_signed_verifies_against_itself_and_warns() {
    let dir = ScratchDir::new("self");
    let out = dir.join("s");
    let run = chainscope_ok(&[
        "mint",
        "self-signed",
        "--dns",
        "localhost",
        "--ip",
        "127.0.0.1",
        "--out",
        &out,
    ]);
    assert!(
        run.err.contains("warning:") && run.err.contains("pin"),
        "{}",
        run.err
    );
    assert_eq!(
        listing(dir.path().join("s").as_path()),
        ["cert.pem", "key.pem"]
    );
    let cert = dir.join("s/cert.pem");
    let text = openssl_ok(&["verify", "-CAfile", &cert, &cert]);
    assert!(text.contains(": OK"), "{text}");
    let text = openssl_ok(&["x509", "-in", &cert, "-noout", "-text"]);
    assert!(text.contains("CA:FALSE"), "{text}");
}

#[test]
fn name_constrained_ca_leaf_outside_the_permitted_names_fails_openssl_verify() {
    let dir = ScratchDir::new("nc");
    let root = dir.join("root");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.local",
        "--permit-ip",
        "10.0.0.0/8",
        "--out",
        &root,
    ]);
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &root,
        "--dns",
        "proxy.hospital.local",
        "--ip",
        "10.1.2.3",
        "--out",
        &dir.join("inside"),
    ]);
    let ok = openssl_ok(&[
        "verify",
        "-CAfile",
        &dir.join("inside/ca.pem"),
        &dir.join("inside/cert.pem"),
    ]);
    assert!(ok.contains(": OK"), "{ok}");

    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &root,
        "--dns",
        "www.example.com",
        "--out",
        &dir.join("outside"),
    ]);
    let o = openssl(&[
        "verify",
        "-CAfile",
        &dir.join("outside/ca.pem"),
        &dir.join("outside/cert.pem"),
    ]);
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("permitted subtree violation"), "{text}");

    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &root,
        "--dns",
        "proxy.hospital.local",
        "--ip",
        "192.168.1.1",
        "--out",
        &dir.join("outside-ip"),
    ]);
    let o = openssl(&[
        "verify",
        "-CAfile",
        &dir.join("outside-ip/ca.pem"),
        &dir.join("outside-ip/cert.pem"),
    ]);
    assert!(
        !o.status.success(),
        "an IP outside 10.0.0.0/8 must be refused"
    );
    // chainscope's own verify explains the same refusal: see
    // verify_connect.rs, a_leaf_outside_a_minted_name_constrained_ca_is_explained.
}

#[test]
fn encrypted_key_loads_in_openssl_only_with_the_passphrase_and_signs_as_ca() {
    let dir = ScratchDir::new("enc");
    let pass = dir.join("pass.txt");
    std::fs::write(&pass, "s3cret passphrase\n").unwrap();
    let root = dir.join("root");
    let run = chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Enc Root",
        "--encrypt-key",
        "--passphrase-file",
        &pass,
        "--out",
        &root,
        "--json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(json["key_encrypted"], true);
    let key = dir.join("root/key.pem");
    assert!(std::fs::read_to_string(&key)
        .unwrap()
        .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    openssl_ok(&[
        "pkey",
        "-in",
        &key,
        "-passin",
        &format!("file:{pass}"),
        "-noout",
    ]);
    let wrong = dir.join("wrong.txt");
    std::fs::write(&wrong, "nope\n").unwrap();
    assert!(!openssl(&[
        "pkey",
        "-in",
        &key,
        "-passin",
        &format!("file:{wrong}"),
        "-noout"
    ])
    .status
    .success());

    // The encrypted CA key signs with --ca-passphrase-file, and refuses a wrong one.
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &root,
        "--ca-passphrase-file",
        &pass,
        "--dns",
        "a.hospital.local",
        "--out",
        &dir.join("leaf"),
    ]);
    let out = openssl_ok(&[
        "verify",
        "-CAfile",
        &dir.join("leaf/ca.pem"),
        &dir.join("leaf/cert.pem"),
    ]);
    assert!(out.contains(": OK"));
    let bad = chainscope(&[
        "mint",
        "leaf",
        "--ca",
        &root,
        "--ca-passphrase-file",
        &wrong,
        "--dns",
        "a.hospital.local",
        "--out",
        &dir.join("leaf2"),
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.err.contains("wrong passphrase"), "{}", bad.err);
    assert!(!dir.path().join("leaf2").exists());

    // Every key type encrypts in a form OpenSSL 3.0 reads.
    for kt in ["ed25519", "rsa-2048", "ecdsa-p384"] {
        let out = dir.join(&format!("e-{kt}"));
        chainscope_ok(&[
            "mint",
            "self-signed",
            "--dns",
            "localhost",
            "--key-type",
            kt,
            "--encrypt-key",
            "--passphrase-file",
            &pass,
            "--out",
            &out,
        ]);
        openssl_ok(&[
            "pkey",
            "-in",
            &format!("{out}/key.pem"),
            "-passin",
            &format!("file:{pass}"),
            "-noout",
        ]);
    }
}

fn fixture(rel: &str) -> String {
    chainscope_tests::fixture_path(rel)
}

#[test]
fn sign_copies_the_allowed_names_of_a_csr_and_keeps_the_requesters_key() {
    let dir = ScratchDir::new("sign");
    let root = dir.join("root");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &root]);
    let out = dir.join("signed");
    chainscope_ok(&[
        "mint",
        "sign",
        "--ca",
        &root,
        "--csr",
        &fixture("csr/request.pem"),
        "--dns",
        ".hospital.local",
        "--ip",
        "10.0.0.0/8",
        "--out",
        &out,
    ]);
    assert_eq!(
        listing(dir.path().join("signed").as_path()),
        ["ca.pem", "cert.pem", "chain.pem", "fullchain.pem"]
    );
    let cert = format!("{out}/cert.pem");
    assert!(openssl_ok(&["verify", "-CAfile", &format!("{out}/ca.pem"), &cert]).contains(": OK"));
    assert!(openssl_ok(&[
        "x509",
        "-in",
        &cert,
        "-noout",
        "-checkhost",
        "device.hospital.local"
    ])
    .contains("does match"));
    assert!(
        openssl_ok(&["x509", "-in", &cert, "-noout", "-checkip", "10.1.2.3"])
            .contains("does match")
    );
    let from_key = openssl_ok(&["pkey", "-in", &fixture("csr/request.key"), "-pubout"]);
    let from_cert = openssl_ok(&["x509", "-in", &cert, "-noout", "-pubkey"]);
    assert_eq!(from_key, from_cert);
}

#[test]
fn sign_refuses_a_csr_asking_for_names_not_allowed_and_writes_nothing() {
    let dir = ScratchDir::new("sign-deny");
    let root = dir.join("root");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &root]);
    let out = dir.join("signed");
    let run = chainscope(&[
        "mint",
        "sign",
        "--ca",
        &root,
        "--csr",
        &fixture("csr/request.pem"),
        "--dns",
        "device.hospital.local",
        "--out",
        &out,
    ]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(run.err.contains("IP:10.1.2.3"), "{}", run.err);
    assert!(!dir.path().join("signed").exists());
}

#[test]
fn sign_refuses_a_csr_whose_signature_does_not_verify() {
    let dir = ScratchDir::new("sign-bad");
    let root = dir.join("root");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &root]);
    let run = chainscope(&[
        "mint",
        "sign",
        "--ca",
        &root,
        "--csr",
        &fixture("csr/bad-signature.pem"),
        "--dns",
        ".hospital.local",
        "--ip",
        "10.0.0.0/8",
        "--out",
        &dir.join("x"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("signature does not verify"), "{}", run.err);
}

#[test]
fn leaf_refuses_an_issuer_that_is_not_a_ca() {
    let dir = ScratchDir::new("not-ca");
    chainscope_ok(&[
        "mint",
        "self-signed",
        "--dns",
        "localhost",
        "--out",
        &dir.join("ss"),
    ]);
    let run = chainscope(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("ss"),
        "--dns",
        "x.local",
        "--out",
        &dir.join("leaf"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("not a CA"), "{}", run.err);
}

#[test]
fn issuer_key_must_match_its_certificate() {
    let dir = ScratchDir::new("mismatch");
    chainscope_ok(&["mint", "ca", "--name", "A", "--out", &dir.join("a")]);
    chainscope_ok(&["mint", "ca", "--name", "B", "--out", &dir.join("b")]);
    let run = chainscope(&[
        "mint",
        "leaf",
        "--ca-cert",
        &dir.join("a/cert.pem"),
        "--ca-key",
        &dir.join("b/key.pem"),
        "--dns",
        "x.local",
        "--out",
        &dir.join("leaf"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("does not belong"), "{}", run.err);
}

#[test]
fn intermediate_from_ca_cert_and_key_files_builds_a_three_level_chain() {
    let dir = ScratchDir::new("files");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Root",
        "--path-len",
        "1",
        "--out",
        &dir.join("root"),
    ]);
    chainscope_ok(&[
        "mint",
        "intermediate",
        "--ca-cert",
        &dir.join("root/cert.pem"),
        "--ca-key",
        &dir.join("root/key.pem"),
        "--name",
        "Inter",
        "--out",
        &dir.join("inter"),
    ]);
    // pathLen 0 on the intermediate: it may not sign another intermediate.
    let run = chainscope(&[
        "mint",
        "intermediate",
        "--ca",
        &dir.join("inter"),
        "--name",
        "Too deep",
        "--out",
        &dir.join("deep"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("pathLenConstraint"), "{}", run.err);
}

#[test]
fn leaf_without_any_name_is_refused() {
    let dir = ScratchDir::new("noname");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &dir.join("root")]);
    let run = chainscope(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--out",
        &dir.join("leaf"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("at least one name"), "{}", run.err);
    let run = chainscope(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--dns",
        "bad name",
        "--out",
        &dir.join("leaf"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("bad name"), "{}", run.err);
}
