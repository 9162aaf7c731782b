//! The diagnosis of rejected chains (`verify/walk.rs`): for every RFC 5280 §6.1 step, a
//! pair of chains generated here — one that passes, one that fails only that step — and
//! the exact `error.code`, the certificate it names, and that no message holds an empty
//! list. Where `openssl verify` checks the same thing, its verdict category is compared.
//!
//! Needs the `openssl` command (the comparisons and the RSA-1024 CA); fails without it.
//!
//! `CHAINSCOPE_DIAGNOSIS_SCORE=FILE` also writes a record of every assertion on the
//! diagnosis (one line per case: test, expected code, code given, whether the certificate
//! is named), for measuring a build against these cases with `--no-fail-fast`. The
//! assertions still run: a record never turns a miss into a pass.

use std::net::IpAddr;
use std::process::Command;

use chainscope::trust::TrustStore;
use chainscope::verify::{verify_chain, Profile, VerifyOptions, VerifyReport};
use chainscope::CertificateDer;
use chainscope_tests::{certs_pem, TempDir};
use rcgen::string::{Ia5String, PrintableString};
use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, CustomExtension, DistinguishedName, DnType,
    DnValue, ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    NameConstraints, SanType,
};

type Der = CertificateDer<'static>;

/// The validation time of every case: 2030-06-01.
const AT: i64 = 1_906_502_400;
const HOST: &str = "leaf.test";

/// A CA: its parameters (the subject it signs as), key and certificate.
struct Ca {
    params: CertificateParams,
    key: KeyPair,
    der: Der,
}

impl Ca {
    fn issuer(&self) -> Issuer<'_, &KeyPair> {
        Issuer::from_params(&self.params, &self.key)
    }

    /// An issuer that signs with this CA's key but writes `name` as the issuer name.
    fn issuer_named(&self, name: DistinguishedName) -> Issuer<'_, &KeyPair> {
        let mut p = self.params.clone();
        p.distinguished_name = name;
        Issuer::new(p, &self.key)
    }
}

fn dn(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::OrganizationName, "Diagnosis Tests");
    d.push(DnType::CommonName, cn);
    d
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name = dn(cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2040, 1, 1);
    p.use_authority_key_identifier_extension = true;
    p
}

fn root_with(cn: &str, f: impl FnOnce(&mut CertificateParams)) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = ca_params(cn);
    f(&mut params);
    let der = params.self_signed(&key).unwrap().der().clone();
    Ca { params, key, der }
}

fn root(cn: &str) -> Ca {
    root_with(cn, |_| {})
}

fn sub_with(cn: &str, parent: &Ca, f: impl FnOnce(&mut CertificateParams)) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = ca_params(cn);
    f(&mut params);
    let der = params
        .signed_by(&key, &parent.issuer())
        .unwrap()
        .der()
        .clone();
    Ca { params, key, der }
}

fn sub(cn: &str, parent: &Ca) -> Ca {
    sub_with(cn, parent, |_| {})
}

fn leaf_params() -> CertificateParams {
    let mut p = CertificateParams::new(vec![HOST.to_owned()]).unwrap();
    p.distinguished_name = dn(HOST);
    p.not_before = rcgen::date_time_ymd(2026, 1, 1);
    p.not_after = rcgen::date_time_ymd(2031, 1, 1);
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    p.use_authority_key_identifier_extension = true;
    p
}

fn leaf_with_issuer(issuer: &Issuer<'_, &KeyPair>, f: impl FnOnce(&mut CertificateParams)) -> Der {
    let mut p = leaf_params();
    f(&mut p);
    p.signed_by(&KeyPair::generate().unwrap(), issuer)
        .unwrap()
        .der()
        .clone()
}

fn leaf_with(parent: &Ca, f: impl FnOnce(&mut CertificateParams)) -> Der {
    leaf_with_issuer(&parent.issuer(), f)
}

fn leaf(parent: &Ca) -> Der {
    leaf_with(parent, |_| {})
}

/// The same certificate with one bit of its signature flipped.
fn tampered(der: &Der) -> Der {
    let mut v = der.to_vec();
    let last = v.len() - 1;
    v[last] ^= 1;
    CertificateDer::from(v)
}

fn critical(oid: &[u64]) -> CustomExtension {
    let mut e = CustomExtension::from_oid_content(oid, vec![0x05, 0x00]);
    e.set_criticality(true);
    e
}

/// Other CAs for the `--untrusted` pool: unrelated, one with a critical extension rustls
/// cannot process (what made rustls-webpki report UnsupportedCriticalExtension).
fn pool() -> Vec<Der> {
    let other = root("Pool Root");
    let mut v: Vec<Der> = (0..4)
        .map(|i| sub(&format!("Pool CA {i}"), &other).der)
        .collect();
    v.push(
        sub_with("Pool CA with policy constraints", &other, |p| {
            p.custom_extensions.push(critical(&[2, 5, 29, 36]));
        })
        .der,
    );
    v.push(other.der);
    v
}

fn options(untrusted: Vec<Der>) -> VerifyOptions {
    let mut o = VerifyOptions::for_host(HOST).unwrap();
    o.at = Some(time::OffsetDateTime::from_unix_timestamp(AT).unwrap());
    o.untrusted = untrusted;
    o
}

fn run(chain: &[&Der], roots: &[&Der], untrusted: Vec<Der>) -> VerifyReport {
    let trust = if roots.is_empty() {
        TrustStore::mozilla()
    } else {
        TrustStore::from_certs(roots.iter().map(|d| (*d).clone()).collect(), "roots.pem")
    };
    let chain: Vec<Der> = chain.iter().map(|d| (*d).clone()).collect();
    let report = verify_chain(&chain, &trust, &options(untrusted));
    no_empty_lists(&report);
    report
}

/// The file of `CHAINSCOPE_DIAGNOSIS_SCORE`, when measuring.
fn score_file() -> Option<String> {
    std::env::var("CHAINSCOPE_DIAGNOSIS_SCORE").ok()
}

