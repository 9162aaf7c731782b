//! The hospital proxy, end to end: a private CA minted by chainscope (with name
//! constraints), nginx on loopback serving what was minted, and chainscope's verdict
//! compared with the real clients' — curl (OpenSSL), Python's `ssl` (OpenSSL) and
//! gnutls-cli (GnuTLS) — against the same server, each holding only the root.
//!
//! Every tool is required: a missing one fails the test (CI installs curl, python3,
//! gnutls-bin and nginx-light).

use std::process::{Command, Stdio};

use chainscope_tests::mint::{chainscope, chainscope_ok, ScratchDir};
use chainscope_tests::nginx::Nginx;

/// A client's verdict: whether the handshake verified, whether a refusal was a
/// certificate verification failure (not a crash, a timeout or a usage error), and what it
/// printed.
struct Verdict {
    accepted: bool,
    verify_failure: bool,
    text: String,
}

fn run(cmd: &mut Command, what: &str) -> Verdict {
    let o = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what} must be installed to run this test: {e}"));
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    Verdict {
        accepted: o.status.success(),
        // curl exit 60, Python's CERTIFICATE_VERIFY_FAILED, GnuTLS's "NOT trusted" /
        // hostname mismatch.
        verify_failure: o.status.code() == Some(60)
            || text.contains("CERTIFICATE_VERIFY_FAILED")
            || text.contains("certificate is NOT trusted")
            || text.contains("does not match the expected name")
            || text.contains("Verify failed"),
        text,
    }
}

/// curl to `https://HOST:PORT/` with HOST resolved to 127.0.0.1 (`--resolve`, as before DNS
/// is switched), trusting only `ca`.
fn curl(ca: &str, host: &str, port: u16) -> Verdict {
    let url_host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    let mut cmd = Command::new("curl");
    cmd.args([
        "--silent",
        "--show-error",
        "--max-time",
        "10",
        "--cacert",
        ca,
    ]);
    if host.parse::<std::net::IpAddr>().is_err() {
        cmd.args(["--resolve", &format!("{host}:{port}:127.0.0.1")]);
    }
    cmd.arg(format!("https://{url_host}:{port}/"));
    let v = run(&mut cmd, "curl");
    // The upstream behind nginx answers "ok": a verified handshake that reached it.
    Verdict {
        accepted: v.accepted && v.text.contains("ok"),
        ..v
    }
}

/// Python's `ssl` with `create_default_context(cafile=ca)`, connecting to 127.0.0.1 and
/// checking `host`.
fn python(ca: &str, host: &str, port: u16) -> Verdict {
    const SCRIPT: &str = r#"
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
with socket.create_connection(("127.0.0.1", int(sys.argv[3])), timeout=10) as s:
    with ctx.wrap_socket(s, server_hostname=sys.argv[2]) as t:
        print("verified", t.version())
"#;
    run(
        Command::new("python3").args(["-c", SCRIPT, ca, host, &port.to_string()]),
        "python3",
    )
}

/// gnutls-cli connecting to 127.0.0.1, sending `host` as SNI and verifying it.
fn gnutls(ca: &str, host: &str, port: u16) -> Verdict {
    run(
        Command::new("timeout").args([
            "20",
            "gnutls-cli",
            "--x509cafile",
            ca,
            "--port",
            &port.to_string(),
            "--sni-hostname",
            host,
            "--verify-hostname",
            host,
            "127.0.0.1",
        ]),
        "gnutls-cli (gnutls-bin)",
    )
}

/// chainscope's verdict the way curl `--resolve` is asked, before DNS is switched:
/// `verify --connect HOST:PORT --connect-to 127.0.0.1 --roots CA`, no `--host` — the name
/// checked (and sent as SNI) is the target's, not the address dialled.
fn chainscope_connect_to(ca: &str, host: &str, port: u16) -> Verdict {
    let target = format!("{host}:{port}");
    let r = chainscope(&[
        "verify",
        "--connect",
        &target,
        "--connect-to",
        "127.0.0.1",
        "--roots",
        ca,
    ]);
    assert!(
        r.code == 0 || r.code == 1,
        "verify failed to run: {}{}",
        r.out,
        r.err
    );
    if r.code == 0 {
        assert!(r.out.contains(host), "the verdict names {host}: {}", r.out);
    }
    Verdict {
        accepted: r.code == 0,
        verify_failure: r.code == 1,
        text: r.out + &r.err,
    }
}

