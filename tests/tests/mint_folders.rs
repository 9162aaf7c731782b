//! A mint folder is readable as it is: `mint` writes only files that have content, and
//! `show DIR` reads it file by file, passing over keys, requests and empty files.

use chainscope_tests::mint::{chainscope, chainscope_ok, listing, openssl_ok, ScratchDir};

/// `root/` (a root CA), `inter/` (an intermediate) and two leaves: `direct/` signed by the
/// root, `proxy/` by the intermediate.
fn mint_folders(dir: &ScratchDir) {
    let (root, inter) = (dir.join("root"), dir.join("inter"));
    chainscope_ok(&["mint", "ca", "--name", "Folder Root", "--out", &root]);
    chainscope_ok(&[
        "mint",
        "intermediate",
        "--ca",
        &root,
        "--name",
        "Folder Inter",
        "--out",
        &inter,
    ]);
    for (ca, out) in [(&root, "direct"), (&inter, "proxy")] {
        chainscope_ok(&[
            "mint",
            "leaf",
            "--ca",
            ca,
            "--dns",
            "proxy.hospital.test",
            "--out",
            &dir.join(out),
        ]);
    }
}

#[test]
fn mint_writes_chain_pem_only_when_there_are_intermediates() {
    let dir = ScratchDir::new("folders-files");
    mint_folders(&dir);
    assert_eq!(
        listing(dir.path().join("direct").as_path()),
        ["ca.pem", "cert.pem", "fullchain.pem", "key.pem"]
    );
    assert_eq!(
        listing(dir.path().join("inter").as_path()),
        ["ca.pem", "cert.pem", "fullchain.pem", "key.pem"]
    );
    assert_eq!(
        listing(dir.path().join("proxy").as_path()),
        [
            "ca.pem",
            "cert.pem",
            "chain.pem",
            "fullchain.pem",
            "key.pem"
        ]
    );
    // Every file written holds something, and the README's commands work on them.
    for sub in ["root", "inter", "direct", "proxy"] {
        for f in listing(dir.path().join(sub).as_path()) {
            let len = std::fs::metadata(dir.path().join(sub).join(&f))
                .unwrap()
                .len();
            assert!(len > 0, "{sub}/{f} is empty");
        }
    }
    let run = chainscope(&[
        "verify",
        "--roots",
        &dir.join("proxy/ca.pem"),
        "--untrusted",
        &dir.join("proxy/chain.pem"),
        "--host",
        "proxy.hospital.test",
        &dir.join("proxy/cert.pem"),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    // The printed check command runs as printed (no -untrusted for a root-signed leaf).
    let report = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--dns",
        "b.hospital.test",
        "--out",
        &dir.join("direct2"),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&report.out).unwrap();
    let check = v["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Check it")
        .expect("a Check it step")["lines"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!check.contains("-untrusted"), "{check}");
    let args: Vec<&str> = check.split_whitespace().skip(1).collect();
    let text = openssl_ok(&args);
    assert!(text.contains(": OK"), "{text}");
}

#[test]
fn show_dir_passes_over_keys_requests_and_empty_files_with_one_note_each() {
    let dir = ScratchDir::new("folders-show");
    mint_folders(&dir);
    let proxy = dir.join("proxy");
    std::fs::write(format!("{proxy}/empty.pem"), "").unwrap();
    std::fs::copy(
        chainscope_tests::fixture("csr/request.pem"),
        format!("{proxy}/request.csr"),
    )
    .unwrap();
    let run = chainscope(&["show", "--color", "never", &proxy]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert_eq!(run.err, "");
    for line in [
        format!("-- {proxy}/key.pem: skipped, holds a PRIVATE KEY block, not a certificate"),
        format!("-- {proxy}/empty.pem: skipped, empty file"),
        format!("-- {proxy}/request.csr: skipped, holds a certificate request, not a certificate"),
        format!("-- {proxy}/cert.pem (1 certificate)"),
        format!("-- {proxy}/fullchain.pem (2 certificates)"),
        format!("cert 1  CN=proxy.hospital.test  (as in {proxy}/cert.pem, shown above)"),
        format!("cert 2  CN=Folder Inter  (as in {proxy}/chain.pem, shown above)"),
    ] {
        assert!(
            run.out.lines().any(|l| l == line),
            "missing {line:?} in\n{}",
            run.out
        );
    }
    // The relations of fullchain.pem, and only there: one chain line.
    assert_eq!(run.out.matches("chain: in order").count(), 1, "{}", run.out);
    assert!(run.out.contains("✔ cert 1 issued by cert 2"), "{}", run.out);
    // Each certificate is shown in full once.
    assert_eq!(run.out.matches("  issuer ").count(), 3, "{}", run.out);

    let run = chainscope(&["show", "--json", &proxy]);
    assert_eq!(run.code, 0, "{}", run.err);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    let input = &v["inputs"][0];
    let certs = input["certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 3);
    assert_eq!(certs[0]["file"], format!("{proxy}/ca.pem"));
    let files = input["files"].as_array().unwrap();
    let full = files
        .iter()
        .find(|f| f["file"] == format!("{proxy}/fullchain.pem"))
        .unwrap();
    assert_eq!(full["chain"]["summary"], "in order");
    assert_eq!(full["certificates"], serde_json::json!([1, 2]));
    let key = files
        .iter()
        .find(|f| f["file"] == format!("{proxy}/key.pem"))
        .unwrap();
    assert_eq!(key["note"], "holds a PRIVATE KEY block, not a certificate");
    assert!(key["chain"].is_null());
}

#[test]
fn show_dir_still_fails_on_a_broken_certificate_file() {
    let dir = ScratchDir::new("folders-broken");
    mint_folders(&dir);
    let proxy = dir.join("proxy");
    std::fs::write(
        format!("{proxy}/broken.pem"),
        "-----BEGIN CERTIFICATE-----\nMIIBbroken\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let run = chainscope(&["show", &proxy]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(run.err.contains("broken.pem"), "{}", run.err);
}
