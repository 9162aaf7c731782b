//! The monitoring-plugin check: one status per server or certificate file, in the protocol
//! Nagios, Icinga, Sensu and their kin run plugins with.
//!
//! The status of one input ([`CheckResult`]):
//! - **CRITICAL** when the chain was not obtained because the connection failed (DNS, TCP,
//!   STARTTLS, TLS), when it does not verify ([`verify_chain`]'s verdict, its cause in
//!   words), or when the soonest notAfter on the path is less than
//!   [`Thresholds::critical_days`] away;
//! - **WARNING** when that soonest notAfter is less than [`Thresholds::warning_days`] away;
//! - **UNKNOWN** when nothing could be checked (a target that does not parse, an unreadable
//!   file, a file without certificates);
//! - **OK** otherwise.
//!
//! Several inputs make one [`CheckReport`]: the worst status wins, ranked CRITICAL >
//! UNKNOWN > WARNING > OK — an input that could not be checked may hide an expired chain,
//! so it outranks a warning.
//!
//! [`CheckReport::plugin_output`] is the text the protocol defines (Monitoring Plugins
//! Development Guidelines, "Plugin Output" and "Performance data"): a first line
//! `CHAINSCOPE STATUS - what was checked and what is wrong | perfdata`, then detail lines.
//! Performance data are `days_left` (the leaf), `path_days_left` (the soonest notAfter on
//! the path built) and `handshake_ms`; the day thresholds are written as ranges, `30:`
//! meaning "alert below 30", as the guidelines define them.
//!
//! ```
//! use chainscope::monitor::check::{check_file, Status, Thresholds};
//! use chainscope::verify::VerifyOptions;
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa");
//! let trust = chainscope::TrustStore::from_spec(&format!("{dir}/root.pem"))?;
//! let result = check_file(
//!     &format!("{dir}/chain.pem"),
//!     &trust,
//!     &VerifyOptions::for_host("rsa.chainscope.test")?,
//!     Thresholds::default(),
//! );
//! assert!(matches!(result.status, Status::Ok | Status::Warning | Status::Critical));
//! assert_eq!(result.perfdata[0].label, "days_left");
//! # Ok::<(), chainscope::Error>(())
//! ```

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

use super::{parse_report_instant, sanitize};
use crate::fetch::{fetch, FetchError, FetchOptions, PresentedChain, Target};
use crate::load::{load_input, LoadOptions};
use crate::trust::TrustStore;
use crate::verify::{parse_host, verify_chain, VerifyOptions, VerifyReport};

/// Seconds in a day.
const DAY: f64 = 86_400.0;

/// A monitoring-plugin status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    /// Everything fine (exit 0).
    Ok,
    /// Attention needed soon (exit 1).
    Warning,
    /// Broken, or about to break (exit 2).
    Critical,
    /// Nothing could be checked (exit 3).
    Unknown,
}

impl Status {
    /// The exit code the plugin protocol assigns: 0, 1, 2, 3.
    pub fn exit_code(self) -> i32 {
        match self {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Critical => 2,
            Status::Unknown => 3,
        }
    }

    /// `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warning => "WARNING",
            Status::Critical => "CRITICAL",
            Status::Unknown => "UNKNOWN",
        }
    }

    /// How bad the status is when several are combined: CRITICAL > UNKNOWN > WARNING > OK.
    pub fn rank(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Unknown => 2,
            Status::Critical => 3,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Expiry thresholds, in days before the soonest notAfter on the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Thresholds {
    /// WARNING when less than this many days are left (`-w`, default 30).
    pub warning_days: u32,
    /// CRITICAL when less than this many days are left (`-c`, default 14).
    pub critical_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::new(30, 14)
    }
}

impl Thresholds {
    /// WARNING below `warning_days` left, CRITICAL below `critical_days`.
    pub fn new(warning_days: u32, critical_days: u32) -> Self {
        Thresholds {
            warning_days,
            critical_days,
        }
    }
}