/// chainscope's verdict: `verify --connect 127.0.0.1:PORT --host HOST --roots CA`.
fn chainscope_verify(ca: &str, host: &str, port: u16) -> Verdict {
    let target = format!("127.0.0.1:{port}");
    let r = chainscope(&[
        "verify",
        "--connect",
        &target,
        "--host",
        host,
        "--roots",
        ca,
    ]);
    assert!(
        r.code == 0 || r.code == 1,
        "verify failed to run: {}{}",
        r.out,
        r.err
    );
    Verdict {
        accepted: r.code == 0,
        verify_failure: r.code == 1,
        text: r.out + &r.err,
    }
}

/// Asserts that chainscope and every real client reach `expected` for `host`.
fn all_agree(ca: &str, host: &str, port: u16, expected: bool) {
    let mut verdicts = vec![
        (
            "chainscope verify --connect",
            chainscope_verify(ca, host, port),
        ),
        ("curl", curl(ca, host, port)),
        ("python ssl", python(ca, host, port)),
        ("gnutls-cli", gnutls(ca, host, port)),
    ];
    if host.parse::<std::net::IpAddr>().is_err() {
        verdicts.push((
            "chainscope verify --connect NAME --connect-to",
            chainscope_connect_to(ca, host, port),
        ));
    }
    for (who, v) in &verdicts {
        assert_eq!(
            v.accepted,
            expected,
            "{who} for {host}: expected {}, got:\n{}",
            if expected { "accept" } else { "reject" },
            v.text
        );
        if !expected {
            assert!(
                v.verify_failure,
                "{who} for {host} failed, but not on the certificate:\n{}",
                v.text
            );
        }
    }
}

/// Mints a constrained root, an intermediate and a leaf with `leaf_names` in `dir`.
fn mint_hospital(dir: &ScratchDir, leaf_names: &[&str]) -> (String, String) {
    let (root, inter, leaf) = (dir.join("root"), dir.join("inter"), dir.join("proxy"));
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Example Hospital Root CA",
        "--permit-dns",
        ".hospital.test",
        "--permit-ip",
        "127.0.0.0/8",
        "--out",
        &root,
    ]);
    chainscope_ok(&[
        "mint",
        "intermediate",
        "--ca",
        &root,
        "--name",
        "Example Hospital Proxies CA",
        "--out",
        &inter,
    ]);
    let mut args = vec!["mint", "leaf", "--ca", &inter];
    args.extend_from_slice(leaf_names);
    args.extend(["--out", &leaf]);
    chainscope_ok(&args);
    (root, leaf)
}

#[test]
fn minted_constrained_chain_behind_nginx_is_accepted_by_chainscope_and_every_client() {
    let dir = ScratchDir::new("hospital-ok");
    let (root, leaf) = mint_hospital(&dir, &["--dns", "proxy.hospital.test", "--ip", "127.0.0.1"]);
    let nginx = Nginx::start(
        format!("{leaf}/fullchain.pem").as_ref(),
        format!("{leaf}/key.pem").as_ref(),
    )
    .expect("nginx starts (apt-get install -y nginx-light)");
    let ca = format!("{root}/cert.pem");
    all_agree(&ca, "proxy.hospital.test", nginx.port, true);
    all_agree(&ca, "127.0.0.1", nginx.port, true);
    // A name the leaf does not carry: everyone rejects.
    all_agree(&ca, "other.hospital.test", nginx.port, false);
}

#[test]
fn ip_only_leaf_under_dns_constraints_is_accepted_by_every_client() {
    // OpenSSL (curl, Python) and GnuTLS check a leaf's CN as a DNS name when it has no DNS
    // name: a CN of 127.0.0.1 would break the .hospital.test constraint for them.
    let dir = ScratchDir::new("hospital-ip");
    let (root, leaf) = mint_hospital(&dir, &["--ip", "127.0.0.1"]);
    let nginx = Nginx::start(
        format!("{leaf}/fullchain.pem").as_ref(),
        format!("{leaf}/key.pem").as_ref(),
    )
    .expect("nginx starts (apt-get install -y nginx-light)");
    all_agree(&format!("{root}/cert.pem"), "127.0.0.1", nginx.port, true);
}

#[test]
fn leaf_only_server_is_rejected_by_chainscope_and_every_client_holding_only_the_root() {
    let dir = ScratchDir::new("hospital-leaf-only");
    let (root, leaf) = mint_hospital(&dir, &["--dns", "proxy.hospital.test"]);
    // ssl_certificate points at cert.pem instead of fullchain.pem.
    let nginx = Nginx::start(
        format!("{leaf}/cert.pem").as_ref(),
        format!("{leaf}/key.pem").as_ref(),
    )
    .expect("nginx starts (apt-get install -y nginx-light)");
    all_agree(
        &format!("{root}/cert.pem"),
        "proxy.hospital.test",
        nginx.port,
        false,
    );
}