fn record(line: &str) {
    use std::io::Write;
    let file = score_file().expect("measuring");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .expect("score file");
    let test = std::thread::current().name().unwrap_or("?").to_owned();
    writeln!(f, "{test}\t{line}").expect("score file");
}

/// An assertion on the diagnosis, also recorded when measuring.
fn check(ok: bool, what: &str) {
    if score_file().is_some() {
        record(&format!("check\t{what}\t{ok}"));
    }
    assert!(ok, "{what}");
}

/// No message, fix or clients note holds an empty list or empty parentheses.
fn no_empty_lists(report: &VerifyReport) {
    if score_file().is_some() {
        let empty = report.findings.iter().any(|f| {
            ["()", "[]", "''", "``"]
                .iter()
                .any(|b| f.message.contains(b))
        });
        record(&format!("empty\t{empty}"));
    }
    let mut texts: Vec<&str> = Vec::new();
    if let Some(e) = &report.error {
        texts.push(&e.message);
    }
    for f in &report.findings {
        texts.push(&f.message);
        texts.extend(f.fix.as_deref());
        texts.extend(f.clients.as_deref());
    }
    for t in texts {
        for bad in [
            "()", "( ", " )", "[]", "''", "``", "(, ", ", ,", ", )", ": ;", ": ,",
        ] {
            assert!(!t.contains(bad), "empty list {bad:?} in: {t}");
        }
        assert!(!t.trim_end().ends_with(':'), "dangling colon in: {t}");
    }
}

/// The report is a rejection with `code`, naming the certificate whose subject contains
/// `subject` (in the error's finding), and `words` in the message.
fn rejected(report: &VerifyReport, code: &str, subject: &str, words: &[&str]) {
    if score_file().is_some() {
        let got = report
            .error
            .as_ref()
            .map(|e| e.code.as_str())
            .unwrap_or("valid");
        let named = report.error.as_ref().is_some_and(|e| {
            report.findings[0]
                .subject
                .as_deref()
                .unwrap_or_default()
                .contains(subject)
                || e.message.contains(subject)
        });
        record(&format!("case\t{code}\t{got}\t{named}"));
    }
    assert!(!report.valid, "accepted: {report:#?}");
    let e = report.error.as_ref().expect("an error");
    assert_eq!(e.code, code, "{:#?}", report.findings);
    let first = &report.findings[0];
    assert_eq!(first.code, code);
    assert!(
        first
            .subject
            .as_deref()
            .unwrap_or_default()
            .contains(subject)
            || e.message.contains(subject),
        "{subject} not named: {first:#?}"
    );
    for w in words {
        assert!(e.message.contains(w), "{w:?} not in: {}", e.message);
    }
}

fn valid(report: &VerifyReport) {
    if score_file().is_some() {
        record(&format!("valid\t{}", report.valid));
    }
    assert!(report.valid, "{:#?}", report.findings);
    assert!(report.error.is_none());
}

// --- openssl verify -------------------------------------------------------------------

/// `openssl verify`'s error number on the leaf (0 = OK), with `-CAfile` the roots and
/// `-untrusted` the rest of the chain.
fn openssl_verdict(chain: &[&Der], roots: &[&Der], extra: &[&str]) -> u32 {
    let dir = TempDir::new("diag-openssl");
    let write = |name: &str, certs: &[&Der]| {
        let path = dir.join(name);
        std::fs::write(&path, certs_pem(certs)).unwrap();
        path
    };
    let leaf = write("leaf.pem", &chain[..1]);
    let ca = write("ca.pem", roots);
    let mut cmd = Command::new("openssl");
    cmd.args(["verify", "-attime", &AT.to_string(), "-CAfile", &ca]);
    if chain.len() > 1 {
        cmd.args(["-untrusted", &write("chain.pem", &chain[1..])]);
    }
    cmd.args(extra).arg(&leaf);
    let out = cmd
        .output()
        .expect("the openssl command is needed for this test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        return 0;
    }
    // "error 7 at 1 depth lookup: certificate signature failure"
    text.split("error ")
        .skip(1)
        .find_map(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no error number in openssl's output: {text}"))
}

/// chainscope's code → the OpenSSL X509_V_ERR numbers of the same category.
fn openssl_category(code: &str) -> &'static [u32] {
    match code {
        "bad_signature" => &[7],
        "not_yet_valid" => &[9],
        "expired" => &[10],
        "missing_intermediate" | "unknown_issuer" | "issuer_name_mismatch" => &[2, 20],
        "untrusted_root" => &[19],
        "self_signed_leaf" => &[18],
        "leaf_used_as_ca" => &[79],
        "path_len_exceeded" => &[25],
        "wrong_purpose" => &[26],
        "unknown_critical_extension" => &[34],
        "name_constraint_violated" => &[47, 48],
        "weak_key" => &[66, 67],
        "weak_signature_algorithm" => &[68],
        _ => &[],
    }
}

fn agrees_with_openssl(report: &VerifyReport, chain: &[&Der], roots: &[&Der], extra: &[&str]) {
    let code = report
        .error
        .as_ref()
        .map(|e| e.code.as_str())
        .unwrap_or("ok");
    let theirs = openssl_verdict(chain, roots, extra);
    if code == "ok" {
        assert_eq!(
            theirs, 0,
            "openssl rejects (error {theirs}) what chainscope accepts"
        );
    } else {
        assert!(
            openssl_category(code).contains(&theirs),
            "chainscope says {code}, openssl error {theirs}"
        );
    }
}

/// The passing twin of a rejected chain (the same construction, the fault corrected):
/// chainscope finds it valid and `openssl verify` (with `extra`) accepts it.
fn twin_valid(chain: &[&Der], roots: &[&Der], extra: &[&str]) {
    valid(&run(chain, roots, vec![]));
    assert_eq!(
        openssl_verdict(chain, roots, extra),
        0,
        "openssl rejects the passing twin"
    );
}

/// [`critical`]'s extension, not critical.
fn not_critical(oid: &[u64]) -> CustomExtension {
    CustomExtension::from_oid_content(oid, vec![0x05, 0x00])
}