impl Thresholds {
    /// The status for `seconds_left` before an expiry.
    pub fn status(&self, seconds_left: i64) -> Status {
        if seconds_left < i64::from(self.critical_days) * 86_400 {
            Status::Critical
        } else if seconds_left < i64::from(self.warning_days) * 86_400 {
            Status::Warning
        } else {
            Status::Ok
        }
    }
}

/// One performance-data item: `'label'=value[uom];warn;crit;min;max`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PerfData {
    /// The label (`days_left`; prefixed with the input when several are checked).
    pub label: String,
    /// The value.
    pub value: f64,
    /// The warning range (`30:` = alert below 30), if any.
    pub warn: Option<String>,
    /// The critical range, if any.
    pub crit: Option<String>,
    /// Decimal places the value is written with.
    #[serde(skip)]
    pub decimals: usize,
}

impl fmt::Display for PerfData {
    /// Quotes the label when it holds anything but letters, digits, `_`, `.`, `-`, `:`
    /// (a `'` inside is doubled, as the guidelines say), and floors the value to its
    /// decimals so a value shown as 14.00 is never really 13.999.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = !self.label.is_empty()
            && self
                .label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-:".contains(c));
        if plain {
            f.write_str(&self.label)?;
        } else {
            write!(f, "'{}'", self.label.replace('\'', "''"))?;
        }
        let scale = 10f64.powi(i32::try_from(self.decimals).unwrap_or(0));
        let floored = (self.value * scale).floor() / scale;
        write!(f, "={floored:.*}", self.decimals)?;
        match (&self.warn, &self.crit) {
            (None, None) => Ok(()),
            (w, c) => write!(
                f,
                ";{};{}",
                w.as_deref().unwrap_or(""),
                c.as_deref().unwrap_or("")
            ),
        }
    }
}

/// When one certificate of the chain expires.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Expiry {
    /// `leaf`, `intermediate` or `anchor`.
    pub role: String,
    /// Its subject (as the verify report names it), sanitized for monitoring output.
    pub subject: String,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// Seconds from the check to notAfter (negative when expired).
    pub seconds_left: i64,
}

impl Expiry {
    /// Days left, with fractions.
    pub fn days_left(&self) -> f64 {
        self.seconds_left as f64 / DAY
    }

    fn date(&self) -> String {
        OffsetDateTime::from_unix_timestamp(self.not_after)
            .map(|t| t.date().to_string())
            .unwrap_or_else(|_| format!("@{}", self.not_after))
    }

    /// `2026-12-20 (17 days)`, `2026-11-01 (expired 3 days ago)`.
    fn when(&self) -> String {
        let days = self.seconds_left.div_euclid(86_400);
        if self.seconds_left < 0 {
            format!("{} (expired {} days ago)", self.date(), -days - 1)
        } else {
            format!("{} ({days} days)", self.date())
        }
    }
}

/// What was checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "input", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckInput {
    /// A certificate file (or directory) on disk: the chain as a server would send it.
    File(String),
    /// A server, as `fetch` takes it (`host:port`, `smtp://host`, a URL).
    Server(String),
}

impl CheckInput {
    /// An input as written on a command line: a path that exists, or text with a `/` and
    /// no `://`, is a file; anything else a server.
    pub fn classify(text: &str) -> CheckInput {
        if Path::new(text).exists() || (text.contains('/') && !text.contains("://")) {
            CheckInput::File(text.to_owned())
        } else {
            CheckInput::Server(text.to_owned())
        }
    }

    /// The text as given.
    pub fn text(&self) -> &str {
        match self {
            CheckInput::File(t) | CheckInput::Server(t) => t,
        }
    }
}

