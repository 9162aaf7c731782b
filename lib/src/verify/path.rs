//! Path building: the pool of candidate certificates, one rustls-webpki run over it with
//! the profile deciding on each verified path, and the report entries of a found path.

use std::cell::RefCell;
use std::time::Duration;

use rustls_pki_types::{CertificateDer, UnixTime};
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeId, KeyPurposeIdIter};

use super::algorithms::algorithms;
use super::code::Code;
use super::options::{oid_content, Profile, Purpose, VerifyOptions};
use super::report::{CertSource, PathEntry};
use super::rules::{self, PathCert, Role, Violation};
use crate::encoding::sha256_fingerprint;
use crate::trust::TrustStore;
use crate::x509::{self, Certificate};

/// A certificate available for path building, with where it came from.
pub(crate) struct PoolCert {
    pub(crate) der: CertificateDer<'static>,
    pub(crate) decoded: Option<Certificate>,
    pub(crate) source: CertSource,
}

impl PoolCert {
    pub(crate) fn new(der: CertificateDer<'static>, source: CertSource) -> Self {
        PoolCert {
            decoded: Certificate::parse(&der),
            der,
            source,
        }
    }

    pub(crate) fn presented_index(&self) -> Option<usize> {
        match self.source {
            CertSource::Presented { index } => Some(index),
            _ => None,
        }
    }

    pub(crate) fn subject(&self) -> String {
        self.decoded
            .as_ref()
            .map(|f| f.subject.text.clone())
            .unwrap_or_else(|| "(unparseable certificate)".into())
    }
}

/// Extended key usage as webpki's server/client semantics have it ("required if present"),
/// for several acceptable purposes at once.
struct PurposeValidator {
    oids: Vec<Vec<u8>>,
    any: bool,
}

impl ExtendedKeyUsageValidator for PurposeValidator {
    // The context variant needs a `'static` KeyUsage, which a runtime OID cannot give
    // (rustls/webpki#383); the diagnosis names the EKUs instead.
    #[allow(deprecated)]
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> std::result::Result<(), webpki::Error> {
        let mut empty = true;
        let mut found = self.any;
        for id in iter {
            empty = false;
            let id = id?;
            if self.oids.iter().any(|o| KeyPurposeId::new(o) == id) {
                found = true;
            }
        }
        if empty || found {
            Ok(())
        } else {
            Err(webpki::Error::RequiredEkuNotFound)
        }
    }
}

fn purpose_validator(purposes: &[Purpose]) -> PurposeValidator {
    let purposes: Vec<Purpose> = if purposes.is_empty() {
        vec![Purpose::ServerAuth]
    } else {
        purposes.to_vec()
    };
    PurposeValidator {
        any: purposes.contains(&Purpose::Any),
        oids: purposes
            .iter()
            .filter_map(|p| p.oid().and_then(oid_content))
            .collect(),
    }
}

/// A path webpki verified, as pool and anchor indices.
#[derive(Debug, Clone)]
pub(crate) struct FoundPath {
    /// Pool indices, leaf (0) first.
    pub(crate) nodes: Vec<usize>,
    pub(crate) anchor: usize,
}

/// What one webpki run gave.
pub(crate) struct Build {
    pub(crate) result: std::result::Result<FoundPath, webpki::Error>,
    /// Every violation of the accepted path (`result`), at all levels: the rules ran once,
    /// in webpki's path callback. Empty with `collect_all`.
    pub(crate) accepted: Vec<Violation>,
    /// Paths webpki verified but the profile or the depth limit rejected, with every
    /// violation at all levels (those that reject under the profile are why).
    pub(crate) rejected: Vec<(FoundPath, Vec<Violation>)>,
    /// With `collect_all`: every verified path.
    pub(crate) all: Vec<FoundPath>,
}

