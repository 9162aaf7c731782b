//! The per-certificate diagnosis pass: webpki says *that* a chain fails and roughly why;
//! this finds *which* certificate, the values involved, and the fix.

use super::code::{code_of_webpki_error, webpki_error_name, Code};
use super::findings::Finding;
use super::walk::{Candidate, End, Steps, Walker};
use super::words::{describe_constraints, distance, NO_AIA_CLIENTS};
use super::{fmt_unix, Context, FoundPath, Purpose};
use crate::policy;
use crate::webpki_words::webpki_error_words;
use crate::x509::Certificate;
use crate::Hint;

/// How the best-effort walk from the leaf ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WalkEnd {
    /// Reached the trust anchor with this index.
    Anchor(usize),
    /// The last certificate is self-issued and not trusted.
    UntrustedSelfSigned,
    /// The last certificate's issuer is nowhere to be found.
    MissingIssuer,
    /// The walk went round in circles or grew too long.
    Stuck,
}

pub(crate) struct Diagnoser<'c, 'a> {
    ctx: &'c Context<'a>,
    /// The candidate path of the diagnosis ([`walk`](super::walk)), built on first use:
    /// only rejected chains need it.
    cand: std::cell::OnceCell<Candidate>,
}

impl<'c, 'a> Diagnoser<'c, 'a> {
    pub(crate) fn new(ctx: &'c Context<'a>) -> Self {
        Diagnoser {
            ctx,
            cand: std::cell::OnceCell::new(),
        }
    }

    fn cand(&self) -> &Candidate {
        self.cand.get_or_init(|| Walker::new(self.ctx).candidate())
    }

    /// Pool indices of the candidate path, leaf first.
    fn walk(&self) -> &[usize] {
        &self.cand().nodes
    }

    fn end(&self) -> WalkEnd {
        let c = self.cand();
        match c.end {
            End::Anchor => WalkEnd::Anchor(c.anchor().unwrap_or(0)),
            End::UntrustedRoot => WalkEnd::UntrustedSelfSigned,
            End::Missing => WalkEnd::MissingIssuer,
            End::Stuck => WalkEnd::Stuck,
        }
    }

    /// The diagnosis of a chain rustls-webpki rejects (`e`): every RFC 5280 §6.1 step
    /// checked on the candidate path ([`walk`](super::walk)). The first failure that
    /// decides under the profile comes first — the verdict's cause —, saying what webpki
    /// reported when that points elsewhere; every other failure follows. When the path
    /// passes every step, webpki's own error is explained.
    pub(crate) fn diagnose(&self, e: &webpki::Error) -> Vec<Finding> {
        let walker = Walker::new(self.ctx);
        let cand = self.cand();
        let failures = Steps::new(&walker, cand).run();
        let mut out = Vec::new();
        // A budget error is fatal for rustls whatever the paths: it stays the cause.
        let budget = matches!(
            e,
            webpki::Error::MaximumSignatureChecksExceeded
                | webpki::Error::MaximumPathBuildCallsExceeded
                | webpki::Error::MaximumNameConstraintComparisonsExceeded
        );
        match failures.iter().position(|f| f.deciding).filter(|_| !budget) {
            Some(first) => {
                let mut primary = failures[first].finding.clone();
                if !super::walk::agrees(primary.code, e) {
                    primary.message = format!(
                        "{} ({})",
                        primary.message,
                        super::walk::webpki_said(self.ctx, cand, e)
                    );
                }
                out.push(primary);
            }
            None => out.push(self.explain(e)),
        }
        // The primary is repeated among them; the report keeps the first of each.
        out.extend(failures.into_iter().map(|f| {
            if f.deciding {
                f.finding
            } else {
                f.finding.not_deciding()
            }
        }));
        if let Some(a) = cand.anchor() {
            out.extend(self.anchor_note(a));
        }
        out
    }

    /// A trust anchor that is not self-issued: an intermediate trusted directly.
    pub(crate) fn anchor_note(&self, a: usize) -> Option<Finding> {
        let cert = self.ctx.anchor_cert(a)?;
        if cert.self_issued() {
            return None;
        }
        Some(
            Finding::new(
                Code::AnchorIsIntermediate,
                format!(
                    "the trust anchor `{}` (from {}) is not self-issued: trusting an \
                     intermediate: OpenSSL-based clients such as `openssl verify` and Python ≤ \
                     3.12 reject this without PARTIAL_CHAIN",
                    cert.subject,
                    self.ctx.trust.source_label(a)
                ),
            )
            .cert(None, &cert.subject.text)
            .fix(format!(
                "trust the root above it (its issuer `{}`), or make sure every client accepts \
                 partial chains",
                cert.issuer
            )),
        )
    }

