//! `chainscope check`: a monitoring plugin (Nagios, Icinga, Sensu). Parses the flags, asks
//! the library ([`chainscope::monitor::check`]) for the report, prints its plugin output.

use std::path::Path;
use std::sync::Arc;

use chainscope::load::{load_input, LoadOptions};
use chainscope::monitor::check::{
    check_all_blocking, CheckInput, CheckOptions, CheckReport, Thresholds,
};
use chainscope::trust::TrustStore;
use chainscope::verify::{parse_host, Crl, Profile, Purpose, VerifyOptions};

use crate::Ctx;

/// The plugin protocol's UNKNOWN exit code, also for usage errors.
pub const EXIT_UNKNOWN: i32 = 3;

/// What `chainscope check --help` ends with.
pub const AFTER_HELP: &str = "\
Examples:
  chainscope check proxy.hospital.local:443 --roots ca.pem -w 30 -c 14
  chainscope check --starttls smtp mail.example.com:587
  chainscope check /etc/nginx/certs/fullchain.pem a.example:8443 --host proxy.hospital.local

Output: CHAINSCOPE OK|WARNING|CRITICAL|UNKNOWN - summary | days_left=…;30:;14:
path_days_left=…;30:;14: handshake_ms=… (ranges: 30: = alert below 30), then one line per
input when there are several, then details. The exit codes are the plugin protocol's, not
chainscope's usual 0/1/2: a usage error is 3 here.

Exit codes:
  0  OK        every chain verifies and nothing on its path expires within -w days
  1  WARNING   the soonest expiry on a path is within -w days
  2  CRITICAL  a chain does not verify, expires within -c days, or a server cannot be reached
  3  UNKNOWN   a usage error, or nothing could be checked (unreadable file, bad target)";

/// Arguments of `chainscope check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Servers (anything `fetch` takes: HOST[:PORT], smtp://HOST, a URL) or certificate
    /// files (a path that exists, or contains a `/`). Several: the worst status wins.
    #[arg(value_name = "TARGET|FILE", required = true)]
    pub inputs: Vec<String>,

    /// WARNING when the soonest expiry on the path is less than DAYS away.
    #[arg(
        short = 'w',
        long = "warning",
        value_name = "DAYS",
        default_value_t = 30
    )]
    pub warning: u32,

    /// CRITICAL when the soonest expiry on the path is less than DAYS away.
    #[arg(
        short = 'c',
        long = "critical",
        value_name = "DAYS",
        default_value_t = 14
    )]
    pub critical: u32,

    /// Trust anchors: `system`, `mozilla`, or a PEM/DER/PKCS#7 file or directory.
    /// Repeatable. Default: system.
    #[arg(long = "roots", value_name = "SOURCE")]
    pub roots: Vec<String>,

    /// Extra intermediates to build paths with (not sent by the server). Repeatable.
    #[arg(long = "untrusted", value_name = "FILE")]
    pub untrusted: Vec<String>,

    /// The name the certificate must be valid for. Default: a server's host name; for
    /// files, no name is checked.
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,

    /// Required purpose: server (default), client, any, or a dotted OID. Repeatable.
    #[arg(long = "purpose", value_name = "PURPOSE")]
    pub purposes: Vec<String>,

    /// Check revocation against this CRL. Repeatable.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<String>,

    /// Download missing issuers from AIA caIssuers URLs (HTTP only, bounded).
    #[arg(long)]
    pub aia: bool,

    /// How strict: webpki, clients (default), rfc5280.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// Same as --profile rfc5280.
    #[arg(long, conflicts_with = "profile")]
    pub strict: bool,

    /// Print the report as JSON instead of plugin output (same exit code).
    #[arg(long)]
    pub json: bool,

    /// How to connect to servers (the options of `fetch`).
    #[command(flatten)]
    pub connection: crate::cmd::fetch::ConnectionFlags,
}

impl CheckArgs {
    fn verify_options(&self) -> anyhow::Result<VerifyOptions> {
        let profile = match (&self.profile, self.strict) {
            (_, true) => Profile::Rfc5280,
            (Some(p), false) => Profile::parse(p)?,
            (None, false) => Profile::default(),
        };
        let mut options = VerifyOptions::default();
        options.profile = profile;
        if let Some(h) = &self.host {
            options.host = Some(parse_host(h)?);
        }
        for p in &self.purposes {
            options.purposes.push(Purpose::parse(p)?);
        }
        for file in &self.untrusted {
            let bundle = load_input(file, &LoadOptions::default())?.require_certs()?;
            options.untrusted.extend(bundle.ders());
        }
        for file in &self.crls {
            options.crls.extend(Crl::load(Path::new(file))?);
        }
        Ok(options)
    }

    fn trust_store(&self) -> anyhow::Result<TrustStore> {
        if self.roots.is_empty() {
            // The library's message names the alternatives; here they are flags.
            return TrustStore::system()
                .map_err(|e| anyhow::anyhow!("{e} (--roots mozilla or --roots FILE)"));
        }
        Ok(TrustStore::from_specs(&self.roots)?)
    }
}

/// The report for these arguments; any problem with the flags themselves is an UNKNOWN
/// report naming it.
fn report(args: &CheckArgs) -> CheckReport {
    let prepared = (|| -> anyhow::Result<_> {
        let mut options = CheckOptions::default();
        options.aia = args
            .aia
            .then(|| chainscope::fetch::AiaOptions::with_connection(&args.connection.to_options()));
        options.fetch = args.connection.to_options();
        options.verify = args.verify_options()?;
        options.thresholds = Thresholds::new(args.warning, args.critical);
        Ok((options, args.trust_store()?))
    })();
    let (options, trust) = match prepared {
        Ok(p) => p,
        Err(e) => return CheckReport::unknown(&crate::output::one_line(&e)),
    };
    let inputs: Vec<CheckInput> = args
        .inputs
        .iter()
        .map(|i| CheckInput::classify(i))
        .collect();
    match check_all_blocking(&inputs, Arc::new(trust), &options) {
        Ok(report) => report,
        Err(e) => CheckReport::unknown(&format!("cannot start the checks: {e}")),
    }
}

/// Runs `chainscope check`; the exit code is the plugin status (0–3).
pub fn run(args: &CheckArgs, ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    let report = report(args);
    if args.json {
        ctx.json(&report)?;
    } else {
        for line in report.plugin_output() {
            // Already sanitized for the plugin protocol by the library (monitor::sanitize).
            writeln!(ctx.out, "{line}")?;
        }
    }
    Ok(report.status.exit_code())
}

/// The UNKNOWN status line for a command line clap could not parse (plugin protocol: usage
/// errors are UNKNOWN, exit 3).
pub fn usage_error_line(message: &str) -> String {
    // clap's first paragraph (`error: …` and what it lists), on one line.
    let paragraph: Vec<&str> = message
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    let joined = paragraph.join(" ");
    let first = joined.strip_prefix("error: ").unwrap_or(&joined);
    let first = if first.is_empty() {
        "usage error"
    } else {
        first
    };
    let report = CheckReport::unknown(&format!("usage: {first}"));
    report.plugin_output().remove(0)
}
