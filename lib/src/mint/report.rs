//! What was minted and written, and what to do next: the report the CLI renders as text or
//! JSON.

use std::path::PathBuf;

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use std::net::IpAddr;

use super::files::{WrittenFile, WrittenSet};
use super::{KeyType, MintKind, Minted, Usage};
use crate::name_constraints::{CaConstraints, IpCidr, SubjectName, Subtree};

/// What [`Minted::write`] wrote.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct MintReport {
    /// What was minted.
    pub kind: MintKind,
    /// Subject distinguished name (`CN=proxy.hospital.local`).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, colon-separated hex.
    pub serial: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// Key type, when a key was generated (`null` for `mint sign`).
    pub key_type: Option<KeyType>,
    /// Whether `key.pem` is encrypted.
    pub key_encrypted: bool,
    /// Server or client certificate (leaves only).
    pub usage: Option<Usage>,
    /// Subject alternative names (`DNS:proxy.hospital.local`, `IP:10.1.2.3`).
    pub names: Vec<String>,
    /// The directory written to.
    pub dir: PathBuf,
    /// The files written, in order.
    pub files: Vec<WrittenFile>,
    /// Where the replaced set is kept (`DIR.prev-<UTC time>`), when a forced write replaced
    /// files; `null` otherwise.
    pub previous: Option<PathBuf>,
    /// Things to know (validity shortened, self-signed, …).
    pub warnings: Vec<String>,
    /// What to do with the files, with other tools (nginx, curl, OpenSSL, the systems'
    /// trust stores). A front end adds its own steps (the `chainscope` command line adds
    /// `chainscope mint leaf …` for a CA, with [`Minted::example_leaf_name`]).
    pub next_steps: Vec<NextStep>,
}

/// One next step: a title and the lines to type or paste.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct NextStep {
    /// What this step is for (`nginx`, `Debian/Ubuntu`).
    pub title: String,
    /// Commands or configuration lines.
    pub lines: Vec<String>,
    /// The minting parameter the step is about, when it is about one (protecting the CA
    /// key: [`Hint::EncryptKey`](crate::Hint::EncryptKey)).
    pub hint: Option<crate::Hint>,
}

impl NextStep {
    /// A step with its lines.
    pub fn new(title: &str, lines: &[String]) -> Self {
        NextStep {
            title: title.to_owned(),
            lines: lines.to_vec(),
            hint: None,
        }
    }
}

pub(crate) fn date(t: OffsetDateTime) -> String {
    crate::instant::rfc3339(t)
}

pub(crate) fn build(minted: &Minted, written: WrittenSet, encrypted: bool) -> MintReport {
    let WrittenSet {
        dir,
        files,
        previous,
        warnings,
    } = written;
    let (subject, issuer, serial, not_before, not_after, names, root_cn) =
        match X509Certificate::from_der(&minted.cert) {
            Ok((_, c)) => (
                c.subject().to_string(),
                c.issuer().to_string(),
                c.raw_serial_as_string(),
                date(c.validity().not_before.to_datetime()),
                date(c.validity().not_after.to_datetime()),
                san_strings(&c),
                common_name(
                    minted
                        .root
                        .as_deref()
                        .or(minted.chain.last().map(|c| c.as_ref()))
                        .unwrap_or(&minted.cert),
                ),
            ),
            Err(_) => Default::default(),
        };
    let mut report = MintReport {
        kind: minted.kind,
        subject,
        issuer,
        serial,
        not_before,
        not_after,
        key_type: minted.key_type,
        key_encrypted: encrypted,
        usage: minted.usage,
        names,
        dir: dir.clone(),
        files,
        previous,
        warnings: minted.warnings.iter().cloned().chain(warnings).collect(),
        next_steps: Vec::new(),
    };
    report.next_steps = next_steps(&report, &root_cn, minted.chain.is_empty());
    report
}

impl Minted {
    /// A name for a leaf this certificate could sign that every name constraint on the way
    /// up allows: a DNS name below a permitted DNS subtree (`proxy.hospital.test` for
    /// `.hospital.test`), an address in a permitted network, or `proxy.example.internal`
    /// when unconstrained; `None` when no such example was found.
    pub fn example_leaf_name(&self) -> Option<SubjectName> {
        example_leaf_name(&constraints_of(self))
    }
}

