//! AIA caIssuers downloads (issues 10.9, 12.3): `fetch::fetch_aia` against loopback HTTP
//! servers started and stopped by each test — a server of the issuer, one that drips its
//! body, one that never answers, one that sends too much, a forward proxy — and the
//! verification that takes the downloads as input.

use std::future::Future;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chainscope::fetch::{fetch_aia, fetch_aia_blocking, AiaOptions};
use chainscope::trust::TrustStore;
use chainscope::verify::{verify_chain, CertSource, Code, VerifyOptions};
use chainscope::CertificateDer;
use chainscope_tests::mint::{ca_issuers_extension, ca_params};
use rcgen::{CertificateParams, DnType, Issuer, KeyPair};

/// What a test server does with each connection.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Answers 200 with the body.
    Serve,
    /// Sends the headers, then one body byte every 200 ms.
    Drip,
    /// Reads the request and says nothing.
    Silent,
    /// Answers 200 with a Content-Length over the cap, then the body.
    Huge,
    /// A forward proxy: answers only an absolute-form request for the issuer's URL.
    Proxy,
}

/// A loopback HTTP server on its own thread, stopped (and joined) when dropped. Every
/// connection it handles ends within 20 s even if the client stays.
struct Server {
    addr: std::net::SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(behaviour: Behaviour, body: Vec<u8>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (stop2, requests2) = (stop.clone(), requests.clone());
        let thread = std::thread::spawn(move || {
            let mut handlers = Vec::new();
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((s, _)) => {
                        let (body, stop, requests) =
                            (body.clone(), stop2.clone(), requests2.clone());
                        handlers.push(std::thread::spawn(move || {
                            handle(s, behaviour, &body, &stop, &requests)
                        }));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
            for h in handlers {
                let _ = h.join();
            }
        });
        Server {
            addr,
            stop,
            thread: Some(thread),
            requests,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(
    mut s: TcpStream,
    behaviour: Behaviour,
    body: &[u8],
    stop: &AtomicBool,
    requests: &Mutex<Vec<String>>,
) {
    let ends = Instant::now() + Duration::from_secs(20);
    s.set_nonblocking(false).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if stop.load(Ordering::Relaxed) || Instant::now() > ends {
            return;
        }
        match s.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(_) => continue,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    requests.lock().unwrap().push(head.clone());
    let ok = |len: usize| {
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n")
    };
    match behaviour {
        Behaviour::Serve => {
            let _ = s.write_all(ok(body.len()).as_bytes());
            let _ = s.write_all(body);
        }
        Behaviour::Proxy => {
            let first = head.lines().next().unwrap_or_default();
            if first.starts_with("GET http://") && first.contains("/issuer.der ") {
                let _ = s.write_all(ok(body.len()).as_bytes());
                let _ = s.write_all(body);
            } else {
                let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            }
        }
        Behaviour::Huge => {
            let _ = s.write_all(ok(10 << 20).as_bytes());
            let _ = s.write_all(&vec![0u8; 64 * 1024]);
        }
        Behaviour::Drip => {
            let _ = s.write_all(ok(100_000).as_bytes());
            while !stop.load(Ordering::Relaxed) && Instant::now() < ends {
                if s.write_all(b"x").is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        Behaviour::Silent => {
            while !stop.load(Ordering::Relaxed) && Instant::now() < ends {
                match s.read(&mut buf) {
                    Ok(0) => return,
                    _ => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        }
    }
}

/// A root (trusted), an intermediate (DER, to be served) and a leaf whose caIssuers URL
/// is `url`.
struct Chain {
    trust: TrustStore,
    inter: Vec<u8>,
    issuer: Issuer<'static, KeyPair>,
}

impl Chain {
    fn new() -> Chain {
        let root_key = KeyPair::generate().unwrap();
        let root = ca_params("AIA Root").self_signed(&root_key).unwrap();
        let root_issuer = Issuer::new(ca_params("AIA Root"), root_key);
        let key = KeyPair::generate().unwrap();
        let inter = ca_params("AIA Inter")
            .signed_by(&key, &root_issuer)
            .unwrap();
        Chain {
            trust: TrustStore::from_certs(vec![root.der().clone()], "aia root"),
            inter: inter.der().to_vec(),
            issuer: Issuer::new(ca_params("AIA Inter"), key),
        }
    }

    fn leaf(&self, url: &str) -> Vec<CertificateDer<'static>> {
        let mut p = CertificateParams::new(vec!["aia.test".to_owned()]).unwrap();
        p.distinguished_name.push(DnType::CommonName, "aia.test");
        p.not_before = rcgen::date_time_ymd(2025, 6, 1);
        p.not_after = rcgen::date_time_ymd(2030, 1, 1);
        p.custom_extensions = vec![ca_issuers_extension(url)];
        vec![p
            .signed_by(&KeyPair::generate().unwrap(), &self.issuer)
            .unwrap()
            .der()
            .clone()]
    }
}

fn options_at_2026() -> VerifyOptions {
    let mut o = VerifyOptions::for_host("aia.test").unwrap();
    o.at = Some(chainscope::verify::parse_time("2026-06-01T00:00:00Z").unwrap());
    o
}

fn failure(aia: &chainscope::verify::AiaIssuers) -> String {
    assert_eq!(aia.downloads.len(), 1, "{aia:?}");
    aia.downloads[0]
        .result
        .clone()
        .expect_err("the download should fail")
}

#[test]
fn a_served_issuer_is_downloaded_and_completes_the_path() {
    let chain = Chain::new();
    let server = Server::start(Behaviour::Serve, chain.inter.clone());
    let url = server.url("/issuer.der");
    let leaf = chain.leaf(&url);
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &AiaOptions::default()).unwrap();
    assert_eq!(aia.downloads.len(), 1);
    assert_eq!(aia.downloads[0].url, url);
    assert_eq!(aia.downloads[0].for_index, Some(0));
    assert_eq!(aia.downloads[0].result.as_ref().unwrap().len(), 1);
    let mut options = options_at_2026();
    let without = verify_chain(&leaf, &chain.trust, &options);
    assert!(!without.valid);
    options.aia = aia;
    let report = verify_chain(&leaf, &chain.trust, &options);
    assert!(report.valid, "{:?}", report.error);
    assert_eq!(report.path[1].source, CertSource::Aia { url: url.clone() });
    assert!(report.has(Code::AiaFetched));
    drop(server);
}

#[test]
fn a_dripping_server_times_out_on_one_deadline_naming_the_url_and_phase() {
    let chain = Chain::new();
    let server = Server::start(Behaviour::Drip, Vec::new());
    let url = server.url("/issuer.der");
    let leaf = chain.leaf(&url);
    let started = Instant::now();
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &AiaOptions::default()).unwrap();
    let took = started.elapsed();
    let reason = failure(&aia);
    assert!(reason.contains("timed out after 5s"), "{reason}");
    assert!(reason.contains("reading the response body"), "{reason}");
    // Bounded: one deadline, not one per read (loose bound; no timing assertion beyond).
    assert!(took < Duration::from_secs(30), "{took:?}");
    let mut options = options_at_2026();
    options.aia = aia;
    let report = verify_chain(&leaf, &chain.trust, &options);
    let f = report
        .findings
        .iter()
        .find(|f| f.code == Code::AiaFetchFailed)
        .expect("aia_fetch_failed");
    assert!(f.message.contains(&url), "{}", f.message);
    assert!(f.message.contains("timed out after 5s"), "{}", f.message);
    drop(server);
}

#[test]
fn a_silent_server_times_out_waiting_for_the_headers() {
    let chain = Chain::new();
    let server = Server::start(Behaviour::Silent, Vec::new());
    let url = server.url("/issuer.der");
    let leaf = chain.leaf(&url);
    let started = Instant::now();
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &AiaOptions::default()).unwrap();
    let reason = failure(&aia);
    assert!(
        reason.contains("timed out after 5s while waiting for the response headers"),
        "{reason}"
    );
    assert!(!reason.contains("os error"), "{reason}");
    assert!(started.elapsed() < Duration::from_secs(30));
    drop(server);
}

#[test]
fn an_oversized_response_and_a_refused_connection_fail_in_words() {
    let chain = Chain::new();
    let server = Server::start(Behaviour::Huge, Vec::new());
    let leaf = chain.leaf(&server.url("/issuer.der"));
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &AiaOptions::default()).unwrap();
    let reason = failure(&aia);
    assert!(reason.contains("larger than 262144 bytes"), "{reason}");
    drop(server);
    // Nothing listens on a port just released.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let leaf = chain.leaf(&format!("http://127.0.0.1:{port}/issuer.der"));
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &AiaOptions::default()).unwrap();
    let reason = failure(&aia);
    assert!(reason.contains("connection refused"), "{reason}");
    assert!(!reason.contains("os error"), "{reason}");
}

#[test]
fn the_proxy_of_fetch_is_used_as_a_forward_proxy_and_no_proxy_exempts() {
    let chain = Chain::new();
    let proxy = Server::start(Behaviour::Proxy, chain.inter.clone());
    // The issuer's own host does not exist: only the proxy can answer.
    let url = "http://issuer.aia.invalid/issuer.der";
    let leaf = chain.leaf(url);
    let mut limits = AiaOptions::default();
    limits.proxy = Some(proxy.url(""));
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &limits).unwrap();
    assert!(
        aia.downloads[0].result.is_ok(),
        "{:?}",
        aia.downloads[0].result
    );
    let seen = proxy.requests.lock().unwrap().clone();
    assert!(
        seen[0].starts_with(&format!("GET {url} HTTP/1.1")),
        "{seen:?}"
    );
    assert!(
        seen[0].contains("host: issuer.aia.invalid")
            || seen[0].contains("Host: issuer.aia.invalid"),
        "{seen:?}"
    );
    // no_proxy: the host is reached directly (and does not resolve).
    limits.no_proxy = vec!["aia.invalid".into()];
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &limits).unwrap();
    assert!(aia.downloads[0].result.is_err());
    assert_eq!(proxy.requests.lock().unwrap().len(), 1);
    drop(proxy);
}

