//! The real verifiers, run on every corpus chain with the same roots, intermediates, host
//! name and validation time.
//!
//! | verifier | client family | how it is run |
//! |---|---|---|
//! | `openssl verify` | `openssl` | `-CAfile roots -untrusted <presented intermediates> -purpose sslserver -verify_hostname/-verify_ip -attime T -auth_level 2` |
//! | `openssl verify -x509_strict -partial_chain` | `openssl-strict` | the same plus the two flags |
//! | Python `ssl`, default flags | `openssl` | an in-memory TLS handshake, `create_default_context(cafile=roots)` |
//! | Python `ssl`, `VERIFY_X509_STRICT \| VERIFY_X509_PARTIAL_CHAIN` | `openssl-strict` | the same with the flags Python ≥ 3.13 sets by default |
//! | `certtool --verify` | `gnutls` | `--verify-profile low` (the profile of GnuTLS's NORMAL priority string) `--verify-hostname --verify-purpose serverAuth` |
//! | Go `crypto/x509` | `go` | `Certificate.Verify` with Roots, Intermediates, DNSName, CurrentTime T |
//! | rustls `WebPkiServerVerifier` | `rustls` | in-process, aws-lc-rs algorithms, time T |
//!
//! `-auth_level 2` gives `openssl verify` the security level a TLS client applies to the
//! chain (Python ≥ 3.10 sets `@SECLEVEL=2`; OpenSSL ≥ 3.2 defaults to it); the command
//! alone applies none. Python and certtool cannot take a validation time: the corpus
//! windows are days wide around T, which is the time the corpus was built.
//!
//! A verifier that is not installed makes the run panic: the differential test fails,
//! it never passes on fewer verifiers.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::corpus::BuiltCase;

/// A real verifier of the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verifier {
    /// `openssl verify` with the security level of a TLS client.
    OpensslCli,
    /// `openssl verify -x509_strict -partial_chain`.
    OpensslCliStrict,
    /// Python `ssl` with its default verify flags.
    PythonDefault,
    /// Python `ssl` with `VERIFY_X509_STRICT | VERIFY_X509_PARTIAL_CHAIN`.
    PythonStrict,
    /// `certtool --verify` (GnuTLS).
    Gnutls,
    /// Go `crypto/x509` `Verify`.
    Go,
    /// rustls's own `WebPkiServerVerifier` (rustls-webpki, aws-lc-rs algorithms), in-process.
    Rustls,
}

impl Verifier {
    /// Every verifier, in report order.
    pub const ALL: [Verifier; 7] = [
        Verifier::Rustls,
        Verifier::OpensslCli,
        Verifier::PythonDefault,
        Verifier::OpensslCliStrict,
        Verifier::PythonStrict,
        Verifier::Gnutls,
        Verifier::Go,
    ];

    /// How the verifier is named in reports.
    pub fn name(self) -> &'static str {
        match self {
            Verifier::OpensslCli => "openssl verify",
            Verifier::OpensslCliStrict => "openssl verify -x509_strict -partial_chain",
            Verifier::PythonDefault => "python3 ssl (default flags)",
            Verifier::PythonStrict => "python3 ssl (X509_STRICT|PARTIAL_CHAIN)",
            Verifier::Gnutls => "certtool --verify",
            Verifier::Go => "go crypto/x509",
            Verifier::Rustls => "rustls WebPkiServerVerifier",
        }
    }

    /// The chainscope client id whose prediction this verifier checks.
    pub fn client(self) -> &'static str {
        match self {
            Verifier::OpensslCli | Verifier::PythonDefault => "openssl",
            Verifier::OpensslCliStrict | Verifier::PythonStrict => "openssl-strict",
            Verifier::Gnutls => "gnutls",
            Verifier::Go => "go",
            Verifier::Rustls => "rustls",
        }
    }
}

/// What one verifier said about one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `Some(true)` accepted, `Some(false)` rejected, `None`: the harness could not get a
    /// verdict (a bug of the harness, reported as a failure).
    pub accepts: Option<bool>,
    /// The verifier's own words: error number and text, or "ok".
    pub detail: String,
}

/// Outcomes by (case id, verifier).
pub type Outcomes = BTreeMap<(String, Verifier), Outcome>;

/// Outcomes as a batch runner returns them.
type Answers = Vec<((String, Verifier), Outcome)>;

/// Versions of the real verifiers, for the report.
#[derive(Debug, Clone, Default)]
pub struct Versions {
    /// `openssl version`.
    pub openssl: String,
    /// Python, its OpenSSL and the default context's security level and flags.
    pub python: String,
    /// `certtool --version`, first line.
    pub gnutls: String,
    /// `go version`.
    pub go: String,
}

