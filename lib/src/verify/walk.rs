//! The diagnosis of a rejected chain: the most plausible candidate path, and RFC 5280 §6.1
//! checked on it step by step.
//!
//! rustls-webpki says *that* no path verifies and gives one error, the highest ranked of
//! every candidate it tried — often about a certificate that is not on the path that
//! matters (a pool CA it could not parse, a same-name CA with another key). The diagnosis
//! therefore builds its own candidate path and checks it itself.
//!
//! **The candidate path.** From the leaf up, each certificate's issuer is looked for among
//! the presented certificates, the untrusted pool
//! ([`VerifyOptions::untrusted`](super::VerifyOptions::untrusted), and AIA downloads) and
//! the trust anchors: first by name (byte for byte, then after RFC 5280 §7.1
//! normalization — case and white space folded, string types ignored) or by
//! authorityKeyIdentifier =
//! subjectKeyIdentifier, and only when nothing matches so, by whose key verifies the
//! signature. Every way up is followed (bounded), and the path whose links are the most
//! plausible wins: signatures that verify, names that match byte for byte, then one that
//! reaches a trust anchor, then the shortest.
//!
//! **The steps, in this order** (the first failure is the verdict's cause, every other one a
//! finding):
//!
//! 1. the path reaches a trust anchor (§6.1.1 (d)): otherwise the chain ends at a
//!    self-signed root that is not trusted, at a self-signed leaf, or at an issuer that is
//!    nowhere;
//! 2. for each certificate, from the one below the trust anchor down to the leaf (§6.1.3):
//!    1. X.509 version 3 (rustls parses nothing else);
//!    2. the signature, with the issuer's key (§6.1.3 (a)(1)): bad; made with a key rustls
//!       refuses (too small: [`policy`](crate::policy)); a weak hash; an algorithm rustls
//!       does not support;
//!    3. validity at the validation time (§6.1.3 (a)(2));
//!    4. revocation by a given CRL (§6.1.3 (a)(3));
//!    5. issuer name = the issuer's subject (§6.1.3 (a)(4)): byte for byte as rustls
//!       compares; a difference that §7.1 normalization removes (string type, case, white
//!       space) is told apart from a wrong name;
//!    6. the name constraints of every CA above it (§6.1.3 (b), (c); not for a self-issued
//!       intermediate), every form (DNS, IP, email, URI, directoryName), naming the name
//!       refused — and the forms rustls-webpki refuses outright;
//!    7. for a CA (§6.1.4): basicConstraints cA (k), pathLenConstraint counting only
//!       certificates that are not self-issued (l, m), keyUsage keyCertSign (n); for the
//!       leaf: not a CA (rustls);
//!    8. critical extensions rustls-webpki does not process (§6.1.4 (o), §6.1.5 (f));
//!    9. extended key usage (rustls requires it of every certificate of the path);
//! 3. at most 6 intermediates (rustls' limit).
//!
//! Runs only for chains rustls-webpki rejects: a valid chain never pays for it.

use std::cell::RefCell;
use std::collections::HashMap;

use der::{Decode, Reader};
use x509_parser::prelude::FromDer;

use super::algorithms::algorithms;
use super::code::{code_of_webpki_error, webpki_error_name, Code};
use super::findings::Finding;
use super::options::{Profile, Purpose};
use super::words::{describe_constraints, distance, NO_AIA_CLIENTS};
use super::{fmt_unix, CertSource, Context};
use crate::name::DistinguishedName;
use crate::name_constraints::{CaConstraints, CertificateNames};
use crate::policy::{self, KeyStrength};
use crate::webpki_words::webpki_error_words;
use crate::x509::{Certificate, KeyAlgorithm};
use crate::Hint;

/// At most this many certificates on a candidate path (rustls allows 6 intermediates).
const MAX_LEN: usize = crate::chain::MAX_ISSUER_WALK;
/// At most this many complete candidate paths are compared.
const MAX_CANDIDATES: usize = 64;
/// At most this many issuer links are evaluated (signature checks) in one diagnosis.
const MAX_LINKS: usize = 2_000;

/// The critical extensions rustls-webpki processes (`cert.rs`, `remember_cert_extension`):
/// keyUsage, subjectAltName, basicConstraints, nameConstraints, cRLDistributionPoints,
/// extKeyUsage. Any other critical extension makes it refuse the certificate.
const WEBPKI_EXTENSIONS: [&str; 6] = [
    "2.5.29.15",
    "2.5.29.17",
    "2.5.29.19",
    "2.5.29.30",
    "2.5.29.31",
    "2.5.29.37",
];

/// Where a certificate's issuer was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Up {
    /// A certificate of the pool (presented, untrusted, AIA), by index.
    Pool(usize),
    /// A trust anchor, by index.
    Anchor(usize),
}

/// How a certificate's issuer name compares with its issuer's subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NameMatch {
    /// Byte for byte: what rustls (and Go) require.
    Exact,
    /// Only after RFC 5280 §7.1 normalization (string type, case, white space).
    Normalized,
    /// Not at all: the issuer was found by key identifier or signature.
    Different,
}

/// What the signature of a certificate gives with its issuer's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SigCheck {
    /// An algorithm rustls accepts, and it verifies.
    Verified,
    /// The issuer's key is one rustls refuses (too small); `verifies`: whether the
    /// signature is right all the same (`None`: could not be checked).
    WeakKey {
        key: KeyAlgorithm,
        why: String,
        verifies: Option<bool>,
    },
    /// Made with a weak hash (SHA-1, MD5) rustls refuses; `verifies` as above.
    WeakHash { alg: String, verifies: Option<bool> },
    /// An algorithm (or key type) rustls does not support, and chainscope cannot check.
    Unsupported { alg: String, key: String },
    /// It does not verify with the issuer's key.
    Bad,
}

impl SigCheck {
    /// How much the check speaks against this issuer being the real one.
    fn cost(&self) -> u32 {
        match self {
            SigCheck::Verified => 0,
            SigCheck::WeakKey {
                verifies: Some(false),
                ..
            }
            | SigCheck::WeakHash {
                verifies: Some(false),
                ..
            }
            | SigCheck::Bad => 4,
            SigCheck::WeakKey { .. } | SigCheck::WeakHash { .. } => 0,
            SigCheck::Unsupported { .. } => 1,
        }
    }
}

/// One step up: the issuer found for a certificate.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) up: Up,
    pub(crate) name: NameMatch,
    pub(crate) sig: SigCheck,
    /// authorityKeyIdentifier and subjectKeyIdentifier both present and different.
    pub(crate) key_id_mismatch: bool,
}

