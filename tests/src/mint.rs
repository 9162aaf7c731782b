//! Helpers for the `mint` tests: scratch directories, running the CLI in-process, running
//! `openssl`, and an nginx on a loopback port.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The scratch directory of the mint tests: the crate's one [`TempDir`](crate::TempDir).
pub use crate::TempDir as ScratchDir;
pub use crate::{chainscope, chainscope_ok, CliRun};

/// Runs `openssl ARGS…` (stdin closed) and returns its output.
pub fn openssl(args: &[&str]) -> Output {
    Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("openssl must be installed to run the mint tests")
}

/// `openssl ARGS…`, panicking with its output unless it succeeds; returns stdout+stderr.
pub fn openssl_ok(args: &[&str]) -> String {
    let o = openssl(args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "openssl {args:?} failed:\n{text}");
    text
}

/// `openssl ARGS…` fed `input` on stdin; panics with its stderr unless it succeeds (and
/// when openssl is missing, so a test needing it fails); returns stdout.
pub fn openssl_with_input(args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("this test needs the openssl command line (apt-get install openssl)");
    let mut stdin = child.stdin.take().expect("openssl's stdin");
    stdin.write_all(input).expect("openssl's stdin");
    drop(stdin);
    let out = child.wait_with_output().expect("openssl");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A new RSA private key of exactly `bits` bits, PKCS#8 PEM, made by `openssl genpkey`:
/// rcgen makes only 2048-, 3072- and 4096-bit RSA keys.
pub fn openssl_rsa_key_pem(bits: u32) -> String {
    let bits = format!("rsa_keygen_bits:{bits}");
    let pem = openssl_with_input(&["genpkey", "-algorithm", "RSA", "-pkeyopt", &bits], &[]);
    String::from_utf8(pem).expect("PEM is ASCII")
}

/// Names of files in a directory, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every `--key-type` name.
pub const KEY_TYPES: [&str; 6] = [
    "ecdsa-p256",
    "ecdsa-p384",
    "ed25519",
    "rsa-2048",
    "rsa-3072",
    "rsa-4096",
];

/// `mint ca --name NAME EXTRA… --out OUT`, which must succeed; returns `out`.
pub fn mint_ca(out: &str, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["mint", "ca", "--name", name, "--out", out];
    args.extend_from_slice(extra);
    chainscope_ok(&args);
    out.to_owned()
}

/// `mint intermediate --ca CA --name NAME EXTRA… --out OUT`, which must succeed; returns
/// `out`.
pub fn mint_intermediate(ca: &str, out: &str, name: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "mint",
        "intermediate",
        "--ca",
        ca,
        "--name",
        name,
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    chainscope_ok(&args);
    out.to_owned()
}

/// `mint leaf --ca CA --dns DNS EXTRA… --out OUT`, which must succeed; returns the run.
pub fn mint_leaf(ca: &str, dns: &str, out: &str, extra: &[&str]) -> CliRun {
    let mut args = vec!["mint", "leaf", "--ca", ca, "--dns", dns, "--out", out];
    args.extend_from_slice(extra);
    chainscope_ok(&args)
}

/// Mints `root/` (a root CA), `inter/` (an intermediate) and `leaf/` (a server leaf for
/// `proxy.hospital.local`, `localhost`, 10.1.2.3 and 127.0.0.1) in `dir`, all with `key_type`.
pub fn mint_chain(dir: &ScratchDir, key_type: &str) {
    let key = ["--key-type", key_type];
    let root = mint_ca(&dir.join("root"), "Test Root CA", &key);
    let inter = mint_intermediate(&root, &dir.join("inter"), "Test Intermediate CA", &key);
    mint_leaf(
        &inter,
        "proxy.hospital.local",
        &dir.join("leaf"),
        &[
            "--dns",
            "localhost",
            "--ip",
            "10.1.2.3",
            "--ip",
            "127.0.0.1",
            "--key-type",
            key_type,
        ],
    );
}

/// Signs a server leaf (CN `cn`, or an empty subject; subjectAltName `san` in OpenSSL's
/// syntax) with the root CA in directory `ca` (`cert.pem`, `key.pem`) using `openssl x509
/// -req`, which applies no name constraints: for certificates `mint` refuses to make. Writes
/// `out/{key,cert,fullchain,ca}.pem` as `mint leaf` would and returns the certificate's
/// path.
pub fn openssl_signed_leaf(ca: &str, out: &str, cn: &str, san: &str) -> String {
    std::fs::create_dir_all(out).unwrap();
    let key = format!("{out}/key.pem");
    let csr = format!("{out}/req.csr");
    let cert = format!("{out}/cert.pem");
    let ext = format!("{out}/ext.cnf");
    let subj = if cn.is_empty() {
        "/".to_owned()
    } else {
        format!("/CN={}", cn.replace('/', "\\/"))
    };
    openssl_ok(&[
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &key,
        "-out",
        &csr,
        "-subj",
        &subj,
    ]);
    std::fs::write(
        &ext,
        format!(
            "basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n\
             extendedKeyUsage = serverAuth\nsubjectAltName = {}{san}\n",
            if cn.is_empty() { "critical," } else { "" }
        ),
    )
    .unwrap();
    openssl_ok(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &format!("{ca}/cert.pem"),
        "-CAkey",
        &format!("{ca}/key.pem"),
        "-CAcreateserial",
        "-days",
        "10",
        "-extfile",
        &ext,
        "-out",
        &cert,
    ]);
    std::fs::copy(&cert, format!("{out}/fullchain.pem")).unwrap();
    std::fs::copy(format!("{ca}/cert.pem"), format!("{out}/ca.pem")).unwrap();
    cert
}

/// rcgen parameters of a CA named `cn` (a CN only): unconstrained, keyCertSign and cRLSign,
/// valid 2025-01-01 to 2040-01-01. For certificates made in memory, without the CLI.
pub fn ca_params(cn: &str) -> rcgen::CertificateParams {
    let mut p = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(rcgen::DnType::CommonName, cn);
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    p
}

/// The authorityInfoAccess extension with one caIssuers URI (`url` shorter than 100 bytes).
pub fn ca_issuers_extension(url: &str) -> rcgen::CustomExtension {
    let oid = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
    let short = |n: usize| u8::try_from(n).expect("a caIssuers URL shorter than 100 bytes");
    let mut uri = vec![0x86, short(url.len())];
    uri.extend_from_slice(url.as_bytes());
    let mut ad = vec![0x30, short(oid.len() + uri.len())];
    ad.extend_from_slice(&oid);
    ad.extend_from_slice(&uri);
    let mut seq = vec![0x30, short(ad.len())];
    seq.extend_from_slice(&ad);
    rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], seq)
}