/// The outcome for one input: plain data, rendered by [`CheckReport::plugin_output`].
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CheckResult {
    /// What was checked; for a server, `host:port` once parsed.
    pub input: String,
    /// The status.
    pub status: Status,
    /// One line saying what was checked and what is wrong (sanitized).
    pub summary: String,
    /// The performance data.
    pub perfdata: Vec<PerfData>,
    /// Further lines: the path with each expiry, the findings (sanitized).
    pub details: Vec<String>,
    /// The leaf's expiry, when it decodes.
    pub leaf: Option<Expiry>,
    /// The soonest expiry on the path built (leaf, intermediates, anchor).
    pub soonest: Option<Expiry>,
    /// The TLS handshake's duration in milliseconds (servers only).
    pub handshake_ms: Option<f64>,
    /// The verify code of the verdict's cause when the chain is not valid.
    pub verify_code: Option<String>,
    /// The fetch error code (`connection_refused`, `timeout`, …) when the capture failed.
    pub fetch_error: Option<String>,
    /// The thresholds applied.
    pub thresholds: Thresholds,
}

impl CheckResult {
    fn failed(input: &str, status: Status, summary: String, thresholds: Thresholds) -> Self {
        CheckResult {
            input: sanitize(input),
            status,
            summary,
            perfdata: Vec::new(),
            details: Vec::new(),
            leaf: None,
            soonest: None,
            handshake_ms: None,
            verify_code: None,
            fetch_error: None,
            thresholds,
        }
    }
}

