//! The corpus of chains built to make clients disagree.
//!
//! Every case starts from one well-formed chain — a root, an intermediate and a TLS server
//! leaf for [`HOST`], all ECDSA P-256, the root trusted, the leaf and intermediate
//! presented — and changes what its family is about: the six rows of issue 14's table and
//! all their combinations, host names, EKU, validity, name constraints, algorithms and key
//! sizes, critical extensions, version 1 certificates, key identifiers, name encodings and
//! path structure. [`rule_pairs`] adds the rule catalogue's pairs of chains
//! (`crate::rule_pairs`). Case ids say what was changed (`row/leaf-no-aki+root-expired`); nothing
//! downstream looks at them to decide anything.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use rcgen::SanType;
use time::OffsetDateTime;

use crate::certs_pem;

use super::build::{
    build_all, san, Aki, CertSpec, Constraints, Crit, Dn, Eku, KeyKind, Ku, SigHash, StrEnc,
    Subtree, Window,
};

/// The host name every leaf is issued for unless a case says otherwise.
pub const HOST: &str = "server.chainscope.test";

/// Index of the root in a standard chain.
pub const ROOT: usize = 0;
/// Index of the intermediate in a standard chain.
pub const INT: usize = 1;
/// Index of the leaf in a standard chain.
pub const LEAF: usize = 2;

/// One chain of the corpus, before it is built.
#[derive(Debug, Clone)]
pub struct ChainCase {
    /// Stable id, e.g. `eku/int-client-only`.
    pub id: String,
    /// What the case changes, in words.
    pub about: String,
    /// The certificates, issuers first.
    pub certs: Vec<CertSpec>,
    /// Indices of the certificates given to the verifier as trust anchors. Empty: an
    /// unrelated root is trusted instead.
    pub anchors: Vec<usize>,
    /// Indices of the certificates the server presents, leaf first.
    pub presented: Vec<usize>,
    /// The name the client connects to (a DNS name or an IP address).
    pub host: String,
}

impl ChainCase {
    /// The standard chain: root → intermediate → leaf for [`HOST`].
    pub fn standard(id: &str, about: &str) -> ChainCase {
        ChainCase {
            id: id.into(),
            about: about.into(),
            certs: vec![
                CertSpec::ca("Chainscope Corpus Root", None),
                CertSpec::ca("Chainscope Corpus Intermediate", Some(ROOT)),
                CertSpec::leaf(HOST, INT),
            ],
            anchors: vec![ROOT],
            presented: vec![LEAF, INT],
            host: HOST.into(),
        }
    }

    /// The standard chain with `n` intermediates (root → i1 → … → in → leaf); the leaf
    /// is the last certificate.
    pub fn with_intermediates(id: &str, about: &str, n: usize) -> ChainCase {
        let mut certs = vec![CertSpec::ca("Chainscope Corpus Root", None)];
        for i in 1..=n {
            certs.push(CertSpec::ca(
                &format!("Chainscope Corpus Intermediate {i}"),
                Some(i - 1),
            ));
        }
        certs.push(CertSpec::leaf(HOST, n));
        let leaf = n + 1;
        ChainCase {
            id: id.into(),
            about: about.into(),
            certs,
            anchors: vec![ROOT],
            presented: std::iter::once(leaf).chain((1..=n).rev()).collect(),
            host: HOST.into(),
        }
    }

    fn leaf_index(&self) -> usize {
        self.presented[0]
    }

    /// The leaf's spec.
    pub fn leaf(&mut self) -> &mut CertSpec {
        let i = self.leaf_index();
        &mut self.certs[i]
    }
}

/// A built case on disk: `roots.pem`, `chain.pem` (presented, leaf first), `leaf.pem`,
/// `untrusted.pem` (presented minus the leaf, when any) and `leaf.key`.
#[derive(Debug, Clone)]
pub struct BuiltCase {
    /// The case id.
    pub id: String,
    /// What the case changes.
    pub about: String,
    /// The directory holding its files.
    pub dir: PathBuf,
    /// The host name to verify.
    pub host: String,
    /// Whether `untrusted.pem` exists.
    pub has_untrusted: bool,
    /// Presented certificates, leaf first (DER).
    pub presented: Vec<Vec<u8>>,
    /// Trust anchors (DER).
    pub roots: Vec<Vec<u8>>,
}

/// Builds `case` into `dir`, with validity windows around `at`.
pub fn build_case(case: &ChainCase, at: OffsetDateTime, dir: &Path) -> BuiltCase {
    std::fs::create_dir_all(dir).expect("case dir");
    let built = build_all(&case.certs, at, &dir.join("scratch"));
    let presented: Vec<Vec<u8>> = case
        .presented
        .iter()
        .map(|&i| built[i].der.clone())
        .collect();
    let mut roots: Vec<Vec<u8>> = case.anchors.iter().map(|&i| built[i].der.clone()).collect();
    if roots.is_empty() {
        let other = build_all(
            &[CertSpec::ca("Chainscope Unrelated Root", None)],
            at,
            &dir.join("scratch"),
        );
        roots.push(other[0].der.clone());
    }
    let _ = std::fs::remove_dir_all(dir.join("scratch"));
    let leaf_key = &built[case.presented[0]].key.pem;
    write_case(
        BuiltCase {
            id: case.id.clone(),
            about: case.about.clone(),
            dir: dir.to_owned(),
            host: case.host.clone(),
            has_untrusted: presented.len() > 1,
            presented,
            roots,
        },
        leaf_key,
    )
}

/// Writes the files of `case` (its `dir` exists) with the leaf's private key `leaf_key`
/// (PEM).
fn write_case(case: BuiltCase, leaf_key: &str) -> BuiltCase {
    let dir = &case.dir;
    std::fs::write(dir.join("roots.pem"), certs_pem(&case.roots)).expect("roots.pem");
    std::fs::write(dir.join("chain.pem"), certs_pem(&case.presented)).expect("chain.pem");
    std::fs::write(dir.join("leaf.pem"), certs_pem(&case.presented[..1])).expect("leaf.pem");
    if case.has_untrusted {
        std::fs::write(dir.join("untrusted.pem"), certs_pem(&case.presented[1..]))
            .expect("untrusted.pem");
    }
    super::write_private(&dir.join("leaf.key"), leaf_key.as_bytes());
    case
}