/// The name constraints a certificate signed by `minted` must satisfy: its own and those
/// of every CA above it.
fn constraints_of(minted: &Minted) -> Vec<CaConstraints> {
    std::iter::once(&minted.cert)
        .chain(&minted.chain)
        .chain(&minted.root)
        .filter_map(|der| CaConstraints::from_der(der).ok().flatten())
        .collect()
}

/// A leaf name that every constraint in `constraints` allows: a DNS name below a permitted
/// DNS subtree (`proxy.hospital.test` for `.hospital.test`), or an address in a permitted
/// network, or `proxy.example.internal` when unconstrained.
fn example_leaf_name(constraints: &[CaConstraints]) -> Option<SubjectName> {
    let allowed = |name: &SubjectName| constraints.iter().all(|c| c.check_name(name).is_ok());
    let mut dns: Vec<String> = Vec::new();
    let mut ips: Vec<IpAddr> = Vec::new();
    for c in constraints {
        for s in &c.permitted {
            match s {
                Subtree::Dns(base) if !base.is_empty() => {
                    let base = base.trim_start_matches('.').to_ascii_lowercase();
                    dns.extend(["proxy", "server", "app"].map(|l| format!("{l}.{base}")));
                }
                Subtree::Ip(net) => ips.push(example_address(net)),
                _ => {}
            }
        }
    }
    dns.push("proxy.example.internal".into());
    if let Some(d) = dns
        .into_iter()
        .find(|d| allowed(&SubjectName::Dns(d.clone())))
    {
        return Some(SubjectName::Dns(d));
    }
    ips.extend(["10.0.0.1", "192.168.0.1", "fd00::1"].map(|a| a.parse::<IpAddr>().unwrap()));
    ips.into_iter()
        .find(|ip| allowed(&SubjectName::Ip(*ip)))
        .map(SubjectName::Ip)
}

/// The first host address of a network, or the address itself for a /32 or /128.
fn example_address(net: &IpCidr) -> IpAddr {
    match net.addr {
        IpAddr::V4(a) if net.prefix < 31 => IpAddr::V4(u32::from(a).saturating_add(1).into()),
        IpAddr::V6(a) if net.prefix < 127 => IpAddr::V6(u128::from(a).saturating_add(1).into()),
        a => a,
    }
}

pub(crate) fn san_strings(c: &X509Certificate<'_>) -> Vec<String> {
    let Ok(Some(san)) = c.subject_alternative_name() else {
        return Vec::new();
    };
    san.value
        .general_names
        .iter()
        .map(|n| match n {
            GeneralName::DNSName(d) => format!("DNS:{d}"),
            GeneralName::IPAddress(b) => match b.len() {
                4 => format!(
                    "IP:{}",
                    std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*b).unwrap_or_default())
                ),
                16 => format!(
                    "IP:{}",
                    std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*b).unwrap_or_default())
                ),
                _ => "IP:?".into(),
            },
            GeneralName::RFC822Name(e) => format!("email:{e}"),
            GeneralName::URI(u) => format!("URI:{u}"),
            other => other.to_string(),
        })
        .collect()
}

fn common_name(der: &[u8]) -> String {
    X509Certificate::from_der(der)
        .ok()
        .and_then(|(_, c)| {
            c.subject()
                .iter_common_name()
                .next()
                .and_then(|cn| cn.as_str().ok().map(str::to_owned))
        })
        .unwrap_or_else(|| "chainscope-ca".into())
}

fn file(report: &MintReport, name: &str) -> String {
    report.dir.join(name).display().to_string()
}

/// `ca.pem` when it was written; a placeholder for the root certificate otherwise (an
/// issuer given without its root).
fn root_file(report: &MintReport) -> String {
    if report.files.iter().any(|f| f.name == "ca.pem") {
        file(report, "ca.pem")
    } else {
        "ROOT-CA.pem".into()
    }
}

