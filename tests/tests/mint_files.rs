//! `chainscope mint` treats files as precious: modes, no silent overwrite, kept previous sets,
//! all-or-nothing writes, and a JSON list of what was written.

use std::os::unix::fs::PermissionsExt;

use chainscope_tests::mint::{chainscope, chainscope_ok, listing, ScratchDir};

fn mode(path: &str) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn private_keys_are_mode_0600_and_certificates_0644() {
    let dir = ScratchDir::new("mode");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &dir.join("root")]);
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--dns",
        "a.local",
        "--out",
        &dir.join("leaf"),
    ]);
    assert_eq!(mode(&dir.join("root/key.pem")), 0o600);
    assert_eq!(mode(&dir.join("leaf/key.pem")), 0o600);
    for f in ["cert.pem", "fullchain.pem", "ca.pem"] {
        assert_eq!(mode(&dir.join(&format!("leaf/{f}"))), 0o644, "{f}");
    }
    // No temporary files are left behind.
    assert_eq!(
        listing(dir.path().join("leaf").as_path()),
        // Signed by the root: no intermediates, so no chain.pem.
        ["ca.pem", "cert.pem", "fullchain.pem", "key.pem"]
    );
}

#[test]
fn existing_file_is_not_touched_without_force() {
    let dir = ScratchDir::new("noforce");
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(dir.join("out/key.pem"), "precious old key").unwrap();
    let mtime = std::fs::metadata(dir.join("out/key.pem"))
        .unwrap()
        .modified()
        .unwrap();
    let run = chainscope(&["mint", "ca", "--name", "Root", "--out", &out]);
    assert_eq!(run.code, 2);
    assert!(
        run.err.contains("refusing to overwrite") && run.err.contains("--force"),
        "{}",
        run.err
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out/key.pem")).unwrap(),
        "precious old key"
    );
    assert_eq!(
        std::fs::metadata(dir.join("out/key.pem"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime
    );
    // Not even cert.pem, which did not exist, was written.
    assert_eq!(listing(dir.path().join("out").as_path()), ["key.pem"]);
}

#[test]
fn force_replaces_the_set_and_keeps_the_old_one() {
    let dir = ScratchDir::new("force");
    let out = dir.join("out");
    chainscope_ok(&["mint", "ca", "--name", "First", "--out", &out]);
    let old_cert = std::fs::read(dir.join("out/cert.pem")).unwrap();
    let old_key = std::fs::read(dir.join("out/key.pem")).unwrap();
    let run = chainscope_ok(&["mint", "ca", "--name", "Second", "--force", "--out", &out]);
    let kept: Vec<String> = listing(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("out.prev-"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", listing(dir.path()));
    let prev = dir.path().join(&kept[0]);
    assert!(run.out.contains(&kept[0]), "{}", run.out);
    assert_eq!(std::fs::read(prev.join("cert.pem")).unwrap(), old_cert);
    assert_eq!(std::fs::read(prev.join("key.pem")).unwrap(), old_key);
    assert_eq!(mode(&prev.join("key.pem").to_string_lossy()), 0o600);
    assert_ne!(std::fs::read(dir.join("out/cert.pem")).unwrap(), old_cert);
    // A third run keeps both earlier generations.
    chainscope_ok(&["mint", "ca", "--name", "Third", "--force", "--out", &out]);
    let kept: Vec<String> = listing(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("out.prev-"))
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert_eq!(std::fs::read(prev.join("cert.pem")).unwrap(), old_cert);
}

#[test]
fn write_that_cannot_complete_leaves_nothing_new_behind() {
    // Tests run as root, so permissions do not stop a write: make a later target name an
    // existing directory instead.
    let dir = ScratchDir::new("midway");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &dir.join("root")]);
    let out = dir.join("out");
    let root = dir.join("root");
    std::fs::create_dir_all(dir.path().join("out/fullchain.pem")).unwrap();
    for force in [false, true] {
        let mut args = vec![
            "mint", "leaf", "--ca", &root, "--dns", "a.local", "--out", &out,
        ];
        if force {
            args.push("--force");
        }
        let run = chainscope(&args);
        assert_eq!(run.code, 2, "force={force}");
        assert!(run.err.contains("fullchain.pem"), "{}", run.err);
        assert_eq!(
            listing(dir.path().join("out").as_path()),
            ["fullchain.pem"],
            "force={force}"
        );
    }
}

#[test]
fn output_directory_under_a_regular_file_fails_cleanly() {
    let dir = ScratchDir::new("underfile");
    std::fs::write(dir.path().join("plain"), "x").unwrap();
    let run = chainscope(&[
        "mint",
        "self-signed",
        "--dns",
        "a.local",
        "--out",
        &dir.join("plain/sub"),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.err.starts_with("chainscope: ") && run.err.contains("plain/sub"),
        "{}",
        run.err
    );
    assert_eq!(listing(dir.path()), ["plain"]);
}

#[test]
fn json_lists_every_file_written_with_its_mode() {
    let dir = ScratchDir::new("json");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &dir.join("root")]);
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--dns",
        "proxy.hospital.local",
        "--ip",
        "10.1.2.3",
        "--key-type",
        "ed25519",
        "--json",
        "--out",
        &dir.join("leaf"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(v["kind"], "leaf");
    assert_eq!(v["key_type"], "ed25519");
    assert_eq!(v["usage"], "server");
    assert_eq!(
        v["names"],
        serde_json::json!(["DNS:proxy.hospital.local", "IP:10.1.2.3"])
    );
    let files: Vec<(String, u64)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_owned(),
                f["mode"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("cert.pem", 0o644),
            ("key.pem", 0o600),
            ("fullchain.pem", 0o644),
            ("ca.pem", 0o644)
        ]
        .map(|(n, m)| (n.to_owned(), m))
    );
    for f in v["files"].as_array().unwrap() {
        assert!(std::path::Path::new(f["path"].as_str().unwrap()).is_file());
    }
    let steps = serde_json::to_string(&v["next_steps"]).unwrap();
    for needle in [
        "ssl_certificate",
        "update-ca-certificates",
        "update-ca-trust",
        "certutil -addstore Root",
        "security add-trusted-cert",
        "NODE_EXTRA_CA_CERTS",
        "REQUESTS_CA_BUNDLE",
        "keytool -importcert",
    ] {
        assert!(steps.contains(needle), "next steps lack {needle}: {steps}");
    }
}

#[test]
fn text_output_names_the_files_and_the_nginx_lines() {
    let dir = ScratchDir::new("text");
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &dir.join("root")]);
    let run = chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--dns",
        "a.local",
        "--out",
        &dir.join("leaf"),
    ]);
    let full = dir.join("leaf/fullchain.pem");
    assert!(
        run.out.contains(&format!("ssl_certificate     {};", full)),
        "{}",
        run.out
    );
    assert!(run.out.contains("ssl_certificate_key"), "{}", run.out);
}

#[test]
fn unknown_key_type_is_a_usage_error() {
    let dir = ScratchDir::new("kt");
    let run = chainscope(&[
        "mint",
        "ca",
        "--name",
        "Root",
        "--key-type",
        "dsa-1024",
        "--out",
        &dir.join("x"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("dsa-1024"), "{}", run.err);
    assert!(!dir.path().join("x").exists());
}
