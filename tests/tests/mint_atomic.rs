//! `mint --force` switches a set of files as a whole: a process killed at any step of the
//! write leaves, at the output path, either the complete old set or the complete new one —
//! never a mix, never a missing file — and the previous set is kept.
//!
//! Each case re-runs this test binary as a child (`child_runs_chainscope`, ignored in normal
//! runs) with `CHAINSCOPE_TEST_CRASH_AT=<step>`, which makes the library abort the process
//! right after that step; the parent asserts the child died of SIGABRT (so the step was
//! reached) and then inspects the directory.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chainscope::mint::{CRASH_ENV, NO_EXCHANGE_ENV};
use chainscope_tests::mint::{
    chainscope, chainscope_ok, listing, mint_ca, mint_intermediate, ScratchDir,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use x509_parser::prelude::{FromDer, X509Certificate};

const ARGS_ENV: &str = "CHAINSCOPE_CHILD_ARGS";
const SIGABRT: i32 = 6;

/// The files of a leaf signed by an intermediate, in the order they are written.
const LEAF_FILES: [&str; 5] = [
    "cert.pem",
    "key.pem",
    "chain.pem",
    "fullchain.pem",
    "ca.pem",
];

#[test]
#[ignore = "a helper: run by the kill tests of this file in a child process of its own"]
fn child_runs_chainscope() {
    let args = std::env::var(ARGS_ENV).expect("run by the kill tests, which set the arguments");
    let args: Vec<&str> = args.split('\n').collect();
    let run = chainscope(&args);
    eprintln!("{}{}", run.out, run.err);
    std::process::exit(run.code);
}

/// Runs `chainscope ARGS…` in a child process that aborts after `step` (with `env` added);
/// returns the signal that ended it (`None`: it exited, with the code).
fn run_child(args: &[&str], step: &str, env: &[(&str, &str)]) -> (Option<i32>, Option<i32>) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "child_runs_chainscope",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(ARGS_ENV, args.join("\n"))
    .env(CRASH_ENV, step)
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.signal(), status.code());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child did not finish within 60 s (step {step})");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Checks that `dir` holds exactly one complete, consistent leaf set: the key belongs to
/// the certificate, `fullchain.pem` is the certificate followed by `chain.pem`, each
/// certificate is signed by the next, and `ca.pem` signed the last. Returns `cert.pem`.
fn consistent_set(dir: &Path) -> Result<Vec<u8>, String> {
    let names = listing(dir);
    let mut expected: Vec<String> = LEAF_FILES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    if names != expected {
        return Err(format!("{}: holds {names:?}", dir.display()));
    }
    let cert = certs(&dir.join("cert.pem"))?;
    let [cert] = cert.as_slice() else {
        return Err("cert.pem does not hold one certificate".into());
    };
    let key_bytes = std::fs::read(dir.join("key.pem")).map_err(|e| e.to_string())?;
    let mode = std::fs::metadata(dir.join("key.pem"))
        .unwrap()
        .permissions()
        .mode();
    if mode & 0o777 != 0o600 {
        return Err(format!("key.pem has mode {mode:o}"));
    }
    let key = chainscope::key::PrivateKeyInfo::load_bytes(&key_bytes, "key.pem")
        .map_err(|e| e.to_string())?;
    if key.matches(cert) != chainscope::KeyMatch::Matches {
        return Err("key.pem does not belong to cert.pem".into());
    }
    let full = certs(&dir.join("fullchain.pem"))?;
    let chain = certs(&dir.join("chain.pem"))?;
    if full.first() != Some(cert) || full[1..] != chain[..] || chain.is_empty() {
        return Err("fullchain.pem is not cert.pem followed by chain.pem".into());
    }
    let ca = certs(&dir.join("ca.pem"))?;
    let mut path = full.clone();
    path.extend(ca);
    for pair in path.windows(2) {
        let (_, child) = X509Certificate::from_der(&pair[0]).unwrap();
        let (_, parent) = X509Certificate::from_der(&pair[1]).unwrap();
        child
            .verify_signature(Some(parent.public_key()))
            .map_err(|e| {
                format!(
                    "{} is not signed by {}: {e}",
                    child.subject(),
                    parent.subject()
                )
            })?;
    }
    Ok(cert.to_vec())
}

