//! The real binary against hostile I/O (issue 10.3, 10.4): standard output on a full device
//! (`/dev/full`) or a closed pipe, and inputs whose size reads as 0 — devices, FIFOs — for
//! every flag that reads a file. Every run is bounded: a run still going after its deadline
//! is killed and fails the test.

use std::io::{Read, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use chainscope_tests::servers::{fixture_config, serve, Behaviour};
use chainscope_tests::{fixture_path, TempDir};

/// Runs the binary with `stdout`, killing it after `deadline`.
fn run_with_stdout(args: &[&str], stdout: Stdio, deadline: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainscope"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("chainscope runs");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chainscope {args:?} still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn dev_full() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full exists (Linux)"),
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const FULL: &str = "chainscope: standard output: no space left on device\n";

#[test]
fn a_full_standard_output_is_an_error() {
    let chain = fixture_path("rsa/chain.pem");
    let root = fixture_path("rsa/root.pem");
    let at = "2030-01-01T00:00:00Z";
    for args in [
        vec!["show", "--pem", &chain],
        vec!["show", "--json", &chain],
        vec!["show", &chain],
        vec!["verify", "--roots", &root, "--at", at, "--json", &chain],
        vec!["verify", "--roots", &root, "--at", at, &chain],
        vec!["--help"],
    ] {
        let o = run_with_stdout(&args, dev_full(), Duration::from_secs(20));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), FULL, "{args:?}");
    }
}