/// The rule catalogue's pairs (`crate::rule_pairs`), made around `at` into directories
/// under `dir`: `rule/<id>/fail` for every rule, `rule/<id>/pass` for every rule whose
/// passing chain is a near miss of its own, and `rule/conforming`, the passing chain of
/// the other rules. A pair about a CRL differs in its CRL only: the clients are given the
/// certificates, as none of the families checks CRLs by default.
pub fn rule_pairs(at: OffsetDateTime, dir: &Path) -> Vec<BuiltCase> {
    let mut chains = vec![(
        "rule/conforming".to_owned(),
        "the chain that passes every rule of the catalogue".to_owned(),
        crate::rule_pairs::Chain::conforming(at),
    )];
    for case in crate::rule_pairs::cases() {
        chains.push((
            format!("rule/{}/fail", case.rule),
            format!("breaks the catalogue rule {}", case.rule),
            case.failing(at),
        ));
        if case.pass.is_some() {
            chains.push((
                format!("rule/{}/pass", case.rule),
                format!("the near miss of the catalogue rule {}", case.rule),
                case.passing(at),
            ));
        }
    }
    chains
        .into_iter()
        .enumerate()
        .map(|(i, (id, about, chain))| {
            let made = chain.make();
            let sub = dir.join(format!("r{i:03}"));
            std::fs::create_dir_all(&sub).expect("case dir");
            write_case(
                BuiltCase {
                    id,
                    about,
                    dir: sub,
                    host: crate::rule_pairs::HOST.to_owned(),
                    has_untrusted: true,
                    presented: vec![made.leaf.clone(), made.intermediate.clone()],
                    roots: vec![made.root.clone()],
                },
                &made.leaf_key_pem,
            )
        })
        .collect()
}

