//! The standards map (`chainscope::verify::rules::requirements()`) says which requirements
//! rustls-webpki enforces, and which code chainscope then reports. This test builds, for
//! every such requirement, a chain that breaks only it (the conforming chain of the rule
//! pairs, changed once) and checks that rustls-webpki rejects it in every profile and that
//! the report's `error.code` is the mapped one. A requirement mapped to rustls-webpki
//! without a probe here fails the test, and so does a probe of a requirement the map no
//! longer gives to rustls-webpki. The same is done for the requirements mapped to
//! chainscope's own steps that a single chain can show.
//!
//! It also checks that the README's coverage table is generated from the map.

use std::collections::BTreeMap;

use chainscope::verify::rules::{requirements, Coverage};
use chainscope::verify::{parse_time, verify_chain, Crl, Profile, VerifyOptions, VerifyReport};
use chainscope_tests::rule_pairs::{content, oid_tlv, seq, split, tlv, Chain, Made, Tbs, VALIDITY};
use rcgen::{
    BasicConstraints, CertificateRevocationListParams, ExtendedKeyUsagePurpose, GeneralSubtree,
    IsCa, Issuer, KeyIdMethod, NameConstraints, RevokedCertParams, SanType, SerialNumber,
};
use time::OffsetDateTime;

const NOW: &str = "2026-01-01T00:00:00Z";

fn now() -> OffsetDateTime {
    parse_time(NOW).unwrap()
}

const PROFILES: [Profile; 3] = [Profile::Webpki, Profile::Clients, Profile::Rfc5280];

fn run(made: &Made, crls: Vec<Crl>, profile: Profile) -> VerifyReport {
    let mut options = VerifyOptions::default();
    options.at = Some(now());
    options.profile = profile;
    options.crls = crls;
    verify_chain(&made.presented(), &made.trust(), &options)
}

/// How a probe breaks the conforming chain.
enum Probe {
    /// A change of the chain before it is made.
    Chain(fn(&mut Chain)),
    /// A change of the made certificates (the signature bytes).
    Made(fn(&mut Made)),
    /// CRLs given with the conforming chain, made from it.
    Crls(fn(&Chain) -> Vec<Crl>),
    /// A chain of another shape, made by the probe.
    Custom(fn(Profile) -> VerifyReport),
}

fn leaf_patch(c: &mut Chain, p: impl Fn(&mut Tbs) + Send + Sync + 'static) {
    c.leaf.patch(p);
}

fn probes() -> BTreeMap<&'static str, Probe> {
    let mut m: BTreeMap<&'static str, Probe> = BTreeMap::new();
    // ECDSA with SHA-384 in the signed part, SHA-256 outside.
    m.insert(
        "5280-4.1.1.2-signature-match",
        Probe::Chain(|c| leaf_patch(c, |t| t.fields[2] = seq(&[&oid_tlv("1.2.840.10045.4.3.3")]))),
    );
    let flip: fn(&mut Made) = |m| {
        let last = m.leaf.len() - 1;
        m.leaf[last] ^= 0x01;
    };
    m.insert("5280-4.1.1.3-signature", Probe::Made(flip));
    m.insert("5280-6.1.3-a1-signature", Probe::Made(flip));
    m.insert(
        "5280-4.1.2.1-version",
        Probe::Chain(|c| leaf_patch(c, |t| t.fields[0] = tlv(0xa0, &tlv(0x02, &[1])))),
    );
    m.insert(
        "5280-4.1.2.5-validity",
        Probe::Chain(|c| {
            leaf_patch(c, |t| {
                let parts = split(content(&t.fields[VALIDITY]));
                t.fields[VALIDITY] = seq(&[&parts[1], &parts[0]]);
            })
        }),
    );
    // subjectUniqueID [2] after the subjectPublicKeyInfo.
    m.insert(
        "5280-4.1.2.8-unique-ids",
        Probe::Chain(|c| leaf_patch(c, |t| t.fields.insert(7, tlv(0x82, &[0x00, 0x5a])))),
    );
    m.insert(
        "5280-4.2-unknown-critical",
        Probe::Chain(|c| leaf_patch(c, |t| t.add("1.3.6.1.4.1.55555.1", true, vec![0x05, 0x00]))),
    );
    m.insert(
        "5280-4.2.1.12-eku",
        Probe::Chain(|c| {
            c.leaf.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth]
        }),
    );
    m.insert(
        "5280-6.1.3-a2-validity",
        Probe::Chain(|c| c.leaf.params.not_after = c.day(-1)),
    );
    m.insert(
        "5280-6.1.3-a3-revocation",
        Probe::Crls(|c| crls_of(c, &[0x3003])),
    );
    m.insert(
        "5280-6.1.3-bc-nc",
        Probe::Chain(|c| {
            c.inter.params.name_constraints = Some(NameConstraints {
                permitted_subtrees: vec![GeneralSubtree::DnsName("other.test".into())],
                excluded_subtrees: Vec::new(),
            })
        }),
    );
    m.insert(
        "5280-6.1.3-nc-forms",
        Probe::Chain(|c| {
            c.inter.params.name_constraints = Some(NameConstraints {
                permitted_subtrees: vec![GeneralSubtree::Rfc822Name("rules.test".into())],
                excluded_subtrees: Vec::new(),
            });
            // An email name inside the constraint: conforming, but of a form rustls-webpki
            // refuses to evaluate.
            c.leaf
                .params
                .subject_alt_names
                .push(SanType::Rfc822Name("ops@rules.test".try_into().unwrap()));
        }),
    );
    m.insert(
        "5280-6.1.4-k-ca",
        Probe::Chain(|c| c.inter.params.is_ca = IsCa::ExplicitNoCa),
    );
    m.insert(
        "5280-6.1.4-lm-path-len",
        Probe::Custom(two_intermediates_under_path_len_0),
    );
    m
}