impl Link {
    fn cost(&self) -> u32 {
        self.sig.cost()
            + match self.name {
                NameMatch::Exact => 0,
                NameMatch::Normalized => 1,
                NameMatch::Different => 2,
            }
            + u32::from(self.key_id_mismatch)
    }
}

/// How a candidate path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum End {
    /// At a trust anchor (the last link's `up`).
    Anchor,
    /// At a self-signed (or self-issued, with no issuer) certificate that is not trusted.
    UntrustedRoot,
    /// At a certificate whose issuer is nowhere.
    Missing,
    /// Longer than any path rustls could build, or going round in circles.
    Stuck,
}

/// The candidate path: pool indices from the leaf up, and each one's issuer.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Pool indices, leaf (0) first.
    pub(crate) nodes: Vec<usize>,
    /// `links[i]`: the issuer of `nodes[i]`. One fewer than `nodes` unless `end` is
    /// [`End::Anchor`] (the last link is to the anchor).
    pub(crate) links: Vec<Link>,
    pub(crate) end: End,
}

impl Candidate {
    /// The trust anchor the path ends at.
    pub(crate) fn anchor(&self) -> Option<usize> {
        match (self.end, self.links.last()) {
            (
                End::Anchor,
                Some(Link {
                    up: Up::Anchor(a), ..
                }),
            ) => Some(*a),
            _ => None,
        }
    }

    fn cost(&self) -> u32 {
        self.links.iter().map(Link::cost).sum()
    }
}

/// The issuer side of a link: key and (when known) certificate.
struct IssuerView<'c> {
    spki: Vec<u8>,
    cert: Option<&'c Certificate>,
}

/// One failed step on the candidate path.
pub(crate) struct Failure {
    pub(crate) finding: Finding,
    /// Whether the step is one the verdict rests on under the chosen profile (rustls-webpki
    /// enforces it, or the profile's rule does).
    pub(crate) deciding: bool,
}

/// The walker: the candidate path of a rejected chain and its checks.
pub(crate) struct Walker<'c, 'a> {
    ctx: &'c Context<'a>,
    anchor_names: Vec<Option<DistinguishedName>>,
    links: RefCell<HashMap<(usize, Up), SigCheck>>,
    budget: RefCell<usize>,
}

impl<'c, 'a> Walker<'c, 'a> {
    pub(crate) fn new(ctx: &'c Context<'a>) -> Self {
        Walker {
            ctx,
            anchor_names: Vec::new(),
            links: RefCell::new(HashMap::new()),
            budget: RefCell::new(MAX_LINKS),
        }
    }