/// Builds every case into its own directory under `dir`, on a few threads.
pub fn build_corpus(cases: &[ChainCase], at: OffsetDateTime, dir: &Path) -> Vec<BuiltCase> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<BuiltCase>>> = Mutex::new(vec![None; cases.len()]);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let sub = dir.join(format!("{i:04}"));
                let built = build_case(case, at, &sub);
                out.lock().expect("corpus")[i] = Some(built);
            });
        }
    });
    out.into_inner()
        .expect("corpus")
        .into_iter()
        .map(|b| b.expect("every case built"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The cases.

/// Every case of the corpus.
pub fn corpus() -> Vec<ChainCase> {
    let mut all = Vec::new();
    all.extend(issue_rows());
    all.extend(positions());
    all.extend(host_names());
    all.extend(ekus());
    all.extend(validity());
    all.extend(name_constraints());
    all.extend(algorithms());
    all.extend(extensions());
    all.extend(version1());
    all.extend(key_ids());
    all.extend(name_encodings());
    all.extend(structure());
    let mut seen = std::collections::BTreeSet::new();
    for c in &all {
        assert!(seen.insert(c.id.clone()), "duplicate case id {}", c.id);
    }
    all
}

/// The six rows of issue 14's table, as changes of the standard chain.
pub const ROWS: [&str; 6] = [
    "anchor-is-intermediate",
    "leaf-no-aki",
    "int-bc-not-critical",
    "int-no-ku",
    "root-expired",
    "issuer-name-printable-vs-utf8",
];

/// Applies row `name` of the issue table to `case`.
pub fn apply_row(case: &mut ChainCase, name: &str) {
    match name {
        "anchor-is-intermediate" => case.anchors = vec![INT],
        "leaf-no-aki" => case.certs[LEAF].aki = Aki::Absent,
        "int-bc-not-critical" => case.certs[INT].bc = Crit::NonCritical,
        "int-no-ku" => {
            case.certs[INT].ku_crit = Crit::Absent;
            case.certs[INT].ku.clear();
        }
        "root-expired" => case.certs[ROOT].window = Window::Expired,
        "issuer-name-printable-vs-utf8" => {
            // The root's subject is a PrintableString, the intermediate names its issuer
            // in UTF8String: same characters, different bytes. (On the leaf's link GnuTLS
            // answers differently: see the dn/ cases.)
            let subject = case.certs[ROOT].subject.clone().encoded(StrEnc::Printable);
            case.certs[ROOT].subject = subject.clone();
            case.certs[INT].issuer_name = Some(subject.encoded(StrEnc::Utf8));
        }
        other => panic!("no row {other}"),
    }
}

/// The six rows alone and every combination of them (2^6 - 1 cases, plus the base).
fn issue_rows() -> Vec<ChainCase> {
    let mut out = Vec::new();
    for mask in 0u32..(1 << ROWS.len()) {
        let names: Vec<&str> = ROWS
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect();
        let id = if names.is_empty() {
            "row/base".to_owned()
        } else {
            format!("row/{}", names.join("+"))
        };
        let about = if names.is_empty() {
            "the well-formed chain every case starts from".to_owned()
        } else {
            format!("issue 14 table rows: {}", names.join(", "))
        };
        let mut case = ChainCase::standard(&id, &about);
        for n in &names {
            apply_row(&mut case, n);
        }
        out.push(case);
    }
    out
}

/// The rows' defects moved to the other certificates of the path they can apply to.
fn positions() -> Vec<ChainCase> {
    let mut out = Vec::new();
    let who = [(ROOT, "root"), (INT, "int"), (LEAF, "leaf")];
    for (i, name) in who {
        if i != LEAF {
            let mut c = ChainCase::standard(
                &format!("pos/{name}-bc-not-critical"),
                &format!("the {name}'s basicConstraints is not critical"),
            );
            c.certs[i].bc = Crit::NonCritical;
            out.push(c);
            let mut c = ChainCase::standard(
                &format!("pos/{name}-no-ku"),
                &format!("the {name} has no keyUsage"),
            );
            c.certs[i].ku_crit = Crit::Absent;
            c.certs[i].ku.clear();
            out.push(c);
            let mut c = ChainCase::standard(
                &format!("pos/{name}-ku-not-critical"),
                &format!("the {name}'s keyUsage is not critical"),
            );
            c.certs[i].ku_crit = Crit::NonCritical;
            out.push(c);
            let mut c = ChainCase::standard(
                &format!("pos/{name}-no-ski"),
                &format!("the {name} has no subjectKeyIdentifier"),
            );
            c.certs[i].ski = false;
            out.push(c);
        }
        if i != ROOT {
            let mut c = ChainCase::standard(
                &format!("pos/{name}-no-aki"),
                &format!("the {name} has no authorityKeyIdentifier"),
            );
            c.certs[i].aki = Aki::Absent;
            out.push(c);
        }
        let mut c = ChainCase::standard(
            &format!("pos/{name}-ku-no-digital-signature-only-cert-sign"),
            &format!("the {name}'s keyUsage is keyCertSign only"),
        );
        c.certs[i].ku = vec![Ku::KeyCertSign];
        out.push(c);
    }
    // The root with an authorityKeyIdentifier equal to its own key id (allowed by RFC 5280).
    let mut c = ChainCase::standard("pos/root-aki-self", "the root carries AKI = its own SKI");
    c.certs[ROOT].aki = Aki::Match;
    out.push(c);
    // The leaf with a SKI, as most public CAs issue it.
    let mut c = ChainCase::standard("pos/leaf-ski", "the leaf carries a subjectKeyIdentifier");
    c.certs[LEAF].ski = true;
    out.push(c);
    // The leaf with basicConstraints CA:FALSE (critical), as many CAs write it.
    let mut c = ChainCase::standard("pos/leaf-bc-ca-false", "the leaf says CA:FALSE explicitly");
    c.certs[LEAF].bc = Crit::Critical;
    out.push(c);
    // A second-intermediate path with each row-defect on the upper intermediate.
    let mut c = ChainCase::with_intermediates(
        "pos/upper-int-bc-not-critical",
        "two intermediates, the upper one's basicConstraints is not critical",
        2,
    );
    c.certs[1].bc = Crit::NonCritical;
    out.push(c);
    let mut c = ChainCase::with_intermediates(
        "pos/upper-int-no-aki",
        "two intermediates, the upper one has no authorityKeyIdentifier",
        2,
    );
    c.certs[1].aki = Aki::Absent;
    out.push(c);
    let mut c = ChainCase::with_intermediates(
        "pos/lower-int-no-aki",
        "two intermediates, the lower one has no authorityKeyIdentifier",
        2,
    );
    c.certs[2].aki = Aki::Absent;
    out.push(c);
    out
}

fn with_leaf(id: &str, about: &str, host: &str, edit: impl FnOnce(&mut CertSpec)) -> ChainCase {
    let mut c = ChainCase::standard(id, about);
    c.host = host.into();
    edit(c.leaf());
    c
}

fn dns(name: &str) -> SanType {
    SanType::DnsName(name.try_into().expect("IA5"))
}

/// Host-name matching: SAN forms, wildcards, the CN fallback, IP addresses.
fn host_names() -> Vec<ChainCase> {
    let lo = "127.0.0.1";
    let lo6 = "::1";
    let wildcard = |id: &str, pattern: &str, host: &str| {
        let pattern = pattern.to_owned();
        with_leaf(
            &format!("host/{id}"),
            &format!("SAN {pattern}, connecting to {host}"),
            host,
            move |l| {
                l.san = vec![dns(&pattern)];
                l.subject = Dn::cn("Chainscope Wildcard");
            },
        )
    };
    vec![
        with_leaf("host/san-exact", "SAN equals the host", HOST, |_| {}),
        with_leaf(
            "host/san-mismatch",
            "SAN names another host",
            "other.chainscope.test",
            |_| {},
        ),
        with_leaf(
            "host/san-upper-case",
            "SAN in upper case, host in lower case",
            HOST,
            |l| l.san = vec![dns("SERVER.Chainscope.TEST")],
        ),
        with_leaf(
            "host/san-among-many",
            "the host is the third of four SANs",
            HOST,
            |l| {
                l.san = vec![
                    dns("a.chainscope.test"),
                    dns("b.chainscope.test"),
                    dns(HOST),
                    san(lo),
                ]
            },
        ),
        wildcard("wildcard-one-label", "*.chainscope.test", HOST),
        wildcard("wildcard-apex", "*.chainscope.test", "chainscope.test"),
        wildcard(
            "wildcard-two-labels",
            "*.chainscope.test",
            "a.server.chainscope.test",
        ),
        wildcard("wildcard-partial-prefix", "s*.chainscope.test", HOST),
        wildcard("wildcard-partial-suffix", "*er.chainscope.test", HOST),
        wildcard("wildcard-not-leftmost", "server.*.test", HOST),
        wildcard("wildcard-second-level", "*.test", "chainscope.test"),
        wildcard(
            "wildcard-idn-label",
            "*.chainscope.test",
            "xn--bcher-kva.chainscope.test",
        ),
        wildcard("wildcard-alone", "*", HOST),
        with_leaf(
            "host/idn-a-label",
            "an IDN A-label SAN, connecting to it",
            "xn--bcher-kva.chainscope.test",
            |l| {
                l.san = vec![dns("xn--bcher-kva.chainscope.test")];
                l.subject = Dn::cn("Chainscope IDN");
            },
        ),
        with_leaf(
            "host/cn-only",
            "no subjectAltName, the host only in the CN",
            HOST,
            |l| l.san.clear(),
        ),
        with_leaf(
            "host/cn-only-wildcard",
            "no subjectAltName, CN *.chainscope.test",
            HOST,
            |l| {
                l.san.clear();
                l.subject = Dn::cn("*.chainscope.test");
            },
        ),
        with_leaf(
            "host/cn-and-other-san",
            "the host in the CN, another name in the SAN",
            HOST,
            |l| l.san = vec![dns("other.chainscope.test")],
        ),
        with_leaf(
            "host/cn-and-ip-san-only",
            "the host in the CN, only an IP address in the SAN",
            HOST,
            |l| l.san = vec![san(lo)],
        ),
        with_leaf(
            "host/cn-and-email-san-only",
            "the host in the CN, only an email address in the SAN",
            HOST,
            |l| {
                l.san = vec![SanType::Rfc822Name(
                    "ops@chainscope.test".try_into().expect("IA5"),
                )]
            },
        ),
        with_leaf("host/ip-san", "an IP SAN, connecting to the IP", lo, |l| {
            l.san = vec![san(lo)];
            l.subject = Dn::cn("Chainscope IP");
        }),
        with_leaf("host/ipv6-san", "an IPv6 SAN, connecting to it", lo6, |l| {
            l.san = vec![san(lo6)];
            l.subject = Dn::cn("Chainscope IPv6");
        }),
        with_leaf(
            "host/ip-san-other",
            "an IP SAN of another address",
            lo,
            |l| {
                l.san = vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)))];
                l.subject = Dn::cn("Chainscope IP");
            },
        ),
        with_leaf(
            "host/ip-in-cn-only",
            "no SAN, the IP address only in the CN",
            lo,
            |l| {
                l.san.clear();
                l.subject = Dn::cn(lo);
            },
        ),
        with_leaf(
            "host/ip-as-dns-san",
            "the IP address written as a dNSName SAN",
            lo,
            |l| {
                l.san = vec![dns(lo)];
                l.subject = Dn::cn("Chainscope IP");
            },
        ),
        with_leaf(
            "host/ip-and-dns-san-to-dns",
            "IP and DNS SANs, connecting by name",
            HOST,
            |l| l.san = vec![san(lo), dns(HOST)],
        ),
        with_leaf(
            "host/ipv4-mapped-ipv6-san",
            "SAN ::ffff:127.0.0.1, connecting to 127.0.0.1",
            lo,
            |l| {
                l.san = vec![SanType::IpAddress(IpAddr::V6(
                    Ipv4Addr::new(127, 0, 0, 1).to_ipv6_mapped(),
                ))];
                l.subject = Dn::cn("Chainscope IP");
            },
        ),
        with_leaf(
            "host/empty-subject-critical-san",
            "empty subject, critical SAN with the host",
            HOST,
            |l| {
                l.subject = Dn {
                    attrs: Vec::new(),
                    enc: StrEnc::Utf8,
                }
            },
        ),
        with_leaf(
            "host/uri-san-only",
            "only a URI in the SAN, the host in the CN",
            HOST,
            |l| {
                l.san = vec![SanType::URI(
                    "https://server.chainscope.test/".try_into().expect("IA5"),
                )]
            },
        ),
        with_leaf(
            "host/san-ipv6-unspecified",
            "SAN ::, connecting to ::1",
            lo6,
            |l| {
                l.san = vec![SanType::IpAddress(IpAddr::V6(Ipv6Addr::UNSPECIFIED))];
                l.subject = Dn::cn("Chainscope IPv6");
            },
        ),
    ]
}

