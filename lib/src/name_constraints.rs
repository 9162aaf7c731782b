//! Name constraints (RFC 5280 §4.2.1.10): the names a CA allows in the certificates below it.
//!
//! [`CaConstraints`] is one CA's nameConstraints extension; [`CertificateNames`] the names a
//! certificate carries that constraints apply to (subject, subjectAltName, the subject's
//! emailAddress when there is no subjectAltName). [`CaConstraints::check`] applies the
//! standard's rules and, when a name is refused, says which name and which subtree:
//!
//! - a name of a form for which the CA has permitted subtrees must lie in one of them;
//! - a name that lies in any excluded subtree is refused, permitted or not;
//! - forms without subtrees are not constrained.
//!
//! Per form, "lies in" means:
//!
//! | form | subtree | covers |
//! |---|---|---|
//! | DNS | `hospital.test` | `hospital.test` and every name below it (labels added on the left) |
//! | DNS | `.hospital.test` | only the names below it (the leading-period convention of Go, OpenSSL, rustls-webpki) |
//! | DNS | empty | every name |
//! | IP | `10.0.0.0/8` | addresses of the same family inside the network |
//! | email | `ops@hospital.test` | that mailbox (local part case-sensitive, host not) |
//! | email | `hospital.test` | every mailbox at that host, not below it |
//! | email | `.hospital.test` | every mailbox at a host below it |
//! | URI | `hospital.test` | URIs whose host is exactly that |
//! | URI | `.hospital.test` | URIs whose host lies below it |
//! | DirName | `O=Hospital,C=DE` | names whose first RDNs are these (compared case- and space-insensitively, RFC 5280 §7.1) |
//!
//! A wildcard DNS name (`*.hospital.test`) lies in a permitted subtree only as written, and
//! in an excluded one when any name it can stand for does: `*.hospital.test` is refused under
//! an excluded `secret.hospital.test` (as rustls-webpki and Go do since CVE-2025-61727).
//! A URI without a host name cannot be matched and is refused when URI subtrees exist (as Go
//! does), and so is a name of a form chainscope cannot compare (otherName, x400Address,
//! ediPartyName, registeredID) when the CA constrains that form (§4.2.1.10: "process the
//! constraint or reject the certificate").
//!
//! [`CaConstraints::check_common_names`] adds what two real clients do beyond the standard:
//! OpenSSL (`x509_vfy.c`, `check_name_constraints` → `NAME_CONSTRAINTS_check_CN`) and GnuTLS
//! (`name_constraints.c`, `gnutls_x509_name_constraints_check_crt`) check the subject's common
//! name against DNS subtrees when an end-entity certificate has no DNS name in its
//! subjectAltName — OpenSSL when the CN looks like a host name with a dot, GnuTLS any CN of a
//! certificate usable for TLS servers.
//!
//! ```
//! use chainscope::name_constraints::{CaConstraints, CertificateNames};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/");
//! let root = chainscope::load_certificates(format!("{dir}root.pem").as_ref())?;
//! let chain = chainscope::load_certificates(format!("{dir}chain.pem").as_ref())?;
//! let names = CertificateNames::from_der(&chain[0])?;
//! assert!(names.dns.contains(&"rsa.chainscope.test".to_owned()));
//! // The fixture root has no nameConstraints: nothing to check.
//! assert!(CaConstraints::from_der(&root[0])?.is_none());
//! # Ok::<(), chainscope::Error>(())
//! ```

use std::fmt;
use std::net::IpAddr;

use x509_parser::extensions::{GeneralName, GeneralSubtree};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::name::{rfc5280_normalized, DistinguishedName, Fold};

/// An IP network in CIDR notation (`10.0.0.0/8`, `fd00::/8`); a bare address is a /32 or
/// /128 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct IpCidr {
    /// The network address.
    pub addr: IpAddr,
    /// The prefix length in bits.
    pub prefix: u8,
}

impl IpCidr {
    /// Whether `ip` lies inside this network (an IPv4 address never lies in an IPv6 network,
    /// nor the other way round).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let prefix = u32::from(self.prefix);
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }

    /// The network from its iPAddress subtree encoding: address then mask, 8 bytes for IPv4,
    /// 32 for IPv6. `None` when the length is wrong or the mask is not contiguous.
    fn from_subtree(bytes: &[u8]) -> Option<IpCidr> {
        let (addr, mask) = bytes.split_at(bytes.len() / 2);
        let addr = match addr.len() {
            4 => IpAddr::from(<[u8; 4]>::try_from(addr).ok()?),
            16 => IpAddr::from(<[u8; 16]>::try_from(addr).ok()?),
            _ => return None,
        };
        let ones: u32 = mask.iter().map(|b| b.count_ones()).sum();
        let contiguous = mask
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
            .skip_while(|bit| *bit)
            .all(|bit| !bit);
        let prefix = u8::try_from(ones).ok()?;
        contiguous.then_some(IpCidr { addr, prefix })
    }
}