    fn cert(&self, node: usize) -> Option<&'c Certificate> {
        self.ctx.pool.get(node)?.decoded.as_ref()
    }

    fn issuer_view(&self, up: Up) -> Option<IssuerView<'c>> {
        match up {
            Up::Pool(i) => {
                let c = self.cert(i)?;
                Some(IssuerView {
                    spki: c.key.spki.clone(),
                    cert: Some(c),
                })
            }
            Up::Anchor(a) => {
                let anchor = self.ctx.trust.anchors().get(a)?;
                Some(IssuerView {
                    spki: crate::encoding::frame_sequence(anchor.subject_public_key_info.as_ref()),
                    cert: None,
                })
            }
        }
    }

    /// The anchor's decoded subject, for §7.1 comparisons.
    fn anchor_dn(&mut self, a: usize) -> Option<DistinguishedName> {
        if self.anchor_names.len() <= a {
            self.anchor_names.resize(self.ctx.trust.len(), None);
        }
        if self.anchor_names[a].is_none() {
            let raw = self.ctx.trust.anchors()[a].subject.as_ref();
            let der = crate::encoding::frame_sequence(raw);
            if let Ok((_, n)) = x509_parser::x509::X509Name::from_der(&der) {
                self.anchor_names[a] = Some(DistinguishedName::from_x509(&n));
            }
        }
        self.anchor_names[a].clone()
    }

    fn name_match(&mut self, cert: &Certificate, up: Up) -> NameMatch {
        let raw: &[u8] = match up {
            Up::Pool(i) => match self.cert(i) {
                Some(c) => &c.subject.raw,
                None => return NameMatch::Different,
            },
            Up::Anchor(a) => self.ctx.trust.anchors()[a].subject.as_ref(),
        };
        if raw == cert.issuer.raw.as_slice() {
            return NameMatch::Exact;
        }
        let dn = match up {
            Up::Pool(i) => self.cert(i).map(|c| c.subject.dn.clone()),
            Up::Anchor(a) => self.anchor_dn(a),
        };
        if dn.is_some_and(|dn| {
            !dn.attributes.is_empty() && crate::name::equivalent(&dn, &cert.issuer.dn)
        }) {
            NameMatch::Normalized
        } else {
            NameMatch::Different
        }
    }

    fn key_id_match(&self, cert: &Certificate, up: Up) -> Option<bool> {
        let aki = cert.extensions.authority_key_id.as_ref()?.key_id.as_ref()?;
        let ski = match up {
            Up::Pool(i) => self.cert(i)?.extensions.subject_key_id.as_ref()?.id.clone(),
            Up::Anchor(a) => self
                .ctx
                .anchor_cert(a)?
                .extensions
                .subject_key_id
                .as_ref()?
                .id
                .clone(),
        };
        Some(*aki == ski)
    }

    /// The signature check of `node` under the key of `up`, cached.
    fn sig(&self, node: usize, up: Up) -> SigCheck {
        if let Some(s) = self.links.borrow().get(&(node, up)) {
            return s.clone();
        }
        let check = match (self.cert(node), self.issuer_view(up)) {
            (Some(c), Some(i)) => check_signature(c, &i.spki, i.cert.map(|c| &c.key.algorithm)),
            _ => SigCheck::Bad,
        };
        self.links.borrow_mut().insert((node, up), check.clone());
        check
    }

    fn spend(&self) -> bool {
        let mut b = self.budget.borrow_mut();
        if *b == 0 {
            return false;
        }
        *b -= 1;
        true
    }

    /// The issuers worth trying for `node`, most plausible first.
    fn issuers(&mut self, node: usize, path: &[usize]) -> Vec<Link> {
        let Some(cert) = self.cert(node) else {
            return Vec::new();
        };
        let on_path = |i: usize, this: &Self| {
            path.contains(&i)
                || this.cert(i).is_some_and(|c| {
                    path.iter().any(|p| {
                        this.cert(*p).is_some_and(|q| {
                            q.subject.raw == c.subject.raw && q.key.spki == c.key.spki
                        })
                    })
                })
        };
        let mut ups: Vec<Up> = (0..self.ctx.trust.len()).map(Up::Anchor).collect();
        ups.extend(
            (0..self.ctx.pool.len())
                .filter(|i| *i != node && !on_path(*i, self))
                .map(Up::Pool),
        );
        let mut out = Vec::new();
        let mut by_name_or_id = Vec::new();
        for up in &ups {
            let name = self.name_match(cert, *up);
            let key_id = self.key_id_match(cert, *up);
            if name != NameMatch::Different || key_id == Some(true) {
                by_name_or_id.push((*up, name, key_id == Some(false)));
            }
        }
        // A self-issued certificate is its own issuer when its own key verifies it: a
        // root. It is trusted when an anchor has its name and key; otherwise only another
        // issuer of that name whose key verifies it (key rollover) continues the path.
        let self_signed = cert.self_issued()
            && check_signature(cert, &cert.key.spki, Some(&cert.key.algorithm)).cost() == 0;
        if by_name_or_id.is_empty() && !cert.self_issued() {
            // Nothing matches by name or key identifier: whose key signed it?
            for up in ups {
                if !self.spend() {
                    break;
                }
                if self.sig(node, up) == SigCheck::Verified {
                    by_name_or_id.push((up, NameMatch::Different, false));
                }
            }
        }
        for (up, name, key_id_mismatch) in by_name_or_id {
            if !self.spend() {
                break;
            }
            let sig = self.sig(node, up);
            if self_signed && sig != SigCheck::Verified {
                continue;
            }
            // A CA whose name only resembles the issuer's, or whose key identifier matches,
            // is its issuer only when its key verifies the signature; one of exactly the
            // issuer's name may have been re-keyed, and stays a candidate.
            if name != NameMatch::Exact && sig.cost() >= 4 {
                continue;
            }
            out.push(Link {
                up,
                name,
                sig,
                key_id_mismatch,
            });
        }
        out.sort_by_key(|l| (l.cost(), matches!(l.up, Up::Pool(_))));
        out
    }

    /// Every candidate path from `path`'s last node up, bounded.
    fn extend(&mut self, path: &mut Vec<usize>, links: &mut Vec<Link>, out: &mut Vec<Candidate>) {
        if out.len() >= MAX_CANDIDATES {
            return;
        }
        let node = *path.last().unwrap_or(&0);
        let finish = |end: End, path: &Vec<usize>, links: &Vec<Link>, out: &mut Vec<Candidate>| {
            out.push(Candidate {
                nodes: path.clone(),
                links: links.clone(),
                end,
            })
        };
        if path.len() > MAX_LEN {
            return finish(End::Stuck, path, links, out);
        }
        let issuers = self.issuers(node, path);
        let self_issued = self.cert(node).is_some_and(Certificate::self_issued);
        if issuers.is_empty() {
            let end = if self_issued {
                End::UntrustedRoot
            } else {
                End::Missing
            };
            return finish(end, path, links, out);
        }
        for link in issuers {
            match link.up {
                Up::Anchor(_) => {
                    links.push(link);
                    finish(End::Anchor, path, links, out);
                    links.pop();
                }
                Up::Pool(next) => {
                    path.push(next);
                    links.push(link);
                    self.extend(path, links, out);
                    links.pop();
                    path.pop();
                }
            }
            if out.len() >= MAX_CANDIDATES {
                break;
            }
        }
    }

    /// The most plausible candidate path from the leaf.
    pub(crate) fn candidate(&mut self) -> Candidate {
        #[cfg(test)]
        tests::WALKS.with(|w| w.set(w.get() + 1));
        let mut out = Vec::new();
        self.extend(&mut vec![0], &mut Vec::new(), &mut out);
        out.into_iter()
            .min_by_key(|c| (c.cost(), c.end, c.nodes.len()))
            .unwrap_or(Candidate {
                nodes: vec![0],
                links: Vec::new(),
                end: End::Stuck,
            })
    }
}

/// The TBSCertificate, the signatureAlgorithm's contents and the signature of a DER
/// certificate.
fn signed_parts(der: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let outer = der::asn1::AnyRef::from_der(der).ok()?;
    let mut r = der::SliceReader::new(outer.value()).ok()?;
    let tbs = r.tlv_bytes().ok()?;
    let alg: der::asn1::AnyRef<'_> = r.decode().ok()?;
    let sig: der::asn1::BitStringRef<'_> = r.decode().ok()?;
    Some((tbs, alg.value(), sig.raw_bytes()))
}

/// The algorithm's contents and the key bits of a DER SubjectPublicKeyInfo.
fn spki_parts(spki: &[u8]) -> Option<(&[u8], &[u8])> {
    let outer = der::asn1::AnyRef::from_der(spki).ok()?;
    let mut r = der::SliceReader::new(outer.value()).ok()?;
    let alg: der::asn1::AnyRef<'_> = r.decode().ok()?;
    let key: der::asn1::BitStringRef<'_> = r.decode().ok()?;
    Some((alg.value(), key.raw_bytes()))
}

/// Verifies a signature outside what rustls accepts — RSA keys from 1024 bits, SHA-1 —
/// with aws-lc-rs' legacy verification algorithms, to tell a weak key or hash from a bad
/// signature. `None`: no such algorithm for this combination.
fn legacy_verify(
    cert: &Certificate,
    key: &KeyAlgorithm,
    bits: &[u8],
    tbs: &[u8],
    sig: &[u8],
) -> Option<bool> {
    let alg = crate::x509::signature::legacy_verification_algorithm(&cert.signature, key)?;
    Some(
        aws_lc_rs::signature::UnparsedPublicKey::new(alg, bits)
            .verify(tbs, sig)
            .is_ok(),
    )
}

