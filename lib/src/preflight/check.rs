//! The checklist's model: one [`Check`] per line, each pass / warn / fail / skip with the
//! value found and the fix, summed up in a [`PreflightReport`].

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckStatus {
    /// Not applicable with the inputs given (e.g. live checks without `PreflightOptions::connect`).
    Skip,
    /// All good.
    Pass,
    /// Works, but worth fixing.
    Warn,
    /// Will break clients.
    Fail,
}

/// One line of the checklist.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct Check {
    /// Stable identifier (`key_matches_leaf`, `chain_order`, …), documented in the README.
    pub id: String,
    /// Pass, warn, fail or skip.
    pub status: CheckStatus,
    /// What was checked, in plain words.
    pub title: String,
    /// The value found.
    pub found: String,
    /// How to fix it, when it is not a pass (naming parameters and concepts, never a
    /// command-line flag).
    pub fix: Option<String>,
    /// The input the fix asks to change, when it asks to change one (`host`, `key`,
    /// `mint_leaf_names`): a front end renders it as its own option.
    pub hint: Option<crate::Hint>,
    /// The typed error behind a failed check, when an error is its cause (`live_reachable`:
    /// [`Error::Fetch`](crate::Error) with the capture's `FetchError`). Not serialized: the
    /// JSON has its text in `found`.
    #[serde(skip)]
    pub(super) error: Option<std::sync::Arc<crate::Error>>,
}

impl Check {
    pub(super) fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Check {
            id: id.into(),
            status: CheckStatus::Pass,
            title: title.into(),
            found: String::new(),
            fix: None,
            hint: None,
            error: None,
        }
    }

    /// The typed error that made this check fail, when one did: its
    /// [`code`](crate::Error::code) and [`hint`](crate::Error::hint) are the error's
    /// (`connection_refused`, `timeout`, …), and for a capture it is
    /// [`Error::Fetch`](crate::Error) around the `FetchError`, so an embedder can `match`
    /// on it. `None` for a check whose cause is the certificates themselves.
    pub fn error(&self) -> Option<&crate::Error> {
        self.error.as_deref()
    }

    /// Records the error behind a failed check; its hint becomes the check's when the check
    /// has none.
    pub(super) fn caused_by(mut self, error: impl Into<crate::Error>) -> Self {
        let error = error.into();
        if self.hint.is_none() {
            self.hint = error.hint();
        }
        self.error = Some(std::sync::Arc::new(error));
        self
    }

    pub(super) fn pass(mut self, found: impl Into<String>) -> Self {
        self.status = CheckStatus::Pass;
        self.found = found.into();
        self
    }

    pub(super) fn warn(mut self, found: impl Into<String>, fix: impl Into<String>) -> Self {
        self.status = CheckStatus::Warn;
        self.found = found.into();
        self.fix = Some(fix.into());
        self
    }

    pub(super) fn fail(mut self, found: impl Into<String>, fix: impl Into<String>) -> Self {
        self.status = CheckStatus::Fail;
        self.found = found.into();
        self.fix = Some(fix.into());
        self
    }

    /// Names the input the fix asks to change.
    pub(super) fn hint(mut self, hint: Option<crate::Hint>) -> Self {
        self.hint = hint;
        self
    }

    pub(super) fn skip(mut self, found: impl Into<String>) -> Self {
        self.status = CheckStatus::Skip;
        self.found = found.into();
        self
    }
}

/// The whole checklist and its verdict.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct PreflightReport {
    /// Every check, in the order they were run.
    pub checks: Vec<Check>,
    /// The worst status among the checks (`pass`, `warn` or `fail`).
    pub verdict: CheckStatus,
    /// Number of failed checks.
    pub failed: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// One line for a person.
    pub summary: String,
}

impl PreflightReport {
    /// Sums up a list of checks.
    pub fn from_checks(checks: Vec<Check>) -> Self {
        let failed = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
        let warnings = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Warn)
            .count();
        let verdict = checks
            .iter()
            .map(|c| c.status)
            .max()
            .unwrap_or(CheckStatus::Skip)
            .max(CheckStatus::Pass);
        let summary = match (failed, warnings) {
            (0, 0) => "ready: every check passed".to_owned(),
            (0, w) => format!("ready, with {w} warning{}", if w == 1 { "" } else { "s" }),
            (f, w) => format!(
                "NOT ready: {f} check{} failed, {w} warning{}",
                if f == 1 { "" } else { "s" },
                if w == 1 { "" } else { "s" }
            ),
        };
        PreflightReport {
            checks,
            verdict,
            failed,
            warnings,
            summary,
        }
    }
}
