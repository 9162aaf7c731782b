//! `verify --clients` and `--require-clients` (issue 14): the per-client table and JSON,
//! and the exit code a CI job scripts against. Whether each prediction is right is the
//! differential suite's job (`clients_differential.rs`, against the real clients); here the
//! predictions on the repo's RSA fixture are also checked against `openssl verify`.

use std::process::Command;

use chainscope_tests::{chainscope, fixture_path};

fn json(args: &[&str]) -> serde_json::Value {
    let run = chainscope(args);
    serde_json::from_str(&run.out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", run.out))
}

fn client<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["clients"]
        .as_array()
        .expect("clients array")
        .iter()
        .find(|c| c["client"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report}"))
}

#[test]
fn the_clients_table_and_json_name_every_family() {
    let (root, chain) = (fixture_path("rsa/root.pem"), fixture_path("rsa/chain.pem"));
    let args = [
        "verify",
        "--roots",
        &root,
        "--host",
        "rsa.chainscope.test",
        "--clients",
        &chain,
    ];
    let run = chainscope(&args);
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    assert!(run.out.contains("  clients:\n"), "{}", run.out);
    for id in ["rustls", "openssl", "openssl-strict", "gnutls", "go"] {
        assert!(
            run.out.contains(&format!("    {id:<15}accepts")),
            "{id}:\n{}",
            run.out
        );
    }
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let report = json(&with_json);
    let rustls = client(&report, "rustls");
    assert_eq!(rustls["accepts"], true);
    assert_eq!(rustls["basis"], "exact");
    assert!(rustls["reason"].is_null() && rustls["message"].is_null());
    assert_eq!(client(&report, "go")["basis"], "model");
    // Without the flag the field is absent.
    let plain = json(&["verify", "--roots", &root, "--json", &chain]);
    assert!(plain.get("clients").is_none(), "{plain}");
}

/// Trusting the intermediate: rustls, Go, GnuTLS and OpenSSL with PARTIAL_CHAIN accept;
/// OpenSSL's default (curl, Python ≤ 3.12) does not — and `openssl verify` agrees.
#[test]
fn require_clients_fails_the_run_when_a_listed_family_rejects() {
    let (inter, chain) = (fixture_path("rsa/inter.pem"), fixture_path("rsa/chain.pem"));
    let base = ["verify", "--roots", &inter, "--host", "rsa.chainscope.test"];
    let with = |extra: &[&str]| {
        let mut v = base.to_vec();
        v.extend_from_slice(extra);
        v.push(&chain);
        chainscope(&v)
    };
    let ok = with(&["--require-clients", "rustls,go,openssl-strict,gnutls"]);
    assert_eq!(ok.code, 0, "{}{}", ok.out, ok.err);
    let fail = with(&["--require-clients", "openssl,rustls"]);
    assert_eq!(fail.code, 1, "{}{}", fail.out, fail.err);
    assert!(
        fail.out
            .contains("openssl        rejects (model) [partial_chain_not_allowed]"),
        "{}",
        fail.out
    );
    let mut args = base.to_vec();
    args.extend(["--require-clients", "openssl", "--json", &chain]);
    let report = json(&args);
    assert_eq!(report["valid"], true, "the profile verdict is unchanged");
    let openssl = client(&report, "openssl");
    assert_eq!(openssl["accepts"], false);
    assert_eq!(openssl["reason"], "partial_chain_not_allowed");
    assert!(openssl["message"]
        .as_str()
        .is_some_and(|m| m.contains("CN=Chainscope Test RSA Intermediate CA")));

    // The real OpenSSL on the same files.
    let real = Command::new("openssl")
        .args(["verify", "-CAfile", &inter, "-untrusted", &chain, &chain])
        .output()
        .expect("openssl must be installed (apt-get install -y openssl)");
    assert!(
        !real.status.success(),
        "openssl verify accepted a partial chain"
    );
    let partial = Command::new("openssl")
        .args([
            "verify",
            "-partial_chain",
            "-CAfile",
            &inter,
            "-untrusted",
            &chain,
            &chain,
        ])
        .output()
        .expect("openssl");
    assert!(
        partial.status.success(),
        "{}",
        String::from_utf8_lossy(&partial.stderr)
    );
}

#[test]
fn an_unknown_client_id_is_a_usage_error() {
    let run = chainscope(&[
        "verify",
        "--roots",
        &fixture_path("rsa/root.pem"),
        "--require-clients",
        "openssl,java",
        &fixture_path("rsa/chain.pem"),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.err.contains("--require-clients") && run.err.contains("unknown client 'java'"),
        "{}",
        run.err
    );
    assert_eq!(run.err.lines().count(), 1, "{}", run.err);
}

/// `preflight --require-clients`: `client_trust` lists every family and fails (exit 1)
/// when a required one rejects, with that family's reason and fix.
#[test]
fn preflight_require_clients_fails_client_trust_for_a_rejecting_family() {
    let dir = |f: &str| fixture_path(&format!("rsa/{f}"));
    let run = |roots: &str, required: &str| {
        chainscope(&[
            "preflight",
            "--cert",
            &dir("chain.pem"),
            "--key",
            &dir("leaf.key"),
            "--roots",
            &dir(roots),
            "--host",
            "rsa.chainscope.test",
            "--require-clients",
            required,
            "--json",
        ])
    };
    let client_trust = |run: &chainscope_tests::CliRun| -> serde_json::Value {
        let report: serde_json::Value = serde_json::from_str(&run.out).expect("json");
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["id"] == "client_trust")
            .cloned()
            .expect("client_trust")
    };
    let bad = run("inter.pem", "openssl,rustls");
    assert_eq!(bad.code, 1, "{}{}", bad.out, bad.err);
    let c = client_trust(&bad);
    assert_eq!(c["status"], "fail", "{c}");
    let detail = c.to_string();
    assert!(
        detail.contains("required client openssl rejects"),
        "{detail}"
    );
    assert!(
        detail.contains("openssl REJECT (partial_chain_not_allowed: "),
        "{detail}"
    );
    assert!(detail.contains("rustls ACCEPT"), "{detail}");

    let good = run("inter.pem", "rustls,go");
    let c = client_trust(&good);
    assert_ne!(c["status"], "fail", "{c}");
    let unknown = run("root.pem", "openssl,lynx");
    assert_eq!(unknown.code, 2, "{}", unknown.err);
}
