//! Verify a chain file against a root file and print the verdict, the path and the findings.
//!
//! `cargo run -p chainscope --example verify -- CHAIN.pem ROOTS.pem [HOST]`
//! (without arguments: the crate's `testdata/rsa` leaf sent without its intermediate, which
//! fails and says why).

use chainscope::trust::TrustStore;
use chainscope::verify::{verify_chain, VerifyOptions};

fn main() -> Result<(), chainscope::Error> {
    let testdata = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/rsa");
    let mut args = std::env::args().skip(1);
    let chain = args
        .next()
        .unwrap_or_else(|| format!("{testdata}/leaf.pem"));
    let roots = args
        .next()
        .unwrap_or_else(|| format!("{testdata}/root.pem"));
    let options = match args.next() {
        Some(host) => VerifyOptions::for_host(&host)?,
        None => VerifyOptions::default(),
    };

    let presented = chainscope::load_certificates(chain.as_ref())?;
    let trust = TrustStore::from_spec(&roots)?;
    let report = verify_chain(&presented, &trust, &options);

    println!(
        "{chain}: {}",
        if report.valid { "valid" } else { "NOT valid" }
    );
    for entry in &report.path {
        println!(
            "  {:<12} {}  (expires {})",
            entry.role,
            entry.subject,
            entry.not_after.as_deref().unwrap_or("?")
        );
    }
    for f in &report.findings {
        println!("  {:?} [{}] {}", f.severity, f.code, f.message);
        if let Some(fix) = &f.fix {
            println!("      fix: {fix}");
        }
    }
    Ok(())
}
