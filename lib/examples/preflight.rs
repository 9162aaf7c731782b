//! The go-live checklist for a proxy's certificate files.
//!
//! `cargo run -p chainscope --example preflight -- CERT KEY ROOTS HOST`
//! (defaults: the crate's `testdata/ecdsa` chain, its key and root, `localhost`).

use chainscope::preflight::{run, CheckStatus, PreflightOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let testdata = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/ecdsa");
    let mut next = |default: &str| args.next().unwrap_or_else(|| default.to_owned());
    let mut options = PreflightOptions::default();
    options.cert = Some(next(&format!("{testdata}/chain.pem")).into());
    options.key = Some(next(&format!("{testdata}/leaf.key")).into());
    options.roots = vec![next(&format!("{testdata}/root.pem"))];
    options.requirements.hosts = vec![next("localhost")];
    let report = run(&options)?;
    for check in &report.checks {
        let mark = match check.status {
            CheckStatus::Pass => "ok  ",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "FAIL",
            CheckStatus::Skip => "skip",
            _ => "?   ",
        };
        println!("{mark} {:<20} {}", check.id, check.found);
    }
    println!("{}", report.summary);
    Ok(())
}
