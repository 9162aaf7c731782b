//! The Prometheus exporter (feature `exporter`): an HTTP server with the multi-target
//! pattern of blackbox_exporter.
//!
//! - `GET /probe?target=HOST:PORT&module=NAME` runs one [probe](super::probe) and answers
//!   with its metrics, encoded by `prometheus-client` into a registry made for that probe
//!   (dropped after it, so memory stays flat however many targets are scraped);
//! - `GET /metrics`: the exporter's own metrics (probes, failures, durations, in flight);
//! - `GET /`: a small HTML page with the modules and the most recent probes.
//!
//! Probes run concurrently, at most [`ExporterConfig::max_concurrent_probes`] at once, each
//! bounded by its module's timeout (and by Prometheus' scrape timeout, from the
//! `X-Prometheus-Scrape-Timeout-Seconds` header): a slow or hostile target holds one permit
//! for at most that long, and `/metrics` and `/` never wait for probes.
//!
//! | metric | value |
//! |---|---|
//! | `chainscope_probe_success` | 1 when the chain was obtained (captured or read), verified or not |
//! | `chainscope_probe_duration_seconds` | how long the probe took |
//! | `chainscope_cert_not_after`, `chainscope_cert_not_before` | Unix seconds, one series per certificate: `position` (leaf/intermediate/root), `subject_cn`, `issuer_cn`, `serial`, `sha256`, and `file` for file probes |
//! | `chainscope_chain_verified` | 1 verified, 0 not (with `cause`, the verify code); `file` for file probes |
//! | `chainscope_verified_chain_not_after` | the soonest notAfter on the verified path (only when verified) |
//! | `chainscope_tls_version_info` | 1, with `version` (servers) |
//! | `chainscope_ocsp_stapled` | 1 when the server stapled an OCSP response, else 0 (servers) |
//! | `chainscope_probe_failure_info` | 1, with `code`, when no chain was obtained |

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
/// axum's router type, as [`router`] returns it (to mount the routes in an app of your own).
pub use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use tokio::sync::Semaphore;

use super::probe::{probe_files, probe_server, AllowedDirs, ProbeKind, ProbeModule, ProbeResult};
use crate::fetch::{FetchOptions, Sni, Starttls};
use crate::trust::TrustStore;
use crate::verify::{parse_host, Profile, VerifyOptions};

/// The content type of every metrics answer (`prometheus-client` writes OpenMetrics text).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// The address the exporter binds to unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9219";
/// How long [`serve`] waits for a request's headers before it closes the connection.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How many recent probes the `/` page lists.
const RECENT: usize = 50;
/// Taken off Prometheus' scrape timeout, so the answer arrives before Prometheus gives up.
const SCRAPE_MARGIN: Duration = Duration::from_millis(500);

/// Labels of one series: names and values, in order.
type Labels = Vec<(String, String)>;

/// The kind of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ModuleKind {
    /// TLS from the first byte.
    Tls,
    /// STARTTLS with [`ModuleConfig::protocol`] first.
    Starttls,
    /// Certificate files; the target is a path under an allowed directory.
    File,
}

/// One module of the configuration file (`[modules.NAME]`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ModuleConfig {
    /// `tls`, `starttls` or `file`.
    pub kind: ModuleKind,
    /// For `starttls`: smtp, imap, pop3, ftp, postgres, ldap, xmpp-client.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Trust anchors (`system`, `mozilla`, files, directories); default `system`.
    #[serde(default)]
    pub roots: Vec<String>,
    /// The name the certificate must be valid for; default: the target's host (servers),
    /// none (files).
    #[serde(default)]
    pub host: Option<String>,
    /// The SNI to send instead of the target's host name.
    #[serde(default)]
    pub sni: Option<String>,
    /// Limit on one probe (`5s`, `500ms`); default 10s.
    #[serde(default)]
    pub timeout: Option<String>,
    /// Verification profile: webpki, clients (default), rfc5280.
    #[serde(default)]
    pub profile: Option<String>,
}

