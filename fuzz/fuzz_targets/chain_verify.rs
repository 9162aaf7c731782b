//! Verify any bytes as a presented chain — the `verify FILE` pipeline: `load_bytes`
//! (keep_going, as a bundle of whatever decodes) → `verify_chain` against a fixed trust
//! store (the fixture roots) in each profile, with and without a host name → JSON.
//!
//! Besides panics, aborts and stack overflows, a finding is a report that breaks what
//! `verify` promises: a verdict more lenient than rustls-webpki's, a stricter profile
//! accepting what a laxer one rejects, a rejection without an error finding to explain
//! it, or a message on more than one line.

#![no_main]

use std::sync::OnceLock;

use chainscope::verify::{parse_host, verify_chain, Profile, Severity, VerifyOptions};
use chainscope::{load_bytes, LoadOptions, TrustStore};
use libfuzzer_sys::fuzz_target;

/// The roots of the fixture chains the seeds come from (`fuzz/seeds-chain/`).
const ROOTS: &[&str] = &[
    include_str!("../../certs-fixtures/rsa/root.pem"),
    include_str!("../../certs-fixtures/ecdsa/root.pem"),
    include_str!("../../certs-fixtures/ed25519/root.pem"),
    include_str!("../../certs-fixtures/expired/root.pem"),
    include_str!("../../certs-fixtures/missing-intermediate/root.pem"),
    include_str!("../../certs-fixtures/name-constrained/root.pem"),
    include_str!("../../certs-fixtures/wrong-order/root.pem"),
];

fn trust() -> &'static TrustStore {
    static TRUST: OnceLock<TrustStore> = OnceLock::new();
    TRUST.get_or_init(|| {
        let mut certs = Vec::new();
        for pem in ROOTS {
            let bundle = load_bytes(pem.as_bytes(), "root", &LoadOptions::default())
                .expect("fixture root loads");
            certs.extend(bundle.ders());
        }
        TrustStore::from_certs(certs, "fixture roots")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(bundle) = load_bytes(data, "fuzz", &{
        let mut o = LoadOptions::default();
        o.keep_going = true;
        o
    }) else {
        return;
    };
    let chain = bundle.ders();
    let at = time::macros::datetime!(2030-06-01 00:00 UTC);
    // Every decoded text of the certificates, as JSON: a line break shows as `\n`.
    let certificate_text_has_newline = chain.iter().any(|der| {
        chainscope::CertificateInfo::decode(der, at)
            .ok()
            .and_then(|info| serde_json::to_string(&info).ok())
            .is_none_or(|json| json.contains("\\n"))
    });
    for host in [None, Some("localhost")] {
        // Laxest first: each stricter profile may only add rejections.
        let mut accepted_by_laxer = true;
        for profile in [Profile::Webpki, Profile::Clients, Profile::Rfc5280] {
            let mut options = VerifyOptions::default();
            options.host = host.map(|h| parse_host(h).expect("a valid host"));
            options.at = Some(at);
            options.profile = profile;
            let report = verify_chain(&chain, trust(), &options);
            if report.valid {
                assert!(report.webpki.valid, "valid although webpki rejects it");
                assert!(accepted_by_laxer, "{profile:?} accepts what a laxer profile rejects");
                assert!(report.error.is_none());
            } else {
                accepted_by_laxer = false;
                assert!(report.error.is_some(), "rejected without an error");
                assert!(
                    report.findings.iter().any(|f| f.severity == Severity::Error),
                    "rejected without an error finding"
                );
            }
            // chainscope's own wording never breaks a line; a line break in a message comes
            // only from certificate text quoted in it (kept exact in the library; the CLI
            // escapes it on the terminal).
            if !certificate_text_has_newline {
                for f in &report.findings {
                    assert!(!f.message.contains('\n'), "message on two lines: {}", f.message);
                }
            }
            serde_json::to_string(&report).expect("report serializes");
        }
    }
});
