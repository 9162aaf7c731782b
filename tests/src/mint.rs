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

/// Mints `root/` (a root CA), `inter/` (an intermediate) and `leaf/` (a server leaf for
/// `proxy.hospital.local`, `localhost`, 10.1.2.3 and 127.0.0.1) in `dir`, all with `key_type`.
pub fn mint_chain(dir: &ScratchDir, key_type: &str) {
    let root = dir.join("root");
    let inter = dir.join("inter");
    let leaf = dir.join("leaf");
    chainscope_ok(&[
        "mint",
        "ca",
        "--name",
        "Test Root CA",
        "--key-type",
        key_type,
        "--out",
        &root,
    ]);
    chainscope_ok(&[
        "mint",
        "intermediate",
        "--ca",
        &root,
        "--name",
        "Test Intermediate CA",
        "--key-type",
        key_type,
        "--out",
        &inter,
    ]);
    chainscope_ok(&[
        "mint",
        "leaf",
        "--ca",
        &inter,
        "--dns",
        "proxy.hospital.local",
        "--dns",
        "localhost",
        "--ip",
        "10.1.2.3",
        "--ip",
        "127.0.0.1",
        "--key-type",
        key_type,
        "--out",
        &leaf,
    ]);
}