#[test]
fn a_full_standard_output_is_an_error_for_fetch_too() {
    let server = serve(Behaviour::Tls(fixture_config("rsa")));
    let target = server.authority();
    let dir = TempDir::new("hostile-io-fetch");
    let list = dir.join("targets.txt");
    std::fs::write(&list, format!("{target}\n")).unwrap();
    for args in [
        vec!["fetch", "--pem", &target],
        vec!["fetch", "--json", &target],
        vec!["fetch", &target],
        vec!["fetch", "--pem", "--input", &list],
        vec!["fetch", "--input", &list],
    ] {
        let o = run_with_stdout(&args, dev_full(), Duration::from_secs(20));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        // With --pem and --input, the summary goes to stderr after the error line.
        assert!(stderr(&o).starts_with(FULL), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o).matches("standard output").count(),
            1,
            "{args:?}: {}",
            stderr(&o)
        );
    }
    drop(server);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Far more than a pipe buffer of PEM, so the writes meet the closed pipe.
    let one = std::fs::read_to_string(fixture_path("rsa/chain.pem")).unwrap();
    let dir = TempDir::new("hostile-io-pipe");
    let bundle = dir.join("bundle.pem");
    std::fs::write(&bundle, one.repeat(300)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainscope"))
        .args(["show", "--pem", &bundle])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then close the pipe, as `| head -c 100` does.
    let mut head = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(head.starts_with(b"-----BEGIN CERTIFICATE-----"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

/// The monitoring plugin's exit code is its status: output it could not write is UNKNOWN
/// (3), not chainscope's usual 2, and never OK.
#[test]
fn check_with_an_unwritable_standard_output_is_unknown() {
    let chain = fixture_path("rsa/chain.pem");
    let root = fixture_path("rsa/root.pem");
    let args = ["check", "--roots", &root, &chain];
    let o = run_with_stdout(&args, dev_full(), Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(stderr(&o), FULL);

    // A pipe nobody reads (its reading end closed before the check starts).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = run_with_stdout(&args, Stdio::from(writer), Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(stderr(&o), "chainscope: standard output: broken pipe\n");
}

/// Every flag that reads a file, given `path`, with the message it must end in.
fn device_cases(path: &str, out: &str) -> Vec<(Vec<String>, String)> {
    let chain = fixture_path("rsa/chain.pem");
    let root = fixture_path("rsa/root.pem");
    let root_key = fixture_path("rsa/root.key");
    let not_cert = "not PEM, DER or PKCS#7";
    let not_key = "neither PEM nor DER (binary data that is not one DER value)";
    let v = |args: &[&str], flag: &str, reason: &str| {
        let prefix = if flag.is_empty() {
            String::new()
        } else {
            format!("{flag} ")
        };
        (
            args.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            format!("chainscope: {prefix}{path}: {reason}\n"),
        )
    };
    vec![
        v(&["show", path], "", not_cert),
        v(&["verify", path], "", not_cert),
        v(&["verify", "--roots", path, &chain], "--roots", not_cert),
        v(
            &["verify", "--roots", &root, "--untrusted", path, &chain],
            "--untrusted",
            not_cert,
        ),
        v(
            &["verify", "--roots", &root, "--crl", path, &chain],
            "--crl",
            not_key,
        ),
        v(&["preflight", "--cert", path], "--cert", not_cert),
        v(
            &[
                "mint",
                "leaf",
                "--ca-cert",
                &root,
                "--ca-key",
                path,
                "--dns",
                "a.example",
                "--out",
                out,
            ],
            "--ca-key",
            not_key,
        ),
        v(
            &[
                "mint",
                "leaf",
                "--ca-cert",
                path,
                "--ca-key",
                &root_key,
                "--dns",
                "a.example",
                "--out",
                out,
            ],
            "--ca-cert",
            not_cert,
        ),
        v(
            &[
                "mint",
                "sign",
                "--ca-cert",
                &root,
                "--ca-key",
                &root_key,
                "--csr",
                path,
                "--dns",
                "a.example",
                "--out",
                out,
            ],
            "--csr",
            not_cert,
        ),
        v(
            &[
                "mint",
                "ca",
                "--name",
                "x",
                "--encrypt-key",
                "--passphrase-file",
                path,
                "--out",
                out,
            ],
            "--passphrase-file",
            "larger than 64 KiB",
        ),
        v(
            &[
                "mint",
                "leaf",
                "--ca-cert",
                &root,
                "--ca-key",
                &root_key,
                "--ca-passphrase-file",
                path,
                "--dns",
                "a.example",
                "--out",
                out,
            ],
            "--ca-passphrase-file",
            "larger than 64 KiB",
        ),
        v(
            &["fetch", "--input", path],
            "--input",
            "line 1 is longer than 64 KiB",
        ),
    ]
}

#[test]
fn dev_zero_is_refused_at_once_by_every_reader() {
    let dir = TempDir::new("hostile-io-zero");
    let out = dir.join("out");
    for (args, expected) in device_cases("/dev/zero", &out) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run_with_stdout(&args, Stdio::null(), Duration::from_secs(10));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        // fetch --input adds its (empty) summary line after the error.
        assert!(
            stderr(&o).starts_with(&expected),
            "{args:?}:\n{}",
            stderr(&o)
        );
        assert!(!std::path::Path::new(&out).exists(), "{args:?} left {out}");
    }
}

/// `preflight --key` on a device: the bounded read ends at once and the key check fails
/// (exit 1, issue 10.2: an unusable key is a failed check, not an input error), naming
/// what the file holds.
#[test]
fn preflight_key_from_a_device_is_a_failed_check() {
    let chain = fixture_path("rsa/chain.pem");
    for dev in ["/dev/zero", "/dev/urandom"] {
        let o = run_with_stdout(
            &["preflight", "--cert", &chain, "--key", dev],
            Stdio::piped(),
            Duration::from_secs(30),
        );
        assert_eq!(o.status.code(), Some(1), "{dev}: {}", stderr(&o));
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains(&format!("{dev} holds no usable private key")),
            "{dev}:\n{text}"
        );
    }
}

#[test]
fn dev_urandom_is_refused_by_every_reader() {
    // Random bytes may start like a DER value (0x30), so the reason varies; the bound and
    // the one line naming flag and file do not.
    let dir = TempDir::new("hostile-io-urandom");
    let out = dir.join("out");
    // Not `fetch --input`: random lines could name real hosts, and tests stay on loopback.
    let cases = device_cases("/dev/urandom", &out);
    for (args, expected) in cases.into_iter().filter(|(a, _)| a[0] != "fetch") {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run_with_stdout(&args, Stdio::null(), Duration::from_secs(30));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let prefix = &expected[..expected.find("/dev/urandom: ").unwrap() + 14];
        assert!(stderr(&o).starts_with(prefix), "{args:?}:\n{}", stderr(&o));
        assert!(!stderr(&o).contains("os error"), "{}", stderr(&o));
    }
}

/// A FIFO (its size reads as 0) fed `bytes` by a thread until the reader closes it.
fn fifo(dir: &TempDir, name: &str, bytes: Vec<u8>) -> (String, std::thread::JoinHandle<()>) {
    let path = dir.join(name);
    let status = Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo (coreutils) must be installed");
    assert!(status.success());
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&writer_path) {
            // The reader stops at its limit and closes the FIFO: EPIPE ends the writer.
            let _ = f.write_all(&bytes);
        }
    });
    (path, writer)
}