/// The security level given to `openssl verify` (see the module docs).
pub const OPENSSL_AUTH_LEVEL: &str = "2";

fn tool_output(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!("`{program}` is needed by the client differential test and cannot run: {e}")
        });
    assert!(
        out.status.success(),
        "`{program} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().next().unwrap_or_default().trim().to_owned()
}

/// Checks that every real verifier is installed and returns their versions.
pub fn versions() -> Versions {
    Versions {
        openssl: tool_output("openssl", &["version"]),
        python: String::new(),
        gnutls: tool_output("certtool", &["--version"]),
        go: tool_output("go", &["version"]),
    }
}

/// Runs every verifier on every case; `work` is a scratch directory (the Go program is
/// built there), `at` the validation time in Unix seconds.
pub fn run_all(cases: &[BuiltCase], at: i64, work: &Path) -> (Outcomes, Versions) {
    let mut versions = versions();
    let outcomes = Mutex::new(Outcomes::new());

    std::thread::scope(|scope| {
        let go = scope.spawn(|| run_go(cases, at, work));
        let python = scope.spawn(|| run_python(cases, work));
        run_per_case(cases, at, &outcomes);
        let rustls: Answers = cases
            .iter()
            .map(|c| ((c.id.clone(), Verifier::Rustls), rustls_verify(c, at)))
            .collect();
        let go = go.join().expect("go runner");
        let (python, meta) = python.join().expect("python runner");
        let mut all = outcomes.lock().expect("outcomes");
        all.extend(go);
        all.extend(rustls);
        all.extend(python);
        versions.python = meta;
    });
    (outcomes.into_inner().expect("outcomes"), versions)
}

/// openssl (two modes) and certtool: one process per chain, on a few threads.
fn run_per_case(cases: &[BuiltCase], at: i64, outcomes: &Mutex<Outcomes>) {
    let jobs: Vec<(usize, Verifier)> = (0..cases.len())
        .flat_map(|i| {
            [
                Verifier::OpensslCli,
                Verifier::OpensslCliStrict,
                Verifier::Gnutls,
            ]
            .map(|v| (i, v))
        })
        .collect();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(i, verifier)) = jobs.get(n) else {
                    break;
                };
                let case = &cases[i];
                let outcome = match verifier {
                    Verifier::Gnutls => certtool(case),
                    strict => openssl_verify(case, at, strict == Verifier::OpensslCliStrict),
                };
                outcomes
                    .lock()
                    .expect("outcomes")
                    .insert((case.id.clone(), verifier), outcome);
            });
        }
    });
}

fn openssl_verify(case: &BuiltCase, at: i64, strict: bool) -> Outcome {
    let mut cmd = Command::new("openssl");
    cmd.arg("verify")
        .arg("-CAfile")
        .arg(case.dir.join("roots.pem"))
        .args(["-purpose", "sslserver", "-auth_level", OPENSSL_AUTH_LEVEL])
        .arg("-attime")
        .arg(at.to_string());
    if case.host.parse::<std::net::IpAddr>().is_ok() {
        cmd.arg("-verify_ip").arg(&case.host);
    } else {
        cmd.arg("-verify_hostname").arg(&case.host);
    }
    if strict {
        cmd.args(["-x509_strict", "-partial_chain"]);
    }
    if case.has_untrusted {
        cmd.arg("-untrusted").arg(case.dir.join("untrusted.pem"));
    }
    cmd.arg(case.dir.join("leaf.pem"));
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .expect("`openssl` is needed by the client differential test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() && stdout.trim_end().ends_with(": OK") {
        return Outcome {
            accepts: Some(true),
            detail: "ok".into(),
        };
    }
    // "error 10 at 0 depth lookup: certificate has expired"
    let detail = stderr.lines().chain(stdout.lines()).find_map(|l| {
        let rest = l.split_once("error ")?.1;
        let (code, rest) = rest.split_once(" at ")?;
        let (depth, rest) = rest.split_once(" depth lookup: ")?;
        code.parse::<u32>().ok()?;
        Some(format!("{code} at depth {depth}: {rest}"))
    });
    match detail {
        Some(detail) => Outcome {
            accepts: Some(false),
            detail,
        },
        None => Outcome {
            accepts: None,
            detail: format!("harness: unexpected openssl output: {stdout} {stderr}"),
        },
    }
}

