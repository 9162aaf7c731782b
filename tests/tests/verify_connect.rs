//! `chainscope verify --connect`: the seed use case against a real nginx reverse proxy, and
//! minted certificates judged by our own verify.

use chainscope_tests::mint::mint_chain;
use chainscope_tests::servers::OpenSslServer;
use chainscope_tests::{chainscope, fixture, fixture_path, nginx, CliRun, TempDir};

fn path(rel: &str) -> String {
    fixture_path(rel)
}

fn verify_json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut argv = vec!["verify", "--json"];
    argv.extend_from_slice(args);
    let CliRun { code, out, err } = chainscope(&argv);
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, doc, err)
}

#[test]
fn nginx_with_its_intermediate_verifies_against_its_ca_and_not_against_mozilla() {
    nginx::require();
    let server = nginx::Nginx::start(&fixture("rsa/chain.pem"), &fixture("rsa/leaf.key"))
        .expect("nginx starts");
    let target = format!("localhost:{}", server.port);

    let CliRun { code, out, err } = chainscope(&[
        "verify",
        "--connect",
        &target,
        "--roots",
        &path("rsa/root.pem"),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("{target}: fetched 2 certificates from")),
        "{out}"
    );
    assert!(out.contains("VALID for localhost"), "{out}");

    let (code, doc, _) = verify_json(&["--connect", &target, "--roots", "mozilla"]);
    assert_eq!(code, 1);
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["error"]["code"], "unknown_issuer", "{doc:#}");
    assert_eq!(doc["host"], "localhost");
    assert_eq!(doc["fetched"]["certs"].as_array().map(Vec::len), Some(2));
}

#[test]
fn nginx_without_its_intermediate_is_told_so() {
    nginx::require();
    // ssl_certificate holds only the leaf: the classic incomplete-chain deployment.
    let server = nginx::Nginx::start(&fixture("rsa/leaf.pem"), &fixture("rsa/leaf.key"))
        .expect("nginx starts");
    let target = format!("127.0.0.1:{}", server.port);
    let CliRun { code, out, .. } = chainscope(&[
        "verify",
        "--connect",
        &target,
        "--roots",
        &path("rsa/root.pem"),
        "--host",
        "rsa.chainscope.test",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("NOT VALID [missing_intermediate]"), "{out}");
    assert!(
        out.contains("the server does not send its intermediate"),
        "{out}"
    );
    // Handing the intermediate separately shows the chain is otherwise fine — and still
    // says the server does not send it.
    let (code, doc, _) = verify_json(&[
        "--connect",
        &target,
        "--roots",
        &path("rsa/root.pem"),
        "--host",
        "rsa.chainscope.test",
        "--untrusted",
        &path("rsa/inter.pem"),
    ]);
    assert_eq!(code, 0, "{doc:#}");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"not_sent_by_server"), "{codes:?}");
}

#[test]
fn host_defaults_to_the_name_connected_to_and_can_be_overridden() {
    let server = OpenSslServer::start(&[
        "-cert",
        &path("ecdsa/leaf.pem"),
        "-key",
        &path("ecdsa/leaf.key"),
        "-cert_chain",
        &path("ecdsa/inter.pem"),
    ]);
    let port = server.addr.port();
    let (code, doc, _) = verify_json(&[
        "--connect",
        &format!("localhost:{port}"),
        "--roots",
        &path("ecdsa/root.pem"),
    ]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["host"], "localhost");
    let (code, doc, _) = verify_json(&[
        "--connect",
        &format!("localhost:{port}"),
        "--roots",
        &path("ecdsa/root.pem"),
        "--host",
        "other.example",
    ]);
    assert_eq!(code, 1);
    assert_eq!(doc["error"]["code"], "hostname_mismatch");
}

#[test]
fn an_unreachable_server_is_an_input_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let CliRun { code, err, .. } = chainscope(&[
        "verify",
        "--connect",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "2s",
    ]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("refused"), "{err}");
}

#[test]
fn minted_certificates_pass_our_verify_and_nginx_serves_them() {
    let scratch = TempDir::new("verify-minted");
    // Root, intermediate and a leaf for proxy.hospital.local, localhost, 10.1.2.3, 127.0.0.1.
    mint_chain(&scratch, "ecdsa-p256");
    let leaf = scratch.join("leaf");
    let ca_pem = format!("{leaf}/ca.pem");
    let fullchain = format!("{leaf}/fullchain.pem");
    for host in ["proxy.hospital.local", "10.1.2.3"] {
        let CliRun { code, out, .. } =
            chainscope(&["verify", "--roots", &ca_pem, "--host", host, &fullchain]);
        assert_eq!(code, 0, "{host}: {out}");
    }
    let (code, doc, _) = verify_json(&[
        "--roots",
        &ca_pem,
        "--host",
        "other.hospital.local",
        &fullchain,
    ]);
    assert_eq!(code, 1);
    assert_eq!(doc["error"]["code"], "hostname_mismatch");

    nginx::require();
    let server = nginx::Nginx::start(fullchain.as_ref(), format!("{leaf}/key.pem").as_ref())
        .expect("nginx serves the minted files");
    let target = format!("localhost:{}", server.port);
    let CliRun { code, out, .. } =
        chainscope(&["verify", "--connect", &target, "--roots", &ca_pem]);
    assert_eq!(code, 0, "{out}");
    let (code, doc, _) = verify_json(&["--connect", &target, "--roots", "mozilla"]);
    assert_eq!(code, 1);
    assert_eq!(doc["error"]["code"], "unknown_issuer", "{doc:#}");
}

#[test]
fn a_leaf_outside_a_minted_name_constrained_ca_is_explained() {
    let scratch = TempDir::new("verify-nc");
    let dir = scratch.path();
    let s = |p: std::path::PathBuf| p.to_string_lossy().into_owned();
    let (ca, good, bad) = (s(dir.join("ca")), s(dir.join("good")), s(dir.join("bad")));
    for args in [
        vec![
            "mint",
            "ca",
            "--name",
            "Constrained Root CA",
            "--permit-dns",
            "hospital.local",
            "--out",
            &ca,
        ],
        vec![
            "mint",
            "leaf",
            "--ca",
            &ca,
            "--dns",
            "proxy.hospital.local",
            "--out",
            &good,
        ],
    ] {
        let CliRun { code, out, err } = chainscope(&args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
    }
    // `mint leaf` refuses a name outside the constraints; OpenSSL signs it anyway.
    chainscope_tests::mint::openssl_signed_leaf(
        &ca,
        &bad,
        "www.example.com",
        "DNS:www.example.com",
    );
    let roots = format!("{ca}/cert.pem");
    let CliRun { code, out, .. } = chainscope(&[
        "verify",
        "--roots",
        &roots,
        "--host",
        "proxy.hospital.local",
        &format!("{good}/fullchain.pem"),
    ]);
    assert_eq!(code, 0, "{out}");
    let (code, doc, _) = verify_json(&[
        "--roots",
        &roots,
        "--host",
        "www.example.com",
        &format!("{bad}/fullchain.pem"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(doc["error"]["code"], "name_constraint_violated", "{doc:#}");
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("carries name constraints (permits only DNS:hospital.local)"),
        "{message}"
    );
    assert!(message.contains("DNS:www.example.com"), "{message}");
}