/// Checks `cert`'s signature with the issuer key `spki` (full DER): with the algorithms
/// rustls accepts, and — when they refuse — whether the key or the hash is the reason
/// (key sizes judged by [`policy::key_strength`]).
pub(crate) fn check_signature(
    cert: &Certificate,
    spki: &[u8],
    key: Option<&KeyAlgorithm>,
) -> SigCheck {
    let Some((tbs, alg_id, sig)) = signed_parts(cert.der.as_ref()) else {
        return SigCheck::Bad;
    };
    let Some((key_alg, bits)) = spki_parts(spki) else {
        return SigCheck::Bad;
    };
    let decoded;
    let key = match key {
        Some(k) => k,
        None => {
            decoded = x509_parser::x509::SubjectPublicKeyInfo::from_der(spki)
                .map(|(_, s)| KeyAlgorithm::from_spki(&s))
                .unwrap_or(KeyAlgorithm::Other("undecodable key".into()));
            &decoded
        }
    };
    let mut supported = false;
    for alg in algorithms() {
        if alg.signature_alg_id().as_ref() != alg_id || alg.public_key_alg_id().as_ref() != key_alg
        {
            continue;
        }
        supported = true;
        if alg.verify_signature(bits, tbs, sig).is_ok() {
            return SigCheck::Verified;
        }
    }
    let legacy = legacy_verify(cert, key, bits, tbs, sig);
    if let KeyStrength::Weak(why) = policy::key_strength(key) {
        return SigCheck::WeakKey {
            key: key.clone(),
            why,
            verifies: legacy,
        };
    }
    if cert.signature.weak {
        return SigCheck::WeakHash {
            alg: cert.signature.name.clone(),
            verifies: legacy,
        };
    }
    match (supported, legacy) {
        (true, _) | (false, Some(false)) => SigCheck::Bad,
        (false, _) => SigCheck::Unsupported {
            alg: cert.signature.name.clone(),
            key: key.to_string(),
        },
    }
}

/// The checks of the steps, over a candidate.
pub(crate) struct Steps<'w, 'c, 'a> {
    walker: &'w Walker<'c, 'a>,
    cand: &'w Candidate,
    profile: Profile,
}

impl<'w, 'c, 'a> Steps<'w, 'c, 'a> {
    pub(crate) fn new(walker: &'w Walker<'c, 'a>, cand: &'w Candidate) -> Self {
        Steps {
            walker,
            cand,
            profile: walker.ctx.options.profile,
        }
    }

    fn ctx(&self) -> &'c Context<'a> {
        self.walker.ctx
    }