// --- step 1: the path reaches a trust anchor ---------------------------------------------

#[test]
fn leaf_of_an_untrusted_private_root_names_the_root_never_a_missing_intermediate() {
    let private = root("Private Root");
    let leaf = leaf(&private);
    // Trusted: valid.
    valid(&run(&[&leaf], &[&private.der], vec![]));
    // Checked against the Mozilla roots, with the root sent along.
    let r = run(&[&leaf, &private.der], &[], vec![]);
    rejected(
        &r,
        "untrusted_root",
        "Private Root",
        &[
            "`CN=Private Root,O=Diagnosis Tests`",
            "is not in the trust store",
        ],
    );
    check(
        !r.has(chainscope::verify::Code::MissingIntermediate),
        "!r.has(MissingIntermediate)",
    );
    // The root only in --untrusted: the same.
    let r = run(&[&leaf], &[], vec![private.der.clone()]);
    rejected(
        &r,
        "untrusted_root",
        "Private Root",
        &["is not in the trust store"],
    );
    // Only the leaf, no AIA: the issuing CA is not trusted, and nothing says it is an
    // intermediate.
    let r = run(&[&leaf], &[], vec![]);
    rejected(
        &r,
        "unknown_issuer",
        HOST,
        &[
            "the issuing CA `CN=Private Root,O=Diagnosis Tests`",
            "is not in the trust store (mozilla)",
        ],
    );
    check(
        !r.has(chainscope::verify::Code::MissingIntermediate),
        "!r.has(MissingIntermediate)",
    );
    let other = root("Other Root");
    agrees_with_openssl(
        &run(&[&leaf, &private.der], &[&other.der], vec![]),
        &[&leaf, &private.der],
        &[&other.der],
        &[],
    );
}

#[test]
fn untrusted_self_signed_leaf() {
    let key = KeyPair::generate().unwrap();
    let leaf = leaf_params().self_signed(&key).unwrap().der().clone();
    valid(&run(&[&leaf], &[&leaf], vec![]));
    let other = root("Other Root");
    let r = run(&[&leaf], &[&other.der], vec![]);
    rejected(&r, "self_signed_leaf", HOST, &["self-signed"]);
    agrees_with_openssl(&r, &[&leaf], &[&other.der], &[]);
}

#[test]
fn intermediate_absent_from_a_pool_of_other_cas() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    let leaf = leaf(&inter);
    valid(&run(&[&leaf], &[&root.der], {
        let mut p = pool();
        p.push(inter.der.clone());
        p
    }));
    let r = run(&[&leaf], &[&root.der], pool());
    rejected(
        &r,
        "unknown_issuer",
        HOST,
        &[
            "`CN=Inter,O=Diagnosis Tests`",
            "rustls-webpki reported UnsupportedCriticalExtension",
            "CN=Pool CA with policy constraints,O=Diagnosis Tests (from the untrusted intermediates)",
        ],
    );
    // A trusted root whose name only resembles the issuer's (case) and whose key did not
    // sign: not the issuer, the issuer is still missing.
    let lookalike = root_with("unused", |p| p.distinguished_name = dn("inter"));
    let r = run(&[&leaf], &[&root.der, &lookalike.der], vec![]);
    rejected(
        &r,
        "unknown_issuer",
        HOST,
        &["`CN=Inter,O=Diagnosis Tests`"],
    );
    // The server sends another certificate, not the issuer: the intermediate is missing.
    let stray = sub("Stray", &root);
    let r = run(&[&leaf, &stray.der], &[&root.der], pool());
    rejected(
        &r,
        "missing_intermediate",
        HOST,
        &[
            "`CN=Inter,O=Diagnosis Tests`",
            "does not send its intermediate",
        ],
    );
    agrees_with_openssl(&r, &[&leaf, &stray.der], &[&root.der], &[]);
}

#[test]
fn a_roots_file_holding_the_intermediate_is_named_so_and_never_root_sent() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    let leaf = leaf(&inter);
    let r = run(&[&leaf, &inter.der], &[&inter.der], vec![]);
    valid(&r);
    check(
        !r.has(chainscope::verify::Code::RootSent),
        "!r.has(RootSent)",
    );
    let note = r
        .findings
        .iter()
        .find(|f| f.code == "anchor_is_intermediate")
        .expect("anchor_is_intermediate");
    assert!(
        note.message.contains("`CN=Inter,O=Diagnosis Tests`"),
        "{}",
        note.message
    );
    assert!(
        note.message.contains("trusting an intermediate"),
        "{}",
        note.message
    );
    assert!(note.message.contains("PARTIAL_CHAIN"), "{}", note.message);
    // A real root sent by the server is root_sent.
    let r = run(&[&leaf, &inter.der, &root.der], &[&root.der], vec![]);
    valid(&r);
    check(r.has(chainscope::verify::Code::RootSent), "r.has(RootSent)");
    check(
        !r.has(chainscope::verify::Code::AnchorIsIntermediate),
        "!r.has(AnchorIsIntermediate)",
    );
    // openssl verify rejects the partial chain without -partial_chain.
    assert_ne!(openssl_verdict(&[&leaf], &[&inter.der], &[]), 0);
    assert_eq!(
        openssl_verdict(&[&leaf], &[&inter.der], &["-partial_chain"]),
        0
    );
}

// --- step 2.2: signatures ---------------------------------------------------------------

#[test]
fn bad_ca_signature_in_a_pool_of_other_cas() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    let leaf = leaf(&inter);
    valid(&run(&[&leaf, &inter.der], &[&root.der], pool()));
    let bad = tampered(&inter.der);
    let r = run(&[&leaf, &bad], &[&root.der], pool());
    rejected(
        &r,
        "bad_signature",
        "CN=Inter",
        &["cert 2 (CN=Inter,O=Diagnosis Tests)", "CN=Root"],
    );
    // The pool CA rustls could not parse is not blamed.
    check(
        !r.has(chainscope::verify::Code::UnknownCriticalExtension),
        "!r.has(UnknownCriticalExtension)",
    );
    agrees_with_openssl(&r, &[&leaf, &bad], &[&root.der], &[]);
}