impl fmt::Display for IpCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl serde::Serialize for IpCidr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The base name of one permitted or excluded subtree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "form", content = "value", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Subtree {
    /// dNSName: `hospital.test` (it and every name below it) or `.hospital.test` (only the
    /// names below it).
    Dns(String),
    /// iPAddress: a network.
    Ip(IpCidr),
    /// rfc822Name: a mailbox (`ops@hospital.test`), a host (`hospital.test`) or a domain
    /// (`.hospital.test`).
    Email(String),
    /// uniformResourceIdentifier: the host (`hospital.test`) or the domain (`.hospital.test`)
    /// a URI's host must be.
    Uri(String),
    /// directoryName: the names subordinate to it.
    Directory(DistinguishedName),
    /// A form chainscope does not compare, or a base it cannot decode.
    Unsupported {
        /// The form's label (`otherName`, `x400Address`, `IP` for a malformed network, …).
        form: String,
        /// What the base holds, as far as it could be read.
        value: String,
    },
}

impl Subtree {
    /// The label of the name form (`DNS`, `IP`, `email`, `URI`, `DirName`, …).
    pub fn form(&self) -> &str {
        match self {
            Subtree::Dns(_) => "DNS",
            Subtree::Ip(_) => "IP",
            Subtree::Email(_) => "email",
            Subtree::Uri(_) => "URI",
            Subtree::Directory(_) => "DirName",
            Subtree::Unsupported { form, .. } => form,
        }
    }

    fn from_general_name(name: &GeneralName<'_>) -> Subtree {
        let unsupported = |form: &str, value: String| Subtree::Unsupported {
            form: form.to_owned(),
            value,
        };
        match name {
            GeneralName::DNSName(d) => Subtree::Dns((*d).to_owned()),
            GeneralName::RFC822Name(e) => Subtree::Email((*e).to_owned()),
            GeneralName::URI(u) => Subtree::Uri((*u).to_owned()),
            GeneralName::DirectoryName(n) => Subtree::Directory(DistinguishedName::from_x509(n)),
            GeneralName::IPAddress(b) => match IpCidr::from_subtree(b) {
                Some(c) => Subtree::Ip(c),
                None => unsupported(
                    "IP",
                    format!("malformed network {}", crate::encoding::hex(b, ":")),
                ),
            },
            GeneralName::OtherName(oid, _) => unsupported("otherName", oid.to_id_string()),
            GeneralName::X400Address(_) => unsupported("x400Address", String::new()),
            GeneralName::EDIPartyName(_) => unsupported("ediPartyName", String::new()),
            GeneralName::RegisteredID(oid) => unsupported("registeredID", oid.to_id_string()),
            GeneralName::Invalid(tag, data) => unsupported(
                form_of_tag(tag.0),
                format!("undecodable ({})", crate::encoding::hex(data, "")),
            ),
        }
    }
}

/// The form label of a GeneralName context tag (RFC 5280 §4.2.1.6).
fn form_of_tag(tag: u32) -> &'static str {
    match tag {
        0 => "otherName",
        1 => "email",
        2 => "DNS",
        3 => "x400Address",
        4 => "DirName",
        5 => "ediPartyName",
        6 => "URI",
        7 => "IP",
        8 => "registeredID",
        _ => "unknown",
    }
}

impl fmt::Display for Subtree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subtree::Dns(d) => write!(f, "DNS:{d}"),
            Subtree::Ip(c) => write!(f, "IP:{c}"),
            Subtree::Email(e) => write!(f, "email:{e}"),
            Subtree::Uri(u) => write!(f, "URI:{u}"),
            Subtree::Directory(n) => write!(f, "DirName:{}", n.rfc4514),
            Subtree::Unsupported { form, value } if value.is_empty() => write!(f, "{form}"),
            Subtree::Unsupported { form, value } => write!(f, "{form}:{value}"),
        }
    }
}

/// One name a certificate carries, as name constraints see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "form", content = "value", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SubjectName {
    /// A dNSName.
    Dns(String),
    /// An iPAddress.
    Ip(IpAddr),
    /// An rfc822Name (or the subject's emailAddress when there is no subjectAltName).
    Email(String),
    /// A uniformResourceIdentifier.
    Uri(String),
    /// A directoryName: the subject, or one in the subjectAltName.
    Directory(DistinguishedName),
    /// A name of another form (or one that could not be decoded).
    Other {
        /// The form's label (`otherName`, …).
        form: String,
        /// Its value, as far as it could be read.
        value: String,
    },
}

impl SubjectName {
    /// The label of the name form, as [`Subtree::form`].
    pub fn form(&self) -> &str {
        match self {
            SubjectName::Dns(_) => "DNS",
            SubjectName::Ip(_) => "IP",
            SubjectName::Email(_) => "email",
            SubjectName::Uri(_) => "URI",
            SubjectName::Directory(_) => "DirName",
            SubjectName::Other { form, .. } => form,
        }
    }

