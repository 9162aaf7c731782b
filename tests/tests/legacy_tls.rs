//! The legacy capture's limits and details (issue 10.6, 10.7, 15.9): `--min-tls`/`--max-tls`
//! against a TLS 1.0-only `openssl s_server`, the warning findings `verify --connect` gives a
//! chain captured without proof of key possession, alert names from one table, sniffing a
//! first flight that arrives one byte per segment, and a client certificate that is only
//! requested vs one that is demanded.
//!
//! `openssl` is required: a missing one fails these tests (CI installs it).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chainscope::fetch::{
    fetch_blocking, FetchError, FetchOptions, HandshakeOutcome, Target, TlsVersion,
};
use chainscope_tests::servers::{fixture_certs, fixture_path, serve, Behaviour, OpenSslServer};
use chainscope_tests::{chainscope, CliRun};

fn options() -> FetchOptions {
    let mut o = FetchOptions::default();
    o.timeout = Duration::from_secs(8);
    o
}

/// `openssl s_server` with the fixture `dir`'s leaf, key and intermediate, plus `extra`.
fn server(dir: &str, extra: &[&str]) -> OpenSslServer {
    let cert = fixture_path(&format!("{dir}/leaf.pem"));
    let key = fixture_path(&format!("{dir}/leaf.key"));
    let inter = fixture_path(&format!("{dir}/inter.pem"));
    let mut args = vec!["-cert", &cert, "-key", &key, "-cert_chain", &inter];
    args.extend_from_slice(extra);
    OpenSslServer::start(&args)
}

/// A server that speaks TLS 1.0 only. OpenSSL 3 offers TLS 1.0 only at security level 0.
fn tls10_server() -> OpenSslServer {
    server("rsa", &["-tls1", "-cipher", "DEFAULT:@SECLEVEL=0"])
}

fn capture(
    addr: SocketAddr,
    o: &FetchOptions,
) -> Result<chainscope::fetch::PresentedChain, FetchError> {
    fetch_blocking(
        &Target::parse(&format!("localhost:{}", addr.port())).unwrap(),
        o,
    )
}

#[test]
fn min_tls_12_refuses_a_tls10_only_server_on_the_legacy_path() {
    let s = tls10_server();
    let mut o = options();
    o.min_tls = TlsVersion::Tls1_2;
    let err = capture(s.addr, &o).unwrap_err();
    assert_eq!(err.code(), "no_shared_protocol", "{err}");
    let text = err.to_string();
    assert!(
        text.contains("the server chose TLSv1.0 when offered up to TLSv1.2: below the minimum TLS version TLSv1.2"),
        "{text}"
    );

    // The same through the command line: fetch and verify --connect exit 2 with that line.
    let target = format!("localhost:{}", s.addr.port());
    for args in [
        vec!["fetch", &target, "--min-tls", "1.2"],
        vec!["verify", "--connect", &target, "--min-tls", "1.2"],
    ] {
        let CliRun { code, out, err } = chainscope(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains("below the minimum TLS version TLSv1.2"),
            "{args:?}: {err}"
        );
        assert!(!out.contains("VALID"), "{args:?}: {out}");
    }
}

#[test]
fn max_tls_below_the_servers_version_is_refused_too() {
    // A TLS 1.1-only server and a legacy hello offering at most TLS 1.0.
    let s = server("ecdsa", &["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"]);
    let mut o = options();
    o.max_tls = TlsVersion::Tls1_0;
    let err = capture(s.addr, &o).unwrap_err();
    // The server refuses a TLS 1.0 hello (alert protocol_version): no shared version.
    assert_eq!(err.code(), "no_shared_protocol", "{err}");
    assert!(err.to_string().contains("`protocol_version`"), "{err}");
}

#[test]
fn a_tls10_capture_carries_legacy_warnings_in_verify_connect() {
    let s = tls10_server();
    let target = format!("localhost:{}", s.addr.port());
    let root = fixture_path("rsa/root.pem");
    let CliRun { code, out, err } = chainscope(&[
        "verify",
        "--connect",
        &target,
        "--min-tls",
        "1.0",
        "--roots",
        &root,
        "--host",
        "rsa.chainscope.test",
        "--json",
    ]);
    // The chain itself is valid; the capture's caveats are warnings.
    assert_eq!(code, 0, "{out}{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let find = |code: &str| {
        findings
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code} finding in {out}"))
    };
    let legacy = find("legacy_tls_version");
    assert_eq!(legacy["severity"], "warning");
    assert!(
        legacy["message"].as_str().unwrap().contains("TLSv1.0"),
        "{legacy}"
    );
    let proof = find("key_possession_unproven");
    assert_eq!(proof["severity"], "warning");
    assert_eq!(proof["cert_index"], 0);
    assert!(
        proof["message"]
            .as_str()
            .unwrap()
            .contains("legacy capture stops after"),
        "{proof}"
    );

    // In text too, not only "(legacy capture)" in the header.
    let CliRun { code, out, err } = chainscope(&[
        "verify",
        "--connect",
        &target,
        "--roots",
        &root,
        "--host",
        "rsa.chainscope.test",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("legacy_tls_version"), "{out}");
    assert!(out.contains("key_possession_unproven"), "{out}");
}