    fn cert(&self, node: usize) -> Option<&'c Certificate> {
        self.walker.cert(node)
    }

    /// `the leaf (CN=…)`, `cert 2 (CN=…)`, `CN=… (from the untrusted intermediates)`.
    pub(crate) fn who(&self, node: usize) -> String {
        who(self.ctx(), node)
    }

    fn who_up(&self, up: Up) -> String {
        match up {
            Up::Pool(i) => self.who(i),
            Up::Anchor(a) => format!(
                "the trust anchor {} (from {})",
                self.ctx().anchor_subject(a),
                self.ctx().trust.source_label(a)
            ),
        }
    }

    fn subject_up(&self, up: Up) -> String {
        match up {
            Up::Pool(i) => self.ctx().pool[i].subject(),
            Up::Anchor(a) => self.ctx().anchor_subject(a),
        }
    }

    fn finding(&self, code: Code, node: usize, message: String) -> Finding {
        let c = &self.ctx().pool[node];
        Finding::new(code, message).cert(c.presented_index(), &c.subject())
    }

    fn trust(&self) -> String {
        self.ctx().trust.label()
    }

    /// Every failed step, in the documented order.
    pub(crate) fn run(&self) -> Vec<Failure> {
        let mut out = Vec::new();
        self.path_end(&mut out);
        // From the certificate below the anchor (or the top of the path) down to the leaf.
        for pos in (0..self.cand.nodes.len()).rev() {
            self.certificate(pos, &mut out);
        }
        let intermediates = self.cand.nodes.len() - 1;
        if intermediates > 6 {
            out.push(Failure {
                finding: Finding::new(
                    Code::PathTooLong,
                    format!(
                        "the path needs {intermediates} intermediates, more than the 6 rustls \
                         accepts"
                    ),
                )
                .fix("have the CA issue from a shorter hierarchy")
                .clients(
                    "rustls rejects paths with more than 6 intermediates; OpenSSL accepts up to \
                     100",
                ),
                deciding: true,
            });
        }
        out
    }

    /// Step 1: the path reaches a trust anchor.
    fn path_end(&self, out: &mut Vec<Failure>) {
        let last = *self.cand.nodes.last().unwrap_or(&0);
        let trust = self.trust();
        let f = match self.cand.end {
            End::Anchor => return,
            End::UntrustedRoot if last == 0 => self
                .finding(
                    Code::SelfSignedLeaf,
                    0,
                    format!(
                        "{} is self-signed and not in the trust store ({trust})",
                        self.who(0)
                    ),
                )
                .fix(
                    "for a public server, get a certificate from a public CA; to trust this one, \
                     add it to the trust anchors or install it in the clients' trust store",
                )
                .hint(Hint::Roots),
            End::UntrustedRoot => {
                let child = self.cand.nodes[self.cand.nodes.len() - 2];
                let subject = self.ctx().pool[last].subject();
                let where_ = match &self.ctx().pool[last].source {
                    CertSource::Presented { index } => {
                        format!("the server sends it as cert {}", index + 1)
                    }
                    CertSource::Untrusted => "it was given as an untrusted intermediate".to_owned(),
                    CertSource::Aia { url } => format!("it was downloaded from {url}"),
                    CertSource::TrustStore { .. } => "it is in the trust store".to_owned(),
                };
                let same_name = self.cert(last).is_some_and(|c| {
                    self.ctx()
                        .trust
                        .find_by_subject(&c.subject.raw)
                        .next()
                        .is_some()
                });
                let note = if same_name {
                    "; the trust store holds a CA of that name with another key"
                } else {
                    ""
                };
                self.finding(
                    Code::UntrustedRoot,
                    last,
                    format!(
                        "the issuing CA `{subject}` of {} is not in the trust store ({trust}): it \
                         is a self-signed root and {where_}{note}",
                        self.who(child)
                    ),
                )
                .fix(
                    "if it is not your private CA, the chain leads to a CA the clients do not \
                     trust; if it is, install its root on the clients and add it to the trust \
                     anchors",
                )
                .hint(Hint::Roots)
            }
            End::Missing | End::Stuck => self.missing(last),
        };
        out.push(Failure {
            finding: f,
            deciding: true,
        });
    }

    fn missing(&self, node: usize) -> Finding {
        let trust = self.trust();
        let Some(f) = self.cert(node) else {
            return self.finding(
                Code::MalformedCertificate,
                node,
                format!(
                    "{} does not decode, so its issuer cannot be looked for",
                    self.who(node)
                ),
            );
        };
        if self.cand.end == End::Stuck {
            return self
                .finding(
                    Code::UnknownIssuer,
                    node,
                    format!(
                        "no path from {} to a trust anchor ({trust}) was found within {MAX_LEN} \
                         certificates",
                        self.who(node)
                    ),
                )
                .fix("send only the certificates of one path, leaf first");
        }
        let key_id = f
            .extensions
            .authority_key_id
            .as_ref()
            .and_then(|a| a.key_id.as_ref())
            .map(|k| format!(" (key identifier {})", crate::encoding::hex_upper(k, ":")))
            .unwrap_or_default();
        let aia = match f.extensions.ca_issuers().first() {
            Some(url) => {
                format!("; its AIA caIssuers URL {url} says where the issuer can be downloaded")
            }
            None => String::new(),
        };
        if node == 0 {
            // The leaf's issuer is nowhere. An intermediate the server does not send, or
            // a private root the trust store lacks: the evidence for an intermediate is
            // other certificates sent, or an AIA caIssuers URL (public CAs' leaves carry
            // one, and public roots never sign leaves, BR §6.1.7).
            let sent = self
                .ctx()
                .pool
                .iter()
                .filter(|c| c.presented_index().is_some())
                .count();
            if sent > 1 || !aia.is_empty() {
                return self
                    .finding(
                        Code::MissingIntermediate,
                        0,
                        format!(
                            "the issuer `{}`{key_id} of {} is neither sent by the server nor in \
                             the trust store ({trust}){aia}: the server does not send its \
                             intermediate (if `{}` is a private root instead, the clients do not \
                             trust it)",
                            f.issuer,
                            self.who(0),
                            f.issuer
                        ),
                    )
                    .fix(
                        "configure the server to send the full chain: the leaf, then its \
                         intermediate(s) (e.g. fullchain.pem instead of cert.pem); supplying the \
                         intermediates as untrusted intermediates (or downloading them from AIA \
                         URLs) helps this diagnosis but not the clients",
                    )
                    .hint(Hint::Untrusted)
                    .clients(NO_AIA_CLIENTS);
            }
            return self
                .finding(
                    Code::UnknownIssuer,
                    0,
                    format!(
                        "the issuing CA `{}`{key_id} of {} is not in the trust store ({trust}), \
                         and the server sends no certificate but the leaf",
                        f.issuer,
                        self.who(0)
                    ),
                )
                .fix(format!(
                    "if `{}` is an intermediate, configure the server to send it after the leaf; \
                     for a private CA, install its root on the clients and add it to the trust \
                     anchors",
                    f.issuer
                ))
                .hint(Hint::Roots);
        }
        self.finding(
            Code::UnknownIssuer,
            node,
            format!(
                "the issuer `{}`{key_id} of {} is neither sent nor in the trust store \
                 ({trust}){aia}",
                f.issuer,
                self.who(node)
            ),
        )
        .fix(
            "if that CA is an intermediate, have the server send it; if it is a root you trust, \
             install it on the clients and add it to the trust anchors",
        )
        .hint(Hint::Roots)
    }

    /// Step 2, for the certificate at `pos` on the path.
    fn certificate(&self, pos: usize, out: &mut Vec<Failure>) {
        let node = self.cand.nodes[pos];
        let Some(cert) = self.cert(node) else {
            out.push(Failure {
                finding: self
                    .finding(
                        Code::MalformedCertificate,
                        node,
                        format!("{} does not decode", self.who(node)),
                    )
                    .fix("reissue the certificate; check the file was not damaged in transit"),
                deciding: true,
            });
            return;
        };
        let mut push = |finding: Finding, deciding: bool| out.push(Failure { finding, deciding });
        if cert.version != 2 {
            push(
                self.finding(
                    Code::UnsupportedCertVersion,
                    node,
                    format!(
                        "{} is an X.509 v{} certificate; rustls accepts only v3",
                        self.who(node),
                        cert.version + 1
                    ),
                )
                .fix("reissue it as a v3 certificate (with extensions)")
                .clients("rustls, Go and browsers reject v1/v2 certificates; OpenSSL accepts them"),
                true,
            );
        }
        if let Some(link) = self.cand.links.get(pos) {
            if let Some(f) = self.signature(node, link) {
                push(f, true);
            }
        }
        let time = self.ctx().time;
        if cert.not_after_unix() < time {
            let fix = if node == 0 {
                "renew the certificate and install the new one on the server"
            } else {
                "replace this intermediate with the current one from your CA (download the CA's \
                 current chain and update the chain file)"
            };
            push(
                self.finding(
                    Code::Expired,
                    node,
                    format!(
                        "{} expired on {} ({}; checked at {})",
                        self.who(node),
                        fmt_unix(cert.not_after_unix()),
                        distance(cert.not_after_unix(), time),
                        fmt_unix(time)
                    ),
                )
                .fix(fix),
                true,
            );
        } else if cert.not_before_unix() > time {
            push(
                self.finding(
                    Code::NotYetValid,
                    node,
                    format!(
                        "{} is not valid before {} ({}; checked at {})",
                        self.who(node),
                        fmt_unix(cert.not_before_unix()),
                        distance(cert.not_before_unix(), time),
                        fmt_unix(time)
                    ),
                )
                .fix(
                    "check the clock of the machine (and of the CA); otherwise wait, or reissue \
                     with a current notBefore",
                ),
                true,
            );
        }
        if let Some(f) = self
            .ctx()
            .crls
            .revoked_finding(self.ctx(), node, &self.who(node))
        {
            push(f, true);
        }
        if let Some(link) = self.cand.links.get(pos) {
            if let Some(f) = self.name_chaining(node, cert, link) {
                push(f, true);
            }
        }
        for (f, deciding) in self.name_constraints(pos, cert) {
            push(f, deciding);
        }
        if pos > 0 {
            self.ca_steps(pos, cert, &mut push);
        } else if cert.is_ca() {
            let later = (1..self.ctx().pool.len()).find(|n| {
                self.ctx().pool[*n].presented_index().is_some()
                    && self.cert(*n).is_some_and(|f| !f.is_ca())
            });
            let f = match later {
                Some(n) => self
                    .finding(
                        Code::CaUsedAsLeaf,
                        0,
                        format!(
                            "{} is a CA certificate but comes first, where the server's own \
                             certificate belongs; {} looks like the leaf: the chain is out of \
                             order",
                            self.who(0),
                            self.who(n)
                        ),
                    )
                    .fix("put the leaf first, then each certificate's issuer in turn"),
                None => self
                    .finding(
                        Code::CaUsedAsLeaf,
                        0,
                        format!(
                            "{} is a CA certificate (basicConstraints cA=TRUE) used as the \
                             server's own certificate",
                            self.who(0)
                        ),
                    )
                    .fix(
                        "issue a leaf certificate (cA=FALSE) for the server from this CA, and \
                         serve that",
                    ),
            };
            push(f, true);
        }
        let unknown: Vec<String> = cert
            .extensions
            .list
            .iter()
            .filter(|e| e.critical && !WEBPKI_EXTENSIONS.contains(&e.oid.as_str()))
            .map(|e| match crate::oids::extension_name(&e.oid) {
                Some(name) => format!("{} ({name})", e.oid),
                None => e.oid.clone(),
            })
            .collect();
        if !unknown.is_empty() {
            push(
                self.finding(
                    Code::UnknownCriticalExtension,
                    node,
                    format!(
                        "{} carries the critical extension{} {}, which rustls-webpki does not \
                         process; RFC 5280 §4.2 requires a verifier to reject a certificate with \
                         a critical extension it does not recognize",
                        self.who(node),
                        if unknown.len() > 1 { "s" } else { "" },
                        unknown.join(", ")
                    ),
                )
                .fix("reissue it without the critical extension (or mark it non-critical)"),
                true,
            );
        }
        if let Some(f) = self.eku(node, cert) {
            push(f, true);
        }
    }

    fn signature(&self, node: usize, link: &Link) -> Option<Finding> {
        let issuer = self.who_up(link.up);
        let issuer_subject = self.subject_up(link.up);
        let who = self.who(node);
        Some(match &link.sig {
            SigCheck::Verified => return None,
            SigCheck::WeakKey { key, why, verifies } => {
                let verdict = match verifies {
                    Some(true) => {
                        "the signature verifies with that key, but rustls refuses the key"
                    }
                    Some(false) => {
                        "rustls refuses the key, and the signature does not verify with it either"
                    }
                    None => {
                        "rustls refuses the key (chainscope cannot check a signature made with it)"
                    }
                };
                self.finding(
                    Code::WeakKey,
                    node,
                    format!("{who} is signed by {issuer}, whose key is {key}: {verdict} ({why})"),
                )
                .fix(format!(
                    "reissue `{issuer_subject}` with an RSA-{}+ or ECDSA P-256/P-384 key, and \
                     reissue the certificates it signed",
                    policy::MIN_RSA_BITS
                ))
            }
            SigCheck::WeakHash { alg, verifies } => {
                let tail = if *verifies == Some(false) {
                    " (and it does not verify with the issuer's key either)"
                } else {
                    ""
                };
                self.finding(
                    Code::WeakSignatureAlgorithm,
                    node,
                    format!(
                        "{who} is signed by {issuer} with {alg}, which is no longer accepted{tail}"
                    ),
                )
                .fix("reissue it with a SHA-256 (or stronger) signature")
                .clients(
                    "rustls, browsers and Go reject SHA-1 signatures; OpenSSL 3.0 at its default \
                     level still accepts them",
                )
            }
            SigCheck::Unsupported { alg, key } => self
                .finding(
                    Code::UnsupportedSignatureAlgorithm,
                    node,
                    format!(
                        "{who} is signed with {alg} by the {key} key of {issuer}, a combination \
                         rustls does not support"
                    ),
                )
                .fix("reissue with ECDSA P-256/P-384, Ed25519 or RSA-2048+ with SHA-256"),
            SigCheck::Bad => {
                let why = if link.name == NameMatch::Exact {
                    "the issuer was re-keyed, the wrong CA certificate is used, or the \
                     certificate was altered"
                } else {
                    "the certificate was not signed by this CA"
                };
                self.finding(
                    Code::BadSignature,
                    node,
                    format!(
                        "the signature on {who} does not verify with the key of its issuer \
                         {issuer}: {why}"
                    ),
                )
                .fix("use the CA certificate that actually signed it (same name and key)")
            }
        })
    }

    fn name_chaining(&self, node: usize, cert: &Certificate, link: &Link) -> Option<Finding> {
        let issuer = self.who_up(link.up);
        let subject = self.subject_up(link.up);
        match link.name {
            NameMatch::Exact => None,
            NameMatch::Normalized => {
                let how = encoding_difference(&cert.issuer.raw, self.subject_raw(link.up));
                Some(
                    self.finding(
                        Code::NameEncodingMismatch,
                        node,
                        format!(
                            "{} names its issuer `{}`, which equals the subject `{subject}` of \
                             {issuer} only after RFC 5280 §7.1 normalization: {how}",
                            self.who(node),
                            cert.issuer
                        ),
                    )
                    .fix(
                        "reissue so that the issuer name is a byte-for-byte copy of the CA's \
                         subject",
                    )
                    .clients(
                        "rustls and Go compare names byte for byte and reject; OpenSSL compares \
                         normalized names and accepts",
                    ),
                )
            }
            NameMatch::Different => Some(
                self.finding(
                    Code::IssuerNameMismatch,
                    node,
                    format!(
                        "{} names its issuer `{}`, but the CA whose key signed it is {issuer}, \
                         whose subject is `{subject}`",
                        self.who(node),
                        cert.issuer
                    ),
                )
                .fix("reissue so that the issuer name is a copy of the signing CA's subject"),
            ),
        }
    }

    fn subject_raw(&self, up: Up) -> &[u8] {
        match up {
            Up::Pool(i) => self
                .cert(i)
                .map(|c| c.subject.raw.as_slice())
                .unwrap_or_default(),
            Up::Anchor(a) => self.ctx().trust.anchors()[a].subject.as_ref(),
        }
    }

    /// The CAs above the certificate at `pos` (nearest first) with their DER, for name
    /// constraints: pool certificates, then the anchor's certificate when the store has it.
    fn cas_above(&self, pos: usize) -> Vec<(Up, Option<&'c [u8]>)> {
        let mut v: Vec<(Up, Option<&'c [u8]>)> = self.cand.nodes[pos + 1..]
            .iter()
            .map(|n| (Up::Pool(*n), self.cert(*n).map(|c| c.der.as_ref())))
            .collect();
        if let Some(a) = self.cand.anchor() {
            v.push((Up::Anchor(a), self.ctx().trust.cert(a).map(|c| c.as_ref())));
        }
        v
    }

    /// A finding about the CA `up` (a pool certificate or the trust anchor).
    fn finding_up(&self, code: Code, up: Up, message: String) -> Finding {
        match up {
            Up::Pool(n) => self.finding(code, n, message),
            Up::Anchor(a) => Finding::new(code, message).cert(None, &self.ctx().anchor_subject(a)),
        }
    }

    fn name_constraints(&self, pos: usize, cert: &Certificate) -> Vec<(Finding, bool)> {
        let node = self.cand.nodes[pos];
        let mut out = Vec::new();
        let Ok(names) = CertificateNames::from_der(cert.der.as_ref()) else {
            return out;
        };
        let self_issued_intermediate = pos > 0 && cert.self_issued();
        for (up, der) in self.cas_above(pos) {
            let Some(der) = der else { continue };
            let who_ca = self.who_up(up);
            let Ok(Some(ca)) = CaConstraints::from_der(der) else {
                continue;
            };
            if !self_issued_intermediate {
                if let Err(v) = ca.check(&names) {
                    out.push((
                        self.finding_up(
                            Code::NameConstraintViolated,
                            up,
                            format!(
                                "{who_ca} carries name constraints ({}) that {} violates: {v}",
                                describe_constraints(
                                    &ca.permitted
                                        .iter()
                                        .map(|t| t.to_string())
                                        .collect::<Vec<_>>(),
                                    &ca.excluded
                                        .iter()
                                        .map(|t| t.to_string())
                                        .collect::<Vec<_>>()
                                ),
                                self.who(node)
                            ),
                        )
                        .fix(
                            "issue the certificate only for names the CA is allowed to certify, \
                             or reissue the CA with wider constraints",
                        ),
                        true,
                    ));
                    continue;
                }
            }
            if let Some(form) = ca.rustls_rejects(&names) {
                let subtrees: Vec<String> = ca
                    .permitted
                    .iter()
                    .chain(&ca.excluded)
                    .filter(|s| s.form() == form)
                    .map(|s| s.to_string())
                    .collect();
                let listed = if subtrees.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", subtrees.join(", "))
                };
                out.push((
                    self.finding_up(
                        Code::UnsupportedNameConstraint,
                        up,
                        format!(
                            "{who_ca} carries {form} name constraints{listed}; rustls-webpki does \
                             not support {form} constraints and rejects {} although its names \
                             conform (RFC 5280 §4.2.1.10)",
                            self.who(node)
                        ),
                    )
                    .fix(
                        "reissue the CA without that constraint form, or use a client that \
                         evaluates it",
                    )
                    .clients(
                        "rustls rejects directoryName, URI and email constraints outright; \
                         OpenSSL, Go and GnuTLS evaluate them",
                    ),
                    true,
                ));
            }
        }
        out
    }

    fn ca_steps(&self, pos: usize, cert: &Certificate, push: &mut dyn FnMut(Finding, bool)) {
        let node = self.cand.nodes[pos];
        let child = self.cand.nodes[pos - 1];
        if !cert.is_ca() {
            push(
                self.finding(
                    Code::LeafUsedAsCa,
                    node,
                    format!(
                        "{} issues {} but is not a CA (no basicConstraints cA=TRUE)",
                        self.who(node),
                        self.who(child)
                    ),
                )
                .fix(
                    "issue certificates from a real CA certificate; a leaf cannot act as an \
                     intermediate",
                ),
                true,
            );
        }
        if let Some(len) = cert.extensions.basic_constraints.and_then(|b| b.path_len) {
            let between = &self.cand.nodes[1..pos];
            let counted: Vec<usize> = between
                .iter()
                .copied()
                .filter(|n| self.cert(*n).is_some_and(|c| !c.self_issued()))
                .collect();
            let len_usize = len as usize;
            if counted.len() > len_usize {
                let names: Vec<String> = counted
                    .iter()
                    .map(|n| self.ctx().pool[*n].subject())
                    .collect();
                push(
                    self.finding(
                        Code::PathLenExceeded,
                        node,
                        format!(
                            "{} allows {len} intermediate(s) below it (pathLenConstraint), but \
                             the path has {} that are not self-issued: {}",
                            self.who(node),
                            counted.len(),
                            names.join(", ")
                        ),
                    )
                    .fix(
                        "issue the leaf from a CA higher up, or reissue the CA with a larger \
                         pathLenConstraint",
                    ),
                    true,
                );
            } else if between.len() > len_usize {
                let self_issued: Vec<String> = between
                    .iter()
                    .filter(|n| self.cert(**n).is_some_and(Certificate::self_issued))
                    .map(|n| self.ctx().pool[*n].subject())
                    .collect();
                push(
                    self.finding(
                        Code::PathLenExceeded,
                        node,
                        format!(
                            "{} allows {len} intermediate(s) below it (pathLenConstraint); RFC \
                             5280 §6.1.4 does not count the self-issued {}, but rustls-webpki \
                             counts every intermediate ({})",
                            self.who(node),
                            self_issued.join(", "),
                            between.len()
                        ),
                    )
                    .fix(
                        "issue the leaf from a CA higher up, or reissue the CA with a larger \
                         pathLenConstraint",
                    )
                    .clients(
                        "OpenSSL and Go follow RFC 5280 and accept this path; rustls rejects it",
                    ),
                    true,
                );
            }
        }
        if let Some(ku) = cert.extensions.key_usage {
            if !ku.has(crate::x509::extensions::KeyUsage::KEY_CERT_SIGN) {
                let rule = super::rules::rule("ca_without_keycertsign");
                let code = rule.map(|r| r.code()).unwrap_or(Code::Other);
                let deciding = rule.is_some_and(|r| r.rejects_under(self.profile));
                let usages = ku.names();
                let has = if usages.is_empty() {
                    "no usage at all".to_owned()
                } else {
                    usages.join(", ")
                };
                push(
                    self.finding(
                        code,
                        node,
                        format!(
                            "{} issues {} but its keyUsage lacks keyCertSign (it has {has}; RFC \
                             5280 §6.1.4 (n))",
                            self.who(node),
                            self.who(child)
                        ),
                    )
                    .fix("reissue the CA with keyUsage keyCertSign (and cRLSign)")
                    .clients(
                        "OpenSSL, Go and browsers reject this; rustls-webpki 0.103 does not check \
                         it",
                    ),
                    deciding,
                );
            }
        }
    }

    fn eku(&self, node: usize, cert: &Certificate) -> Option<Finding> {
        let purposes: Vec<Purpose> = if self.ctx().options.purposes.is_empty() {
            vec![Purpose::ServerAuth]
        } else {
            self.ctx().options.purposes.clone()
        };
        if purposes.contains(&Purpose::Any) {
            return None;
        }
        let eku = cert.extensions.extended_key_usage.as_ref()?;
        if eku.oids.is_empty() {
            return None;
        }
        let wanted: Vec<String> = purposes
            .iter()
            .filter_map(|p| p.oid().map(str::to_owned))
            .collect();
        if eku.oids.iter().any(|o| wanted.contains(o)) {
            return None;
        }
        let name = |o: &String| crate::oids::eku_name(o).unwrap_or(o).to_owned();
        let present: Vec<String> = eku.oids.iter().map(name).collect();
        let wanted_names: Vec<String> = wanted.iter().map(name).collect();
        let msg = if node == 0 {
            format!(
                "{} is for {} only; verification needs {}",
                self.who(0),
                present.join(", "),
                wanted_names.join(" or ")
            )
        } else {
            format!(
                "{} restricts the certificates below it to {}; verification needs {}",
                self.who(node),
                present.join(", "),
                wanted_names.join(" or ")
            )
        };
        Some(
            self.finding(Code::WrongPurpose, node, msg)
                .fix(format!(
                    "reissue with extendedKeyUsage {} (or check the required purposes)",
                    wanted_names.join(",")
                ))
                .hint(Hint::Purpose),
        )
    }
}