/// The configuration file (TOML).
///
/// ```toml
/// allow_dirs = ["/etc/nginx/certs"]
/// max_concurrent_probes = 32
///
/// [modules.tls]
/// kind = "tls"
///
/// [modules.hospital]
/// kind = "tls"
/// roots = ["/etc/chainscope/hospital-ca.pem"]
/// timeout = "5s"
///
/// [modules.smtp]
/// kind = "starttls"
/// protocol = "smtp"
///
/// [modules.file]
/// kind = "file"
/// roots = ["/etc/chainscope/hospital-ca.pem"]
/// ```
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ExporterConfig {
    /// Directories file probes may read below (added to those the caller allows).
    #[serde(default)]
    pub allow_dirs: Vec<PathBuf>,
    /// Most probes running at once (default 32).
    #[serde(default = "default_concurrency")]
    pub max_concurrent_probes: usize,
    /// The module used when a probe names none (default `tls`).
    #[serde(default)]
    pub default_module: Option<String>,
    /// The modules, by name.
    #[serde(default)]
    pub modules: BTreeMap<String, ModuleConfig>,
}

fn default_concurrency() -> usize {
    32
}

impl Default for ExporterConfig {
    /// The built-in modules: `tls` (the default; system roots) and `file` (the target is a
    /// path; system roots).
    fn default() -> Self {
        let module = |kind| ModuleConfig {
            kind,
            protocol: None,
            roots: Vec::new(),
            host: None,
            sni: None,
            timeout: None,
            profile: None,
        };
        ExporterConfig {
            allow_dirs: Vec::new(),
            max_concurrent_probes: default_concurrency(),
            default_module: None,
            modules: BTreeMap::from([
                ("tls".to_owned(), module(ModuleKind::Tls)),
                ("file".to_owned(), module(ModuleKind::File)),
            ]),
        }
    }
}

/// A configuration or start-up error, naming the file, module or directory.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExporterError {
    message: String,
    code: &'static str,
    cause: Option<Box<crate::Error>>,
}

impl ExporterError {
    /// An error in the configuration itself (code `config`).
    fn config(message: impl Into<String>) -> Self {
        ExporterError {
            message: message.into(),
            code: "config",
            cause: None,
        }
    }

    /// A configuration value the library refused: `message` names where it sits (`module
    /// tls: ` and the cause's text), `cause` is the typed error.
    fn caused_by(message: impl Into<String>, cause: impl Into<crate::Error>) -> Self {
        let cause: crate::Error = cause.into();
        ExporterError {
            message: message.into(),
            code: cause.code(),
            cause: Some(Box::new(cause)),
        }
    }

    /// A stable code for matching, snake_case, never renamed: the cause's
    /// [`Error::code`](crate::Error::code) when a library call refused a value (a module's
    /// `roots`, `host`, `profile`, `timeout`), `allow_dir` when an allowed directory cannot
    /// be opened, else `config`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The typed error behind this one, when a library call refused a configured value.
    pub fn cause(&self) -> Option<&crate::Error> {
        self.cause.as_deref()
    }

    /// The parameter the cause names, when it names one ([`Error::hint`](crate::Error::hint)).
    pub fn hint(&self) -> Option<crate::Hint> {
        self.cause.as_ref().and_then(|e| e.hint())
    }
}

impl ExporterConfig {
    /// Parses a TOML configuration; `source` names it in errors.
    pub fn from_toml(text: &str, source: &str) -> Result<Self, ExporterError> {
        let config: ExporterConfig = toml::from_str(text)
            .map_err(|e| ExporterError::config(format!("{source}: {}", e.to_string().trim())))?;
        if config.modules.is_empty() {
            return Err(ExporterError::config(format!(
                "{source}: no [modules.NAME] defined"
            )));
        }
        Ok(config)
    }
}

/// One configured module, ready to probe with.
#[derive(Debug)]
struct Module {
    kind: ModuleKind,
    protocol: Option<Starttls>,
    roots: String,
    timeout: Duration,
    probe: Arc<ProbeModule>,
}