    fn from_general_name(name: &GeneralName<'_>) -> SubjectName {
        let other = |form: &str, value: String| SubjectName::Other {
            form: form.to_owned(),
            value,
        };
        match name {
            GeneralName::DNSName(d) => SubjectName::Dns((*d).to_owned()),
            GeneralName::RFC822Name(e) => SubjectName::Email((*e).to_owned()),
            GeneralName::URI(u) => SubjectName::Uri((*u).to_owned()),
            GeneralName::DirectoryName(n) => {
                SubjectName::Directory(DistinguishedName::from_x509(n))
            }
            GeneralName::IPAddress(b) => match b.len() {
                4 => SubjectName::Ip(IpAddr::from(<[u8; 4]>::try_from(*b).unwrap_or_default())),
                16 => SubjectName::Ip(IpAddr::from(<[u8; 16]>::try_from(*b).unwrap_or_default())),
                _ => other("IP", format!("malformed {}", crate::encoding::hex(b, ":"))),
            },
            GeneralName::OtherName(oid, _) => other("otherName", oid.to_id_string()),
            GeneralName::X400Address(_) => other("x400Address", String::new()),
            GeneralName::EDIPartyName(_) => other("ediPartyName", String::new()),
            GeneralName::RegisteredID(oid) => other("registeredID", oid.to_id_string()),
            GeneralName::Invalid(tag, data) => other(
                form_of_tag(tag.0),
                format!("undecodable ({})", crate::encoding::hex(data, "")),
            ),
        }
    }
}

impl fmt::Display for SubjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubjectName::Dns(d) => write!(f, "DNS:{d}"),
            SubjectName::Ip(ip) => write!(f, "IP:{ip}"),
            SubjectName::Email(e) => write!(f, "email:{e}"),
            SubjectName::Uri(u) => write!(f, "URI:{u}"),
            SubjectName::Directory(n) if n.rfc4514.is_empty() => write!(f, "DirName:(empty)"),
            SubjectName::Directory(n) => write!(f, "DirName:{}", n.rfc4514),
            SubjectName::Other { form, value } if value.is_empty() => write!(f, "{form}"),
            SubjectName::Other { form, value } => write!(f, "{form}:{value}"),
        }
    }
}

/// The names of a certificate that name constraints apply to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CertificateNames {
    /// The subject (checked against directoryName subtrees when not empty).
    pub subject: DistinguishedName,
    /// Whether the certificate has a subjectAltName extension.
    pub has_alt_names: bool,
    /// The subjectAltName entries, in order.
    pub alt_names: Vec<SubjectName>,
    /// The DNS names among them (lower-cased).
    pub dns: Vec<String>,
    /// The subject's common names.
    pub common_names: Vec<String>,
    /// The subject's emailAddress attributes (RFC 5280 applies email subtrees to them when
    /// there is no subjectAltName).
    pub subject_emails: Vec<String>,
    /// Whether the certificate is a CA (basicConstraints CA:TRUE).
    pub is_ca: bool,
    /// Whether the certificate may authenticate a TLS server (no extendedKeyUsage, or one
    /// with serverAuth or anyExtendedKeyUsage): GnuTLS checks the CN only then.
    pub server_usable: bool,
}

impl CertificateNames {
    /// The names of the DER certificate `cert`.
    pub fn from_der(cert: &[u8]) -> crate::Result<CertificateNames> {
        let (_, x509) = X509Certificate::from_der(cert)
            .map_err(|e| crate::Error::malformed("certificate", e.to_string()))?;
        Self::from_x509(&x509)
    }

    pub(crate) fn from_x509(cert: &X509Certificate<'_>) -> crate::Result<CertificateNames> {
        let bad = |what: &str, e: x509_parser::error::X509Error| {
            crate::Error::malformed(
                format!("certificate {}", cert.subject()),
                format!("{what}: {}", crate::load::x509_error_text(&e)),
            )
        };
        let san = cert
            .subject_alternative_name()
            .map_err(|e| bad("subjectAltName", e))?;
        let alt_names: Vec<SubjectName> = san
            .as_ref()
            .map(|s| {
                s.value
                    .general_names
                    .iter()
                    .map(SubjectName::from_general_name)
                    .collect()
            })
            .unwrap_or_default();
        let dns = alt_names
            .iter()
            .filter_map(|n| match n {
                SubjectName::Dns(d) => Some(d.to_ascii_lowercase()),
                _ => None,
            })
            .collect();
        let text = |attr: &x509_parser::x509::AttributeTypeAndValue<'_>| {
            attr.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|_| String::from_utf8_lossy(attr.attr_value().data).into_owned())
        };
        let eku = cert
            .extended_key_usage()
            .map_err(|e| bad("extendedKeyUsage", e))?;
        Ok(CertificateNames {
            subject: DistinguishedName::from_x509(cert.subject()),
            has_alt_names: san.is_some(),
            alt_names,
            dns,
            common_names: cert.subject().iter_common_name().map(text).collect(),
            subject_emails: cert.subject().iter_email().map(text).collect(),
            is_ca: cert.is_ca(),
            server_usable: eku.is_none_or(|e| e.value.server_auth || e.value.any),
        })
    }

    /// Every name the standard checks: the subject (when not empty), the subjectAltName
    /// entries, and — without a subjectAltName — the subject's emailAddress attributes.
    pub fn checked_names(&self) -> Vec<SubjectName> {
        let mut names = Vec::new();
        if !self.subject.attributes.is_empty() {
            names.push(SubjectName::Directory(self.subject.clone()));
        }
        names.extend(self.alt_names.iter().cloned());
        if !self.has_alt_names {
            names.extend(self.subject_emails.iter().cloned().map(SubjectName::Email));
        }
        names
    }
}

