//! The stable codes of `verify`: the README tables are generated from `Code` (and checked
//! against it), and every code can actually be produced — by the fixtures, the limbo and
//! BetterTLS cases, or a chain generated here for it — unless it is listed in `RESERVED`
//! with the reason it cannot be produced today.
//!
//! `CHAINSCOPE_BLESS=1 cargo test -p chainscope-tests --test verify_codes` rewrites the
//! README tables from `Code`.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use chainscope::trust::TrustStore;
use chainscope::verify::{
    parse_time, verify_chain, Code, Crl, Kind, Profile, Purpose, Severity, VerifyOptions,
    VerifyReport,
};
use chainscope::CertificateDer;
use chainscope_tests::fixture;
use chainscope_tests::limbo::load;
use chainscope_tests::mint::{ca_issuers_extension, ca_params};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DnType, DnValue, IsCa, Issuer, KeyPair,
};

/// Codes no test can produce today, and why. Each entry must stay unproduced: a reserved
/// code that shows up fails the test, so the list never hides a code that works.
const RESERVED: &[(Code, &str)] = &[
    (
        Code::Distrusted,
        "needs a certificate under one of the CA keys rustls-webpki hard-codes as distrusted; their private keys are not ours to sign with",
    ),
    (
        Code::Other,
        "for rustls-webpki error variants added after 0.103, and for webpki's CRL errors, which a verification never meets: CRLs are judged before webpki sees them (an unusable one becomes crl_unusable), with UnknownStatusPolicy::Allow and ExpirationPolicy::Ignore (chainscope reports revocation_unknown itself)",
    ),
    (
        Code::PartialChainNotAllowed,
        "a reason of the per-client predictions (chainscope::clients), never a finding of the verdict: produced in tests/tests/verify_clients_cli.rs and clients_differential.rs",
    ),
    (
        Code::LegacyTlsVersion,
        "about how a chain was captured, not about the chain: added to verify --connect reports by PresentedChain::capture_findings (tests/tests/legacy_tls.rs)",
    ),
    (
        Code::KeyPossessionUnproven,
        "about how a chain was captured, not about the chain: added to verify --connect reports by PresentedChain::capture_findings (tests/tests/legacy_tls.rs)",
    ),
];

fn readme_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")
}

const BEGIN: &str = "<!-- verify-codes:begin (generated from chainscope::verify::Code by tests/tests/verify_codes.rs) -->";
const END: &str = "<!-- verify-codes:end -->";

/// The README section of code tables, generated from `Code` and the rule catalogue.
fn generated_tables() -> String {
    type Family = (&'static str, fn(&Code) -> bool);
    let families: [Family; 6] = [
        ("Causes (rejected in every profile)", |c| {
            c.kind() == Kind::Cause
        }),
        (
            "Rules of the `clients` profile (a rejection from `clients` up, a warning in `webpki`)",
            |c| c.kind() == Kind::Rule(Profile::Clients),
        ),
        (
            "Rules of the `rfc5280` profile (`--strict`; a warning in the other profiles)",
            |c| c.kind() == Kind::Rule(Profile::Rfc5280),
        ),
        ("Advisory rules (a warning or note in every profile)", |c| {
            c.kind() == Kind::Advisory
        }),
        ("Warnings", |c| {
            c.kind() == Kind::Note && c.severity() == Severity::Warning
        }),
        ("Notes", |c| {
            c.kind() == Kind::Note && c.severity() == Severity::Info
        }),
    ];
    let mut out = String::new();
    for (title, wanted) in families {
        let rows: Vec<Code> = Code::all().filter(wanted).collect();
        let rules = rows.iter().any(|c| c.rule().is_some());
        out.push_str(&format!("{title}:\n\n"));
        if rules {
            out.push_str(
                "| code | severity | source | applies to | meaning |\n|---|---|---|---|---|\n",
            );
        } else {
            out.push_str("| code | severity | source | meaning |\n|---|---|---|---|\n");
        }
        for c in rows {
            let severity = match c.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
                other => panic!("no README spelling for {other:?}"),
            };
            let applies = match c.rule() {
                Some(r) => format!(" {} |", r.applies_to.names().join(", ")),
                None if rules => " — |".to_owned(),
                None => String::new(),
            };
            out.push_str(&format!(
                "| `{}` | {severity} | {} |{applies} {} |\n",
                c.as_str(),
                c.source(),
                c.summary()
            ));
        }
        out.push('\n');
    }
    out
}