/// Judges a chain (leaf first) already verified: the status, summary, perfdata and details.
///
/// `chain` is what was presented; `report` is [`verify_chain`]'s report on it at `now`.
pub fn evaluate(
    input: &str,
    chain: &[CertificateDer<'static>],
    report: &VerifyReport,
    thresholds: Thresholds,
    now: OffsetDateTime,
) -> CheckResult {
    let now_unix = now.unix_timestamp();
    let input = sanitize(input);
    let leaf = chain.first().and_then(|der| {
        let (_, x) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
        let not_after = x.validity().not_after.timestamp();
        let subject = report
            .path
            .first()
            .map(|e| e.subject.clone())
            .unwrap_or_else(|| x.subject().to_string());
        Some(Expiry {
            role: "leaf".into(),
            subject: sanitize(&subject),
            not_after,
            seconds_left: not_after.saturating_sub(now_unix),
        })
    });
    let soonest = report
        .path
        .iter()
        .filter_map(|e| {
            let not_after = parse_report_instant(e.not_after.as_deref()?)?;
            Some(Expiry {
                role: e.role.to_owned(),
                subject: sanitize(&e.subject),
                not_after,
                seconds_left: not_after.saturating_sub(now_unix),
            })
        })
        .min_by_key(|e| e.not_after);

    let warn = Some(format!("{}:", thresholds.warning_days));
    let crit = Some(format!("{}:", thresholds.critical_days));
    let mut perfdata = Vec::new();
    if let Some(l) = &leaf {
        perfdata.push(PerfData {
            label: "days_left".into(),
            value: l.days_left(),
            warn: warn.clone(),
            crit: crit.clone(),
            decimals: 2,
        });
    }
    if let Some(s) = &soonest {
        perfdata.push(PerfData {
            label: "path_days_left".into(),
            value: s.days_left(),
            warn,
            crit,
            decimals: 2,
        });
    }

    let host = report
        .host
        .as_ref()
        .map(|h| format!(" for {}", sanitize(h)))
        .unwrap_or_default();
    let (status, summary) = if !report.valid {
        let (code, message) = match &report.error {
            Some(e) => (e.code.as_str().to_owned(), sanitize(&e.message)),
            None => ("invalid".to_owned(), "the chain does not verify".to_owned()),
        };
        (
            Status::Critical,
            format!("{input}: chain NOT valid{host} [{code}]: {message}"),
        )
    } else {
        match (&soonest, &leaf) {
            (Some(s), _) | (None, Some(s)) => {
                let status = thresholds.status(s.seconds_left);
                let limit = match status {
                    Status::Critical => {
                        format!(", critical below {} days", thresholds.critical_days)
                    }
                    Status::Warning => format!(", warning below {} days", thresholds.warning_days),
                    _ => String::new(),
                };
                let text = if s.role == "leaf" {
                    format!(
                        "{input}: chain valid{host}, leaf expires {}{limit}",
                        s.when()
                    )
                } else {
                    let leaf_text = leaf
                        .as_ref()
                        .map(|l| format!(", leaf expires {}", l.when()))
                        .unwrap_or_default();
                    format!(
                        "{input}: chain valid{host}, {} '{}' expires {}{limit}{leaf_text}",
                        s.role,
                        s.subject,
                        s.when()
                    )
                };
                (status, text)
            }
            (None, None) => (
                Status::Unknown,
                format!("{input}: chain valid{host}, but no expiry could be read"),
            ),
        }
    };

    let mut details = Vec::new();
    for e in &report.path {
        let expiry = match e.not_after.as_deref().and_then(parse_report_instant) {
            Some(t) => Expiry {
                role: e.role.to_owned(),
                subject: String::new(),
                not_after: t,
                seconds_left: t.saturating_sub(now_unix),
            }
            .when(),
            None => "expiry unknown".into(),
        };
        details.push(format!(
            "{} {}: expires {expiry}",
            e.role,
            sanitize(&e.subject)
        ));
    }
    for f in &report.findings {
        details.push(format!(
            "{} [{}] {}",
            match f.severity {
                crate::Severity::Error => "error",
                crate::Severity::Warning => "warning",
                crate::Severity::Info => "info",
            },
            f.code,
            sanitize(&f.message)
        ));
    }
    CheckResult {
        input,
        status,
        summary,
        perfdata,
        details,
        leaf,
        soonest,
        handshake_ms: None,
        verify_code: report.error.as_ref().map(|e| e.code.as_str().to_owned()),
        fetch_error: None,
        thresholds,
    }
}

/// Checks a certificate file (PEM, DER or PKCS#7; leaf first), or a directory's
/// certificates, as [`load_input`] reads them. An unreadable file, or one without a
/// certificate, is UNKNOWN.
pub fn check_file(
    path: &str,
    trust: &TrustStore,
    options: &VerifyOptions,
    thresholds: Thresholds,
) -> CheckResult {
    let bundle = match load_input(path, &LoadOptions::default()).and_then(|b| b.require_certs()) {
        Ok(b) => b,
        Err(e) => {
            return CheckResult::failed(
                path,
                Status::Unknown,
                format!(
                    "{}: nothing checked: {}",
                    sanitize(path),
                    sanitize(&e.to_string())
                ),
                thresholds,
            )
        }
    };
    let chain = bundle.ders();
    let mut options = options.clone();
    options.warn_days = thresholds.warning_days;
    let now = options.at.unwrap_or_else(OffsetDateTime::now_utc);
    options.at = Some(now);
    let report = verify_chain(&chain, trust, &options);
    evaluate(path, &chain, &report, thresholds, now)
}

/// Checks a server: captures its chain with [`fetch`] and verifies it — for the name in
/// `options.host`, or else the name it was reached by. A connection failure is CRITICAL;
/// a target that does not parse is UNKNOWN.
pub async fn check_server(
    target: &str,
    fetch_options: &FetchOptions,
    trust: &TrustStore,
    options: &VerifyOptions,
    thresholds: Thresholds,
) -> CheckResult {
    check_server_with_aia(target, fetch_options, trust, options, None, thresholds).await
}

/// [`check_server`], downloading missing issuers from AIA URLs first when `aia` is given.
async fn check_server_with_aia(
    target: &str,
    fetch_options: &FetchOptions,
    trust: &TrustStore,
    options: &VerifyOptions,
    aia: Option<&crate::fetch::AiaOptions>,
    thresholds: Thresholds,
) -> CheckResult {
    let parsed = match Target::parse(target) {
        Ok(t) => t,
        Err(e) => {
            return CheckResult::failed(
                target,
                Status::Unknown,
                format!("nothing checked: {}", sanitize(&e.to_string())),
                thresholds,
            )
        }
    };
    match fetch(&parsed, fetch_options).await {
        Ok(chain) => {
            let mut options = options.clone();
            if let Some(aia) = aia {
                options.aia =
                    crate::fetch::fetch_aia(&chain.certs, &options.untrusted, trust, aia).await;
            }
            judge_capture(&chain, &parsed.host, trust, &options, thresholds)
        }
        Err(e) => capture_failed(&parsed, &e, thresholds),
    }
}

/// The result for a failed capture: CRITICAL (the server cannot be reached as a client
/// would), UNKNOWN only for an option chainscope cannot use.
fn capture_failed(target: &Target, e: &FetchError, thresholds: Thresholds) -> CheckResult {
    let status = match e {
        FetchError::InvalidTarget { .. } | FetchError::InvalidOption { .. } => Status::Unknown,
        _ => Status::Critical,
    };
    let mut result = CheckResult::failed(
        &target.authority(),
        status,
        format!("no chain obtained: {}", sanitize(&e.to_string())),
        thresholds,
    );
    result.fetch_error = Some(e.code().to_owned());
    result
}

/// Verifies a captured chain and judges it (what [`check_server`] does after the capture).
/// Without `options.host`, the chain is verified for `host`, the name the target named
/// (not the `connect_to` address dialled).
pub fn judge_capture(
    chain: &PresentedChain,
    host: &str,
    trust: &TrustStore,
    options: &VerifyOptions,
    thresholds: Thresholds,
) -> CheckResult {
    let mut options = options.clone();
    options.warn_days = thresholds.warning_days;
    let now = options.at.unwrap_or_else(OffsetDateTime::now_utc);
    options.at = Some(now);
    if options.host.is_none() {
        options.host = parse_host(host).ok();
    }
    let report = verify_chain(&chain.certs, trust, &options);
    let mut result = evaluate(&chain.target, &chain.certs, &report, thresholds, now);
    let ms = chain.timing.handshake.as_secs_f64() * 1000.0;
    result.handshake_ms = Some(ms);
    result.perfdata.push(PerfData {
        label: "handshake_ms".into(),
        value: ms,
        warn: None,
        crit: None,
        decimals: 1,
    });
    result
}

/// Everything one `check` run is asked to do.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CheckOptions {
    /// How to connect to servers.
    pub fetch: FetchOptions,
    /// How to verify (trust anchors are passed separately); `host: None` checks each
    /// server for the name it was reached by, and files for no name.
    pub verify: VerifyOptions,
    /// The expiry thresholds.
    pub thresholds: Thresholds,
    /// Download missing issuers from AIA caIssuers URLs before verifying a server's chain
    /// (`None`: no downloads). Certificate files are verified as they are.
    pub aia: Option<crate::fetch::AiaOptions>,
}

