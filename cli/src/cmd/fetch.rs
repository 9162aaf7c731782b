//! `chainscope fetch`. (Being built.)

use crate::Ctx;

/// Arguments of `chainscope fetch`.
#[derive(Debug, clap::Args)]
pub struct FetchArgs {}

/// Runs `chainscope fetch`.
pub fn run(_args: &FetchArgs, _ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    anyhow::bail!("fetch is not implemented yet")
}
