//! `chainscope mint renew --from DIR --ca CA_DIR [--days N] [--reuse-key]`: the same
//! subject, names, key type and extended key usage; a new serial, validity and (unless
//! `--reuse-key`) key; the previous set kept; refused when the CA no longer permits the
//! names; and nginx serves the renewed set after a reload.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chainscope::key::{KeyMatch, PrivateKeyInfo};
use chainscope_tests::mint::{
    chainscope, chainscope_ok, listing, mint_ca, mint_intermediate, mint_leaf, openssl, openssl_ok,
    ScratchDir,
};
use chainscope_tests::nginx;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use x509_parser::prelude::{FromDer, X509Certificate};

fn cert_der(path: &Path) -> Vec<u8> {
    CertificateDer::from_pem_file(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_vec()
}

/// What renew must keep, and what it must change, of a certificate.
#[derive(Debug, PartialEq)]
struct Kept {
    subject: Vec<u8>,
    sans: Vec<String>,
    eku: String,
    key_algorithm: String,
    key_params: Option<Vec<u8>>,
    key_bits: usize,
}

struct Fresh {
    serial: Vec<u8>,
    not_before: i64,
    not_after: i64,
    spki: Vec<u8>,
}

fn inspect(der: &[u8]) -> (Kept, Fresh) {
    let (_, c) = X509Certificate::from_der(der).unwrap();
    let sans = c
        .subject_alternative_name()
        .unwrap()
        .map(|s| {
            s.value
                .general_names
                .iter()
                .map(|n| n.to_string())
                .collect()
        })
        .unwrap_or_default();
    let eku = format!("{:?}", c.extended_key_usage().unwrap().map(|e| e.value));
    let spki = c.public_key();
    (
        Kept {
            subject: c.subject().as_raw().to_vec(),
            sans,
            eku,
            key_algorithm: spki.algorithm.algorithm.to_id_string(),
            key_params: spki.algorithm.parameters.as_ref().map(|p| p.data.to_vec()),
            key_bits: spki.parsed().map(|k| k.key_size()).unwrap_or(0),
        },
        Fresh {
            serial: c.raw_serial().to_vec(),
            not_before: c.validity().not_before.timestamp(),
            not_after: c.validity().not_after.timestamp(),
            spki: spki.raw.to_vec(),
        },
    )
}

fn key_matches(dir: &Path) -> bool {
    let key = PrivateKeyInfo::load_path(&dir.join("key.pem")).unwrap();
    key.matches(&CertificateDer::from(cert_der(&dir.join("cert.pem")))) == KeyMatch::Matches
}

fn prev_sets(dir: &Path) -> Vec<PathBuf> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    listing(dir.parent().unwrap())
        .into_iter()
        .filter(|n| n.starts_with(&format!("{name}.prev-")))
        .map(|n| dir.parent().unwrap().join(n))
        .collect()
}

/// A root CA named `name` in `<dir>/<name>`.
fn ca(dir: &ScratchDir, name: &str, extra: &[&str]) -> String {
    mint_ca(&dir.join(name), name, extra)
}

