//! `verify --crl` with several CRLs (issue 9.5, 15.1): every CRL block is loaded on its
//! own; a revocation in any usable CRL of the issuer counts, whatever the order; a CRL that
//! cannot be used is a `crl_unusable` finding naming its block, never an input error; a
//! certificate whose issuer has no usable current CRL is `revocation_unknown` (a warning by
//! default, a rejection under `--strict`). Every PKI and CRL is generated here (rcgen, and
//! `openssl ca -gencrl` for the CRL kinds rcgen cannot make); `openssl verify -crl_check`
//! is compared where it checks the same thing.

use chainscope::trust::TrustStore;
use chainscope::verify::{parse_time, verify_chain, Code, Crl, VerifyOptions};
use chainscope_tests::{chainscope, TempDir};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DnType, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, RevocationReason, RevokedCertParams, SerialNumber,
};
use serde_json::Value;

/// The validation time of every test: inside every certificate's validity.
const AT: &str = "2026-06-01T00:00:00Z";
const HOST: &str = "leaf.crl.test";
const LEAF_SERIAL: [u8; 2] = [0x10, 0x01];
/// Another leaf of the intermediate, the one a CRL revokes where the chain's leaf stays good.
const REVOKED_SERIAL: [u8; 2] = [0x10, 0x02];

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.not_before = rcgen::date_time_ymd(2025, 1, 1);
    p.not_after = rcgen::date_time_ymd(2035, 1, 1);
    p.serial_number = Some(SerialNumber::from(vec![0x20, cn.len() as u8]));
    p.use_authority_key_identifier_extension = true;
    p
}

/// A leaf for [`HOST`] with `serial`, valid around [`AT`].
fn leaf_params(serial: &[u8]) -> CertificateParams {
    let mut leaf = CertificateParams::new(vec![HOST.to_owned()]).unwrap();
    leaf.distinguished_name.push(DnType::CommonName, HOST);
    leaf.not_before = rcgen::date_time_ymd(2025, 6, 1);
    leaf.not_after = rcgen::date_time_ymd(2027, 1, 1);
    leaf.serial_number = Some(SerialNumber::from(serial.to_vec()));
    leaf.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.use_authority_key_identifier_extension = true;
    leaf
}

/// A root, an intermediate and a leaf (serial 10:01) under it, written to a scratch
/// directory: `root.pem`, `inter.pem`, `inter.key` (PKCS#8), `leaf.pem`, `chain.pem`.
struct Pki {
    dir: TempDir,
    root: Issuer<'static, KeyPair>,
    inter: Issuer<'static, KeyPair>,
    inter_serial: Vec<u8>,
}

impl Pki {
    fn new() -> Pki {
        Pki::build(
            None,
            &[KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign],
        )
    }

    /// With a cRLDistributionPoints URI in the leaf, and the intermediate's keyUsage.
    fn build(leaf_dp: Option<&str>, inter_usage: &[KeyUsagePurpose]) -> Pki {
        let dir = TempDir::new("crl-sets");
        let root_key = KeyPair::generate().unwrap();
        let root_cert = ca_params("CRL Sets Root").self_signed(&root_key).unwrap();
        let root = Issuer::new(ca_params("CRL Sets Root"), root_key);
        let inter_key = KeyPair::generate().unwrap();
        let inter_params = ca_params("CRL Sets Intermediate");
        let inter_serial = inter_params.serial_number.clone().unwrap().to_bytes();
        let mut inter_cert_params = inter_params.clone();
        inter_cert_params.key_usages = inter_usage.to_vec();
        let inter_cert = inter_cert_params.signed_by(&inter_key, &root).unwrap();
        std::fs::write(dir.join("inter.key"), inter_key.serialize_pem()).unwrap();
        let inter = Issuer::new(inter_params, inter_key);
        let mut leaf = leaf_params(&LEAF_SERIAL);
        if let Some(uri) = leaf_dp {
            leaf.crl_distribution_points = vec![rcgen::CrlDistributionPoint {
                uris: vec![uri.to_owned()],
            }];
        }
        let leaf_cert = leaf
            .signed_by(&KeyPair::generate().unwrap(), &inter)
            .unwrap();
        std::fs::write(dir.join("root.pem"), root_cert.pem()).unwrap();
        std::fs::write(dir.join("inter.pem"), inter_cert.pem()).unwrap();
        std::fs::write(dir.join("leaf.pem"), leaf_cert.pem()).unwrap();
        std::fs::write(
            dir.join("chain.pem"),
            format!("{}{}", leaf_cert.pem(), inter_cert.pem()),
        )
        .unwrap();
        Pki {
            dir,
            root,
            inter,
            inter_serial,
        }
    }