#[test]
fn rsa_1024_issuer_is_weak_key_naming_the_size_and_the_ca() {
    let dir = TempDir::new("diag-rsa1024");
    let sh = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("the openssl command is needed for this test");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ext = dir.join("ext.cnf");
    std::fs::write(
        &ext,
        "[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n\
         [leaf]\nbasicConstraints=CA:FALSE\nsubjectAltName=DNS:leaf.test\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\n",
    )
    .unwrap();
    for (bits, name) in [("1024", "weak"), ("2048", "strong")] {
        sh(&[
            "req",
            "-x509",
            "-newkey",
            &format!("rsa:{bits}"),
            "-nodes",
            "-keyout",
            &format!("{name}-root.key"),
            "-out",
            &format!("{name}-root.pem"),
            "-subj",
            &format!("/O=Diagnosis Tests/CN=RSA-{bits} Root"),
            "-days",
            "7300",
            "-sha256",
            "-extensions",
            "ca",
            "-config",
            &ext,
            "-set_serial",
            "1",
        ]);
        sh(&[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{name}-leaf.key"),
            "-out",
            &format!("{name}-leaf.csr"),
            "-subj",
            "/CN=leaf.test",
        ]);
        sh(&[
            "x509",
            "-req",
            "-in",
            &format!("{name}-leaf.csr"),
            "-CA",
            &format!("{name}-root.pem"),
            "-CAkey",
            &format!("{name}-root.key"),
            "-out",
            &format!("{name}-leaf.pem"),
            "-days",
            "1800",
            "-sha256",
            "-extfile",
            &ext,
            "-extensions",
            "leaf",
            "-set_serial",
            "2",
        ]);
    }
    let load = |f: &str| {
        chainscope::load_certificates(dir.path().join(f).as_ref())
            .unwrap()
            .remove(0)
    };
    let (strong_root, strong_leaf) = (load("strong-root.pem"), load("strong-leaf.pem"));
    let (weak_root, weak_leaf) = (load("weak-root.pem"), load("weak-leaf.pem"));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let opts = |_: ()| {
        let mut o = VerifyOptions::for_host(HOST).unwrap();
        o.at = Some(time::OffsetDateTime::from_unix_timestamp(now).unwrap());
        o
    };
    let trust = |d: &Der| TrustStore::from_certs(vec![d.clone()], "roots.pem");
    let r = verify_chain(&[strong_leaf], &trust(&strong_root), &opts(()));
    valid(&r);
    for profile in [Profile::Webpki, Profile::Clients, Profile::Rfc5280] {
        let mut o = opts(());
        o.profile = profile;
        let r = verify_chain(std::slice::from_ref(&weak_leaf), &trust(&weak_root), &o);
        no_empty_lists(&r);
        rejected(
            &r,
            "weak_key",
            HOST,
            &[
                "RSA-1024",
                "CN=RSA-1024 Root,O=Diagnosis Tests",
                "the signature verifies",
            ],
        );
        check(
            !r.has(chainscope::verify::Code::BadSignature),
            "!r.has(BadSignature)",
        );
    }
    // OpenSSL at security level 2 refuses the CA key too (CA_KEY_TOO_SMALL).
    let o = opts(());
    let r = verify_chain(std::slice::from_ref(&weak_leaf), &trust(&weak_root), &o);
    let out = Command::new("openssl")
        .args([
            "verify",
            "-auth_level",
            "2",
            "-CAfile",
            &dir.join("weak-root.pem"),
            &dir.join("weak-leaf.pem"),
        ])
        .output()
        .expect("openssl");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{text}");
    let n: u32 = text
        .split("error ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    assert!(
        openssl_category(r.error.as_ref().unwrap().code.as_str()).contains(&n),
        "openssl error {n}: {text}"
    );
}

// --- step 2.3: validity -----------------------------------------------------------------

#[test]
fn expired_intermediate_is_named() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    let old = sub_with("Old Inter", &root, |p| {
        p.not_after = rcgen::date_time_ymd(2029, 1, 1)
    });
    valid(&run(&[&leaf(&inter), &inter.der], &[&root.der], vec![]));
    let leaf = leaf(&old);
    let r = run(&[&leaf, &old.der], &[&root.der], vec![]);
    rejected(&r, "expired", "CN=Old Inter", &["2029-01-01"]);
    agrees_with_openssl(&r, &[&leaf, &old.der], &[&root.der], &[]);
}

#[test]
fn leaf_not_yet_valid() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    let leaf = leaf_with(&inter, |p| p.not_before = rcgen::date_time_ymd(2030, 7, 1));
    let r = run(&[&leaf, &inter.der], &[&root.der], vec![]);
    rejected(&r, "not_yet_valid", HOST, &["2030-07-01"]);
    agrees_with_openssl(&r, &[&leaf, &inter.der], &[&root.der], &[]);
    // Twin: notBefore 2026-01-01.
    twin_valid(&[&leaf_with(&inter, |_| {}), &inter.der], &[&root.der], &[]);
}

// --- step 2.5: name chaining --------------------------------------------------------------

fn name_case(issuer_name: DistinguishedName, subject_name: DistinguishedName, how: &str) {
    let root = root("Root");
    let inter = sub_with("unused", &root, |p| p.distinguished_name = subject_name);
    let good = leaf(&inter);
    valid(&run(&[&good, &inter.der], &[&root.der], pool()));
    let leaf = leaf_with_issuer(&inter.issuer_named(issuer_name), |_| {});
    let r = run(&[&leaf, &inter.der], &[&root.der], pool());
    rejected(&r, "name_encoding_mismatch", HOST, &["§7.1", how]);
    check(
        !r.has(chainscope::verify::Code::UnknownCriticalExtension),
        "!r.has(UnknownCriticalExtension)",
    );
}

#[test]
fn issuer_name_differing_only_in_case() {
    name_case(dn("test inter"), dn("Test Inter"), "letter case");
}