    fn facts(&self, node: usize) -> Option<&Certificate> {
        self.ctx.pool[node].decoded.as_ref()
    }

    /// `cert 2 (CN=…)` (1-based, as `show` numbers them) or `CN=… (from the untrusted
    /// intermediates)`.
    fn who(&self, node: usize) -> String {
        super::walk::who(self.ctx, node)
    }

    /// The candidate path in words: `CN=leaf → CN=Inter → CN=Root (trust anchor)`.
    fn path_text(&self) -> String {
        let mut parts: Vec<String> = self
            .walk()
            .iter()
            .map(|n| self.ctx.pool[*n].subject())
            .collect();
        if let WalkEnd::Anchor(a) = self.end() {
            parts.push(format!("{} (trust anchor)", self.ctx.anchor_subject(a)));
        }
        parts.join(" → ")
    }

    fn finding(&self, code: Code, node: usize, message: String) -> Finding {
        let c = &self.ctx.pool[node];
        Finding::new(code, message).cert(c.presented_index(), &c.subject())
    }

    /// Every pool certificate worth blaming, walk first.
    fn suspects(&self) -> Vec<usize> {
        let mut v = self.walk().to_vec();
        v.extend((0..self.ctx.pool.len()).filter(|i| !self.walk().contains(i)));
        v
    }

