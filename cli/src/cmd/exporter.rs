//! `chainscope exporter`: the Prometheus exporter. Parses the flags and the configuration
//! file, then serves [`chainscope::monitor::exporter`] until the process is stopped.

use std::sync::Arc;

use anyhow::Context as _;
use chainscope::monitor::exporter::{serve, Exporter, ExporterConfig, DEFAULT_LISTEN};

use crate::Ctx;

/// What `chainscope exporter --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope exporter
  chainscope exporter --listen 0.0.0.0:9219 --config /etc/chainscope/exporter.toml
  chainscope exporter --allow-dir /etc/nginx/certs

Endpoints: /probe?target=HOST:PORT&module=NAME (metrics of one probe), /metrics (the
exporter's own), / (modules and recent probes). Without --config the modules are `tls`
(the default; system roots) and `file` (the target is a path under an --allow-dir).

Exit codes:
  0  the server stopped (it runs until the process is stopped)
  2  the configuration, a module's roots, an --allow-dir or the address is unusable";

/// Largest configuration file read.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Arguments of `chainscope exporter`.
#[derive(Debug, clap::Args)]
pub struct ExporterArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    pub listen: String,

    /// Modules and limits, TOML (see the README); default: modules `tls` and `file`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,

    /// A directory file probes may read below. Repeatable; added to the config's.
    #[arg(long = "allow-dir", value_name = "DIR")]
    pub allow_dirs: Vec<String>,

    /// Most probes running at once (overrides the config's max_concurrent_probes).
    #[arg(long, value_name = "N")]
    pub max_concurrent_probes: Option<usize>,
}

fn config(args: &ExporterArgs) -> anyhow::Result<ExporterConfig> {
    let mut config = match &args.config {
        None => ExporterConfig::default(),
        Some(path) => {
            use std::io::Read as _;
            let file = std::fs::File::open(path)
                .with_context(|| format!("--config {}", crate::output::term(path)))?;
            let mut text = String::new();
            file.take(MAX_CONFIG_BYTES + 1)
                .read_to_string(&mut text)
                .with_context(|| format!("--config {}", crate::output::term(path)))?;
            if text.len() as u64 > MAX_CONFIG_BYTES {
                anyhow::bail!(
                    "--config {}: larger than {MAX_CONFIG_BYTES} bytes",
                    crate::output::term(path)
                );
            }
            ExporterConfig::from_toml(&text, &format!("--config {}", crate::output::term(path)))?
        }
    };
    config
        .allow_dirs
        .extend(args.allow_dirs.iter().map(std::path::PathBuf::from));
    if let Some(n) = args.max_concurrent_probes {
        config.max_concurrent_probes = n;
    }
    Ok(config)
}

/// Runs `chainscope exporter` (returns only on a start-up error).
pub fn run(args: &ExporterArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let config = config(args)?;
    let exporter = Arc::new(Exporter::new(&config)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(&args.listen))
        .with_context(|| format!("--listen {}", crate::output::term(&args.listen)))?;
    let addr = listener.local_addr()?;
    writeln!(
        ctx.err,
        "chainscope exporter listening on http://{addr}/ (modules: {})",
        exporter.module_names().collect::<Vec<_>>().join(", ")
    )?;
    ctx.err.flush()?;
    runtime
        .block_on(serve(listener, exporter))
        .context("the HTTP server stopped")?;
    Ok(crate::EXIT_OK)
}