/// The sibling directories of `out` that hold a set (kept previous sets, and a staging
/// directory left by a kill), with their certificates.
fn sibling_sets(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let mut found = Vec::new();
    for e in std::fs::read_dir(out.parent().unwrap()).unwrap() {
        let e = e.unwrap();
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&format!("{name}.prev-")) || n.starts_with(&format!(".{name}.new-")) {
            if let Ok(cert) = consistent_set(&e.path()) {
                found.push((e.path(), cert));
            }
        }
    }
    found
}

/// A root and an intermediate CA in a scratch directory, and the `mint leaf` command line
/// these tests kill: `proxy.hospital.test`, signed by the intermediate, written to `out`.
struct LeafSet {
    dir: ScratchDir,
    /// Where the set is written.
    out: PathBuf,
    args: Vec<String>,
}

impl LeafSet {
    /// The CAs in a fresh `tag` directory; the set goes to `<dir>/<out>` (`--force` when
    /// `force`). Nothing of the set is written yet.
    fn new(tag: &str, out: &str, force: bool) -> LeafSet {
        let dir = ScratchDir::new(tag);
        let root = mint_ca(&dir.join("root"), "Atomic Root", &[]);
        let inter = mint_intermediate(&root, &dir.join("inter"), "Atomic Intermediate", &[]);
        let mut args: Vec<String> = [
            "mint",
            "leaf",
            "--ca",
            &inter,
            "--dns",
            "proxy.hospital.test",
        ]
        .map(String::from)
        .into();
        if force {
            args.push("--force".into());
        }
        args.extend(["--out".to_owned(), dir.join(out)]);
        LeafSet {
            out: dir.path().join(out),
            dir,
            args,
        }
    }

    /// The `mint leaf` command line.
    fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }
}

fn steps() -> Vec<String> {
    let mut steps = vec!["staging".to_owned()];
    steps.extend(LEAF_FILES.iter().map(|f| format!("file:{f}")));
    steps.extend(["staged", "swapped", "kept"].map(String::from));
    steps
}

#[test]
fn force_killed_at_each_step_leaves_the_old_or_the_new_set_and_keeps_the_old_one() {
    let set = LeafSet::new("atomic-force", "proxy", true);
    let (out, args) = (set.out.clone(), set.args());
    chainscope_ok(&args);
    for step in steps() {
        let old = consistent_set(&out).unwrap_or_else(|e| panic!("before {step}: {e}"));
        let (signal, code) = run_child(&args, &step, &[]);
        assert_eq!(
            signal,
            Some(SIGABRT),
            "step {step} was never reached (exit code {code:?})"
        );
        let now = consistent_set(&out).unwrap_or_else(|e| panic!("killed after {step}: {e}"));
        let switched = matches!(step.as_str(), "swapped" | "kept");
        if switched {
            assert_ne!(
                now, old,
                "killed after {step}: the new set must be in place"
            );
            // The previous set is complete somewhere next to it.
            let kept: Vec<_> = sibling_sets(&out)
                .into_iter()
                .filter(|(_, c)| *c == old)
                .collect();
            assert_eq!(kept.len(), 1, "killed after {step}: old set kept once");
            if step == "kept" {
                let name = kept[0]
                    .0
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                assert!(name.starts_with("proxy.prev-"), "{name}");
            }
        } else {
            assert_eq!(
                now, old,
                "killed after {step}: the old set must be untouched"
            );
        }
    }
    // Uninterrupted, it still works and keeps the set it replaced.
    let old = consistent_set(&out).unwrap();
    let run = chainscope_ok(&args);
    let new = consistent_set(&out).unwrap();
    assert_ne!(new, old);
    assert!(run.out.contains("previous set kept in"), "{}", run.out);
    assert!(sibling_sets(&out).iter().any(|(_, c)| *c == old));
}