    /// Another leaf of the intermediate (PEM), with `serial`, no cRLDistributionPoints.
    fn leaf_pem(&self, serial: &[u8]) -> String {
        leaf_params(serial)
            .signed_by(&KeyPair::generate().unwrap(), &self.inter)
            .unwrap()
            .pem()
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name)
    }

    /// Writes `text` to `name` in the scratch directory and returns its path.
    fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.dir.join(name), text).unwrap();
        self.path(name)
    }

    /// The root's CRL, current, revoking nothing: the intermediate is good.
    fn root_crl(&self) -> String {
        crl(&self.root, (2026, 5, 1), (2026, 8, 1), 1, &[])
    }

    /// `chainscope verify --json` of the chain with these `--crl` files (and `extra` flags).
    fn verify(&self, crls: &[&str], extra: &[&str]) -> (i32, Value, String) {
        let root = self.path("root.pem");
        let chain = self.path("chain.pem");
        let mut args: Vec<&str> = vec![
            "verify", "--json", "--roots", &root, "--at", AT, "--host", HOST,
        ];
        for c in crls {
            args.extend(["--crl", c]);
        }
        args.extend(extra);
        args.push(&chain);
        let run = chainscope(&args);
        let json = serde_json::from_str(&run.out).unwrap_or_else(|e| {
            panic!(
                "verify {args:?} (exit {}): not JSON ({e}):\n{}\n{}",
                run.code, run.out, run.err
            )
        });
        (run.code, json, run.err)
    }

    /// The same through the library: the report for these CRL inputs.
    fn report(&self, crl_texts: &[&str]) -> chainscope::verify::VerifyReport {
        let chain = chainscope::load_certificates(self.path("chain.pem").as_ref()).unwrap();
        let trust = TrustStore::from_spec(&self.path("root.pem")).unwrap();
        let mut options = VerifyOptions::for_host(HOST).unwrap();
        options.at = Some(parse_time(AT).unwrap());
        for (i, text) in crl_texts.iter().enumerate() {
            options
                .crls
                .extend(Crl::from_bytes(text.as_bytes(), &format!("crl{i}.pem")).unwrap());
        }
        verify_chain(&chain, &trust, &options)
    }
}

/// A CRL signed by `issuer` (PEM), revoking `revoked` (serial, reason).
fn crl(
    issuer: &Issuer<'static, KeyPair>,
    this: (i32, u8, u8),
    next: (i32, u8, u8),
    number: u64,
    revoked: &[(&[u8], Option<RevocationReason>)],
) -> String {
    CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(this.0, this.1, this.2),
        next_update: rcgen::date_time_ymd(next.0, next.1, next.2),
        crl_number: SerialNumber::from(number),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|(serial, reason)| RevokedCertParams {
                serial_number: SerialNumber::from(serial.to_vec()),
                revocation_time: rcgen::date_time_ymd(this.0, this.1, 1),
                reason_code: *reason,
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(issuer)
    .unwrap()
    .pem()
    .unwrap()
}

/// The older CRL of the intermediate: current, does not list the leaf.
fn older(pki: &Pki) -> String {
    crl(&pki.inter, (2026, 5, 1), (2026, 7, 1), 1, &[])
}

/// The newer CRL of the intermediate: current, revokes the leaf.
fn newer_revoking(pki: &Pki) -> String {
    crl(
        &pki.inter,
        (2026, 5, 20),
        (2026, 7, 20),
        2,
        &[(&LEAF_SERIAL, Some(RevocationReason::KeyCompromise))],
    )
}

fn findings<'a>(json: &'a Value, code: &str) -> Vec<&'a Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

