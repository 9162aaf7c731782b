//! Differential test of the client families against the real clients (issue 14).
//!
//! The corpus (`chainscope_tests::clients::corpus`) is built once per run around the
//! current time; every chain goes through `openssl verify` (default and
//! `-x509_strict -partial_chain`), Python's `ssl` (default flags and
//! `VERIFY_X509_STRICT | VERIFY_X509_PARTIAL_CHAIN`), `certtool --verify` and a Go program
//! using `crypto/x509`. Needs `openssl`, `python3`, `certtool` (gnutls-bin) and `go`
//! (golang-go): a missing tool fails the test.

use chainscope_tests::clients::{corpus, measure, Measured, Outcome, Verifier};

/// Chains on which a real verifier of the harness cannot give a verdict, and why: (case,
/// verifier, reason). Listed in README ("Which clients accept it") too; any other
/// inconclusive pair fails the test.
const HARNESS_LIMITS: &[(&str, Verifier, &str)] = &[
    // certtool's verification callback (`detailed_verification`) prints every certificate's
    // issuer name and exits when it has none; a GnuTLS client has no such callback.
    (
        "rule/empty_issuer/fail",
        Verifier::Gnutls,
        "certtool exits on a certificate with an empty issuer name",
    ),
    (
        "rule/ca_empty_subject/fail",
        Verifier::Gnutls,
        "certtool exits on a certificate with an empty issuer name",
    ),
    // The server side of Python's in-memory handshake is OpenSSL too, and refuses to load a
    // leaf whose extensions it marks invalid; the openssl families are compared with
    // `openssl verify` on these chains instead (`real_outcome`).
    (
        "rule/key_usage_empty/fail",
        Verifier::PythonDefault,
        "an OpenSSL server cannot load the leaf (empty keyUsage)",
    ),
    (
        "rule/key_usage_empty/fail",
        Verifier::PythonStrict,
        "an OpenSSL server cannot load the leaf (empty keyUsage)",
    ),
    (
        "rule/crl_distribution_point_incomplete/fail",
        Verifier::PythonDefault,
        "an OpenSSL server cannot load the leaf (invalid cRLDistributionPoints)",
    ),
    (
        "rule/crl_distribution_point_incomplete/fail",
        Verifier::PythonStrict,
        "an OpenSSL server cannot load the leaf (invalid cRLDistributionPoints)",
    ),
];

fn harness_limit(id: &str, v: Verifier) -> bool {
    HARNESS_LIMITS.iter().any(|(c, w, _)| *c == id && *w == v)
}