/// The nameConstraints extension of one CA.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct CaConstraints {
    /// The CA's subject (RFC 4514).
    pub ca: String,
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// The permitted subtrees.
    pub permitted: Vec<Subtree>,
    /// The excluded subtrees.
    pub excluded: Vec<Subtree>,
}

/// Why a name is refused.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ViolationKind {
    /// The CA has permitted subtrees of the name's form and the name lies in none.
    NotPermitted {
        /// The permitted subtrees of that form.
        permitted: Vec<Subtree>,
    },
    /// The name lies in an excluded subtree.
    Excluded {
        /// The subtree.
        subtree: Subtree,
    },
    /// The CA constrains the name's form, but the name cannot be compared (a URI without a
    /// host name, a form chainscope does not compare, a malformed subtree).
    Unmatchable {
        /// The subtree that cannot be applied.
        subtree: Subtree,
        /// Why.
        reason: String,
    },
}

/// A name that a CA's name constraints do not allow.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Violation {
    /// The name (`DNS:proxy.example.internal`, `DirName:CN=…`, `CN:10.1.2.3`).
    pub name: String,
    /// The subject of the CA whose constraints refuse it.
    pub ca: String,
    /// Why.
    #[serde(flatten)]
    pub kind: ViolationKind,
    /// The rule applied: `RFC 5280 §4.2.1.10`, or the client whose behaviour it is.
    pub source: &'static str,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |s: &[Subtree]| {
            s.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.kind {
            ViolationKind::NotPermitted { permitted } => write!(
                f,
                "{} is outside the permitted subtrees of \"{}\" ({})",
                self.name,
                self.ca,
                list(permitted)
            )?,
            ViolationKind::Excluded { subtree } => write!(
                f,
                "{} lies in the subtree {subtree} that \"{}\" excludes",
                self.name, self.ca
            )?,
            ViolationKind::Unmatchable { subtree, reason } => write!(
                f,
                "{} cannot be checked against the constraint {subtree} of \"{}\": {reason}",
                self.name, self.ca
            )?,
        }
        write!(f, " ({})", self.source)
    }
}

const RFC: &str = "RFC 5280 §4.2.1.10";
const CN_RULE: &str =
    "OpenSSL and GnuTLS check the CN as a DNS name when a certificate has no DNS name";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Permitted,
    Excluded,
}

impl CaConstraints {
    /// The nameConstraints of the DER certificate `ca`; `None` when it has none.
    pub fn from_der(ca: &[u8]) -> crate::Result<Option<CaConstraints>> {
        let (_, x509) = X509Certificate::from_der(ca)
            .map_err(|e| crate::Error::malformed("CA certificate", e.to_string()))?;
        Self::from_x509(&x509)
    }