#[test]
fn issuer_name_differing_only_in_white_space() {
    name_case(dn("Test  Inter "), dn("Test Inter"), "white space");
}

#[test]
fn issuer_name_differing_only_in_string_type() {
    let mut printable = DistinguishedName::new();
    printable.push(
        DnType::OrganizationName,
        DnValue::PrintableString(PrintableString::try_from("Diagnosis Tests").unwrap()),
    );
    printable.push(
        DnType::CommonName,
        DnValue::PrintableString(PrintableString::try_from("Test Inter").unwrap()),
    );
    name_case(dn("Test Inter"), printable, "PrintableString");
}

#[test]
fn issuer_named_wrongly_but_signed_by_the_ca() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    let leaf = leaf_with_issuer(&inter.issuer_named(dn("Somebody Else")), |_| {});
    let r = run(&[&leaf, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "issuer_name_mismatch",
        HOST,
        &["`CN=Somebody Else,O=Diagnosis Tests`", "CN=Inter"],
    );
    agrees_with_openssl(&r, &[&leaf, &inter.der], &[&root.der], &[]);
    // Twin: the issuer name is the CA's.
    let twin = leaf_with_issuer(&inter.issuer(), |_| {});
    twin_valid(&[&twin, &inter.der], &[&root.der], &[]);
}

// --- step 2.6: name constraints -----------------------------------------------------------

fn constrained(nc: NameConstraints) -> (Ca, Ca) {
    let root = root("Root");
    let inter = sub_with("Constrained", &root, |p| p.name_constraints = Some(nc));
    (root, inter)
}

#[test]
fn dns_name_constraint_violation_names_the_name_and_the_subtree() {
    let (root, inter) = constrained(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DnsName("leaf.test".into())],
        excluded_subtrees: vec![],
    });
    valid(&run(&[&leaf(&inter), &inter.der], &[&root.der], vec![]));
    let evil = leaf_with(&inter, |p| {
        p.subject_alt_names.push(SanType::DnsName(
            Ia5String::try_from("evil.example").unwrap(),
        ))
    });
    let r = run(&[&evil, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "name_constraint_violated",
        HOST,
        &["DNS:evil.example", "DNS:leaf.test"],
    );
    agrees_with_openssl(&r, &[&evil, &inter.der], &[&root.der], &[]);
}

#[test]
fn ip_name_constraint_violation() {
    let (root, inter) = constrained(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::IpAddress(
            "10.0.0.0/8".parse::<CidrSubnet>().unwrap(),
        )],
        excluded_subtrees: vec![],
    });
    let ip = |a: &str| {
        let a: IpAddr = a.parse().unwrap();
        move |p: &mut CertificateParams| p.subject_alt_names.push(SanType::IpAddress(a))
    };
    valid(&run(
        &[&leaf_with(&inter, ip("10.1.2.3")), &inter.der],
        &[&root.der],
        vec![],
    ));
    let bad = leaf_with(&inter, ip("192.168.1.1"));
    let r = run(&[&bad, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "name_constraint_violated",
        HOST,
        &["IP:192.168.1.1", "10.0.0.0/8"],
    );
    agrees_with_openssl(&r, &[&bad, &inter.der], &[&root.der], &[]);
}

