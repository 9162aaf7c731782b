//! `verify` with several chain files: every readable chain is verified, an unreadable one
//! is reported on stderr, and the run exits 2 at the end (as `fetch` batches do).

use chainscope_tests::fixture;
use chainscope_tests::mint::{chainscope, ScratchDir};

fn fx(rel: &str) -> String {
    fixture(rel).to_string_lossy().into_owned()
}

#[test]
fn an_unreadable_file_does_not_hide_the_verdicts_of_the_others() {
    let roots = fx("rsa/root.pem");
    let good = fx("rsa/chain.pem");
    let missing = "/nonexistent/chain.pem";
    // The unreadable file first: the readable one after it is still verified.
    let run = chainscope(&["verify", "--roots", &roots, missing, &good]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.out.starts_with(&format!("{good}: VALID")),
        "{}",
        run.out
    );
    let err: Vec<&str> = run.err.lines().collect();
    assert_eq!(err.len(), 1, "{}", run.err);
    assert!(
        err[0] == "chainscope: /nonexistent/chain.pem: no such file or directory",
        "{}",
        run.err
    );

    // Exit 2 wins over an invalid verdict too, and every readable chain gets its verdict.
    let dir = ScratchDir::new("verify-batch");
    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let expired = fx("expired/chain.pem");
    let run = chainscope(&["verify", "--roots", &roots, &expired, &empty, &good]);
    assert_eq!(run.code, 2, "{}{}", run.out, run.err);
    assert!(
        run.out.contains(&format!("{expired}: NOT VALID")),
        "{}",
        run.out
    );
    assert!(run.out.contains(&format!("{good}: VALID")), "{}", run.out);
    assert!(
        run.err
            .contains(&format!("chainscope: {empty}: empty input")),
        "{}",
        run.err
    );

    // JSON: the readable chains' reports on stdout, the error on stderr.
    let run = chainscope(&[
        "verify", "--json", "--roots", &roots, &good, missing, &expired,
    ]);
    assert_eq!(run.code, 2);
    let v: serde_json::Value = serde_json::from_str(&run.out).unwrap();
    let reports = v.as_array().expect("an array for several chains");
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["valid"], true);
    assert_eq!(reports[1]["valid"], false);
    assert!(run.err.contains("/nonexistent/chain.pem"), "{}", run.err);
}

#[test]
fn a_single_unreadable_file_is_still_one_error_line() {
    let run = chainscope(&["verify", "/nonexistent/chain.pem"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.out, "");
    assert_eq!(run.err.lines().count(), 1, "{}", run.err);
}