/// The pieces a run shares.
pub(crate) struct Context<'a> {
    pub(crate) pool: Vec<PoolCert>,
    pub(crate) trust: &'a TrustStore,
    pub(crate) options: &'a VerifyOptions,
    pub(crate) time: i64,
    /// The CRLs, judged against the pool and the trust anchors.
    pub(crate) crls: super::crl::CrlSet,
    usable_crls: Vec<super::crl::Crl>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        pool: Vec<PoolCert>,
        trust: &'a TrustStore,
        options: &'a VerifyOptions,
        time: i64,
    ) -> Self {
        let mut ctx = Context {
            pool,
            trust,
            options,
            time,
            crls: super::crl::CrlSet::default(),
            usable_crls: Vec::new(),
        };
        ctx.judge_crls();
        ctx
    }

    /// The CRLs that can be used (current or past nextUpdate), in the order given.
    pub(crate) fn usable_crls(&self) -> &[super::crl::Crl] {
        &self.usable_crls
    }

    /// Judges the CRLs against the pool.
    pub(crate) fn judge_crls(&mut self) {
        self.crls = super::crl::CrlSet::new(self);
        self.usable_crls = self.crls.usable(&self.options.crls);
    }

    /// The decoded certificate of anchor `index` (`None` without certificate), decoded
    /// once per trust store.
    pub(crate) fn anchor_cert(&self, index: usize) -> Option<&'a Certificate> {
        self.trust.decoded(index)
    }

    /// The subject of anchor `index`, as text: its decoded certificate's when it has one
    /// (the same Name, already decoded), else decoded from webpki's subject.
    pub(crate) fn anchor_subject(&self, index: usize) -> String {
        match self.anchor_cert(index) {
            Some(c) => c.subject.text.clone(),
            None => x509::name_text_from_contents(self.trust.anchors()[index].subject.as_ref()),
        }
    }

    /// The path as the profile rules see it.
    fn path_certs<'f>(
        &'f self,
        path: &FoundPath,
        anchor: Option<&'f Certificate>,
    ) -> Vec<PathCert<'f>> {
        let mut out: Vec<PathCert<'f>> = path
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let c = &self.pool[*n];
                PathCert {
                    cert: c.decoded.as_ref(),
                    cert_index: c.presented_index(),
                    subject: c.subject(),
                    role: if i == 0 {
                        Role::Leaf
                    } else {
                        Role::Intermediate
                    },
                }
            })
            .collect();
        out.push(PathCert {
            cert: anchor,
            cert_index: None,
            subject: self.anchor_subject(path.anchor),
            role: Role::Anchor,
        });
        out
    }

    /// Everything wrong with a path webpki verified, at every level: the depth limit, the
    /// revocation checks and the rule catalogue. Those that reject under the profile
    /// ([`Violation::rejects_under`]) are why the profile rejects the path.
    pub(crate) fn path_violations(&self, path: &FoundPath) -> Vec<Violation> {
        #[cfg(test)]
        tests::PATH_CHECKS.with(|c| c.set(c.get() + 1));
        let mut out = Vec::new();
        let intermediates = path.nodes.len() - 1;
        if let Some(max) = self.options.max_depth {
            if intermediates > max {
                out.push(Violation {
                    code: Code::PathTooLong,
                    rejects_from: Some(Profile::Webpki),
                    cert_index: Some(0),
                    subject: self.pool[0].subject(),
                    message: format!(
                        "the path needs {intermediates} intermediates, more than the maximum depth of {max}"
                    ),
                    fix: "have the CA issue from a shorter hierarchy, or raise the maximum depth".into(),
                    hint: Some(crate::Hint::MaxDepth),
                    clients: None,
                });
            }
        }
        out.extend(self.crls.violations(self, path));
        let certs = self.path_certs(path, self.anchor_cert(path.anchor));
        out.extend(rules::check_path(
            &certs,
            &self.options.purposes,
            self.time,
            &self.usable_crls,
        ));
        out
    }

    /// Runs webpki over the pool, with the profile deciding on each verified path.
    pub(crate) fn build(&self, collect_all: bool) -> Build {
        let leaf = match EndEntityCert::try_from(&self.pool[0].der) {
            Ok(l) => l,
            Err(e) => {
                return Build {
                    result: Err(e),
                    accepted: Vec::new(),
                    rejected: Vec::new(),
                    all: Vec::new(),
                }
            }
        };
        let intermediates: Vec<CertificateDer<'_>> = self.pool[1..]
            .iter()
            .map(|c| CertificateDer::from(c.der.as_ref()))
            .collect();
        // The usable CRLs, newest first (webpki consults the first authoritative one; the
        // revocation check in `path_violations` consults every one).
        let crls: Vec<webpki::CertRevocationList<'_>> = self
            .crls
            .for_webpki(&self.options.crls)
            .into_iter()
            .filter_map(|c| webpki::BorrowedCertRevocationList::from_der(&c.der).ok())
            .map(Into::into)
            .collect();
        let crl_refs: Vec<&webpki::CertRevocationList<'_>> = crls.iter().collect();
        let revocation = webpki::RevocationOptionsBuilder::new(&crl_refs)
            .ok()
            .map(|b| {
                b.with_depth(webpki::RevocationCheckDepth::Chain)
                    .with_status_policy(webpki::UnknownStatusPolicy::Allow)
                    .with_expiration_policy(webpki::ExpirationPolicy::Ignore)
                    .build()
            });
        let rejected = RefCell::new(Vec::new());
        let accepted = RefCell::new(Vec::new());
        let all = RefCell::new(Vec::new());
        let anchors = self.trust.anchors();
        let to_found = |p: &webpki::VerifiedPath<'_>| -> FoundPath {
            let mut nodes = vec![0];
            for cert in p.intermediate_certificates() {
                let der = cert.der();
                let pos = intermediates
                    .iter()
                    .position(|c| std::ptr::eq(c.as_ref().as_ptr(), der.as_ref().as_ptr()))
                    .or_else(|| {
                        intermediates
                            .iter()
                            .position(|c| c.as_ref() == der.as_ref())
                    })
                    .unwrap_or(0);
                nodes.push(pos + 1);
            }
            let anchor = anchors
                .iter()
                .position(|a| std::ptr::eq(a, p.anchor()))
                .unwrap_or(0);
            FoundPath { nodes, anchor }
        };
        let callback = |p: &webpki::VerifiedPath<'_>| -> std::result::Result<(), webpki::Error> {
            let found = to_found(p);
            if collect_all {
                let mut all = all.borrow_mut();
                if all.len() < 32 {
                    all.push(found);
                }
                // Keep searching: every path is wanted.
                return Err(webpki::Error::UnknownIssuer);
            }
            // All levels at once, so that the report reuses them instead of running the
            // rules on the path a second time.
            let violations = self.path_violations(&found);
            let profile = self.options.profile;
            if !violations.iter().any(|v| v.rejects_under(profile)) {
                *accepted.borrow_mut() = violations;
                return Ok(());
            }
            rejected.borrow_mut().push((found, violations));
            Err(webpki::Error::UnknownIssuer)
        };
        let result = leaf.verify_for_usage(
            algorithms(),
            anchors,
            &intermediates,
            UnixTime::since_unix_epoch(Duration::from_secs(self.time.max(0) as u64)),
            purpose_validator(&self.options.purposes),
            revocation,
            Some(&callback),
        );
        let result = result.map(|p| to_found(&p));
        Build {
            result,
            accepted: accepted.into_inner(),
            rejected: rejected.into_inner(),
            all: all.into_inner(),
        }
    }

    /// The report entries of a path.
    pub(crate) fn path_entries(&self, path: &FoundPath) -> Vec<PathEntry> {
        let mut out: Vec<PathEntry> = path
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let c = &self.pool[*n];
                let (subject, not_after) = match &c.decoded {
                    Some(f) => (f.subject.text.clone(), Some(f.not_after_unix())),
                    None => (c.subject(), None),
                };
                PathEntry {
                    role: if i == 0 { "leaf" } else { "intermediate" },
                    subject,
                    sha256: sha256_fingerprint(c.der.as_ref()),
                    spki_only: false,
                    not_after: not_after.map(crate::instant::rfc3339_unix),
                    days_left: not_after.map(|t| (t - self.time).div_euclid(86_400)),
                    source: c.source.clone(),
                }
            })
            .collect();
        let anchor = self.anchor_cert(path.anchor);
        let a = &self.trust.anchors()[path.anchor];
        out.push(PathEntry {
            role: "anchor",
            subject: self.anchor_subject(path.anchor),
            sha256: match self.trust.cert(path.anchor) {
                Some(c) => sha256_fingerprint(c.as_ref()),
                None => sha256_fingerprint(&crate::encoding::frame_sequence(
                    a.subject_public_key_info.as_ref(),
                )),
            },
            spki_only: self.trust.cert(path.anchor).is_none(),
            not_after: anchor.map(|f| crate::instant::rfc3339_unix(f.not_after_unix())),
            days_left: anchor.map(|f| (f.not_after_unix() - self.time).div_euclid(86_400)),
            source: CertSource::TrustStore {
                source: self.trust.source_label(path.anchor).to_owned(),
            },
        });
        out
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::cell::Cell;

    use crate::trust::TrustStore;
    use crate::verify::{parse_time, verify_chain, Profile, VerifyOptions};

    thread_local! {
        /// How many times this thread checked a verified path (depth, revocation, rules).
        pub(in crate::verify) static PATH_CHECKS: Cell<usize> = const { Cell::new(0) };
    }

    fn fixture(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(rel)
    }

    #[test]
    fn a_valid_chain_is_checked_against_the_rules_once() {
        let chain = crate::load_certificates(&fixture("rsa/chain.pem")).unwrap();
        let trust = TrustStore::from_spec(fixture("rsa/root.pem").to_str().unwrap()).unwrap();
        for profile in [Profile::Webpki, Profile::Clients, Profile::Rfc5280] {
            let mut options = VerifyOptions::for_host("rsa.chainscope.test").unwrap();
            options.at = Some(parse_time("2026-01-01T00:00:00Z").unwrap());
            options.profile = profile;
            PATH_CHECKS.with(|c| c.set(0));
            let report = verify_chain(&chain, &trust, &options);
            assert!(report.valid, "{profile:?}: {:?}", report.error);
            assert_eq!(PATH_CHECKS.with(Cell::get), 1, "{profile:?}");
        }
    }
}
