//! The test-harness pattern: a CA minted in memory with `chainscope::mint`, a leaf it
//! signs served by a tokio-rustls server on 127.0.0.1, and chainscope fetching from it —
//! in-process, and through the probe program on both runtimes it supports.

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use chainscope::fetch::{fetch, verify_presented, FetchOptions, Target};
use chainscope::mint::{self, CaParams, Issuer, LeafParams};
use chainscope::{TrustStore, VerifyOptions};
use tokio::io::AsyncReadExt;

const NAME: &str = "probe.test";

/// The minted CA's certificate (DER) and a running server for a leaf of NAME.
struct Harness {
    root: rustls_pki_types::CertificateDer<'static>,
    root_pem: String,
    port: u16,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Harness {
    fn start() -> Harness {
        let ca = mint::root_ca(&CaParams::new("Probe Harness Root CA")).expect("mint CA");
        let leaf = mint::leaf(
            &Issuer::from_minted(&ca).expect("issuer"),
            &LeafParams::for_dns([NAME]),
        )
        .expect("mint leaf");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(leaf.full_chain(), leaf.private_key_der().expect("key"))
            .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        runtime.spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    if let Ok(mut tls) = acceptor.accept(tcp).await {
                        let mut buf = [0u8; 64];
                        while matches!(tls.read(&mut buf).await, Ok(n) if n > 0) {}
                    }
                });
            }
        });
        Harness {
            root: ca.cert.clone(),
            root_pem: ca.cert_pem(),
            port,
            runtime: Some(runtime),
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

#[test]
fn chainscope_fetches_and_verifies_a_server_of_an_in_memory_ca() {
    let harness = Harness::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let mut options = FetchOptions::default();
    options.connect_to = Some("127.0.0.1".into());
    let target = Target::parse(&format!("{NAME}:{}", harness.port)).unwrap();
    let chain = rt.block_on(fetch(&target, &options)).expect("capture");
    assert_eq!(
        chain.certs.len(),
        1,
        "a leaf signed by the root: no intermediates"
    );
    assert!(chain.key_possession_proven);
    let trust = TrustStore::from_certs(vec![harness.root.clone()], "minted");
    let report = verify_presented(&chain, &trust, &VerifyOptions::default());
    assert!(report.valid, "{report:?}");
    assert_eq!(report.host.as_deref(), Some(NAME));
    // Against the public roots the private CA's leaf is not valid.
    let report = verify_presented(&chain, &TrustStore::mozilla(), &VerifyOptions::default());
    assert!(!report.valid);
    assert!(report.error.is_some(), "{report:?}");
}

#[test]
fn a_rustls_client_trusting_the_minted_root_completes_the_handshake() {
    let harness = Harness::start();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(harness.root.clone())
        .expect("the minted root is an anchor");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let port = harness.port;
    let connect = |name: &'static str| {
        let connector = connector.clone();
        async move {
            let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
            let name = rustls_pki_types::ServerName::try_from(name).expect("name");
            connector.connect(name, tcp).await
        }
    };
    let bounded = |f| rt.block_on(async { tokio::time::timeout(Duration::from_secs(10), f).await });
    // The name the leaf was minted for: rustls verifies the chain and completes the handshake.
    let tls = bounded(connect(NAME))
        .expect("within 10 s")
        .expect("handshake");
    let (_, session) = tls.get_ref();
    assert_eq!(session.peer_certificates().map(<[_]>::len), Some(1));
    // Another name: rustls refuses the same server (the verification is real).
    let err = bounded(connect("other.test"))
        .expect("within 10 s")
        .unwrap_err();
    let refused = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    assert!(
        matches!(
            refused,
            Some(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName
                    | rustls::CertificateError::NotValidForNameContext { .. }
            ))
        ),
        "{err}"
    );
}

fn probe(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chainscope-probe"))
        .args(args)
        .output()
        .expect("run the probe");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_probe_runs_on_tokio_main_and_on_a_current_thread_runtime_without_timers() {
    let harness = Harness::start();
    let dir = std::env::temp_dir().join(format!("chainscope-probe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let roots = dir.join("root.pem");
    std::fs::write(&roots, &harness.root_pem).unwrap();
    let roots = roots.to_string_lossy().into_owned();
    let target = format!("{NAME}:{}", harness.port);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused = format!("127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);

    for mode in [None, Some("--current-thread")] {
        let mut args: Vec<&str> = mode.into_iter().collect();
        args.extend(["--roots", &roots, "--connect-to", "127.0.0.1", &target]);
        let (code, out, err) = probe(&args);
        assert_eq!(code, 0, "{mode:?}: {out}{err}");
        assert_eq!(
            out.trim(),
            format!("{target}: VALID for {NAME} (1 certificates, TLSv1.3)"),
            "{mode:?}"
        );
        // Dialled by address, the name checked is the address (no IP SAN: not valid); a
        // refused connection is reported and makes the exit code 2.
        let by_address = format!("127.0.0.1:{}", harness.port);
        let mut args: Vec<&str> = mode.into_iter().collect();
        args.extend(["--roots", &roots, &by_address, &refused]);
        let (code, out, _) = probe(&args);
        assert_eq!(code, 2, "{mode:?}: {out}");
        assert!(
            out.contains(&format!(
                "{by_address}: NOT VALID [hostname_mismatch] for 127.0.0.1"
            )),
            "{out}"
        );
        assert!(
            out.contains(&format!("{refused}: error [connection_refused]")),
            "{out}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
