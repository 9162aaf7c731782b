//! `preflight` with files and `--connect` when the live server sends less than the files
//! (issue 11.3): `live_chain_trusted` verifies the chain *as served*, and says which
//! intermediate the server leaves out; `live_serves_files` keeps "reload nginx" for a
//! different leaf; `client_trust`'s fix follows the cause.
//!
//! Real clients decide: curl and Python's `ssl`, holding only the private root, must reject
//! the leaf-only server and accept the full-chain one, and `live_chain_trusted` must agree.
//! nginx, curl and python3 are required: a missing one fails the test.

use std::process::{Command, Stdio};

use chainscope_tests::mint::{chainscope, chainscope_ok, mint_chain, ScratchDir};
use chainscope_tests::nginx::{self, Nginx};
use chainscope_tests::{fixture_path, CliRun};

const HOST: &str = "proxy.hospital.local";

/// Whether the client completed a verified handshake, and what it printed.
fn client(cmd: &mut Command, what: &str) -> (bool, String) {
    let o = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what} must be installed to run this test: {e}"));
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    (o.status.success(), text)
}

/// curl to `https://HOST:PORT/` resolved to 127.0.0.1, trusting only `ca`.
fn curl(ca: &str, port: u16) -> (bool, String) {
    let (ok, text) = client(
        Command::new("curl").args([
            "--silent",
            "--show-error",
            "--max-time",
            "10",
            "--cacert",
            ca,
            "--resolve",
            &format!("{HOST}:{port}:127.0.0.1"),
            &format!("https://{HOST}:{port}/"),
        ]),
        "curl",
    );
    (ok && text.contains("ok"), text)
}

/// Python's `ssl.create_default_context(cafile=ca)` against 127.0.0.1, checking HOST.
fn python(ca: &str, port: u16) -> (bool, String) {
    const SCRIPT: &str = r#"
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
with socket.create_connection(("127.0.0.1", int(sys.argv[3])), timeout=10) as s:
    with ctx.wrap_socket(s, server_hostname=sys.argv[2]) as t:
        print("verified", t.version())
"#;
    client(
        Command::new("python3").args(["-c", SCRIPT, ca, HOST, &port.to_string()]),
        "python3",
    )
}

/// `preflight --cert FILES --key KEY --roots CA --host HOST --connect 127.0.0.1:PORT --json`.
fn preflight(files: &str, key: &str, ca: &str, port: u16) -> (i32, serde_json::Value, String) {
    let target = format!("127.0.0.1:{port}");
    let CliRun { code, out, err } = chainscope(&[
        "preflight",
        "--cert",
        files,
        "--key",
        key,
        "--roots",
        ca,
        "--host",
        HOST,
        "--connect",
        &target,
        "--json",
    ]);
    let json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, json, out)
}

fn check<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} check in {json}"))
}

#[test]
fn leaf_only_server_fails_live_chain_trusted_naming_the_unsent_intermediate() {
    nginx::require();
    let dir = ScratchDir::new("pf-live-leaf-only");
    mint_chain(&dir, "ecdsa-p256");
    let (leaf, ca) = (dir.join("leaf"), dir.join("root/cert.pem"));
    let (fullchain, cert, key) = (
        format!("{leaf}/fullchain.pem"),
        format!("{leaf}/cert.pem"),
        format!("{leaf}/key.pem"),
    );
    // ssl_certificate points at the leaf alone.
    let server = Nginx::start(cert.as_ref(), key.as_ref()).expect("nginx starts");

    // The real clients, holding only the root, reject it.
    let (ok, text) = curl(&ca, server.port);
    assert!(!ok, "curl accepted the leaf-only server: {text}");
    let (ok, text) = python(&ca, server.port);
    assert!(!ok, "python accepted the leaf-only server: {text}");
    assert!(text.contains("CERTIFICATE_VERIFY_FAILED"), "{text}");

    // chainscope agrees: the files are fine, the chain as served is not.
    let (code, json, out) = preflight(&fullchain, &key, &ca, server.port);
    assert_eq!(code, 1, "{out}");
    assert_eq!(check(&json, "chain_trusted")["status"], "pass", "{out}");
    let live = check(&json, "live_chain_trusted");
    assert_eq!(live["status"], "fail", "{live}");
    let found = live["found"].as_str().unwrap();
    assert!(
        found.starts_with("the server does not send the intermediate `CN=Test Intermediate CA")
            && found.contains("`: point ssl_certificate at the full chain"),
        "{found}"
    );
    // live_serves_files fails too, but does not send the user off to reload nginx.
    let same = check(&json, "live_serves_files");
    assert_eq!(same["status"], "fail", "{same}");
    assert!(
        !same["fix"].as_str().unwrap().contains("old certificate"),
        "{same}"
    );
    assert!(
        same["found"]
            .as_str()
            .unwrap()
            .contains("CN=Test Intermediate CA"),
        "{same}"
    );
}