#[test]
fn a_new_directory_killed_at_each_step_is_absent_or_complete() {
    let set = LeafSet::new("atomic-new", "sub/proxy", false);
    let (dir, out, args) = (&set.dir, set.out.clone(), set.args());
    for step in steps().into_iter().filter(|s| s != "kept") {
        let (signal, code) = run_child(&args, &step, &[]);
        assert_eq!(signal, Some(SIGABRT), "step {step} not reached ({code:?})");
        if step == "swapped" {
            consistent_set(&out).unwrap_or_else(|e| panic!("killed after {step}: {e}"));
            std::fs::remove_dir_all(&out).unwrap();
        } else {
            assert!(
                !out.exists(),
                "killed after {step}: the output directory must not exist yet"
            );
        }
    }
    // A mint that fails while writing leaves no empty output directory behind, nor the
    // directories it created above it: here a CA key refused in a directory others can
    // write, after `fresh/` was created for the path.
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let failed = chainscope(&[
        "mint",
        "ca",
        "--name",
        "Refused Root",
        "--out",
        &dir.join("open/fresh/ca"),
    ]);
    assert_eq!(failed.code, 2, "{}", failed.err);
    assert!(
        failed.err.contains("other users can write"),
        "{}",
        failed.err
    );
    assert_eq!(listing(&open), Vec::<String>::new());
}

#[test]
fn without_an_atomic_exchange_the_old_set_is_complete_at_every_step() {
    // Where RENAME_EXCHANGE is not available, the switch takes two renames: the output
    // path is missing between them (the documented window), but never holds a mixed set,
    // and the old set is complete under its kept name.
    let set = LeafSet::new("atomic-two-renames", "proxy", true);
    let (out, args) = (set.out.clone(), set.args());
    chainscope_ok(&args);
    let old = consistent_set(&out).unwrap();
    let (signal, _) = run_child(&args, "moved-old", &[(NO_EXCHANGE_ENV, "1")]);
    assert_eq!(signal, Some(SIGABRT), "step moved-old not reached");
    assert!(!out.exists(), "between the two renames the path is empty");
    // The old set under its kept name (the complete new one waits in the staging
    // directory).
    let kept: Vec<_> = sibling_sets(&out)
        .into_iter()
        .filter(|(_, c)| *c == old)
        .collect();
    assert_eq!(kept.len(), 1);
    assert!(kept[0]
        .0
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("proxy.prev-"));
    // The next run writes a fresh set.
    let (signal, _) = run_child(&args, "swapped", &[(NO_EXCHANGE_ENV, "1")]);
    assert_eq!(signal, Some(SIGABRT));
    consistent_set(&out).unwrap();
}

#[test]
fn force_keeps_files_that_are_not_part_of_the_set() {
    let set = LeafSet::new("atomic-carry", "proxy", true);
    let (out, args) = (set.out.clone(), set.args());
    chainscope_ok(&args);
    std::fs::write(out.join("dhparam.pem"), "operator's file").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
    let run = chainscope_ok(&args);
    assert_eq!(
        std::fs::read_to_string(out.join("dhparam.pem")).unwrap(),
        "operator's file"
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
    assert_eq!(mode, 0o750, "the directory keeps its mode");
    // The JSON report names the kept set and where each replaced file went.
    let json = chainscope_ok(&[&args[..], &["--json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json.out).unwrap();
    let prev = PathBuf::from(v["previous"].as_str().unwrap());
    assert!(prev.join("cert.pem").is_file());
    assert_eq!(
        v["files"][0]["backup"].as_str().map(PathBuf::from),
        Some(prev.join("cert.pem"))
    );
    assert!(run.out.contains("previous set kept in"), "{}", run.out);
}