#[test]
fn renew_keeps_names_key_type_and_usage_and_renews_serial_dates_and_key() {
    let dir = ScratchDir::new("renew");
    let root = ca(&dir, "Renew Root", &[]);
    let inter = mint_intermediate(&root, &dir.join("inter"), "Renew Issuing CA", &[]);
    for (kt, usage) in [("rsa-2048", "--server"), ("ecdsa-p384", "--client")] {
        let leaf = dir.path().join(format!("leaf-{kt}"));
        let leaf_s = leaf.display().to_string();
        // An old certificate: 30 days from 2026-01-01, long expired.
        mint_leaf(
            &inter,
            "proxy.hospital.test",
            &leaf_s,
            &[
                "--dns",
                "*.wards.hospital.test",
                "--ip",
                "10.1.2.3",
                "--email",
                "ops@hospital.test",
                usage,
                "--key-type",
                kt,
                "--not-before",
                "2026-01-01T00:00:00Z",
                "--days",
                "30",
            ],
        );
        let old_cert = cert_der(&leaf.join("cert.pem"));
        let old_key = std::fs::read(leaf.join("key.pem")).unwrap();
        let run = chainscope_ok(&["mint", "renew", "--from", &leaf_s, "--ca", &inter, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();

        let new_cert = cert_der(&leaf.join("cert.pem"));
        let (old_kept, old_fresh) = inspect(&old_cert);
        let (new_kept, new_fresh) = inspect(&new_cert);
        assert_eq!(
            new_kept, old_kept,
            "{kt}: subject, names, usage, key type kept"
        );
        assert_eq!(new_kept.sans.len(), 4, "{kt}: {:?}", new_kept.sans);
        assert_ne!(new_fresh.serial, old_fresh.serial, "{kt}: serial");
        assert!(
            new_fresh.not_before > old_fresh.not_after,
            "{kt}: new validity"
        );
        // The default lifetime is the old one (30 days).
        assert_eq!(
            new_fresh.not_after - new_fresh.not_before,
            30 * 86_400,
            "{kt}"
        );
        assert_ne!(new_fresh.spki, old_fresh.spki, "{kt}: a new key");
        assert_ne!(std::fs::read(leaf.join("key.pem")).unwrap(), old_key);
        assert!(key_matches(&leaf), "{kt}: key.pem belongs to cert.pem");

        // The report says what changed.
        assert_eq!(v["key_type"], kt);
        assert_eq!(v["key_reused"], false);
        assert_eq!(
            v["serial"]["old"],
            old_fresh
                .serial
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":")
        );
        assert_ne!(v["serial"]["old"], v["serial"]["new"]);
        assert_eq!(v["not_before"]["old"], "2026-01-01T00:00:00Z");
        assert_ne!(v["key_fingerprint"]["old"], v["key_fingerprint"]["new"]);
        let reload = v["reload"].to_string();
        assert!(reload.contains("nginx -s reload"), "{reload}");

        // openssl verifies the new leaf with the CA.
        openssl_ok(&[
            "verify",
            "-CAfile",
            &leaf.join("ca.pem").display().to_string(),
            "-untrusted",
            &leaf.join("chain.pem").display().to_string(),
            "-purpose",
            if usage == "--server" {
                "sslserver"
            } else {
                "sslclient"
            },
            &leaf.join("cert.pem").display().to_string(),
        ]);

        // The old set is kept, complete.
        let prev = prev_sets(&leaf);
        assert_eq!(prev.len(), 1, "{kt}");
        assert_eq!(cert_der(&prev[0].join("cert.pem")), old_cert);
        assert_eq!(std::fs::read(prev[0].join("key.pem")).unwrap(), old_key);
        assert_eq!(
            v["previous"].as_str().map(PathBuf::from),
            Some(prev[0].clone())
        );
    }
}

#[test]
fn reuse_key_keeps_the_key_and_text_output_shows_the_changes() {
    let dir = ScratchDir::new("renew-reuse");
    let root = ca(&dir, "Reuse Root", &[]);
    let leaf = dir.join("leaf");
    mint_leaf(
        &root,
        "proxy.hospital.test",
        &leaf,
        &["--key-type", "ed25519"],
    );
    let old = inspect(&cert_der(Path::new(&format!("{leaf}/cert.pem"))));
    let run = chainscope_ok(&[
        "mint",
        "renew",
        "--from",
        &leaf,
        "--ca",
        &root,
        "--reuse-key",
        "--days",
        "7",
    ]);
    let new = inspect(&cert_der(Path::new(&format!("{leaf}/cert.pem"))));
    assert_eq!(new.0, old.0);
    assert_eq!(new.1.spki, old.1.spki, "--reuse-key keeps the key");
    assert_ne!(new.1.serial, old.1.serial);
    assert_eq!(new.1.not_after - new.1.not_before, 7 * 86_400);
    assert!(key_matches(Path::new(&leaf)));
    for needle in [
        "Renewed",
        "key kept",
        "serial",
        "(unchanged)",
        "previous set kept in",
        "nginx -t && nginx -s reload",
    ] {
        assert!(run.out.contains(needle), "no {needle:?} in:\n{}", run.out);
    }
}

#[test]
fn renew_is_refused_when_the_ca_no_longer_permits_the_names() {
    let dir = ScratchDir::new("renew-refused");
    let old_ca = ca(&dir, "Old Root", &[]);
    let leaf = dir.join("leaf");
    mint_leaf(&old_ca, "proxy.example.internal", &leaf, &[]);
    let before: Vec<(String, Vec<u8>)> = listing(Path::new(&leaf))
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(Path::new(&leaf).join(&n)).unwrap();
            (n, bytes)
        })
        .collect();
    let new_ca = ca(
        &dir,
        "Constrained Root",
        &["--permit-dns", ".hospital.test"],
    );
    let run = chainscope(&["mint", "renew", "--from", &leaf, "--ca", &new_ca]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(
        run.err.starts_with("chainscope: ")
            && run.err.contains("DNS:proxy.example.internal")
            && run.err.contains("permitted subtrees")
            && run.err.contains("Constrained Root"),
        "{}",
        run.err
    );
    // Nothing changed: the same files, no kept set.
    let after: Vec<(String, Vec<u8>)> = listing(Path::new(&leaf))
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(Path::new(&leaf).join(&n)).unwrap();
            (n, bytes)
        })
        .collect();
    assert_eq!(after, before);
    assert!(prev_sets(Path::new(&leaf)).is_empty());

    // A CA directory is not a leaf to renew.
    let run = chainscope(&["mint", "renew", "--from", &old_ca, "--ca", &old_ca]);
    assert_eq!(run.code, 2);
    assert!(run.err.contains("a CA certificate"), "{}", run.err);
}