/// Extended key usage on the leaf, the intermediate and the root.
fn ekus() -> Vec<ChainCase> {
    let mut out = Vec::new();
    let mut add = |id: &str, about: &str, who: usize, eku: Vec<Eku>, crit: Crit| {
        let mut c = ChainCase::standard(&format!("eku/{id}"), about);
        c.certs[who].eku = eku;
        c.certs[who].eku_crit = crit;
        out.push(c);
    };
    use Eku::*;
    add(
        "leaf-none",
        "the leaf has no EKU",
        LEAF,
        vec![],
        Crit::Absent,
    );
    add(
        "leaf-client-only",
        "the leaf is for clientAuth only",
        LEAF,
        vec![ClientAuth],
        Crit::NonCritical,
    );
    add(
        "leaf-server-client",
        "the leaf has serverAuth and clientAuth",
        LEAF,
        vec![ServerAuth, ClientAuth],
        Crit::NonCritical,
    );
    add(
        "leaf-any-only",
        "the leaf has anyExtendedKeyUsage only",
        LEAF,
        vec![Any],
        Crit::NonCritical,
    );
    add(
        "leaf-server-any",
        "the leaf has serverAuth and anyExtendedKeyUsage",
        LEAF,
        vec![ServerAuth, Any],
        Crit::NonCritical,
    );
    add(
        "leaf-code-signing-only",
        "the leaf is for codeSigning only",
        LEAF,
        vec![CodeSigning],
        Crit::NonCritical,
    );
    add(
        "leaf-critical",
        "the leaf's EKU (serverAuth) is critical",
        LEAF,
        vec![ServerAuth],
        Crit::Critical,
    );
    add(
        "int-server",
        "the intermediate has EKU serverAuth",
        INT,
        vec![ServerAuth],
        Crit::NonCritical,
    );
    add(
        "int-server-client",
        "the intermediate has EKU serverAuth, clientAuth",
        INT,
        vec![ServerAuth, ClientAuth],
        Crit::NonCritical,
    );
    add(
        "int-client-only",
        "the intermediate has EKU clientAuth only",
        INT,
        vec![ClientAuth],
        Crit::NonCritical,
    );
    add(
        "int-any-only",
        "the intermediate has anyExtendedKeyUsage only",
        INT,
        vec![Any],
        Crit::NonCritical,
    );
    add(
        "int-code-signing-only",
        "the intermediate has EKU codeSigning only",
        INT,
        vec![CodeSigning],
        Crit::NonCritical,
    );
    add(
        "int-critical-server",
        "the intermediate's EKU serverAuth is critical",
        INT,
        vec![ServerAuth],
        Crit::Critical,
    );
    add(
        "root-server",
        "the root has EKU serverAuth",
        ROOT,
        vec![ServerAuth],
        Crit::NonCritical,
    );
    add(
        "root-client-only",
        "the root has EKU clientAuth only",
        ROOT,
        vec![ClientAuth],
        Crit::NonCritical,
    );
    add(
        "root-code-signing-only",
        "the root has EKU codeSigning only",
        ROOT,
        vec![CodeSigning],
        Crit::NonCritical,
    );
    let mut c = ChainCase::standard(
        "eku/leaf-none-int-client-only",
        "the leaf has no EKU, the intermediate clientAuth only",
    );
    c.certs[LEAF].eku_crit = Crit::Absent;
    c.certs[LEAF].eku.clear();
    c.certs[INT].eku = vec![ClientAuth];
    c.certs[INT].eku_crit = Crit::NonCritical;
    out.push(c);
    let mut c = ChainCase::standard(
        "eku/leaf-client-int-server",
        "the leaf clientAuth only, the intermediate serverAuth",
    );
    c.certs[LEAF].eku = vec![ClientAuth];
    c.certs[INT].eku = vec![ServerAuth];
    c.certs[INT].eku_crit = Crit::NonCritical;
    out.push(c);
    out
}

