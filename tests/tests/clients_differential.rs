//! Differential test of the client families against the real clients (issue 14).
//!
//! The corpus (`chainscope_tests::clients::corpus`) is built once per run around the
//! current time; every chain goes through `openssl verify` (default and
//! `-x509_strict -partial_chain`), Python's `ssl` (default flags and
//! `VERIFY_X509_STRICT | VERIFY_X509_PARTIAL_CHAIN`), `certtool --verify` and a Go program
//! using `crypto/x509`. Needs `openssl`, `python3`, `certtool` (gnutls-bin) and `go`
//! (golang-go): a missing tool fails the test.

use chainscope_tests::clients::{corpus, measure, Verifier};

#[test]
fn every_real_verifier_gives_a_verdict_on_every_chain() {
    let m = measure();
    assert!(
        m.cases.len() >= 200,
        "the corpus has {} chains; it should have a few hundred",
        m.cases.len()
    );
    let stuck = m.inconclusive();
    assert!(
        stuck.is_empty(),
        "no verdict from the harness for {} (case, verifier) pairs:\n{}",
        stuck.len(),
        stuck
            .iter()
            .map(|((id, v), o)| format!("  {id} / {}: {}", v.name(), o.detail))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for v in Verifier::ALL {
        let accepted = m
            .cases
            .iter()
            .filter(|c| m.outcome(&c.id, v).accepts == Some(true))
            .count();
        eprintln!(
            "{:<45} accepts {accepted:>3} of {}",
            v.name(),
            m.cases.len()
        );
    }
    eprintln!("versions: {:?}", m.versions);
}

/// Issue 14's table, measured with the real verifiers: (row, rustls, OpenSSL default,
/// OpenSSL X509_STRICT + PARTIAL_CHAIN, GnuTLS) — `true` accepts.
const ISSUE_TABLE: [(&str, bool, bool, bool, bool); 6] = [
    ("anchor-is-intermediate", true, false, true, true),
    ("leaf-no-aki", true, true, false, true),
    ("int-bc-not-critical", true, true, false, true),
    ("int-no-ku", true, true, false, true),
    ("root-expired", true, false, false, false),
    ("issuer-name-printable-vs-utf8", false, true, true, false),
];

#[test]
fn the_real_clients_disagree_as_the_issue_table_says() {
    let m = measure();
    assert_eq!(
        m.outcome("row/base", Verifier::OpensslCli).accepts,
        Some(true),
        "the base chain must verify"
    );
    let mut wrong = Vec::new();
    for (row, rustls, openssl, strict, gnutls) in ISSUE_TABLE {
        assert!(corpus::ROWS.contains(&row));
        let id = format!("row/{row}");
        for (verifier, expected) in [
            (Verifier::Rustls, rustls),
            (Verifier::OpensslCli, openssl),
            (Verifier::PythonDefault, openssl),
            (Verifier::OpensslCliStrict, strict),
            (Verifier::PythonStrict, strict),
            (Verifier::Gnutls, gnutls),
        ] {
            let got = m.outcome(&id, verifier);
            if got.accepts != Some(expected) {
                wrong.push(format!(
                    "{id}: {} {} (expected {}): {}",
                    verifier.name(),
                    if got.accepts == Some(true) {
                        "accepts"
                    } else {
                        "rejects"
                    },
                    if expected { "accept" } else { "reject" },
                    got.detail
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