impl Module {
    fn new(name: &str, c: &ModuleConfig) -> Result<Module, ExporterError> {
        let bad = |what: String| ExporterError::config(format!("module {name}: {what}"));
        let refused = |e: crate::Error| ExporterError::caused_by(format!("module {name}: {e}"), e);
        let roots = if c.roots.is_empty() {
            vec!["system".to_owned()]
        } else {
            c.roots.clone()
        };
        let trust = TrustStore::from_specs(&roots).map_err(refused)?;
        let timeout = match &c.timeout {
            Some(t) => parse_duration(t).map_err(|e| refused(e.into()))?,
            None => crate::fetch::DEFAULT_TIMEOUT,
        };
        let protocol = match (c.kind, &c.protocol) {
            (ModuleKind::Starttls, Some(p)) => Some(
                p.parse::<Starttls>()
                    .map_err(|e| bad(format!("protocol: {e}")))?,
            ),
            (ModuleKind::Starttls, None) => {
                return Err(bad("kind starttls needs a protocol (smtp, imap, …)".into()))
            }
            (_, Some(_)) => return Err(bad("protocol is only for kind starttls".into())),
            (_, None) => None,
        };
        let mut verify = VerifyOptions::default();
        if let Some(h) = &c.host {
            verify.host = Some(parse_host(h).map_err(refused)?);
        }
        if let Some(p) = &c.profile {
            verify.profile = Profile::parse(p).map_err(refused)?;
        }
        let mut fetch = FetchOptions {
            timeout,
            ..FetchOptions::default()
        };
        if let Some(s) = &c.sni {
            fetch.sni = Sni::Name(s.clone());
        }
        let kind = match (c.kind, protocol) {
            (ModuleKind::Tls, _) => ProbeKind::Tls,
            (ModuleKind::Starttls, Some(p)) => ProbeKind::Starttls(p),
            (ModuleKind::Starttls, None) | (ModuleKind::File, _) => ProbeKind::File,
        };
        Ok(Module {
            kind: c.kind,
            protocol,
            roots: roots.join(", "),
            timeout,
            probe: Arc::new(ProbeModule {
                kind,
                trust: Arc::new(trust),
                verify,
                fetch,
            }),
        })
    }
}

/// A probe the `/` page lists.
#[derive(Debug, Clone)]
struct Recent {
    at: String,
    module: String,
    target: String,
    success: bool,
    duration: Duration,
    failure: Option<String>,
}

/// The exporter's own metrics.
#[derive(Debug)]
struct OwnMetrics {
    registry: Registry,
    probes: Family<Labels, Counter>,
    failures: Family<Labels, Counter>,
    durations: Family<Labels, Histogram, fn() -> Histogram>,
    in_flight: Gauge,
}

fn duration_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

impl OwnMetrics {
    fn new() -> OwnMetrics {
        let mut registry = Registry::default();
        let probes = Family::<Labels, Counter>::default();
        let failures = Family::<Labels, Counter>::default();
        let durations = Family::<Labels, Histogram, fn() -> Histogram>::new_with_constructor(
            duration_histogram,
        );
        let in_flight = Gauge::default();
        registry.register(
            "chainscope_exporter_probes",
            "Probes run, by module",
            probes.clone(),
        );
        registry.register(
            "chainscope_exporter_probe_failures",
            "Probes that obtained no chain, by module",
            failures.clone(),
        );
        registry.register(
            "chainscope_exporter_probe_duration_seconds",
            "How long probes took, by module",
            durations.clone(),
        );
        registry.register(
            "chainscope_exporter_probes_in_flight",
            "Probes running now",
            in_flight.clone(),
        );
        OwnMetrics {
            registry,
            probes,
            failures,
            durations,
            in_flight,
        }
    }
}

/// The exporter: modules, allowed directories, the concurrency bound, its own metrics.
#[derive(Debug)]
pub struct Exporter {
    modules: BTreeMap<String, Module>,
    default_module: String,
    allowed: Arc<AllowedDirs>,
    permits: Arc<Semaphore>,
    max_concurrent: usize,
    metrics: OwnMetrics,
    recent: Mutex<VecDeque<Recent>>,
}

impl Exporter {
    /// Loads every module's trust store and canonicalizes the allowed directories.
    pub fn new(config: &ExporterConfig) -> Result<Exporter, ExporterError> {
        let mut modules = BTreeMap::new();
        for (name, c) in &config.modules {
            modules.insert(name.clone(), Module::new(name, c)?);
        }
        let default_module = config
            .default_module
            .clone()
            .unwrap_or_else(|| "tls".to_owned());
        if !modules.contains_key(&default_module) && config.default_module.is_some() {
            return Err(ExporterError::config(format!(
                "default_module {default_module}: no such module"
            )));
        }
        let allowed = AllowedDirs::new(&config.allow_dirs).map_err(|e| ExporterError {
            message: e.to_string(),
            code: "allow_dir",
            cause: None,
        })?;
        if config.max_concurrent_probes == 0 {
            return Err(ExporterError::config(
                "max_concurrent_probes: must be at least 1",
            ));
        }
        Ok(Exporter {
            modules,
            default_module,
            allowed: Arc::new(allowed),
            permits: Arc::new(Semaphore::new(config.max_concurrent_probes)),
            max_concurrent: config.max_concurrent_probes,
            metrics: OwnMetrics::new(),
            recent: Mutex::new(VecDeque::with_capacity(RECENT)),
        })
    }