/// Validity windows of each certificate, the trust anchor included.
fn validity() -> Vec<ChainCase> {
    let mut out = Vec::new();
    for (who, name) in [(ROOT, "root"), (INT, "int"), (LEAF, "leaf")] {
        for (w, wname) in [
            (Window::Expired, "expired"),
            (Window::NotYetValid, "not-yet-valid"),
        ] {
            let mut c = ChainCase::standard(
                &format!("time/{name}-{wname}"),
                &format!("the {name} is {wname}"),
            );
            c.certs[who].window = w;
            out.push(c);
        }
    }
    let mut c = ChainCase::standard(
        "time/anchor-int-and-expired-root",
        "intermediate and an expired root both trusted",
    );
    c.certs[ROOT].window = Window::Expired;
    c.anchors = vec![ROOT, INT];
    out.push(c);
    let mut c = ChainCase::standard(
        "time/expired-int-anchor",
        "an expired intermediate is the only trust anchor",
    );
    c.certs[INT].window = Window::Expired;
    c.anchors = vec![INT];
    out.push(c);
    // The same intermediate (subject and key) twice: an expired copy presented first.
    let mut c = ChainCase::standard(
        "time/expired-int-copy-first",
        "an expired copy of the intermediate is presented before the valid one",
    );
    let mut expired = c.certs[INT].clone();
    expired.window = Window::Expired;
    expired.same_key_as = Some(INT);
    c.certs.push(expired);
    c.presented = vec![LEAF, 3, INT];
    out.push(c);
    out
}

fn constrained(
    id: &str,
    about: &str,
    on: usize,
    permitted: Vec<Subtree>,
    excluded: Vec<Subtree>,
) -> ChainCase {
    let mut c = ChainCase::standard(&format!("nc/{id}"), about);
    c.certs[on].nc = Some(Constraints {
        permitted,
        excluded,
        critical: true,
    });
    c
}

/// Name constraints of every form, met and violated, on the intermediate and the root.
fn name_constraints() -> Vec<ChainCase> {
    use Subtree::*;
    let lo = "127.0.0.1";
    let ip_leaf = |c: &mut ChainCase| {
        c.host = lo.into();
        c.certs[LEAF].san = vec![san(lo)];
    };
    let corpus_dn = || Dn {
        attrs: vec![(super::build::DnAttr::O, "Chainscope Corpus".into())],
        enc: StrEnc::Utf8,
    };
    let other_dn = || Dn {
        attrs: vec![(super::build::DnAttr::O, "Other Organisation".into())],
        enc: StrEnc::Utf8,
    };
    let mut out = vec![
        constrained(
            "dns-permitted-met",
            "permitted DNS chainscope.test",
            INT,
            vec![Dns("chainscope.test".into())],
            vec![],
        ),
        constrained(
            "dns-permitted-violated",
            "permitted DNS other.test",
            INT,
            vec![Dns("other.test".into())],
            vec![],
        ),
        constrained(
            "dns-excluded-hit",
            "excluded DNS chainscope.test",
            INT,
            vec![],
            vec![Dns("chainscope.test".into())],
        ),
        constrained(
            "dns-excluded-other",
            "excluded DNS other.test",
            INT,
            vec![],
            vec![Dns("other.test".into())],
        ),
        constrained(
            "dns-permitted-leading-dot",
            "permitted DNS .chainscope.test",
            INT,
            vec![Dns(".chainscope.test".into())],
            vec![],
        ),
        constrained(
            "dns-permitted-exact-host",
            "permitted DNS equal to the host",
            INT,
            vec![Dns(HOST.into())],
            vec![],
        ),
        constrained(
            "dns-permitted-label-suffix",
            "permitted DNS scope.test (a suffix, not a label)",
            INT,
            vec![Dns("scope.test".into())],
            vec![],
        ),
        constrained(
            "dns-permitted-on-root-met",
            "the root: permitted DNS chainscope.test",
            ROOT,
            vec![Dns("chainscope.test".into())],
            vec![],
        ),
        constrained(
            "dns-permitted-on-root-violated",
            "the root: permitted DNS other.test",
            ROOT,
            vec![Dns("other.test".into())],
            vec![],
        ),
        constrained(
            "dns-excluded-on-root-hit",
            "the root: excluded DNS chainscope.test",
            ROOT,
            vec![],
            vec![Dns("chainscope.test".into())],
        ),
        constrained(
            "dir-permitted-met",
            "permitted directoryName O=Chainscope Corpus",
            INT,
            vec![Dir(corpus_dn())],
            vec![],
        ),
        constrained(
            "dir-permitted-violated",
            "permitted directoryName O=Other Organisation",
            INT,
            vec![Dir(other_dn())],
            vec![],
        ),
        constrained(
            "dir-excluded-hit",
            "excluded directoryName O=Chainscope Corpus",
            INT,
            vec![],
            vec![Dir(corpus_dn())],
        ),
        constrained(
            "email-permitted-no-email",
            "permitted rfc822Name chainscope.test, the leaf has no email",
            INT,
            vec![Email("chainscope.test".into())],
            vec![],
        ),
        constrained(
            "uri-permitted-no-uri",
            "permitted URI .chainscope.test, the leaf has no URI",
            INT,
            vec![Uri(".chainscope.test".into())],
            vec![],
        ),
        constrained(
            "uri-excluded-no-uri",
            "excluded URI other.test, the leaf has no URI",
            INT,
            vec![],
            vec![Uri("other.test".into())],
        ),
        constrained(
            "ip-permitted-for-dns-leaf",
            "permitted IP 10.0.0.0/8, the leaf has DNS names only",
            INT,
            vec![Ip(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 0)), 8)],
            vec![],
        ),
        constrained(
            "dns-and-ip-permitted-met",
            "permitted DNS chainscope.test and IP 127.0.0.0/8",
            INT,
            vec![
                Dns("chainscope.test".into()),
                Ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8),
            ],
            vec![],
        ),
    ];
    let mut c = constrained(
        "ip-permitted-met",
        "permitted IP 127.0.0.0/8, leaf 127.0.0.1",
        INT,
        vec![Ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8)],
        vec![],
    );
    ip_leaf(&mut c);
    out.push(c);
    let mut c = constrained(
        "ip-permitted-violated",
        "permitted IP 10.0.0.0/8, leaf 127.0.0.1",
        INT,
        vec![Ip(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 0)), 8)],
        vec![],
    );
    ip_leaf(&mut c);
    out.push(c);
    let mut c = constrained(
        "ip-excluded-hit",
        "excluded IP 127.0.0.0/8, leaf 127.0.0.1",
        INT,
        vec![],
        vec![Ip(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8)],
    );
    ip_leaf(&mut c);
    out.push(c);
    let mut c = constrained(
        "dns-permitted-for-ip-leaf",
        "permitted DNS chainscope.test, the leaf has an IP SAN only",
        INT,
        vec![Dns("chainscope.test".into())],
        vec![],
    );
    ip_leaf(&mut c);
    out.push(c);
    let mut c = constrained(
        "email-permitted-violated",
        "permitted rfc822Name chainscope.test, the leaf has ops@other.test",
        INT,
        vec![Email("chainscope.test".into())],
        vec![],
    );
    c.certs[LEAF].san.push(SanType::Rfc822Name(
        "ops@other.test".try_into().expect("IA5"),
    ));
    out.push(c);
    let mut c = constrained(
        "uri-permitted-violated",
        "permitted URI .chainscope.test, the leaf has https://other.test/",
        INT,
        vec![Uri(".chainscope.test".into())],
        vec![],
    );
    c.certs[LEAF]
        .san
        .push(SanType::URI("https://other.test/".try_into().expect("IA5")));
    out.push(c);
    let mut c = constrained(
        "dns-permitted-met-cn-only-leaf",
        "permitted DNS chainscope.test, the leaf has only its CN",
        INT,
        vec![Dns("chainscope.test".into())],
        vec![],
    );
    c.certs[LEAF].san.clear();
    out.push(c);
    let mut c = constrained(
        "dns-permitted-violated-cn-only-leaf",
        "permitted DNS other.test, the leaf has only its CN (the host)",
        INT,
        vec![Dns("other.test".into())],
        vec![],
    );
    c.certs[LEAF].san.clear();
    out.push(c);
    let mut c = constrained(
        "dns-permitted-met-not-critical",
        "permitted DNS chainscope.test in a non-critical extension",
        INT,
        vec![Dns("chainscope.test".into())],
        vec![],
    );
    if let Some(nc) = &mut c.certs[INT].nc {
        nc.critical = false;
    }
    out.push(c);
    let mut c = constrained(
        "dns-permitted-wildcard-leaf-violated",
        "permitted DNS other.test, the leaf is *.chainscope.test",
        INT,
        vec![Dns("other.test".into())],
        vec![],
    );
    c.certs[LEAF].san = vec![dns("*.chainscope.test")];
    out.push(c);
    let mut c = constrained(
        "dns-excluded-other-san-hit",
        "excluded DNS forbidden.test, the leaf also names x.forbidden.test",
        INT,
        vec![],
        vec![Dns("forbidden.test".into())],
    );
    c.certs[LEAF].san.push(dns("x.forbidden.test"));
    out.push(c);
    out
}