#[test]
fn full_chain_server_passes_live_chain_trusted_as_the_clients_accept_it() {
    nginx::require();
    let dir = ScratchDir::new("pf-live-full");
    mint_chain(&dir, "ecdsa-p256");
    let (leaf, ca) = (dir.join("leaf"), dir.join("root/cert.pem"));
    let (fullchain, key) = (format!("{leaf}/fullchain.pem"), format!("{leaf}/key.pem"));
    let server = Nginx::start(fullchain.as_ref(), key.as_ref()).expect("nginx starts");
    let (ok, text) = curl(&ca, server.port);
    assert!(ok, "curl: {text}");
    let (ok, text) = python(&ca, server.port);
    assert!(ok, "python: {text}");
    let (code, json, out) = preflight(&fullchain, &key, &ca, server.port);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        check(&json, "live_chain_trusted")["status"],
        "pass",
        "{out}"
    );
    assert_eq!(check(&json, "live_serves_files")["status"], "pass", "{out}");
}

#[test]
fn a_different_leaf_on_the_server_is_still_reload_nginx() {
    nginx::require();
    let old = ScratchDir::new("pf-live-old");
    mint_chain(&old, "ecdsa-p256");
    let new = ScratchDir::new("pf-live-new");
    mint_chain(&new, "ecdsa-p256");
    let served = old.join("leaf");
    let server = Nginx::start(
        format!("{served}/fullchain.pem").as_ref(),
        format!("{served}/key.pem").as_ref(),
    )
    .expect("nginx starts");
    let leaf = new.join("leaf");
    let (code, json, out) = preflight(
        &format!("{leaf}/fullchain.pem"),
        &format!("{leaf}/key.pem"),
        &new.join("root/cert.pem"),
        server.port,
    );
    assert_eq!(code, 1, "{out}");
    let same = check(&json, "live_serves_files");
    assert!(
        same["fix"].as_str().unwrap().contains("reload nginx"),
        "{same}"
    );
    assert!(
        same["found"]
            .as_str()
            .unwrap()
            .starts_with("the proxy still serves the old certificate"),
        "{same}"
    );
    // The old chain does not lead to the new root: not trusted as served either.
    assert_eq!(
        check(&json, "live_chain_trusted")["status"],
        "fail",
        "{out}"
    );
}

/// `preflight --cert FILE [--key KEY] --roots ROOT --host HOST [--at T] --json` (offline).
fn offline(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["preflight"];
    all.extend_from_slice(args);
    all.push("--json");
    let CliRun { out, err, .. } = chainscope(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))
}

#[test]
fn client_trust_fix_follows_the_cause() {
    let root = fixture_path("ecdsa/root.pem");
    let chain = fixture_path("ecdsa/chain.pem");
    let leaf = fixture_path("ecdsa/leaf.pem");
    let fix = |json: &serde_json::Value| {
        let c = check(json, "client_trust");
        assert_eq!(c["status"], "fail", "{c}");
        c["fix"].as_str().unwrap().to_owned()
    };
    // The intermediate is not in the file.
    let missing = fix(&offline(&[
        "--cert",
        &leaf,
        "--roots",
        &root,
        "--host",
        "localhost",
    ]));
    assert!(
        missing.contains("point ssl_certificate at the full chain"),
        "{missing}"
    );
    // Expired (the fixtures end in 2035).
    let expired = fix(&offline(&[
        "--cert",
        &chain,
        "--roots",
        &root,
        "--host",
        "localhost",
        "--at",
        "2036-01-01T00:00:00Z",
    ]));
    assert!(expired.contains("renew"), "{expired}");
    // A name the leaf does not carry.
    let misnamed = fix(&offline(&[
        "--cert",
        &chain,
        "--roots",
        &root,
        "--host",
        "other.example",
    ]));
    assert!(misnamed.contains("other.example"), "{misnamed}");
    // Clients holding only the Mozilla roots: the private root is what they lack.
    let untrusted = fix(&offline(&[
        "--cert",
        &chain,
        "--roots",
        "mozilla",
        "--host",
        "localhost",
    ]));
    assert!(
        untrusted.contains("install its root on every client")
            || untrusted.contains("install that (private) root"),
        "{untrusted}"
    );
    let all = [missing, expired, misnamed, untrusted];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b, "one fixed sentence for different causes");
        }
    }
}

#[test]
fn chainscope_mint_chain_is_valid_offline() {
    // Sanity for the fixtures of the tests above: the minted files pass offline.
    let dir = ScratchDir::new("pf-live-offline");
    mint_chain(&dir, "ecdsa-p256");
    let leaf = dir.join("leaf");
    let run = chainscope_ok(&[
        "preflight",
        "--cert",
        &format!("{leaf}/fullchain.pem"),
        "--key",
        &format!("{leaf}/key.pem"),
        "--roots",
        &dir.join("root/cert.pem"),
        "--host",
        HOST,
    ]);
    assert!(run.out.contains("ready"), "{}", run.out);
}