#[test]
fn a_full_tls13_capture_has_no_capture_findings() {
    let s = server("ecdsa", &["-tls1_3"]);
    let chain = capture(s.addr, &options()).unwrap();
    assert!(chain.key_possession_proven);
    assert!(
        chain.capture_findings().is_empty(),
        "{:?}",
        chain.capture_findings()
    );
}

/// A TCP proxy in front of `upstream` that forwards the server's bytes one per segment
/// (`TCP_NODELAY`, a pause after each), and the client's in bulk. Stopped when dropped.
struct BytewiseProxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl BytewiseProxy {
    fn start(upstream: SocketAddr) -> BytewiseProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut workers = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let server = TcpStream::connect(upstream).unwrap();
                        workers.extend(pipe(client, server, flag.clone()));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            for w in workers {
                let _ = w.join();
            }
        });
        BytewiseProxy {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for BytewiseProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Copies client → server in bulk and server → client one byte per write.
fn pipe(client: TcpStream, server: TcpStream, stop: Arc<AtomicBool>) -> [JoinHandle<()>; 2] {
    for s in [&client, &server] {
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
    }
    let (mut c_read, mut c_write) = (client.try_clone().unwrap(), client);
    let (mut s_read, mut s_write) = (server.try_clone().unwrap(), server);
    let stop2 = stop.clone();
    let up = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !stop2.load(Ordering::Relaxed) {
            match c_read.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => break,
            }
        }
        let _ = s_write.shutdown(std::net::Shutdown::Write);
    });
    let down = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !stop.load(Ordering::Relaxed) {
            match s_read.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    for b in &buf[..n] {
                        if c_write.write_all(std::slice::from_ref(b)).is_err() {
                            return;
                        }
                        std::thread::sleep(Duration::from_micros(300));
                    }
                }
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                Err(_) => break,
            }
        }
        let _ = c_write.shutdown(std::net::Shutdown::Write);
    });
    [up, down]
}

#[test]
fn a_legacy_first_flight_in_one_byte_segments_is_still_captured() {
    let s = tls10_server();
    let proxy = BytewiseProxy::start(s.addr);
    let chain = capture(proxy.addr, &options()).unwrap_or_else(|e| panic!("{e}"));
    assert!(chain.legacy);
    assert_eq!(chain.tls_version.as_deref(), Some("TLSv1.0"));
    assert_eq!(chain.certs, fixture_certs("rsa/chain.pem"));
}

#[test]
fn a_lone_tls_byte_is_too_little_to_call_the_server_not_tls() {
    // One byte that starts a TLS handshake record, then the connection closes: the server
    // closed it, it did not answer in something other than TLS.
    let s = serve(Behaviour::Drip(vec![0x16], Duration::from_millis(1)));
    let err = capture(s.addr, &options()).unwrap_err();
    assert_eq!(err.code(), "connection_closed", "{err}");
    // A byte that cannot start a TLS record is decided at once.
    let s = serve(Behaviour::Drip(vec![0x9a, 0x3f], Duration::from_millis(1)));
    let err = capture(s.addr, &options()).unwrap_err();
    assert_eq!(err.code(), "not_tls", "{err}");
    assert!(err.to_string().contains("(it sent 9a"), "{err}");
}

