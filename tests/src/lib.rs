//! Shared helpers for the integration tests: real peers (nginx, servers) and fixtures.

use std::path::{Path, PathBuf};

pub mod clients;
pub mod limbo;
pub mod mint;
pub mod nginx;
pub mod servers;

/// Path of a file under `certs-fixtures/`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../certs-fixtures")
        .join(path)
}

/// A fresh, empty, uniquely named directory under the system temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "chainscope-{tag}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Runs the `chainscope` command line in-process; returns (exit code, stdout, stderr).
pub fn chainscope(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut argv = vec!["chainscope"];
    argv.extend_from_slice(args);
    let code = chainscope_cli::run_with(argv, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}