    pub(crate) fn from_x509(ca: &X509Certificate<'_>) -> crate::Result<Option<CaConstraints>> {
        let subject = ca.subject().to_string();
        let nc = ca.name_constraints().map_err(|e| {
            crate::Error::malformed(
                subject.clone(),
                format!(
                    "its nameConstraints extension cannot be decoded: {}",
                    crate::load::x509_error_text(&e)
                ),
            )
        })?;
        let Some(nc) = nc else { return Ok(None) };
        let subtrees = |s: &Option<Vec<GeneralSubtree<'_>>>| -> Vec<Subtree> {
            s.iter()
                .flatten()
                .map(|t| Subtree::from_general_name(&t.base))
                .collect()
        };
        Ok(Some(CaConstraints {
            ca: DistinguishedName::from_x509(ca.subject()).rfc4514,
            critical: nc.critical,
            permitted: subtrees(&nc.value.permitted_subtrees),
            excluded: subtrees(&nc.value.excluded_subtrees),
        }))
    }

    /// Whether any subtree, permitted or excluded, is of `form`.
    pub fn constrains(&self, form: &str) -> bool {
        self.permitted
            .iter()
            .chain(&self.excluded)
            .any(|s| s.form() == form)
    }

    /// The name form for which rustls-webpki rejects a certificate below this CA whatever
    /// the names, `None` when it compares every constrained form `names` carries.
    /// rustls-webpki implements DNS and IP subtrees only and fails closed on the others
    /// (`subject_name/mod.rs`, rustls/webpki#19): a DirName subtree rejects every
    /// certificate below the CA (it always checks the subject), an email, URI or other
    /// subtree every certificate carrying a name of that form.
    pub fn rustls_rejects(&self, names: &CertificateNames) -> Option<&str> {
        self.permitted
            .iter()
            .chain(&self.excluded)
            .map(Subtree::form)
            .find(|f| {
                *f == "DirName"
                    || (!matches!(*f, "DNS" | "IP")
                        && names.alt_names.iter().any(|n| n.form() == *f))
            })
    }

    /// Checks every name of `names` the standard checks (RFC 5280 §4.2.1.10, §6.1.3 (b)
    /// and (c)); the first name refused, with the subtree that refuses it.
    pub fn check(&self, names: &CertificateNames) -> Result<(), Box<Violation>> {
        names
            .checked_names()
            .iter()
            .try_for_each(|n| self.check_name(n))
    }

    /// Checks the subject's common names as DNS names, as OpenSSL and GnuTLS do for an
    /// end-entity certificate without DNS names in its subjectAltName: OpenSSL a CN that
    /// looks like a host name with a dot, GnuTLS every CN of a certificate usable for a TLS
    /// server. Nothing to check for a CA, a certificate with DNS names, or a CA without DNS
    /// subtrees.
    pub fn check_common_names(&self, names: &CertificateNames) -> Result<(), Box<Violation>> {
        if names.is_ca || !names.dns.is_empty() || !self.constrains("DNS") {
            return Ok(());
        }
        for cn in &names.common_names {
            if !(names.server_usable || openssl_dns_like(cn)) {
                continue;
            }
            let as_dns = SubjectName::Dns(cn.clone());
            if let Err(mut v) = self.check_name(&as_dns) {
                v.name = format!("CN:{cn}");
                v.source = CN_RULE;
                return Err(v);
            }
        }
        Ok(())
    }

    /// Checks one name against the subtrees of its form.
    pub fn check_name(&self, name: &SubjectName) -> Result<(), Box<Violation>> {
        let violation = |kind: ViolationKind| {
            Box::new(Violation {
                name: name.to_string(),
                ca: self.ca.clone(),
                kind,
                source: RFC,
            })
        };
        let form = name.form();
        for subtree in self.excluded.iter().filter(|s| s.form() == form) {
            match matches(name, subtree, Role::Excluded) {
                Ok(false) => {}
                Ok(true) => {
                    return Err(violation(ViolationKind::Excluded {
                        subtree: subtree.clone(),
                    }))
                }
                Err(reason) => {
                    return Err(violation(ViolationKind::Unmatchable {
                        subtree: subtree.clone(),
                        reason,
                    }))
                }
            }
        }
        let permitted: Vec<&Subtree> = self.permitted.iter().filter(|s| s.form() == form).collect();
        if permitted.is_empty() {
            return Ok(());
        }
        for subtree in &permitted {
            match matches(name, subtree, Role::Permitted) {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(reason) => {
                    return Err(violation(ViolationKind::Unmatchable {
                        subtree: (*subtree).clone(),
                        reason,
                    }))
                }
            }
        }
        Err(violation(ViolationKind::NotPermitted {
            permitted: permitted.into_iter().cloned().collect(),
        }))
    }
}

/// Whether `name` lies in `subtree` (of the same form); `Err` when it cannot be decided.
fn matches(name: &SubjectName, subtree: &Subtree, role: Role) -> Result<bool, String> {
    match (name, subtree) {
        (SubjectName::Dns(n), Subtree::Dns(base)) => Ok(dns_in_subtree(n, base, role)),
        (SubjectName::Ip(ip), Subtree::Ip(net)) => Ok(net.contains(*ip)),
        (SubjectName::Email(e), Subtree::Email(base)) => email_in_subtree(e, base),
        (SubjectName::Uri(u), Subtree::Uri(base)) => {
            let host = uri_host(u).ok_or_else(|| {
                "the URI has no host name, and URI constraints apply to the host".to_owned()
            })?;
            Ok(host_in_domain(&host, base))
        }
        (SubjectName::Directory(n), Subtree::Directory(base)) => Ok(dn_in_subtree(n, base)),
        (_, Subtree::Unsupported { value, .. })
            if value.starts_with("malformed") || value.starts_with("undecodable") =>
        {
            Err("the constraint cannot be decoded".to_owned())
        }
        _ => Err(format!(
            "chainscope does not compare {} names, and the CA constrains them",
            name.form()
        )),
    }
}

/// DNS: `base` covers names made by adding labels on its left; a leading period requires at
/// least one; an empty base covers everything. Case-insensitive.
fn dns_in_subtree(name: &str, base: &str, role: Role) -> bool {
    let name = name.to_ascii_lowercase();
    let base = base.to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    let literal = |name: &str| match base.strip_prefix('.') {
        Some(_) => name.len() > base.len() && name.ends_with(&base),
        None => name == base || name.ends_with(&format!(".{base}")),
    };
    if literal(&name) {
        return true;
    }
    // A wildcard stands for any one label: it reaches into an excluded subtree that is one
    // label below its parent (`*.hospital.test` reaches `secret.hospital.test`).
    match (role, name.strip_prefix("*.")) {
        (Role::Excluded, Some(parent)) if !base.starts_with('.') => base
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
        _ => false,
    }
}