/// How to make clients trust the root certificate at `ca_path`, on each platform and
/// runtime; `label` names it in system stores (a slug of the CA's name is used as file
/// name).
pub(crate) fn trust_steps(ca_path: &str, label: &str) -> Vec<NextStep> {
    let slug: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        "chainscope-ca".to_owned()
    } else {
        slug
    };
    vec![
        NextStep::new(
            "Debian/Ubuntu",
            &[
                format!("sudo cp {ca_path} /usr/local/share/ca-certificates/{slug}.crt"),
                "sudo update-ca-certificates".into(),
            ],
        ),
        NextStep::new(
            "RHEL/Fedora",
            &[
                format!("sudo cp {ca_path} /etc/pki/ca-trust/source/anchors/{slug}.pem"),
                "sudo update-ca-trust".into(),
            ],
        ),
        NextStep::new(
            "Windows (elevated prompt)",
            &[format!("certutil -addstore Root {ca_path}")],
        ),
        NextStep::new(
            "macOS",
            &[format!(
                "sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain {ca_path}"
            )],
        ),
        NextStep::new(
            "Node.js",
            &[format!("export NODE_EXTRA_CA_CERTS={ca_path}")],
        ),
        NextStep::new(
            "Python requests (replaces the default bundle: append ca.pem to a copy of certifi's bundle if public sites are needed too)",
            &[format!("export REQUESTS_CA_BUNDLE={ca_path}")],
        ),
        NextStep::new(
            "Java (default store password: changeit)",
            &[format!(
                "keytool -importcert -noprompt -cacerts -alias {slug} -file {ca_path}"
            )],
        ),
        NextStep::new("curl", &[format!("curl --cacert {ca_path} https://…")]),
    ]
}

fn next_steps(r: &MintReport, root_cn: &str, no_intermediates: bool) -> Vec<NextStep> {
    let mut steps = Vec::new();
    match r.kind {
        MintKind::Ca | MintKind::Intermediate => {
            let mut protect = NextStep::new(
                "Protect the CA key",
                &[format!(
                    "{} signs for everything under this CA: keep it offline or encrypted",
                    file(r, "key.pem")
                )],
            );
            protect.hint = Some(crate::Hint::EncryptKey);
            steps.push(protect);
            let root = if r.kind == MintKind::Ca {
                file(r, "cert.pem")
            } else {
                root_file(r)
            };
            steps.extend(trust_steps(&root, root_cn));
        }
        MintKind::Leaf | MintKind::Signed if r.usage == Some(Usage::Client) => {
            let key = if r.kind == MintKind::Leaf {
                file(r, "key.pem")
            } else {
                "<the requester's key>".into()
            };
            steps.push(NextStep::new(
                "Present it as a client certificate",
                &[format!(
                    "curl --cert {} --key {key} --cacert SERVER-CA https://…",
                    file(r, "fullchain.pem")
                )],
            ));
            steps.push(NextStep::new(
                "nginx: require client certificates from this CA",
                &[
                    format!("ssl_client_certificate {};", root_file(r)),
                    "ssl_verify_client on;".into(),
                ],
            ));
        }
        MintKind::Leaf | MintKind::Signed => {
            let key = if r.kind == MintKind::Leaf {
                file(r, "key.pem")
            } else {
                "/path/to/the/requester's/key.pem".into()
            };
            let mut nginx = vec![
                format!("ssl_certificate     {};", file(r, "fullchain.pem")),
                format!("ssl_certificate_key {key};"),
            ];
            if r.key_encrypted {
                nginx.push(
                    "ssl_password_file   /etc/nginx/key.pass;  # the key is encrypted".into(),
                );
            }
            steps.push(NextStep::new("nginx (server block)", &nginx));
            // OpenSSL 3.0 refuses an empty -untrusted file.
            let untrusted = if no_intermediates {
                String::new()
            } else {
                format!(" -untrusted {}", file(r, "chain.pem"))
            };
            steps.push(NextStep::new(
                "Check it",
                &[format!(
                    "openssl verify -CAfile {}{untrusted} {}",
                    root_file(r),
                    file(r, "cert.pem")
                )],
            ));
            steps.extend(trust_steps(&root_file(r), root_cn));
        }
        MintKind::SelfSigned => {
            steps.push(NextStep::new(
                "nginx (server block)",
                &[
                    format!("ssl_certificate     {};", file(r, "cert.pem")),
                    format!("ssl_certificate_key {};", file(r, "key.pem")),
                ],
            ));
            steps.extend(trust_steps(&file(r, "cert.pem"), root_cn));
        }
    }
    steps
}
