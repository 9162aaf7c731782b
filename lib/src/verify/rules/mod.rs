//! The rule catalogue: what chainscope rejects beyond rustls-webpki, as data.
//!
//! Each [`Rule`] is one entry: a stable id (its [`Code`] spelling), the exact requirement it
//! enforces ([`Source`]), the [`Level`] — from which [`Profile`] it rejects, or that it only
//! ever warns —, which certificates it [`Applies`] to, a summary, a fix, the clients that
//! decide differently, and the check over the one decoded model
//! (one `x509::Certificate` per certificate, decoded once). As in zlint, a check answers *pass*, *not
//! applicable* or *fail* (with the values involved); the level of a failure is the rule's,
//! never the check's.
//!
//! The entries live in one file per body that demands them: `rules/clients.rs` (what
//! mainstream clients reject although rustls-webpki accepts it), `rules/rfc5280.rs`,
//! `rules/br.rs` (CA/B Forum Baseline Requirements). Adding a rule is adding one entry to one of those lists; the
//! README's tables are generated from the catalogue and a test checks them.
//!
//! [`requirements()`] is the map the catalogue was built from: every requirement of RFC 5280
//! §4.1–4.2, §5 and §6.1 and of the Baseline Requirements' profiles that was walked, and who
//! enforces it — rules, rustls-webpki, chainscope's own steps, or nobody and why.
//!
//! The rules judge each path rustls-webpki verified: a path a rule of the chosen profile
//! rejects is not accepted, and every other failure is reported as a warning.

mod br;
mod clients;
mod rfc5280;
mod standards;

pub use standards::{requirements, Coverage, Requirement};

use std::fmt;

use super::code::{Code, Source};
use super::crl::Crl;
use super::findings::Finding;
use super::options::{Profile, Purpose};
use crate::x509::Certificate;

/// From which profile a rule rejects, or that it only warns or notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Level {
    /// A failure makes the path invalid under this profile and every stricter one; it is a
    /// warning below it.
    Reject(Profile),
    /// A failure is a warning in every profile.
    Warn,
    /// A failure is a note (severity `info`) in every profile.
    Notice,
}

/// Which certificates (or CRLs) of a path a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Applies(u8);

impl Applies {
    /// The end-entity certificate.
    pub const LEAF: Applies = Applies(1);
    /// A CA certificate between the leaf and the trust anchor.
    pub const INTERMEDIATE: Applies = Applies(2);
    /// The trust anchor's certificate (when the store has one).
    pub const ANCHOR: Applies = Applies(4);
    /// A CRL covering a certificate of the path.
    pub const CRL: Applies = Applies(8);
    /// Leaf and intermediates: the certificates the server sends.
    pub const ISSUED: Applies = Applies(1 | 2);
    /// Intermediates and anchor: the CAs.
    pub const CAS: Applies = Applies(2 | 4);
    /// Every certificate of the path.
    pub const ALL_CERTIFICATES: Applies = Applies(1 | 2 | 4);

    /// Whether `self` includes every kind in `other`.
    pub const fn contains(self, other: Applies) -> bool {
        self.0 & other.0 == other.0
    }

    /// `leaf, intermediate`, … for tables.
    pub fn names(self) -> Vec<&'static str> {
        [
            (Self::LEAF, "leaf"),
            (Self::INTERMEDIATE, "intermediate"),
            (Self::ANCHOR, "anchor"),
            (Self::CRL, "CRL"),
        ]
        .iter()
        .filter(|(a, _)| self.contains(*a))
        .map(|(_, n)| *n)
        .collect()
    }
}

/// A certificate's place in a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Leaf,
    Intermediate,
    Anchor,
}

impl Role {
    fn applies(self) -> Applies {
        match self {
            Role::Leaf => Applies::LEAF,
            Role::Intermediate => Applies::INTERMEDIATE,
            Role::Anchor => Applies::ANCHOR,
        }
    }
}

/// What a check concludes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The certificate meets the requirement.
    Pass,
    /// The requirement does not concern this certificate.
    NotApplicable,
    /// It does not: what is wrong, after the certificate's name (`has no …`), and a fix
    /// more precise than the rule's, when there is one.
    Fail {
        message: String,
        fix: Option<&'static str>,
    },
}

impl Outcome {
    /// A failure; `message` follows the certificate's name (`the leaf (CN=…) {message}`).
    pub(crate) fn fail(message: impl Into<String>) -> Outcome {
        Outcome::Fail {
            message: message.into(),
            fix: None,
        }
    }

    /// Passes when `ok`, else fails with `message`.
    pub(crate) fn unless(ok: bool, message: impl FnOnce() -> String) -> Outcome {
        if ok {
            Outcome::Pass
        } else {
            Outcome::fail(message())
        }
    }

    /// Replaces the rule's fix for this failure.
    pub(crate) fn with_fix(self, fix: &'static str) -> Outcome {
        match self {
            Outcome::Fail { message, .. } => Outcome::Fail {
                message,
                fix: Some(fix),
            },
            other => other,
        }
    }
}

