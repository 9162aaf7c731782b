//! The inventory program runs on chainscope without default features: a valid chain, a
//! wrong host, an unreadable file.

use std::process::Command;

fn fixture(rel: &str) -> String {
    format!("{}/../../certs-fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn inventory(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chainscope-inventory"))
        .args(args)
        .output()
        .expect("run the inventory");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_inventory_decodes_and_verifies_without_default_features() {
    let root = fixture("rsa/root.pem");
    let chain = fixture("rsa/chain.pem");
    let (code, out, err) = inventory(&[&root, "rsa.chainscope.test", &chain]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("CN=rsa.chainscope.test"), "{out}");
    assert!(out.contains(": VALID for rsa.chainscope.test"), "{out}");

    let (code, out, _) = inventory(&[&root, "other.example", &chain]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("NOT VALID [hostname_mismatch]"), "{out}");

    let (code, _, err) = inventory(&[&root, "rsa.chainscope.test", "/nonexistent.pem"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent.pem"), "{err}");
}