#[test]
fn readme_code_tables_are_generated_from_the_code_enum() {
    let path = readme_path();
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("README lacks the verify-codes:begin marker");
    let end = readme
        .find(END)
        .expect("README lacks the verify-codes:end marker");
    let body_start = start + BEGIN.len() + 1;
    let current = &readme[body_start..end];
    let wanted = generated_tables();
    if current != wanted {
        if std::env::var_os("CHAINSCOPE_BLESS").is_some() {
            let updated = format!("{}{}{}", &readme[..body_start], wanted, &readme[end..]);
            std::fs::write(&path, updated).unwrap();
            return;
        }
        panic!(
            "the README code tables differ from chainscope::verify::Code; rerun with CHAINSCOPE_BLESS=1.\n--- README\n{current}\n--- generated\n{wanted}"
        );
    }
    // Every code is in a table exactly once.
    for code in Code::all() {
        let row = format!("| `{}` |", code.as_str());
        assert_eq!(
            current.matches(&row).count(),
            1,
            "{code} in the README tables"
        );
    }
}

fn certs(path: &str) -> Vec<CertificateDer<'static>> {
    chainscope::load_certificates(&fixture(path)).unwrap()
}

fn roots(dir: &str) -> TrustStore {
    TrustStore::from_certs(certs(&format!("{dir}/root.pem")), dir)
}

fn at(t: &str) -> VerifyOptions {
    let mut o = VerifyOptions::default();
    o.at = Some(parse_time(t).unwrap());
    o
}

/// The fixtures' validity window is 2025–2035; this is inside it.
const NOW: &str = "2026-06-01T00:00:00Z";

fn leaf_params(dns: &str) -> CertificateParams {
    let mut p = CertificateParams::new(vec![dns.to_owned()]).unwrap();
    p.distinguished_name.push(DnType::CommonName, dns);
    p.not_before = rcgen::date_time_ymd(2025, 6, 1);
    p.not_after = rcgen::date_time_ymd(2030, 1, 1);
    p.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    p
}

/// A root and its issuer handle.
fn root(cn: &str) -> (CertificateDer<'static>, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().unwrap();
    let cert = ca_params(cn).self_signed(&key).unwrap();
    (cert.der().clone(), Issuer::new(ca_params(cn), key))
}

fn inter(
    params: CertificateParams,
    by: &Issuer<'static, KeyPair>,
) -> (CertificateDer<'static>, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().unwrap();
    let cert = params.clone().signed_by(&key, by).unwrap();
    (cert.der().clone(), Issuer::new(params, key))
}