/// One certificate of a verified path, as a rule sees it.
pub(crate) struct CertUnderTest<'a> {
    pub(crate) cert: &'a Certificate,
    pub(crate) role: Role,
    /// The certificate that issued it on this path (for the anchor: none).
    pub(crate) issuer: Option<&'a Certificate>,
    /// The whole path, leaf first, anchor last (`None` where a certificate is unknown, e.g.
    /// an anchor without certificate).
    pub(crate) path: &'a [Option<&'a Certificate>],
    /// The purposes the verification asks for.
    pub(crate) purposes: &'a [Purpose],
    /// The validation time, Unix seconds.
    pub(crate) time: i64,
}

impl CertUnderTest<'_> {
    /// Whether any purpose is acceptable (extended key usage not checked).
    pub(crate) fn any_purpose(&self) -> bool {
        self.purposes.iter().any(|p| matches!(p, Purpose::Any))
    }

    /// Whether the verification is for a TLS server certificate (serverAuth asked for, or no
    /// purpose given: serverAuth is the default): what the CA/B Forum Baseline Requirements
    /// govern.
    pub(crate) fn server_auth(&self) -> bool {
        self.purposes.is_empty()
            || self
                .purposes
                .iter()
                .any(|p| matches!(p, Purpose::ServerAuth))
    }
}

/// A CRL covering a certificate of the path, as a rule sees it.
pub(crate) struct CrlUnderTest<'a> {
    pub(crate) crl: &'a Crl,
    /// The certificate of the path the CRL covers (the CRL's issuer issued it).
    #[allow(dead_code)] // for CRL rules of the catalogue
    pub(crate) covers: &'a Certificate,
}

