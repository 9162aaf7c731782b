//! `chainscope preflight`. (Being built.)

use crate::Ctx;

/// Arguments of `chainscope preflight`.
#[derive(Debug, clap::Args)]
pub struct PreflightArgs {}

/// Runs `chainscope preflight`.
pub fn run(_args: &PreflightArgs, _ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    anyhow::bail!("preflight is not implemented yet")
}
