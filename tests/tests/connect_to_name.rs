//! `--connect NAME:PORT --connect-to IP` checks NAME, not the address dialled (issue 11.1):
//! the "before DNS is switched" case. A leaf for `proxy.test` without an IP SAN, served on
//! 127.0.0.1, is valid for `proxy.test` — as curl `--resolve` decides — and the reports say
//! `host: proxy.test`. Needs curl (CI installs it); the test fails without it.

use std::process::{Command, Stdio};

use chainscope_tests::mint::{mint_ca, mint_leaf};
use chainscope_tests::servers::{serve, tls_config, Behaviour, Server, TlsOptions};
use chainscope_tests::{chainscope, CliRun, TempDir};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A private CA and a leaf for `proxy.test` only (no IP address), minted with chainscope.
fn mint(scratch: &TempDir) -> (String, String, String) {
    let ca = mint_ca(&scratch.join("ca"), "Connect-To Test Root", &[]);
    let leaf = scratch.join("leaf");
    mint_leaf(&ca, "proxy.test", &leaf, &[]);
    (
        format!("{ca}/cert.pem"),
        format!("{leaf}/fullchain.pem"),
        format!("{leaf}/key.pem"),
    )
}

/// The minted set served on 127.0.0.1, answering HTTP requests (for curl).
fn serve_set(fullchain: &str, key: &str) -> Server {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(fullchain)
        .expect("fullchain")
        .collect::<Result<_, _>>()
        .expect("fullchain");
    let key = PrivateKeyDer::from_pem_file(key).expect("key");
    serve(Behaviour::Https(tls_config(
        certs,
        key,
        &TlsOptions::default(),
    )))
}

/// `chainscope ARGS… --connect TARGET --connect-to 127.0.0.1`: the name in the target,
/// dialled at the loopback address.
fn via_loopback(target: &str, args: &[&str]) -> CliRun {
    let mut all = args.to_vec();
    all.extend(["--connect", target, "--connect-to", "127.0.0.1"]);
    chainscope(&all)
}

/// `curl -sS --max-time 10 ARGS…`: its exit code and stderr. Panics when curl is missing.
fn curl(args: &[&str]) -> (i32, String) {
    let out = Command::new("curl")
        .args(["-sS", "--max-time", "10", "-o", "/dev/null"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("curl must be installed for this test (Debian package curl)");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn verify_connect_to_checks_the_name_in_the_target_and_agrees_with_curl_resolve() {
    let scratch = TempDir::new("connect-to-name");
    let (root, fullchain, key) = mint(&scratch);
    let server = serve_set(&fullchain, &key);
    let port = server.port().to_string();
    let target = format!("proxy.test:{port}");

    let run = via_loopback(&target, &["verify", "--roots", &root]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(run.out.contains("VALID for proxy.test"), "{}", run.out);
    assert!(
        !run.out.contains("127.0.0.1 in its subjectAltName"),
        "{}",
        run.out
    );

    let run = via_loopback(&target, &["verify", "--json", "--roots", &root]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    let doc = run.json();
    assert_eq!(doc["valid"], true, "{doc:#}");
    assert_eq!(doc["host"], "proxy.test", "{doc:#}");
    assert_eq!(doc["fetched"]["host"], "proxy.test", "{doc:#}");
    assert_eq!(doc["fetched"]["sni"], "proxy.test", "{doc:#}");
    assert_eq!(
        doc["fetched"]["connect_to"],
        format!("127.0.0.1:{port}"),
        "{doc:#}"
    );

    // `fetched` is the document of `fetch --json`: certificates decoded (issue 15.4).
    let certs = doc["fetched"]["certs"].as_array().expect("certs").len();
    let decoded = doc["fetched"]["decoded"].as_array().expect("decoded");
    assert_eq!(decoded.len(), certs, "{doc:#}");
    assert_eq!(decoded[0]["subject_alt_names"]["dns"][0], "proxy.test");
    assert_eq!(decoded[0]["subject_alt_names"]["ip"], serde_json::json!([]));

    // The label shows the port used, also when it comes from --port (issue 15.3).
    let run = chainscope(&[
        "verify",
        "--connect",
        "proxy.test",
        "--port",
        &port,
        "--connect-to",
        "127.0.0.1",
        "--roots",
        &root,
    ]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(
        run.out.starts_with(&format!("proxy.test:{port}: fetched ")),
        "{}",
        run.out
    );

    // The leaf really has no IP SAN: asked for the dialled address, it is a mismatch.
    let run = via_loopback(
        &target,
        &["verify", "--json", "--roots", &root, "--host", "127.0.0.1"],
    );
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    assert_eq!(run.json()["error"]["code"], "hostname_mismatch");

    // curl agrees on both: --resolve keeps the name, dialling the address checks the address.
    let resolve = format!("proxy.test:{port}:127.0.0.1");
    let (code, err) = curl(&[
        "--resolve",
        &resolve,
        "--cacert",
        &root,
        &format!("https://proxy.test:{port}/"),
    ]);
    assert_eq!(code, 0, "curl --resolve rejected the chain: {err}");
    let (code, err) = curl(&["--cacert", &root, &format!("https://127.0.0.1:{port}/")]);
    assert_eq!(
        code, 60,
        "curl by address should reject the name (exit 60): {err}"
    );
}

#[test]
fn fetch_and_preflight_report_the_name_in_the_target() {
    let scratch = TempDir::new("connect-to-reports");
    let (root, fullchain, key) = mint(&scratch);
    let server = serve_set(&fullchain, &key);
    let port = server.port().to_string();
    let target = format!("proxy.test:{port}");

    let run = chainscope(&["fetch", "--json", &target, "--connect-to", "127.0.0.1"]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    let doc = run.json();
    assert_eq!(doc["host"], "proxy.test", "{doc:#}");
    assert_eq!(doc["connect_to"], format!("127.0.0.1:{port}"), "{doc:#}");
    assert_eq!(doc["peer"], format!("127.0.0.1:{port}"), "{doc:#}");

    // Without --connect-to there is nothing dialled instead.
    let run = chainscope(&["fetch", "--json", &format!("127.0.0.1:{port}")]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert_eq!(run.json()["connect_to"], serde_json::Value::Null);

    let run = via_loopback(&target, &["preflight", "--json", "--roots", &root]);
    let doc = run.json();
    let check = |id: &str| {
        doc["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no check {id}: {doc:#}"))
            .clone()
    };
    let names = check("san_covers_hosts");
    assert_eq!(names["status"], "pass", "{names:#}");
    assert!(
        names["found"]
            .as_str()
            .unwrap_or_default()
            .contains("proxy.test"),
        "{names:#}"
    );
    assert!(
        !names["found"]
            .as_str()
            .unwrap_or_default()
            .contains("127.0.0.1"),
        "{names:#}"
    );
}
