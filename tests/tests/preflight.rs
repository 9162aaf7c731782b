//! `chainscope preflight` end to end: each check passes on a good fixture and fails on the
//! fixture made to break it, offline and against live servers (openssl s_server, nginx).

use chainscope_tests::servers::OpenSslServer;
use chainscope_tests::{chainscope, fixture, fixture_path, nginx, CliRun, TempDir};

fn path(rel: &str) -> String {
    fixture_path(rel)
}

/// Runs preflight with `--json` and returns (exit code, check id → status).
fn preflight(args: &[&str]) -> (i32, Vec<(String, String, String)>, String) {
    let mut argv = vec!["preflight", "--json"];
    argv.extend_from_slice(args);
    let CliRun { code, out, err } = chainscope(&argv);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let doc: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let checks = doc["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
                c["found"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (code, checks, out)
}

fn status<'a>(checks: &'a [(String, String, String)], id: &str) -> &'a str {
    checks
        .iter()
        .find(|(i, _, _)| i == id)
        .map(|(_, s, _)| s.as_str())
        .unwrap_or_else(|| panic!("no check {id} in {checks:?}"))
}

fn found<'a>(checks: &'a [(String, String, String)], id: &str) -> &'a str {
    checks
        .iter()
        .find(|(i, _, _)| i == id)
        .map(|(_, _, f)| f.as_str())
        .unwrap()
}

/// Offline preflight of a fixture dir's chain.pem + leaf.key against its own root.
fn offline(dir: &str, chain: &str, extra: &[&str]) -> (i32, Vec<(String, String, String)>, String) {
    offline_at(dir, chain, "2030-01-01T00:00:00Z", extra)
}

fn offline_at(
    dir: &str,
    chain: &str,
    at: &str,
    extra: &[&str],
) -> (i32, Vec<(String, String, String)>, String) {
    let host = format!("{dir}.chainscope.test");
    let cert = path(&format!("{dir}/{chain}"));
    let key = path(&format!("{dir}/leaf.key"));
    let roots = path(&format!("{dir}/root.pem"));
    let mut args = vec![
        "--cert", &cert, "--key", &key, "--roots", &roots, "--host", &host, "--at", at,
    ];
    args.extend_from_slice(extra);
    preflight(&args)
}

#[test]
fn a_good_chain_passes_every_check_and_exits_0() {
    let (code, checks, out) = offline("ecdsa", "chain.pem", &[]);
    assert_eq!(code, 0, "{out}");
    for (id, status, found) in &checks {
        assert_eq!(status, "pass", "{id}: {found}");
    }
}

#[test]
fn each_defect_fails_its_check_and_exits_1() {
    let cases = [
        ("key-mismatch", "chain.pem", "key_matches_leaf"),
        ("wrong-order", "chain.pem", "chain_order"),
        ("missing-intermediate", "chain.pem", "chain_trusted"),
        ("cn-only", "chain.pem", "san_covers_hosts"),
        ("client-eku", "chain.pem", "server_auth_eku"),
        ("rsa1024", "chain.pem", "key_strength"),
        ("sha1", "chain.pem", "signature_sha256"),
        ("ca-as-leaf", "chain.pem", "leaf_not_ca"),
        ("expired", "chain.pem", "validity_min_days"),
    ];
    for (dir, chain, id) in cases {
        let (code, checks, out) = offline(dir, chain, &[]);
        assert_eq!(code, 1, "{dir}: {out}");
        assert_eq!(status(&checks, id), "fail", "{dir}: {out}");
        // The same check passes on the good fixture (see the test above).
    }
}

#[test]
fn a_root_in_the_file_is_a_warning_not_a_failure() {
    let (code, checks, _) = offline("rsa", "fullchain-with-root.pem", &[]);
    assert_eq!(status(&checks, "no_root_included"), "warn");
    assert_eq!(code, 0);
}

#[test]
fn expiring_in_ten_days_fails_min_days() {
    // The rsa leaf expires 2035-06-01; ten days before that:
    let (code, checks, _) = offline_at("rsa", "chain.pem", "2035-05-22T00:00:00Z", &[]);
    assert_eq!(code, 1);
    assert_eq!(status(&checks, "validity_min_days"), "fail");
    assert!(found(&checks, "validity_min_days").contains("expires in 10 days"));
    let (_, checks, _) = offline_at(
        "rsa",
        "chain.pem",
        "2035-05-22T00:00:00Z",
        &["--min-days", "5"],
    );
    assert_eq!(status(&checks, "validity_min_days"), "pass");
}

