//! Test servers on loopback, reusable by every integration test: in-process rustls servers
//! serving any chain (also broken or hostile ones, optionally behind a STARTTLS preamble or
//! an HTTP CONNECT proxy), plain hostile servers, and an `openssl s_server` wrapper.
//!
//! Every server runs until its handle is dropped: dropping stops it (in-process servers
//! shut their runtime down; `openssl` is killed and reaped). Nothing outlives a test.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use rustls::server::ResolvesServerCert;
use rustls::sign::CertifiedKey;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub use crate::{fixture_path, fixtures, TempDir};

/// Certificates of a PEM file under `certs-fixtures/`, in file order.
pub fn fixture_certs(rel: &str) -> Vec<CertificateDer<'static>> {
    let path = fixtures().join(rel);
    CertificateDer::pem_file_iter(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The private key of a PEM file under `certs-fixtures/`.
pub fn fixture_key(rel: &str) -> PrivateKeyDer<'static> {
    let path = fixtures().join(rel);
    PrivateKeyDer::from_pem_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Serves exactly `certs` (any order, any content) with `key`, which need not match: the
/// chain is sent as given, like a misconfigured server would.
#[derive(Debug)]
struct FixedChain(Arc<CertifiedKey>);

impl ResolvesServerCert for FixedChain {
    fn resolve(&self, _hello: rustls::server::ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// How a rustls test server is configured.
#[derive(Debug, Clone)]
pub struct TlsOptions {
    /// TLS versions offered (default: 1.2 and 1.3).
    pub versions: Vec<&'static rustls::SupportedProtocolVersion>,
    /// ALPN protocols accepted.
    pub alpn: Vec<Vec<u8>>,
    /// Demand a client certificate issued by this CA (PEM path under certs-fixtures/).
    pub require_client_cert_from: Option<String>,
    /// OCSP response to staple.
    pub ocsp: Option<Vec<u8>>,
}

impl Default for TlsOptions {
    fn default() -> Self {
        TlsOptions {
            versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
            alpn: Vec::new(),
            require_client_cert_from: None,
            ocsp: None,
        }
    }
}

/// A rustls server configuration that sends `certs` exactly as given.
pub fn tls_config(
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    options: &TlsOptions,
) -> Arc<ServerConfig> {
    let signing = rustls::crypto::aws_lc_rs::sign::any_supported_type(&key).expect("signing key");
    let mut certified = CertifiedKey::new(certs, signing);
    certified.ocsp = options.ocsp.clone();
    let builder = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&options.versions)
        .expect("versions");
    let builder = match &options.require_client_cert_from {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            for c in fixture_certs(ca) {
                roots.add(c).expect("root");
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder.with_cert_resolver(Arc::new(FixedChain(Arc::new(certified))));
    config.alpn_protocols = options.alpn.clone();
    Arc::new(config)
}

/// A fixture directory's `chain.pem` + `leaf.key` as a rustls configuration.
pub fn fixture_config(dir: &str) -> Arc<ServerConfig> {
    tls_config(
        fixture_certs(&format!("{dir}/chain.pem")),
        fixture_key(&format!("{dir}/leaf.key")),
        &TlsOptions::default(),
    )
}

/// The plain-text protocol a STARTTLS test server speaks before handing over to TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preamble {
    /// SMTP: 220 greeting, EHLO → 250 STARTTLS, STARTTLS → 220.
    Smtp,
    /// SMTP that refuses: STARTTLS → `454 4.7.0 TLS not available due to temporary reason`.
    SmtpRefusing,
    /// IMAP: `* OK`, `tag STARTTLS` → `tag OK`.
    Imap,
    /// POP3: `+OK`, STLS → `+OK`.
    Pop3,
    /// FTP: 220, AUTH TLS → 234.
    Ftp,
    /// PostgreSQL: SSLRequest → `S`.
    Postgres,
    /// LDAP: StartTLS ExtendedRequest → ExtendedResponse success.
    Ldap,
    /// XMPP: stream header and features with `<starttls/>`, then `<proceed/>`.
    Xmpp,
}

/// What a test server does with each connection.
#[derive(Clone)]
pub enum Behaviour {
    /// TLS with this configuration.
    Tls(Arc<ServerConfig>),
    /// TLS, answering every HTTP request with `200 OK` and the body `ok` (for curl).
    Https(Arc<ServerConfig>),
    /// A STARTTLS preamble, then TLS.
    StartTls(Preamble, Arc<ServerConfig>),
    /// Accepts and never answers (holds the socket open until stopped).
    Silent,
    /// Accepts and closes at once.
    CloseAtOnce,
    /// Waits for the ClientHello, sends these bytes and closes.
    Reply(Vec<u8>),
    /// Sends these bytes one at a time, one every interval, without waiting for the client.
    Drip(Vec<u8>, Duration),
    /// An HTTP CONNECT proxy: tunnels to the requested address. `refuse` answers 403.
    ConnectProxy {
        /// Answer `403 Forbidden` instead of connecting.
        refuse: bool,
    },
    /// An HTTP CONNECT proxy that waits for the server's first bytes (a greeting) and sends
    /// them in the same segment as its `200`, as a proxy relaying a server that speaks
    /// first may do.
    EagerConnectProxy,
}

/// A running in-process server; dropping it stops it.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// `127.0.0.1:PORT`.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// Starts a server on `127.0.0.1` (an ephemeral port) doing `behaviour` for every
/// connection. It runs on a runtime of its own, so blocking and async tests can use it.
pub fn serve(behaviour: Behaviour) -> Server {
    serve_on("127.0.0.1:0", behaviour)
}

/// [`serve`] on a given address (`[::1]:0` for IPv6).
pub fn serve_on(bind: &str, behaviour: Behaviour) -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let listener = runtime
        .block_on(TcpListener::bind(bind))
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    runtime.spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                continue;
            };
            let behaviour = behaviour.clone();
            tokio::spawn(async move {
                let _ = handle(socket, behaviour).await;
            });
        }
    });
    Server {
        addr,
        runtime: Some(runtime),
    }
}