/// rfc822Name: a mailbox (`local@host`: local part exact, host case-insensitive), a host
/// (exactly that host), or a domain with a leading period (hosts below it).
fn email_in_subtree(addr: &str, base: &str) -> Result<bool, String> {
    let (local, host) = addr
        .rsplit_once('@')
        .ok_or_else(|| "not an e-mail address (local@host)".to_owned())?;
    if base.is_empty() {
        return Ok(true);
    }
    Ok(match base.rsplit_once('@') {
        Some((base_local, base_host)) => {
            local == base_local && host.eq_ignore_ascii_case(base_host)
        }
        None => host_in_domain(host, base),
    })
}

/// The host-or-domain rule of rfc822Name and URI subtrees: with a leading period, hosts
/// below the domain; without, exactly that host.
fn host_in_domain(host: &str, base: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let base = base.to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    match base.strip_prefix('.') {
        Some(_) => host.len() > base.len() && host.ends_with(&base),
        None => host == base,
    }
}

/// The host of a URI (RFC 3986 §3.2.2): what follows `scheme://` up to the path, without
/// user information and port. `None` without an authority, with an empty host, or with an
/// IP address as host (URI subtrees name hosts by DNS name).
fn uri_host(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once(':')?;
    if scheme.is_empty() {
        return None;
    }
    let authority = rest.strip_prefix("//")?;
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return None; // an IP literal
    }
    let host = host_port.split(':').next().unwrap_or_default();
    if host.is_empty() || host.parse::<IpAddr>().is_ok() {
        return None;
    }
    Some(host.to_owned())
}

/// directoryName: `name` is subordinate to `base` when its first RDNs (in encoding order)
/// equal all of `base`'s, each compared as a set of attributes after RFC 5280 §7.1
/// normalization ([`rfc5280_normalized`]).
fn dn_in_subtree(name: &DistinguishedName, base: &DistinguishedName) -> bool {
    let name = rfc5280_normalized(name, Fold::CaseAndSpace);
    let base = rfc5280_normalized(base, Fold::CaseAndSpace);
    base.len() <= name.len() && name[..base.len()] == base[..]
}

