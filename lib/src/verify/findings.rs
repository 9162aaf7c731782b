//! Findings: one problem or note each, in plain words, with its fix.

pub use super::code::Severity;
use super::code::{Code, Source};

/// One problem or note about a verification, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// Error, warning or info.
    pub severity: Severity,
    /// What the finding is about (`expired`, `missing_intermediate`, `aki_missing`, …).
    pub code: Code,
    /// What is wrong, naming the certificate and the values involved.
    pub message: String,
    /// Index of the certificate in the presented list (0 = leaf), when the finding is about
    /// a presented certificate.
    pub cert_index: Option<usize>,
    /// Subject of the certificate the finding is about, when it is about one.
    pub subject: Option<String>,
    /// What to do about it, in words that name parameters and concepts, never a
    /// command-line flag.
    pub fix: Option<String>,
    /// The input the fix asks to change, when it asks to change one (`roots`,
    /// `untrusted`, `max_depth`): a front end renders it as its own option.
    pub hint: Option<crate::Hint>,
    /// The requirement behind it (`RFC 5280 §4.2.1.1`, `CA/B Forum BR §7.1.2.7.6`,
    /// `rustls-webpki`, `client behaviour`, `chainscope`): the code's source unless the
    /// finding cites a more precise one.
    pub source: Source,
    /// Which clients decide differently, when that is the point.
    pub clients: Option<String>,
}

impl Finding {
    /// A finding with the code's own severity.
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            severity: code.severity(),
            code,
            message: message.into(),
            cert_index: None,
            subject: None,
            fix: None,
            hint: None,
            source: code.source(),
            clients: None,
        }
    }

    /// Reports an `error` code as a `warning`: it does not decide the verdict under the
    /// chosen profile (the only way a severity ever changes).
    pub(crate) fn not_deciding(mut self) -> Self {
        if self.severity == Severity::Error {
            self.severity = Severity::Warning;
        }
        self
    }

    pub(crate) fn cert(mut self, index: Option<usize>, subject: &str) -> Self {
        self.cert_index = index;
        self.subject = Some(subject.to_owned());
        self
    }

    pub(crate) fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Names the input the fix asks to change.
    pub(crate) fn hint(mut self, hint: crate::Hint) -> Self {
        self.hint = Some(hint);
        self
    }

    /// Cites a more precise requirement than the code's own source.
    #[allow(dead_code)] // used by the rule catalogue
    pub(crate) fn cite(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    pub(crate) fn clients(mut self, clients: impl Into<String>) -> Self {
        self.clients = Some(clients.into());
        self
    }
}
