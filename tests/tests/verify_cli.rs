//! `chainscope verify` end to end: exit codes, text and JSON output, AIA fetching from a
//! loopback HTTP server.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn fixture(rel: &str) -> String {
    chainscope_tests::fixture_path(rel)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["verify"];
    argv.extend_from_slice(args);
    let run = chainscope_tests::chainscope(&argv);
    (run.code, run.out, run.err)
}

const AT: &str = "2026-01-01T00:00:00Z";

#[test]
fn valid_chain_exits_0_and_prints_the_path() {
    let (code, out, _) = run(&[
        &fixture("rsa/chain.pem"),
        "--roots",
        &fixture("rsa/root.pem"),
        "--host",
        "rsa.chainscope.test",
        "--at",
        AT,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("VALID for rsa.chainscope.test"));
    assert!(out.contains("1 leaf"));
    assert!(out.contains("3 anchor"));
    assert!(out.contains("[sent as cert 1]"), "{out}");
    assert!(out.contains("CN=Chainscope Test RSA Root CA"));
    assert!(out.contains("sha256 "));
    assert!(out.contains("expires 2035-06-01"));
}

#[test]
fn invalid_chain_exits_1_with_cause_and_fix() {
    let (code, out, _) = run(&[
        &fixture("expired/chain.pem"),
        "--roots",
        &fixture("expired/root.pem"),
        "--at",
        AT,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("NOT VALID [expired]"), "{out}");
    assert!(out.contains("fix: renew"));
}

#[test]
fn several_chains_exit_with_the_worst_result() {
    let (code, out, _) = run(&[
        &fixture("rsa/chain.pem"),
        &fixture("expired/chain.pem"),
        "--roots",
        &fixture("rsa/root.pem"),
        "--roots",
        &fixture("expired/root.pem"),
        "--at",
        AT,
    ]);
    assert_eq!(code, 1);
    assert_eq!(out.matches("VALID").count(), 2, "{out}");
}

#[test]
fn unreadable_input_and_bad_flags_exit_2_with_one_line() {
    let (code, _, err) = run(&[
        "/nonexistent/chain.pem",
        "--roots",
        &fixture("rsa/root.pem"),
    ]);
    assert_eq!(code, 2);
    assert!(err.starts_with("chainscope: "), "{err}");
    assert!(err.contains("/nonexistent/chain.pem"));
    assert_eq!(err.lines().count(), 1);
    let (code, _, err) = run(&[&fixture("rsa/chain.pem"), "--at", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.contains("--at"), "{err}");
    let (code, _, err) = run(&[&fixture("rsa/chain.pem"), "--host", "bad host!"]);
    assert_eq!(code, 2);
    assert!(err.contains("--host"), "{err}");
    let (code, _, _) = run(&[&fixture("garbage/not-a-cert.bin"), "--roots", "mozilla"]);
    assert_eq!(code, 2);
    let (code, _, err) = run(&[&fixture("rsa/chain.pem"), "--profile", "lax"]);
    assert_eq!(code, 2);
    assert!(err.contains("lax"));
}

#[test]
fn json_report_has_valid_path_error_and_findings() {
    let (code, out, _) = run(&[
        &fixture("missing-intermediate/chain.pem"),
        "--roots",
        &fixture("missing-intermediate/root.pem"),
        "--at",
        AT,
        "--json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["error"]["code"], "missing_intermediate");
    assert_eq!(v["error"]["cert_index"], 0);
    assert_eq!(v["path"], serde_json::json!([]));
    assert_eq!(v["findings"][0]["code"], "missing_intermediate");
    assert_eq!(v["profile"], "clients");
    assert!(v["input"].as_str().unwrap().ends_with("chain.pem"));
}

#[test]
fn strict_flag_is_the_rfc5280_profile() {
    let args = [
        fixture("no-aki/chain.pem"),
        "--roots".into(),
        fixture("no-aki/root.pem"),
        "--at".into(),
        AT.into(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(run(&args).0, 0);
    let mut strict = args.clone();
    strict.push("--strict");
    let (code, out, _) = run(&strict);
    assert_eq!(code, 1);
    assert!(out.contains("aki_missing"));
}

#[test]
fn purpose_and_crl_flags_are_applied() {
    let base = [
        fixture("client-eku/chain.pem"),
        "--roots".into(),
        fixture("client-eku/root.pem"),
        "--at".into(),
        AT.into(),
    ];
    let base: Vec<&str> = base.iter().map(String::as_str).collect();
    assert_eq!(run(&base).0, 1);
    let mut client = base.clone();
    client.extend(["--purpose", "client"]);
    assert_eq!(run(&client).0, 0);
    let mut oid = base.clone();
    oid.extend(["--purpose", "1.3.6.1.5.5.7.3.2"]);
    assert_eq!(run(&oid).0, 0);

    let crl = fixture("rsa/inter-revoking.crl.pem");
    let inter = fixture("rsa/inter.pem");
    let (code, out, _) = run(&[
        &fixture("rsa/revoked-leaf.pem"),
        "--untrusted",
        &inter,
        "--roots",
        &fixture("rsa/root.pem"),
        "--crl",
        &crl,
        "--at",
        AT,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("[revoked]"), "{out}");
}

/// A one-file HTTP server on loopback, stopped when dropped.
struct HttpServer {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl HttpServer {
    fn start(listener: TcpListener, path: &'static str, body: Vec<u8>) -> Self {
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            while !flag.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
                let Ok((mut s, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                s.set_nonblocking(false).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&req)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let resp = if line.starts_with(&format!("GET {path} ")) {
                    let mut r = format!("HTTP/1.0 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
                    r.extend_from_slice(&body);
                    r
                } else {
                    b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec()
                };
                let _ = s.write_all(&resp);
            }
        });
        HttpServer {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// DER of an AuthorityInfoAccess extension value with one caIssuers URI.
fn aia_extension(url: &str) -> Vec<u8> {
    let oid = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
    let mut uri = vec![0x86, url.len() as u8];
    uri.extend_from_slice(url.as_bytes());
    let mut ad = vec![0x30, (oid.len() + uri.len()) as u8];
    ad.extend_from_slice(&oid);
    ad.extend_from_slice(&uri);
    let mut seq = vec![0x30, ad.len() as u8];
    seq.extend_from_slice(&ad);
    seq
}

/// root → intermediate → leaf, the leaf's AIA pointing at `url`. Returns (root, inter, leaf) DER.
fn mint_chain(url: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    use rcgen::{
        BasicConstraints, CertificateParams, CustomExtension, DnType, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let ca_params = |cn: &str| {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        p.not_before = rcgen::date_time_ymd(2025, 1, 1);
        p.not_after = rcgen::date_time_ymd(2040, 1, 1);
        p
    };
    let root_key = KeyPair::generate().unwrap();
    let root_params = ca_params("AIA Test Root");
    let root = root_params.self_signed(&root_key).unwrap();
    let root_issuer = rcgen::Issuer::new(root_params, root_key);
    let inter_key = KeyPair::generate().unwrap();
    let inter_params = ca_params("AIA Test Intermediate");
    let inter = inter_params.signed_by(&inter_key, &root_issuer).unwrap();
    let inter_issuer = rcgen::Issuer::new(inter_params, inter_key);
    let mut leaf_params = CertificateParams::new(vec!["aia.chainscope.test".to_string()]).unwrap();
    leaf_params.not_before = rcgen::date_time_ymd(2025, 6, 1);
    leaf_params.not_after = rcgen::date_time_ymd(2030, 1, 1);
    leaf_params.custom_extensions = vec![CustomExtension::from_oid_content(
        &[1, 3, 6, 1, 5, 5, 7, 1, 1],
        aia_extension(url),
    )];
    let leaf = leaf_params
        .signed_by(&KeyPair::generate().unwrap(), &inter_issuer)
        .unwrap();
    (
        root.der().to_vec(),
        inter.der().to_vec(),
        leaf.der().to_vec(),
    )
}

fn write_temp(dir: &chainscope_tests::TempDir, name: &str, der: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, der).unwrap();
    p
}

#[test]
fn aia_fetches_the_missing_intermediate_and_still_reports_it_missing() {
    // Bind first, so the minted leaf can name the server's port.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (root, inter, leaf) = mint_chain(&format!("http://127.0.0.1:{port}/inter.der"));
    let server = HttpServer::start(listener, "/inter.der", inter);
    let scratch = chainscope_tests::TempDir::new("verify-aia");
    let root_file = write_temp(&scratch, "root.der", &root);
    let leaf_file = write_temp(&scratch, "leaf.der", &leaf);
    let (code, out, _) = run(&[&leaf_file, "--roots", &root_file, "--aia", "--json"]);
    drop(server);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["path"][1]["source"]["kind"], "aia");
    let fetched = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "aia_fetched")
        .expect("aia_fetched");
    assert!(fetched["message"]
        .as_str()
        .unwrap()
        .contains("does not send it"));
    assert!(fetched["clients"].as_str().unwrap().contains("curl"));
    // Without --aia the same chain misses its intermediate.
    let (code, out, _) = run(&[&leaf_file, "--roots", &root_file]);
    assert_eq!(code, 1);
    assert!(out.contains("missing_intermediate"), "{out}");
}

#[test]
fn aia_failure_is_reported_and_the_verdict_stays_invalid() {
    // The fixture leaf's AIA URL points at port 1 on loopback, where nothing listens.
    let (code, out, _) = run(&[
        &fixture("missing-intermediate/chain.pem"),
        "--roots",
        &fixture("missing-intermediate/root.pem"),
        "--aia",
        "--at",
        AT,
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("aia_fetch_failed"), "{out}");
    assert!(out.contains("missing_intermediate"));
}