/// Default connection and verification options, the default thresholds, no AIA downloads.
impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            fetch: FetchOptions::default(),
            verify: VerifyOptions::default(),
            thresholds: Thresholds::default(),
            aia: None,
        }
    }
}

/// Checks every input, servers concurrently, and combines the results in input order.
///
/// Runs on the caller's tokio runtime, any flavour, without tokio's timer driver. Outside
/// a tokio runtime every input is [`Status::Unknown`] with that reason.
///
/// # Panics
/// When awaited on a tokio runtime built without IO (`enable_io`) with a server among the
/// inputs: tokio's sockets panic there, and tokio offers no way to ask beforehand.
pub async fn check_all(
    inputs: &[CheckInput],
    trust: Arc<TrustStore>,
    options: &CheckOptions,
) -> CheckReport {
    if tokio::runtime::Handle::try_current().is_err() {
        let results = inputs
            .iter()
            .map(|input| {
                CheckResult::failed(
                    input.text(),
                    Status::Unknown,
                    format!(
                        "{}: check_all must be awaited inside a tokio runtime (use \
                         check_all_blocking without one)",
                        sanitize(input.text())
                    ),
                    options.thresholds,
                )
            })
            .collect();
        return CheckReport::new(results);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, input) in inputs.iter().enumerate() {
        let input = input.clone();
        let trust = Arc::clone(&trust);
        let options = options.clone();
        tasks.spawn(async move {
            let result = match &input {
                CheckInput::File(path) => {
                    check_file(path, &trust, &options.verify, options.thresholds)
                }
                CheckInput::Server(target) => {
                    check_server_with_aia(
                        target,
                        &options.fetch,
                        &trust,
                        &options.verify,
                        options.aia.as_ref(),
                        options.thresholds,
                    )
                    .await
                }
            };
            (i, result)
        });
    }
    let mut results: Vec<Option<CheckResult>> = vec![None; inputs.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, r)) = joined {
            results[i] = Some(r);
        }
    }
    let results = results
        .into_iter()
        .zip(inputs)
        .map(|(r, input)| {
            r.unwrap_or_else(|| {
                CheckResult::failed(
                    input.text(),
                    Status::Unknown,
                    format!("{}: the check did not finish", sanitize(input.text())),
                    options.thresholds,
                )
            })
        })
        .collect();
    CheckReport::new(results)
}