async fn handle(mut socket: TcpStream, behaviour: Behaviour) -> std::io::Result<()> {
    match behaviour {
        Behaviour::Tls(config) => tls(socket, config).await,
        Behaviour::Https(config) => https(socket, config).await,
        Behaviour::StartTls(preamble, config) => {
            if run_preamble(&mut socket, preamble).await? {
                tls(socket, config).await
            } else {
                Ok(())
            }
        }
        Behaviour::Silent => {
            // Hold the connection; the runtime's shutdown ends this.
            let mut sink = [0u8; 1024];
            while socket.read(&mut sink).await? > 0 {}
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }
        Behaviour::CloseAtOnce => {
            drop(socket);
            Ok(())
        }
        Behaviour::Reply(bytes) => {
            let mut hello = [0u8; 512];
            let _ = socket.read(&mut hello).await?;
            socket.write_all(&bytes).await?;
            socket.shutdown().await
        }
        Behaviour::Drip(bytes, every) => {
            for b in bytes {
                socket.write_all(&[b]).await?;
                tokio::time::sleep(every).await;
            }
            Ok(())
        }
        Behaviour::ConnectProxy { refuse } => proxy(socket, refuse, false).await,
        Behaviour::EagerConnectProxy => proxy(socket, false, true).await,
    }
}

async fn tls(socket: TcpStream, config: Arc<ServerConfig>) -> std::io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let mut stream = acceptor.accept(socket).await?;
    // Wait for the client's close_notify (or EOF), answering nothing.
    let mut buf = [0u8; 1024];
    while stream.read(&mut buf).await? > 0 {}
    Ok(())
}

async fn https(socket: TcpStream, config: Arc<ServerConfig>) -> std::io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let mut tls = acceptor.accept(socket).await?;
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut buf).await? {
            0 => break,
            n => request.extend_from_slice(&buf[..n]),
        }
    }
    if !request.is_empty() {
        tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            .await?;
    }
    tls.shutdown().await
}

