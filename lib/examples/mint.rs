//! Mint a private root CA and a server certificate for an internal proxy, then write the
//! files an nginx and its clients need.
//!
//! `cargo run -p chainscope --example mint -- OUT_DIR [DNS_NAME]`

use std::path::PathBuf;

use chainscope::mint::{self, CaParams, Issuer, LeafParams, NameConstraints, WriteOptions};

fn main() -> Result<(), chainscope::Error> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "minted".into()));
    let name = args.next().unwrap_or_else(|| "proxy.hospital.local".into());

    // A root CA that can only certify names under .hospital.local, so a leaked key cannot
    // mint certificates for the internet.
    let mut params = CaParams::new("Example Hospital Internal Root CA");
    params.name_constraints = {
        let mut o = NameConstraints::default();
        o.permitted_dns = vec![".hospital.local".into()];
        o
    };
    let ca = mint::root_ca(&params)?;
    let ca_report = ca.write(&out.join("ca"), &WriteOptions::default())?;

    let issuer = Issuer::from_minted(&ca)?;
    let leaf = mint::leaf(&issuer, &LeafParams::for_dns([name]))?;
    let leaf_report = leaf.write(&out.join("proxy"), &WriteOptions::default())?;

    for report in [&ca_report, &leaf_report] {
        println!("{} ({}):", report.subject, report.dir.display());
        for f in &report.files {
            println!("  {} (mode {:o})", f.name, f.mode);
        }
    }
    if let Some(nginx) = leaf_report.next_steps.first() {
        println!("{}:", nginx.title);
        for line in &nginx.lines {
            println!("  {line}");
        }
    }
    Ok(())
}