/// [`check_all`] on a current-thread tokio runtime of its own, for callers without one.
///
/// # Errors
/// An error of kind [`std::io::ErrorKind::WouldBlock`] when called from inside a tokio
/// runtime (await [`check_all`] there: blocking would stall the runtime, and tokio refuses
/// to nest); the runtime's own error when none can be built.
pub fn check_all_blocking(
    inputs: &[CheckInput],
    trust: Arc<TrustStore>,
    options: &CheckOptions,
) -> std::io::Result<CheckReport> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "check_all_blocking was called inside a tokio runtime, which cannot block on \
             another: await check_all instead",
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(check_all(inputs, trust, options)))
}

/// The results of one run, combined: plain data, serialized as JSON or rendered as
/// plugin output.
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CheckReport {
    /// The worst status of all results.
    pub status: Status,
    /// One result per input, in input order.
    pub results: Vec<CheckResult>,
}

impl CheckReport {
    /// Combines results: the worst status wins.
    pub fn new(results: Vec<CheckResult>) -> Self {
        let status = results
            .iter()
            .map(|r| r.status)
            .max_by_key(|s| s.rank())
            .unwrap_or(Status::Unknown);
        CheckReport { status, results }
    }

    /// A report for a usage error: UNKNOWN, with the message.
    pub fn unknown(message: &str) -> Self {
        CheckReport {
            status: Status::Unknown,
            results: vec![CheckResult::failed(
                "",
                Status::Unknown,
                sanitize(message),
                Thresholds::default(),
            )],
        }
    }