/// The intermediate's CRL (covering the leaf, revoking `serials`) and the root's (covering
/// the intermediate, empty), both current.
fn crls_of(c: &Chain, serials: &[u64]) -> Vec<Crl> {
    let strip = |p: &rcgen::CertificateParams| {
        let mut p = p.clone();
        p.key_usages = Vec::new();
        p
    };
    let crl = |params: &rcgen::CertificateParams, key, revoked: &[u64]| {
        let list = CertificateRevocationListParams {
            this_update: c.day(-2),
            next_update: c.day(5),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .map(|s| RevokedCertParams {
                    serial_number: SerialNumber::from(*s),
                    revocation_time: c.day(-1),
                    reason_code: None,
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let der = list.signed_by(&Issuer::new(strip(params), key)).unwrap();
        Crl::from_bytes(der.der(), "probe.crl").unwrap()
    };
    let mut out = crl(&c.inter.params, &c.inter.key, serials);
    out.extend(crl(&c.root.params, &c.root.key, &[]));
    out
}

/// root → Top (pathLenConstraint 0) → Below → leaf: Below is one intermediate too many.
/// (The anchor's own pathLenConstraint is a rule of the catalogue: rustls-webpki ignores it.)
fn two_intermediates_under_path_len_0(profile: Profile) -> VerifyReport {
    let base = Chain::conforming(now());
    let root_key = &base.root.key;
    let root = base.root.params.self_signed(root_key).unwrap();
    let issuer_of = |p: &rcgen::CertificateParams, key| {
        let mut p = p.clone();
        p.key_usages = Vec::new();
        Issuer::new(p, key)
    };
    let mut top = base.inter.params.clone();
    top.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let top_key = rcgen::KeyPair::generate().unwrap();
    let top_cert = top
        .signed_by(&top_key, &issuer_of(&base.root.params, root_key))
        .unwrap();
    let mut below = base.inter.params.clone();
    below.distinguished_name = rcgen::DistinguishedName::new();
    below
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Rules Below");
    let below_cert = below
        .signed_by(&base.inter.key, &issuer_of(&top, &top_key))
        .unwrap();
    let leaf = base
        .leaf
        .params
        .signed_by(&base.leaf.key, &issuer_of(&below, &base.inter.key))
        .unwrap();
    let presented = vec![
        leaf.der().clone(),
        below_cert.der().clone(),
        top_cert.der().clone(),
    ];
    let trust = chainscope::trust::TrustStore::from_certs(vec![root.der().clone()], "probe root");
    let mut options = VerifyOptions::default();
    options.at = Some(now());
    options.profile = profile;
    verify_chain(&presented, &trust, &options)
}

fn report(probe: &Probe, profile: Profile) -> VerifyReport {
    let mut chain = Chain::conforming(now());
    match probe {
        Probe::Chain(f) => {
            f(&mut chain);
            run(&chain.make(), Vec::new(), profile)
        }
        Probe::Made(f) => {
            let mut made = chain.make();
            f(&mut made);
            run(&made, Vec::new(), profile)
        }
        Probe::Crls(f) => {
            let crls = f(&chain);
            run(&chain.make(), crls, profile)
        }
        Probe::Custom(f) => f(profile),
    }
}

#[test]
fn the_conforming_chain_and_an_unrevoked_crl_pass() {
    let chain = Chain::conforming(now());
    for profile in PROFILES {
        let r = run(&chain.make(), crls_of(&chain, &[0x7777]), profile);
        assert!(r.valid, "{}: {:?}", profile.name(), r.error);
    }
    // The revocation probe revokes the leaf by this serial.
    assert_eq!(
        chain.leaf.params.serial_number,
        Some(SerialNumber::from(0x3003u64))
    );
}

#[test]
fn every_requirement_given_to_webpki_is_rejected_with_its_code() {
    let probes = probes();
    let mut webpki = 0;
    let mut failures = Vec::new();
    for req in requirements() {
        let (code, by_webpki) = match req.coverage {
            Coverage::Webpki(code) => (code, true),
            Coverage::Verifier(code) => (code, false),
            _ => {
                assert!(
                    !probes.contains_key(req.key),
                    "{}: a probe for a requirement not given to a verifier",
                    req.key
                );
                continue;
            }
        };
        let Some(probe) = probes.get(req.key) else {
            // chainscope's CRL selection and name-chaining steps are probed in
            // verify_crl_sets.rs and verify_diagnosis.rs.
            assert!(
                !by_webpki,
                "{}: no probe for a requirement given to rustls-webpki",
                req.key
            );
            continue;
        };
        webpki += usize::from(by_webpki);
        for profile in PROFILES {
            let r = report(probe, profile);
            let got = r.error.as_ref().map(|e| e.code.as_str());
            if r.valid || got != Some(code) || (by_webpki && r.webpki.error.is_none()) {
                failures.push(format!(
                    "{} under {}: valid={} code={got:?} (map: {code}) webpki={:?}",
                    req.key,
                    profile.name(),
                    r.valid,
                    r.webpki.error
                ));
            }
        }
    }
    for key in probes.keys() {
        assert!(
            requirements().iter().any(|r| r.key == *key),
            "probe {key} names no requirement"
        );
    }
    println!("{webpki} requirements given to rustls-webpki, each probed in 3 profiles");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(webpki >= 10, "only {webpki} probes ran");
}

const BEGIN: &str = "<!-- standards-map:begin (generated from chainscope::verify::rules::requirements() by tests/tests/standards_map.rs) -->";
const END: &str = "<!-- standards-map:end -->";

fn generated_table() -> String {
    let mut out = String::from("| section | requirement | enforced by |\n|---|---|---|\n");
    for r in requirements() {
        let by = match r.coverage {
            Coverage::Rules(ids) => ids
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", "),
            Coverage::Webpki(code) => format!("rustls-webpki (`{code}`)"),
            Coverage::Verifier(code) => format!("chainscope (`{code}`)"),
            Coverage::NotChecked(why) => format!("not checked: {why}"),
            other => panic!("no README form for {other:?}"),
        };
        out.push_str(&format!("| {} | {} | {by} |\n", r.source, r.says));
    }
    out
}

#[test]
fn readme_coverage_table_is_generated_from_the_map() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(BEGIN)
        .expect("README lacks the standards-map:begin marker");
    let end = readme
        .find(END)
        .expect("README lacks the standards-map:end marker");
    let body_start = start + BEGIN.len() + 1;
    let wanted = generated_table();
    if readme[body_start..end] != wanted {
        if std::env::var_os("CHAINSCOPE_BLESS").is_some() {
            let updated = format!("{}{}{}", &readme[..body_start], wanted, &readme[end..]);
            std::fs::write(&path, updated).unwrap();
            return;
        }
        panic!(
            "the README coverage table differs from requirements(); rerun with CHAINSCOPE_BLESS=1\n--- generated\n{wanted}"
        );
    }
}