#[test]
fn dn_name_constraints_violation_and_the_form_rustls_refuses() {
    let mut allowed = DistinguishedName::new();
    allowed.push(DnType::OrganizationName, "Diagnosis Tests");
    let (root, inter) = constrained(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DirectoryName(allowed)],
        excluded_subtrees: vec![],
    });
    // Conforming: rustls refuses the form; openssl accepts.
    let ok = leaf(&inter);
    let r = run(&[&ok, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "unsupported_name_constraint",
        HOST,
        &["rustls-webpki does not support DirName constraints"],
    );
    assert_eq!(openssl_verdict(&[&ok, &inter.der], &[&root.der], &[]), 0);
    // Violating: the subject is outside.
    let bad = leaf_with(&inter, |p| {
        let mut d = DistinguishedName::new();
        d.push(DnType::OrganizationName, "Elsewhere");
        d.push(DnType::CommonName, HOST);
        p.distinguished_name = d;
    });
    let r = run(&[&bad, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "name_constraint_violated",
        "Elsewhere",
        &[
            "DirName:CN=leaf.test,O=Elsewhere",
            "DirName:O=Diagnosis Tests",
        ],
    );
    agrees_with_openssl(&r, &[&bad, &inter.der], &[&root.der], &[]);
}

#[test]
fn email_name_constraints_say_rustls_does_not_support_them() {
    let (root, inter) = constrained(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::Rfc822Name("leaf.test".into())],
        excluded_subtrees: vec![],
    });
    let mail = |m: &str| {
        let m = m.to_owned();
        move |p: &mut CertificateParams| {
            p.subject_alt_names
                .push(SanType::Rfc822Name(Ia5String::try_from(m).unwrap()))
        }
    };
    // Without an email name rustls has nothing to refuse.
    valid(&run(&[&leaf(&inter), &inter.der], &[&root.der], vec![]));
    let ok = leaf_with(&inter, mail("ops@leaf.test"));
    let r = run(&[&ok, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "unsupported_name_constraint",
        HOST,
        &[
            "rustls-webpki does not support email constraints",
            "email:leaf.test",
        ],
    );
    assert_eq!(openssl_verdict(&[&ok, &inter.der], &[&root.der], &[]), 0);
    let bad = leaf_with(&inter, mail("ops@elsewhere.test"));
    let r = run(&[&bad, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "name_constraint_violated",
        HOST,
        &["email:ops@elsewhere.test"],
    );
    agrees_with_openssl(&r, &[&bad, &inter.der], &[&root.der], &[]);
}

/// nameConstraints with one permitted URI subtree (rcgen has no URI subtrees): SEQUENCE {
/// [0] { SEQUENCE { [6] host } } }.
fn uri_constraint(host: &str) -> CustomExtension {
    let h = host.as_bytes();
    let base = [&[0x86, h.len() as u8][..], h].concat();
    let subtree = [&[0x30, base.len() as u8][..], &base].concat();
    let permitted = [&[0xa0, subtree.len() as u8][..], &subtree].concat();
    let nc = [&[0x30, permitted.len() as u8][..], &permitted].concat();
    let mut e = CustomExtension::from_oid_content(&[2, 5, 29, 30], nc);
    e.set_criticality(true);
    e
}

#[test]
fn uri_name_constraints_say_rustls_does_not_support_them() {
    let root = root("Root");
    let inter = sub_with("Constrained", &root, |p| {
        p.custom_extensions.push(uri_constraint("leaf.test"))
    });
    let uri = |u: &str| {
        let u = u.to_owned();
        move |p: &mut CertificateParams| {
            p.subject_alt_names
                .push(SanType::URI(Ia5String::try_from(u).unwrap()))
        }
    };
    let ok = leaf_with(&inter, uri("https://leaf.test/app"));
    let r = run(&[&ok, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "unsupported_name_constraint",
        HOST,
        &["rustls-webpki does not support URI constraints"],
    );
    assert_eq!(openssl_verdict(&[&ok, &inter.der], &[&root.der], &[]), 0);
    let bad = leaf_with(&inter, uri("https://elsewhere.test/app"));
    let r = run(&[&bad, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "name_constraint_violated",
        HOST,
        &["URI:https://elsewhere.test/app"],
    );
    agrees_with_openssl(&r, &[&bad, &inter.der], &[&root.der], &[]);
}

// --- step 2.7: basic constraints, path length, key usage -----------------------------------

#[test]
fn intermediate_that_is_not_a_ca() {
    let root = root("Root");
    let not_ca = sub_with("Not A CA", &root, |p| p.is_ca = IsCa::ExplicitNoCa);
    let leaf = leaf(&not_ca);
    let r = run(&[&leaf, &not_ca.der], &[&root.der], vec![]);
    rejected(&r, "leaf_used_as_ca", "CN=Not A CA", &["is not a CA"]);
    agrees_with_openssl(&r, &[&leaf, &not_ca.der], &[&root.der], &[]);
    // Twin: the same intermediate with cA TRUE.
    let ca = sub("Not A CA", &root);
    twin_valid(&[&leaf_with(&ca, |_| {}), &ca.der], &[&root.der], &[]);
}

#[test]
fn path_len_constraint_exceeded_names_the_constraining_ca() {
    let root = root("Root");
    for (len, ok) in [(1u8, true), (0u8, false)] {
        let top = sub_with("Top", &root, |p| {
            p.is_ca = IsCa::Ca(BasicConstraints::Constrained(len))
        });
        let below = sub("Below", &top);
        let leaf = leaf(&below);
        let r = run(&[&leaf, &below.der, &top.der], &[&root.der], vec![]);
        if ok {
            valid(&r);
        } else {
            rejected(
                &r,
                "path_len_exceeded",
                "CN=Top",
                &["allows 0 intermediate(s)", "CN=Below"],
            );
            check(
                !r.has(chainscope::verify::Code::CaUsedAsLeaf),
                "!r.has(CaUsedAsLeaf)",
            );
        }
        agrees_with_openssl(&r, &[&leaf, &below.der, &top.der], &[&root.der], &[]);
    }
}

/// A CA `name` re-keyed: the new-key certificate signed by the old key (self-issued: same
/// subject and issuer, RFC 5280 §6.1 "self-issued").
fn rollover(old: &Ca, f: impl FnOnce(&mut CertificateParams)) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = old.params.clone();
    f(&mut params);
    let der = params.signed_by(&key, &old.issuer()).unwrap().der().clone();
    Ca { params, key, der }
}

#[test]
fn self_issued_key_rollover_intermediate_on_the_path_is_valid() {
    let old = root("Rolled Root");
    let new = rollover(&old, |_| {});
    let inter = sub("Inter", &new);
    let leaf = leaf(&inter);
    let r = run(&[&leaf, &inter.der, &new.der], &[&old.der], vec![]);
    valid(&r);
    agrees_with_openssl(&r, &[&leaf, &inter.der, &new.der], &[&old.der], &[]);
    // The same path with the rollover certificate tampered: its signature is the cause,
    // not the leaf's or the intermediate's.
    let bad = tampered(&new.der);
    let r = run(&[&leaf, &inter.der, &bad], &[&old.der], vec![]);
    rejected(&r, "bad_signature", "CN=Rolled Root", &["cert 3"]);
    agrees_with_openssl(&r, &[&leaf, &inter.der, &bad], &[&old.der], &[]);
}

#[test]
fn self_issued_certificates_do_not_count_against_path_len_but_rustls_counts_them() {
    let root = root("Root");
    let top = sub_with("Top", &root, |p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0))
    });
    let top_new = rollover(&top, |_| {});
    let leaf = leaf(&top_new);
    let chain = [&leaf, &top_new.der, &top.der];
    // OpenSSL follows RFC 5280 §6.1.4 (l): valid.
    assert_eq!(openssl_verdict(&chain, &[&root.der], &[]), 0);
    let r = run(&chain, &[&root.der], vec![]);
    rejected(
        &r,
        "path_len_exceeded",
        "CN=Top",
        &[
            "does not count the self-issued",
            "rustls-webpki counts every intermediate",
        ],
    );
    // Twin: pathLenConstraint 1, which rustls-webpki's count meets too.
    let top = sub_with("Top", &root, |p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(1))
    });
    let top_new = rollover(&top, |_| {});
    let leaf = leaf_with(&top_new, |_| {});
    twin_valid(&[&leaf, &top_new.der, &top.der], &[&root.der], &[]);
}