/// Whether OpenSSL's `cn2dnsid` takes a CN for a DNS name: letters, digits, `_`, and `-` or
/// `.` inside (never first or last, no `..`, no `-` next to a dot), with at least one dot.
fn openssl_dns_like(cn: &str) -> bool {
    let b = cn.as_bytes();
    let mut dotted = false;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_alphanumeric() || c == b'_' {
            continue;
        }
        let inner = i > 0 && i + 1 < b.len();
        if inner && c == b'-' {
            continue;
        }
        if inner && c == b'.' && b[i + 1] != b'.' && b[i - 1] != b'-' && b[i + 1] != b'-' {
            dotted = true;
            continue;
        }
        return false;
    }
    dotted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dns(n: &str) -> SubjectName {
        SubjectName::Dns(n.into())
    }

    fn ca(permitted: Vec<Subtree>, excluded: Vec<Subtree>) -> CaConstraints {
        CaConstraints {
            ca: "CN=Test CA".into(),
            critical: true,
            permitted,
            excluded,
        }
    }

    fn dn(attrs: &[(&str, &str, usize)]) -> DistinguishedName {
        DistinguishedName {
            rfc4514: String::new(),
            attributes: attrs
                .iter()
                .map(|(oid, value, rdn)| crate::name::NameAttribute {
                    oid: (*oid).into(),
                    name: String::new(),
                    value: (*value).into(),
                    rdn: *rdn,
                })
                .collect(),
        }
    }

    #[test]
    fn dns_subtree_covers_the_name_and_names_below_it() {
        let c = ca(vec![Subtree::Dns("hospital.test".into())], vec![]);
        assert!(c.check_name(&dns("hospital.test")).is_ok());
        assert!(c.check_name(&dns("proxy.hospital.test")).is_ok());
        assert!(c.check_name(&dns("a.b.HOSPITAL.test")).is_ok());
        assert!(c.check_name(&dns("evilhospital.test")).is_err());
        assert!(c.check_name(&dns("hospital.test.evil")).is_err());
    }

    #[test]
    fn leading_period_dns_subtree_covers_only_names_below_it() {
        let c = ca(vec![Subtree::Dns(".hospital.test".into())], vec![]);
        assert!(c.check_name(&dns("proxy.hospital.test")).is_ok());
        let v = c.check_name(&dns("hospital.test")).unwrap_err();
        assert!(matches!(v.kind, ViolationKind::NotPermitted { .. }));
        assert_eq!(
            v.to_string(),
            "DNS:hospital.test is outside the permitted subtrees of \"CN=Test CA\" \
             (DNS:.hospital.test) (RFC 5280 §4.2.1.10)"
        );
        assert!(c.check_name(&dns("proxy.example.internal")).is_err());
    }

    #[test]
    fn excluded_dns_subtree_wins_over_permitted() {
        let c = ca(
            vec![Subtree::Dns("hospital.test".into())],
            vec![Subtree::Dns("secret.hospital.test".into())],
        );
        assert!(c.check_name(&dns("proxy.hospital.test")).is_ok());
        let v = c.check_name(&dns("db.secret.hospital.test")).unwrap_err();
        assert_eq!(
            v.kind,
            ViolationKind::Excluded {
                subtree: Subtree::Dns("secret.hospital.test".into())
            }
        );
    }

    #[test]
    fn wildcard_reaching_into_an_excluded_subtree_is_refused() {
        let c = ca(vec![], vec![Subtree::Dns("secret.hospital.test".into())]);
        assert!(c.check_name(&dns("*.hospital.test")).is_err());
        assert!(c.check_name(&dns("*.secret.hospital.test")).is_err());
        assert!(c.check_name(&dns("*.other.hospital.test")).is_ok());
        // A leading-period exclusion needs a label below secret.hospital.test, which
        // *.hospital.test cannot produce.
        let dot = ca(vec![], vec![Subtree::Dns(".secret.hospital.test".into())]);
        assert!(dot.check_name(&dns("*.hospital.test")).is_ok());
    }

    #[test]
    fn wildcard_lies_in_a_permitted_subtree_only_as_written() {
        let c = ca(vec![Subtree::Dns("proxy.hospital.test".into())], vec![]);
        assert!(c.check_name(&dns("*.hospital.test")).is_err());
        let wide = ca(vec![Subtree::Dns(".hospital.test".into())], vec![]);
        assert!(wide.check_name(&dns("*.hospital.test")).is_ok());
    }

    #[test]
    fn empty_dns_subtree_covers_everything() {
        let c = ca(vec![], vec![Subtree::Dns(String::new())]);
        assert!(c.check_name(&dns("anything.test")).is_err());
        let p = ca(vec![Subtree::Dns(String::new())], vec![]);
        assert!(p.check_name(&dns("anything.test")).is_ok());
    }

    #[test]
    fn ip_subtrees_compare_within_one_family() {
        let net = IpCidr::from_subtree(&[10, 0, 0, 0, 255, 0, 0, 0]).unwrap();
        assert_eq!(net.to_string(), "10.0.0.0/8");
        let c = ca(vec![Subtree::Ip(net)], vec![]);
        assert!(c
            .check_name(&SubjectName::Ip("10.1.2.3".parse().unwrap()))
            .is_ok());
        assert!(c
            .check_name(&SubjectName::Ip("11.1.2.3".parse().unwrap()))
            .is_err());
        // IPv4-only permitted subtrees leave no room for IPv6 addresses.
        assert!(c
            .check_name(&SubjectName::Ip("::1".parse().unwrap()))
            .is_err());
        // Names of another form are not constrained by IP subtrees.
        assert!(c.check_name(&dns("proxy.hospital.test")).is_ok());
    }

    #[test]
    fn non_contiguous_ip_mask_is_malformed_and_refuses_addresses() {
        assert!(IpCidr::from_subtree(&[10, 0, 0, 0, 255, 0, 255, 0]).is_none());
        let s = Subtree::from_general_name(&GeneralName::IPAddress(&[10, 0, 0, 0, 255, 0, 255, 0]));
        let c = ca(vec![s], vec![]);
        let v = c
            .check_name(&SubjectName::Ip("10.0.0.1".parse().unwrap()))
            .unwrap_err();
        assert!(matches!(v.kind, ViolationKind::Unmatchable { .. }), "{v}");
    }

    #[test]
    fn email_subtrees_are_mailbox_host_or_domain() {
        let mailbox = ca(vec![Subtree::Email("ops@hospital.test".into())], vec![]);
        let e = |s: &str| SubjectName::Email(s.into());
        assert!(mailbox.check_name(&e("ops@HOSPITAL.test")).is_ok());
        assert!(
            mailbox.check_name(&e("OPS@hospital.test")).is_err(),
            "local part is case-sensitive"
        );
        let host = ca(vec![Subtree::Email("hospital.test".into())], vec![]);
        assert!(host.check_name(&e("anyone@hospital.test")).is_ok());
        assert!(host.check_name(&e("anyone@mail.hospital.test")).is_err());
        let domain = ca(vec![Subtree::Email(".hospital.test".into())], vec![]);
        assert!(domain.check_name(&e("anyone@mail.hospital.test")).is_ok());
        assert!(domain.check_name(&e("anyone@hospital.test")).is_err());
    }

    #[test]
    fn uri_subtrees_apply_to_the_host() {
        let u = |s: &str| SubjectName::Uri(s.into());
        let host = ca(vec![Subtree::Uri("hospital.test".into())], vec![]);
        assert!(host.check_name(&u("spiffe://hospital.test/proxy")).is_ok());
        assert!(host
            .check_name(&u("https://user@Hospital.Test:8443/x?y#z"))
            .is_ok());
        assert!(host.check_name(&u("https://www.hospital.test/")).is_err());
        let domain = ca(vec![Subtree::Uri(".hospital.test".into())], vec![]);
        assert!(domain.check_name(&u("https://www.hospital.test/")).is_ok());
        assert!(domain.check_name(&u("https://hospital.test/")).is_err());
        for hostless in [
            "urn:uuid:1234",
            "https://10.0.0.1/",
            "https://[::1]/",
            "file:///x",
        ] {
            let v = domain.check_name(&u(hostless)).unwrap_err();
            assert!(
                matches!(v.kind, ViolationKind::Unmatchable { .. }),
                "{hostless}: {v}"
            );
        }
    }

    #[test]
    fn directory_subtree_covers_subordinate_names() {
        const C: &str = "2.5.4.6";
        const O: &str = "2.5.4.10";
        const CN: &str = "2.5.4.3";
        let base = dn(&[(C, "DE", 0), (O, "Example  Hospital", 1)]);
        let c = ca(vec![Subtree::Directory(base)], vec![]);
        let inside = dn(&[(C, "de", 0), (O, "example hospital", 1), (CN, "proxy", 2)]);
        assert!(c.check_name(&SubjectName::Directory(inside)).is_ok());
        let outside = dn(&[(C, "DE", 0), (O, "Other", 1), (CN, "proxy", 2)]);
        assert!(c.check_name(&SubjectName::Directory(outside)).is_err());
        let cn_only = dn(&[(CN, "proxy", 0)]);
        assert!(c.check_name(&SubjectName::Directory(cn_only)).is_err());
    }

    #[test]
    fn unsupported_forms_are_refused_only_when_constrained() {
        let other = SubjectName::Other {
            form: "otherName".into(),
            value: "1.3.6.1.4.1.311.20.2.3".into(),
        };
        let c = ca(
            vec![Subtree::Unsupported {
                form: "otherName".into(),
                value: "1.3.6.1.4.1.311.20.2.3".into(),
            }],
            vec![],
        );
        assert!(c.check_name(&other).is_err());
        assert!(ca(vec![Subtree::Dns("x.test".into())], vec![])
            .check_name(&other)
            .is_ok());
    }

    #[test]
    fn rustls_rejects_dirname_always_and_other_forms_when_present() {
        let mut names = CertificateNames {
            subject: dn(&[("2.5.4.3", "proxy", 0)]),
            has_alt_names: true,
            alt_names: vec![dns("proxy.hospital.test")],
            dns: vec!["proxy.hospital.test".into()],
            common_names: vec!["proxy".into()],
            subject_emails: vec![],
            is_ca: false,
            server_usable: true,
        };
        let dir = ca(
            vec![Subtree::Directory(dn(&[("2.5.4.6", "DE", 0)]))],
            vec![],
        );
        assert_eq!(dir.rustls_rejects(&names), Some("DirName"));
        let uri = ca(vec![Subtree::Uri(".hospital.test".into())], vec![]);
        assert_eq!(uri.rustls_rejects(&names), None);
        names
            .alt_names
            .push(SubjectName::Uri("spiffe://a.hospital.test/x".into()));
        assert_eq!(uri.rustls_rejects(&names), Some("URI"));
        let dnsip = ca(vec![Subtree::Dns("hospital.test".into())], vec![]);
        assert_eq!(dnsip.rustls_rejects(&names), None);
    }

    #[test]
    fn openssl_takes_dotted_host_like_cns_for_dns_names() {
        assert!(openssl_dns_like("10.1.2.3"));
        assert!(openssl_dns_like("proxy.example.org"));
        assert!(!openssl_dns_like("proxy"));
        assert!(!openssl_dns_like("Example Root CA"));
        assert!(!openssl_dns_like("*.example.org"));
        assert!(!openssl_dns_like(".example.org"));
        assert!(!openssl_dns_like("a..b"));
    }

    #[test]
    fn common_names_are_checked_only_without_dns_alt_names() {
        let c = ca(vec![Subtree::Dns(".hospital.test".into())], vec![]);
        let mut names = CertificateNames {
            subject: dn(&[("2.5.4.3", "10.1.2.3", 0)]),
            has_alt_names: true,
            alt_names: vec![SubjectName::Ip("10.1.2.3".parse().unwrap())],
            dns: vec![],
            common_names: vec!["10.1.2.3".into()],
            subject_emails: vec![],
            is_ca: false,
            server_usable: true,
        };
        let v = c.check_common_names(&names).unwrap_err();
        assert_eq!(v.name, "CN:10.1.2.3");
        assert_eq!(v.source, CN_RULE);
        names.dns = vec!["proxy.hospital.test".into()];
        assert!(c.check_common_names(&names).is_ok());
        names.dns.clear();
        names.is_ca = true;
        assert!(c.check_common_names(&names).is_ok());
    }
}