/// A rule's check.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// Over one certificate of the path.
    Cert(fn(&CertUnderTest<'_>) -> Outcome),
    /// Over one CRL covering a certificate of the path.
    Crl(fn(&CrlUnderTest<'_>) -> Outcome),
}

/// One entry of the catalogue.
#[non_exhaustive]
pub struct Rule {
    /// The stable code of its findings (`aki_missing`).
    pub id: &'static str,
    /// The requirement, as exactly as the document allows (`RFC 5280 §4.2.1.1`).
    pub source: Source,
    /// From which profile it rejects, or that it only warns.
    pub level: Level,
    /// What it looks at.
    pub applies_to: Applies,
    /// One line: what a failure means.
    pub summary: &'static str,
    /// What to do about a failure.
    pub fix: &'static str,
    /// Which clients decide differently, when that is worth saying.
    pub clients: Option<&'static str>,
    pub(crate) check: Check,
}

impl Rule {
    /// Whether a failure makes the path invalid under `profile`.
    pub fn rejects_under(&self, profile: Profile) -> bool {
        matches!(self.level, Level::Reject(p) if p <= profile)
    }

    /// Its code.
    pub fn code(&'static self) -> Code {
        Code::Rule(self)
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("id", &self.id)
            .field("source", &self.source)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl std::hash::Hash for Rule {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state)
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rule {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(other.id)
    }
}

/// The bodies of the catalogue, in evaluation (and README) order.
const BODIES: &[&[Rule]] = &[clients::RULES, rfc5280::RULES, br::RULES];

/// Every rule, in catalogue order.
pub fn catalogue() -> impl Iterator<Item = &'static Rule> {
    BODIES.iter().flat_map(|body| body.iter())
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    catalogue().find(|r| r.id == id)
}

/// One certificate of a candidate path, as the path builder hands it over.
pub(crate) struct PathCert<'a> {
    pub(crate) cert: Option<&'a Certificate>,
    /// Index in the presented list.
    pub(crate) cert_index: Option<usize>,
    pub(crate) subject: String,
    pub(crate) role: Role,
}

/// A rule (or the depth limit) a path breaks.
#[derive(Debug, Clone)]
pub(crate) struct Violation {
    pub(crate) code: Code,
    /// The least strict profile that rejects the path for it; `None`: never rejects.
    pub(crate) rejects_from: Option<Profile>,
    pub(crate) cert_index: Option<usize>,
    pub(crate) subject: String,
    pub(crate) message: String,
    pub(crate) fix: String,
    /// The input the fix asks to change, if any.
    pub(crate) hint: Option<crate::Hint>,
    pub(crate) clients: Option<&'static str>,
}

impl Violation {
    /// Whether `profile` rejects a path for this violation.
    pub(crate) fn rejects_under(&self, profile: Profile) -> bool {
        self.rejects_from.is_some_and(|p| p <= profile)
    }

    /// The violation as a finding under `profile`: an error when the profile rejects for it.
    pub(crate) fn finding(&self, profile: Profile) -> Finding {
        let mut finding = Finding::new(self.code, self.message.clone())
            .cert(self.cert_index, &self.subject)
            .fix(self.fix.clone());
        if let Some(hint) = self.hint {
            finding = finding.hint(hint);
        }
        if let Some(clients) = self.clients {
            finding = finding.clients(clients);
        }
        if self.code.severity() == super::Severity::Error && !self.rejects_under(profile) {
            finding = finding.not_deciding();
        }
        finding
    }
}

/// How a certificate of the path is named in messages.
fn who(pc: &PathCert<'_>) -> String {
    match (pc.role, pc.cert_index) {
        (Role::Leaf, _) => format!("the leaf ({})", pc.subject),
        (Role::Intermediate, Some(i)) => format!("intermediate cert {} ({})", i + 1, pc.subject),
        (Role::Intermediate, None) => format!("intermediate {}", pc.subject),
        (Role::Anchor, _) => format!("the trust anchor ({})", pc.subject),
    }
}

/// Every rule the path breaks, in path order and, for each certificate, catalogue order
/// (its certificate rules, then the rules over the CRLs that cover it). `time` is the
/// validation time (Unix seconds).
pub(crate) fn check_path(
    path: &[PathCert<'_>],
    purposes: &[Purpose],
    time: i64,
    crls: &[Crl],
) -> Vec<Violation> {
    let certs: Vec<Option<&Certificate>> = path.iter().map(|p| p.cert).collect();
    let leaf_spki = certs
        .first()
        .copied()
        .flatten()
        .map(|c| c.key.spki.as_slice());
    let mut out = Vec::new();
    for (pos, pc) in path.iter().enumerate() {
        let Some(cert) = pc.cert else { continue };
        // A certificate trusted directly (a self-signed leaf given as a root) is not a CA:
        // it is judged once, as the leaf.
        if pc.role == Role::Anchor && leaf_spki == Some(cert.key.spki.as_slice()) {
            continue;
        }
        let subject = CertUnderTest {
            cert,
            role: pc.role,
            issuer: certs.get(pos + 1).copied().flatten(),
            path: &certs,
            purposes,
            time,
        };
        let who = who(pc);
        let mut report =
            |rule: &'static Rule, outcome: Outcome, message: &dyn Fn(&str) -> String| {
                if let Outcome::Fail { message: m, fix } = outcome {
                    out.push(Violation {
                        code: rule.code(),
                        rejects_from: match rule.level {
                            Level::Reject(p) => Some(p),
                            Level::Warn | Level::Notice => None,
                        },
                        cert_index: pc.cert_index,
                        subject: pc.subject.clone(),
                        message: message(&m),
                        fix: fix.unwrap_or(rule.fix).to_owned(),
                        hint: None,
                        clients: rule.clients,
                    });
                }
            };
        for rule in catalogue() {
            if let Check::Cert(check) = rule.check {
                if rule.applies_to.contains(pc.role.applies()) {
                    report(rule, check(&subject), &|m| format!("{who} {m}"));
                }
            }
        }
        // CRLs issued by the issuer of this certificate.
        if pc.role == Role::Anchor {
            continue;
        }
        for crl in crls.iter().filter(|c| c.issuer_raw == cert.issuer.raw) {
            let under_test = CrlUnderTest { crl, covers: cert };
            for rule in catalogue() {
                if let Check::Crl(check) = rule.check {
                    report(rule, check(&under_test), &|m| {
                        format!("the CRL {} covering {who} {m}", crl.label())
                    });
                }
            }
        }
    }
    out
}

/// The clients note of most rfc5280-level rules.
pub(crate) const STRICT_CLIENTS: &str =
    "rustls and browsers accept this; strict verifiers such as pyca/cryptography reject it";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_snake_case_and_no_cause_or_note_spelling() {
        let mut seen = std::collections::HashSet::new();
        for r in catalogue() {
            assert!(seen.insert(r.id), "{} twice", r.id);
            assert!(
                r.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                r.id
            );
            assert!(
                Code::enum_codes().all(|c| c.as_str() != r.id),
                "{} is also a cause or note",
                r.id
            );
            assert_eq!(rule(r.id), Some(r));
        }
    }

    #[test]
    fn every_rule_cites_a_requirement_above_webpki() {
        for rule in catalogue() {
            assert_ne!(rule.source, Source::Webpki, "{}", rule.id);
            assert_ne!(rule.source, Source::Chainscope, "{}", rule.id);
            assert_ne!(rule.level, Level::Reject(Profile::Webpki), "{}", rule.id);
            assert!(
                !rule.summary.is_empty() && !rule.fix.is_empty(),
                "{}",
                rule.id
            );
            let crl_check = matches!(rule.check, Check::Crl(_));
            assert_eq!(crl_check, rule.applies_to == Applies::CRL, "{}", rule.id);
            // A document's rule cites its section; a client-behaviour rule says which
            // clients behave so.
            match rule.source {
                Source::Rfc5280(s) | Source::Br(s) | Source::Rfc5480(s) => assert!(
                    !s.is_empty()
                        && s.split('.')
                            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
                    "{}: section {s:?}",
                    rule.id
                ),
                // A rule from client behaviour names the clients and where their code
                // does it.
                Source::Client(s) => assert!(
                    rule.clients.is_some()
                        && ["OpenSSL", "Go", "GnuTLS", "NSS", "rustls"]
                            .iter()
                            .any(|c| s.contains(c)),
                    "{}: client source {s:?}",
                    rule.id
                ),
                other => panic!("{}: unexpected source {other}", rule.id),
            }
        }
    }
}