    /// The plugin output, one string per line: the status line with all perfdata, then
    /// (several inputs) one `STATUS - summary` line per input, then the details.
    pub fn plugin_output(&self) -> Vec<String> {
        let several = self.results.len() > 1;
        let perfdata: Vec<String> = self
            .results
            .iter()
            .flat_map(|r| {
                r.perfdata.iter().map(move |p| {
                    let mut p = p.clone();
                    if several {
                        p.label = format!("{} {}", r.input, p.label);
                    }
                    p.to_string()
                })
            })
            .collect();
        let summary = if several {
            let count = |s: Status| self.results.iter().filter(|r| r.status == s).count();
            let counts: Vec<String> = [
                Status::Critical,
                Status::Unknown,
                Status::Warning,
                Status::Ok,
            ]
            .into_iter()
            .filter(|s| count(*s) > 0)
            .map(|s| format!("{} {}", count(s), s.name()))
            .collect();
            let worst = self
                .results
                .iter()
                .find(|r| r.status == self.status)
                .map(|r| format!("; {}", r.summary))
                .unwrap_or_default();
            format!(
                "{} inputs: {}{worst}",
                self.results.len(),
                counts.join(", ")
            )
        } else {
            self.results
                .first()
                .map(|r| r.summary.clone())
                .unwrap_or_else(|| "nothing to check".into())
        };
        let mut first = format!("CHAINSCOPE {} - {summary}", self.status);
        if !perfdata.is_empty() {
            first.push_str(" | ");
            first.push_str(&perfdata.join(" "));
        }
        let mut lines = vec![first];
        if several {
            for r in &self.results {
                lines.push(format!("{} - {}", r.status, r.summary));
            }
        }
        for r in &self.results {
            for d in &r.details {
                if several {
                    lines.push(format!("{}: {d}", r.input));
                } else {
                    lines.push(d.clone());
                }
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perf(label: &str, value: f64) -> PerfData {
        PerfData {
            label: label.into(),
            value,
            warn: Some("30:".into()),
            crit: Some("14:".into()),
            decimals: 2,
        }
    }

    #[test]
    fn perfdata_follows_the_plugin_guidelines() {
        assert_eq!(
            perf("days_left", 45.678).to_string(),
            "days_left=45.67;30:;14:"
        );
        // Floored: a value printed 14.00 is never below 14.
        assert_eq!(
            perf("days_left", 13.9999).to_string(),
            "days_left=13.99;30:;14:"
        );
        assert_eq!(
            perf("days_left", -1.5).to_string(),
            "days_left=-1.50;30:;14:"
        );
        assert_eq!(
            perf("a.example:443 days_left", 1.0).to_string(),
            "'a.example:443 days_left'=1.00;30:;14:"
        );
        assert_eq!(perf("it's", 1.0).to_string(), "'it''s'=1.00;30:;14:");
        let ms = PerfData {
            label: "handshake_ms".into(),
            value: 3.25,
            warn: None,
            crit: None,
            decimals: 1,
        };
        assert_eq!(ms.to_string(), "handshake_ms=3.2");
    }

    #[test]
    fn thresholds_are_strictly_below() {
        let t = Thresholds::default();
        assert_eq!(t.status(30 * 86_400), Status::Ok);
        assert_eq!(t.status(30 * 86_400 - 1), Status::Warning);
        assert_eq!(t.status(14 * 86_400), Status::Warning);
        assert_eq!(t.status(14 * 86_400 - 1), Status::Critical);
        assert_eq!(t.status(-5), Status::Critical);
    }

    #[test]
    fn the_worst_status_wins_and_critical_outranks_unknown() {
        let r = |s| CheckResult::failed("x", s, "x".into(), Thresholds::default());
        let worst = |v: Vec<Status>| CheckReport::new(v.into_iter().map(r).collect()).status;
        assert_eq!(worst(vec![Status::Ok, Status::Warning]), Status::Warning);
        assert_eq!(
            worst(vec![Status::Warning, Status::Unknown]),
            Status::Unknown
        );
        assert_eq!(
            worst(vec![Status::Unknown, Status::Critical, Status::Ok]),
            Status::Critical
        );
        assert_eq!(worst(vec![]), Status::Unknown);
    }

    #[test]
    fn inputs_with_a_slash_are_files_and_urls_are_servers() {
        assert!(matches!(
            CheckInput::classify("/no/such/fullchain.pem"),
            CheckInput::File(_)
        ));
        assert!(matches!(
            CheckInput::classify("https://example.com/x"),
            CheckInput::Server(_)
        ));
        assert!(matches!(
            CheckInput::classify("example.com:443"),
            CheckInput::Server(_)
        ));
    }
}