#[test]
fn every_real_verifier_gives_a_verdict_on_every_chain() {
    let m = measure();
    assert!(
        m.cases.len() >= 200,
        "the corpus has {} chains; it should have a few hundred",
        m.cases.len()
    );
    for (id, v, why) in HARNESS_LIMITS {
        assert_eq!(
            m.outcome(id, *v).accepts,
            None,
            "{id} / {}: listed as a harness limit ({why}) but has a verdict now: remove it",
            v.name()
        );
    }
    let stuck: std::collections::BTreeMap<_, _> = m
        .inconclusive()
        .into_iter()
        .filter(|((id, v), _)| !harness_limit(id, *v))
        .collect();
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

/// Every rule of the catalogue has its failing chain in the corpus, and every near miss its
/// passing one; the other rules' passing chain is `rule/conforming`.
#[test]
fn the_corpus_holds_every_rule_pair_of_the_catalogue() {
    let m = measure();
    let ids: std::collections::BTreeSet<&str> = m.cases.iter().map(|c| c.id.as_str()).collect();
    let mut missing = Vec::new();
    if !ids.contains("rule/conforming") {
        missing.push("rule/conforming".to_owned());
    }
    for rule in chainscope::verify::rules::catalogue() {
        let id = format!("rule/{}/fail", rule.id);
        if !ids.contains(id.as_str()) {
            missing.push(id);
        }
    }
    for pair in chainscope_tests::rule_pairs::cases() {
        let id = format!("rule/{}/pass", pair.rule);
        if pair.pass.is_some() != ids.contains(id.as_str()) {
            missing.push(id);
        }
    }
    assert!(
        missing.is_empty(),
        "rule pairs not in the corpus: {missing:?}"
    );
}

/// The real verifier each predicted family is compared with.
fn real_verifier(client: chainscope::clients::Client) -> Verifier {
    use chainscope::clients::Client;
    match client {
        Client::Rustls => Verifier::Rustls,
        Client::Openssl => Verifier::PythonDefault,
        Client::OpensslStrict => Verifier::PythonStrict,
        Client::Gnutls => Verifier::Gnutls,
        Client::Go => Verifier::Go,
        _ => unreachable!("a family without a real verifier in the suite"),
    }
}

/// The real outcome a family's prediction is compared with: its verifier's, or — for the
/// openssl families on a chain an OpenSSL server cannot load (see [`HARNESS_LIMITS`]) —
/// `openssl verify`'s with the same flags.
fn real_outcome<'m>(m: &'m Measured, id: &str, client: chainscope::clients::Client) -> &'m Outcome {
    use chainscope::clients::Client;
    let v = real_verifier(client);
    let o = m.outcome(id, v);
    match client {
        Client::Openssl if o.accepts.is_none() && harness_limit(id, v) => {
            m.outcome(id, Verifier::OpensslCli)
        }
        Client::OpensslStrict if o.accepts.is_none() && harness_limit(id, v) => {
            m.outcome(id, Verifier::OpensslCliStrict)
        }
        _ => o,
    }
}

/// Disagreements between a prediction and the real client that are understood and
/// documented (docs/clients.md, "Known disagreements"): (case, client id).
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];

#[test]
fn every_prediction_equals_the_real_client() {
    use chainscope::clients::Client;
    let m = measure();
    let mut agree: std::collections::BTreeMap<Client, (usize, usize)> = Default::default();
    let mut wrong = Vec::new();
    for case in &m.cases {
        let presented: Vec<rustls_pki_types::CertificateDer<'static>> = case
            .presented
            .iter()
            .map(|d| rustls_pki_types::CertificateDer::from(d.clone()))
            .collect();
        let trust = chainscope::TrustStore::from_certs(
            case.roots
                .iter()
                .map(|d| rustls_pki_types::CertificateDer::from(d.clone()))
                .collect(),
            "corpus",
        );
        let mut options = chainscope::VerifyOptions::for_host(&case.host).expect("host");
        options.at = Some(m.at);
        options.clients = true;
        let report = chainscope::verify_chain(&presented, &trust, &options);
        assert_eq!(report.clients.len(), Client::ALL.len(), "{}", case.id);
        for v in &report.clients {
            let real = real_outcome(m, &case.id, v.client);
            let Some(real_accepts) = real.accepts else {
                assert!(
                    harness_limit(&case.id, real_verifier(v.client)),
                    "{} / {}: no verdict from the real client: {}",
                    case.id,
                    v.client,
                    real.detail
                );
                continue;
            };
            let e = agree.entry(v.client).or_default();
            e.1 += 1;
            if v.accepts == real_accepts {
                e.0 += 1;
            } else if !KNOWN_DISAGREEMENTS.contains(&(case.id.as_str(), v.client.id())) {
                wrong.push(format!(
                    "{} / {}: predicted {} ({}), real {}: {}",
                    case.id,
                    v.client,
                    if v.accepts { "accept" } else { "reject" },
                    v.message.as_deref().unwrap_or("-"),
                    if real_accepts { "accept" } else { "reject" },
                    real.detail
                ));
            }
        }
    }
    for (client, (ok, all)) in &agree {
        eprintln!(
            "{:<16} agrees with {:<40} on {ok:>3} of {all} chains ({:.1} %)",
            client.id(),
            real_verifier(*client).name(),
            100.0 * *ok as f64 / *all as f64
        );
    }
    assert!(
        wrong.is_empty(),
        "{} predictions differ from the real clients:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
