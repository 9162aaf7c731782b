//! `chainscope mint …`. (Being built.)

use crate::Ctx;

/// The `mint` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MintCommand {
    /// Mint a root CA.
    Ca {},
}

/// Runs `chainscope mint …`.
pub fn run(_args: &MintCommand, _ctx: &mut Ctx<'_>) -> anyhow::Result<i32> {
    anyhow::bail!("mint is not implemented yet")
}
