//! Minted certificates in real TLS: a rustls client against a rustls server, and nginx
//! checked by `openssl s_client`.
//!
//! `chainscope verify --host` / `verify --connect` checks are added once those commands
//! land (other areas).

use std::sync::Arc;
use std::time::Duration;

use chainscope_tests::mint::{
    chainscope_ok, mint_chain, openssl, openssl_signed_leaf, ScratchDir, KEY_TYPES,
};
use chainscope_tests::nginx::Nginx;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn certs(path: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(path)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Serves `fullchain.pem` + `key.pem` from `leaf` on loopback with rustls, connects with a
/// rustls client trusting only `ca.pem`, and exchanges one message. Returns the error text
/// of a failed handshake.
async fn rustls_round_trip(leaf: &str, host: &str) -> Result<(), String> {
    let chain = certs(&format!("{leaf}/fullchain.pem"));
    let key = PrivateKeyDer::from_pem_file(format!("{leaf}/key.pem")).map_err(|e| e.to_string())?;
    // Explicit providers: the workspace also builds rustls with `ring` (the ring-app
    // example), and with two providers compiled in `builder()` has no default to take.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let server_config = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("server versions: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| format!("server config: {e}"))?;
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.map_err(|e| e.to_string())?;
        let mut tls = acceptor.accept(tcp).await.map_err(|e| e.to_string())?;
        let mut buf = [0u8; 4];
        tls.read_exact(&mut buf).await.map_err(|e| e.to_string())?;
        tls.write_all(b"pong").await.map_err(|e| e.to_string())?;
        tls.shutdown().await.map_err(|e| e.to_string())?;
        Ok::<_, String>(())
    });

    let mut roots = rustls::RootCertStore::empty();
    for c in certs(&format!("{leaf}/ca.pem")) {
        roots.add(c).unwrap();
    }
    let client_config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("client versions: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client_config));
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = ServerName::try_from(host.to_owned()).unwrap();
    let client = async {
        let mut tls = connector
            .connect(name, tcp)
            .await
            .map_err(|e| e.to_string())?;
        tls.write_all(b"ping").await.map_err(|e| e.to_string())?;
        let mut buf = Vec::new();
        tls.read_to_end(&mut buf).await.map_err(|e| e.to_string())?;
        if buf != b"pong" {
            return Err(format!("unexpected reply {buf:?}"));
        }
        Ok(())
    };
    let result = tokio::time::timeout(Duration::from_secs(10), client)
        .await
        .map_err(|_| "client timed out".to_owned())?;
    server.abort();
    result
}

#[tokio::test]
async fn rustls_client_completes_a_handshake_with_every_key_type() {
    for kt in KEY_TYPES {
        let dir = ScratchDir::new(&format!("rustls-{kt}"));
        mint_chain(&dir, kt);
        let leaf = dir.join("leaf");
        for host in ["proxy.hospital.local", "127.0.0.1"] {
            rustls_round_trip(&leaf, host)
                .await
                .unwrap_or_else(|e| panic!("{kt} {host}: {e}"));
        }
    }
}

#[tokio::test]
async fn rustls_client_rejects_a_name_the_leaf_does_not_carry() {
    let dir = ScratchDir::new("rustls-wrong-name");
    mint_chain(&dir, "ecdsa-p256");
    let err = rustls_round_trip(&dir.join("leaf"), "other.hospital.local")
        .await
        .expect_err("a name not in the SAN must be refused");
    assert!(
        err.contains("NotValidForName") || err.contains("not valid for name"),
        "{err}"
    );
}

fn s_client(port: u16, ca: &str, host: &str) -> (bool, String) {
    let connect = format!("127.0.0.1:{port}");
    // -brief ends after the handshake because stdin is closed.
    let o = openssl(&[
        "s_client",
        "-connect",
        &connect,
        "-servername",
        host,
        "-verify_return_error",
        "-CAfile",
        ca,
        "-verify_hostname",
        host,
        "-brief",
    ]);
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    (o.status.success(), text)
}

#[test]
fn nginx_serves_a_minted_leaf_that_openssl_s_client_verifies() {
    for kt in ["ecdsa-p256", "ed25519", "rsa-2048"] {
        let dir = ScratchDir::new(&format!("nginx-{kt}"));
        mint_chain(&dir, kt);
        let nginx = Nginx::start(
            dir.join("leaf/fullchain.pem").as_ref(),
            dir.join("leaf/key.pem").as_ref(),
        )
        .expect("nginx starts (apt-get install -y nginx-light)");
        let ca = dir.join("leaf/ca.pem");
        let (ok, text) = s_client(nginx.port, &ca, "proxy.hospital.local");
        assert!(ok, "{kt}: {text}");
        assert!(text.contains("Verification: OK"), "{kt}: {text}");
        // The same server fails for a name it does not carry, and against another root.
        let (ok, text) = s_client(nginx.port, &ca, "other.hospital.local");
        assert!(!ok, "{kt}: wrong name accepted: {text}");
        let (ok, text) = s_client(
            nginx.port,
            &dir.join("inter/cert.pem"),
            "proxy.hospital.local",
        );
        assert!(
            !ok,
            "{kt}: trusting only the intermediate must not verify: {text}"
        );
    }
}

#[test]
fn nginx_loads_an_encrypted_minted_key_with_ssl_password_file() {
    let dir = ScratchDir::new("nginx-encrypted");
    let pass = dir.join("key.pass");
    std::fs::write(&pass, "nginx passphrase\n").unwrap();
    chainscope_ok(&["mint", "ca", "--name", "Root", "--out", &dir.join("root")]);
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &dir.join("root"),
        "--dns",
        "localhost",
        "--encrypt-key",
        "--passphrase-file",
        &pass,
        "--out",
        &dir.join("leaf"),
    ]);
    let nginx = Nginx::start_with(
        dir.join("leaf/fullchain.pem").as_ref(),
        dir.join("leaf/key.pem").as_ref(),
        &format!("ssl_password_file {pass};"),
    )
    .expect("nginx starts (apt-get install -y nginx-light)");
    let (ok, text) = s_client(nginx.port, &dir.join("leaf/ca.pem"), "localhost");
    assert!(ok && text.contains("Verification: OK"), "{text}");
}

#[tokio::test]
async fn rustls_honours_the_name_constraints_of_a_minted_ca() {
    let dir = ScratchDir::new("rustls-nc");
    let root = dir.join("root");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Hospital Root",
        "--permit-dns",
        ".hospital.local",
        "--permit-ip",
        "10.0.0.0/8",
        "--permit-ip",
        "127.0.0.0/8",
        "--out",
        &root,
    ]);
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &root,
        "--dns",
        "proxy.hospital.local",
        "--ip",
        "127.0.0.1",
        "--out",
        &dir.join("inside"),
    ]);
    rustls_round_trip(&dir.join("inside"), "proxy.hospital.local")
        .await
        .expect("a leaf inside the permitted names must be accepted");
    // `mint leaf` refuses a name outside the constraints; OpenSSL signs it anyway.
    openssl_signed_leaf(
        &root,
        &dir.join("outside"),
        "www.example.com",
        "DNS:www.example.com",
    );
    let err = rustls_round_trip(&dir.join("outside"), "www.example.com")
        .await
        .expect_err("a leaf outside the permitted names must be refused");
    assert!(err.contains("NameConstraintViolation"), "{err}");
}