/// Signature hashes and key sizes at each position.
fn algorithms() -> Vec<ChainCase> {
    let mut out = Vec::new();
    let rsa_chain = |id: &str, about: &str| {
        let mut c = ChainCase::standard(id, about);
        for cert in &mut c.certs {
            cert.key = KeyKind::Rsa2048;
        }
        c
    };
    out.push(rsa_chain(
        "alg/rsa-2048-chain",
        "every certificate RSA-2048 with SHA-256",
    ));
    let mut c = ChainCase::standard("alg/p384-chain", "every certificate ECDSA P-384");
    for cert in &mut c.certs {
        cert.key = KeyKind::P384;
    }
    out.push(c);
    let mut c = ChainCase::standard(
        "alg/ed25519-ca",
        "the root and the intermediate are Ed25519",
    );
    c.certs[ROOT].key = KeyKind::Ed25519;
    c.certs[INT].key = KeyKind::Ed25519;
    out.push(c);
    let mut c = ChainCase::standard(
        "alg/mixed-rsa-root-ec-leaf",
        "RSA-2048 root, P-256 intermediate and leaf",
    );
    c.certs[ROOT].key = KeyKind::Rsa2048;
    out.push(c);
    for (who, name) in [(ROOT, "root"), (INT, "int"), (LEAF, "leaf")] {
        let mut c = ChainCase::standard(
            &format!("alg/{name}-sha1-ecdsa"),
            &format!("the {name} is signed with ECDSA-SHA1"),
        );
        c.certs[who].hash = SigHash::Sha1;
        out.push(c);
        let mut c = rsa_chain(
            &format!("alg/{name}-sha1-rsa"),
            &format!("RSA chain, the {name} signed with SHA-1"),
        );
        c.certs[who].hash = SigHash::Sha1;
        out.push(c);
        let mut c = rsa_chain(
            &format!("alg/{name}-md5-rsa"),
            &format!("RSA chain, the {name} signed with MD5"),
        );
        c.certs[who].hash = SigHash::Md5;
        out.push(c);
        let mut c = rsa_chain(
            &format!("alg/{name}-rsa-1024"),
            &format!("RSA chain, the {name}'s key is RSA-1024"),
        );
        c.certs[who].key = KeyKind::Rsa1024;
        out.push(c);
    }
    out
}

/// Critical and non-critical extensions nobody knows.
fn extensions() -> Vec<ChainCase> {
    let mut out = Vec::new();
    for (who, name) in [(ROOT, "root"), (INT, "int"), (LEAF, "leaf")] {
        for critical in [true, false] {
            let kind = if critical { "critical" } else { "non-critical" };
            let mut c = ChainCase::standard(
                &format!("ext/{name}-unknown-{kind}"),
                &format!("the {name} carries an unknown {kind} extension"),
            );
            c.certs[who].unknown = vec![critical];
            out.push(c);
        }
    }
    use super::build::PolicyExt::*;
    let policies = [
        ("policies", Policies),
        ("any-policy", AnyPolicy),
        ("require-explicit-policy", RequireExplicitPolicy),
        ("inhibit-any-policy", InhibitAnyPolicy),
    ];
    for (who, name) in [(INT, "int"), (LEAF, "leaf")] {
        for (pname, which) in policies {
            if who == LEAF && matches!(which, RequireExplicitPolicy | InhibitAnyPolicy) {
                continue;
            }
            for critical in [true, false] {
                let kind = if critical { "critical" } else { "non-critical" };
                let mut c = ChainCase::standard(
                    &format!("ext/{name}-{pname}-{kind}"),
                    &format!("the {name} carries a {kind} {pname} extension"),
                );
                c.certs[who].policy = vec![(which, critical)];
                out.push(c);
            }
        }
    }
    let mut c = ChainCase::standard(
        "ext/leaf-duplicate-extension",
        "the leaf carries the same unknown non-critical extension twice",
    );
    c.certs[LEAF].unknown = vec![false];
    c.certs[LEAF].policy = vec![(Policies, false), (Policies, false)];
    out.push(c);
    let mut c = ChainCase::standard(
        "ext/unrelated-root-unknown-critical",
        "an unrelated trusted root carries an unknown critical extension",
    );
    let mut other = CertSpec::ca("Chainscope Unrelated Root", None);
    other.unknown = vec![true];
    c.certs.push(other);
    c.anchors = vec![ROOT, 3];
    out.push(c);
    out
}