#[test]
fn text_through_a_fifo_is_cut_at_the_limit_of_its_kind() {
    let dir = TempDir::new("hostile-io-fifo");
    let out = dir.join("out");
    let chain = fixture_path("rsa/chain.pem");
    let root = fixture_path("rsa/root.pem");
    // Text without NUL bytes or a PEM marker is read on, so only the limit stops it.
    let text = |n: usize| {
        "A".repeat(63)
            .into_bytes()
            .into_iter()
            .chain([b'\n'])
            .cycle()
            .take(n)
            .collect::<Vec<u8>>()
    };
    let cases: Vec<(Vec<&str>, &str, &str, usize)> = vec![
        (
            vec!["preflight", "--cert", &chain, "--key", "@"],
            "--key",
            "larger than 1 MiB",
            3 << 20,
        ),
        (
            vec![
                "mint",
                "leaf",
                "--ca-cert",
                &root,
                "--ca-key",
                "@",
                "--dns",
                "a.example",
                "--out",
                &out,
            ],
            "--ca-key",
            "larger than 1 MiB",
            3 << 20,
        ),
        (
            vec![
                "mint",
                "ca",
                "--name",
                "x",
                "--encrypt-key",
                "--passphrase-file",
                "@",
                "--out",
                &out,
            ],
            "--passphrase-file",
            "larger than 64 KiB",
            1 << 20,
        ),
    ];
    for (i, (args, flag, reason, size)) in cases.into_iter().enumerate() {
        let (path, writer) = fifo(&dir, &format!("fifo-{i}"), text(size));
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "@" { path.as_str() } else { a })
            .collect();
        let o = run_with_stdout(&args, Stdio::null(), Duration::from_secs(20));
        // The writer is not joined: it ends when the reader closes the FIFO (or with the
        // test process, had the reader never opened it).
        drop(writer);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o),
            format!("chainscope: {flag} {path}: {reason}\n"),
            "{args:?}"
        );
    }
}

/// preflight reports a `--key` that holds no usable key as a failed check (exit 1), and
/// says why; a device is cut off at once. (A key it cannot read, such as one larger than the
/// key limit, is an input error: see the FIFO test.)
#[test]
fn preflight_fails_its_key_check_for_device_keys_at_once() {
    let chain = fixture_path("rsa/chain.pem");
    for (key, reason) in [
        (
            "/dev/zero",
            "neither PEM nor DER (binary data that is not one DER value)",
        ),
        ("/dev/urandom", ""),
    ] {
        let args = ["preflight", "--cert", &chain, "--key", key];
        let o = run_with_stdout(&args, Stdio::piped(), Duration::from_secs(20));
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{key}: {out}{}", stderr(&o));
        assert!(
            out.contains(&format!("{key} holds no usable private key ({reason}")),
            "{key}: {out}"
        );
    }
}
