//! `chainscope show` as a user runs it: the real binary (pipes, stdin, exit status — what
//! the in-process runner of `chainscope-tests` cannot show), real fixture files.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

const AT: &str = "2030-01-01T00:00:00Z";

use chainscope_tests::{fixtures, TempDir};

fn chainscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chainscope"))
        .args(args)
        .current_dir(fixtures())
        .env_remove("NO_COLOR")
        .output()
        .expect("chainscope runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// Compares with a checked-in golden file. `UPDATE_GOLDEN=1` rewrites it; the diff must then
/// be reviewed before committing.
fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(10)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{name} differs from the golden file ({} vs {} lines):\n{}",
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

#[test]
fn text_output_of_a_good_chain_matches_golden() {
    let out = chainscope(&["show", "--at", AT, "rsa/chain.pem"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_golden("show-rsa-chain.txt", &stdout(&out));
}

#[test]
fn full_text_output_lists_every_extension() {
    let out = chainscope(&["show", "--full", "--at", AT, "ecdsa/chain.pem"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for ext in [
        "basicConstraints (2.5.29.19) [critical]: CA:TRUE, pathlen:0",
        "keyUsage (2.5.29.15) [critical]: keyCertSign, cRLSign",
        "subjectAltName (2.5.29.17): DNS:ecdsa.chainscope.test, DNS:localhost, IP:127.0.0.1, IP:::1",
        "authorityInfoAccess (1.3.6.1.5.5.7.1.1): CA Issuers - URI:http://127.0.0.1:1/ecdsa-inter.der",
    ] {
        assert!(text.contains(ext), "missing {ext:?} in:\n{text}");
    }
    assert_golden("show-ecdsa-chain-full.txt", &text);
}

#[test]
fn json_output_matches_golden() {
    let out = chainscope(&["show", "--json", "--at", AT, "ed25519/chain.pem"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let certs = &doc["inputs"][0]["certificates"];
    assert_eq!(certs.as_array().map(Vec::len), Some(2));
    assert_eq!(certs[0]["public_key"]["algorithm"], "Ed25519");
    assert_eq!(certs[0]["validity"]["status"], "valid");
    assert_eq!(doc["inputs"][0]["chain"]["summary"], "in order");
    assert_golden("show-ed25519-chain.json", &text);
}

#[test]
fn expired_certificate_says_how_long_ago() {
    let out = chainscope(&["show", "--at", AT, "expired/leaf.pem"]);
    assert_eq!(out.status.code(), Some(0));
    // Leaf expired 2021-01-01; 2030-01-01 is 3287 days later.
    assert!(
        stdout(&out).contains("EXPIRED 3287 days ago"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn wrong_order_and_missing_intermediate_are_summarized() {
    let out = chainscope(&["show", "--at", AT, "wrong-order/chain.pem"]);
    assert!(stdout(&out).contains("chain: out of order (cert 1 issues cert 2)"));
    let out = chainscope(&[
        "show",
        "--at",
        AT,
        "missing-intermediate/fullchain-with-root.pem",
    ]);
    assert!(stdout(&out).contains("chain: in order"), "{}", stdout(&out));
    let leaf_and_root = format!(
        "{}{}",
        std::fs::read_to_string(fixtures().join("missing-intermediate/leaf.pem")).unwrap(),
        std::fs::read_to_string(fixtures().join("missing-intermediate/root.pem")).unwrap()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainscope"))
        .args(["show", "--at", AT, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(leaf_and_root.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("chain: gap after cert 1"), "{text}");
    assert!(
        text.contains(
            "its issuer CN=Chainscope Test Missing-Intermediate Intermediate CA,O=Chainscope Tests is missing"
        ),
        "{text}"
    );
}

#[test]
fn duplicate_certificate_is_reported() {
    let leaf = std::fs::read_to_string(fixtures().join("rsa/leaf.pem")).unwrap();
    let dir = TempDir::new("show-dup");
    let path = dir.path().join("dup.pem");
    std::fs::write(&path, format!("{leaf}{leaf}")).unwrap();
    let out = chainscope(&["show", path.to_str().unwrap()]);
    let text = stdout(&out);
    assert!(text.contains("chain: duplicate\n"), "{text}");
    assert!(text.contains("cert 2 is a duplicate of cert 1"), "{text}");
}

#[test]
fn every_input_format_decodes_to_the_same_certificates() {
    let pem = chainscope(&["show", "--pem", "rsa/chain.pem"]);
    for input in [
        "rsa/chain.p7b",
        "rsa/chain.p7b.pem",
        "rsa/chain-with-text.pem",
    ] {
        let out = chainscope(&["show", "--pem", input]);
        assert_eq!(out.status.code(), Some(0), "{input}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            stdout(&pem),
            "{input} normalizes to chain.pem"
        );
    }
    let der = chainscope(&["show", "--pem", "rsa/leaf.der"]);
    assert!(stdout(&pem).starts_with(&stdout(&der)));
    let trusted = chainscope(&["show", "--pem", "rsa/trusted.pem"]);
    let root = chainscope(&["show", "--pem", "rsa/root.pem"]);
    assert_eq!(stdout(&trusted), stdout(&root));
}

#[test]
fn bad_inputs_get_one_line_errors_and_exit_2() {
    let cases = [
        (
            "garbage/empty.pem",
            "chainscope: garbage/empty.pem: empty input",
        ),
        (
            "garbage/not-a-cert.bin",
            "chainscope: garbage/not-a-cert.bin: not PEM, DER or PKCS#7",
        ),
        (
            "garbage/server.key",
            "chainscope: garbage/server.key: found a PRIVATE KEY block, expected CERTIFICATE",
        ),
        (
            "garbage/truncated.der",
            "chainscope: garbage/truncated.der: truncated DER at byte 800 of",
        ),
        (
            "garbage/one-bad-block.pem",
            "chainscope: garbage/one-bad-block.pem: block 2 (line 25): not a valid certificate",
        ),
        (
            "does/not/exist.pem",
            "chainscope: does/not/exist.pem: no such file or directory",
        ),
    ];
    for (input, expected) in cases {
        let out = chainscope(&["show", input]);
        assert_eq!(out.status.code(), Some(2), "{input}");
        let err = stderr(&out);
        assert!(err.starts_with(expected), "{input}: {err}");
        assert_eq!(err.lines().count(), 1, "{input}: one line: {err}");
        assert!(stdout(&out).is_empty(), "{input}: no partial output");
    }
}

#[test]
fn keep_going_decodes_the_good_blocks_and_names_the_bad_one() {
    let out = chainscope(&["show", "--keep-going", "garbage/one-bad-block.pem"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("cert 1  CN=rsa.chainscope.test"), "{text}");
    assert!(
        text.contains("cert 2  CN=Chainscope Test RSA Intermediate CA"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("block 2 (line 25)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn certificate_requests_are_decoded_with_their_signature_check() {
    let out = chainscope(&["show", "csr/request.pem", "csr/bad-signature.pem"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("names      DNS:device.hospital.local, IP:10.1.2.3"),
        "{text}"
    );
    assert!(text.contains("(self-signature valid)"), "{text}");
    assert!(text.contains("(self-signature INVALID"), "{text}");
}

#[test]
fn unusual_real_world_certificates_decode() {
    // Post-quantum keys, odd extensions, MD5/SHA-1, small keys: shown, never refused.
    let out = chainscope(&[
        "show",
        "--full",
        "real/step-samples/ML-DSA-44.crt",
        "real/step-samples/x509WackyExtensions.pem",
        "real/certigo-samples/example-md5.pem",
        "real/certigo-samples/example-small-key.pem",
        "real/certigo-samples/example-custom-oid.pem",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("ML-DSA-44"), "{text}");
    assert!(text.contains("md5WithRSAEncryption"), "{text}");
}

#[test]
fn colour_only_when_asked_or_on_a_tty() {
    let plain = chainscope(&["show", "rsa/leaf.pem"]);
    assert!(
        !stdout(&plain).contains('\x1b'),
        "piped output has no colour"
    );
    let coloured = chainscope(&["--color", "always", "show", "rsa/leaf.pem"]);
    assert!(stdout(&coloured).contains("\x1b["));
}

#[test]
fn closed_pipe_ends_quietly() {
    // Many copies of the system bundle (or the fixtures) so the output is far larger than
    // a pipe buffer.
    let dir = TempDir::new("show-pipe");
    let big = dir.path().join("big.pem");
    let chain = std::fs::read_to_string(fixtures().join("rsa/chain.pem")).unwrap();
    std::fs::write(&big, chain.repeat(500)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainscope"))
        .args(["show", big.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe closes like `| head -1`.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("cert 1"));
    assert_eq!(stderr(&out), "", "no panic, no error message");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn wrong_flag_is_a_usage_error() {
    let out = chainscope(&["show", "--no-such-flag", "rsa/leaf.pem"]);
    assert_eq!(out.status.code(), Some(2));
    let out = chainscope(&["show", "--at", "yesterday", "rsa/leaf.pem"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--at: 'yesterday' is neither RFC 3339"),
        "{}",
        stderr(&out)
    );
}
