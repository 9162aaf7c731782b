//! Trust anchors: the system store, the Mozilla root program, supplied files.
//!
//! A [`TrustStore`] is a list of trust anchors, each remembering which source it came from
//! and, when a source provides one, its full certificate (the Mozilla bundle only carries
//! subject and key, so an anchor's validity can only be judged for the other sources).
//! Sources combine: `["system", "ca.pem"]` is [`TrustStore::system`] then
//! [`TrustStore::extend`] with [`TrustStore::from_spec`]`("ca.pem")`.
//!
//! ```
//! use chainscope::trust::TrustStore;
//!
//! let root = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/root.pem");
//! let mut store = TrustStore::from_spec(root)?;
//! store.extend(TrustStore::mozilla());
//! assert_eq!(store.sources()[0].anchors, 1);
//! assert!(store.len() > 100);
//! # Ok::<(), chainscope::Error>(())
//! ```

use std::path::Path;
use std::sync::OnceLock;

use rustls_pki_types::CertificateDer;
/// rustls-webpki's trust anchor type, as [`Anchor::anchor`] and [`TrustStore::anchors`] give it.
pub use rustls_pki_types::TrustAnchor;

use crate::error::{Error, Result, SYSTEM_STORE};
use crate::load::{load_path, LoadOptions};
use crate::x509::Certificate;

/// One source of anchors and what loading it gave.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct TrustSource {
    /// `system`, `mozilla`, or the path as given.
    pub label: String,
    /// Anchors taken from this source.
    pub anchors: usize,
    /// Certificates of this source that could not be used as anchors (unparseable), with
    /// the reason for each. Not fatal: the rest of the source is used.
    pub failed: Vec<String>,
}

/// A trust anchor together with where it came from.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Anchor {
    /// The anchor as rustls-webpki uses it (subject, key, name constraints).
    pub anchor: TrustAnchor<'static>,
    /// The full certificate when the source provides one (not for `mozilla`).
    pub cert: Option<CertificateDer<'static>>,
    /// Index into [`TrustStore::sources`].
    pub source: usize,
}

/// The set of trust anchors a verification builds paths to.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    // Kept as a plain slice of anchors because that is what webpki takes; `meta` is parallel.
    anchors: Vec<TrustAnchor<'static>>,
    meta: Vec<AnchorMeta>,
    sources: Vec<TrustSource>,
}

/// What the store keeps beside each webpki anchor.
#[derive(Debug, Clone)]
struct AnchorMeta {
    cert: Option<CertificateDer<'static>>,
    /// Index into `sources`.
    source: usize,
    /// `cert` decoded, on first use: one store serves many verifications (and threads),
    /// so each anchor is decoded at most once, not once per call.
    decoded: Decoded,
}

impl AnchorMeta {
    fn new(cert: Option<CertificateDer<'static>>, source: usize) -> Self {
        AnchorMeta {
            cert,
            source,
            decoded: Decoded::default(),
        }
    }
}

/// A lazily decoded certificate; its `Debug` says only whether it was decoded yet.
#[derive(Clone, Default)]
struct Decoded(OnceLock<Option<Certificate>>);

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Decoded"
        } else {
            "NotDecoded"
        })
    }
}

impl TrustStore {
    /// An empty store (nothing is trusted).
    pub fn empty() -> Self {
        Self::default()
    }

    /// The operating system's store, read with rustls-native-certs (which honours
    /// `SSL_CERT_FILE` and `SSL_CERT_DIR`).
    ///
    /// Certificates that do not parse are counted in [`TrustSource::failed`]; only a store
    /// that yields no usable anchor at all is an error.
    pub fn system() -> Result<Self> {
        let loaded = rustls_native_certs::load_native_certs();
        let mut store = Self::from_certs(loaded.certs, "system");
        let source = &mut store.sources[0];
        source
            .failed
            .extend(loaded.errors.iter().map(|e| e.to_string()));
        if store.anchors.is_empty() {
            let reason = match loaded.errors.first() {
                Some(e) => format!("no usable root certificate found ({e})"),
                None => {
                    "no root certificate found; use the Mozilla roots or a file of roots instead"
                        .into()
                }
            };
            return Err(Error::Empty {
                input: SYSTEM_STORE.into(),
                reason,
            });
        }
        Ok(store)
    }