fn certtool(case: &BuiltCase) -> Outcome {
    let mut cmd = Command::new("certtool");
    cmd.args(["--verify", "--verify-profile", "low"])
        .arg("--load-ca-certificate")
        .arg(case.dir.join("roots.pem"))
        .arg("--infile")
        .arg(case.dir.join("chain.pem"))
        .arg("--verify-hostname")
        .arg(&case.host)
        .args(["--verify-purpose", "1.3.6.1.5.5.7.3.1"]);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .expect("`certtool` (gnutls-bin) is needed by the client differential test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let verdict = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("Chain verification output: "))
        .map(|v| v.trim().to_owned());
    match verdict {
        Some(v) if v.starts_with("Verified.") && out.status.success() => Outcome {
            accepts: Some(true),
            detail: "ok".into(),
        },
        Some(v) if v.starts_with("Not verified.") => Outcome {
            accepts: Some(false),
            detail: v
                .trim_start_matches("Not verified. The certificate is NOT trusted. ")
                .to_owned(),
        },
        // A certificate GnuTLS cannot even import: a GnuTLS client fails the handshake.
        _ if stderr.contains("error parsing CRTs") => Outcome {
            accepts: Some(false),
            detail: stderr
                .lines()
                .find(|l| l.contains("error parsing CRTs"))
                .unwrap_or_default()
                .trim()
                .to_owned(),
        },
        _ => Outcome {
            accepts: None,
            detail: format!(
                "harness: unexpected certtool output: {} {}",
                stdout.trim(),
                stderr.trim()
            ),
        },
    }
}

/// What a rustls client decides: its `WebPkiServerVerifier` over the roots (parsed as
/// `RootCertStore::add_parsable_certificates` does), with the aws-lc-rs provider.
fn rustls_verify(case: &BuiltCase, at: i64) -> Outcome {
    use rustls::client::danger::ServerCertVerifier as _;
    use rustls::client::WebPkiServerVerifier;
    use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(case.roots.iter().map(|d| CertificateDer::from(d.clone())));
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = match WebPkiServerVerifier::builder_with_provider(roots.into(), provider).build()
    {
        Ok(v) => v,
        Err(e) => {
            return Outcome {
                accepts: Some(false),
                detail: format!("no usable trust anchor: {e}"),
            }
        }
    };
    let leaf = CertificateDer::from(case.presented[0].clone());
    let intermediates: Vec<CertificateDer<'_>> = case.presented[1..]
        .iter()
        .map(|d| CertificateDer::from(d.clone()))
        .collect();
    let name = ServerName::try_from(case.host.clone()).expect("a valid server name");
    let now = UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        u64::try_from(at).expect("time after 1970"),
    ));
    if let Err(e) = verifier.verify_server_cert(&leaf, &intermediates, &name, &[], now) {
        return Outcome {
            accepts: Some(false),
            detail: format!("{e:?}"),
        };
    }
    handshake_signature(case)
}

/// The step of a TLS 1.3 handshake after the chain: the client verifies the server's
/// CertificateVerify signature with the leaf key, looking the scheme up in its provider
/// exactly as `rustls::crypto::verify_tls13_signature` does. The signature is made by
/// `openssl dgst` with the leaf key, with the scheme a server picks for that key.
fn handshake_signature(case: &BuiltCase) -> Outcome {
    use rustls::SignatureScheme;
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let leaf = rustls_pki_types::CertificateDer::from(case.presented[0].clone());
    let Ok(cert) = webpki::EndEntityCert::try_from(&leaf) else {
        return Outcome {
            accepts: Some(false),
            detail: "the leaf does not parse for the handshake".into(),
        };
    };
    let key = std::fs::read_to_string(case.dir.join("leaf.key")).expect("leaf.key");
    let (scheme, args): (SignatureScheme, &[&str]) = if key_is_rsa(&case.dir.join("leaf.key")) {
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[
                "-sha256",
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:digest",
            ],
        )
    } else if key.contains("BEGIN PRIVATE KEY") && leaf_curve_is_p384(&case.presented[0]) {
        (SignatureScheme::ECDSA_NISTP384_SHA384, &["-sha384"])
    } else {
        (SignatureScheme::ECDSA_NISTP256_SHA256, &["-sha256"])
    };
    let msg = b"chainscope differential test: TLS 1.3 CertificateVerify content";
    let msg_file = case.dir.join("handshake.msg");
    std::fs::write(&msg_file, msg).expect("message");
    let out = Command::new("openssl")
        .arg("dgst")
        .args(args)
        .arg("-sign")
        .arg(case.dir.join("leaf.key"))
        .arg(&msg_file)
        .output()
        .expect("openssl");
    assert!(
        out.status.success(),
        "openssl could not sign with the leaf key"
    );
    let algs = provider
        .signature_verification_algorithms
        .mapping
        .iter()
        .find(|(s, _)| *s == scheme)
        .map(|(_, algs)| *algs)
        .unwrap_or_default();
    if algs
        .iter()
        .any(|alg| cert.verify_signature(*alg, msg, &out.stdout).is_ok())
    {
        Outcome {
            accepts: Some(true),
            detail: "ok".into(),
        }
    } else {
        Outcome {
            accepts: Some(false),
            detail: format!(
                "the handshake signature ({scheme:?}) does not verify with the leaf key"
            ),
        }
    }
}