#[test]
fn missing_key_cert_sign_is_reported_beside_the_cause() {
    let root = root("Root");
    let no_ku = sub_with("No KeyCertSign", &root, |p| {
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature]
    });
    let leaf = leaf_with(&no_ku, |p| p.not_after = rcgen::date_time_ymd(2029, 1, 1));
    // Under clients (which rejects for it) the intermediate's key usage comes first: the
    // steps run from the anchor down, and the leaf's expiry follows as a finding.
    let rc = run(&[&leaf, &no_ku.der], &[&root.der], vec![]);
    rejected(
        &rc,
        "ca_without_keycertsign",
        "CN=No KeyCertSign",
        &["keyCertSign"],
    );
    // Under the webpki profile the rule does not decide: the leaf's expiry is the cause.
    let trust = TrustStore::from_certs(vec![root.der.clone()], "roots.pem");
    let mut o = options(vec![]);
    o.profile = Profile::Webpki;
    let r = verify_chain(&[leaf.clone(), no_ku.der.clone()], &trust, &o);
    no_empty_lists(&r);
    rejected(&r, "expired", HOST, &[]);
    let ku = r
        .findings
        .iter()
        .find(|f| f.code == "ca_without_keycertsign")
        .unwrap_or_else(|| panic!("{:#?}", r.findings));
    assert_eq!(ku.severity, chainscope::verify::Severity::Warning);
    assert!(
        ku.message.contains("CN=No KeyCertSign") && ku.message.contains("digitalSignature"),
        "{}",
        ku.message
    );
    check(rc.has(chainscope::verify::Code::Expired), "rc.has(Expired)");
    // OpenSSL 3 reports it as an invalid CA (X509_V_ERR_INVALID_CA, or KEYUSAGE_NO_CERTSIGN).
    assert!([32, 79].contains(&openssl_verdict(&[&leaf, &no_ku.der], &[&root.der], &[])));
    // Twin: the intermediate with keyCertSign (the same expired leaf): expired is the only
    // cause and the key usage is no finding; openssl says expired (10).
    let with_ku = sub("No KeyCertSign", &root);
    let leaf = leaf_with(&with_ku, |p| p.not_after = rcgen::date_time_ymd(2029, 1, 1));
    let r = run(&[&leaf, &with_ku.der], &[&root.der], vec![]);
    rejected(&r, "expired", HOST, &[]);
    check(
        !r.findings
            .iter()
            .any(|f| f.code == "ca_without_keycertsign"),
        "no ca_without_keycertsign finding on the twin",
    );
    assert_eq!(
        openssl_verdict(&[&leaf, &with_ku.der], &[&root.der], &[]),
        10
    );
}

// --- step 2.8: critical extensions ----------------------------------------------------------

#[test]
fn unknown_critical_extension_names_the_oid_and_the_certificate() {
    let root = root("Root");
    let inter = sub_with("Critical Inter", &root, |p| {
        p.custom_extensions
            .push(critical(&[1, 3, 6, 1, 4, 1, 55555, 1]))
    });
    let leaf = leaf(&inter);
    let r = run(&[&leaf, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "unknown_critical_extension",
        "CN=Critical Inter",
        &["1.3.6.1.4.1.55555.1"],
    );
    agrees_with_openssl(&r, &[&leaf, &inter.der], &[&root.der], &[]);
    let inter = sub("Inter", &root);
    let leaf = leaf_with(&inter, |p| {
        p.custom_extensions
            .push(critical(&[1, 3, 6, 1, 4, 1, 55555, 2]))
    });
    let r = run(&[&leaf, &inter.der], &[&root.der], vec![]);
    rejected(
        &r,
        "unknown_critical_extension",
        HOST,
        &["1.3.6.1.4.1.55555.2", "the leaf"],
    );
    agrees_with_openssl(&r, &[&leaf, &inter.der], &[&root.der], &[]);
    // Twins: the same extensions, not critical.
    let inter = sub_with("Critical Inter", &root, |p| {
        p.custom_extensions
            .push(not_critical(&[1, 3, 6, 1, 4, 1, 55555, 1]))
    });
    twin_valid(&[&leaf_with(&inter, |_| {}), &inter.der], &[&root.der], &[]);
    let leaf = leaf_with(&inter, |p| {
        p.custom_extensions
            .push(not_critical(&[1, 3, 6, 1, 4, 1, 55555, 2]))
    });
    twin_valid(&[&leaf, &inter.der], &[&root.der], &[]);
}

// --- step 2.9: extended key usage -----------------------------------------------------------

#[test]
fn wrong_purpose_on_the_leaf_and_on_an_intermediate() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    let client = leaf_with(&inter, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth]
    });
    let r = run(&[&client, &inter.der], &[&root.der], vec![]);
    rejected(&r, "wrong_purpose", HOST, &["clientAuth"]);
    agrees_with_openssl(
        &r,
        &[&client, &inter.der],
        &[&root.der],
        &["-purpose", "sslserver"],
    );
    let narrow = sub_with("Client Only CA", &root, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth]
    });
    let leaf = leaf(&narrow);
    let r = run(&[&leaf, &narrow.der], &[&root.der], vec![]);
    rejected(
        &r,
        "wrong_purpose",
        "CN=Client Only CA",
        &["restricts the certificates below it"],
    );
    agrees_with_openssl(
        &r,
        &[&leaf, &narrow.der],
        &[&root.der],
        &["-purpose", "sslserver"],
    );
    // Twins: the leaf for serverAuth; the CA restricted to serverAuth.
    let server = leaf_with(&inter, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth]
    });
    twin_valid(
        &[&server, &inter.der],
        &[&root.der],
        &["-purpose", "sslserver"],
    );
    let server_ca = sub_with("Client Only CA", &root, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth]
    });
    let leaf = leaf_with(&server_ca, |_| {});
    twin_valid(
        &[&leaf, &server_ca.der],
        &[&root.der],
        &["-purpose", "sslserver"],
    );
}

// --- step 2.4: revocation -----------------------------------------------------------------

