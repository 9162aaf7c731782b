//! What a capture is reported as: a [`CaptureReport`] (the [`PresentedChain`] with every
//! certificate decoded — the JSON document of a `fetch` and of a connected `verify`'s
//! `fetched`), one [`BatchRecord`] per target of a batch, and [`verify_presented`], which
//! verifies a capture for the name in its target.

use time::OffsetDateTime;

use super::{BatchResult, FetchError, PresentedChain};
use crate::cert::CertificateInfo;
use crate::trust::TrustStore;
use crate::verify::{verify_chain, VerifyOptions, VerifyReport};

/// One presented certificate, decoded as `show`'s JSON decodes it, or why it does not
/// decode (serialized as `{"error": "…"}`).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum DecodedCertificate {
    /// The certificate decoded.
    Certificate(Box<CertificateInfo>),
    /// It did not decode.
    Error {
        /// The one-line decoding error.
        error: String,
    },
}

/// A capture as `fetch`'s JSON prints it: every field of the [`PresentedChain`] (flattened)
/// plus `decoded`, each certificate decoded at the instant given to [`CaptureReport::new`].
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CaptureReport {
    /// The capture.
    #[serde(flatten)]
    pub chain: PresentedChain,
    /// Each certificate of [`PresentedChain::certs`], in the same order, decoded.
    pub decoded: Vec<DecodedCertificate>,
}

impl CaptureReport {
    /// Decodes every certificate of `chain` for the instant `at` (remaining days, status).
    pub fn new(chain: PresentedChain, at: OffsetDateTime) -> Self {
        let decoded = chain
            .certs
            .iter()
            .map(|der| match CertificateInfo::decode(der, at) {
                Ok(info) => DecodedCertificate::Certificate(Box::new(info)),
                Err(e) => DecodedCertificate::Error {
                    error: e.to_string(),
                },
            })
            .collect();
        CaptureReport { chain, decoded }
    }

    /// The first certificate, decoded, when it decodes.
    pub fn leaf(&self) -> Option<&CertificateInfo> {
        match self.decoded.first()? {
            DecodedCertificate::Certificate(info) => Some(info),
            DecodedCertificate::Error { .. } => None,
        }
    }
}

/// An error as reports carry it: the error's stable `code()` and its one-line message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ErrorRecord {
    /// The stable code ([`FetchError::code`], [`crate::Error::code`]).
    pub code: &'static str,
    /// The one-line message.
    pub message: String,
    /// The option the error is about, when the caller can change it ([`FetchError::hint`]).
    pub hint: Option<crate::Hint>,
}

impl From<&FetchError> for ErrorRecord {
    fn from(e: &FetchError) -> Self {
        ErrorRecord {
            code: e.code(),
            message: e.to_string(),
            hint: e.hint(),
        }
    }
}

/// How one target of a batch fared, for counting and for the status column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BatchStatus {
    /// Captured; the leaf is not expiring within the warning window (or does not decode).
    Ok,
    /// Captured; the leaf expires within the warning window.
    Expiring,
    /// Captured; the leaf has expired.
    Expired,
    /// The capture failed.
    Failed,
}

/// One JSON Lines record of a batch (several targets, or a list of them): on success
/// `{"input", "ok": true, "expires_in_days", …every CaptureReport field}`, on failure
/// `{"input", "ok": false, "error": {"code", "message"}}`.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct BatchRecord {
    /// 0-based position of the target in the input (not serialized).
    #[serde(skip)]
    pub index: usize,
    /// The target as written.
    pub input: String,
    /// Whether the capture succeeded.
    pub ok: bool,
    /// Whole days from the evaluation instant to the leaf's notAfter (negative once expired);
    /// `null` when the leaf does not decode. Absent on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in_days: Option<Option<i64>>,
    /// The capture, on success (its fields are flattened into the record).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub capture: Option<CaptureReport>,
    /// Why the capture failed, on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorRecord>,
}

impl BatchRecord {
    /// The record of one batch result, certificates decoded for the instant `at`.
    pub fn new(result: BatchResult, at: OffsetDateTime) -> Self {
        let BatchResult {
            index,
            input,
            result,
        } = result;
        match result {
            Ok(chain) => {
                let days = chain.leaf_not_after().map(|t| (t - at).whole_days());
                BatchRecord {
                    index,
                    input,
                    ok: true,
                    expires_in_days: Some(days),
                    capture: Some(CaptureReport::new(chain, at)),
                    error: None,
                }
            }
            Err(e) => BatchRecord {
                index,
                input,
                ok: false,
                expires_in_days: None,
                capture: None,
                error: Some(ErrorRecord::from(&e)),
            },
        }
    }

    /// The leaf's remaining whole days, when captured and decodable.
    pub fn days_left(&self) -> Option<i64> {
        self.expires_in_days.flatten()
    }

    /// The status for a warning window of `warn_days` days: expired below 0 days, expiring
    /// at `warn_days` or fewer.
    pub fn status(&self, warn_days: i64) -> BatchStatus {
        if !self.ok {
            return BatchStatus::Failed;
        }
        match self.days_left() {
            Some(d) if d < 0 => BatchStatus::Expired,
            Some(d) if d <= warn_days => BatchStatus::Expiring,
            _ => BatchStatus::Ok,
        }
    }
}

/// Verifies a captured chain as a client that dialled its target would: when
/// `options.host` is `None`, the name checked is the name in the target
/// ([`PresentedChain::host`]) — never the `connect_to` address actually dialled, as with
/// curl's `--resolve`. An explicit `options.host` is kept. The capture's own caveats are
/// added as warnings ([`PresentedChain::capture_findings`]: captured over TLS 1.0/1.1, or
/// no proof that the server holds the leaf's key); they never change the verdict.
///
/// ```no_run
/// use chainscope::fetch::{fetch_blocking, verify_presented, FetchOptions, Target};
/// use chainscope::{TrustStore, VerifyOptions};
/// let mut options = FetchOptions::default();
/// options.connect_to = Some("10.1.2.3".into()); // before DNS is switched
/// let chain = fetch_blocking(&Target::parse("proxy.example.internal")?, &options)?;
/// let report = verify_presented(&chain, &TrustStore::mozilla(), &VerifyOptions::default());
/// assert_eq!(report.host.as_deref(), Some("proxy.example.internal"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_presented(
    chain: &PresentedChain,
    trust: &TrustStore,
    options: &VerifyOptions,
) -> VerifyReport {
    let mut report = if options.host.is_some() {
        verify_chain(&chain.certs, trust, options)
    } else {
        let mut options = options.clone();
        options.host = crate::verify::parse_host(&chain.host).ok();
        verify_chain(&chain.certs, trust, &options)
    };
    chain.add_capture_findings(&mut report);
    report
}
