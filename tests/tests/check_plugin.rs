//! `chainscope check`, the monitoring plugin: every status with servers the test starts
//! (`openssl s_server`, an in-process rustls server behind an SMTP STARTTLS preamble) and
//! certificates minted here with chosen lifetimes; the exact exit codes (0/1/2/3), status
//! lines and perfdata.
//!
//! Needs `openssl` on PATH (CI installs it); the tests fail without it.

use std::time::{SystemTime, UNIX_EPOCH};

use chainscope_tests::servers::{
    serve, tls_config, Behaviour, OpenSslServer, Preamble, Server, TlsOptions,
};
use chainscope_tests::{chainscope, chainscope_ok, CliRun, TempDir};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// A private PKI in a scratch directory: `root/` (10 years), `inter/` (5 years).
struct Pki {
    dir: TempDir,
}

impl Pki {
    fn new() -> Pki {
        Pki::named("Check Root")
    }

    fn named(root: &str) -> Pki {
        let dir = TempDir::new("check");
        chainscope_ok(&[
            "mint",
            "ca",
            "--name",
            root,
            "--days",
            "3650",
            "--out",
            &dir.join("root"),
        ]);
        chainscope_ok(&[
            "mint",
            "intermediate",
            "--ca",
            &dir.join("root"),
            "--name",
            "Check Intermediate",
            "--days",
            "1825",
            "--out",
            &dir.join("inter"),
        ]);
        Pki { dir }
    }

    fn root(&self) -> String {
        self.dir.join("root/cert.pem")
    }

    /// A leaf for localhost, 127.0.0.1 and proxy.hospital.local, valid `days` from five
    /// minutes ago (mint's default start); returns its directory.
    fn leaf(&self, name: &str, days: u32) -> String {
        let out = self.dir.join(name);
        chainscope_ok(&[
            "mint",
            "leaf",
            "--ca",
            &self.dir.join("inter"),
            "--dns",
            "localhost",
            "--dns",
            "proxy.hospital.local",
            "--ip",
            "127.0.0.1",
            "--days",
            &days.to_string(),
            "--out",
            &out,
        ]);
        out
    }
}

/// `openssl s_server` serving `leaf/cert.pem` with its intermediate.
fn openssl_server(leaf: &str) -> OpenSslServer {
    OpenSslServer::start(&[
        "-cert",
        &format!("{leaf}/cert.pem"),
        "-key",
        &format!("{leaf}/key.pem"),
        "-cert_chain",
        &format!("{leaf}/chain.pem"),
    ])
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// notAfter of the first certificate in a PEM file, Unix seconds.
fn not_after(pem: &str) -> i64 {
    let der = CertificateDer::from_pem_file(pem).unwrap();
    let (_, x) = x509_parser::parse_x509_certificate(der.as_ref()).unwrap();
    x.validity().not_after.timestamp()
}

/// The perfdata of the status line: label → (value, "warn;crit"), labels unquoted.
fn perfdata(run: &CliRun) -> Vec<(String, f64, String)> {
    let first = run.out.lines().next().unwrap_or_default();
    let Some((_, mut rest)) = first.split_once(" | ") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (label, after) = if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find("'=").expect("closing quote");
            (quoted[..end].replace("''", "'"), &quoted[end + 1..])
        } else {
            let end = rest.find('=').expect("label=value");
            (rest[..end].to_string(), &rest[end..])
        };
        let item = after.strip_prefix('=').expect("=");
        let (item, next) = item.split_once(' ').unwrap_or((item, ""));
        let (value, ranges) = item.split_once(';').unwrap_or((item, ""));
        out.push((label, value.parse().expect("number"), ranges.to_string()));
        rest = next;
    }
    out
}

/// Asserts the days value is what the certificate's notAfter says, to within the test's
/// own run time, and written with two decimals.
fn assert_days(value: f64, cert: &str) {
    let expected = (not_after(cert) - now()) as f64 / 86_400.0;
    assert!(
        (value - expected).abs() < 0.02,
        "days_left {value} but the certificate says {expected}"
    );
}

fn status_line(run: &CliRun) -> &str {
    run.out.lines().next().unwrap_or_default()
}

