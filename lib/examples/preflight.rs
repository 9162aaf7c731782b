//! The go-live checklist for a proxy's certificate files.
//!
//! `cargo run -p chainscope --example preflight -- CERT KEY ROOTS HOST`
//! (defaults: the ecdsa fixture chain, its key and root, `localhost`).

use chainscope::preflight::{run, CheckStatus, PreflightOptions, Requirements};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut next = |default: &str| args.next().unwrap_or_else(|| default.to_owned());
    let options = PreflightOptions {
        cert: Some(next("certs-fixtures/ecdsa/chain.pem").into()),
        key: Some(next("certs-fixtures/ecdsa/leaf.key").into()),
        roots: vec![next("certs-fixtures/ecdsa/root.pem")],
        requirements: Requirements {
            hosts: vec![next("localhost")],
            ..Requirements::default()
        },
        ..PreflightOptions::default()
    };
    let report = run(&options)?;
    for check in &report.checks {
        let mark = match check.status {
            CheckStatus::Pass => "ok  ",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "FAIL",
            CheckStatus::Skip => "skip",
        };
        println!("{mark} {:<20} {}", check.id, check.found);
    }
    println!("{}", report.summary);
    Ok(())
}
