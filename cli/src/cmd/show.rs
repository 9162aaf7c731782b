//! `chainscope show`. (Being built.)

use chainscope::CertificateDer;

use crate::Ctx;

/// Arguments of `chainscope show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {}

/// Runs `chainscope show`.
pub fn run(_args: &ShowArgs, _ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    anyhow::bail!("show is not implemented yet")
}

/// Renders a list of certificates as `show` does (one block per certificate, then the chain
/// relations); `full` adds every extension. Other subcommands (fetch, verify) reuse it.
pub fn render_chain(
    ctx: &mut Ctx<'_>,
    certs: &[CertificateDer<'static>],
    at: time::OffsetDateTime,
    full: bool,
) -> anyhow::Result<()> {
    let _ = (ctx, certs, at, full);
    Ok(())
}

/// Writes certificates as clean PEM.
pub fn render_pem(ctx: &mut Ctx<'_>, certs: &[CertificateDer<'static>]) -> anyhow::Result<()> {
    let _ = (ctx, certs);
    Ok(())
}
