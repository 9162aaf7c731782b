//! `chainscope exporter` end to end: a real Prometheus (`prometheus`, `promtool`; CI installs
//! the Debian package) scrapes the exporter's `/probe` through the documented scrape config
//! (`docs/prometheus/scrape-config.yml`), and the value Prometheus stores for
//! `chainscope_cert_not_after` is the certificate's notAfter. Also: `promtool check metrics`
//! on a `/probe` answer, the alert rules (`promtool check rules` / `test rules`), file
//! probes outside `--allow-dir` refused without a read, a slow target that does not
//! hold up `/metrics`, and a client sending half a request (slowloris) cut off.
//!
//! Fails when `prometheus` or `promtool` is missing. Every server and the Prometheus
//! process are stopped by drop guards; every wait is bounded.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chainscope::monitor::exporter::{
    serve_with_header_timeout, Exporter, ExporterConfig, HEADER_READ_TIMEOUT,
};
use chainscope_tests::servers::{
    fixture_certs, fixture_config, serve, Behaviour, Preamble, Server,
};
use chainscope_tests::{fixture_path, TempDir};

/// The exporter on a loopback port of its own runtime; dropping it stops it.
struct RunningExporter {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl RunningExporter {
    fn start(config: &ExporterConfig) -> RunningExporter {
        Self::start_with_header_timeout(config, HEADER_READ_TIMEOUT)
    }

    fn start_with_header_timeout(config: &ExporterConfig, header: Duration) -> RunningExporter {
        let exporter = Arc::new(Exporter::new(config).expect("exporter"));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(serve_with_header_timeout(listener, exporter, header));
        RunningExporter {
            addr,
            runtime: Some(runtime),
        }
    }
}

impl Drop for RunningExporter {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// A Prometheus server; dropping it kills and reaps it.
struct Prometheus {
    child: Child,
    port: u16,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `GET path` over HTTP/1.0 with a bounded wait; returns (status, body).
fn get(addr: &str, path: &str, timeout: Duration) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr.parse().unwrap(), timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, body.to_string()))
}

/// Query-string escaping of a path or target (RFC 3986 unreserved characters kept).
fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn tool(name: &str) {
    let found = Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "{name} is needed (apt-get install prometheus); .ci/run installs it"
    );
}

/// The `rsa` fixture served over TLS, and an exporter whose module `rsa` trusts its root.
fn rsa_setup(extra: &str) -> (Server, RunningExporter) {
    let server = serve(Behaviour::Tls(fixture_config("rsa")));
    let config = ExporterConfig::from_toml(
        &format!(
            "[modules.rsa]\nkind = \"tls\"\nroots = [\"{}\"]\nhost = \"rsa.chainscope.test\"\ntimeout = \"5s\"\n{extra}",
            fixture_path("rsa/root.pem")
        ),
        "test",
    )
    .unwrap();
    (server, RunningExporter::start(&config))
}

fn leaf_not_after(rel: &str) -> i64 {
    let der = fixture_certs(rel).remove(0);
    let (_, x) = x509_parser::parse_x509_certificate(der.as_ref()).unwrap();
    x.validity().not_after.timestamp()
}