#[test]
fn missing_intermediate_is_explained() {
    let (_, checks, _) = offline("missing-intermediate", "chain.pem", &[]);
    assert!(
        found(&checks, "chain_trusted").contains("the server does not send its intermediate"),
        "{checks:?}"
    );
}

#[test]
fn encrypted_key_is_reported_as_such() {
    let (_, checks, _) = preflight(&[
        "--cert",
        &path("rsa/chain.pem"),
        "--key",
        &path("rsa/leaf.enc.key"),
        "--roots",
        &path("rsa/root.pem"),
    ]);
    assert_eq!(status(&checks, "key_matches_leaf"), "warn");
    assert!(found(&checks, "key_matches_leaf").contains("encrypted"));
}

#[test]
fn input_errors_exit_2_with_one_line() {
    let CliRun { code, err, .. } =
        chainscope(&["preflight", "--cert", &path("garbage/server.key")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("found a PRIVATE KEY block, expected CERTIFICATE"),
        "{err}"
    );
    let CliRun { code, err, .. } = chainscope(&["preflight"]);
    assert_eq!(code, 2, "{err}");
    let CliRun { code, err, .. } = chainscope(&[
        "preflight",
        "--cert",
        &path("rsa/chain.pem"),
        "--host",
        "bad host!",
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_tls_1_0_only_server_fails_the_version_check() {
    let server = OpenSslServer::start(&[
        "-cert",
        &path("rsa/leaf.pem"),
        "-key",
        &path("rsa/leaf.key"),
        "-cert_chain",
        &path("rsa/inter.pem"),
        "-tls1",
        "-cipher",
        "DEFAULT@SECLEVEL=0",
    ]);
    let target = server.authority();
    let (code, checks, out) = preflight(&[
        "--connect",
        &target,
        "--roots",
        &path("rsa/root.pem"),
        "--host",
        "localhost",
        "--timeout",
        "5s",
    ]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(status(&checks, "live_tls_version"), "fail", "{out}");
    assert!(
        found(&checks, "live_tls_version").starts_with("TLSv1.0"),
        "{out}"
    );
    // The chain itself is fine: what was captured is checked like a file.
    assert_eq!(status(&checks, "chain_trusted"), "pass", "{out}");
}

#[test]
fn a_modern_server_passes_the_version_check() {
    let server = OpenSslServer::start(&[
        "-cert",
        &path("rsa/leaf.pem"),
        "-key",
        &path("rsa/leaf.key"),
        "-cert_chain",
        &path("rsa/inter.pem"),
    ]);
    let target = server.authority();
    let (code, checks, out) = preflight(&[
        "--cert",
        &path("rsa/chain.pem"),
        "--connect",
        &target,
        "--roots",
        &path("rsa/root.pem"),
        "--host",
        "localhost",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(status(&checks, "live_tls_version"), "pass");
    assert_eq!(status(&checks, "live_serves_files"), "pass");
}

#[test]
fn nginx_with_minted_files_passes_then_serves_the_old_certificate_after_a_swap() {
    nginx::require();
    let scratch = TempDir::new("preflight-nginx");
    let dir = scratch.path();
    let ca = dir.join("ca");
    let first = dir.join("first");
    let second = dir.join("second");
    let s = |p: &std::path::Path| p.to_string_lossy().into_owned();
    for args in [
        vec![
            "mint",
            "ca",
            "--name",
            "Preflight Test Root CA",
            "--out",
            &s(&ca),
        ],
        vec![
            "mint",
            "leaf",
            "--ca",
            &s(&ca),
            "--dns",
            "localhost",
            "--ip",
            "127.0.0.1",
            "--out",
            &s(&first),
        ],
        vec![
            "mint",
            "leaf",
            "--ca",
            &s(&ca),
            "--dns",
            "localhost",
            "--ip",
            "127.0.0.1",
            "--out",
            &s(&second),
        ],
    ] {
        let CliRun { code, out, err } = chainscope(&args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    let server = nginx::Nginx::start_copying(&first.join("fullchain.pem"), &first.join("key.pem"))
        .expect("nginx starts");
    let live_cert = server.dir.join("cert.pem");
    let live_key = server.dir.join("key.pem");
    let target = server.addr();
    let roots = s(&ca.join("cert.pem"));
    let run = || {
        preflight(&[
            "--cert",
            &s(&live_cert),
            "--key",
            &s(&live_key),
            "--connect",
            &target,
            "--roots",
            &roots,
            "--host",
            "localhost",
            "--host",
            "127.0.0.1",
        ])
    };
    let (code, checks, out) = run();
    assert_eq!(code, 0, "{out}");
    assert_eq!(status(&checks, "live_serves_files"), "pass");

    // Replace the files nginx was started with, without reloading it.
    std::fs::copy(second.join("fullchain.pem"), &live_cert).unwrap();
    std::fs::copy(second.join("key.pem"), &live_key).unwrap();
    let (code, checks, out) = run();
    assert_eq!(code, 1, "{out}");
    assert_eq!(status(&checks, "live_serves_files"), "fail");
    assert!(
        found(&checks, "live_serves_files").contains("the proxy still serves the old certificate"),
        "{out}"
    );
    // The new files themselves are fine.
    assert_eq!(status(&checks, "key_matches_leaf"), "pass");
    assert_eq!(status(&checks, "chain_trusted"), "pass");
    drop(server);
}

#[test]
fn client_trust_says_plainly_who_accepts_the_chain() {
    let (_, checks, _) = offline("ecdsa", "chain.pem", &[]);
    let text = found(&checks, "client_trust");
    assert!(
        text.contains(
            "root.pem: every client family accepts (rustls, openssl, openssl-strict, gnutls, go)"
        ),
        "{text}"
    );
    // Holding the Mozilla roots only, every family rejects the private chain, and says why.
    let cert = path("ecdsa/chain.pem");
    let (code, checks, _) = preflight(&[
        "--cert",
        &cert,
        "--roots",
        "mozilla",
        "--host",
        "ecdsa.chainscope.test",
        "--at",
        "2030-01-01T00:00:00Z",
    ]);
    assert_eq!(code, 1);
    assert_eq!(status(&checks, "client_trust"), "fail");
    let text = found(&checks, "client_trust");
    for family in ["rustls", "openssl", "openssl-strict", "gnutls", "go"] {
        assert!(text.contains(&format!("{family} REJECT (")), "{text}");
    }
}

#[test]
fn compatible_profile_rejects_an_ed25519_leaf() {
    let (code, checks, _) = offline("ed25519", "chain.pem", &[]);
    assert_eq!(code, 0);
    assert!(checks.iter().all(|(id, _, _)| id != "compatible_key_type"));
    let (code, checks, _) = offline("ed25519", "chain.pem", &["--client-profile", "compatible"]);
    assert_eq!(code, 1);
    assert_eq!(status(&checks, "compatible_key_type"), "fail");
    let (_, checks, _) = offline("ecdsa", "chain.pem", &["--client-profile", "compatible"]);
    assert_eq!(status(&checks, "compatible_key_type"), "pass");
}

#[test]
fn text_output_is_a_checklist_with_a_verdict() {
    let CliRun { code, out, .. } = chainscope(&[
        "preflight",
        "--cert",
        &path("cn-only/chain.pem"),
        "--key",
        &path("cn-only/leaf.key"),
        "--roots",
        &path("cn-only/root.pem"),
        "--host",
        "cn-only.chainscope.test",
        "--at",
        "2030-01-01T00:00:00Z",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("✔ The private key belongs to the leaf certificate  [key_matches_leaf]"),
        "{out}"
    );
    assert!(
        out.contains("✘ The leaf's subjectAltName covers every host name  [san_covers_hosts]"),
        "{out}"
    );
    assert!(out.contains("clients ignore the CN"), "{out}");
    assert!(
        out.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("NOT ready:"),
        "{out}"
    );
}

#[test]
fn duplicate_and_unrelated_certificates_fail_their_checks() {
    let scratch = TempDir::new("preflight-dup");
    let dir = scratch.path();
    let read = |rel: &str| std::fs::read_to_string(fixture(rel)).unwrap();
    let dup = dir.join("dup.pem");
    std::fs::write(
        &dup,
        format!(
            "{}{}{}",
            read("rsa/leaf.pem"),
            read("rsa/leaf.pem"),
            read("rsa/inter.pem")
        ),
    )
    .unwrap();
    let unrelated = dir.join("unrelated.pem");
    std::fs::write(
        &unrelated,
        format!("{}{}", read("rsa/chain.pem"), read("ecdsa/inter.pem")),
    )
    .unwrap();
    let s = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let common = |cert: &str| {
        preflight(&[
            "--cert",
            cert,
            "--key",
            &path("rsa/leaf.key"),
            "--roots",
            &path("rsa/root.pem"),
            "--host",
            "rsa.chainscope.test",
        ])
    };
    let (code, checks, _) = common(&s(&dup));
    assert_eq!(code, 1);
    assert_eq!(status(&checks, "no_duplicates"), "fail");
    let (code, checks, _) = common(&s(&unrelated));
    assert_eq!(code, 1);
    assert_eq!(status(&checks, "no_unrelated"), "fail");
    assert_eq!(status(&checks, "no_duplicates"), "pass");
}

#[test]
fn a_long_lived_leaf_warns_only_against_public_roots() {
    // The fixture leaf is valid for ten years: fine for a private CA.
    let (_, checks, _) = offline("rsa", "chain.pem", &[]);
    assert_eq!(status(&checks, "leaf_lifetime"), "pass");
    let (_, checks, _) = preflight(&[
        "--cert",
        &path("rsa/chain.pem"),
        "--roots",
        "mozilla",
        "--host",
        "rsa.chainscope.test",
    ]);
    assert_eq!(status(&checks, "leaf_lifetime"), "warn");
    assert!(found(&checks, "leaf_lifetime").contains("3652 days"));
}

#[test]
fn a_stapled_response_passes_and_a_must_staple_leaf_without_one_fails() {
    use chainscope_tests::servers::make_ocsp_response;
    let scratch = TempDir::new("preflight-ocsp");
    let response = scratch.file("resp.der");
    make_ocsp_response("rsa", false, &scratch, &response);
    let server = OpenSslServer::start(&[
        "-cert",
        &path("rsa/leaf.pem"),
        "-key",
        &path("rsa/leaf.key"),
        "-cert_chain",
        &path("rsa/inter.pem"),
        "-status_file",
        &response,
    ]);
    let target = server.authority();
    let (_, checks, out) = preflight(&[
        "--connect",
        &target,
        "--roots",
        &path("rsa/root.pem"),
        "--host",
        "localhost",
    ]);
    assert_eq!(status(&checks, "live_ocsp_staple"), "pass", "{out}");
    assert!(found(&checks, "live_ocsp_staple").contains("stapled OCSP response present"));
    drop(server);

    // A must-staple leaf (TLS feature status_request), served without a staple.
    let openssl = |args: &[&str]| {
        let o = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl");
        assert!(
            o.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    let (key, csr, cert, ext) = (
        scratch.file("ms.key"),
        scratch.file("ms.csr"),
        scratch.file("ms.pem"),
        scratch.file("ext.cnf"),
    );
    std::fs::write(&ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\ntlsfeature=status_request\n").unwrap();
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &key,
        "-subj",
        "/CN=localhost",
        "-out",
        &csr,
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &path("rsa/inter.pem"),
        "-CAkey",
        &path("rsa/inter.key"),
        "-set_serial",
        "0x5eed",
        "-days",
        "30",
        "-extfile",
        &ext,
        "-out",
        &cert,
    ]);
    let server = OpenSslServer::start(&[
        "-cert",
        &cert,
        "-key",
        &key,
        "-cert_chain",
        &path("rsa/inter.pem"),
    ]);
    let target = server.authority();
    let (code, checks, out) = preflight(&[
        "--connect",
        &target,
        "--roots",
        &path("rsa/root.pem"),
        "--host",
        "localhost",
    ]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(status(&checks, "live_ocsp_staple"), "fail", "{out}");
    assert!(
        found(&checks, "live_ocsp_staple").contains("must-staple"),
        "{out}"
    );
}
