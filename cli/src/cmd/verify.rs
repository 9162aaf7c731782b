//! `chainscope verify`. (Being built.)

use crate::Ctx;

/// Arguments of `chainscope verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {}

/// Runs `chainscope verify`.
pub fn run(_args: &VerifyArgs, _ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    anyhow::bail!("verify is not implemented yet")
}