#[test]
fn prometheus_scrapes_probe_through_the_documented_relabelling() {
    tool("prometheus");
    let (server, exporter) = rsa_setup("");
    let scratch = TempDir::new("prometheus");
    // The documented scrape config, with this test's module, target and exporter address.
    let documented = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/prometheus/scrape-config.yml"),
    )
    .unwrap();
    let config = documented
        .replace("scrape_interval: 60s", "scrape_interval: 1s")
        .replace("scrape_timeout: 15s", "scrape_timeout: 1s")
        .replace("module: [tls]", "module: [rsa]")
        .replace(
            "          - proxy.hospital.local:443\n          - mail.hospital.local:443\n",
            &format!("          - {}\n", server.authority()),
        )
        .replace("127.0.0.1:9219", &exporter.addr.to_string());
    assert_ne!(config, documented);
    assert!(config.contains(&server.authority()), "{config}");
    let config_path = scratch.join("prometheus.yml");
    std::fs::write(&config_path, &config).unwrap();
    let port = free_port();
    let log = std::fs::File::create(scratch.join("prometheus.log")).unwrap();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={config_path}"))
        .arg(format!("--storage.tsdb.path={}", scratch.join("data")))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("prometheus");
    let prometheus = Prometheus { child, port };

    let api = format!("127.0.0.1:{}", prometheus.port);
    let query = format!(
        "/api/v1/query?query={}",
        escape("chainscope_cert_not_after{position=\"leaf\",job=\"chainscope\"}")
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let result = loop {
        if let Ok((200, body)) = get(&api, &query, Duration::from_secs(2)) {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            let series = v["data"]["result"].as_array().cloned().unwrap_or_default();
            if !series.is_empty() {
                break series;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no chainscope_cert_not_after in Prometheus after 60 s; log:\n{}",
            std::fs::read_to_string(scratch.join("prometheus.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    assert_eq!(result.len(), 1, "{result:?}");
    let metric = &result[0]["metric"];
    // The relabelling: the target is the instance, the exporter only the address scraped.
    assert_eq!(metric["instance"], server.authority().as_str());
    assert_eq!(metric["subject_cn"], "rsa.chainscope.test");
    assert_eq!(metric["issuer_cn"], "Chainscope Test RSA Intermediate CA");
    let value: f64 = result[0]["value"][1].as_str().unwrap().parse().unwrap();
    assert_eq!(value as i64, leaf_not_after("rsa/chain.pem"));

    // The rest of the probe arrived too: verified, its path's soonest expiry, TLS 1.3.
    let scalar = |q: &str| -> f64 {
        let (_, body) = get(
            &api,
            &format!("/api/v1/query?query={}", escape(q)),
            Duration::from_secs(2),
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["data"]["result"][0]["value"][1]
            .as_str()
            .unwrap_or_else(|| panic!("{q}: {body}"))
            .parse()
            .unwrap()
    };
    assert_eq!(scalar("chainscope_probe_success{job=\"chainscope\"}"), 1.0);
    assert_eq!(scalar("chainscope_chain_verified{job=\"chainscope\"}"), 1.0);
    assert_eq!(
        scalar("chainscope_verified_chain_not_after{job=\"chainscope\"}") as i64,
        leaf_not_after("rsa/chain.pem")
    );
    assert_eq!(
        scalar("chainscope_tls_version_info{job=\"chainscope\",version=\"TLSv1.3\"}"),
        1.0
    );
    drop(prometheus);
}

#[test]
fn promtool_accepts_a_probe_answer_and_the_alert_rules() {
    tool("promtool");
    let (server, exporter) = rsa_setup("");
    let addr = exporter.addr.to_string();
    let (status, body) = get(
        &addr,
        &format!("/probe?module=rsa&target={}", escape(&server.authority())),
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("chainscope_probe_success 1\n"), "{body}");
    assert!(body.contains("chainscope_ocsp_stapled 0\n"), "{body}");
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}\n{body}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/prometheus");
    for args in [
        ["check", "rules", "chainscope-alerts.yml"],
        ["test", "rules", "chainscope-alerts.test.yml"],
        ["check", "config", "scrape-config.yml"],
        ["check", "config", "scrape-config-sharded.yml"],
    ] {
        let out = Command::new("promtool")
            .args(args)
            .current_dir(&docs)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "promtool {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn file_probes_read_only_below_allowed_directories() {
    let scratch = TempDir::new("exporter-files");
    let allowed = scratch.path().join("certs");
    let outside = scratch.path().join("private");
    std::fs::create_dir_all(&allowed).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(fixture_path("rsa/chain.pem"), allowed.join("chain.pem")).unwrap();
    // A FIFO outside: opening it for reading would block until the probe times out, so a
    // `not_allowed` answer proves it was never opened.
    let fifo = outside.join("secret.pem");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink(&fifo, allowed.join("escape.pem")).unwrap();
    let config = ExporterConfig::from_toml(
        &format!(
            "allow_dirs = [\"{}\"]\n[modules.file]\nkind = \"file\"\nroots = [\"{}\"]\ntimeout = \"3s\"\n",
            allowed.display(),
            fixture_path("rsa/root.pem")
        ),
        "test",
    )
    .unwrap();
    let exporter = RunningExporter::start(&config);
    let addr = exporter.addr.to_string();
    let probe = |target: &str| {
        let started = Instant::now();
        let (status, body) = get(
            &addr,
            &format!("/probe?module=file&target={}", escape(target)),
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        (body, started.elapsed())
    };
    let inside = allowed.join("chain.pem").canonicalize().unwrap();
    let (body, _) = probe(inside.to_str().unwrap());
    assert!(body.contains("chainscope_probe_success 1\n"), "{body}");
    assert!(
        body.contains(&format!("file=\"{}\"", inside.display())),
        "{body}"
    );
    assert!(body.contains("chainscope_chain_verified{file="), "{body}");
    assert!(
        body.contains(
            "chainscope_cert_not_after{position=\"leaf\",subject_cn=\"rsa.chainscope.test\""
        ),
        "{body}"
    );
    let base = allowed.canonicalize().unwrap();
    for target in [
        fifo.display().to_string(),
        format!("{}/../private/secret.pem", base.display()),
        format!("{}/escape.pem", base.display()),
        "/etc/passwd".to_string(),
        "chain.pem".to_string(),
    ] {
        let (body, took) = probe(&target);
        assert!(
            body.contains("chainscope_probe_success 0\n"),
            "{target}: {body}"
        );
        assert!(
            body.contains("chainscope_probe_failure_info{code=\"not_allowed\"} 1"),
            "{target}: {body}"
        );
        assert!(took < Duration::from_secs(2), "{target}: took {took:?}");
    }
    // The reason is on the status page, and a target made of markup shows as text.
    let (body, _) = probe("/<script>alert(1)</script>");
    assert!(body.contains("code=\"not_allowed\""), "{body}");
    let (_, page) = get(&addr, "/", Duration::from_secs(5)).unwrap();
    assert!(
        page.contains("not_allowed: /etc/passwd: outside the allowed directories"),
        "{page}"
    );
    assert!(
        page.contains("/&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>"), "{page}");
}

#[test]
fn a_slow_target_holds_up_neither_other_probes_nor_metrics() {
    let silent = serve(Behaviour::Silent);
    let (server, exporter) = rsa_setup("[modules.slow]\nkind = \"tls\"\ntimeout = \"3s\"\n");
    let addr = exporter.addr.to_string();
    let slow_addr = addr.clone();
    let target = silent.authority();
    let slow = std::thread::spawn(move || {
        let started = Instant::now();
        let r = get(
            &slow_addr,
            &format!("/probe?module=slow&target={}", escape(&target)),
            Duration::from_secs(10),
        )
        .unwrap();
        (r, started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (status, metrics) = get(&addr, "/metrics", Duration::from_secs(5)).unwrap();
    assert_eq!(status, 200);
    assert!(
        metrics.contains("chainscope_exporter_probes_in_flight 1"),
        "{metrics}"
    );
    let (_, body) = get(
        &addr,
        &format!("/probe?module=rsa&target={}", escape(&server.authority())),
        Duration::from_secs(5),
    )
    .unwrap();
    assert!(body.contains("chainscope_probe_success 1\n"), "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let ((status, body), took) = slow.join().unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("chainscope_probe_success 0\n"), "{body}");
    assert!(body.contains("code=\"timeout\""), "{body}");
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(6),
        "{took:?}"
    );
    // Unknown module and missing target are client errors.
    let (status, _) = get(&addr, "/probe?target=x&module=nope", Duration::from_secs(5)).unwrap();
    assert_eq!(status, 400);
    let (status, _) = get(&addr, "/probe?module=rsa", Duration::from_secs(5)).unwrap();
    assert_eq!(status, 400);
}

#[test]
fn starttls_module_probes_an_smtp_server() {
    let smtp = serve(Behaviour::StartTls(Preamble::Smtp, fixture_config("rsa")));
    let (_server, exporter) = rsa_setup(&format!(
        "[modules.smtp]\nkind = \"starttls\"\nprotocol = \"smtp\"\nroots = [\"{}\"]\nhost = \"rsa.chainscope.test\"\ntimeout = \"5s\"\n",
        fixture_path("rsa/root.pem")
    ));
    let addr = exporter.addr.to_string();
    let (status, body) = get(
        &addr,
        &format!("/probe?module=smtp&target={}", escape(&smtp.authority())),
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("chainscope_probe_success 1\n"), "{body}");
    assert!(body.contains("chainscope_chain_verified 1\n"), "{body}");
    assert!(
        body.contains(&format!(
            "chainscope_verified_chain_not_after {}\n",
            leaf_not_after("rsa/chain.pem")
        )),
        "{body}"
    );
    // The plain TLS module on the same port meets an SMTP banner: no chain, with the reason.
    let (_, body) = get(
        &addr,
        &format!("/probe?module=rsa&target={}", escape(&smtp.authority())),
        Duration::from_secs(10),
    )
    .unwrap();
    assert!(body.contains("chainscope_probe_success 0\n"), "{body}");
    assert!(body.contains("code=\"plaintext_service\""), "{body}");
}

/// The benchmark of BENCHMARKS.md: probes per second through `/probe` against a local
/// rustls server, and resident memory after 1,000 and after 10,000 probes. Run with
/// `cargo test -p chainscope-tests --release --test exporter_prometheus -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark: run explicitly, see BENCHMARKS.md"]
fn bench_probes_per_second_and_memory() {
    let (server, exporter) = rsa_setup("");
    let addr = exporter.addr.to_string();
    let path = format!("/probe?module=rsa&target={}", escape(&server.authority()));
    let rss = || -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        field("VmRSS:")
    };
    let run = |n: usize, threads: usize| -> Duration {
        let started = Instant::now();
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let addr = addr.clone();
                let path = path.clone();
                std::thread::spawn(move || {
                    for _ in 0..n / threads {
                        let (status, body) = get(&addr, &path, Duration::from_secs(10)).unwrap();
                        assert_eq!(status, 200);
                        assert!(body.contains("chainscope_probe_success 1\n"));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        started.elapsed()
    };
    run(200, 4);
    let took = run(1_000, 4);
    let after_1k = rss();
    let took_rest = run(9_000, 4);
    let after_10k = rss();
    let hwm = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap()
        .to_string();
    println!(
        "probes/s (1,000, 4 clients): {:.0}; probes/s (9,000 more): {:.0}; RSS after 1,000: {} KiB, after 10,000: {} KiB; {hwm}",
        1_000.0 / took.as_secs_f64(),
        9_000.0 / took_rest.as_secs_f64(),
        after_1k,
        after_10k
    );
}

#[test]
fn a_client_sending_half_a_request_is_disconnected() {
    let exporter = RunningExporter::start_with_header_timeout(
        &ExporterConfig::default(),
        Duration::from_millis(300),
    );
    let addr = exporter.addr.to_string();
    let mut slow = TcpStream::connect_timeout(&exporter.addr, Duration::from_secs(5)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    write!(slow, "GET /metrics HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").unwrap();
    let mut answer = Vec::new();
    // Ends at the server's close; a read timeout (the server still waiting) fails here.
    let read = slow.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(
        read.is_ok()
            || read
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "{read:?} after {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(3),
        "disconnected after {waited:?}"
    );
    assert!(
        !String::from_utf8_lossy(&answer).contains("200 OK"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    // The exporter still answers a client that sends its request at once.
    let (status, body) = get(&addr, "/metrics", Duration::from_secs(5)).unwrap();
    assert_eq!(status, 200, "{body}");
}
