//! `chainscope show`. (Being built.)

use crate::Ctx;

/// Arguments of `chainscope show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {}

/// Runs `chainscope show`.
pub fn run(_args: &ShowArgs, _ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    anyhow::bail!("show is not implemented yet")
}