    /// The Mozilla root program as bundled in this binary (webpki-roots): the same on every
    /// machine, offline.
    pub fn mozilla() -> Self {
        let anchors: Vec<TrustAnchor<'static>> = webpki_roots::TLS_SERVER_ROOTS.to_vec();
        let n = anchors.len();
        TrustStore {
            meta: (0..n).map(|_| AnchorMeta::new(None, 0)).collect(),
            anchors,
            sources: vec![TrustSource {
                label: "mozilla".into(),
                anchors: n,
                failed: Vec::new(),
            }],
        }
    }

    /// A store of the given certificates, all attributed to `source_label`. Certificates
    /// webpki cannot turn into an anchor are recorded in [`TrustSource::failed`].
    pub fn from_certs(certs: Vec<CertificateDer<'static>>, source_label: &str) -> Self {
        let mut store = TrustStore {
            sources: vec![TrustSource {
                label: source_label.into(),
                anchors: 0,
                failed: Vec::new(),
            }],
            ..Self::default()
        };
        for (i, der) in certs.into_iter().enumerate() {
            store.push_cert(der, 0, i);
        }
        store
    }

    fn push_cert(&mut self, der: CertificateDer<'static>, source: usize, index: usize) {
        let anchor = match webpki::anchor_from_trusted_cert(&der) {
            Ok(a) => a.to_owned(),
            Err(e) => {
                self.sources[source].failed.push(format!(
                    "certificate {}: {}",
                    index + 1,
                    crate::webpki_words::webpki_error_words(&e)
                ));
                return;
            }
        };
        // Identical certificates (hash links in /etc/ssl/certs, a root listed twice) once.
        if self
            .meta
            .iter()
            .any(|m| m.cert.as_ref().is_some_and(|c| c.as_ref() == der.as_ref()))
        {
            return;
        }
        self.anchors.push(anchor);
        self.meta.push(AnchorMeta::new(Some(der), source));
        self.sources[source].anchors += 1;
    }

    /// A store of the certificates in a PEM/DER/PKCS#7 file or a directory (hashed
    /// directories such as `/etc/ssl/certs` included). Certificates that cannot be used are
    /// counted in [`TrustSource::failed`]; a file with none usable is an error.
    ///
    /// ```
    /// let root = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/root.pem");
    /// let trust = chainscope::TrustStore::from_path(root.as_ref())?;
    /// assert_eq!(trust.len(), 1);
    /// assert_eq!(trust.sources()[0].label, root);
    /// # Ok::<(), chainscope::Error>(())
    /// ```
    pub fn from_path(path: &Path) -> Result<Self> {
        Self::from_file_spec(&path.to_string_lossy())
    }

    /// A store from one source spec: `system`, `mozilla`, or a path to a PEM/DER/PKCS#7
    /// file or a directory (hashed directories such as `/etc/ssl/certs` included).
    pub fn from_spec(spec: &str) -> Result<Self> {
        match spec {
            "system" => Self::system(),
            "mozilla" => Ok(Self::mozilla()),
            path => Self::from_file_spec(path),
        }
    }

    fn from_file_spec(path: &str) -> Result<Self> {
        let bundle =
            load_path(Path::new(path), &LoadOptions { keep_going: true })?.require_certs()?;
        let mut store = Self::from_certs(bundle.ders(), path);
        store.sources[0]
            .failed
            .extend(bundle.skipped.iter().map(|e| e.to_string()));
        if store.anchors.is_empty() {
            let reason = store.sources[0]
                .failed
                .first()
                .cloned()
                .unwrap_or_else(|| "no usable root certificate".into());
            return Err(Error::malformed(path, reason));
        }
        Ok(store)
    }

    /// A store combining several source specs, in order.
    pub fn from_specs<S: AsRef<str>>(specs: &[S]) -> Result<Self> {
        let mut store = Self::empty();
        for spec in specs {
            store.extend(Self::from_spec(spec.as_ref())?);
        }
        Ok(store)
    }