/// Version 1 certificates.
fn version1() -> Vec<ChainCase> {
    let mut out = Vec::new();
    let mut c = ChainCase::standard("v1/root", "the trusted root is a version 1 certificate");
    c.certs[ROOT].v1 = true;
    out.push(c);
    let mut c = ChainCase::standard("v1/int", "the intermediate is a version 1 certificate");
    c.certs[INT].v1 = true;
    out.push(c);
    let mut c = ChainCase::standard(
        "v1/leaf",
        "the leaf is a version 1 certificate (host in the CN)",
    );
    c.certs[LEAF].v1 = true;
    out.push(c);
    let mut c = ChainCase::standard(
        "v1/leaf-and-root",
        "version 1 root and leaf, v3 intermediate",
    );
    c.certs[LEAF].v1 = true;
    c.certs[ROOT].v1 = true;
    out.push(c);
    let mut c = ChainCase::standard(
        "v1/root-direct-leaf",
        "a version 1 root issues the leaf directly",
    );
    c.certs[ROOT].v1 = true;
    c.certs[LEAF].issuer = Some(ROOT);
    c.presented = vec![LEAF];
    out.push(c);
    out
}

/// Authority and subject key identifiers that are missing or do not match.
fn key_ids() -> Vec<ChainCase> {
    let mut out = Vec::new();
    let mut c = ChainCase::standard(
        "keyid/leaf-aki-mismatch",
        "the leaf's AKI is not the intermediate's key id",
    );
    c.certs[LEAF].aki = Aki::Mismatch;
    out.push(c);
    let mut c = ChainCase::standard(
        "keyid/int-aki-mismatch",
        "the intermediate's AKI is not the root's key id",
    );
    c.certs[INT].aki = Aki::Mismatch;
    out.push(c);
    let mut c = ChainCase::standard(
        "keyid/root-aki-mismatch",
        "the root's AKI is not its own key id",
    );
    c.certs[ROOT].aki = Aki::Mismatch;
    out.push(c);
    let mut c = ChainCase::standard(
        "keyid/no-key-ids-at-all",
        "no certificate carries AKI or SKI",
    );
    for cert in &mut c.certs {
        cert.aki = Aki::Absent;
        cert.ski = false;
    }
    out.push(c);
    let mut c = ChainCase::standard(
        "keyid/int-no-ski-leaf-aki",
        "the intermediate has no SKI, the leaf's AKI still names its key",
    );
    c.certs[INT].ski = false;
    out.push(c);
    out
}

/// Issuer and subject names that are equal as text but not as bytes, or differ slightly.
fn name_encodings() -> Vec<ChainCase> {
    let mut out = Vec::new();
    let mut c = ChainCase::standard(
        "dn/leaf-issuer-printable-subject-utf8",
        "the intermediate's subject is UTF8String, the leaf names it in PrintableString",
    );
    let subject = c.certs[INT].subject.clone();
    c.certs[LEAF].issuer_name = Some(subject.encoded(StrEnc::Printable));
    out.push(c);
    let mut c = ChainCase::standard(
        "dn/leaf-issuer-utf8-subject-printable",
        "the intermediate's subject is PrintableString, the leaf names it in UTF8String",
    );
    let subject = c.certs[INT].subject.clone().encoded(StrEnc::Printable);
    c.certs[INT].subject = subject.clone();
    c.certs[LEAF].issuer_name = Some(subject.encoded(StrEnc::Utf8));
    out.push(c);
    let mut c = ChainCase::standard(
        "dn/int-issuer-printable-root-utf8",
        "the root's subject is UTF8String, the intermediate names it in PrintableString",
    );
    let subject = c.certs[ROOT].subject.clone();
    c.certs[INT].issuer_name = Some(subject.encoded(StrEnc::Printable));
    out.push(c);
    let mut c = ChainCase::standard(
        "dn/int-issuer-case-differs",
        "the intermediate names the root in upper case",
    );
    let upper = c.certs[ROOT]
        .subject
        .clone()
        .with_cn("CHAINSCOPE CORPUS ROOT");
    c.certs[INT].issuer_name = Some(upper);
    out.push(c);
    let mut c = ChainCase::with_intermediates(
        "dn/upper-int-issuer-printable-vs-utf8",
        "two intermediates; the upper one's subject is PrintableString, the lower names it in UTF8String",
        2,
    );
    let subject = c.certs[1].subject.clone().encoded(StrEnc::Printable);
    c.certs[1].subject = subject.clone();
    c.certs[2].issuer_name = Some(subject.encoded(StrEnc::Utf8));
    out.push(c);
    let mut c = ChainCase::standard(
        "dn/all-printable",
        "every name in PrintableString, consistently",
    );
    for cert in &mut c.certs {
        cert.subject = cert.subject.clone().encoded(StrEnc::Printable);
    }
    out.push(c);
    let mut c = ChainCase::standard(
        "dn/leaf-issuer-case-differs",
        "the leaf names its issuer in upper case",
    );
    let upper = c.certs[INT]
        .subject
        .clone()
        .with_cn("CHAINSCOPE CORPUS INTERMEDIATE");
    c.certs[LEAF].issuer_name = Some(upper);
    out.push(c);
    let mut c = ChainCase::standard(
        "dn/leaf-issuer-extra-space",
        "the leaf names its issuer with a doubled inner space",
    );
    let spaced = c.certs[INT]
        .subject
        .clone()
        .with_cn("Chainscope  Corpus Intermediate");
    c.certs[LEAF].issuer_name = Some(spaced);
    out.push(c);
    let mut c = ChainCase::standard(
        "dn/leaf-issuer-different-name",
        "the leaf names an issuer that is not the intermediate (same key)",
    );
    let other = c.certs[INT]
        .subject
        .clone()
        .with_cn("Chainscope Other Intermediate");
    c.certs[LEAF].issuer_name = Some(other);
    out.push(c);
    out
}