/// `cert 2 (CN=…)` (1-based, as `show` numbers them), `the leaf (CN=…)` or `CN=… (from
/// the untrusted intermediates)`.
pub(crate) fn who(ctx: &Context<'_>, node: usize) -> String {
    let c = &ctx.pool[node];
    match c.presented_index() {
        Some(0) => format!("the leaf ({})", c.subject()),
        Some(i) => format!("cert {} ({})", i + 1, c.subject()),
        None => match &c.source {
            CertSource::Aia { url } => format!("{} (fetched from {url})", c.subject()),
            _ => format!("{} (from the untrusted intermediates)", c.subject()),
        },
    }
}

/// How two names that are equal after §7.1 normalization differ as encoded.
fn encoding_difference(issuer: &[u8], subject: &[u8]) -> String {
    use x509_parser::x509::X509Name;
    let parse = |raw: &[u8]| {
        let der = crate::encoding::frame_sequence(raw);
        X509Name::from_der(&der).ok().map(|(_, n)| {
            n.iter_attributes()
                .map(|a| {
                    let v = a.attr_value();
                    (
                        tag_name(v.tag().0),
                        String::from_utf8_lossy(v.data).into_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let (Some(i), Some(s)) = (parse(issuer), parse(subject)) else {
        return "the encodings differ".to_owned();
    };
    let mut parts = Vec::new();
    for ((it, iv), (st, sv)) in i.iter().zip(&s) {
        if it != st {
            parts.push(format!(
                "string type {it} in the issuer field vs {st} in the CA's subject"
            ));
        }
        if iv != sv {
            if iv.to_lowercase() == sv.to_lowercase() {
                parts.push(format!("letter case ('{iv}' vs '{sv}')"));
            } else {
                parts.push(format!("white space or case ('{iv}' vs '{sv}')"));
            }
        }
    }
    if parts.is_empty() {
        "the encodings differ".to_owned()
    } else {
        parts.dedup();
        format!("the names differ in {}", parts.join("; "))
    }
}

fn tag_name(tag: u32) -> &'static str {
    match tag {
        12 => "UTF8String",
        19 => "PrintableString",
        20 => "TeletexString",
        22 => "IA5String",
        28 => "UniversalString",
        30 => "BMPString",
        _ => "another string type",
    }
}

/// Whether webpki's error is the same kind of failure as the diagnosis' code.
pub(crate) fn agrees(code: Code, e: &webpki::Error) -> bool {
    let w = code_of_webpki_error(e);
    w == code
        || matches!(
            (code, w),
            (
                Code::MissingIntermediate
                    | Code::UntrustedRoot
                    | Code::SelfSignedLeaf
                    | Code::NameEncodingMismatch
                    | Code::IssuerNameMismatch,
                Code::UnknownIssuer
            ) | (
                Code::WeakKey | Code::WeakSignatureAlgorithm,
                Code::BadSignature | Code::UnsupportedSignatureAlgorithm
            ) | (
                Code::UnsupportedNameConstraint,
                Code::NameConstraintViolated
            )
        )
}

/// What webpki reported, in words, for a message whose cause is elsewhere: `rustls-webpki
/// reported UnsupportedCriticalExtension (…)`, naming the pool certificate it comes from
/// when that is not on the path.
pub(crate) fn webpki_said(ctx: &Context<'_>, cand: &Candidate, e: &webpki::Error) -> String {
    let mut s = format!(
        "rustls-webpki reported {} ({})",
        webpki_error_name(e),
        webpki_error_words(e)
    );
    if matches!(e, webpki::Error::UnsupportedCriticalExtension) {
        let off_path: Vec<String> = (0..ctx.pool.len())
            .filter(|n| !cand.nodes.contains(n))
            .filter(|n| {
                ctx.pool[*n].decoded.as_ref().is_some_and(|c| {
                    c.extensions
                        .list
                        .iter()
                        .any(|x| x.critical && !WEBPKI_EXTENSIONS.contains(&x.oid.as_str()))
                })
            })
            .map(|n| who(ctx, n))
            .collect();
        if !off_path.is_empty() {
            s.push_str(&format!(
                ", which comes from {}: not on this path, a candidate rustls-webpki could not \
                 parse",
                off_path.join(", ")
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use crate::trust::TrustStore;
    use crate::verify::{parse_time, verify_chain, Code, VerifyOptions};

    thread_local! {
        /// How many candidate paths this thread built.
        pub(super) static WALKS: Cell<usize> = const { Cell::new(0) };
    }

    fn fixture(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(rel)
    }

    #[test]
    fn valid_chains_never_pay_for_the_diagnosis() {
        let chain = crate::load_certificates(&fixture("rsa/chain.pem")).unwrap();
        let trust = TrustStore::from_spec(fixture("rsa/root.pem").to_str().unwrap()).unwrap();
        let mut options = VerifyOptions::for_host("rsa.chainscope.test").unwrap();
        options.at = Some(parse_time("2026-01-01T00:00:00Z").unwrap());
        WALKS.with(|w| w.set(0));
        for _ in 0..3 {
            assert!(verify_chain(&chain, &trust, &options).valid);
        }
        assert_eq!(
            WALKS.with(Cell::get),
            0,
            "a valid chain built a candidate path"
        );
        // A rejected one builds exactly one.
        let report = verify_chain(&chain[..1], &trust, &options);
        assert_eq!(report.error.unwrap().code, Code::MissingIntermediate);
        assert_eq!(WALKS.with(Cell::get), 1);
    }
}
