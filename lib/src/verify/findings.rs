//! Findings: one problem or note each, in plain words, with its fix.

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The chain is not valid because of this (under the chosen profile).
    Error,
    /// The verdict does not change, but something is wrong or some clients will disagree.
    Warning,
    /// Worth knowing (unused certificates, fetched issuers, …).
    Info,
}

/// One problem or note about a verification, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Error, warning or info.
    pub severity: Severity,
    /// A stable identifier (`expired`, `missing_intermediate`, `aki_missing`, …), listed in
    /// the README.
    pub code: String,
    /// What is wrong, naming the certificate and the values involved.
    pub message: String,
    /// Index of the certificate in the presented list (0 = leaf), when the finding is about
    /// a presented certificate.
    pub cert_index: Option<usize>,
    /// Subject of the certificate the finding is about, when it is about one.
    pub subject: Option<String>,
    /// What to do about it.
    pub fix: Option<String>,
    /// Which clients decide differently, when that is the point.
    pub clients: Option<String>,
}

impl Finding {
    pub(crate) fn new(severity: Severity, code: &str, message: impl Into<String>) -> Self {
        Finding {
            severity,
            code: code.to_owned(),
            message: message.into(),
            cert_index: None,
            subject: None,
            fix: None,
            clients: None,
        }
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

    pub(crate) fn clients(mut self, clients: impl Into<String>) -> Self {
        self.clients = Some(clients.into());
        self
    }
}