fn leaf(params: CertificateParams, by: &Issuer<'static, KeyPair>) -> CertificateDer<'static> {
    params
        .signed_by(&KeyPair::generate().unwrap(), by)
        .unwrap()
        .der()
        .clone()
}

/// Serves `body` once over HTTP/1.0 on 127.0.0.1; returns the URL. The thread ends after
/// one request or 10 s.
fn serve_once(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/issuer.der", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            match listener.accept() {
                Ok((mut s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    let mut buf = [0u8; 1024];
                    let _ = s.read(&mut buf);
                    let head = format!(
                        "HTTP/1.0 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let _ = s.write_all(head.as_bytes());
                    let _ = s.write_all(&body);
                    return;
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    url
}

/// Chains generated for the codes the fixtures and limbo do not reach.
fn generated_reports() -> Vec<VerifyReport> {
    let mut out = Vec::new();
    let now = || at(NOW);
    let (root_der, root_issuer) = root("Codes Root");
    let trust = TrustStore::from_certs(vec![root_der.clone()], "codes");

    // name_encoding_mismatch: the CA's subject CN is a PrintableString, the leaf's issuer
    // CN the same text as UTF8String.
    {
        let mut printable = ca_params("Codes Encoding CA");
        printable.distinguished_name = rcgen::DistinguishedName::new();
        printable.distinguished_name.push(
            DnType::CommonName,
            DnValue::PrintableString("Codes Encoding CA".try_into().unwrap()),
        );
        let key = KeyPair::generate().unwrap();
        let ca = printable.signed_by(&key, &root_issuer).unwrap();
        let utf8 = Issuer::new(ca_params("Codes Encoding CA"), key);
        let l = leaf(leaf_params("enc.codes.test"), &utf8);
        out.push(verify_chain(&[l, ca.der().clone()], &trust, &now()));
    }
    // leaf_used_as_ca: a leaf signs another certificate.
    {
        let (inter_der, inter_issuer) = inter(ca_params("Codes Inter"), &root_issuer);
        let (leaf_der, leaf_issuer) = inter(leaf_params("signer.codes.test"), &inter_issuer);
        let sub = leaf(leaf_params("sub.codes.test"), &leaf_issuer);
        out.push(verify_chain(&[sub, leaf_der, inter_der], &trust, &now()));
    }
    // path_len_exceeded: pathLen 0 above another CA.
    {
        let mut p = ca_params("Codes PathLen0");
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        let (i1, i1_issuer) = inter(p, &root_issuer);
        let (i2, i2_issuer) = inter(ca_params("Codes Below PathLen0"), &i1_issuer);
        let l = leaf(leaf_params("deep.codes.test"), &i2_issuer);
        out.push(verify_chain(&[l, i2, i1], &trust, &now()));
    }
    // bad_signature: the leaf names the intermediate but was signed by another key.
    {
        let (inter_der, _) = inter(ca_params("Codes Rekeyed"), &root_issuer);
        let impostor = Issuer::new(ca_params("Codes Rekeyed"), KeyPair::generate().unwrap());
        let l = leaf(leaf_params("rekey.codes.test"), &impostor);
        out.push(verify_chain(&[l, inter_der], &trust, &now()));
    }
    // malformed_certificate and empty_chain.
    out.push(verify_chain(
        &[CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00])],
        &trust,
        &now(),
    ));
    out.push(verify_chain(&[], &trust, &now()));
    // alternative_paths: one intermediate key certified by two trusted roots.
    {
        let (root_b, issuer_b) = root("Codes Root B");
        let key = KeyPair::generate().unwrap();
        let a = ca_params("Codes Cross")
            .signed_by(&key, &root_issuer)
            .unwrap();
        let b = ca_params("Codes Cross").signed_by(&key, &issuer_b).unwrap();
        let l = leaf(
            leaf_params("cross.codes.test"),
            &Issuer::new(ca_params("Codes Cross"), key),
        );
        let both = TrustStore::from_certs(vec![root_der.clone(), root_b], "two roots");
        let mut o = now();
        o.all_paths = true;
        out.push(verify_chain(
            &[l, a.der().clone(), b.der().clone()],
            &both,
            &o,
        ));
    }
    // path_building_budget_exceeded: many same-name intermediates, none of the right key.
    {
        let mut chain = vec![leaf(
            leaf_params("budget.codes.test"),
            &Issuer::new(ca_params("Codes Crowd"), KeyPair::generate().unwrap()),
        )];
        for _ in 0..110 {
            chain.push(inter(ca_params("Codes Crowd"), &root_issuer).0);
        }
        out.push(verify_chain(&chain, &trust, &now()));
    }
    // anchor_not_yet_valid: a root whose notBefore is after the validation time (webpki does
    // not look at anchor validity; the clients profile does).
    {
        let mut p = ca_params("Codes Future Root");
        p.not_before = rcgen::date_time_ymd(2026, 12, 1);
        let key = KeyPair::generate().unwrap();
        let future_root = p.self_signed(&key).unwrap();
        let issuer = Issuer::new(p, key);
        let l = leaf(leaf_params("future.codes.test"), &issuer);
        let store = TrustStore::from_certs(vec![future_root.der().clone()], "future");
        out.push(verify_chain(&[l], &store, &now()));
    }
    // anchor_unknown_critical_extension: a root with a critical private extension (webpki
    // does not look at the anchor's extensions).
    {
        let mut p = ca_params("Codes Odd Root");
        let mut ext =
            CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x05, 0x00]);
        ext.set_criticality(true);
        p.custom_extensions = vec![ext];
        let key = KeyPair::generate().unwrap();
        let odd_root = p.self_signed(&key).unwrap();
        let l = leaf(leaf_params("odd.codes.test"), &Issuer::new(p, key));
        let store = TrustStore::from_certs(vec![odd_root.der().clone()], "odd");
        out.push(verify_chain(&[l], &store, &now()));
    }
    // empty_issuer: a root with an empty subject, and its leaf.
    {
        let mut p = ca_params("unused");
        p.distinguished_name = rcgen::DistinguishedName::new();
        let key = KeyPair::generate().unwrap();
        let nameless = p.self_signed(&key).unwrap();
        let l = leaf(leaf_params("nameless.codes.test"), &Issuer::new(p, key));
        let store = TrustStore::from_certs(vec![nameless.der().clone()], "nameless");
        out.push(verify_chain(&[l], &store, &now()));
    }
    // underscore_in_dns_name.
    {
        let (inter_der, inter_issuer) = inter(ca_params("Codes Underscore CA"), &root_issuer);
        let l = leaf(leaf_params("under_score.codes.test"), &inter_issuer);
        out.push(verify_chain(&[l, inter_der], &trust, &now()));
    }
    // out_of_order: two intermediates sent the wrong way round.
    {
        let (i1, i1_issuer) = inter(ca_params("Codes Upper"), &root_issuer);
        let (i2, i2_issuer) = inter(ca_params("Codes Lower"), &i1_issuer);
        let l = leaf(leaf_params("order.codes.test"), &i2_issuer);
        out.push(verify_chain(&[l, i1, i2], &trust, &now()));
    }
    // aia_fetch_failed (an https:// caIssuers URL is not fetched) and aia_fetched.
    {
        let (inter_der, inter_issuer) = inter(ca_params("Codes AIA Inter"), &root_issuer);
        let mut https = leaf_params("aia.codes.test");
        https.custom_extensions = vec![ca_issuers_extension("https://ca.codes.test/i.der")];
        let limits = chainscope::fetch::AiaOptions::default();
        let with_aia = |chain: &[CertificateDer<'static>]| {
            let mut o = now();
            o.aia = chainscope::fetch::fetch_aia_blocking(chain, &[], &trust, &limits).unwrap();
            verify_chain(chain, &trust, &o)
        };
        out.push(with_aia(&[leaf(https, &inter_issuer)]));
        let mut http = leaf_params("aia.codes.test");
        http.custom_extensions = vec![ca_issuers_extension(&serve_once(inter_der.to_vec()))];
        out.push(with_aia(&[leaf(http, &inter_issuer)]));
    }
    out
}