    /// The module names.
    pub fn module_names(&self) -> impl Iterator<Item = &str> {
        self.modules.keys().map(String::as_str)
    }

    /// Runs one probe with module `module` (the default module when `None`), bounded by
    /// the module's timeout and `scrape_timeout`. `None` when the module does not exist.
    pub async fn probe(
        &self,
        module: Option<&str>,
        target: &str,
        scrape_timeout: Option<Duration>,
    ) -> Option<(ProbeResult, ModuleKind)> {
        let name = module.unwrap_or(&self.default_module);
        let m = self.modules.get(name)?;
        let mut limit = m.timeout;
        if let Some(t) = scrape_timeout {
            let t = t
                .saturating_sub(SCRAPE_MARGIN)
                .max(Duration::from_millis(100));
            limit = limit.min(t);
        }
        let started = Instant::now();
        self.metrics.in_flight.inc();
        let result = match tokio::time::timeout(limit, self.run(m, target, limit)).await {
            Ok(r) => r,
            Err(_) => ProbeResult::failed(
                "timeout",
                format!("{target}: no result within {}", crate::fetch::human(limit)),
                started,
            ),
        };
        self.metrics.in_flight.dec();
        let labels: Labels = vec![("module".into(), name.to_owned())];
        self.metrics.probes.get_or_create(&labels).inc();
        if !result.success {
            self.metrics.failures.get_or_create(&labels).inc();
        }
        self.metrics
            .durations
            .get_or_create(&labels)
            .observe(result.duration.as_secs_f64());
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() == RECENT {
                recent.pop_front();
            }
            recent.push_back(Recent {
                at: crate::instant::rfc3339(time::OffsetDateTime::now_utc()),
                module: name.to_owned(),
                target: target.chars().take(256).collect(),
                success: result.success,
                duration: result.duration,
                failure: result
                    .failure
                    .as_ref()
                    .map(|f| format!("{}: {}", f.code, f.message)),
            });
        }
        Some((result, m.kind))
    }

    async fn run(&self, m: &Module, target: &str, limit: Duration) -> ProbeResult {
        let started = Instant::now();
        // Waiting for a permit counts against the probe's limit (the caller's timeout).
        let Ok(_permit) = self.permits.acquire().await else {
            return ProbeResult::failed("busy", "the exporter is shutting down", started);
        };
        let mut result = match m.kind {
            ModuleKind::File => {
                let allowed = Arc::clone(&self.allowed);
                let module = Arc::clone(&m.probe);
                let target = target.to_owned();
                tokio::task::spawn_blocking(move || probe_files(&target, &allowed, &module))
                    .await
                    .unwrap_or_else(|e| ProbeResult::failed("internal", e.to_string(), started))
            }
            ModuleKind::Tls | ModuleKind::Starttls => {
                let mut module = (*m.probe).clone();
                module.fetch.timeout = limit;
                probe_server(target, &module).await
            }
        };
        result.duration = started.elapsed();
        result
    }

    /// The exporter's own metrics, encoded.
    pub fn own_metrics(&self) -> String {
        let mut out = String::new();
        let _ = encode(&mut out, &self.metrics.registry);
        out
    }

    /// The `/` page.
    pub fn index_html(&self) -> String {
        let mut page = String::from(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>chainscope exporter</title></head><body>\n\
             <h1>chainscope exporter</h1>\n<p><a href=\"/metrics\">Exporter metrics</a> &middot; probe with \
             <code>/probe?target=HOST:PORT&amp;module=NAME</code></p>\n<h2>Modules</h2>\n\
             <table border=\"1\"><tr><th>name</th><th>kind</th><th>roots</th><th>timeout</th></tr>\n",
        );
        for (name, m) in &self.modules {
            let kind = match (m.kind, m.protocol) {
                (ModuleKind::Starttls, Some(p)) => format!("starttls {}", p.name()),
                (ModuleKind::Tls, _) => "tls".into(),
                (ModuleKind::Starttls, None) => "starttls".into(),
                (ModuleKind::File, _) => "file".into(),
            };
            let default = if *name == self.default_module {
                " (default)"
            } else {
                ""
            };
            page.push_str(&format!(
                "<tr><td>{}{default}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                html(name),
                html(&kind),
                html(&m.roots),
                html(&crate::fetch::human(m.timeout))
            ));
        }
        page.push_str(&format!(
            "</table>\n<p>At most {} probes at once. File probes may read below: {}.</p>\n",
            self.max_concurrent,
            if self.allowed.dirs().is_empty() {
                "nothing (file probes are refused)".to_owned()
            } else {
                self.allowed
                    .dirs()
                    .iter()
                    .map(|d| html(&d.display().to_string()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
        page.push_str(
            "<h2>Recent probes</h2>\n<table border=\"1\"><tr><th>time</th><th>module</th><th>target</th>\
             <th>result</th><th>duration</th><th>reason</th></tr>\n",
        );
        let recent: Vec<Recent> = self
            .recent
            .lock()
            .map(|r| r.iter().rev().cloned().collect())
            .unwrap_or_default();
        for r in recent {
            page.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3} s</td><td>{}</td></tr>\n",
                html(&r.at),
                html(&r.module),
                html(&r.target),
                if r.success { "chain obtained" } else { "failed" },
                r.duration.as_secs_f64(),
                html(r.failure.as_deref().unwrap_or(""))
            ));
        }
        page.push_str("</table>\n</body></html>\n");
        page
    }
}

/// Text made safe inside HTML elements and attribute values.
pub(crate) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The metrics of one probe, encoded (OpenMetrics text) from a registry made for it.
pub fn encode_probe(result: &ProbeResult, kind: ModuleKind) -> String {
    let mut registry = Registry::default();
    let success = Gauge::<i64>::default();
    success.set(i64::from(result.success));
    registry.register(
        "chainscope_probe_success",
        "Whether the chain was obtained (handshake captured or file read), verified or not",
        success,
    );
    let duration = Gauge::<f64, AtomicU64>::default();
    duration.set(result.duration.as_secs_f64());
    registry.register(
        "chainscope_probe_duration_seconds",
        "How long the probe took",
        duration,
    );
    if let Some(f) = &result.failure {
        let failure = Family::<Labels, Gauge>::default();
        failure
            .get_or_create(&vec![("code".into(), f.code.clone())])
            .set(1);
        registry.register(
            "chainscope_probe_failure_info",
            "Why no chain was obtained (code label)",
            failure,
        );
    }
    if !result.certs.is_empty() {
        let not_after = Family::<Labels, Gauge>::default();
        let not_before = Family::<Labels, Gauge>::default();
        for c in &result.certs {
            let mut labels: Labels = vec![
                ("position".into(), c.position.name().into()),
                ("subject_cn".into(), c.subject_cn.clone()),
                ("issuer_cn".into(), c.issuer_cn.clone()),
                ("serial".into(), c.serial.clone()),
                ("sha256".into(), c.sha256.clone()),
            ];
            if let Some(f) = &c.file {
                labels.push(("file".into(), f.clone()));
            }
            not_after.get_or_create(&labels).set(c.not_after);
            not_before.get_or_create(&labels).set(c.not_before);
        }
        registry.register(
            "chainscope_cert_not_after",
            "notAfter of each certificate, Unix seconds",
            not_after,
        );
        registry.register(
            "chainscope_cert_not_before",
            "notBefore of each certificate, Unix seconds",
            not_before,
        );
    }
    if !result.chains.is_empty() {
        let verified = Family::<Labels, Gauge>::default();
        let verified_not_after = Family::<Labels, Gauge>::default();
        let mut any_verified = false;
        for chain in &result.chains {
            let mut labels: Labels = Vec::new();
            if let Some(f) = &chain.file {
                labels.push(("file".into(), f.clone()));
            }
            if let Some(t) = chain.verified_not_after {
                verified_not_after.get_or_create(&labels).set(t);
                any_verified = true;
            }
            if let Some(cause) = &chain.cause {
                labels.push(("cause".into(), cause.clone()));
            }
            verified
                .get_or_create(&labels)
                .set(i64::from(chain.verified));
        }
        registry.register(
            "chainscope_chain_verified",
            "1 when the chain verifies, 0 when not (cause label: the verify code)",
            verified,
        );
        if any_verified {
            registry.register(
                "chainscope_verified_chain_not_after",
                "The soonest notAfter on the verified path, Unix seconds",
                verified_not_after,
            );
        }
    }
    if let Some(v) = &result.tls_version {
        let version = Family::<Labels, Gauge>::default();
        version
            .get_or_create(&vec![("version".into(), v.clone())])
            .set(1);
        registry.register(
            "chainscope_tls_version_info",
            "The negotiated TLS version (version label)",
            version,
        );
    }
    if kind != ModuleKind::File && result.success {
        let stapled = Gauge::<i64>::default();
        stapled.set(i64::from(result.ocsp_stapled.unwrap_or(false)));
        registry.register(
            "chainscope_ocsp_stapled",
            "1 when the server stapled an OCSP response",
            stapled,
        );
    }
    let mut out = String::new();
    let _ = encode(&mut out, &registry);
    out
}

/// The HTTP routes: `/probe`, `/metrics`, `/`.
pub fn router(exporter: Arc<Exporter>) -> Router {
    Router::new()
        .route("/probe", get(probe_handler))
        .route("/metrics", get(metrics_handler))
        .route("/", get(index_handler))
        .with_state(exporter)
}

/// Serves the exporter on `listener` until the process ends, closing any connection whose
/// request headers take longer than [`HEADER_READ_TIMEOUT`] to arrive.
pub async fn serve(
    listener: tokio::net::TcpListener,
    exporter: Arc<Exporter>,
) -> std::io::Result<()> {
    serve_with_header_timeout(listener, exporter, HEADER_READ_TIMEOUT).await
}

/// [`serve`] with another bound on reading a request's headers. A client that connects
/// and sends a request slowly, or half of one (slowloris), is disconnected once the bound
/// passes, so it holds neither a connection nor a task for longer. Needs a runtime with
/// tokio's timer driver (`enable_time`), as the probes' deadlines do.
pub async fn serve_with_header_timeout(
    listener: tokio::net::TcpListener,
    exporter: Arc<Exporter>,
    header_read_timeout: Duration,
) -> std::io::Result<()> {
    let service = TowerToHyperService::new(router(exporter));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    loop {
        let socket = match listener.accept().await {
            Ok((socket, _)) => socket,
            // The client gave up before it was accepted: nothing to serve.
            Err(e) if is_connection_error(&e) => continue,
            // Out of file descriptors and the like: wait instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let connection = http.serve_connection(TokioIo::new(socket), service.clone());
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}

/// Whether an `accept` error concerns only that one connection.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

async fn probe_handler(
    State(exporter): State<Arc<Exporter>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let Some(target) = query.get("target").filter(|t| !t.is_empty()) else {
        return (StatusCode::BAD_REQUEST, "target parameter is missing\n").into_response();
    };
    let scrape_timeout = headers
        .get("X-Prometheus-Scrape-Timeout-Seconds")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 86_400.0)
        .map(Duration::from_secs_f64);
    let module = query.get("module").map(String::as_str);
    match exporter.probe(module, target, scrape_timeout).await {
        Some((result, kind)) => (
            [(header::CONTENT_TYPE, CONTENT_TYPE)],
            encode_probe(&result, kind),
        )
            .into_response(),
        None => (
            StatusCode::BAD_REQUEST,
            format!(
                "unknown module {:?} (modules: {})\n",
                module.unwrap_or_default(),
                exporter.module_names().collect::<Vec<_>>().join(", ")
            ),
        )
            .into_response(),
    }
}

async fn metrics_handler(State(exporter): State<Arc<Exporter>>) -> Response {
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        exporter.own_metrics(),
    )
        .into_response()
}

/// Parses a module's `timeout` as the configuration file writes it: `5s`, `500ms`, `1m`,
/// `1.5s`, `2h`; a bare number means seconds.
fn parse_duration(text: &str) -> Result<Duration, crate::fetch::FetchError> {
    let bad = |reason: &str| crate::fetch::FetchError::InvalidOption {
        option: format!("duration `{text}`"),
        reason: reason.to_string(),
    };
    let t = text.trim().to_ascii_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| bad("expected a number with an optional unit: 5s, 500ms, 1m"))?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "ms" => 0.001,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => return Err(bad(&format!("unknown unit `{other}` (use ms, s, m, h)"))),
    };
    let secs = value * scale;
    // Timers work in whole milliseconds: a shorter limit would print as "0ms" and expire
    // before any connection could be made.
    if !secs.is_finite() || !(0.001..=86_400.0).contains(&secs) {
        return Err(bad("must be at least 1ms and at most a day"));
    }
    Ok(Duration::from_secs_f64(secs))
}