#[test]
fn ok_when_the_chain_verifies_and_nothing_expires_soon() {
    let pki = Pki::new();
    let leaf = pki.leaf("ok", 200);
    let server = openssl_server(&leaf);
    let target = server.authority();
    let run = chainscope(&["check", &target, "--roots", &pki.root()]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    let line = status_line(&run);
    assert!(
        line.starts_with(&format!(
            "CHAINSCOPE OK - {target}: chain valid for 127.0.0.1, leaf expires "
        )),
        "{line}"
    );
    let perf = perfdata(&run);
    let labels: Vec<&str> = perf.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        labels,
        ["days_left", "path_days_left", "handshake_ms"],
        "{line}"
    );
    assert_days(perf[0].1, &format!("{leaf}/cert.pem"));
    // The leaf is the soonest to expire on this path.
    assert_eq!(perf[0].1, perf[1].1);
    assert_eq!(perf[0].2, "30:;14:");
    assert_eq!(perf[1].2, "30:;14:");
    assert!(perf[2].1 > 0.0 && perf[2].1 < 10_000.0, "{line}");
    // The exact perfdata syntax: two decimals for days, one for milliseconds.
    let text = line.split_once(" | ").unwrap().1;
    let shape = text
        .split(' ')
        .map(|item| {
            item.chars()
                .map(|c| if c.is_ascii_digit() { '9' } else { c })
                .collect::<String>()
        })
        .collect::<Vec<_>>();
    assert_eq!(shape[0], "days_left=999.99;99:;99:", "{text}");
    assert!(
        shape[2].starts_with("handshake_ms=9") && shape[2].ends_with(".9"),
        "{text}"
    );
    // Details: the path, leaf first.
    assert!(
        run.out
            .lines()
            .nth(1)
            .unwrap_or_default()
            .starts_with("leaf CN="),
        "{}",
        run.out
    );
}

#[test]
fn warning_within_w_days_and_thresholds_follow_the_flags() {
    let pki = Pki::new();
    let leaf = pki.leaf("warn", 20);
    let server = openssl_server(&leaf);
    let target = server.authority();
    let run = chainscope(&["check", &target, "--roots", &pki.root()]);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    let line = status_line(&run);
    assert!(line.starts_with("CHAINSCOPE WARNING - "), "{line}");
    assert!(
        line.contains("leaf expires ") && line.contains("(19 days), warning below 30 days"),
        "{line}"
    );
    assert_days(perfdata(&run)[0].1, &format!("{leaf}/cert.pem"));

    // -w 10 -c 5: the same chain is OK, and the ranges in the perfdata follow.
    let run = chainscope(&[
        "check",
        &target,
        "--roots",
        &pki.root(),
        "-w",
        "10",
        "-c",
        "5",
    ]);
    assert_eq!(run.code, 0, "{}", run.out);
    assert_eq!(perfdata(&run)[0].2, "10:;5:");
    // --warning 40 --critical 20: CRITICAL.
    let run = chainscope(&[
        "check",
        &target,
        "--roots",
        &pki.root(),
        "--warning",
        "40",
        "--critical",
        "20",
    ]);
    assert_eq!(run.code, 2, "{}", run.out);
}