#[test]
fn revoked_intermediate_is_named_with_the_crl() {
    use rcgen::{CertificateRevocationListParams, KeyIdMethod, RevokedCertParams, SerialNumber};
    let root = root("Root");
    let inter = sub_with("Revoked Inter", &root, |p| {
        p.serial_number = Some(SerialNumber::from(vec![0x42]))
    });
    let leaf = leaf(&inter);
    let crl = |revoked: Vec<RevokedCertParams>| {
        let params = CertificateRevocationListParams {
            this_update: rcgen::date_time_ymd(2030, 5, 1),
            next_update: rcgen::date_time_ymd(2030, 7, 1),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: revoked,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let der = params.signed_by(&root.issuer()).unwrap().der().to_vec();
        chainscope::verify::Crl::from_bytes(&der, "root.crl")
            .unwrap()
            .remove(0)
    };
    let trust = TrustStore::from_certs(vec![root.der.clone()], "roots.pem");
    let with = |c| {
        let mut o = options(vec![]);
        o.crls = vec![c];
        o
    };
    let chain = [leaf, inter.der.clone()];
    valid(&verify_chain(&chain, &trust, &with(crl(vec![]))));
    let revoked = crl(vec![RevokedCertParams {
        serial_number: SerialNumber::from(vec![0x42]),
        revocation_time: rcgen::date_time_ymd(2030, 5, 2),
        reason_code: None,
        invalidity_date: None,
    }]);
    let r = verify_chain(&chain, &trust, &with(revoked));
    no_empty_lists(&r);
    rejected(
        &r,
        "revoked",
        "CN=Revoked Inter",
        &["2030-05-02", "root.crl"],
    );
}

// --- the leaf as end entity, and the path's length ----------------------------------------

#[test]
fn ca_certificate_served_as_the_leaf() {
    let root = root("Root");
    let inter = sub("Inter", &root);
    valid(&run(&[&leaf(&inter), &inter.der], &[&root.der], vec![]));
    let ca_leaf = leaf_with(&inter, |p| {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained)
    });
    let r = run(&[&ca_leaf, &inter.der], &[&root.der], vec![]);
    rejected(&r, "ca_used_as_leaf", HOST, &["basicConstraints cA=TRUE"]);
}

#[test]
fn more_intermediates_than_rustls_accepts() {
    let root = root("Root");
    let mut cas = vec![sub("Level 1", &root)];
    for i in 2..=7 {
        let next = sub(&format!("Level {i}"), cas.last().unwrap());
        cas.push(next);
    }
    let build = |n: usize| {
        let leaf = leaf(&cas[n - 1]);
        let mut chain = vec![leaf];
        chain.extend(cas[..n].iter().rev().map(|c| c.der.clone()));
        chain
    };
    let six = build(6);
    valid(&run(&six.iter().collect::<Vec<_>>(), &[&root.der], vec![]));
    let seven = build(7);
    let r = run(&seven.iter().collect::<Vec<_>>(), &[&root.der], vec![]);
    rejected(
        &r,
        "path_too_long",
        "",
        &["7 intermediates", "6 rustls accepts"],
    );
    // OpenSSL accepts long paths (up to 100).
    assert_eq!(
        openssl_verdict(&seven.iter().collect::<Vec<_>>(), &[&root.der], &[]),
        0
    );
}

// --- openssl-made certificates: weak hash, X.509 v1 -----------------------------------------

#[test]
fn sha1_signature_and_a_v1_intermediate() {
    let dir = TempDir::new("diag-openssl-made");
    let sh = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("the openssl command is needed for this test");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(
        dir.join("ext.cnf"),
        "[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n\
         [leaf]\nbasicConstraints=CA:FALSE\nsubjectAltName=DNS:leaf.test\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let ext = dir.join("ext.cnf");
    sh(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "root.key",
        "-out",
        "root.pem",
        "-subj",
        "/O=Diagnosis Tests/CN=Root",
        "-days",
        "7300",
        "-sha256",
        "-extensions",
        "ca",
        "-config",
        &ext,
    ]);
    sh(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=leaf.test",
    ]);
    for (name, hash) in [("sha256", "-sha256"), ("sha1", "-sha1")] {
        sh(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-out",
            &format!("{name}-leaf.pem"),
            "-days",
            "1800",
            hash,
            "-extfile",
            &ext,
            "-extensions",
            "leaf",
            "-set_serial",
            "7",
        ]);
    }
    // A v1 intermediate: no extensions at all.
    sh(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "v1.key",
        "-out",
        "v1.csr",
        "-subj",
        "/O=Diagnosis Tests/CN=V1 Inter",
    ]);
    sh(&[
        "x509",
        "-req",
        "-in",
        "v1.csr",
        "-CA",
        "root.pem",
        "-CAkey",
        "root.key",
        "-out",
        "v1.pem",
        "-days",
        "1800",
        "-sha256",
        "-set_serial",
        "8",
    ]);
    sh(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "v1.pem",
        "-CAkey",
        "v1.key",
        "-out",
        "v1-leaf.pem",
        "-days",
        "1800",
        "-sha256",
        "-extfile",
        &ext,
        "-extensions",
        "leaf",
        "-set_serial",
        "9",
    ]);
    let load = |f: &str| {
        chainscope::load_certificates(dir.path().join(f).as_ref())
            .unwrap()
            .remove(0)
    };
    let root = load("root.pem");
    let now = time::OffsetDateTime::now_utc();
    let mut o = VerifyOptions::for_host(HOST).unwrap();
    o.at = Some(now);
    let trust = TrustStore::from_certs(vec![root.clone()], "roots.pem");
    let check_one = |chain: &[Der]| {
        let r = verify_chain(chain, &trust, &o);
        no_empty_lists(&r);
        r
    };
    valid(&check_one(&[load("sha256-leaf.pem")]));
    let sha1 = load("sha1-leaf.pem");
    let r = check_one(std::slice::from_ref(&sha1));
    // OpenSSL refuses SHA-1 from security level 2 (CA_MD_TOO_WEAK).
    agrees_with_openssl(&r, &[&sha1], &[&root], &["-auth_level", "2"]);
    rejected(
        &r,
        "weak_signature_algorithm",
        HOST,
        &["sha1WithRSAEncryption", "CN=Root"],
    );
    let r = check_one(&[load("v1-leaf.pem"), load("v1.pem")]);
    rejected(&r, "unsupported_cert_version", "CN=V1 Inter", &["v1"]);
}
