//! An application whose own rustls uses the `ring` provider, embedding chainscope.
//!
//! It mints a CA and a leaf in memory with chainscope, serves them with a rustls server on
//! the ring provider (127.0.0.1, an ephemeral port), captures the chain with
//! `chainscope::fetch` — handing chainscope its ring provider — and verifies it for the
//! name in the target while dialling 127.0.0.1. Then it builds its own client with
//! `ClientConfig::builder()`, which takes rustls' process default: ring, the only provider
//! compiled in, because chainscope without default features does not turn on rustls'
//! `aws_lc_rs` feature. chainscope installs no process-wide provider (checked), and without
//! its `aws-lc-rs-provider` feature a fetch with no provider is an error, not a panic.
//!
//! Mode `builder` (default): as above. Mode `install`: the application first installs
//! ring as its process default explicitly (what an application with several providers
//! compiled in must do), then does the same.
//!
//! `cargo run -p chainscope-ring-app [-- builder|install]`; prints `ok` and exits 0. Built
//! together with the rest of the workspace (`cargo build --workspace`), cargo unifies the
//! CLI's default chainscope features and so rustls' aws-lc-rs into this binary as well; it
//! then says so and exits 1 (`cargo test -p chainscope-ring-app` builds it on its own).

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use chainscope::fetch::{fetch, verify_presented, FetchOptions, Target};
use chainscope::mint::{self, CaParams, Issuer, LeafParams};
use chainscope::{TrustStore, VerifyOptions};
use rustls::crypto::CryptoProvider;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const NAME: &str = "ring-app.test";

fn main() -> ExitCode {
    let install = match std::env::args().nth(1).as_deref() {
        None | Some("builder") => false,
        Some("install") => true,
        Some(other) => {
            eprintln!("ring-app: unknown mode `{other}` (builder, install)");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ring-app: runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(install)) {
        Ok(()) => {
            println!("ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ring-app: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(install: bool) -> Result<(), Box<dyn std::error::Error>> {
    let ring = Arc::new(rustls::crypto::ring::default_provider());

    // A CA and a leaf for NAME, minted in memory.
    let ca = mint::root_ca(&CaParams::new("Ring App Test Root CA"))?;
    let leaf = mint::leaf(&Issuer::from_minted(&ca)?, &LeafParams::for_dns([NAME]))?;
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(leaf.fullchain_pem().as_bytes())
            .collect::<Result<_, _>>()?;
    let key_pem = leaf.key_pem(None)?.ok_or("the leaf has no key")?;
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())?;

    // The application's rustls server, on ring.
    let server_config = rustls::ServerConfig::builder_with_provider(ring.clone())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let server = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let mut buf = [0u8; 4];
                    if tls.read_exact(&mut buf).await.is_ok() {
                        let _ = tls.write_all(b"pong").await;
                    }
                    let _ = tls.shutdown().await;
                }
            });
        }
    });

    // chainscope, handed the application's provider, dialling 127.0.0.1 for NAME.
    let mut options = FetchOptions::default();
    options.crypto_provider = Some(ring.clone());
    options.connect_to = Some("127.0.0.1".into());
    options.timeout = Duration::from_secs(10);
    let target = Target::parse(&format!("{NAME}:{port}"))?;
    let captured = fetch(&target, &options).await?;
    let root = CertificateDer::from_pem_slice(ca.cert_pem().as_bytes())?;
    let trust = TrustStore::from_certs(vec![root.clone()], "minted root");
    let report = verify_presented(&captured, &trust, &VerifyOptions::default());
    if !report.valid || report.host.as_deref() != Some(NAME) {
        return Err(format!("chainscope's verdict: {report:?}").into());
    }
    // Without a provider, chainscope (built without `aws-lc-rs-provider`) says so.
    options.crypto_provider = None;
    match fetch(&target, &options).await {
        Err(e) if e.code() == "invalid_option" && e.to_string().contains("crypto_provider") => {}
        Err(e) => return Err(format!("fetch without a provider: unexpected error {e}").into()),
        Ok(_) => {
            return Err(
                "fetch without a provider succeeded: chainscope was built with its \
                        aws-lc-rs-provider feature, unified from the rest of the workspace; \
                        build this application on its own (cargo test -p chainscope-ring-app)"
                    .into(),
            )
        }
    }
    if CryptoProvider::get_default().is_some() {
        return Err("chainscope installed a process-wide crypto provider".into());
    }

    // The application's own client, from `ClientConfig::builder()`.
    if install && CryptoProvider::install_default((*ring).clone()).is_err() {
        return Err("a process default was already installed".into());
    }
    let mut roots = rustls::RootCertStore::empty();
    roots.add(root)?;
    let client_config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client_config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let mut tls = tokio::time::timeout(
        Duration::from_secs(10),
        connector.connect(ServerName::try_from(NAME)?, tcp),
    )
    .await??;
    tls.write_all(b"ping").await?;
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), tls.read_to_end(&mut reply)).await??;
    server.abort();
    if reply != b"pong" {
        return Err(format!("unexpected reply {reply:?}").into());
    }
    Ok(())
}
