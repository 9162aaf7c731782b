//! An async multi-server probe: captures every target concurrently with
//! `chainscope::fetch::fetch` and verifies each chain for the name in its target.
//!
//! `chainscope-probe [--current-thread] [--roots FILE] [--connect-to ADDR] TARGET...`
//!
//! By default it runs under `#[tokio::main]` (the multi-threaded runtime); with
//! `--current-thread` on a current-thread runtime built with IO only — no timer driver,
//! which chainscope does not need. One line per target, in input order; exit 0 when every
//! chain is valid, 1 when one is not, 2 when a target could not be captured.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use chainscope::fetch::{fetch, verify_presented, FetchOptions, Target};
use chainscope::{TrustStore, VerifyOptions};
use tokio::task::JoinSet;

struct Args {
    current_thread: bool,
    roots: Option<String>,
    connect_to: Option<String>,
    targets: Vec<String>,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        current_thread: false,
        roots: None,
        connect_to: None,
        targets: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--current-thread" => args.current_thread = true,
            "--roots" => args.roots = Some(it.next().ok_or("--roots needs a FILE")?),
            "--connect-to" => args.connect_to = Some(it.next().ok_or("--connect-to needs ADDR")?),
            _ => args.targets.push(a),
        }
    }
    if args.targets.is_empty() {
        return Err("usage: chainscope-probe [--current-thread] [--roots FILE] [--connect-to ADDR] TARGET...".into());
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("chainscope-probe: {e}");
            return ExitCode::from(2);
        }
    };
    let code = if args.current_thread {
        match tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        {
            Ok(rt) => rt.block_on(probe(args)),
            Err(e) => {
                eprintln!("chainscope-probe: runtime: {e}");
                2
            }
        }
    } else {
        multi_threaded(args)
    };
    ExitCode::from(code)
}

#[tokio::main]
async fn multi_threaded(args: Args) -> u8 {
    probe(args).await
}

async fn probe(args: Args) -> u8 {
    let trust = match &args.roots {
        Some(path) => TrustStore::from_path(path.as_ref()),
        None => TrustStore::system(),
    };
    let trust = match trust {
        Ok(t) => Arc::new(t),
        Err(e) => {
            eprintln!("chainscope-probe: {:?}", e.to_string());
            return 2;
        }
    };
    let mut options = FetchOptions::default();
    options.timeout = Duration::from_secs(5);
    options.connect_to = args.connect_to.clone();
    let options = Arc::new(options);

    let mut running = JoinSet::new();
    for (i, text) in args.targets.iter().cloned().enumerate() {
        let (trust, options) = (trust.clone(), options.clone());
        running.spawn(async move {
            let line = match Target::parse(&text) {
                Err(e) => Err(e),
                Ok(target) => fetch(&target, &options).await,
            }
            .map(|chain| {
                let report = verify_presented(&chain, &trust, &VerifyOptions::default());
                let verdict = match &report.error {
                    None if report.valid => "VALID".to_owned(),
                    None => "NOT VALID".to_owned(),
                    Some(e) => format!("NOT VALID [{}]", e.code),
                };
                (
                    report.valid,
                    format!(
                        "{}: {verdict} for {} ({} certificates, {})",
                        chain.target,
                        report.host.as_deref().unwrap_or("-"),
                        chain.certs.len(),
                        chain.tls_version.as_deref().unwrap_or("?")
                    ),
                )
            });
            (i, text, line)
        });
    }
    let mut lines = Vec::new();
    while let Some(joined) = running.join_next().await {
        if let Ok(result) = joined {
            lines.push(result);
        }
    }
    lines.sort_by_key(|(i, _, _)| *i);
    let mut code = 0;
    for (_, text, line) in lines {
        match line {
            Ok((valid, text)) => {
                if !valid && code == 0 {
                    code = 1;
                }
                // Server-supplied text, escaped for the terminal.
                println!("{}", text.escape_debug());
            }
            Err(e) => {
                code = 2;
                let line = format!("{text}: error [{}] {e}", e.code());
                println!("{}", line.escape_debug());
            }
        }
    }
    code
}