fn key_is_rsa(key: &Path) -> bool {
    let out = Command::new("openssl")
        .args(["pkey", "-noout", "-text", "-in"])
        .arg(key)
        .output()
        .expect("openssl");
    String::from_utf8_lossy(&out.stdout).contains("modulus")
}

fn leaf_curve_is_p384(der: &[u8]) -> bool {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, c)| {
            c.public_key()
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| oid.to_id_string() == "1.3.132.0.34")
                .unwrap_or(false)
        })
        .unwrap_or(false)
}

/// Builds the Go verifier into `work` and runs it once over every case.
fn run_go(cases: &[BuiltCase], at: i64, work: &Path) -> Answers {
    let dir = work.join("go-verifier");
    std::fs::create_dir_all(&dir).expect("go dir");
    let src = dir.join("main.go");
    std::fs::write(&src, include_str!("verify.go")).expect("write main.go");
    let bin = dir.join("verify");
    // A cache next to cargo's target, so later runs do not rebuild the standard library.
    let cache = go_cache_dir();
    let built = Command::new("go")
        .arg("build")
        .arg("-o")
        .arg(&bin)
        .arg(&src)
        .current_dir(&dir)
        .env("GOCACHE", &cache)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("CGO_ENABLED", "0")
        .output()
        .expect("`go` (golang-go) is needed by the client differential test");
    assert!(
        built.status.success(),
        "go build of the verifier failed: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let input: String = cases
        .iter()
        .map(|c| format!("{}\t{}\t{}\t{at}\n", c.id, c.dir.display(), c.host))
        .collect();
    let lines = run_with_input(Command::new(&bin), &input, "go verifier");
    let mut out = Vec::new();
    for line in lines.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("go verifier JSON");
        let id = v["id"].as_str().expect("id").to_owned();
        out.push((
            (id, Verifier::Go),
            Outcome {
                accepts: v["accepts"].as_bool(),
                detail: v["detail"].as_str().unwrap_or_default().to_owned(),
            },
        ));
    }
    assert_eq!(
        out.len(),
        cases.len(),
        "the go verifier answered every case"
    );
    out
}

fn go_cache_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("go-build-cache");
    std::fs::create_dir_all(&dir).expect("go cache dir");
    dir
}

/// Runs the Python verifier once over every case (both modes).
fn run_python(cases: &[BuiltCase], work: &Path) -> (Answers, String) {
    let script = work.join("verify.py");
    std::fs::write(&script, include_str!("verify.py")).expect("write verify.py");
    let input: String = cases
        .iter()
        .map(|c| format!("{}\t{}\t{}\n", c.id, c.dir.display(), c.host))
        .collect();
    let mut cmd = Command::new("python3");
    cmd.arg(&script);
    let text = run_with_input(cmd, &input, "python3 verifier");
    let mut out = Vec::new();
    let mut meta = String::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("python verifier JSON");
        if let Some(m) = v.get("meta") {
            meta = format!(
                "Python {} with {} (security level {}, verify_flags {:#x}, hostname_checks_common_name {})",
                m["python"].as_str().unwrap_or("?"),
                m["openssl"].as_str().unwrap_or("?"),
                m["security_level"],
                m["verify_flags"].as_u64().unwrap_or(0),
                m["hostname_checks_common_name"],
            );
            continue;
        }
        let id = v["id"].as_str().expect("id").to_owned();
        let verifier = match v["mode"].as_str() {
            Some("default") => Verifier::PythonDefault,
            _ => Verifier::PythonStrict,
        };
        out.push((
            (id, verifier),
            Outcome {
                accepts: v["accepts"].as_bool(),
                detail: v["detail"].as_str().unwrap_or_default().to_owned(),
            },
        ));
    }
    assert_eq!(
        out.len(),
        2 * cases.len(),
        "python answered every case twice"
    );
    (out, meta)
}

fn run_with_input(mut cmd: Command, input: &str, what: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what} cannot start: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("verifier output");
    writer.join().expect("stdin writer");
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}