/// Path structure: what is presented and trusted, path length, depth, CA flags.
fn structure() -> Vec<ChainCase> {
    let mut out = Vec::new();
    let mut c = ChainCase::standard("path/leaf-only", "the server sends only the leaf");
    c.presented = vec![LEAF];
    out.push(c);
    let mut c = ChainCase::standard("path/root-sent", "the server also sends the root");
    c.presented = vec![LEAF, INT, ROOT];
    out.push(c);
    let mut c = ChainCase::standard(
        "path/anchor-int-leaf-only",
        "the intermediate is the only anchor and the server sends only the leaf",
    );
    c.anchors = vec![INT];
    c.presented = vec![LEAF];
    out.push(c);
    let mut c = ChainCase::standard(
        "path/anchor-int-and-root",
        "both the intermediate and the root are trusted",
    );
    c.anchors = vec![ROOT, INT];
    out.push(c);
    let mut c = ChainCase::standard("path/wrong-root", "an unrelated root is trusted");
    c.anchors.clear();
    out.push(c);
    let mut c = ChainCase::standard(
        "path/unrelated-extra",
        "the server also sends an unrelated certificate",
    );
    c.certs.push(CertSpec::ca("Chainscope Stray CA", None));
    c.presented = vec![LEAF, INT, 3];
    out.push(c);
    let mut c =
        ChainCase::with_intermediates("path/two-intermediates", "root, two intermediates, leaf", 2);
    out.push(c.clone());
    c.id = "path/two-intermediates-unordered".into();
    c.about = "two intermediates sent upper first".into();
    c.presented = vec![3, 1, 2];
    out.push(c);
    let mut c = ChainCase::with_intermediates(
        "path/pathlen-0-exceeded",
        "the upper intermediate has pathLenConstraint 0 and issues another CA",
        2,
    );
    c.certs[1].path_len = Some(0);
    out.push(c);
    let mut c = ChainCase::standard(
        "path/pathlen-0-met",
        "the intermediate has pathLenConstraint 0",
    );
    c.certs[INT].path_len = Some(0);
    out.push(c);
    let mut c = ChainCase::standard(
        "path/root-pathlen-0-exceeded",
        "the root has pathLenConstraint 0 and issues an intermediate",
    );
    c.certs[ROOT].path_len = Some(0);
    out.push(c);
    let mut c = ChainCase::with_intermediates(
        "path/root-pathlen-1-two-ints",
        "the root has pathLenConstraint 1 above two intermediates",
        2,
    );
    c.certs[ROOT].path_len = Some(1);
    out.push(c);
    for n in [5, 6, 7, 8, 14, 15, 16, 17] {
        out.push(ChainCase::with_intermediates(
            &format!("path/depth-{n}-intermediates"),
            &format!("{n} intermediates"),
            n,
        ));
    }
    let mut c = ChainCase::standard("path/int-ca-false", "the intermediate says CA:FALSE");
    c.certs[INT].ca = false;
    out.push(c);
    let mut c = ChainCase::standard("path/int-no-bc", "the intermediate has no basicConstraints");
    c.certs[INT].bc = Crit::Absent;
    out.push(c);
    let mut c = ChainCase::standard(
        "path/int-ku-no-cert-sign",
        "the intermediate's keyUsage lacks keyCertSign",
    );
    c.certs[INT].ku = vec![Ku::DigitalSignature, Ku::CrlSign];
    out.push(c);
    let mut c = ChainCase::standard(
        "path/root-ku-no-cert-sign",
        "the root's keyUsage lacks keyCertSign",
    );
    c.certs[ROOT].ku = vec![Ku::DigitalSignature, Ku::CrlSign];
    out.push(c);
    let mut c = ChainCase::standard("path/leaf-is-ca", "the leaf says CA:TRUE");
    c.certs[LEAF].bc = Crit::Critical;
    c.certs[LEAF].ca = true;
    c.certs[LEAF].ku = vec![Ku::DigitalSignature, Ku::KeyCertSign];
    out.push(c);
    let mut c = ChainCase::standard(
        "path/leaf-ku-key-encipherment-only",
        "the leaf's keyUsage is keyEncipherment only",
    );
    c.certs[LEAF].ku = vec![Ku::KeyEncipherment];
    out.push(c);
    let mut c = ChainCase::standard("path/leaf-no-ku", "the leaf has no keyUsage");
    c.certs[LEAF].ku_crit = Crit::Absent;
    c.certs[LEAF].ku.clear();
    out.push(c);
    let mut c = ChainCase::standard("path/direct-from-root", "the root issues the leaf directly");
    c.certs[LEAF].issuer = Some(ROOT);
    c.presented = vec![LEAF];
    out.push(c);
    // A self-signed server certificate.
    let self_signed = |id: &str, about: &str, trusted: bool, ca: bool| {
        let mut leaf = CertSpec::leaf(HOST, 0);
        leaf.issuer = None;
        leaf.aki = Aki::Absent;
        if ca {
            leaf.bc = Crit::Critical;
            leaf.ca = true;
            leaf.ku = vec![Ku::DigitalSignature, Ku::KeyCertSign];
            leaf.ski = true;
        }
        ChainCase {
            id: id.into(),
            about: about.into(),
            certs: vec![leaf],
            anchors: if trusted { vec![0] } else { vec![] },
            presented: vec![0],
            host: HOST.into(),
        }
    };
    out.push(self_signed(
        "path/self-signed-trusted",
        "a self-signed leaf that is itself trusted",
        true,
        false,
    ));
    out.push(self_signed(
        "path/self-signed-ca-trusted",
        "a self-signed CA:TRUE server certificate that is itself trusted",
        true,
        true,
    ));
    out.push(self_signed(
        "path/self-signed-untrusted",
        "a self-signed leaf nobody trusts",
        false,
        false,
    ));
    // The intermediate is also cross-signed by an untrusted root; both copies are sent.
    let mut c = ChainCase::standard(
        "path/cross-signed-extra",
        "the intermediate's cross-signed copy from an untrusted root is sent too",
    );
    c.certs.push(CertSpec::ca("Chainscope Other Root", None)); // 3
    let mut cross = c.certs[INT].clone();
    cross.issuer = Some(3);
    cross.issuer_name = None;
    cross.same_key_as = Some(INT);
    c.certs.push(cross); // 4: same subject and key as the intermediate
    c.presented = vec![LEAF, 4, INT];
    out.push(c);
    // A CA with the intermediate's name but another key, sent before the real one.
    let mut c = ChainCase::standard(
        "path/same-name-other-key-first",
        "a CA with the intermediate's name and another key is sent first",
    );
    c.certs.push(CertSpec::ca("Chainscope Other Root", None)); // 3
    let mut decoy = c.certs[INT].clone();
    decoy.issuer = Some(3);
    c.certs.push(decoy); // 4
    c.presented = vec![LEAF, 4, INT];
    out.push(c);
    out
}