    /// Adds every anchor and source of `other` (anchors already present are kept once).
    pub fn extend(&mut self, other: TrustStore) {
        let offset = self.sources.len();
        self.sources.extend(other.sources);
        for (anchor, mut meta) in other.anchors.into_iter().zip(other.meta) {
            let duplicate = self.anchors.iter().any(|a| {
                a.subject.as_ref() == anchor.subject.as_ref()
                    && a.subject_public_key_info.as_ref() == anchor.subject_public_key_info.as_ref()
            });
            if duplicate {
                continue;
            }
            self.anchors.push(anchor);
            meta.source += offset;
            self.meta.push(meta);
        }
    }

    /// The anchors, as rustls-webpki takes them.
    pub fn anchors(&self) -> &[TrustAnchor<'static>] {
        &self.anchors
    }

    /// The anchor at `index` with its certificate and source.
    pub fn get(&self, index: usize) -> Option<Anchor> {
        let anchor = self.anchors.get(index)?.clone();
        let meta = &self.meta[index];
        Some(Anchor {
            anchor,
            cert: meta.cert.clone(),
            source: meta.source,
        })
    }

    /// The full certificate of the anchor at `index`, when its source provided one.
    pub fn cert(&self, index: usize) -> Option<&CertificateDer<'static>> {
        self.meta.get(index).and_then(|m| m.cert.as_ref())
    }

    /// The decoded certificate of the anchor at `index` (`None` without one, or when
    /// x509-parser cannot decode it), decoded on the first call and kept in the store.
    pub(crate) fn decoded(&self, index: usize) -> Option<&Certificate> {
        let meta = self.meta.get(index)?;
        meta.decoded
            .0
            .get_or_init(|| meta.cert.as_ref().and_then(Certificate::parse))
            .as_ref()
    }

    /// The label of the source of the anchor at `index`.
    pub fn source_label(&self, index: usize) -> &str {
        self.meta
            .get(index)
            .map(|m| self.sources[m.source].label.as_str())
            .unwrap_or("")
    }

    /// Indices of the anchors whose subject is exactly `subject` (DER, without the outer
    /// SEQUENCE header, as webpki stores it).
    pub fn find_by_subject<'a>(&'a self, subject: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        self.anchors
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.subject.as_ref() == subject)
            .map(|(i, _)| i)
    }

    /// The sources, in the order they were added, with their counts.
    pub fn sources(&self) -> &[TrustSource] {
        &self.sources
    }

    /// A short label: the source labels joined with `+` (`system+ca.pem`).
    pub fn label(&self) -> String {
        self.sources
            .iter()
            .map(|s| s.label.as_str())
            .collect::<Vec<_>>()
            .join("+")
    }

    /// Number of anchors.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether the store holds no anchor.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> TrustStore {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa/root.pem");
        TrustStore::from_spec(root).unwrap()
    }

    #[test]
    fn an_anchor_is_decoded_once_and_shared() {
        fn shared<T: Send + Sync>(_: &T) {}
        let store = root();
        shared(&store);
        let first = store.decoded(0).expect("the root decodes");
        assert!(std::ptr::eq(first, store.decoded(0).unwrap()));
        assert_eq!(first.der.as_ref(), store.cert(0).unwrap().as_ref());
        // From other threads too, the same decoded certificate.
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| assert!(std::ptr::eq(first, store.decoded(0).unwrap())));
            }
        });
        assert!(store.decoded(1).is_none());
        // Mozilla anchors carry no certificate: nothing to decode.
        assert!(TrustStore::mozilla().decoded(0).is_none());
    }

    #[test]
    fn extend_keeps_each_anchor_with_its_own_source() {
        let mut store = TrustStore::mozilla();
        let n = store.len();
        store.extend(root());
        assert_eq!(store.len(), n + 1);
        assert_eq!(store.source_label(n), store.sources()[1].label);
        assert!(store.decoded(n).is_some());
        assert_eq!(store.source_label(0), "mozilla");
    }
}