#[test]
fn alerts_are_named_from_the_iana_table_on_both_paths() {
    // Every connection gets a fatal protocol_version alert: the rustls attempt and the
    // legacy one. The README's no_shared_protocol, with the alert's name.
    let s = serve(Behaviour::Reply(vec![
        0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 70,
    ]));
    let err = capture(s.addr, &options()).unwrap_err();
    assert_eq!(err.code(), "no_shared_protocol", "{err}");
    let text = err.to_string();
    assert!(text.contains("`protocol_version`"), "{text}");
    assert!(!text.contains("tls_alert_description"), "{text}");

    // unrecognized_name (112), spelled as TLS and the README spell it.
    let s = serve(Behaviour::Reply(vec![
        0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 112,
    ]));
    let err = capture(s.addr, &options()).unwrap_err();
    assert_eq!(err.code(), "tls_alert", "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "localhost:{}: the server refused the TLS handshake with alert `unrecognized_name`",
            s.port()
        )
    );

    // On the legacy path: a handshake_failure to TLS 1.2 and 1.3 sends chainscope there; an
    // unassigned code there is named as such.
    let s = serve(Behaviour::Reply(vec![
        0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 40,
    ]));
    let err = capture(s.addr, &options()).unwrap_err();
    assert_eq!(err.code(), "no_shared_protocol", "{err}");
    assert!(
        err.to_string().contains(
            "the server sent alert `handshake_failure` also to a TLS 1.0–1.2 legacy ClientHello"
        ),
        "{err}"
    );
}

#[test]
fn optional_client_certificate_is_requested_not_demanded() {
    for version in ["-tls1_3", "-tls1_2"] {
        // -verify: request a client certificate, go on without one.
        let s = server("ecdsa", &[version, "-verify", "1"]);
        let started = Instant::now();
        let chain = capture(s.addr, &options()).unwrap();
        let spent = started.elapsed();
        assert_eq!(
            chain.handshake,
            HandshakeOutcome::ClientCertificateRequested {
                alert: None,
                required: false
            },
            "{version}"
        );
        // No fixed wait after the handshake: the server's first record (a session ticket
        // in TLS 1.3) answers at once. The old fixed wait made this at least 1 s.
        let after_handshake = chain
            .timing
            .total
            .saturating_sub(chain.timing.handshake + chain.timing.connect + chain.timing.dns);
        assert!(
            after_handshake < Duration::from_millis(900),
            "{version}: {after_handshake:?} after the handshake ({spent:?} in all)"
        );
        let CliRun { code, out, err } =
            chainscope(&["fetch", &format!("localhost:{}", s.addr.port())]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("the server requests a client certificate (optional)"),
            "{version}: {out}"
        );
        assert!(!out.contains("demands"), "{version}: {out}");
    }
}

#[test]
fn required_client_certificate_is_demanded() {
    for version in ["-tls1_3", "-tls1_2"] {
        // -Verify: refuse the handshake without a client certificate.
        let s = server("ecdsa", &[version, "-Verify", "1"]);
        let chain = capture(s.addr, &options()).unwrap();
        assert_eq!(chain.certs, fixture_certs("ecdsa/chain.pem"), "{version}");
        match &chain.handshake {
            HandshakeOutcome::ClientCertificateRequested {
                required: true,
                alert,
            } => {
                // The alert can be lost to a connection reset; when it arrives, it is named.
                if let Some(a) = alert {
                    assert!(
                        ["certificate_required", "handshake_failure"].contains(&a.as_str()),
                        "{version}: {a}"
                    );
                }
            }
            other => panic!("{version}: {other:?}"),
        }
        let CliRun { out, .. } = chainscope(&["fetch", &format!("localhost:{}", s.addr.port())]);
        assert!(
            out.contains("the server demands a client certificate"),
            "{version}: {out}"
        );
    }
}

#[test]
fn timeouts_print_as_the_readme_shows() {
    // A server that accepts and never answers: the handshake timeout fires.
    let s = serve(Behaviour::Silent);
    let CliRun { code, err, .. } = chainscope(&[
        "fetch",
        &format!("localhost:{}", s.port()),
        "--handshake-timeout",
        "1s",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "localhost:{}: timed out after 1s during the TLS handshake (--handshake-timeout 1s)",
            s.port()
        )),
        "{err}"
    );
}

#[test]
fn verify_presented_carries_the_capture_warnings_for_library_callers() {
    use chainscope::fetch::verify_presented;
    use chainscope::verify::{Code, VerifyOptions};
    let s = tls10_server();
    let chain = capture(s.addr, &options()).unwrap();
    let trust = chainscope::trust::TrustStore::from_spec(&fixture_path("rsa/root.pem")).unwrap();
    let report = verify_presented(&chain, &trust, &VerifyOptions::default());
    assert!(report.valid, "{:?}", report.findings);
    assert!(report.has(Code::LegacyTlsVersion), "{:?}", report.findings);
    assert!(
        report.has(Code::KeyPossessionUnproven),
        "{:?}",
        report.findings
    );
}