#[test]
fn critical_within_c_days() {
    let pki = Pki::new();
    let leaf = pki.leaf("crit", 10);
    let server = openssl_server(&leaf);
    let run = chainscope(&["check", &server.authority(), "--roots", &pki.root()]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    let line = status_line(&run);
    assert!(line.starts_with("CHAINSCOPE CRITICAL - "), "{line}");
    assert!(line.contains("(9 days), critical below 14 days"), "{line}");
}

#[test]
fn critical_when_the_chain_does_not_verify_with_the_cause_in_words() {
    let pki = Pki::new();
    let other = Pki::named("Other Root");
    let rekeyed = Pki::new();
    let leaf = pki.leaf("untrusted", 200);
    let server = openssl_server(&leaf);
    let target = server.authority();
    // Trusting another root: the presented chain leads nowhere.
    let run = chainscope(&["check", &target, "--roots", &other.root()]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    let line = status_line(&run);
    assert!(
        line.starts_with(&format!(
            "CHAINSCOPE CRITICAL - {target}: chain NOT valid for 127.0.0.1 [unknown_issuer]: "
        )) && line.contains("CN=Check Root"),
        "{line}"
    );
    // The expiry is still measured: it matters most for chains about to break.
    assert_days(perfdata(&run)[0].1, &format!("{leaf}/cert.pem"));

    // A root of the same name with another key: the intermediate's signature fails.
    let run = chainscope(&["check", &target, "--roots", &rekeyed.root()]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(
        status_line(&run).contains(
            "chain NOT valid for 127.0.0.1 [bad_signature]: the signature on cert 2 (CN=Check Intermediate)"
        ),
        "{}",
        run.out
    );

    // A name the leaf does not hold: the cause is the name.
    let run = chainscope(&[
        "check",
        &target,
        "--roots",
        &pki.root(),
        "--host",
        "other.example",
    ]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(
        status_line(&run).contains("chain NOT valid for other.example [hostname_mismatch]"),
        "{}",
        run.out
    );
}

#[test]
fn critical_for_an_expired_leaf() {
    let pki = Pki::new();
    let out = pki.dir.join("expired");
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &pki.dir.join("inter"),
        "--dns",
        "localhost",
        "--ip",
        "127.0.0.1",
        "--not-before",
        "2026-01-01T00:00:00Z",
        "--days",
        "30",
        "--out",
        &out,
    ]);
    let server = openssl_server(&out);
    let run = chainscope(&["check", &server.authority(), "--roots", &pki.root()]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    let line = status_line(&run);
    assert!(
        line.contains("chain NOT valid for 127.0.0.1 [expired]"),
        "{line}"
    );
    let days = perfdata(&run)[0].1;
    assert!(days < 0.0, "{line}");
    assert_days(days, &format!("{out}/cert.pem"));
}

#[test]
fn critical_when_nothing_listens() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let target = format!("127.0.0.1:{port}");
    let run = chainscope(&["check", &target, "--timeout", "5s"]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert_eq!(
        run.out,
        format!(
            "CHAINSCOPE CRITICAL - no chain obtained: {target}: connection refused (nothing listens on that port)\n"
        )
    );
}

#[test]
fn unknown_for_usage_errors_and_unreadable_inputs() {
    // No input at all: a clap usage error, exit 3 (not chainscope's usual 2).
    let run = chainscope(&["check"]);
    assert_eq!(run.code, 3, "{}{}", run.out, run.err);
    assert!(
        run.out.starts_with("CHAINSCOPE UNKNOWN - usage: "),
        "{}",
        run.out
    );
    assert_eq!(run.out.lines().count(), 1, "{}", run.out);
    let run = chainscope(&["check", "-w", "soon", "example.com"]);
    assert_eq!(run.code, 3, "{}", run.out);
    assert!(
        run.out.starts_with("CHAINSCOPE UNKNOWN - usage: "),
        "{}",
        run.out
    );
    let run = chainscope(&["check", "--no-such-flag", "example.com"]);
    assert_eq!(run.code, 3, "{}", run.out);
    // Unusable --roots: UNKNOWN naming it.
    let scratch = TempDir::new("check-unknown");
    let missing = scratch.join("missing-roots.pem");
    let run = chainscope(&["check", "example.com", "--roots", &missing]);
    assert_eq!(run.code, 3, "{}", run.out);
    assert!(run.out.starts_with("CHAINSCOPE UNKNOWN - "), "{}", run.out);
    assert!(run.out.contains("missing-roots.pem"), "{}", run.out);
    // A file that does not exist / holds no certificate: nothing was checked.
    let run = chainscope(&["check", &scratch.join("gone/fullchain.pem")]);
    assert_eq!(run.code, 3, "{}", run.out);
    assert!(run.out.starts_with("CHAINSCOPE UNKNOWN - "), "{}", run.out);
    assert!(run.out.contains("nothing checked"), "{}", run.out);
    let empty = scratch.join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let run = chainscope(&["check", &empty]);
    assert_eq!(run.code, 3, "{}", run.out);
    // A target that does not parse.
    let run = chainscope(&["check", "host:99999"]);
    assert_eq!(run.code, 3, "{}", run.out);
    // --help is not an error.
    let run = chainscope(&["check", "--help"]);
    assert_eq!(run.code, 0);
    assert!(run.out.contains("3  UNKNOWN"), "{}", run.out);
}

#[test]
fn starttls_smtp_target() {
    let pki = Pki::new();
    let leaf = pki.leaf("smtp", 200);
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{leaf}/fullchain.pem"))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{leaf}/key.pem")).unwrap();
    let server: Server = serve(Behaviour::StartTls(
        Preamble::Smtp,
        tls_config(certs, key, &TlsOptions::default()),
    ));
    // By URL scheme, and by flag.
    for args in [
        vec![format!("smtp://{}", server.authority())],
        vec!["--starttls".into(), "smtp".into(), server.authority()],
    ] {
        let mut argv = vec!["check".to_string()];
        argv.extend(args);
        argv.extend(["--roots".into(), pki.root()]);
        let run = chainscope(&argv);
        assert_eq!(run.code, 0, "{argv:?}: {}{}", run.out, run.err);
        assert!(
            status_line(&run).starts_with("CHAINSCOPE OK - "),
            "{}",
            run.out
        );
        let perf = perfdata(&run);
        assert_eq!(perf.len(), 3, "{}", run.out);
        assert_days(perf[0].1, &format!("{leaf}/cert.pem"));
    }
    // The same port without STARTTLS answers in plain text: CRITICAL.
    let run = chainscope(&["check", &server.authority(), "--roots", &pki.root()]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(
        status_line(&run).contains("no chain obtained"),
        "{}",
        run.out
    );
}

#[test]
fn connect_to_checks_the_name_while_dialling_the_address() {
    let pki = Pki::new();
    let leaf = pki.leaf("connect-to", 200);
    let server = openssl_server(&leaf);
    let target = format!("proxy.hospital.local:{}", server.addr.port());
    let run = chainscope(&[
        "check",
        &target,
        "--connect-to",
        "127.0.0.1",
        "--roots",
        &pki.root(),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(
        status_line(&run).starts_with(&format!(
            "CHAINSCOPE OK - {target}: chain valid for proxy.hospital.local"
        )),
        "{}",
        run.out
    );
}

#[test]
fn file_targets_have_no_handshake_and_check_the_name_given() {
    let pki = Pki::new();
    let leaf = pki.leaf("file", 20);
    let fullchain = format!("{leaf}/fullchain.pem");
    let run = chainscope(&[
        "check",
        &fullchain,
        "--roots",
        &pki.root(),
        "--host",
        "localhost",
    ]);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    let line = status_line(&run);
    assert!(
        line.starts_with(&format!(
            "CHAINSCOPE WARNING - {fullchain}: chain valid for localhost, leaf expires "
        )),
        "{line}"
    );
    let perf = perfdata(&run);
    let labels: Vec<&str> = perf.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(labels, ["days_left", "path_days_left"], "{line}");
    assert_days(perf[0].1, &format!("{leaf}/cert.pem"));
    // Without the intermediate the file does not verify.
    let run = chainscope(&["check", &format!("{leaf}/cert.pem"), "--roots", &pki.root()]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(
        // The cause names the issuer that is missing (the intermediate, not sent).
        status_line(&run).contains("chain NOT valid [")
            && status_line(&run).contains("CN=Check Intermediate"),
        "{}",
        run.out
    );
}

/// A chain whose intermediate expires before its leaf: the path's soonest expiry decides,
/// and the status line names the intermediate.
#[test]
fn the_soonest_expiry_on_the_path_decides() {
    let scratch = TempDir::new("check-soonest");
    let now = time::OffsetDateTime::now_utc();
    let ca = |cn: &str, days: i64| {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        p.not_before = now - time::Duration::days(1);
        p.not_after = now + time::Duration::days(days);
        p
    };
    let root_key = KeyPair::generate().unwrap();
    let root = ca("Soonest Root", 3650).self_signed(&root_key).unwrap();
    let root_issuer = Issuer::new(ca("Soonest Root", 3650), root_key);
    let inter_key = KeyPair::generate().unwrap();
    let inter = ca("Short Intermediate", 20)
        .signed_by(&inter_key, &root_issuer)
        .unwrap();
    let inter_issuer = Issuer::new(ca("Short Intermediate", 20), inter_key);
    let mut lp = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    lp.distinguished_name.push(DnType::CommonName, "localhost");
    lp.not_before = now - time::Duration::days(1);
    lp.not_after = now + time::Duration::days(90);
    lp.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = lp
        .signed_by(&KeyPair::generate().unwrap(), &inter_issuer)
        .unwrap();
    let chain = scratch.join("chain.pem");
    std::fs::write(&chain, format!("{}{}", leaf.pem(), inter.pem())).unwrap();
    let roots = scratch.join("root.pem");
    std::fs::write(&roots, root.pem()).unwrap();

    let run = chainscope(&["check", &chain, "--roots", &roots, "--host", "localhost"]);
    assert_eq!(run.code, 1, "{}{}", run.out, run.err);
    let line = status_line(&run);
    assert!(
        line.contains("chain valid for localhost, intermediate 'CN=Short Intermediate' expires "),
        "{line}"
    );
    let perf = perfdata(&run);
    assert!((perf[0].1 - 90.0).abs() < 0.01, "{line}");
    assert!((perf[1].1 - 20.0).abs() < 0.01, "{line}");
}

#[test]
fn several_inputs_the_worst_wins_one_line_each() {
    let pki = Pki::new();
    let ok = pki.leaf("several-ok", 200);
    let warn = pki.leaf("several-warn", 20);
    let server = openssl_server(&ok);
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let warn_file = format!("{warn}/fullchain.pem");
    let run = chainscope(&[
        "check",
        &server.authority(),
        &warn_file,
        &refused,
        "--roots",
        &pki.root(),
        "--timeout",
        "5s",
    ]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    let lines: Vec<&str> = run.out.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "CHAINSCOPE CRITICAL - 3 inputs: 1 CRITICAL, 1 WARNING, 1 OK; no chain obtained: {refused}: connection refused"
        )),
        "{}",
        run.out
    );
    assert!(
        lines[1].starts_with(&format!("OK - {}: chain valid", server.authority())),
        "{}",
        run.out
    );
    assert!(
        lines[2].starts_with(&format!("WARNING - {warn_file}: chain valid")),
        "{}",
        run.out
    );
    assert!(
        lines[3].starts_with("CRITICAL - no chain obtained"),
        "{}",
        run.out
    );
    // Perfdata labels name their input.
    let perf = perfdata(&run);
    assert_eq!(perf[0].0, format!("{} days_left", server.authority()));
    assert_eq!(perf[3].0, format!("{warn_file} days_left"));
    assert!(
        lines[0].contains(&format!(" | '{} days_left'=", server.authority())),
        "{}",
        lines[0]
    );

    // Without the refused one: WARNING.
    let run = chainscope(&[
        "check",
        &server.authority(),
        &warn_file,
        "--roots",
        &pki.root(),
    ]);
    assert_eq!(run.code, 1, "{}", run.out);
    assert!(
        run.out
            .starts_with("CHAINSCOPE WARNING - 2 inputs: 1 WARNING, 1 OK; "),
        "{}",
        run.out
    );
}

/// A subject made to forge plugin output (a `|`, a newline, an escape sequence) is
/// escaped: one status line, one perfdata separator.
#[test]
fn hostile_certificate_text_cannot_forge_plugin_output() {
    let scratch = TempDir::new("check-hostile");
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    p.distinguished_name.push(
        DnType::CommonName,
        "evil | days_left=999\nCHAINSCOPE OK - fine \u{1b}[2J",
    );
    let cert = p.self_signed(&key).unwrap();
    let file = scratch.join("hostile.pem");
    std::fs::write(&file, cert.pem()).unwrap();
    let run = chainscope(&["check", &file, "--roots", &file]);
    assert!(run.code == 0 || run.code == 2, "{}", run.out);
    let status_lines = run
        .out
        .lines()
        .filter(|l| l.starts_with("CHAINSCOPE"))
        .count();
    assert_eq!(status_lines, 1, "{}", run.out);
    assert_eq!(run.out.matches('|').count(), 1, "{}", run.out);
    assert!(!run.out.contains('\u{1b}'), "{}", run.out);
    assert!(
        run.out.contains("evil \\u{7c} days_left=999\\u{a}"),
        "{}",
        run.out
    );
}

#[test]
fn json_report_has_the_same_verdict() {
    let pki = Pki::new();
    let leaf = pki.leaf("json", 20);
    let fullchain = format!("{leaf}/fullchain.pem");
    let run = chainscope(&["check", &fullchain, "--roots", &pki.root(), "--json"]);
    assert_eq!(run.code, 1, "{}", run.out);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    assert_eq!(v["status"], "WARNING");
    assert_eq!(v["results"][0]["status"], "WARNING");
    assert_eq!(
        v["results"][0]["leaf"]["not_after"].as_i64().unwrap(),
        not_after(&format!("{leaf}/cert.pem"))
    );
}
