//! Shared helpers for the integration tests: fixtures, scratch directories, the CLI run
//! in-process, and real peers (nginx, servers).
//!
//! One of each: [`fixture`] / [`fixture_path`] for files under `certs-fixtures/`,
//! [`TempDir`] for scratch space (removed on drop), [`chainscope()`] to run the command line.

use std::path::{Path, PathBuf};

pub mod clients;
pub mod limbo;
pub mod mint;
pub mod nginx;
pub mod rule_pairs;
pub mod servers;

/// PEM text of DER certificates, one `CERTIFICATE` block each, in order: the `der` crate's
/// RFC 7468 encoder (the one the library and the CLI write with), so no test writes PEM by
/// hand.
pub fn certs_pem<D: AsRef<[u8]>>(ders: &[D]) -> String {
    ders.iter()
        .map(|d| {
            der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, d.as_ref())
                .expect("CERTIFICATE is a valid PEM label")
        })
        .collect()
}

/// The repository's `certs-fixtures/` directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../certs-fixtures")
}

/// Path of a file under `certs-fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

/// Path of a file under `certs-fixtures/`, as a string for command lines.
pub fn fixture_path(rel: &str) -> String {
    fixture(rel).to_string_lossy().into_owned()
}

/// A fresh, empty, uniquely named directory under the system temp dir, removed (with
/// everything in it) when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `chainscope-<tag>-<pid>-<n>` under the system temp dir.
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "chainscope-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        TempDir(dir)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside it, as a string (for command lines).
    pub fn join(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }

    /// Same as [`TempDir::join`].
    pub fn file(&self, name: &str) -> String {
        self.join(name)
    }

    /// Keeps the directory after the test, for results a person inspects afterwards (the
    /// path is printed by the caller).
    pub fn keep(self) -> PathBuf {
        let path = self.0.clone();
        std::mem::forget(self);
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a command-line run produced.
#[derive(Debug)]
pub struct CliRun {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub out: String,
    /// Standard error.
    pub err: String,
}

impl CliRun {
    /// Standard output as a JSON document (a `--json` run); panics with the whole run when
    /// it is not one.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.out)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", self.out, self.err))
    }
}

/// Runs `chainscope ARGS…` in-process (the binary's own entry point, against buffers).
pub fn chainscope<S: AsRef<str>>(args: &[S]) -> CliRun {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let argv = std::iter::once("chainscope").chain(args.iter().map(AsRef::as_ref));
    let code = chainscope_cli::run_with(argv, &mut out, &mut err);
    CliRun {
        code,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// Runs `chainscope ARGS…` and panics with its output unless it exits 0.
pub fn chainscope_ok<S: AsRef<str> + std::fmt::Debug>(args: &[S]) -> CliRun {
    let run = chainscope(args);
    assert_eq!(
        run.code, 0,
        "chainscope {args:?} failed:\n{}\n{}",
        run.out, run.err
    );
    run
}