fn leaf_check(json: &Value) -> &Value {
    json["revocation"]["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cert_index"] == 0)
        .unwrap_or_else(|| panic!("no revocation check of the leaf: {json:#}"))
}

#[test]
fn a_revoking_crl_counts_in_either_order_and_in_one_file() {
    let pki = Pki::new();
    let old = pki.write("older.crl.pem", &older(&pki));
    let new = pki.write("newer.crl.pem", &newer_revoking(&pki));
    let root = pki.write("root.crl.pem", &pki.root_crl());
    let both = pki.write(
        "both.crl.pem",
        &format!("{}{}", older(&pki), newer_revoking(&pki)),
    );
    let both_reversed = pki.write(
        "both-reversed.crl.pem",
        &format!("{}{}", newer_revoking(&pki), older(&pki)),
    );
    // Sanity: without the revoking CRL the chain is valid.
    let (code, json, _) = pki.verify(&[&old, &root], &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(leaf_check(&json)["status"], "good");
    for crls in [
        vec![&old, &new, &root],
        vec![&new, &old, &root],
        vec![&both, &root],
        vec![&both_reversed, &root],
    ] {
        let (code, json, err) =
            pki.verify(&crls.iter().map(|s| s.as_str()).collect::<Vec<_>>(), &[]);
        assert_eq!(code, 1, "{crls:?}: {json:#} {err}");
        assert_eq!(json["error"]["code"], "revoked", "{crls:?}: {json:#}");
        assert_eq!(json["error"]["cert_index"], 0);
        let message = json["error"]["message"].as_str().unwrap();
        assert!(
            message.to_lowercase().contains("keycompromise"),
            "{message}"
        );
        let leaf = leaf_check(&json);
        assert_eq!(leaf["status"], "revoked");
        assert_eq!(
            leaf["checked_against"].as_array().unwrap().len(),
            2,
            "{leaf:#}"
        );
        // The CRL that revokes is named by file and block.
        let by = &leaf["revoked_by"]["crl"];
        let (file, block) = (
            by["source"].as_str().unwrap(),
            by["block"].as_u64().unwrap(),
        );
        if file.ends_with("both.crl.pem") {
            assert_eq!(block, 2);
        } else if file.ends_with("both-reversed.crl.pem") {
            assert_eq!(block, 1);
        } else {
            assert!(file.ends_with("newer.crl.pem"), "{file}");
        }
        assert!(message.contains(&format!("block {block}")), "{message}");
    }
}

#[test]
fn an_older_crl_that_revokes_counts_although_webpki_consults_only_the_newest() {
    let pki = Pki::new();
    // The older CRL revokes the leaf; the newer one does not list it (a CA error: RFC 5280
    // §3.3 keeps an entry until the certificate expires).
    let old_revoking = crl(
        &pki.inter,
        (2026, 5, 1),
        (2026, 7, 1),
        1,
        &[(&LEAF_SERIAL, Some(RevocationReason::Superseded))],
    );
    let newer = crl(&pki.inter, (2026, 5, 20), (2026, 7, 20), 2, &[]);
    let root = pki.root_crl();
    for order in [[&old_revoking, &newer], [&newer, &old_revoking]] {
        let report = pki.report(&[order[0], order[1], &root]);
        assert!(!report.valid);
        assert_eq!(report.error.as_ref().unwrap().code, Code::Revoked);
        // webpki alone, given the newest CRL first, accepts: the rejection is chainscope's.
        assert!(report.webpki.valid, "{:?}", report.webpki);
    }
}

#[test]
fn a_released_hold_does_not_count_but_a_current_hold_does() {
    let pki = Pki::new();
    let hold = crl(
        &pki.inter,
        (2026, 5, 1),
        (2026, 7, 1),
        1,
        &[(&LEAF_SERIAL, Some(RevocationReason::CertificateHold))],
    );
    let released = crl(&pki.inter, (2026, 5, 20), (2026, 7, 20), 2, &[]);
    let root = pki.root_crl();
    let report = pki.report(&[&released, &hold, &root]);
    assert!(report.valid, "{:?}", report.error);
    let report = pki.report(&[&hold, &root]);
    assert_eq!(report.error.unwrap().code, Code::Revoked);
}

/// Runs `openssl` in `dir`; the test fails when openssl is missing.
fn openssl(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("these tests need the openssl command line (apt-get install openssl)")
}

/// A CRL of the intermediate made by `openssl ca -gencrl` with the extensions of
/// `section` (an `openssl ca` config section), current at [`AT`].
fn openssl_crl(pki: &Pki, section: &str, body: &str) -> String {
    let dir = pki.dir.path();
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("crlnumber"), "05\n").unwrap();
    std::fs::write(
        dir.join("ca.cnf"),
        format!(
            "[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\n[ {section} ]\n{body}\n"
        ),
    )
    .unwrap();
    let out_name = format!("{section}.crl.pem");
    let out = openssl(
        dir,
        &[
            "ca",
            "-gencrl",
            "-batch",
            "-config",
            "ca.cnf",
            "-keyfile",
            "inter.key",
            "-cert",
            "inter.pem",
            "-crlexts",
            section,
            "-crl_lastupdate",
            "20260515000000Z",
            "-crl_nextupdate",
            "20260715000000Z",
            "-out",
            &out_name,
        ],
    );
    assert!(
        out.status.success(),
        "openssl ca -gencrl ({section}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(dir.join(out_name)).unwrap()
}

#[test]
fn every_unusable_crl_in_a_file_is_a_finding_naming_its_block_never_an_input_error() {
    let pki = Pki::new();
    // The good CRL: current, revokes a second leaf of the intermediate (not the chain's).
    let good = crl(
        &pki.inter,
        (2026, 5, 1),
        (2026, 7, 1),
        1,
        &[(&REVOKED_SERIAL, Some(RevocationReason::KeyCompromise))],
    );
    let delta = openssl_crl(&pki, "delta", "2.5.29.27 = critical, ASN1:INTEGER:1");
    let indirect = openssl_crl(
        &pki,
        "indirect",
        "issuingDistributionPoint = critical, @idp_indirect\n[ idp_indirect ]\nfullname = URI:http://crl.test/inter.crl\nindirectCRL = TRUE",
    );
    let reasons = openssl_crl(
        &pki,
        "reasons",
        "issuingDistributionPoint = critical, @idp_reasons\n[ idp_reasons ]\nfullname = URI:http://crl.test/inter.crl\nonlysomereasons = keyCompromise",
    );
    let idp = openssl_crl(
        &pki,
        "idp",
        "issuingDistributionPoint = critical, @idp_users\n[ idp_users ]\nonlyuser = TRUE",
    );
    let critical = openssl_crl(
        &pki,
        "critical",
        "1.3.6.1.4.1.55555.1 = critical, ASN1:NULL",
    );
    let impostor = Issuer::new(
        ca_params("CRL Sets Intermediate"),
        KeyPair::generate().unwrap(),
    );
    let forged = crl(&impostor, (2026, 5, 2), (2026, 7, 2), 3, &[]);
    let expired = crl(&pki.inter, (2026, 3, 1), (2026, 4, 1), 0, &[]);
    let garbage = "-----BEGIN X509 CRL-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END X509 CRL-----\n";
    let blocks = [
        ("good", good.as_str(), None),
        ("delta", &delta, Some("delta")),
        ("indirect", &indirect, Some("indirect")),
        ("reasons", &reasons, Some("partitioned_by_reasons")),
        ("idp", &idp, Some("partitioned_by_distribution_point")),
        ("critical", &critical, Some("unknown_critical_extension")),
        ("forged", &forged, Some("bad_signature")),
        ("expired", &expired, Some("expired")),
        ("garbage", garbage, Some("undecodable")),
    ];
    let all: String = blocks.iter().map(|(_, text, _)| *text).collect();
    let file = pki.write("many.crl.pem", &all);
    let root = pki.write("root.crl.pem", &pki.root_crl());
    let (code, json, err) = pki.verify(&[&file, &root], &[]);
    assert_ne!(code, 2, "{err}");
    assert_eq!(code, 0, "the good CRL covers the leaf: {json:#} {err}");
    assert_eq!(leaf_check(&json)["status"], "good");
    let statuses = json["revocation"]["crls"].as_array().unwrap();
    let unusable = findings(&json, "crl_unusable");
    for (i, (name, _, defect)) in blocks.iter().enumerate() {
        let block = i + 1;
        let status = statuses
            .iter()
            .find(|s| {
                s["block"] == block && s["source"].as_str().unwrap().ends_with("many.crl.pem")
            })
            .unwrap_or_else(|| panic!("block {block} ({name}) missing: {json:#}"));
        match defect {
            None => {
                assert_eq!(status["status"], "usable", "{name}: {status:#}");
                assert!(!unusable.iter().any(|f| f["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("block {block} "))));
            }
            Some(d) => {
                assert_eq!(status["defect"], *d, "{name}: {status:#}");
                let f = unusable
                    .iter()
                    .find(|f| {
                        f["message"]
                            .as_str()
                            .unwrap()
                            .contains(&format!("many.crl.pem block {block} "))
                    })
                    .unwrap_or_else(|| {
                        panic!("no crl_unusable finding for block {block} ({name}): {json:#}")
                    });
                assert_eq!(f["severity"], "warning");
                if *d != "undecodable" {
                    assert!(
                        f["message"]
                            .as_str()
                            .unwrap()
                            .contains("CN=CRL Sets Intermediate"),
                        "the issuer is named: {f:#}"
                    );
                }
            }
        }
    }
    assert!(
        unusable.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("1.3.6.1.4.1.55555.1")),
        "the unknown critical extension is named by OID"
    );
    // openssl verify on the same file, for the good leaf (10:01) and a leaf the good CRL
    // revokes (10:02), against chainscope's verdict on the same files.
    let revoked_leaf = pki.leaf_pem(&REVOKED_SERIAL);
    pki.write("revoked-leaf.pem", &revoked_leaf);
    let inter_pem = std::fs::read_to_string(pki.path("inter.pem")).unwrap();
    let revoked_chain = pki.write("revoked-chain.pem", &(revoked_leaf + &inter_pem));
    let at = parse_time(AT).unwrap().unix_timestamp().to_string();
    let openssl_verdict = |crls: &str, leaf: &str| -> (u32, String) {
        let out = openssl(
            pki.dir.path(),
            &[
                "verify",
                "-crl_check_all",
                "-attime",
                &at,
                "-CAfile",
                "root.pem",
                "-untrusted",
                "inter.pem",
                "-CRLfile",
                crls,
                "-CRLfile",
                "root.crl.pem",
                leaf,
            ],
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            !text.contains("unable to load"),
            "openssl loads the file: {text}"
        );
        if out.status.success() && text.contains(": OK") {
            return (0, text);
        }
        let n = text
            .split("error ")
            .skip(1)
            .find_map(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no error number in openssl's output: {text}"));
        (n, text)
    };
    let (theirs_good, text_good) = openssl_verdict("many.crl.pem", "leaf.pem");
    let (theirs_revoked, text_revoked) = openssl_verdict("many.crl.pem", "revoked-leaf.pem");
    println!(
        "openssl on the many-CRL file: good leaf {theirs_good}, revoked leaf {theirs_revoked}"
    );
    // The same file without the onlyContainsUserCerts CRL ("idp" block).
    let without_idp: String = blocks
        .iter()
        .filter(|(n, _, _)| *n != "idp")
        .map(|(_, t, _)| *t)
        .collect();
    let without_idp = pki.write("many-without-idp.crl.pem", &without_idp);
    let (theirs_revoked_without_idp, text_without_idp) =
        openssl_verdict("many-without-idp.crl.pem", "revoked-leaf.pem");
    let run = chainscope(&[
        "verify",
        "--json",
        "--roots",
        &pki.path("root.pem"),
        "--at",
        AT,
        "--host",
        HOST,
        "--crl",
        &file,
        "--crl",
        &root,
        &revoked_chain,
    ]);
    let revoked_json = run.json();
    assert_eq!(
        (run.code, revoked_json["error"]["code"].as_str()),
        (1, Some("revoked")),
        "{revoked_json:#}"
    );
    // The good leaf: both accept (chainscope's verdict is asserted above).
    assert_eq!(theirs_good, 0, "openssl on the good leaf: {text_good}");
    // The revoked leaf: chainscope rejects it (revoked, from the good CRL), openssl accepts
    // it — an explained difference. get_crl_sk takes one CRL per certificate, the best
    // scoring and, among equals, the newest (lastUpdate). The delta, indirect and reasons
    // CRLs score 0 without -extended_crl/-use_deltas, the critical one lacks
    // CRL_SCORE_NOCRITICAL, the forged one fails the AKID check; but the
    // onlyContainsUserCerts CRL is in scope for an end-entity certificate whose issuer it
    // names (no distribution point to match), scores as high as the good one and is newer
    // (2026-05-15 against 2026-05-01) — and it lists nothing. chainscope refuses a CRL
    // partitioned by distribution point (the `partitioned_by_distribution_point` defect
    // above) and decides on the good CRL.
    assert_eq!(
        theirs_revoked, 0,
        "openssl on the revoked leaf (it should pick the newer onlyContainsUserCerts CRL): {text_revoked}"
    );
    // Without that CRL, openssl picks the good one and says revoked (23), as chainscope.
    assert_eq!(
        theirs_revoked_without_idp, 23,
        "openssl on the revoked leaf without the onlyContainsUserCerts CRL: {text_without_idp}"
    );
    let run = chainscope(&[
        "verify",
        "--json",
        "--roots",
        &pki.path("root.pem"),
        "--at",
        AT,
        "--host",
        HOST,
        "--crl",
        &without_idp,
        "--crl",
        &root,
        &revoked_chain,
    ]);
    assert_eq!(
        (run.code, run.json()["error"]["code"].as_str()),
        (1, Some("revoked")),
        "{}",
        run.out
    );
}

#[test]
fn one_unusable_crl_alone_still_verifies_and_a_file_without_crls_is_an_input_error() {
    let pki = Pki::new();
    let forged = crl(
        &Issuer::new(
            ca_params("CRL Sets Intermediate"),
            KeyPair::generate().unwrap(),
        ),
        (2026, 5, 2),
        (2026, 7, 2),
        3,
        &[(&LEAF_SERIAL, None)],
    );
    let file = pki.write("forged.crl.pem", &forged);
    let root = pki.write("root.crl.pem", &pki.root_crl());
    let (code, json, _) = pki.verify(&[&file, &root], &[]);
    // A forged CRL's revocation does not count; the leaf's status is unknown (a warning).
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(leaf_check(&json)["status"], "unknown");
    assert_eq!(findings(&json, "revocation_unknown").len(), 1, "{json:#}");
    // A file that holds no CRL at all is an input error.
    let cert = pki.path("leaf.pem");
    let root_pem = pki.path("root.pem");
    let chain = pki.path("chain.pem");
    let run = chainscope(&[
        "verify", "--roots", &root_pem, "--at", AT, "--crl", &cert, &chain,
    ]);
    assert_eq!(run.code, 2, "{}", run.out);
    assert!(run.err.contains("no X509 CRL block"), "{}", run.err);
}

#[test]
fn unknown_status_is_a_warning_by_default_and_a_rejection_under_strict() {
    let pki = Pki::new();
    let leaf_crl = pki.write("inter.crl.pem", &older(&pki));
    let root = pki.write("root.crl.pem", &pki.root_crl());
    // Both issuers' CRLs: every certificate is good, in every profile.
    for extra in [&[][..], &["--strict"][..]] {
        let (code, json, _) = pki.verify(&[&leaf_crl, &root], extra);
        assert_eq!(code, 0, "{extra:?}: {json:#}");
        assert!(findings(&json, "revocation_unknown").is_empty(), "{json:#}");
    }
    // Only the intermediate's CRL: the intermediate's status is unknown (no CRL of the root
    // was given while other CRLs were).
    let (code, json, _) = pki.verify(&[&leaf_crl], &[]);
    assert_eq!(code, 0, "{json:#}");
    let unknown = findings(&json, "revocation_unknown");
    assert_eq!(unknown.len(), 1, "{json:#}");
    assert_eq!(unknown[0]["severity"], "warning");
    assert_eq!(unknown[0]["cert_index"], 1);
    assert!(unknown[0]["message"]
        .as_str()
        .unwrap()
        .contains("no CRL issued by CN=CRL Sets Root"));
    let (code, json, _) = pki.verify(&[&leaf_crl], &["--strict"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["error"]["code"], "revocation_unknown", "{json:#}");
    assert_eq!(json["error"]["cert_index"], 1);
    // Only an expired CRL for the leaf's issuer: unknown too.
    let expired = pki.write(
        "expired.crl.pem",
        &crl(&pki.inter, (2026, 3, 1), (2026, 4, 1), 1, &[]),
    );
    let (code, json, _) = pki.verify(&[&expired, &root], &["--strict"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["error"]["code"], "revocation_unknown");
    assert_eq!(json["error"]["cert_index"], 0);
    assert!(!findings(&json, "crl_unusable").is_empty());
    let (code, json, _) = pki.verify(&[&expired, &root], &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(leaf_check(&json)["status"], "unknown");
}

#[test]
fn a_revoked_intermediate_is_named_by_the_root_crl() {
    let pki = Pki::new();
    let root = crl(
        &pki.root,
        (2026, 5, 1),
        (2026, 8, 1),
        4,
        &[(&pki.inter_serial, Some(RevocationReason::CaCompromise))],
    );
    let report = pki.report(&[&older(&pki), &root]);
    let error = report.error.unwrap();
    assert_eq!(error.code, Code::Revoked);
    assert_eq!(error.cert_index, Some(1), "{}", error.message);
}

/// A CRL whose issuingDistributionPoint (full name, as rustls matches it) is the leaf's
/// cRLDistributionPoints URI covers the leaf; one with another URI does not, so the
/// leaf's status is unknown and its revocation there does not count.
#[test]
fn an_issuing_distribution_point_scopes_a_crl_to_the_certificates_that_name_it() {
    let dp = "http://crl.test/inter-1.crl";
    let pki = Pki::build(
        Some(dp),
        &[KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign],
    );
    let scoped = |uri: &str, revoked: &[(&[u8], Option<RevocationReason>)]| {
        CertificateRevocationListParams {
            this_update: rcgen::date_time_ymd(2026, 5, 1),
            next_update: rcgen::date_time_ymd(2026, 7, 1),
            crl_number: SerialNumber::from(7u64),
            issuing_distribution_point: Some(rcgen::CrlIssuingDistributionPoint {
                distribution_point: rcgen::CrlDistributionPoint {
                    uris: vec![uri.to_owned()],
                },
                scope: None,
            }),
            revoked_certs: revoked
                .iter()
                .map(|(serial, reason)| RevokedCertParams {
                    serial_number: SerialNumber::from(serial.to_vec()),
                    revocation_time: rcgen::date_time_ymd(2026, 5, 1),
                    reason_code: *reason,
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        }
        .signed_by(&pki.inter)
        .unwrap()
        .pem()
        .unwrap()
    };
    let root = pki.root_crl();
    let report = pki.report(&[&scoped(dp, &[]), &root]);
    assert!(report.valid, "{:?}", report.error);
    let rev = report.revocation.as_ref().unwrap();
    assert_eq!(rev.certificates[0].status, "good");
    let other = "http://crl.test/inter-2.crl";
    let report = pki.report(&[&scoped(other, &[(&LEAF_SERIAL, None)]), &root]);
    assert!(report.valid, "{:?}", report.error);
    let leaf = &report.revocation.as_ref().unwrap().certificates[0];
    assert_eq!(leaf.status, "unknown", "{leaf:?}");
    assert!(leaf.checked_against.is_empty());
    assert!(report.has(Code::RevocationUnknown));
    let report = pki.report(&[&scoped(dp, &[(&LEAF_SERIAL, None)]), &root]);
    assert_eq!(report.error.unwrap().code, Code::Revoked);
}

/// RFC 5280 §6.3.3 (f): a CRL signed by a CA whose keyUsage lacks cRLSign cannot be used.
#[test]
fn a_crl_from_an_issuer_without_crl_sign_is_unusable() {
    let pki = Pki::build(None, &[KeyUsagePurpose::KeyCertSign]);
    let revoking = newer_revoking(&pki);
    let report = pki.report(&[&revoking, &pki.root_crl()]);
    assert!(report.valid, "{:?}", report.error);
    let rev = report.revocation.as_ref().unwrap();
    assert_eq!(rev.crls[0].status, "unusable");
    assert_eq!(
        rev.crls[0].defect,
        Some(chainscope::verify::CrlDefect::IssuerNotCrlSigner)
    );
    assert!(report.has(Code::CrlUnusable));
    assert!(report.has(Code::RevocationUnknown));
}

/// `openssl verify -crl_check_all` on the same files: revoked in both orders (OpenSSL
/// picks the newest CRL), and "unable to get certificate CRL" where chainscope says
/// `revocation_unknown`.
#[test]
fn openssl_verify_agrees_on_revoked_and_unknown() {
    let pki = Pki::new();
    pki.write("older.crl.pem", &older(&pki));
    pki.write("newer.crl.pem", &newer_revoking(&pki));
    pki.write("root.crl.pem", &pki.root_crl());
    let at = parse_time(AT).unwrap().unix_timestamp().to_string();
    let openssl_verify = |crls: &[&str]| -> String {
        let mut args = vec![
            "verify",
            "-crl_check_all",
            "-attime",
            &at,
            "-CAfile",
            "root.pem",
            "-untrusted",
            "inter.pem",
        ];
        for c in crls {
            args.extend(["-CRLfile", c]);
        }
        args.push("leaf.pem");
        let out = openssl(pki.dir.path(), &args);
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    for order in [
        ["older.crl.pem", "newer.crl.pem"],
        ["newer.crl.pem", "older.crl.pem"],
    ] {
        let text = openssl_verify(&[order[0], order[1], "root.crl.pem"]);
        assert!(
            text.contains("certificate revoked"),
            "openssl {order:?}: {text}"
        );
        let (code, json, _) = pki.verify(
            &[
                &pki.path(order[0]),
                &pki.path(order[1]),
                &pki.path("root.crl.pem"),
            ],
            &[],
        );
        assert_eq!((code, json["error"]["code"].as_str()), (1, Some("revoked")));
    }
    let text = openssl_verify(&["older.crl.pem", "root.crl.pem"]);
    assert!(text.contains(": OK"), "openssl: {text}");
    let text = openssl_verify(&["older.crl.pem"]);
    assert!(
        text.contains("unable to get certificate CRL"),
        "openssl: {text}"
    );
    let (code, json, _) = pki.verify(&[&pki.path("older.crl.pem")], &["--strict"]);
    assert_eq!(
        (code, json["error"]["code"].as_str()),
        (1, Some("revocation_unknown"))
    );
}

/// A forged CRL that lists the leaf never makes a rejected chain "revoked": the diagnosis
/// names the real cause.
#[test]
fn a_forged_crl_is_not_a_cause_of_a_rejection() {
    let pki = Pki::new();
    let impostor = Issuer::new(
        ca_params("CRL Sets Intermediate"),
        KeyPair::generate().unwrap(),
    );
    let forged = crl(
        &impostor,
        (2026, 5, 2),
        (2026, 7, 2),
        3,
        &[(&LEAF_SERIAL, None)],
    );
    let chain = chainscope::load_certificates(pki.path("chain.pem").as_ref()).unwrap();
    let trust = TrustStore::from_spec(&pki.path("root.pem")).unwrap();
    let mut options = VerifyOptions::for_host("other.crl.test").unwrap();
    options.at = Some(parse_time(AT).unwrap());
    options.crls = Crl::from_bytes(forged.as_bytes(), "forged.pem").unwrap();
    let report = verify_chain(&chain, &trust, &options);
    assert_eq!(report.error.as_ref().unwrap().code, Code::HostnameMismatch);
    assert!(!report.has(Code::Revoked), "{:?}", report.findings);
    assert!(report.has(Code::CrlUnusable));
}