async fn index_handler(State(exporter): State<Arc<Exporter>>) -> Html<String> {
    Html(exporter.index_html())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::probe::{CertFacts, ChainVerdict, Position};

    #[test]
    fn durations_accept_units_and_bare_seconds() {
        assert_eq!(parse_duration("5s").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        for bad in ["", "s", "0", "-1s", "5 parsecs", "1e9"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }

    #[test]
    fn config_parses_modules_and_rejects_unknown_fields() {
        let c = ExporterConfig::from_toml(
            "allow_dirs = [\"/tmp\"]\n[modules.smtp]\nkind = \"starttls\"\nprotocol = \"smtp\"\ntimeout = \"3s\"\n",
            "test.toml",
        )
        .unwrap();
        assert_eq!(c.modules["smtp"].kind, ModuleKind::Starttls);
        let e = ExporterConfig::from_toml("[modules.x]\nkind = \"tls\"\nroot = []\n", "bad.toml")
            .unwrap_err();
        assert!(e.to_string().starts_with("bad.toml: "), "{e}");
        let e = ExporterConfig::from_toml("[modules.x]\nkind = \"ftp\"\n", "bad.toml").unwrap_err();
        assert!(e.to_string().contains("ftp"), "{e}");
        let c = ExporterConfig::from_toml("[modules.s]\nkind = \"starttls\"\n", "t").unwrap();
        let e = Exporter::new(&c).unwrap_err();
        assert!(e.to_string().contains("needs a protocol"), "{e}");
        assert_eq!(e.code(), "config");
        assert!(e.cause().is_none());
    }

    #[test]
    fn a_refused_module_value_keeps_its_typed_error() {
        let c =
            ExporterConfig::from_toml("[modules.x]\nkind = \"tls\"\nhost = \"bad host!\"\n", "t")
                .unwrap();
        let e = Exporter::new(&c).unwrap_err();
        assert!(e.to_string().starts_with("module x: host: "), "{e}");
        assert_eq!(e.code(), "invalid_argument");
        assert_eq!(e.hint(), Some(crate::Hint::Host));
        assert!(matches!(
            e.cause(),
            Some(crate::Error::InvalidArgument { .. })
        ));
        let c = ExporterConfig::from_toml("[modules.x]\nkind = \"tls\"\ntimeout = \"soon\"\n", "t")
            .unwrap();
        let e = Exporter::new(&c).unwrap_err();
        assert_eq!(e.code(), "invalid_option", "{e}");
        assert!(matches!(e.cause(), Some(crate::Error::Fetch(_))), "{e:?}");
    }

    #[test]
    fn probe_metrics_carry_every_certificate_and_the_verdict() {
        let cert = |position, cn: &str| CertFacts {
            position,
            subject_cn: cn.into(),
            issuer_cn: "Issuer \"quoted\"\nCA".into(),
            serial: "01ab".into(),
            sha256: "ff".into(),
            not_before: 1_700_000_000,
            not_after: 1_800_000_000,
            file: None,
        };
        let result = ProbeResult {
            success: true,
            duration: Duration::from_millis(12),
            failure: None,
            certs: vec![
                cert(Position::Leaf, "a.example"),
                cert(Position::Intermediate, "CA"),
            ],
            chains: vec![ChainVerdict {
                file: None,
                verified: false,
                cause: Some("expired".into()),
                verified_not_after: None,
            }],
            tls_version: Some("TLSv1.3".into()),
            ocsp_stapled: Some(false),
        };
        let text = encode_probe(&result, ModuleKind::Tls);
        assert!(text.contains("chainscope_probe_success 1\n"), "{text}");
        assert!(text.contains(
            "chainscope_cert_not_after{position=\"leaf\",subject_cn=\"a.example\",issuer_cn=\"Issuer \\\"quoted\\\"\\nCA\",serial=\"01ab\",sha256=\"ff\"} 1800000000\n"
        ), "{text}");
        assert!(
            text.contains("chainscope_chain_verified{cause=\"expired\"} 0\n"),
            "{text}"
        );
        assert!(
            !text.contains("chainscope_verified_chain_not_after"),
            "{text}"
        );
        assert!(
            text.contains("chainscope_tls_version_info{version=\"TLSv1.3\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("chainscope_ocsp_stapled 0\n"), "{text}");
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