#[test]
fn fetch_aia_runs_inside_a_runtime_and_the_blocking_form_refuses_without_panicking() {
    let chain = Chain::new();
    let server = Server::start(Behaviour::Serve, chain.inter.clone());
    let leaf = chain.leaf(&server.url("/issuer.der"));
    // IO only, no timer driver: `tokio::time` would panic here ("timers are disabled").
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    // The future is Send: a multi-threaded runtime may move it between threads.
    fn assert_send<T: Send>(t: T) -> T {
        t
    }
    runtime.block_on(async {
        let limits = AiaOptions::default();
        let aia = assert_send(fetch_aia(&leaf, &[], &chain.trust, &limits)).await;
        assert!(aia.downloads[0].result.is_ok(), "{aia:?}");
        let nested = fetch_aia_blocking(&leaf, &[], &chain.trust, &AiaOptions::default());
        let error = nested.expect_err("blocking inside a runtime");
        assert_eq!(error.code(), "runtime", "{error}");
        assert!(error.to_string().contains("await"), "{error}");
    });
    // The one deadline also fires without a timer driver.
    let silent = Server::start(Behaviour::Silent, Vec::new());
    let leaf = chain.leaf(&silent.url("/issuer.der"));
    let mut limits = AiaOptions::default();
    limits.timeout = Duration::from_millis(300);
    let aia = runtime.block_on(fetch_aia(&leaf, &[], &chain.trust, &limits));
    assert!(failure(&aia).contains("timed out after 300ms"), "{aia:?}");
    drop(silent);
    drop(server);
}

#[test]
fn fetch_aia_outside_any_runtime_fails_the_download_in_words_not_a_panic() {
    let chain = Chain::new();
    let leaf = chain.leaf("http://127.0.0.1:9/issuer.der");
    let limits = AiaOptions::default();
    let mut fut = std::pin::pin!(fetch_aia(&leaf, &[], &chain.trust, &limits));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(aia) => {
            let reason = failure(&aia);
            assert!(reason.contains("inside a tokio runtime"), "{reason}");
            assert!(reason.contains("fetch_aia_blocking"), "{reason}");
        }
        std::task::Poll::Pending => panic!("fetch_aia outside a runtime should not wait"),
    }
}

#[test]
fn an_https_only_url_is_not_fetched_and_says_so() {
    let chain = Chain::new();
    let leaf = chain.leaf("https://ca.aia.invalid/issuer.der");
    let aia = fetch_aia_blocking(&leaf, &[], &chain.trust, &AiaOptions::default()).unwrap();
    let reason = failure(&aia);
    assert!(reason.contains("only http://"), "{reason}");
}