/// Runs the openssl command line in `dir`; the test fails when openssl is missing.
fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("these tests need the openssl command line (apt-get install openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Certificates rcgen cannot make, signed by openssl under an rcgen root: an X.509 v1 leaf
/// (`unsupported_cert_version`) and a v3 leaf with a negative serial (`serial_negative`).
/// Validated now: openssl dates them from today.
fn openssl_reports() -> Vec<VerifyReport> {
    let dir = std::env::temp_dir().join(format!("chainscope-codes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let key = KeyPair::generate().unwrap();
    let root = ca_params("Codes OpenSSL Root").self_signed(&key).unwrap();
    std::fs::write(dir.join("ca.pem"), root.pem()).unwrap();
    std::fs::write(dir.join("ca.key"), key.serialize_pem()).unwrap();
    let store = TrustStore::from_certs(vec![root.der().clone()], "openssl");
    openssl(
        &dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "k.pem",
            "-subj",
            "/CN=openssl.codes.test",
            "-out",
            "r.csr",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "r.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "5",
            "-days",
            "30",
            "-out",
            "v1.pem",
        ],
    );
    std::fs::write(dir.join("v3.ext"), "basicConstraints=CA:FALSE\nsubjectAltName=DNS:openssl.codes.test\nextendedKeyUsage=serverAuth\n").unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "r.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "-5",
            "-days",
            "30",
            "-extfile",
            "v3.ext",
            "-out",
            "negative.pem",
        ],
    );
    let out = ["v1.pem", "negative.pem"]
        .iter()
        .map(|f| {
            let chain = chainscope::load_certificates(&dir.join(f)).unwrap();
            verify_chain(&chain, &store, &VerifyOptions::default())
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Fixture chains under options that reach the codes they were made for.
fn fixture_reports() -> Vec<VerifyReport> {
    let mut out = Vec::new();
    let for_host = |h: &str| {
        let mut o = VerifyOptions::for_host(h).unwrap();
        o.at = Some(parse_time(NOW).unwrap());
        o
    };
    out.push(verify_chain(
        &certs("rsa/chain.pem"),
        &roots("rsa"),
        &at("2040-01-01T00:00:00Z"),
    ));
    out.push(verify_chain(
        &certs("rsa/chain.pem"),
        &roots("rsa"),
        &at("2000-01-01T00:00:00Z"),
    ));
    out.push(verify_chain(
        &certs("missing-intermediate/chain.pem"),
        &roots("missing-intermediate"),
        &at(NOW),
    ));
    out.push(verify_chain(
        &certs("rsa/chain.pem"),
        &roots("ecdsa"),
        &at(NOW),
    ));
    out.push(verify_chain(
        &certs("rsa/fullchain-with-root.pem"),
        &roots("ecdsa"),
        &at(NOW),
    ));
    out.push(verify_chain(
        &certs("self-signed/cert.pem"),
        &roots("rsa"),
        &at(NOW),
    ));
    out.push(verify_chain(
        &certs("rsa/chain.pem"),
        &roots("rsa"),
        &for_host("example.com"),
    ));
    let mut client = at(NOW);
    client.purposes = vec![Purpose::ServerAuth];
    out.push(verify_chain(
        &certs("client-eku/chain.pem"),
        &roots("client-eku"),
        &client,
    ));
    out.push(verify_chain(
        &certs("ca-as-leaf/chain.pem"),
        &roots("ca-as-leaf"),
        &at(NOW),
    ));
    out.push(verify_chain(
        &certs("name-constrained/bad-chain.pem"),
        &roots("name-constrained"),
        &at(NOW),
    ));
    out.push(verify_chain(
        &certs("sha1/chain.pem"),
        &roots("sha1"),
        &at(NOW),
    ));
    out.push(verify_chain(
        &certs("rsa1024/chain.pem"),
        &roots("rsa1024"),
        &at(NOW),
    ));
    let mut revoked = at(NOW);
    revoked.crls = Crl::load(&fixture("rsa/inter-revoking.crl.pem")).unwrap();
    revoked.untrusted = certs("rsa/inter.pem");
    out.push(verify_chain(
        &certs("rsa/revoked-leaf.pem"),
        &roots("rsa"),
        &revoked,
    ));
    // revocation_unknown (no CRL of the root for the intermediate) and crl_unusable (a
    // block that is not a CRL).
    let mut unknown = at(NOW);
    unknown.crls = Crl::load(&fixture("rsa/inter-revoking.crl.pem")).unwrap();
    unknown
        .crls
        .extend(Crl::from_bytes(&[0x30, 0x03, 0x02, 0x01, 0x00], "garbage.der").unwrap());
    out.push(verify_chain(
        &certs("rsa/chain.pem"),
        &roots("rsa"),
        &unknown,
    ));
    let mut shallow = at(NOW);
    shallow.max_depth = Some(0);
    out.push(verify_chain(
        &certs("rsa/chain.pem"),
        &roots("rsa"),
        &shallow,
    ));
    let mut soon = at("2035-05-20T00:00:00Z");
    soon.warn_days = 30;
    out.push(verify_chain(&certs("rsa/chain.pem"), &roots("rsa"), &soon));
    let mut reversed = certs("rsa/fullchain-with-root.pem");
    reversed[1..].reverse();
    out.push(verify_chain(&reversed, &roots("rsa"), &at(NOW)));
    let mut doubled = certs("rsa/chain.pem");
    doubled.push(doubled[1].clone());
    doubled.push(certs("ecdsa/inter.pem").remove(0));
    out.push(verify_chain(&doubled, &roots("rsa"), &at(NOW)));
    let mut untrusted = at(NOW);
    untrusted.untrusted = certs("missing-intermediate/inter.pem");
    out.push(verify_chain(
        &certs("missing-intermediate/chain.pem"),
        &roots("missing-intermediate"),
        &untrusted,
    ));
    out
}

fn limbo_reports() -> Vec<VerifyReport> {
    let mut out = Vec::new();
    for file in ["limbo-dev.json", "bettertls-dev.json"] {
        let path = fixture(&format!("limbo/{file}"));
        for case in load(path.to_str().unwrap()) {
            for profile in [Profile::Webpki, Profile::Clients, Profile::Rfc5280] {
                if let Ok(r) = case.report(profile) {
                    out.push(r);
                }
            }
        }
    }
    out
}

#[test]
fn every_code_is_produced_unless_reserved_with_a_reason() {
    let mut reports = fixture_reports();
    reports.extend(generated_reports());
    reports.extend(openssl_reports());
    reports.extend(limbo_reports());
    let mut seen = BTreeSet::new();
    for r in &reports {
        for f in &r.findings {
            seen.insert(f.code);
            // One severity per code: an error code is only ever demoted to a warning.
            assert!(
                f.severity == f.code.severity()
                    || (f.code.severity() == Severity::Error && f.severity == Severity::Warning),
                "{} reported as {:?}",
                f.code,
                f.severity
            );
        }
        if let Some(e) = &r.error {
            assert_eq!(r.findings[0].code, e.code, "the error is the first finding");
        }
    }
    let reserved: BTreeSet<Code> = RESERVED.iter().map(|(c, _)| *c).collect();
    // Each rule of the catalogue is produced by its own pair of chains in
    // tests/tests/verify_rules.rs, which fails for a rule without one.
    let missing: Vec<&str> = Code::all()
        .filter(|c| c.rule().is_none())
        .filter(|c| !seen.contains(c) && !reserved.contains(c))
        .map(|c| c.as_str())
        .collect();
    let produced_anyway: Vec<&str> = reserved
        .iter()
        .filter(|c| seen.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(missing.is_empty(), "never produced: {missing:?}");
    assert!(
        produced_anyway.is_empty(),
        "reserved but produced (drop them from RESERVED): {produced_anyway:?}"
    );
}