/// The leaf certificate nginx serves on `port`, as DER (via `openssl s_client`).
fn served_leaf(port: u16) -> Vec<u8> {
    let o = openssl(&[
        "s_client",
        "-connect",
        &format!("127.0.0.1:{port}"),
        "-servername",
        "proxy.hospital.test",
    ]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let start = text.find("-----BEGIN CERTIFICATE-----").unwrap_or_else(|| {
        panic!(
            "no certificate from nginx: {text}{}",
            String::from_utf8_lossy(&o.stderr)
        )
    });
    CertificateDer::from_pem_slice(&text.as_bytes()[start..])
        .unwrap()
        .to_vec()
}

/// nginx with a master process, as in production: reloading (`nginx -s reload`) needs one
/// (with `master_process off`, as `chainscope_tests::nginx` runs it, nginx 1.22 loses TLS
/// on its listener when reconfigured). Stopped with `nginx -s stop` when dropped, so no
/// worker outlives the test.
struct MasterNginx {
    child: std::process::Child,
    conf: PathBuf,
    prefix: PathBuf,
    port: u16,
    _dir: ScratchDir,
}

impl MasterNginx {
    fn start(cert: &Path, key: &Path) -> MasterNginx {
        let dir = ScratchDir::new("renew-nginx-prefix");
        let prefix = dir.path().to_path_buf();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let p = prefix.display();
        let conf = prefix.join("nginx.conf");
        std::fs::write(
            &conf,
            format!(
                r#"daemon off;
master_process on;
worker_processes 1;
pid {p}/nginx.pid;
error_log {p}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {p}/client_body;
    proxy_temp_path {p}/proxy;
    fastcgi_temp_path {p}/fastcgi;
    uwsgi_temp_path {p}/uwsgi;
    scgi_temp_path {p}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{ return 200 "ok\n"; }}
    }}
}}
"#,
                cert = cert.display(),
                key = key.display()
            ),
        )
        .unwrap();
        let child = Command::new("nginx")
            .arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(prefix.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut nginx = MasterNginx {
            child,
            conf,
            prefix,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = nginx.child.try_wait().unwrap() {
                panic!("nginx exited with {status}: {}", nginx.log());
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not listen within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    fn signal(&self, what: &str) -> bool {
        Command::new("nginx")
            .arg("-p")
            .arg(&self.prefix)
            .arg("-c")
            .arg(&self.conf)
            .args(["-s", what])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.prefix.join("error.log")).unwrap_or_default()
    }
}

impl Drop for MasterNginx {
    fn drop(&mut self) {
        self.signal("stop");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn nginx_serves_the_renewed_set_after_a_reload() {
    nginx::require();
    let dir = ScratchDir::new("renew-nginx");
    let root = ca(&dir, "Nginx Root", &[]);
    let leaf = dir.path().join("proxy");
    let leaf_s = leaf.display().to_string();
    mint_leaf(&root, "proxy.hospital.test", &leaf_s, &[]);
    // nginx reads the paths an operator configures: inside the set's directory.
    let server = MasterNginx::start(&leaf.join("fullchain.pem"), &leaf.join("key.pem"));
    let old = cert_der(&leaf.join("cert.pem"));
    assert_eq!(served_leaf(server.port), old);

    let run = chainscope_ok(&["mint", "renew", "--from", &leaf_s, "--ca", &root]);
    let new = cert_der(&leaf.join("cert.pem"));
    assert_ne!(new, old);
    // Until the reload nginx keeps serving the old set from memory.
    assert_eq!(served_leaf(server.port), old);
    assert!(run.out.contains("nginx -s reload"), "{}", run.out);
    assert!(
        server.signal("reload"),
        "nginx -s reload failed: {}",
        server.log()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let served = served_leaf(server.port);
        if served == new {
            break;
        }
        assert_eq!(served, old, "nginx serves neither the old nor the new leaf");
        assert!(
            Instant::now() < deadline,
            "nginx still serves the old leaf 10 s after the reload: {}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_signed_set_without_key_pem_renews_only_for_the_same_key() {
    let dir = ScratchDir::new("renew-signed");
    let root = ca(&dir, "Sign Root", &[]);
    let out = dir.join("device");
    let csr = chainscope_tests::fixture_path("csr/request.pem");
    chainscope_ok(&[
        "mint",
        "sign",
        "--ca",
        &root,
        "--csr",
        &csr,
        "--dns",
        "device.hospital.local",
        "--ip",
        "10.1.2.3",
        "--out",
        &out,
    ]);
    let old = inspect(&cert_der(Path::new(&format!("{out}/cert.pem"))));
    let run = chainscope(&["mint", "renew", "--from", &out, "--ca", &root]);
    assert_eq!(run.code, 2);
    assert!(
        run.err.contains("no key.pem") && run.err.contains("--reuse-key"),
        "{}",
        run.err
    );
    chainscope_ok(&[
        "mint",
        "renew",
        "--from",
        &out,
        "--ca",
        &root,
        "--reuse-key",
    ]);
    let new = inspect(&cert_der(Path::new(&format!("{out}/cert.pem"))));
    assert_eq!(new.0, old.0);
    assert_eq!(new.1.spki, old.1.spki);
    assert_ne!(new.1.serial, old.1.serial);
    // Still the device's key: the fixture's private key matches the renewed certificate.
    let key = PrivateKeyInfo::load_path(&chainscope_tests::fixture("csr/request.key")).unwrap();
    let cert = CertificateDer::from(cert_der(Path::new(&format!("{out}/cert.pem"))));
    assert_eq!(key.matches(&cert), KeyMatch::Matches);
    assert_eq!(
        listing(Path::new(&out)),
        ["ca.pem", "cert.pem", "fullchain.pem"]
    );
}

#[test]
fn an_encrypted_key_stays_encrypted_with_the_same_passphrase() {
    let dir = ScratchDir::new("renew-encrypted");
    let root = ca(&dir, "Enc Root", &[]);
    let pass = dir.join("pass.txt");
    std::fs::write(&pass, "correct horse battery staple\n").unwrap();
    let leaf = dir.join("leaf");
    mint_leaf(
        &root,
        "proxy.hospital.test",
        &leaf,
        &["--encrypt-key", "--passphrase-file", &pass],
    );
    for reuse in [false, true] {
        let before = inspect(&cert_der(Path::new(&format!("{leaf}/cert.pem"))));
        let mut args = vec![
            "mint",
            "renew",
            "--from",
            &leaf,
            "--ca",
            &root,
            "--passphrase-file",
            &pass,
        ];
        if reuse {
            args.push("--reuse-key");
        }
        chainscope_ok(&args);
        let key = std::fs::read_to_string(format!("{leaf}/key.pem")).unwrap();
        assert!(
            key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            "reuse={reuse}"
        );
        // openssl opens it with the same passphrase, and it belongs to the new certificate.
        let pub_key = openssl_ok(&[
            "pkey",
            "-in",
            &format!("{leaf}/key.pem"),
            "-passin",
            &format!("file:{pass}"),
            "-pubout",
        ]);
        let cert_pub = openssl_ok(&[
            "x509",
            "-in",
            &format!("{leaf}/cert.pem"),
            "-noout",
            "-pubkey",
        ]);
        assert_eq!(pub_key.trim(), cert_pub.trim(), "reuse={reuse}");
        let after = inspect(&cert_der(Path::new(&format!("{leaf}/cert.pem"))));
        assert_eq!(after.1.spki == before.1.spki, reuse, "reuse={reuse}");
    }
}
