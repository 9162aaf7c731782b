//! The seed use case, offline half: nginx accepts the files preflight passes.

use chainscope_tests::{chainscope, fixture, nginx, CliRun};

#[test]
fn nginx_serves_the_files_preflight_passes() {
    nginx::require();
    let server = nginx::Nginx::start(&fixture("ecdsa/chain.pem"), &fixture("ecdsa/leaf.key"))
        .expect("nginx starts");
    let target = server.addr();
    let CliRun { code, out, err } = chainscope(&[
        "preflight",
        "--cert",
        fixture("ecdsa/chain.pem").to_str().unwrap(),
        "--key",
        fixture("ecdsa/leaf.key").to_str().unwrap(),
        "--roots",
        fixture("ecdsa/root.pem").to_str().unwrap(),
        "--host",
        "localhost",
        "--connect",
        &target,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("✔ The live server presents exactly the files' chain"),
        "{out}"
    );
}

#[test]
fn mismatched_key_fails_preflight_and_nginx_refuses_it_too() {
    let CliRun { code, out, .. } = chainscope(&[
        "preflight",
        "--cert",
        fixture("key-mismatch/chain.pem").to_str().unwrap(),
        "--key",
        fixture("key-mismatch/leaf.key").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("✘ The private key belongs to the leaf certificate"),
        "{out}"
    );
    nginx::require();
    let started = nginx::Nginx::start(
        &fixture("key-mismatch/chain.pem"),
        &fixture("key-mismatch/leaf.key"),
    );
    let err = started.err().expect("nginx refuses a mismatched key");
    assert!(err.to_string().contains("key values mismatch"), "{err}");
}