    /// Explains webpki's error with the certificate, the values and the fix.
    #[allow(deprecated)] // webpki's unit variants still occur (our EKU validator returns one)
    pub(crate) fn explain(&self, e: &webpki::Error) -> Finding {
        use webpki::Error as E;
        match e {
            E::CertExpired { not_after, .. } => {
                let na = not_after.as_secs() as i64;
                let node = self
                    .suspects()
                    .into_iter()
                    .find(|n| self.facts(*n).is_some_and(|f| f.not_after_unix() == na))
                    .unwrap_or(0);
                self.expired(node, na)
            }
            E::CertNotValidYet { not_before, .. } => {
                let nb = not_before.as_secs() as i64;
                let node = self
                    .suspects()
                    .into_iter()
                    .find(|n| self.facts(*n).is_some_and(|f| f.not_before_unix() == nb))
                    .unwrap_or(0);
                self.not_yet_valid(node, nb)
            }
            E::UnknownIssuer => self.unknown_issuer(),
            E::CertNotValidForName(_) => self.name_mismatch(),
            E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => self.wrong_purpose(),
            E::CaUsedAsEndEntity => {
                let leaf_later = (1..self.ctx.pool.len()).find(|n| {
                    self.ctx.pool[*n].presented_index().is_some()
                        && self.facts(*n).is_some_and(|f| !f.is_ca())
                });
                match leaf_later {
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
                                "{} is a CA certificate (basicConstraints CA:TRUE) used as the \
                                 server's own certificate",
                                self.who(0)
                            ),
                        )
                        .fix(
                            "issue a leaf certificate (CA:FALSE) for the server from this CA, and \
                             serve that",
                        ),
                }
            }
            E::EndEntityUsedAsCa => {
                let node = self
                    .walk()
                    .iter()
                    .skip(1)
                    .copied()
                    .find(|n| self.facts(*n).is_some_and(|f| !f.is_ca()))
                    .unwrap_or(0);
                self.finding(
                    Code::LeafUsedAsCa,
                    node,
                    format!(
                        "{} signs another certificate but is not a CA (no basicConstraints \
                         CA:TRUE)",
                        self.who(node)
                    ),
                )
                .fix(
                    "issue certificates from a real CA certificate; a leaf cannot act as an \
                     intermediate",
                )
            }
            E::PathLenConstraintViolated => self.path_len(),
            E::NameConstraintViolation => self.name_constraints(),
            E::InvalidSignatureForPublicKey => self.bad_signature(),
            E::UnsupportedSignatureAlgorithm
            | E::UnsupportedSignatureAlgorithmContext(_)
            | E::UnsupportedSignatureAlgorithmForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => self.weak_algorithm(),
            E::CertRevoked => self.revoked(),
            E::UnsupportedCertVersion => {
                let node = self
                    .suspects()
                    .into_iter()
                    .find(|n| self.facts(*n).is_some_and(|f| f.version != 2))
                    .unwrap_or(0);
                let v = self.facts(node).map(|f| f.version + 1).unwrap_or(1);
                self.finding(
                    Code::UnsupportedCertVersion,
                    node,
                    format!(
                        "{} is an X.509 v{v} certificate; only v3 is accepted",
                        self.who(node)
                    ),
                )
                .fix("reissue it as a v3 certificate (with extensions)")
                .clients("rustls, Go and browsers reject v1/v2 certificates; OpenSSL accepts them")
            }
            E::UnsupportedCriticalExtension => {
                let node = self.suspects().into_iter().find(|n| {
                    self.facts(*n)
                        .is_some_and(|f| !f.extensions.unknown_critical.is_empty())
                });
                match node {
                    Some(node) => {
                        let exts = self
                            .facts(node)
                            .map(|f| f.extensions.unknown_critical.join(", "))
                            .unwrap_or_default();
                        self.finding(
                            Code::UnknownCriticalExtension,
                            node,
                            format!(
                                "{} carries a critical extension the verifier does not \
                                 understand: {exts}",
                                self.who(node)
                            ),
                        )
                        .fix("reissue it without the critical extension (or mark it non-critical)")
                    }
                    None => Finding::new(
                        Code::UnknownCriticalExtension,
                        format!(
                            "rustls-webpki reported a critical extension it does not process \
                             (UnsupportedCriticalExtension), but no certificate on the path {} \
                             carries one",
                            self.path_text()
                        ),
                    )
                    .fix(
                        "check the trust store and the untrusted intermediates for certificates \
                         with unusual critical extensions",
                    ),
                }
            }
            E::MaximumPathDepthExceeded => Finding::new(
                Code::PathTooLong,
                "the path needs more than 6 intermediates, the most rustls accepts",
            )
            .fix("have the CA issue from a shorter hierarchy")
            .clients(
                "rustls rejects paths with more than 6 intermediates; OpenSSL accepts up to 100",
            ),
            E::MaximumSignatureChecksExceeded
            | E::MaximumPathBuildCallsExceeded
            | E::MaximumNameConstraintComparisonsExceeded => Finding::new(
                Code::PathBuildingBudgetExceeded,
                format!(
                    "path building gave up ({}): too many candidate certificates, or name \
                     constraints too large to check",
                    webpki_error_words(e)
                ),
            )
            .fix(
                "send only the certificates of one path, leaf first; drop stale cross-signs and \
                 duplicates",
            ),
            E::CertDistrusted => Finding::new(
                Code::Distrusted,
                "a certificate on the path belongs to a CA that rustls explicitly distrusts",
            )
            .fix("get a certificate from a CA that is trusted"),
            E::UnsupportedNameType => Finding::new(
                Code::HostnameMismatch,
                "the name to check is neither a DNS name nor an IP address",
            ),
            E::BadDer
            | E::BadDerTime
            | E::TrailingData(_)
            | E::InvalidSerialNumber
            | E::ExtensionValueInvalid
            | E::MalformedExtensions
            | E::InvalidCertValidity
            | E::SignatureAlgorithmMismatch
            | E::EmptyEkuExtension
            | E::MalformedDnsIdentifier
            | E::MalformedNameConstraint
            | E::InvalidNetworkMaskConstraint => {
                let node = if self.facts(0).is_none() {
                    0
                } else {
                    self.suspects()
                        .into_iter()
                        .find(|n| self.facts(*n).is_none())
                        .unwrap_or(0)
                };
                self.finding(
                    Code::MalformedCertificate,
                    node,
                    format!(
                        "{} is malformed ({})",
                        self.who(node),
                        webpki_error_words(e)
                    ),
                )
                .fix("reissue the certificate; check the file was not damaged in transit")
            }
            other => Finding::new(
                code_of_webpki_error(other),
                format!(
                    "rustls-webpki rejects the chain: {} ({})",
                    webpki_error_words(other),
                    webpki_error_name(other)
                ),
            ),
        }
    }

    fn expired(&self, node: usize, not_after: i64) -> Finding {
        let who = self.who(node);
        let fix = if node == 0 {
            "renew the certificate and install the new one on the server"
        } else {
            "replace this intermediate with the current one from your CA (download the CA's \
             current chain and update the chain file)"
        };
        self.finding(
            Code::Expired,
            node,
            format!(
                "{who} expired on {} ({}; checked at {})",
                fmt_unix(not_after),
                distance(not_after, self.ctx.time),
                fmt_unix(self.ctx.time)
            ),
        )
        .fix(fix)
    }

    fn not_yet_valid(&self, node: usize, not_before: i64) -> Finding {
        self.finding(
            Code::NotYetValid,
            node,
            format!(
                "{} is not valid before {} ({}; checked at {})",
                self.who(node),
                fmt_unix(not_before),
                distance(not_before, self.ctx.time),
                fmt_unix(self.ctx.time)
            ),
        )
        .fix(
            "check the clock of the machine (and of the CA); otherwise wait, or reissue with a \
             current notBefore",
        )
    }

    fn unknown_issuer(&self) -> Finding {
        let last = *self.walk().last().unwrap_or(&0);
        let trust = self.ctx.trust.label();
        match self.end() {
            WalkEnd::UntrustedSelfSigned if last == 0 => self
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
                     add it to the trust anchors or install it in the system store",
                )
                .hint(Hint::Roots),
            WalkEnd::UntrustedSelfSigned => self
                .finding(
                    Code::UntrustedRoot,
                    last,
                    format!(
                        "the chain ends at the self-signed root {} which is not in the trust \
                         store ({trust})",
                        self.who(last)
                    ),
                )
                .fix(
                    "if this is not your private CA, the server sends the wrong chain; if it is, \
                     add the root to the trust anchors or install it",
                )
                .hint(Hint::Roots),
            WalkEnd::MissingIssuer | WalkEnd::Stuck => self.missing_issuer(last),
            WalkEnd::Anchor(_) => {
                // Names match all the way up, so a signature (key) does not.
                let bad = self.bad_signature();
                if bad.code == Code::BadSignature {
                    return bad;
                }
                Finding::new(
                    Code::UnknownIssuer,
                    format!("no path to a trusted root could be built (trust store: {trust})"),
                )
                .fix("check that the chain file holds the leaf first and its intermediates")
            }
        }
    }

    fn missing_issuer(&self, node: usize) -> Finding {
        let Some(f) = self.facts(node) else {
            return Finding::new(
                Code::UnknownIssuer,
                "the issuer of a certificate could not be found",
            );
        };
        let key_id = f
            .extensions
            .authority_key_id
            .as_ref()
            .and_then(|a| a.key_id.as_ref())
            .map(|k| format!(" (key identifier {})", crate::encoding::hex_upper(k, ":")))
            .unwrap_or_default();
        // Same name when string encodings are ignored?
        let lookalike = self
            .ctx
            .pool
            .iter()
            .filter_map(|c| c.decoded.as_ref())
            .find(|c| c.subject.text == f.issuer.text && c.subject.raw != f.issuer.raw);
        if let Some(l) = lookalike {
            return self
                .finding(
                    Code::NameEncodingMismatch,
                    node,
                    format!(
                        "{} names its issuer '{}', which matches {} only when string encodings \
                         are ignored (e.g. PrintableString vs UTF8String)",
                        self.who(node),
                        f.issuer.text,
                        l.subject.text
                    ),
                )
                .fix("reissue so that the issuer name is a byte-for-byte copy of the CA's subject")
                .clients("rustls and Go compare names byte for byte and reject; OpenSSL accepts");
        }
        let trust = self.ctx.trust.label();
        let aia = match f.extensions.ca_issuers().first() {
            Some(url) => format!(
                "; its AIA caIssuers URL {url} points to where the issuer can be downloaded"
            ),
            None => String::new(),
        };
        let presented = self.ctx.pool[node].presented_index().is_some();
        let is_leafish = node == 0 || !f.self_issued();
        if node == 0
            || (presented
                && is_leafish
                && self
                    .ctx
                    .pool
                    .iter()
                    .filter(|c| c.presented_index().is_some())
                    .count()
                    == 1)
        {
            return self
                .finding(
                    Code::MissingIntermediate,
                    node,
                    format!(
                        "the issuer '{}'{key_id} of {} is missing: the server does not send its \
                         intermediate, and it is not in the trust store ({trust}){aia}",
                        f.issuer,
                        self.who(node)
                    ),
                )
                .fix(
                    "configure the server to send the full chain: the leaf, then its \
                     intermediate(s) (e.g. fullchain.pem instead of cert.pem); supplying the \
                     intermediates as untrusted intermediates (or downloading them from AIA URLs) \
                     helps this diagnosis but not the clients",
                )
                .hint(Hint::Untrusted)
                .clients(NO_AIA_CLIENTS);
        }
        self.finding(
            Code::UnknownIssuer,
            node,
            format!(
                "the issuer '{}'{key_id} of {} is neither sent nor in the trust store \
                 ({trust}){aia}",
                f.issuer,
                self.who(node)
            ),
        )
        .fix(
            "if that CA is an intermediate, have the server send it; if it is a root you trust, \
             add it to the trust anchors",
        )
        .hint(Hint::Roots)
    }

    fn name_mismatch(&self) -> Finding {
        let host = self
            .ctx
            .options
            .host
            .as_ref()
            .map(|h| h.to_str().into_owned())
            .unwrap_or_default();
        let Some(f) = self.facts(0) else {
            return Finding::new(
                Code::HostnameMismatch,
                format!("the leaf is not valid for {host}"),
            );
        };
        let names = f.covered_names();
        let covered = if names.is_empty() {
            match f.common_names.first() {
                Some(cn) => {
                    format!("it has no subjectAltName; its CN={cn} is ignored by modern clients")
                }
                None => "it covers no name at all".to_owned(),
            }
        } else {
            format!("it covers {}", names.join(", "))
        };
        self.finding(
            Code::HostnameMismatch,
            0,
            format!("{} is not valid for {host}: {covered}", self.who(0)),
        )
        .fix(format!(
            "reissue the certificate with {host} in its subjectAltName, or connect with a name it \
             covers"
        ))
    }

    fn required_oids(&self) -> (Vec<String>, bool) {
        let purposes = if self.ctx.options.purposes.is_empty() {
            vec![Purpose::ServerAuth]
        } else {
            self.ctx.options.purposes.clone()
        };
        let any = purposes.contains(&Purpose::Any);
        (
            purposes
                .iter()
                .filter_map(|p| p.oid().map(str::to_owned))
                .collect(),
            any,
        )
    }

    /// The first certificate on the walk whose EKU excludes every required purpose.
    fn wrong_purpose(&self) -> Finding {
        let (oids, _) = self.required_oids();
        let wanted: Vec<String> = oids
            .iter()
            .map(|o| crate::oids::eku_name(o).unwrap_or(o).to_owned())
            .collect();
        for &node in self.walk() {
            let Some(f) = self.facts(node) else { continue };
            let Some(eku) = &f.extensions.extended_key_usage else {
                continue;
            };
            let has = &eku.oids;
            if has.iter().any(|h| oids.contains(h)) {
                continue;
            }
            let present: Vec<String> = has
                .iter()
                .map(|o| crate::oids::eku_name(o).unwrap_or(o).to_owned())
                .collect();
            let msg = if node == 0 {
                format!(
                    "{} is for {} only; verification needs {}",
                    self.who(0),
                    present.join(", "),
                    wanted.join(" or ")
                )
            } else {
                format!(
                    "{} restricts the certificates below it to {}; verification needs {}",
                    self.who(node),
                    present.join(", "),
                    wanted.join(" or ")
                )
            };
            return self
                .finding(Code::WrongPurpose, node, msg)
                .fix(format!(
                    "reissue with extendedKeyUsage {} (or check the required purposes)",
                    wanted.join(",")
                ))
                .hint(Hint::Purpose);
        }
        Finding::new(
            Code::WrongPurpose,
            format!(
                "a certificate on the path is not valid for {}",
                wanted.join(" or ")
            ),
        )
    }

    fn path_len(&self) -> Finding {
        // For each CA on the walk, count the CAs between it and the leaf.
        for (pos, &node) in self.walk().iter().enumerate().skip(1) {
            if let Some(crate::x509::extensions::BasicConstraints {
                ca: true,
                path_len: Some(len),
                ..
            }) = self
                .facts(node)
                .and_then(|f| f.extensions.basic_constraints)
            {
                let below = (1..pos)
                    .filter(|p| {
                        self.facts(self.walk()[*p])
                            .is_some_and(|f| !f.self_issued())
                    })
                    .count();
                if below > len as usize {
                    return self
                        .finding(
                            Code::PathLenExceeded,
                            node,
                            format!(
                                "{} allows {len} intermediate(s) below it (pathLenConstraint), \
                                 but the path has {below}",
                                self.who(node)
                            ),
                        )
                        .fix(
                            "issue the leaf from a CA higher up, or reissue the CA with a larger \
                             pathLenConstraint",
                        );
                }
            }
        }
        Finding::new(
            Code::PathLenExceeded,
            "a pathLenConstraint on the path is exceeded (possibly on the trust anchor)",
        )
        .fix(
            "issue the leaf from a CA higher up, or reissue the CA with a larger pathLenConstraint",
        )
    }

    fn name_constraints(&self) -> Finding {
        let names = self
            .facts(0)
            .map(|f| f.covered_names().join(", "))
            .unwrap_or_default();
        let node = self.walk().iter().skip(1).copied().find(|n| {
            self.facts(*n)
                .is_some_and(|f| f.extensions.name_constraints.is_some())
        });
        match node {
            Some(n) => {
                let described = self
                    .facts(n)
                    .and_then(|f| {
                        crate::cert::CertificateInfo::decode(
                            &f.der,
                            time::OffsetDateTime::UNIX_EPOCH,
                        )
                        .ok()
                    })
                    .and_then(|info| info.name_constraints)
                    .map(|nc| format!(" ({})", describe_constraints(&nc.permitted, &nc.excluded)))
                    .unwrap_or_default();
                self.finding(
                    Code::NameConstraintViolated,
                    n,
                    format!(
                        "{} carries name constraints{described} that the leaf's names ({names}) \
                         violate",
                        self.who(n)
                    ),
                )
            }
            None => match self.anchor_constraints() {
                Some((anchor, described)) => Finding::new(
                    Code::NameConstraintViolated,
                    format!(
                        "the trust anchor '{anchor}' carries name constraints ({described}) that \
                         the leaf's names ({names}) violate"
                    ),
                ),
                None => Finding::new(
                    Code::NameConstraintViolated,
                    format!(
                        "a name constraint on the path excludes the leaf's names ({names}), or \
                         uses a form rustls cannot check (directoryName, URI, email)"
                    ),
                ),
            },
        }
        .fix("issue the leaf only for names the CA is allowed to certify")
        .clients("rustls rejects directoryName/URI/email constraints outright; OpenSSL checks them")
    }

    /// The trust anchor ending the walk, when it carries name constraints: its subject and
    /// the constraints in words.
    fn anchor_constraints(&self) -> Option<(String, String)> {
        let WalkEnd::Anchor(a) = self.end() else {
            return None;
        };
        let anchor = &self.ctx.trust.anchors()[a];
        // webpki keeps the constraints without their outer SEQUENCE header.
        let der = crate::encoding::frame_sequence(anchor.name_constraints.as_ref()?.as_ref());
        let described =
            match <x509_parser::extensions::NameConstraints<'_> as x509_parser::prelude::FromDer<
                '_,
                x509_parser::error::X509Error,
            >>::from_der(&der)
            {
                Ok((_, nc)) => {
                    let list =
                        |subtrees: &Option<Vec<x509_parser::extensions::GeneralSubtree<'_>>>| {
                            subtrees
                                .as_deref()
                                .unwrap_or_default()
                                .iter()
                                .map(|t| crate::name::typed_general_name(&t.base))
                                .collect::<Vec<_>>()
                        };
                    describe_constraints(
                        &list(&nc.permitted_subtrees),
                        &list(&nc.excluded_subtrees),
                    )
                }
                Err(_) => "undecodable".to_owned(),
            };
        Some((self.ctx.anchor_subject(a), described))
    }

    /// The issuer's SPKI for a node on the walk (the next node, or the anchor).
    fn issuer_spki(&self, pos: usize) -> Option<(Vec<u8>, String)> {
        if let Some(&next) = self.walk().get(pos + 1) {
            let f = self.facts(next)?;
            return Some((f.key.spki.clone(), f.subject.text.clone()));
        }
        if let WalkEnd::Anchor(a) = self.end() {
            let anchor = &self.ctx.trust.anchors()[a];
            return Some((
                crate::encoding::frame_sequence(anchor.subject_public_key_info.as_ref()),
                self.ctx.anchor_subject(a),
            ));
        }
        None
    }

    fn bad_signature(&self) -> Finding {
        for (pos, &node) in self.walk().iter().enumerate() {
            let Some(f) = self.facts(node) else { continue };
            let Some((spki, issuer)) = self.issuer_spki(pos) else {
                continue;
            };
            if let Err(e) = f.signature_verifies_with(&spki) {
                if e.to_string().to_lowercase().contains("unsupported") {
                    continue;
                }
                return self
                    .finding(
                        Code::BadSignature,
                        node,
                        format!(
                            "the signature on {} does not verify with the key of its issuer \
                             {issuer}: the issuer was re-keyed, the wrong CA certificate is used, \
                             or the certificate was altered",
                            self.who(node)
                        ),
                    )
                    .fix("use the CA certificate that actually signed it (same name and key)");
            }
        }
        Finding::new(
            Code::BadSignature,
            format!(
                "rustls-webpki reported a signature that does not verify \
                 (InvalidSignatureForPublicKey) on a path it tried; every signature on the path \
                 {} verifies",
                self.path_text()
            ),
        )
    }

    fn weak_algorithm(&self) -> Finding {
        for (pos, &node) in self.walk().iter().enumerate() {
            let Some(f) = self.facts(node) else { continue };
            let alg = &f.signature.name;
            if f.signature.weak {
                return self
                    .finding(
                        Code::WeakSignatureAlgorithm,
                        node,
                        format!(
                            "{} is signed with {alg}, which is no longer accepted",
                            self.who(node)
                        ),
                    )
                    .fix("reissue it with a SHA-256 signature")
                    .clients(
                        "rustls, browsers and Go reject SHA-1 signatures; OpenSSL 3.0 at its \
                         default level still accepts them",
                    );
            }
            let issuer_key = self
                .walk()
                .get(pos + 1)
                .and_then(|n| self.facts(*n))
                .map(|i| i.key.algorithm.clone());
            if let Some(k) = issuer_key {
                if k.is_rsa() && matches!(policy::key_strength(&k), policy::KeyStrength::Weak(_)) {
                    return self
                        .finding(
                            Code::WeakKey,
                            node,
                            format!(
                                "{} is signed with an {k} key, which is too weak to be accepted",
                                self.who(node)
                            ),
                        )
                        .fix("use an issuer with an RSA-2048+ or ECDSA key");
                }
            }
        }
        let node = self.walk().first().copied().unwrap_or(0);
        let alg = self
            .facts(node)
            .map(|f| f.signature.name.clone())
            .unwrap_or_default();
        Finding::new(
            Code::UnsupportedSignatureAlgorithm,
            format!(
                "a signature on the path uses an algorithm or key rustls does not support (the \
                 leaf's is {alg})"
            ),
        )
        .fix("reissue with ECDSA P-256/P-384, Ed25519 or RSA-2048+ with SHA-256")
    }

    fn revoked(&self) -> Finding {
        use x509_parser::prelude::FromDer;
        for &node in self.walk() {
            let Some(f) = self.facts(node) else { continue };
            for crl in self.ctx.usable_crls() {
                let Ok((_, parsed)) =
                    x509_parser::revocation_list::CertificateRevocationList::from_der(&crl.der)
                else {
                    continue;
                };
                if crl.issuer_raw != f.issuer.raw {
                    continue;
                }
                let hit = parsed
                    .iter_revoked_certificates()
                    .find(|r| r.raw_serial() == f.serial.as_slice())
                    .map(|r| {
                        (
                            r.revocation_date.timestamp(),
                            r.reason_code()
                                .map(|(_, c)| format!(", reason {c}"))
                                .unwrap_or_default(),
                        )
                    });
                if let Some((date, reason)) = hit {
                    return self
                        .finding(
                            Code::Revoked,
                            node,
                            format!(
                                "{} was revoked on {}{reason}, according to the CRL {} issued by \
                                 {}",
                                self.who(node),
                                fmt_unix(date),
                                crl.label(),
                                crl.issuer
                            ),
                        )
                        .fix(
                            "replace the certificate with a new one (and a new key, if the key \
                             was compromised)",
                        );
                }
            }
        }
        Finding::new(
            Code::Revoked,
            "a certificate on the path is revoked by one of the CRLs",
        )
        .fix("replace the revoked certificate")
    }

    /// Problems beyond the verdict's cause on the chosen path (a path webpki verified):
    /// expired or not-yet-valid certificates, weak signatures. Without a chosen path the
    /// diagnosis ([`Diagnoser::diagnose`]) reports them.
    pub(crate) fn other_problems(&self, chosen: Option<&FoundPath>) -> Vec<Finding> {
        let mut out = Vec::new();
        let nodes: Vec<usize> = match chosen {
            Some(p) => p.nodes.clone(),
            None => return Vec::new(),
        };
        let time = self.ctx.time;
        for &n in &nodes {
            let Some(f) = self.facts(n) else { continue };
            if f.not_after_unix() < time {
                out.push(self.expired(n, f.not_after_unix()));
            } else if f.not_before_unix() > time {
                out.push(self.not_yet_valid(n, f.not_before_unix()));
            }
            let alg = &f.signature.name;
            if f.signature.weak {
                out.push(
                    self.finding(
                        Code::WeakSignatureAlgorithm,
                        n,
                        format!("{} is signed with {alg}", self.who(n)),
                    )
                    .fix("reissue it with a SHA-256 signature"),
                );
            }
        }
        out
    }

    /// Notes: expiring soon, unused or out-of-order certificates, a root sent by the server.
    pub(crate) fn notes(&self, chosen: Option<&FoundPath>) -> Vec<Finding> {
        let mut out = Vec::new();
        let time = self.ctx.time;
        let warn = i64::from(self.ctx.options.warn_days) * 86_400;
        let presented: Vec<usize> = (0..self.ctx.pool.len())
            .filter(|i| self.ctx.pool[*i].presented_index().is_some())
            .collect();
        if let Some(path) = chosen {
            for &n in &path.nodes {
                if let Some(f) = self.facts(n) {
                    if f.not_after_unix() >= time && f.not_after_unix() - time <= warn {
                        out.push(
                            self.finding(
                                Code::ExpiringSoon,
                                n,
                                format!(
                                    "{} expires on {} ({})",
                                    self.who(n),
                                    fmt_unix(f.not_after_unix()),
                                    distance(f.not_after_unix(), time)
                                ),
                            )
                            .fix("renew it now"),
                        );
                    }
                }
            }
            out.extend(self.anchor_note(path.anchor));
            if let Some(a) = self.ctx.anchor_cert(path.anchor) {
                if a.not_after_unix() >= time && a.not_after_unix() - time <= warn {
                    out.push(
                        Finding::new(
                            Code::ExpiringSoon,
                            format!(
                                "the trust anchor {} expires on {}",
                                a.subject,
                                fmt_unix(a.not_after_unix())
                            ),
                        )
                        .cert(None, &a.subject.text),
                    );
                }
            }
            for &n in &presented {
                if path.nodes.contains(&n) {
                    continue;
                }
                let f = self.facts(n);
                let is_anchor = f.is_some_and(|f| {
                    self.ctx.trust.anchors().iter().any(|a| {
                        a.subject.as_ref() == f.subject.raw.as_slice()
                            && crate::x509::strip_sequence(&f.key.spki)
                                == a.subject_public_key_info.as_ref()
                    })
                });
                let duplicate = presented
                    .iter()
                    .any(|o| *o < n && self.ctx.pool[*o].der == self.ctx.pool[n].der);
                let (code, msg) = if duplicate {
                    (
                        Code::DuplicateCertificate,
                        format!("{} is sent twice", self.who(n)),
                    )
                } else if f.is_some_and(|f| f.self_issued()) {
                    (
                        Code::RootSent,
                        format!(
                            "{} is a root the server sends; clients ignore it (it only costs \
                             bytes)",
                            self.who(n)
                        ),
                    )
                } else if is_anchor {
                    (
                        Code::UnusedCertificate,
                        format!(
                            "{} is not self-issued and is also in the trust store ({}): the path \
                             ends at the trusted copy",
                            self.who(n),
                            self.ctx.trust.label()
                        ),
                    )
                } else {
                    (
                        Code::UnusedCertificate,
                        format!(
                            "{} is sent but not part of the path (a stale or cross-signed \
                             intermediate?)",
                            self.who(n)
                        ),
                    )
                };
                let fix = if is_anchor && code == Code::UnusedCertificate {
                    "keep sending it for clients that trust the root above it; trust that root \
                     rather than the intermediate"
                } else {
                    "send only the leaf and the intermediates of one path"
                };
                out.push(self.finding(code, n, msg).fix(fix));
            }
            // Out of order: the presented certificates used by the path should follow it.
            let used: Vec<usize> = path
                .nodes
                .iter()
                .filter_map(|n| self.ctx.pool[*n].presented_index())
                .collect();
            if used.windows(2).any(|w| w[0] > w[1]) {
                out.push(
                    Finding::new(
                        Code::OutOfOrder,
                        format!(
                            "the server sends the chain out of order (path order: {})",
                            used.iter()
                                .map(|i| i.to_string())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .fix("send the leaf first, then each certificate's issuer in turn")
                    .clients(
                        "rustls, OpenSSL and browsers reorder; some older Java and embedded \
                         clients fail",
                    ),
                );
            }
            for &n in &path.nodes {
                if matches!(self.ctx.pool[n].source, super::CertSource::Untrusted) {
                    let f = self
                        .finding(
                            Code::NotSentByServer,
                            n,
                            format!(
                                "{} is needed for the path but came from the untrusted \
                                 intermediates: the server does not send it",
                                self.who(n)
                            ),
                        )
                        .fix("configure the server to send it after the leaf")
                        .clients(NO_AIA_CLIENTS);
                    out.push(f);
                }
            }
        } else {
            // First presented certificate not being the leaf-looking one.
            if presented.len() > 1
                && self.facts(0).is_some_and(|f| f.is_ca())
                && presented
                    .iter()
                    .skip(1)
                    .any(|n| self.facts(*n).is_some_and(|f| !f.is_ca()))
            {
                out.push(
                    Finding::new(
                        Code::OutOfOrder,
                        "the first certificate is a CA while a later one is a leaf: the chain \
                         looks out of order",
                    )
                    .fix("put the leaf first, then each certificate's issuer in turn"),
                );
            }
        }
        out
    }
}