/// One line, read byte by byte so no TLS byte is taken.
async fn line(socket: &mut TcpStream) -> std::io::Result<String> {
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    while socket.read(&mut b).await? == 1 {
        if b[0] == b'\n' {
            break;
        }
        out.push(b[0]);
    }
    Ok(String::from_utf8_lossy(&out).trim_end().to_string())
}

async fn read_until(socket: &mut TcpStream, needle: &str) -> std::io::Result<String> {
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    while socket.read(&mut b).await? == 1 {
        out.push(b[0]);
        if String::from_utf8_lossy(&out).contains(needle) {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Speaks the plain-text part; `Ok(true)` when TLS should start.
async fn run_preamble(s: &mut TcpStream, preamble: Preamble) -> std::io::Result<bool> {
    match preamble {
        Preamble::Smtp | Preamble::SmtpRefusing => {
            s.write_all(b"220 mail.chainscope.test ESMTP ready\r\n")
                .await?;
            let ehlo = line(s).await?;
            if !ehlo.to_ascii_uppercase().starts_with("EHLO ") {
                s.write_all(b"500 5.5.1 expected EHLO\r\n").await?;
                return Ok(false);
            }
            s.write_all(b"250-mail.chainscope.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                .await?;
            let cmd = line(s).await?;
            if cmd != "STARTTLS" {
                s.write_all(b"500 5.5.1 expected STARTTLS\r\n").await?;
                return Ok(false);
            }
            if preamble == Preamble::SmtpRefusing {
                s.write_all(b"454 4.7.0 TLS not available due to temporary reason\r\n")
                    .await?;
                return Ok(false);
            }
            s.write_all(b"220 2.0.0 Ready to start TLS\r\n").await?;
        }
        Preamble::Imap => {
            s.write_all(b"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n")
                .await?;
            let cmd = line(s).await?;
            let (tag, verb) = cmd.split_once(' ').unwrap_or(("*", ""));
            if !verb.eq_ignore_ascii_case("STARTTLS") {
                s.write_all(format!("{tag} BAD expected STARTTLS\r\n").as_bytes())
                    .await?;
                return Ok(false);
            }
            s.write_all(format!("{tag} OK Begin TLS negotiation now\r\n").as_bytes())
                .await?;
        }
        Preamble::Pop3 => {
            s.write_all(b"+OK POP3 server ready\r\n").await?;
            if line(s).await? != "STLS" {
                s.write_all(b"-ERR expected STLS\r\n").await?;
                return Ok(false);
            }
            s.write_all(b"+OK Begin TLS negotiation\r\n").await?;
        }
        Preamble::Ftp => {
            s.write_all(b"220-chainscope test FTP\r\n220 ready\r\n")
                .await?;
            if line(s).await? != "AUTH TLS" {
                s.write_all(b"500 expected AUTH TLS\r\n").await?;
                return Ok(false);
            }
            s.write_all(b"234 AUTH TLS successful\r\n").await?;
        }
        Preamble::Postgres => {
            let mut req = [0u8; 8];
            s.read_exact(&mut req).await?;
            if req != [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f] {
                return Ok(false);
            }
            s.write_all(b"S").await?;
        }
        Preamble::Ldap => {
            let mut header = [0u8; 2];
            s.read_exact(&mut header).await?;
            let mut body = vec![0u8; usize::from(header[1])];
            s.read_exact(&mut body).await?;
            let oid = b"1.3.6.1.4.1.1466.20037";
            if header[0] != 0x30 || !body.windows(oid.len()).any(|w| w == oid) {
                return Ok(false);
            }
            s.write_all(&[
                0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
            ])
            .await?;
        }
        Preamble::Xmpp => {
            let header = read_until(s, "version='1.0'>").await?;
            if !header.contains("jabber:client") {
                return Ok(false);
            }
            s.write_all(
                b"<?xml version='1.0'?><stream:stream from='chainscope.test' id='t1' version='1.0' \
                  xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>\
                  <stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>\
                  </stream:features>",
            )
            .await?;
            read_until(s, "/>").await?;
            s.write_all(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
                .await?;
        }
    }
    Ok(true)
}

async fn proxy(mut client: TcpStream, refuse: bool, eager: bool) -> std::io::Result<()> {
    let request = read_until(&mut client, "\r\n\r\n").await?;
    let target = request
        .strip_prefix("CONNECT ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_default()
        .to_string();
    if refuse || target.is_empty() {
        client
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            .await?;
        return Ok(());
    }
    let mut upstream = match TcpStream::connect(target.as_str()).await {
        Ok(u) => u,
        Err(_) => {
            client
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                .await?;
            return Ok(());
        }
    };
    let mut answer = b"HTTP/1.1 200 Connection established\r\n\r\n".to_vec();
    if eager {
        let mut greeting = [0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(5), upstream.read(&mut greeting))
            .await
            .map_err(|_| std::io::Error::other("the upstream server did not speak first"))??;
        answer.extend_from_slice(&greeting[..n]);
    }
    client.write_all(&answer).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// Deterministic pseudo-random bytes (xorshift), never starting like a TLS record.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect();
    if let Some(first) = out.first_mut() {
        if (0x14..=0x18).contains(first) {
            *first = 0x99;
        }
    }
    out
}

/// A running `openssl s_server`; dropping it kills and reaps the process.
pub struct OpenSslServer {
    /// Where it listens.
    pub addr: SocketAddr,
    child: Child,
}

impl OpenSslServer {
    /// Starts `openssl s_server -accept 127.0.0.1:0 <args>` (paths in `args` are
    /// used as given) and waits (at most 10 s) for its `ACCEPT` line.
    pub fn start(args: &[&str]) -> OpenSslServer {
        let mut child = Command::new("openssl")
            .arg("s_server")
            .args(["-accept", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("openssl s_server (install the openssl package)");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Keep draining so the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("ACCEPT ") {
                    let _ = tx.send(addr.trim().to_string());
                }
            }
        });
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || for _ in BufReader::new(stderr).lines() {});
        let addr = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("openssl s_server {args:?} did not start");
            }
        };
        OpenSslServer {
            addr: addr.parse().expect("ACCEPT address"),
            child,
        }
    }

    /// `127.0.0.1:PORT`.
    pub fn authority(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for OpenSslServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl(args: &[&str]) -> std::process::Output {
    let out = Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// An OCSP response for `<dir>/leaf.pem`, signed by `<dir>/inter.pem` (valid for 7 days
/// from now), written to `out_path` by `openssl ocsp`. `revoked` marks the leaf revoked.
pub fn make_ocsp_response(dir: &str, revoked: bool, scratch: &TempDir, out_path: &str) {
    let leaf = fixture_path(&format!("{dir}/leaf.pem"));
    let inter = fixture_path(&format!("{dir}/inter.pem"));
    let inter_key = fixture_path(&format!("{dir}/inter.key"));
    let serial = String::from_utf8(openssl(&["x509", "-in", &leaf, "-noout", "-serial"]).stdout)
        .expect("serial");
    let serial = serial.trim().trim_start_matches("serial=").to_string();
    let subject = String::from_utf8(
        openssl(&[
            "x509", "-in", &leaf, "-noout", "-subject", "-nameopt", "compat",
        ])
        .stdout,
    )
    .expect("subject");
    let subject = subject.trim().trim_start_matches("subject=").to_string();
    let status = if revoked {
        "R\t350601000000Z\t250615000000Z,keyCompromise"
    } else {
        "V\t350601000000Z\t"
    };
    let index = scratch.file("index.txt");
    std::fs::write(&index, format!("{status}\t{serial}\tunknown\t{subject}\n")).expect("index");
    let req = scratch.file("req.der");
    openssl(&[
        "ocsp",
        "-issuer",
        &inter,
        "-cert",
        &leaf,
        "-no_nonce",
        "-reqout",
        &req,
    ]);
    openssl(&[
        "ocsp", "-index", &index, "-rsigner", &inter, "-rkey", &inter_key, "-CA", &inter, "-reqin",
        &req, "-respout", out_path, "-ndays", "7",
    ]);
}
